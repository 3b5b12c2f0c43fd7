"""Webhooks: one delivery per subscription, written with the event's transaction, signed with
HMAC-SHA256, retried with exponential backoff for a day, recorded, and replayable.

A receiver checks `X-Tracker-Signature: t=<unix time>,v1=<hex>`, where hex is
HMAC-SHA256(secret, "<t>." + raw body), and may drop repeats by `X-Tracker-Delivery`.

- payloads: what a webhook says about a request or an account;
- publish: who is subscribed, and queueing an event's deliveries;
- signing: the signature header and its check;
- targets: which addresses may be called;
- delivery: the HTTP call, the delivery's state, backoff and replay.
"""

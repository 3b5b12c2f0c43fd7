"""The takedowns API's viewsets, one module per resource: platforms and takedown requests with
their actions (takedowns), disclosures, webhooks and their deliveries, notifications."""

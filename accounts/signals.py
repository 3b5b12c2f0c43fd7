"""Domain events of the accounts app, for the apps above it to listen to (accounts imports none
of them): takedowns/receivers.py turns them into notifications and webhooks."""

from django.dispatch import Signal

# Sent after the commit that stored a strong mirror candidate (or made one strong), with
# `candidate_id`. Listeners must be idempotent: a candidate may be announced more than once.
mirror_detected = Signal()

"""Domain events of the accounts app, for the apps above it to listen to (accounts imports none
of them): takedowns/receivers.py turns them into notifications and webhooks."""

from django.dispatch import Signal

# Sent after the commit that stored a strong mirror candidate (or made one strong), with
# `candidate_id`. Listeners must be idempotent: a candidate may be announced more than once.
mirror_detected = Signal()

# Sent inside a bulk create's transaction, once per batch of accounts written without their
# per-row history signal, with `account_ids`: those of the batch that are removed (the ones a
# prevention feed lists). Listeners do their bulk equivalent of the history receivers.
accounts_bulk_recorded = Signal()

# Sent by the mirror refit job after the score's refit (refitted or not, since the apps above
# may learn from confirmed mirrors alone), with `model`: the active MirrorModel or None. The
# sharing app refits its predicted variants' ranking here, in the same job.
mirror_refit_ran = Signal()

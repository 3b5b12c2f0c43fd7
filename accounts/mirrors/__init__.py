"""The mirror engine: folding of handles and names, contact points, avatar hashes, the watch
list of removed accounts and the explainable score of a new account against it.

The pure parts (folding, contacts, avatars, features, model) import no model; the services that
write live in the services layer and call into this package, never the other way.
"""

from .folding import handle_key


def handle_stem(normalized_handle: str) -> str:
    """The handle's folded key, stored on FlaggedAccount.handle_stem (kept for its index)."""
    return handle_key(normalized_handle)

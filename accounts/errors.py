"""Errors of the accounts app; the generic ones live in core.errors."""

from core.errors import Conflict


class DuplicateAccount(Conflict):
    """A live record already exists for the same platform and handle or account id."""

    code = "duplicate_account"

    def __init__(self, message: str, *, existing, field: str = "handle"):
        super().__init__(message, field=field, existing_id=existing.pk)
        self.existing = existing

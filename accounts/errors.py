"""Domain errors raised by services; every door (UI, API, command, task) turns them into a clear
message. They live here because every app may import accounts, and accounts imports no app."""


class DomainError(Exception):
    """A rule of the domain refused the action; nothing was changed."""

    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None, **extra):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field
        self.extra = extra


class NotAllowed(DomainError):
    """The user's role does not allow the action."""

    code = "permission_denied"


class Conflict(DomainError):
    """The action clashes with the current state: duplicate, illegal transition, stale version."""

    code = "conflict"


class DuplicateAccount(Conflict):
    """A live record already exists for the same platform and handle or account id."""

    code = "duplicate_account"

    def __init__(self, message: str, *, existing, field: str = "handle"):
        super().__init__(message, field=field, existing_id=existing.pk)
        self.existing = existing


class IllegalTransition(Conflict):
    """The request's current status does not allow this action."""

    code = "illegal_transition"


class StaleVersion(Conflict):
    """Someone else changed the record since the caller read it."""

    code = "stale_version"

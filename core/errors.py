"""Domain errors raised by services; every door (page, API, command, task) turns them into a
clear message. Errors that belong to one app (a duplicate account, an illegal takedown
transition) subclass these in that app."""


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


class StaleVersion(Conflict):
    """Someone else changed the record since the caller read it."""

    code = "stale_version"

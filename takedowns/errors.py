"""Errors of the takedowns app; the generic ones live in core.errors."""

from core.errors import Conflict


class IllegalTransition(Conflict):
    """The request's current status does not allow this action."""

    code = "illegal_transition"

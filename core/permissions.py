"""The one permission check every service of every app makes."""

from django.utils.translation import gettext as _

from .errors import NotAllowed


def require_permission(user, perm: str, message: str | None = None) -> None:
    """Refuse the action unless the user holds `perm`; every service of every app checks here."""
    # user=None is the system itself (a command or a worker), which may do anything.
    if user is not None and not user.has_perm(perm):
        raise NotAllowed(message or _("Your role does not allow this action."))

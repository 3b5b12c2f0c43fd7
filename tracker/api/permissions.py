"""Who may call what: a login, the token's scope, then the role's Django permissions per action.

The services check the same permissions again; checking here first gives a 403 before any
other validation and lets the schema say which role an operation needs.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from tracker.models import ApiToken


class TokenScopePermission(BasePermission):
    """A read-scope token may only read (GET, HEAD, OPTIONS)."""

    message = _("This token has the read scope; writing needs a token with the write scope.")
    code = "read_only_token"

    def has_permission(self, request, view):
        token = request.auth
        if isinstance(token, ApiToken) and token.scope != ApiToken.Scope.WRITE:
            return request.method in SAFE_METHODS
        return True


class RolePermission(BasePermission):
    """The user must be logged in and hold every permission the view lists for the action.

    Views declare `required_permissions = {action: (perm, ...)}`, where the action is the
    viewset action or, on a plain APIView, the lower-case HTTP method. An action a view
    forgot to declare is refused: permissions fail closed.
    """

    message = _("Your role does not allow this action.")
    code = "permission_denied"

    def has_permission(self, request, view):
        user = request.user
        if not user or not user.is_authenticated:
            return False
        action = getattr(view, "action", None) or request.method.lower()
        if request.method == "OPTIONS" or (hasattr(view, "action_map") and view.action is None):
            # OPTIONS, or a method the view does not have: the view answers 405 itself.
            return True
        required = getattr(view, "required_permissions", {}).get(action)
        if required is None:
            return False
        return user.has_perms(required)

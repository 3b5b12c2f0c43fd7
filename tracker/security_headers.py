"""Permissions-Policy on every response (Django sets the other security headers itself)."""

from django.conf import settings


class PermissionsPolicyMiddleware:
    """Deny the browser features the tracker never uses (camera, microphone, location...)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

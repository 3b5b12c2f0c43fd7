"""Content negotiation for the API (every view) and its downloads (a file or its JSON error)."""

import json

from django.http import Http404
from rest_framework.exceptions import NotAuthenticated
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer


class CredentialsFirstNegotiation(DefaultContentNegotiation):
    """DRF negotiates before it authenticates, so an unknown `?format=` answered an anonymous
    caller 404 where every operation answers 401: without credentials it is the 401 too (no
    path or parameter makes an operation answer a stranger anything else)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return self.select_known_renderer(request, renderers, format_suffix)
        except Http404:
            if not request.user.is_authenticated:  # authenticates now; a bad token is a 401
                raise NotAuthenticated from None
            raise

    def select_known_renderer(self, request, renderers, format_suffix=None):
        return super().select_renderer(request, renderers, format_suffix)


class StrictFormatNegotiation(CredentialsFirstNegotiation):
    """`?format=` given empty is refused with a 404, as DRF answers a format it does not know,
    rather than ignored: a client sending it has a bug (as with an empty filter), and the
    schema lists the formats as an enum."""

    def select_known_renderer(self, request, renderers, format_suffix=None):
        if not format_suffix and request.query_params.get(self.settings.URL_FORMAT_OVERRIDE) == "":
            raise Http404
        return super().select_known_renderer(request, renderers, format_suffix)


class FileRenderer(BaseRenderer):
    """Lets a client ask for a download's own type in Accept (subclasses set media_type and
    format); the view answers the file itself, so only errors pass here, as JSON text."""

    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return json.dumps(data).encode() if data is not None else b""

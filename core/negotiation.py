"""Content negotiation for the API's downloads (a file or its JSON error)."""

from django.http import Http404
from rest_framework.negotiation import DefaultContentNegotiation


class StrictFormatNegotiation(DefaultContentNegotiation):
    """`?format=` given empty is refused with a 404, as DRF answers a format it does not know,
    rather than ignored: a client sending it has a bug (as with an empty filter), and the
    schema lists the formats as an enum."""

    def select_renderer(self, request, renderers, format_suffix=None):
        if not format_suffix and request.query_params.get(self.settings.URL_FORMAT_OVERRIDE) == "":
            raise Http404
        return super().select_renderer(request, renderers, format_suffix)

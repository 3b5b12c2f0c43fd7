"""GET /api/v1/takedowns/{id}/package/: the request package as a ZIP download."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from core.negotiation import FileRenderer, StrictFormatNegotiation

from ...letters.services import PACKAGE_PERMISSION, takedown_package_build
from ...letters.views import package_response
from ...models import TakedownRequest


class ZipRenderer(FileRenderer):
    media_type, format = "application/zip", "zip"


class TakedownPackageView(APIView):
    """The letter, the accounts CSV and the evidence files of a request, as one ZIP."""

    renderer_classes = [JSONRenderer, ZipRenderer]
    content_negotiation_class = StrictFormatNegotiation
    required_permissions = {"get": ("takedowns.view_takedownrequest", PACKAGE_PERMISSION)}
    error_statuses = {"get": (400, 409)}  # an unknown parameter; no letter template applies

    def initial(self, request, *args, **kwargs):
        """After authentication and permission: a download takes no parameter but `format`, and
        one it does not know is a client's bug, refused rather than ignored (as filters are)."""
        super().initial(request, *args, **kwargs)
        unknown = sorted(set(request.query_params) - {"format"})
        if unknown:
            raise ValidationError({name: [_("Unknown parameter.")] for name in unknown})

    @extend_schema(
        operation_id="takedowns_package_retrieve",
        summary="Download the request package",
        description=(
            f"Needs `{PACKAGE_PERMISSION}` (whoever may submit requests). A ZIP holding "
            "`letter.pdf` (from the letter template for the platform and kind), "
            "`accounts.csv`, every evidence item under `evidence/` and `SHA256SUMS`. "
            "Each download is built afresh and its SHA-256 (also in the `X-Package-SHA256` "
            "header) is recorded in the request's timeline as a `package_built` event."
        ),
        responses={
            (200, "application/zip"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="The ZIP; X-Package-SHA256 carries its hash.",
                examples=[
                    OpenApiExample(
                        "Package",
                        value="TR-000123/letter.pdf, accounts.csv, evidence/..., SHA256SUMS",
                        response_only=True,
                        media_type="application/zip",
                    )
                ],
            ),
        },
        tags=["takedowns"],
    )
    def get(self, request, pk: int):
        takedown = get_object_or_404(TakedownRequest.objects.select_related("platform"), pk=pk)
        return package_response(takedown_package_build(takedown=takedown, user=request.user))

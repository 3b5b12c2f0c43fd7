"""`POST /api/v1/stix/imports/`: import a STIX 2.1 bundle sent as the body (application/json
or application/stix+json) or as a multipart `file`; `?dry_run=true` previews, `?partial=true`
imports the objects that can be and reports the others."""

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import BaseParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import DomainError

from .bundle import check_size, parse_bundle, read_limited
from .imports import stix_import

ADD = ("accounts.add_flaggedaccount",)


class RawBundle(bytes):
    """The body as sent; parse_bundle reads it once its size is known to be within the limit."""


class _BundleParser(BaseParser):
    def parse(self, stream, media_type=None, parser_context=None):
        request = parser_context["request"]
        size = request.META.get("CONTENT_LENGTH")
        return RawBundle(read_limited(stream, int(size) if size and size.isdigit() else None))


class StixBundleParser(_BundleParser):
    media_type = "application/stix+json"


class JsonBundleParser(_BundleParser):
    media_type = "application/json"


def _flag(request, name: str) -> bool:
    return request.query_params.get(name, "").lower() in ("1", "true", "yes")


def _bundle_bytes(request) -> bytes:
    data = request.data
    if isinstance(data, RawBundle):
        return bytes(data)
    upload = data.get("file") if hasattr(data, "get") else None
    if not isinstance(upload, UploadedFile):
        raise DomainError(
            _("Send the bundle as the body or as a multipart file named “file”."),
            code="required",
            field="file",
        )
    return read_limited(upload, upload.size)


RESULT = {
    "dry_run": False,
    "accounts": [{"id": 812, "platform": "telegram", "handle": "ttp_news", "status": "active"}],
    "groups_created": [],
    "mirror_links": [],
    "problems": [
        {
            "object_id": "user-account--1e8f46c5-49d9-5c62-9fad-be9f2f2f2a6d",
            "code": "duplicate_account",
            "message": "X account “lej_media” is already recorded (status: Active).",
            "field": "handle",
            "fatal": True,
        }
    ],
    "ignored": {"identity": 1, "marking-definition": 1},
}
_RESULT = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="What was recorded (or, for a dry run, would be) and what was left out.",
    examples=[OpenApiExample("Imported", value=RESULT, response_only=True)],
)


class StixImportView(APIView):
    parser_classes = [StixBundleParser, JsonBundleParser, MultiPartParser]
    required_permissions = {"post": ADD}

    @extend_schema(
        operation_id="stix_import",
        summary="Import a STIX 2.1 bundle as flagged accounts",
        description=(
            "Needs `accounts.add_flaggedaccount`. The bundle's `user-account` objects go through "
            "the same row validator, duplicate and mirror checks as any bulk import; "
            "`intrusion-set` names the groups, `attributed-to` and `derived-from` link accounts "
            "to groups and mirrors to originals (docs/sharing.md). All or nothing unless "
            "`partial`; a refusal is `invalid_objects` with every object's `problems`. Bundles "
            "over 100 MB or a million objects, not JSON, not STIX 2.1 or holding types STIX "
            "2.1 does not define are refused before anything is written."
        ),
        parameters=[
            OpenApiParameter("dry_run", OpenApiTypes.BOOL, description="Preview; write nothing."),
            OpenApiParameter(
                "partial", OpenApiTypes.BOOL, description="Import what can be; report the rest."
            ),
        ],
        request={
            "application/json": OpenApiTypes.OBJECT,
            "application/stix+json": OpenApiTypes.OBJECT,
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
            },
        },
        responses={201: _RESULT, 200: _RESULT},
    )
    def post(self, request):
        # The declared size is refused before a byte of the body is read or spooled to disk.
        size = request.META.get("CONTENT_LENGTH")
        check_size(int(size) if size and size.isdigit() else None)
        bundle = parse_bundle(_bundle_bytes(request))
        dry_run = _flag(request, "dry_run")
        result = stix_import(
            user=request.user, bundle=bundle, partial=_flag(request, "partial"), dry_run=dry_run
        )
        return Response(
            result.as_dict(), status=status.HTTP_200_OK if dry_run else status.HTTP_201_CREATED
        )

"""`POST /api/v1/stix/imports/`: import a STIX 2.1 bundle sent as the body (application/json
or application/stix+json) or as a multipart `file`; `?dry_run=true` previews, `?partial=true`
imports the objects that can be and reports the others."""

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
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


class StixImportView(APIView):
    parser_classes = [StixBundleParser, JsonBundleParser, MultiPartParser]
    required_permissions = {"post": ADD}

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

"""The prevention feed's API: `GET /api/v1/feeds/{platform}/` (a signed page of entries after a
cursor) and its downloads `signals.csv` (hash-list layout) and `signals.json`.

Read with a feed token (`Authorization: Token feed_...`), which reads its own platform's feed
and nothing else, or as a user holding sharing.view_signalevent (administrators).
"""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from accounts.models import Platform

from ..choices import FeedFormat
from ..models import FeedToken
from .keys import feed_signing_key, feed_token_authenticate
from .log import feed_for
from .pages import (
    HAS_MORE_HEADER,
    NEXT_CURSOR_HEADER,
    canonical_json,
    csv_bytes,
    feed_entries,
    feed_pull_record,
    page_body,
    signed_headers,
)

DEFAULT_PAGE = 100


class FeedTokenAuthentication(BaseAuthentication):
    """`Authorization: Token feed_<key>`: a feed token, acting as its feed's client user. Other
    keys are left to the API's own token authentication."""

    keyword = "Token"
    key_prefix = "feed_"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if len(parts) != 2 or parts[0].lower() != b"token":
            return None
        key = parts[1].decode("ascii", "replace")
        if not key.startswith(self.key_prefix):
            return None
        token = feed_token_authenticate(key=key)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("Invalid or revoked feed token."), code="invalid_token"
            )
        return token.feed.client, token

    def authenticate_header(self, request):
        return self.keyword


class FeedReadPermission(BasePermission):
    """A feed token reads its own platform's feed only; a user needs sharing.view_signalevent."""

    message = _("This token reads another platform's feed.")
    code = "wrong_feed"

    def has_permission(self, request, view):
        if isinstance(request.auth, FeedToken):
            return request.auth.feed.platform.slug == view.kwargs.get("platform")
        user = request.user
        if not user or not user.is_authenticated:
            return False
        self.message = _("Your role does not allow reading the platforms' feeds.")
        self.code = "permission_denied"
        return user.has_perm("sharing.view_signalevent")


def _int_param(request, name: str, default: int, *, minimum: int, maximum: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise exceptions.ValidationError(
            {name: [_("Send a whole number.")]}, code="invalid"
        ) from None
    if not minimum <= value <= maximum:
        raise exceptions.ValidationError(
            {name: [_("Send a number from %(lo)s to %(hi)s.") % {"lo": minimum, "hi": maximum}]},
            code="out_of_range",
        )
    return value


CURSOR = OpenApiParameter(
    "cursor", OpenApiTypes.INT, description="The next_cursor of the last page read (0: start)."
)
LIMIT = OpenApiParameter("limit", OpenApiTypes.INT, description="Entries per page.")


PAGE_EXAMPLE = OpenApiExample(
    "A page with one entry",
    value={
        "platform": "x",
        "cursor": 0,
        "next_cursor": 1,
        "has_more": False,
        "count": 1,
        "key_id": "x-20261201-fb67b7",
        "signals": [
            {
                "sequence": 1,
                "action": "added",
                "reason": "",
                "at": "2026-12-01T11:02:03+00:00",
                "signals": {"platform": "x", "handle": "abu_hamza_tv", "status": "removed"},
            }
        ],
    },
    response_only=True,
)


class FeedTokenScheme(OpenApiAuthenticationExtension):
    target_class = "sharing.feeds.api.FeedTokenAuthentication"
    name = "feedTokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token feed_<key>`: a platform's feed token (one feed only).",
        }


class _FeedView(APIView):
    authentication_classes = [FeedTokenAuthentication, *api_settings.DEFAULT_AUTHENTICATION_CLASSES]
    permission_classes = [FeedReadPermission]
    # What FeedReadPermission asks of a user (a feed token needs its own platform instead);
    # declared as the other API views declare theirs, so the permission matrix covers the feed.
    required_permissions = {"get": ("sharing.view_signalevent",)}
    # Documented errors beside 401/403/404: a bad cursor or limit, a feed without a key.
    error_statuses = {"get": (400, 409)}
    format = FeedFormat.PAGE
    content_type = "application/json"

    def limits(self) -> tuple[int, int]:
        return DEFAULT_PAGE, settings.FEED_PAGE_SIZE

    def body(self, *, feed, events, cursor, has_more, key_id) -> bytes:
        return canonical_json(
            page_body(feed=feed, events=events, cursor=cursor, has_more=has_more, key_id=key_id)
        )

    def get(self, request, platform: str):
        if isinstance(request.auth, FeedToken):  # its own feed (FeedReadPermission)
            feed = request.auth.feed
        else:
            feed = feed_for(get_object_or_404(Platform, slug=platform))
        platform = feed.platform
        default, maximum = self.limits()
        cursor = _int_param(request, "cursor", 0, minimum=0, maximum=2**63 - 1)
        limit = _int_param(request, "limit", default, minimum=1, maximum=maximum)
        key_id, secret = feed_signing_key(feed)  # no key: a 409 before anything is read
        events, has_more = feed_entries(feed=feed, cursor=cursor, limit=limit)
        body = self.body(feed=feed, events=events, cursor=cursor, has_more=has_more, key_id=key_id)
        next_cursor = events[-1].sequence if events else cursor
        feed_pull_record(
            feed=feed,
            token=request.auth if isinstance(request.auth, FeedToken) else None,
            user=request.user,
            request=request,
            format=self.format,
            cursor=cursor,
            next_cursor=next_cursor,
            count=len(events),
        )
        response = HttpResponse(body, content_type=self.content_type)
        for name, value in signed_headers(key_id=key_id, secret=secret, body=body).items():
            response[name] = value
        response[NEXT_CURSOR_HEADER] = str(next_cursor)
        response[HAS_MORE_HEADER] = "true" if has_more else "false"
        response["Cache-Control"] = "no-store"
        if self.format != FeedFormat.PAGE:
            name = f"{platform.slug}-signals-{cursor}-{next_cursor}.{self.format}"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class FeedPageView(_FeedView):
    """A signed page of the platform's feed after the cursor."""

    @extend_schema(
        operation_id="feeds_page",
        summary="Read a signed page of a platform's prevention feed",
        description=(
            "Entries after `cursor` (added, changed, withdrawn), oldest first; keep "
            "`next_cursor` for the next call. The body is signed in `X-Tracker-Signature` "
            "with the feed's key (`X-Feed-Key-Id`); docs/sharing.md shows how to verify it."
        ),
        tags=["feeds"],
        parameters=[CURSOR, LIMIT],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="A signed page.")},
        examples=[PAGE_EXAMPLE],
    )
    def get(self, request, platform: str):
        return super().get(request, platform)


class FeedJsonDownloadView(_FeedView):
    """Everything after the cursor (up to FEED_DOWNLOAD_LIMIT entries) as one signed JSON file."""

    format = FeedFormat.JSON

    def limits(self):
        return settings.FEED_DOWNLOAD_LIMIT, settings.FEED_DOWNLOAD_LIMIT

    @extend_schema(
        operation_id="feeds_download_json",
        summary="Download a platform's feed after a cursor as one signed JSON file",
        tags=["feeds"],
        parameters=[CURSOR, LIMIT],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="A signed JSON file.")},
        examples=[PAGE_EXAMPLE],
    )
    def get(self, request, platform: str):
        return super().get(request, platform)


class FeedCsvDownloadView(FeedJsonDownloadView):
    """The avatar hashes after the cursor in the hash-sharing CSV layout, signed."""

    format = FeedFormat.CSV
    content_type = "text/csv; charset=utf-8"

    def body(self, *, feed, events, cursor, has_more, key_id) -> bytes:
        return csv_bytes(events)

    @extend_schema(
        operation_id="feeds_download_csv",
        summary="Download a platform's avatar hashes after a cursor as signed hash-list CSV",
        tags=["feeds"],
        parameters=[CURSOR, LIMIT],
        responses={200: OpenApiResponse(OpenApiTypes.STR, description="A signed CSV file.")},
        examples=[
            OpenApiExample(
                "Two hashes of one removed account",
                value=(
                    "hash,hash_type,labels,first_seen,action,sequence,platform,handle\n"
                    "f8f8e0c0...,pdq,platform:x;handle:abu_hamza_tv;status:removed;"
                    "group:Example Front;designation:un:QDe.118,2026-11-30T09:00:00+00:00,"
                    "added,1,x,abu_hamza_tv\n"
                ),
                response_only=True,
            )
        ],
    )
    def get(self, request, platform: str):
        return super().get(request, platform)

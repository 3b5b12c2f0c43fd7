"""Project-wide API views: the v1 root, dashboard figures, the caller, JSON 404s and the docs."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override
from drf_spectacular.renderers import (
    OpenApiJsonRenderer,
    OpenApiJsonRenderer2,
    OpenApiYamlRenderer,
    OpenApiYamlRenderer2,
)
from drf_spectacular.utils import OpenApiExample, extend_schema
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.negotiation import CredentialsFirstNegotiation
from tracker.models import ApiToken
from tracker.stats import dashboard_stats_cached

from .serializers import MeSerializer, StatsSerializer

# The resources listed at /api/v1/, by route name.
ROOT_RESOURCES = (
    "platform",
    "group",
    "designation",
    "account",
    "mirror-candidate",
    "takedown",
    "disclosure",
    "webhook",
    "notification",
    "report",
)


class ApiRootView(APIView):
    """Links to every resource of the v1 API."""

    required_permissions = {"get": ()}

    @extend_schema(exclude=True)
    def get(self, request):
        links = {
            name.replace("-", "_") + "s": request.build_absolute_uri(reverse(f"api:{name}-list"))
            for name in ROOT_RESOURCES
        }
        for name in ("stats", "me", "schema", "docs"):
            links[name] = request.build_absolute_uri(reverse(f"api:{name}"))
        return Response(links)


class StatsView(APIView):
    """The dashboard's figures."""

    required_permissions = {"get": ("takedowns.view_takedownrequest",)}

    @extend_schema(
        summary="Dashboard figures",
        description=(
            "Per platform: open, overdue, actioned and rejected requests, removal rate, median "
            "hours to removal and the share resolved within the deadline; accounts flagged and "
            "removed per week (12 weeks); mirrors detected and how fast they reappear; "
            "`mirror_metrics`: time to reappearance and from detection to removal, per "
            "platform and group, and mirror chains with their length. "
            "Computed at most once a minute (TRACKER_STATS_CACHE_SECONDS); `generated_at` "
            "tells when."
        ),
        responses={200: StatsSerializer},
        examples=[
            OpenApiExample(
                "Figures",
                response_only=True,
                value={
                    "generated_at": "2026-02-03T10:00:00Z",
                    "platforms": [
                        {
                            "platform": "telegram",
                            "name": "Telegram",
                            "open": 12,
                            "overdue": 2,
                            "actioned": 40,
                            "partially_actioned": 3,
                            "rejected": 5,
                            "removal_rate": 0.83,
                            "median_hours_to_removal": 30.5,
                            "within_deadline_rate": 0.71,
                        }
                    ],
                    "weekly": [{"week": "2026-02-02", "flagged": 31, "removed": 12}],
                    "mirrors": {
                        "confirmed": 14,
                        "suggested": 3,
                        "median_hours_to_reappearance": 5.2,
                    },
                    "mirror_metrics": {
                        "reappearance": {
                            "count": 14,
                            "median_hours": 5.2,
                            "by_platform": [
                                {
                                    "platform": "telegram",
                                    "name": "Telegram",
                                    "count": 9,
                                    "median_hours": 3.1,
                                }
                            ],
                            "by_group": [
                                {
                                    "group": 2,
                                    "name": "Lashkar-e-Tayyiba",
                                    "count": 6,
                                    "median_hours": 2.5,
                                }
                            ],
                        },
                        "detection_to_removal": {
                            "count": 8,
                            "median_hours": 20.0,
                            "by_platform": [
                                {
                                    "platform": "telegram",
                                    "name": "Telegram",
                                    "count": 8,
                                    "median_hours": 20.0,
                                }
                            ],
                            "by_group": [],
                        },
                        "chains": {
                            "count": 3,
                            "longest": 4,
                            "by_length": {"2": 2, "4": 1},
                            "top": [
                                {
                                    "length": 4,
                                    "accounts": [
                                        {"id": 880, "handle": "sada_e_haq"},
                                        {"id": 1042, "handle": "sada_e_haq2"},
                                        {"id": 1090, "handle": "sada_e_h4q"},
                                        {"id": 1133, "handle": "sadaehaq_official"},
                                    ],
                                }
                            ],
                        },
                    },
                },
            )
        ],
    )
    def get(self, request):
        return Response(StatsSerializer(dashboard_stats_cached()).data)


class MeView(APIView):
    """Who the caller is: user, roles and the token in use."""

    required_permissions = {"get": ()}

    @extend_schema(
        summary="Who am I",
        description="The authenticated user, their roles and, with a token, its scope.",
        responses={200: MeSerializer},
        examples=[
            OpenApiExample(
                "A supervisor's write token",
                response_only=True,
                value={
                    "username": "supervisor",
                    "roles": ["Supervisor"],
                    "token": {
                        "name": "CERT case system",
                        "prefix": "Vq3dX0aB",
                        "scope": "write",
                        "expires_at": None,
                    },
                },
            )
        ],
    )
    def get(self, request):
        token = request.auth if isinstance(request.auth, ApiToken) else None
        token_data = None
        if token is not None:
            token_data = {
                "name": token.name,
                "prefix": token.prefix,
                "scope": token.scope,
                "expires_at": token.expires_at,
            }
        return Response(
            {
                "username": request.user.get_username(),
                "roles": sorted(request.user.groups.values_list("name", flat=True)),
                "token": token_data,
            }
        )


@extend_schema(exclude=True)
class NotFoundView(APIView):
    """Any other path under /api/v1/: a JSON 404 in the API's error shape, not an HTML page;
    without credentials the same 401 as every real operation (no path answers an anonymous
    caller differently)."""

    permission_classes = [IsAuthenticated]

    def _not_found(self, request, *args, **kwargs):
        raise NotFound(_("Not found."))

    get = post = put = patch = delete = options = head = _not_found


not_found = NotFoundView.as_view()


class FormatFirstNegotiation(CredentialsFirstNegotiation):
    """`?format=` names the representation outright, whatever the Accept header says (a browser
    asks for text/html, a client generator for application/json); without it, Accept chooses."""

    def select_known_renderer(self, request, renderers, format_suffix=None):
        wanted = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        for renderer in renderers:
            if wanted and renderer.format == wanted:
                return renderer, renderer.media_type
        return super().select_known_renderer(request, renderers, format_suffix)  # unknown: 404


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema, for any logged-in user or token: JSON (`?format=json`, the default)
    or YAML (`?format=yaml`), also chosen by Accept (OpenAPI's media types or the plain ones)."""

    permission_classes = [IsAuthenticated]
    renderer_classes = [
        OpenApiJsonRenderer,
        OpenApiJsonRenderer2,
        OpenApiYamlRenderer,
        OpenApiYamlRenderer2,
    ]
    content_negotiation_class = FormatFirstNegotiation


# The docs pages are for people: the login page, not a JSON 401, greets a stranger. They are
# served from drf-spectacular-sidecar's static files (SPECTACULAR_SETTINGS), never a CDN.
# Swagger UI's start script is a URL of its own (the split view), so no inline script runs;
# Redoc writes its styles into <style> elements and renders in a blob: worker, which only its
# page allows.
swagger_view = login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema"))
redoc_view = login_required(
    csp_override(
        {
            **settings.SECURE_CSP,
            "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
            "worker-src": [CSP.SELF, "blob:"],
        }
    )(SpectacularRedocView.as_view(url_name="api:schema"))
)

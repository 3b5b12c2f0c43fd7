"""API viewsets for platforms and takedown requests with their actions (one route per action
declared in takedowns/actions.py). Every state change goes through takedowns.services.

Concurrency: a request's detail carries `ETag: "<version>"`; an action or change sent with
`If-Match: "<version>"` is refused with 412 when someone changed the request in between (the
service compares versions under a row lock, so two writers can never both win).
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status
from rest_framework.decorators import action as drf_action
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from accounts.models import FlaggedAccount, Platform
from core.negotiation import FileRenderer, StrictFormatNegotiation
from core.spreadsheets import XLSX_TYPE

from ... import selectors, services
from ...actions import ACTIONS, Action
from ...exports import COLUMNS as EXPORT_COLUMNS
from ...exports import takedowns_download
from ...filtersets import (
    TakedownRequestFilterSet,
)
from ...models import (
    TakedownRequest,
)
from ...orderings import (
    PLATFORM_ORDERING,
    TAKEDOWN_ORDERING,
)
from .. import examples as ex
from ..serializers import (
    PlatformSerializer,
    TakedownCreateSerializer,
    TakedownDetailSerializer,
    TakedownEventSerializer,
    TakedownSerializer,
)


@extend_schema_view(
    list=extend_schema(
        summary="List platforms",
        description="Platforms with where requests go and their deadline per kind and priority.",
        examples=[ex.example("A platform", ex.PLATFORM)],
    ),
    retrieve=extend_schema(
        summary="Get a platform", examples=[ex.example("A platform", ex.PLATFORM)]
    ),
)
class PlatformViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Platforms, looked up by slug."""

    serializer_class = PlatformSerializer
    lookup_field = "slug"
    ordering_spec = PLATFORM_ORDERING
    required_permissions = {
        "list": ("accounts.view_platform",),
        "retrieve": ("accounts.view_platform",),
    }

    def get_queryset(self):
        return selectors.platform_list()


def if_match_version(request) -> int | None:
    """The version an If-Match header expects; None without one (or with "*").

    A header naming no version can never match: 0 (versions start at 1) makes the service
    refuse it as stale, which the API answers with 412.
    """
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    for tag in header.split(","):
        text = tag.strip().removeprefix("W/").strip('"')
        if text.isdecimal() and len(text) < 10:
            return int(text)
    return 0


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='The ETag of the version you read, e.g. "4": refused with 412 if it changed.',
)


def _action_schema(action: Action):
    examples = [ex.example("The request after", ex.TAKEDOWN_DETAIL)]
    if action.example is not None:
        examples.insert(0, ex.example("Body", action.example, request=True))
    return extend_schema(
        summary=action.summary,
        description=(
            f"Needs `{action.transition.permission}`. From statuses: "
            f"{', '.join(action.transition.sources)}; any other is 409 "
            "`illegal_transition`. Send `If-Match` with the ETag you read to be sure nobody "
            "changed the request meanwhile."
        ),
        parameters=[IF_MATCH],
        request=action.body,
        responses={200: TakedownDetailSerializer},
        examples=examples,
    )


def _action_route(action: Action):
    """The POST route of one declared action: /takedowns/{id}/<url_path>/."""

    def route(self, request, pk=None):
        return self._act(request, action)

    route.__name__ = action.name
    route.__doc__ = action.summary
    return drf_action(detail=True, methods=["post"], url_path=action.url_path)(route)


class CsvRenderer(FileRenderer):
    media_type, format = "text/csv", "csv"


class XlsxRenderer(FileRenderer):
    media_type, format = XLSX_TYPE, "xlsx"


# POST /takedowns/{id}/request-approval/, /approve/, ...: one route per declared action.
TakedownActionRoutes = type(
    "TakedownActionRoutes",
    (),
    {name: _action_route(action) for name, action in ACTIONS.items()},
)


@extend_schema_view(
    list=extend_schema(
        summary="List takedown requests",
        description=(
            "Filter by platform, status, kind, priority, group, drafted by, `overdue=true`, "
            "`due_before`/`due_after`, created dates and `q` (reference TR-000123, ticket, "
            "legal basis, account handle or name)."
        ),
        examples=[ex.example("A request", ex.TAKEDOWN)],
    ),
    retrieve=extend_schema(
        summary="Get a takedown request",
        description="With its accounts and their outcomes. The ETag header carries `version`.",
        responses={200: TakedownDetailSerializer},
        examples=[ex.example("A request", ex.TAKEDOWN_DETAIL)],
    ),
    create=extend_schema(
        summary="Draft a takedown request",
        description="Covers accounts on one platform; starts as `draft`.",
        request=TakedownCreateSerializer,
        responses={201: TakedownDetailSerializer},
        examples=[
            ex.example(
                "Removal",
                {
                    "accounts": [1042],
                    "kind": "removal",
                    "priority": "normal",
                    "legal_basis": "Section 37, Prevention of Electronic Crimes Act 2016",
                },
                request=True,
            ),
            ex.example("Drafted", {**ex.TAKEDOWN_DETAIL, "status": "draft", "version": 1}),
        ],
    ),
    events=extend_schema(
        summary="A request's timeline",
        description="Every event, oldest first: who did what and when (actor null: the system).",
        responses={200: TakedownEventSerializer(many=True)},
        examples=[ex.example("Timeline", [ex.EVENT])],
    ),
    export=extend_schema(
        summary="Export takedown requests as CSV or XLSX",
        description=(
            "Every request matching the list's filters (the same parameters as the list), "
            "in the order they were drafted, as `?format=csv` (the default) or `?format=xlsx`. "
            f"Columns: {', '.join(f'`{c}`' for c in EXPORT_COLUMNS)}; `handles` and `outcomes` "
            "are joined with `; ` in the same order. A cell a spreadsheet would run as a "
            "formula starts with `'`. A parameter that is neither a filter nor `format` is "
            "refused (400). Each export is written to the security log."
        ),
        parameters=[
            OpenApiParameter("format", OpenApiTypes.STR, enum=["csv", "xlsx"], required=False)
        ],
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="The CSV, UTF-8 with a byte-order mark.",
                examples=[
                    OpenApiExample(
                        "CSV",
                        value=",".join(EXPORT_COLUMNS),
                        response_only=True,
                        media_type="text/csv",
                    )
                ],
            ),
            (200, XLSX_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="The workbook."),
        },
    ),
    **{name: _action_schema(action) for name, action in ACTIONS.items()},
)
class TakedownViewSet(mixins.ListModelMixin, TakedownActionRoutes, GenericViewSet):
    """Takedown requests, their actions (the status machine, one route per declared action)
    and their timelines."""

    serializer_class = TakedownSerializer
    filterset_class = TakedownRequestFilterSet
    ordering_spec = TAKEDOWN_ORDERING
    required_permissions = {
        "list": ("takedowns.view_takedownrequest",),
        "retrieve": ("takedowns.view_takedownrequest",),
        "create": ("takedowns.add_takedownrequest",),
        "events": ("takedowns.view_takedownrequest", "takedowns.view_takedownevent"),
        "export": ("takedowns.view_takedownrequest",),
        # The same permission the service checks, from the one transition table.
        **{name: (action.transition.permission,) for name, action in ACTIONS.items()},
    }
    # export: a bad filter or parameter (400), a format it does not know (404, as DRF answers)
    error_statuses = {name: (409, 412) for name in ACTIONS} | {"export": (400, 404)}

    def get_queryset(self):
        if self.action == "list":
            return selectors.takedown_api_list()
        if self.action == "retrieve":
            return selectors.takedown_api_detail_list()
        # Actions lock and re-read the row themselves; events load their own rows.
        return TakedownRequest.objects.all()

    def _detail(self, takedown, *, status_code=status.HTTP_200_OK) -> Response:
        data = TakedownDetailSerializer(takedown, context=self.get_serializer_context()).data
        return Response(data, status=status_code, headers={"ETag": f'"{takedown.version}"'})

    def retrieve(self, request, pk=None):
        return self._detail(self.get_object())

    def create(self, request):
        data = TakedownCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        ids = list(dict.fromkeys(fields.pop("accounts")))
        accounts = list(FlaggedAccount.objects.filter(pk__in=ids).select_related("platform"))
        missing = sorted(set(ids) - {a.pk for a in accounts})
        if missing:
            raise ValidationError(
                {"accounts": [f"Unknown account ids: {', '.join(map(str, missing[:20]))}."]}
            )
        slug = fields.pop("platform", None)
        platform = Platform.objects.filter(slug=slug).first() if slug else accounts[0].platform
        if platform is None:
            raise ValidationError({"platform": [f"Unknown platform “{slug}”."]})
        takedown = services.takedown_create(
            user=request.user, platform=platform, accounts=accounts, **fields
        )
        return self._detail(
            selectors.takedown_api_detail_list().get(pk=takedown.pk),
            status_code=status.HTTP_201_CREATED,
        )

    def _act(self, request, action: Action) -> Response:
        takedown = self.get_object()
        arguments = {}
        if action.body is not None:
            data = action.body(data=request.data)
            data.is_valid(raise_exception=True)
            arguments = data.validated_data
        action.service(
            takedown=takedown,
            user=request.user,
            expected_version=if_match_version(request),
            **arguments,
        )
        return self._detail(selectors.takedown_api_detail_list().get(pk=takedown.pk))

    @drf_action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def events(self, request, pk=None):
        takedown = self.get_object()
        events = takedown.events.select_related("actor").order_by("created_at", "id")
        return Response(TakedownEventSerializer(events, many=True).data)

    @drf_action(
        detail=False,
        methods=["get"],
        pagination_class=None,
        # JSON first: errors are JSON documents, as everywhere in the API; no `format` (or
        # Accept: */*) is the CSV.
        renderer_classes=[JSONRenderer, CsvRenderer, XlsxRenderer],
        content_negotiation_class=StrictFormatNegotiation,
    )
    def export(self, request):
        unknown = sorted(
            set(request.query_params) - set(self.filterset_class.base_filters) - {"format"}
        )
        if unknown:
            raise ValidationError({name: [_("Unknown parameter.")] for name in unknown})
        if request.query_params.get("format") == "json":
            raise ValidationError({"format": [_("Give csv or xlsx.")]})
        queryset = self.filter_queryset(self.get_queryset())
        return takedowns_download(request, queryset, request.accepted_renderer.format)

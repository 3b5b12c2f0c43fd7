"""API viewsets for platforms, takedown requests and their actions, disclosures, webhook
subscriptions and notifications. Every state change goes through takedowns.services.

Concurrency: a request's detail carries `ETag: "<version>"`; an action or change sent with
`If-Match: "<version>"` is refused with 412 when someone changed the request in between (the
service compares versions under a row lock, so two writers can never both win).
"""

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action as drf_action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from accounts.models import FlaggedAccount, Platform

from .. import notifications, selectors, services
from ..actions import ACTIONS, Action
from ..filtersets import (
    DisclosureFilterSet,
    NotificationFilterSet,
    TakedownRequestFilterSet,
    WebhookDeliveryFilterSet,
)
from ..models import (
    Notification,
    TakedownRequest,
    WebhookDelivery,
    WebhookSubscription,
)
from ..orderings import (
    DISCLOSURE_ORDERING,
    NOTIFICATION_ORDERING,
    PLATFORM_ORDERING,
    TAKEDOWN_ORDERING,
    WEBHOOK_DELIVERY_ORDERING,
    WEBHOOK_ORDERING,
)
from . import examples as ex
from .serializers import (
    DisclosureCreateSerializer,
    DisclosureSerializer,
    MarkedReadSerializer,
    NotificationSerializer,
    PlatformSerializer,
    TakedownCreateSerializer,
    TakedownDetailSerializer,
    TakedownEventSerializer,
    TakedownSerializer,
    WebhookDeliverySerializer,
    WebhookInputSerializer,
    WebhookSubscriptionSerializer,
    WebhookWithSecretSerializer,
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
        # The same permission the service checks, from the one transition table.
        **{name: (action.transition.permission,) for name, action in ACTIONS.items()},
    }
    error_statuses = {name: (409, 412) for name in ACTIONS}

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


@extend_schema_view(
    list=extend_schema(
        summary="List disclosures (supervisors; every read is logged)",
        description="Account-holder data returned by platforms. Each one returned is logged.",
        examples=[ex.example("A disclosure", ex.DISCLOSURE)],
    ),
    retrieve=extend_schema(
        summary="Get a disclosure (supervisors; the read is logged)",
        examples=[ex.example("A disclosure", ex.DISCLOSURE)],
    ),
    create=extend_schema(
        summary="Record data a platform disclosed (supervisors)",
        description=(
            "For one account of a disclosure request the platform has been sent. The request's "
            "timeline records that data arrived, never the data; the answer is a logged read."
        ),
        request=DisclosureCreateSerializer,
        responses={201: DisclosureSerializer},
        examples=[
            ex.example(
                "Disclosed",
                {"request": 311, "account": 57, "data": ex.DISCLOSURE["data"]},
                request=True,
            ),
            ex.example("Recorded", ex.DISCLOSURE),
        ],
    ),
)
class DisclosureViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Disclosed account-holder data: supervisors only, every read logged with channel "api"."""

    serializer_class = DisclosureSerializer
    filterset_class = DisclosureFilterSet
    ordering_spec = DISCLOSURE_ORDERING
    required_permissions = {
        "list": ("takedowns.view_disclosure", "takedowns.read_disclosure"),
        "retrieve": ("takedowns.view_disclosure", "takedowns.read_disclosure"),
        "create": ("takedowns.add_disclosure", "takedowns.read_disclosure"),
    }
    error_statuses = {"create": (409,)}

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)  # each read is logged: no copy kept anywhere
        return response

    def create(self, request):
        data = DisclosureCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        takedown = TakedownRequest.objects.filter(pk=fields["request"]).first()
        account = FlaggedAccount.objects.filter(pk=fields["account"]).first()
        unknown = {
            name: [_("No %s has this id.") % noun]
            for name, noun, found in (
                ("request", _("request"), takedown),
                ("account", _("account"), account),
            )
            if found is None
        }
        if unknown:
            raise ValidationError(unknown)
        with transaction.atomic():
            disclosure = services.disclosure_record(
                takedown=takedown,
                account=account,
                data=fields["data"],
                user=request.user,
                received_at=fields.get("received_at"),
            )
            services.disclosures_record_access(
                disclosures=[disclosure], user=request.user, channel="api"
            )
        disclosure = self.get_queryset().get(pk=disclosure.pk)
        return Response(DisclosureSerializer(disclosure).data, status=status.HTTP_201_CREATED)

    def get_queryset(self):
        return selectors.disclosure_list()

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        services.disclosures_record_access(disclosures=page, user=request.user, channel="api")
        return self.get_paginated_response(DisclosureSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        disclosure = self.get_object()
        services.disclosures_record_access(
            disclosures=[disclosure], user=request.user, channel="api"
        )
        return Response(DisclosureSerializer(disclosure).data)


WEBHOOK_INPUT = {
    "name": "CERT case system",
    "url": "https://cases.example.org/hooks/tracker",
    "events": ["takedown.status_changed", "takedown.overdue"],
}


@extend_schema_view(
    list=extend_schema(
        summary="List webhook subscriptions", examples=[ex.example("A subscription", ex.WEBHOOK)]
    ),
    retrieve=extend_schema(
        summary="Get a webhook subscription", examples=[ex.example("A subscription", ex.WEBHOOK)]
    ),
    create=extend_schema(
        summary="Subscribe a URL to events",
        description=(
            "The signing secret is generated here and shown only in this response: keep it. "
            "Deliveries are POSTs signed with HMAC-SHA256 over the body."
        ),
        request=WebhookInputSerializer,
        responses={201: WebhookWithSecretSerializer},
        examples=[
            ex.example("Subscription", WEBHOOK_INPUT, request=True),
            ex.example("Created", {**ex.WEBHOOK, "secret": "x8Qp…(43 characters)"}),
        ],
    ),
    partial_update=extend_schema(
        summary="Change a webhook subscription",
        request=WebhookInputSerializer(partial=True),
        responses={200: WebhookSubscriptionSerializer},
        examples=[
            ex.example("Pause it", {"is_active": False}, request=True),
            ex.example("Changed", {**ex.WEBHOOK, "is_active": False}),
        ],
    ),
    destroy=extend_schema(summary="Delete a webhook subscription and its delivery log"),
    rotate_secret=extend_schema(
        summary="Replace the signing secret",
        description="The new secret is shown only in this response.",
        request=None,
        responses={200: WebhookWithSecretSerializer},
        examples=[ex.example("New secret", {**ex.WEBHOOK, "secret": "Zk3v…(43 characters)"})],
    ),
)
class WebhookViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, GenericViewSet
):
    """Webhook subscriptions of other systems (administrators manage, supervisors read)."""

    serializer_class = WebhookSubscriptionSerializer
    ordering_spec = WEBHOOK_ORDERING
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    required_permissions = {
        "list": ("takedowns.view_webhooksubscription",),
        "retrieve": ("takedowns.view_webhooksubscription",),
        "create": ("takedowns.add_webhooksubscription",),
        "partial_update": ("takedowns.change_webhooksubscription",),
        "rotate_secret": ("takedowns.change_webhooksubscription",),
        "destroy": ("takedowns.delete_webhooksubscription",),
    }

    def get_queryset(self):
        return selectors.webhook_subscription_list()

    def create(self, request):
        data = WebhookInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        subscription, secret = services.webhook_subscription_create(
            user=request.user, **data.validated_data
        )
        subscription.secret = secret
        return Response(WebhookWithSecretSerializer(subscription).data, status=201)

    def partial_update(self, request, pk=None):
        subscription = self.get_object()
        data = WebhookInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.webhook_subscription_update(
            subscription=subscription, user=request.user, **data.validated_data
        )
        return Response(WebhookSubscriptionSerializer(subscription).data)

    def perform_destroy(self, instance):
        services.webhook_subscription_delete(subscription=instance, user=self.request.user)

    @drf_action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        subscription, secret = services.webhook_subscription_rotate_secret(
            subscription=self.get_object(), user=request.user
        )
        subscription.secret = secret
        return Response(WebhookWithSecretSerializer(subscription).data)


@extend_schema_view(
    list=extend_schema(
        summary="A webhook subscription's deliveries",
        description="Every event sent or to be sent, newest first, with its last attempt.",
        examples=[ex.example("A delivery", ex.DELIVERY)],
    )
)
class WebhookDeliveryViewSet(mixins.ListModelMixin, GenericViewSet):
    """The delivery log of one subscription (read-only), at /webhooks/{id}/deliveries/."""

    serializer_class = WebhookDeliverySerializer
    filterset_class = WebhookDeliveryFilterSet
    ordering_spec = WEBHOOK_DELIVERY_ORDERING
    required_permissions = {"list": ("takedowns.view_webhooksubscription",)}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no URL
            return WebhookDelivery.objects.none()
        subscription = get_object_or_404(WebhookSubscription, pk=self.kwargs["subscription_pk"])
        return selectors.webhook_delivery_list(subscription=subscription)


@extend_schema_view(
    list=extend_schema(
        summary="My notifications",
        description="The caller's own in-app notifications, newest first; `unread=true` filters.",
        examples=[ex.example("A notification", ex.NOTIFICATION)],
    ),
    read=extend_schema(
        summary="Mark one notification read",
        request=None,
        responses={200: NotificationSerializer},
        examples=[
            ex.example(
                "Read", {**ex.NOTIFICATION, "read_at": "2026-02-03T11:00:00Z", "is_read": True}
            )
        ],
    ),
    read_all=extend_schema(
        summary="Mark all my notifications read",
        request=None,
        responses={200: MarkedReadSerializer},
        examples=[ex.example("Marked", {"marked": 3})],
    ),
)
class NotificationViewSet(mixins.ListModelMixin, GenericViewSet):
    """The current user's notifications; nobody sees another user's."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet
    ordering_spec = NOTIFICATION_ORDERING
    # Every user has notifications of their own: a login is all it takes.
    required_permissions = {"list": (), "read": (), "read_all": ()}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Notification.objects.none()
        return selectors.notification_list(user=self.request.user)

    @drf_action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        notifications.notification_mark_read(user=request.user, ids=[notification.pk])
        notification.refresh_from_db()
        return Response(NotificationSerializer(notification).data)

    @drf_action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": notifications.notification_mark_read(user=request.user)})

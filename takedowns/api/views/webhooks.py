"""API viewsets of webhook subscriptions and their delivery logs."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action as drf_action
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from ... import selectors, services
from ...filtersets import (
    WebhookDeliveryFilterSet,
)
from ...models import (
    WebhookDelivery,
    WebhookSubscription,
)
from ...orderings import (
    WEBHOOK_DELIVERY_ORDERING,
    WEBHOOK_ORDERING,
)
from .. import examples as ex
from ..serializers import (
    WebhookDeliverySerializer,
    WebhookInputSerializer,
    WebhookSubscriptionSerializer,
    WebhookWithSecretSerializer,
)

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
            ex.example("Created", {**ex.WEBHOOK, "secret": "x8Qp…(43 characters)"}),  # nosec B105
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
        examples=[
            ex.example("New secret", {**ex.WEBHOOK, "secret": "Zk3v…(43 characters)"}),  # nosec B105
        ],
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

"""API viewset of the caller's own notifications."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action as drf_action
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from ... import notifications, selectors
from ...filtersets import (
    NotificationFilterSet,
)
from ...models import (
    Notification,
)
from ...orderings import (
    NOTIFICATION_ORDERING,
)
from .. import examples as ex
from ..serializers import (
    MarkedReadSerializer,
    NotificationSerializer,
)


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

"""Routes of the takedown resources; tracker/api/urls.py mounts them under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .views.disclosures import DisclosureViewSet
from .views.notifications import NotificationViewSet
from .views.packages import TakedownPackageView
from .views.takedowns import PlatformViewSet, TakedownViewSet
from .views.webhooks import WebhookDeliveryViewSet, WebhookViewSet

router = SimpleRouter()
router.register("platforms", PlatformViewSet, basename="platform")
router.register("takedowns", TakedownViewSet, basename="takedown")
router.register("disclosures", DisclosureViewSet, basename="disclosure")
router.register("webhooks", WebhookViewSet, basename="webhook")
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = [
    path("takedowns/<int:pk>/package/", TakedownPackageView.as_view(), name="takedown-package"),
    *router.urls,
    path(
        "webhooks/<int:subscription_pk>/deliveries/",
        WebhookDeliveryViewSet.as_view({"get": "list"}),
        name="webhook-deliveries",
    ),
]

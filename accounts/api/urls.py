"""Routes of the accounts resources; tracker/api/urls.py mounts them under /api/v1/."""

from rest_framework.routers import SimpleRouter

from .mirror_views import MirrorCheckViewSet
from .views import AccountViewSet, DesignationViewSet, GroupViewSet, MirrorCandidateViewSet

router = SimpleRouter()
router.register("groups", GroupViewSet, basename="group")
router.register("designations", DesignationViewSet, basename="designation")
router.register("accounts", AccountViewSet, basename="account")
router.register("mirror-candidates", MirrorCandidateViewSet, basename="mirror-candidate")
router.register("mirror-check", MirrorCheckViewSet, basename="mirror-check")

urlpatterns = router.urls

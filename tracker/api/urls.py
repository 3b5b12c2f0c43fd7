"""The API: v1 resources of every app under /api/v1/, the schema and its docs under /api/.

Route names live in the "api" namespace: "api:account-list", "api:takedown-detail",
"api:takedown-approve", "api:stats", "api:schema", "api:docs"...
"""

from django.urls import include, path, re_path
from rest_framework.routers import SimpleRouter

from accounts.api.urls import router as accounts_router
from sharing.api.urls import urlpatterns as sharing_urls
from takedowns.api.urls import urlpatterns as takedowns_urls
from tracker.reports.api import ComplianceReportViewSet

from .views import ApiRootView, MeView, SchemaView, StatsView, not_found, redoc_view, swagger_view

app_name = "api"

reports_router = SimpleRouter()
reports_router.register("reports", ComplianceReportViewSet, basename="report")

v1 = [
    path("", ApiRootView.as_view(), name="root"),
    path("stats/", StatsView.as_view(), name="stats"),
    path("me/", MeView.as_view(), name="me"),
    *accounts_router.urls,
    *takedowns_urls,
    *reports_router.urls,
    *sharing_urls,
    re_path(r"^.*$", not_found),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", swagger_view, name="docs"),
    path("redoc/", redoc_view, name="redoc"),
]

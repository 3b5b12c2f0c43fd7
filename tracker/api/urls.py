"""The API: v1 resources of every app under /api/v1/, the schema and its docs under /api/.

Route names live in the "api" namespace: "api:account-list", "api:takedown-detail",
"api:takedown-approve", "api:stats", "api:schema", "api:docs"...
"""

from django.urls import include, path, re_path

from accounts.api.urls import router as accounts_router
from takedowns.api.urls import urlpatterns as takedowns_urls

from .views import ApiRootView, MeView, SchemaView, StatsView, not_found, redoc_view, swagger_view

app_name = "api"

v1 = [
    path("", ApiRootView.as_view(), name="root"),
    path("stats/", StatsView.as_view(), name="stats"),
    path("me/", MeView.as_view(), name="me"),
    *accounts_router.urls,
    *takedowns_urls,
    re_path(r"^.*$", not_found),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", swagger_view, name="docs"),
    path("redoc/", redoc_view, name="redoc"),
]

"""TAXII 2.1 routes: tracker/urls.py mounts them at /taxii2/ (the specification's discovery)."""

from django.urls import path

from . import views

app_name = "taxii"

urlpatterns = [
    path("", views.DiscoveryView.as_view(), name="discovery"),
    path("api/", views.ApiRootView.as_view(), name="root"),
    path("api/collections/", views.CollectionListView.as_view(), name="collections"),
    path("api/collections/<uuid:pk>/", views.CollectionView.as_view(), name="collection"),
    path("api/collections/<uuid:pk>/objects/", views.ObjectsView.as_view(), name="objects"),
    path(
        "api/collections/<uuid:pk>/objects/<str:object_id>/",
        views.ObjectView.as_view(),
        name="object",
    ),
    path(
        "api/collections/<uuid:pk>/objects/<str:object_id>/versions/",
        views.ObjectVersionsView.as_view(),
        name="object_versions",
    ),
    path("api/collections/<uuid:pk>/manifest/", views.ManifestView.as_view(), name="manifest"),
]

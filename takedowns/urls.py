from django.urls import path

from . import mirror_views, views
from .letters.views import takedown_package

app_name = "takedowns"

urlpatterns = [
    path("", views.takedown_list, name="list"),
    path("new/", views.takedown_new, name="new"),
    path("export.csv", views.takedown_export, {"kind": "csv"}, name="export"),
    path("export.xlsx", views.takedown_export, {"kind": "xlsx"}, name="export_xlsx"),
    path("mirrors/<int:candidate_pk>/draft/", mirror_views.mirror_draft, name="mirror_draft"),
    path("<int:pk>/", views.takedown_detail, name="detail"),
    path("<int:pk>/disclosures/", views.disclosure_add, name="disclosure_add"),
    path(
        "<int:pk>/disclosures/<int:disclosure_pk>/",
        views.disclosure_show,
        name="disclosure_show",
    ),
    path("<int:pk>/package/", takedown_package, name="package"),
    path("<int:pk>/<slug:action>/", views.takedown_action, name="action"),
]

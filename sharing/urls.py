"""Pages of the sharing app (exports, the feeds page): included at /sharing/."""

from django.urls import path

app_name = "sharing"

urlpatterns: list = []

# stix
from . import views_share  # noqa: E402

urlpatterns += [
    path("export/<slug:fmt>/accounts/", views_share.share_accounts, name="share_accounts"),
    path("export/<slug:fmt>/groups/<int:pk>/", views_share.share_group, name="share_group"),
    path(
        "export/<slug:fmt>/takedowns/<int:pk>/",
        views_share.share_takedown,
        name="share_takedown",
    ),
    path("stix/import/", views_share.stix_import_page, name="stix_import"),
    path("stix/import/confirm/", views_share.stix_import_confirm, name="stix_import_confirm"),
]

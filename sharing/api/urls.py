"""API routes of the sharing app, mounted under /api/v1/ by tracker/api/urls.py."""

from django.urls import path

urlpatterns: list = []

# stix
from sharing.stix.api import StixImportView  # noqa: E402

urlpatterns += [
    path("stix/imports/", StixImportView.as_view(), name="stix-import"),
]

"""API routes of the sharing app, mounted under /api/v1/ by tracker/api/urls.py."""

from django.urls import path

from sharing.feeds.api import FeedCsvDownloadView, FeedJsonDownloadView, FeedPageView
from sharing.stix.api import StixImportView

urlpatterns: list = [
    # feeds
    path("feeds/<slug:platform>/", FeedPageView.as_view(), name="feed-page"),
    path("feeds/<slug:platform>/signals.csv", FeedCsvDownloadView.as_view(), name="feed-csv"),
    path("feeds/<slug:platform>/signals.json", FeedJsonDownloadView.as_view(), name="feed-json"),
    # stix
    path("stix/imports/", StixImportView.as_view(), name="stix-import"),
]

"""Pages of the sharing app (exports, the feeds page): included at /sharing/."""

from django.urls import path

from sharing.feeds import views as feed_views

from . import views_share

app_name = "sharing"

urlpatterns: list = [
    # feeds
    path("feeds/", feed_views.feeds_page, name="feeds"),
    path("feeds/<slug:platform>/rotate-key/", feed_views.feed_key_rotate_view, name="feed_rotate"),
    path("feeds/<slug:platform>/tokens/", feed_views.feed_token_issue_view, name="feed_token"),
    path(
        "feeds/tokens/<int:pk>/revoke/", feed_views.feed_token_revoke_view, name="feed_token_revoke"
    ),
    # stix
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

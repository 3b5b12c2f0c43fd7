"""Pages of the sharing app (exports, the feeds page): included at /sharing/."""

from django.urls import path

from sharing.feeds import views as feed_views

app_name = "sharing"

urlpatterns: list = [
    # feeds
    path("feeds/", feed_views.feeds_page, name="feeds"),
    path("feeds/<slug:platform>/rotate-key/", feed_views.feed_key_rotate_view, name="feed_rotate"),
    path("feeds/<slug:platform>/tokens/", feed_views.feed_token_issue_view, name="feed_token"),
    path(
        "feeds/tokens/<int:pk>/revoke/", feed_views.feed_token_revoke_view, name="feed_token_revoke"
    ),
]

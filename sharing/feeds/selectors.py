"""Reads of the feeds page: every platform with its feed, active key, tokens and pulls."""

from django.db.models import Count, OuterRef, Prefetch, Subquery

from accounts.models import Platform

from ..models import FeedKey, FeedPull, FeedToken

RECENT_PULLS = 20


def feeds_overview() -> list[Platform]:
    """Platforms with `feed` (or None), `active_keys`, `feed_tokens` (each with its pull count
    and last pull time) and the feed's last pull time; a fixed number of queries."""
    last_pull = FeedPull.objects.filter(feed__platform=OuterRef("pk")).order_by("-at")
    token_last_pull = FeedPull.objects.filter(token=OuterRef("pk")).order_by("-at")
    tokens = FeedToken.objects.annotate(
        pull_count=Count("pulls"), last_pulled_at=Subquery(token_last_pull.values("at")[:1])
    ).select_related("created_by")
    return list(
        Platform.objects.select_related("feed")
        .annotate(
            last_pulled_at=Subquery(last_pull.values("at")[:1]),
            last_pull_format=Subquery(last_pull.values("format")[:1]),
            last_pull_cursor=Subquery(last_pull.values("next_cursor")[:1]),
        )
        .prefetch_related(
            Prefetch(
                "feed__keys",
                queryset=FeedKey.objects.filter(retired_at__isnull=True),
                to_attr="active_keys",
            ),
            Prefetch("feed__tokens", queryset=tokens, to_attr="feed_tokens"),
        )
        .order_by("name")
    )


def recent_pulls(limit: int = RECENT_PULLS):
    return FeedPull.objects.select_related("feed__platform", "token").order_by("-at", "-pk")[:limit]

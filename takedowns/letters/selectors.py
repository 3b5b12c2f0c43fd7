"""Reads for a request package: the template that applies and the accounts with evidence."""

from django.db.models import Prefetch, Q

from accounts.models import Evidence

from ..models import TakedownItem, TakedownRequest
from .models import LetterTemplate


def letter_template_for(*, takedown: TakedownRequest) -> LetterTemplate | None:
    """The most specific template: platform and kind, platform only, kind only, then the
    default for any platform and kind."""
    candidates = LetterTemplate.objects.filter(
        Q(platform=takedown.platform) | Q(platform__isnull=True),
        Q(kind=takedown.kind) | Q(kind=""),
    )
    return min(
        candidates,
        key=lambda t: (t.platform_id is None, t.kind == ""),
        default=None,
    )


def package_items(*, takedown: TakedownRequest) -> list[TakedownItem]:
    """The request's items with account, groups and evidence (oldest first) loaded."""
    return list(
        takedown.items.select_related("account__platform")
        .prefetch_related(
            "account__groups",
            Prefetch("account__evidence", queryset=Evidence.objects.order_by("captured_at", "pk")),
        )
        .order_by("pk")
    )

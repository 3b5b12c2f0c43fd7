"""Reads of takedown requests with the joins their callers need."""

from django.db.models import Count, Q, QuerySet

from .choices import ItemOutcome
from .models import TakedownRequest


def takedown_list(*, filters: dict | None = None) -> QuerySet[TakedownRequest]:
    """Requests with platform and people loaded and item counts annotated."""
    from .filtersets import TakedownRequestFilterSet

    qs = TakedownRequest.objects.select_related(
        "platform", "created_by", "approved_by", "submitted_by"
    ).annotate(
        item_count=Count("items"),
        pending_count=Count("items", filter=Q(items__outcome=ItemOutcome.PENDING)),
    )
    if filters:
        qs = TakedownRequestFilterSet(filters, queryset=qs).qs
    return qs


def takedown_detail(*, pk: int) -> TakedownRequest:
    """One request with its items, accounts and timeline loaded."""
    return (
        TakedownRequest.objects.select_related(
            "platform", "created_by", "approved_by", "submitted_by"
        )
        .prefetch_related("items__account__platform", "events__actor")
        .get(pk=pk)
    )

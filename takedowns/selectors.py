"""Reads of takedown requests with the joins their callers need."""

from django.db.models import F, Func, IntegerField, OuterRef, QuerySet, Subquery

from .choices import ItemOutcome
from .models import TakedownItem, TakedownRequest


def _item_count(**filters) -> Subquery:
    # COUNT as a plain function, not an aggregate: no GROUP BY in the subquery, and a request
    # without items counts 0 rather than NULL.
    counted = (
        TakedownItem.objects.filter(request_id=OuterRef("pk"), **filters)
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    return Subquery(counted, output_field=IntegerField())


def takedown_list(*, filters: dict | None = None) -> QuerySet[TakedownRequest]:
    """Requests with platform and people loaded and item counts annotated."""
    from .filtersets import TakedownRequestFilterSet

    # Correlated counts rather than JOIN + GROUP BY: the database counts the items of the
    # rows on the page only, instead of grouping every request before it can sort and limit.
    qs = TakedownRequest.objects.select_related(
        "platform", "created_by", "approved_by", "submitted_by"
    ).annotate(
        item_count=_item_count(),
        pending_count=_item_count(outcome=ItemOutcome.PENDING),
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

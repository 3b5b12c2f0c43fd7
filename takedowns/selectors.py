"""Reads of the takedowns app with the joins their callers need: the staff pages and the API
each read their lists here, so a selector says what its reader loads."""

from django.db.models import (
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
)

from accounts.models import Platform

from .choices import WITH_PLATFORM_STATUSES, ItemOutcome, RequestStatus
from .filtersets import TakedownRequestFilterSet
from .models import (
    Disclosure,
    Notification,
    TakedownItem,
    TakedownRequest,
    WebhookDelivery,
    WebhookSubscription,
)

PEOPLE = ("created_by", "approved_by", "submitted_by")


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


def _with_item_counts() -> QuerySet[TakedownRequest]:
    # Correlated counts rather than JOIN + GROUP BY: the database counts the items of the
    # rows on the page only, instead of grouping every request before it can sort and limit.
    return TakedownRequest.objects.annotate(
        item_count=_item_count(),
        pending_count=_item_count(outcome=ItemOutcome.PENDING),
    )


def _filtered(qs: QuerySet, filters: dict | None) -> QuerySet:
    return TakedownRequestFilterSet(filters, queryset=qs).qs if filters else qs


def takedown_list(*, filters: dict | None = None) -> QuerySet[TakedownRequest]:
    """Requests with platform and people loaded and item counts annotated (the pages)."""
    qs = _with_item_counts().select_related("platform", *PEOPLE)
    return _filtered(qs, filters)


def takedown_api_list(*, filters: dict | None = None) -> QuerySet[TakedownRequest]:
    """Requests as the API lists them: item counts, and the platform's slug and people's
    names as plain columns (`platform_slug`, `created_by_name`...): building four related
    objects per row was a good part of a list's time."""
    qs = _with_item_counts().annotate(
        platform_slug=F("platform__slug"),
        **{f"{person}_name": F(f"{person}__username") for person in PEOPLE},
    )
    return _filtered(qs, filters)


def takedown_api_detail_list() -> QuerySet[TakedownRequest]:
    """Requests as the API shows one: as listed, with the items and their accounts."""
    return takedown_api_list().prefetch_related(
        Prefetch("items", TakedownItem.objects.select_related("account__platform"))
    )


def takedown_export_list(takedowns: QuerySet[TakedownRequest]) -> QuerySet[TakedownRequest]:
    """Filtered requests as the export writes them (takedowns/exports.py): in the order they
    were drafted, platform and people joined, each request's items with their accounts'
    handles (prefetched per chunk when iterated)."""
    items = TakedownItem.objects.select_related("account").only(
        "id", "request_id", "outcome", "account__handle"
    )
    return (
        takedowns.select_related("platform", *PEOPLE)
        .prefetch_related(Prefetch("items", items.order_by("id")))
        .order_by("id")
    )


def takedown_detail(*, pk: int) -> TakedownRequest:
    """One request with its items, accounts and timeline loaded."""
    return (
        TakedownRequest.objects.select_related("platform", *PEOPLE)
        .prefetch_related("items__account__platform", "events__actor")
        .get(pk=pk)
    )


def platform_list() -> QuerySet[Platform]:
    """Platforms with their deadlines."""
    return Platform.objects.prefetch_related("deadlines")


def disclosure_list() -> QuerySet[Disclosure]:
    """Disclosures with their request, account and recorder loaded (never logged here: the
    caller logs what it shows)."""
    return Disclosure.objects.select_related("request", "account__platform", "recorded_by")


def webhook_subscription_list() -> QuerySet[WebhookSubscription]:
    return WebhookSubscription.objects.select_related("created_by")


def webhook_delivery_list(*, subscription: WebhookSubscription) -> QuerySet[WebhookDelivery]:
    """One subscription's delivery log."""
    return subscription.deliveries.all()


def notification_list(*, user) -> QuerySet[Notification]:
    """The user's own notifications."""
    return Notification.objects.filter(user=user)


def fast_track() -> Exists:
    """True for a request about a confirmed mirror of a removed account."""
    return Exists(
        TakedownItem.objects.filter(request_id=OuterRef("pk"), account__mirror_of__isnull=False)
    )


def deadlines_next(queryset: QuerySet[TakedownRequest]) -> QuerySet[TakedownRequest]:
    """Requests with their platform whose deadline has not passed, the soonest first."""
    return (
        queryset.filter(status__in=WITH_PLATFORM_STATUSES, due_at__isnull=False)
        .not_overdue()
        .order_by("due_at", "id")
    )


def approval_queue(queryset: QuerySet[TakedownRequest]) -> QuerySet[TakedownRequest]:
    """Requests awaiting approval, fast-tracked ones first, then the oldest first."""
    return (
        queryset.filter(status=RequestStatus.PENDING_APPROVAL)
        .annotate(fast_track=fast_track())
        .order_by("-fast_track", "created_at", "id")
    )

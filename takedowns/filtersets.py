"""FilterSets for takedown requests, shared by the staff UI and the API."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import FlaggedAccount, Platform, ProscribedGroup
from core.filters import StorableDateTimeFilter

from .choices import Priority, RequestKind, RequestStatus
from .models import Disclosure, Notification, TakedownItem, TakedownRequest, WebhookDelivery


class TakedownRequestFilterSet(django_filters.FilterSet):
    platform = django_filters.ModelMultipleChoiceFilter(
        to_field_name="slug",
        queryset=Platform.objects.all(),
        label=_("Platform"),
        method="filter_platform",
    )
    # distinct=False: a filter on the request's own column cannot repeat a row, and DISTINCT
    # would make the database sort every match before it can return a page.
    status = django_filters.MultipleChoiceFilter(
        choices=RequestStatus.choices, label=_("Status"), distinct=False
    )
    kind = django_filters.ChoiceFilter(choices=RequestKind.choices, label=_("Kind"))
    priority = django_filters.ChoiceFilter(choices=Priority.choices, label=_("Priority"))
    group = django_filters.ModelChoiceFilter(
        queryset=ProscribedGroup.objects.all(), method="filter_group", label=_("Group")
    )
    created_by = django_filters.CharFilter(field_name="created_by__username", label=_("Drafted by"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    due_before = StorableDateTimeFilter(
        field_name="due_at", lookup_expr="lt", label=_("Due before")
    )
    due_after = StorableDateTimeFilter(field_name="due_at", lookup_expr="gte", label=_("Due after"))
    created_after = StorableDateTimeFilter(
        field_name="created_at", lookup_expr="gte", label=_("Created from")
    )
    created_before = StorableDateTimeFilter(
        field_name="created_at", lookup_expr="lt", label=_("Created before")
    )
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))

    class Meta:
        model = TakedownRequest
        fields = ["platform", "status", "kind", "priority", "group", "created_by", "overdue", "q"]

    def filter_platform(self, queryset, name, value):
        # By id, not by joining on the slug, so the (platform, status, ...) index serves it.
        return queryset.filter(platform__in=value) if value else queryset

    def filter_group(self, queryset, name, value):
        through = FlaggedAccount.groups.through
        in_group = through.objects.filter(proscribedgroup_id=value.pk).values("flaggedaccount_id")
        return queryset.filter(
            Exists(TakedownItem.objects.filter(request_id=OuterRef("pk"), account_id__in=in_group))
        )

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset.not_overdue()

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        match = Q(platform_ticket__icontains=value) | Q(legal_basis__icontains=value)
        ref = value.upper().removeprefix("TR-")
        if ref.isdigit():
            match |= Q(pk=int(ref))
        accounts = FlaggedAccount.objects.filter(
            Q(handle_normalized__contains=value.casefold().lstrip("@"))
            | Q(display_name__icontains=value)
        ).values("pk")
        match |= Exists(
            TakedownItem.objects.filter(request_id=OuterRef("pk"), account_id__in=accounts)
        )
        return queryset.filter(match)


class DisclosureFilterSet(django_filters.FilterSet):
    request = django_filters.NumberFilter(field_name="request_id", label=_("Request"))
    account = django_filters.NumberFilter(field_name="account_id", label=_("Account"))

    class Meta:
        model = Disclosure
        fields = ["request", "account"]


class WebhookDeliveryFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=WebhookDelivery.Status.choices, label=_("Status"))
    event = django_filters.CharFilter(label=_("Event"))

    class Meta:
        model = WebhookDelivery
        fields = ["status", "event"]


class NotificationFilterSet(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", label=_("Unread")
    )
    kind = django_filters.CharFilter(label=_("Kind"))

    class Meta:
        model = Notification
        fields = ["unread", "kind"]

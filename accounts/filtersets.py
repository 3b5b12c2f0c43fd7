"""One FilterSet per model, shared by the staff UI list views and the API."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.filters import StorableDateTimeFilter

from .choices import AccountStatus, Authority, MirrorStatus
from .handles import normalize_handle
from .models import Designation, FlaggedAccount, MirrorCandidate, Platform, ProscribedGroup


class FlaggedAccountFilterSet(django_filters.FilterSet):
    platform = django_filters.ModelMultipleChoiceFilter(
        to_field_name="slug",
        queryset=Platform.objects.all(),
        label=_("Platform"),
        method="filter_platform",
    )
    status = django_filters.MultipleChoiceFilter(
        choices=AccountStatus.choices, label=_("Status"), distinct=False
    )
    group = django_filters.ModelChoiceFilter(
        field_name="groups",
        queryset=ProscribedGroup.objects.all(),
        label=_("Group"),
        distinct=False,
        method="filter_group",
    )
    authority = django_filters.ChoiceFilter(
        choices=Authority.choices, method="filter_authority", label=_("Designated by")
    )
    flagged_by = django_filters.CharFilter(field_name="flagged_by__username", label=_("Flagged by"))
    first_seen_after = StorableDateTimeFilter(
        field_name="first_seen_at", lookup_expr="gte", label=_("First seen from")
    )
    first_seen_before = StorableDateTimeFilter(
        field_name="first_seen_at", lookup_expr="lt", label=_("First seen before")
    )
    tag = django_filters.CharFilter(field_name="tags__name", label=_("Tag"), distinct=True)
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))

    class Meta:
        model = FlaggedAccount
        fields = ["platform", "status", "group", "authority", "flagged_by", "tag", "q"]

    def filter_platform(self, queryset, name, value):
        # By id, not by joining on the slug, so the (platform, status, ...) index serves it.
        return queryset.filter(platform__in=value) if value else queryset

    # EXISTS instead of joins keeps one row per account without DISTINCT, which keeps
    # cursor pagination on an index.
    def filter_group(self, queryset, name, value):
        if not value:
            return queryset
        through = FlaggedAccount.groups.through
        return queryset.filter(
            Exists(
                through.objects.filter(
                    flaggedaccount_id=OuterRef("pk"), proscribedgroup_id=value.pk
                )
            )
        )

    def filter_authority(self, queryset, name, value):
        through = FlaggedAccount.groups.through
        designated = Designation.objects.filter(authority=value, delisted_on__isnull=True).values(
            "group_id"
        )
        return queryset.filter(
            Exists(
                through.objects.filter(
                    flaggedaccount_id=OuterRef("pk"), proscribedgroup_id__in=designated
                )
            )
        )

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        handle = normalize_handle(value)
        through = FlaggedAccount.groups.through
        groups = ProscribedGroup.objects.filter(
            Q(name__icontains=value) | Q(aliases__name__icontains=value)
        ).values("pk")
        return queryset.filter(
            Q(handle_normalized__contains=handle)
            # Facebook keys drop dots (john.smith and johnsmith are one vanity name).
            | Q(platform__slug="facebook", handle_normalized__contains=handle.replace(".", ""))
            | Q(display_name__icontains=value)
            | Exists(
                through.objects.filter(
                    flaggedaccount_id=OuterRef("pk"), proscribedgroup_id__in=groups
                )
            )
        )


class ProscribedGroupFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Name or alias"))
    authority = django_filters.ChoiceFilter(
        choices=Authority.choices, method="filter_authority", label=_("Designated by")
    )
    country = django_filters.CharFilter(lookup_expr="iexact", label=_("Country"))

    class Meta:
        model = ProscribedGroup
        fields = ["q", "authority", "country"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(pk__in=ProscribedGroup.objects.search(value).values("pk"))

    def filter_authority(self, queryset, name, value):
        current = Designation.objects.filter(
            group_id=OuterRef("pk"), authority=value, delisted_on__isnull=True
        )
        return queryset.filter(Exists(current))


class DesignationFilterSet(django_filters.FilterSet):
    authority = django_filters.MultipleChoiceFilter(
        choices=Authority.choices, label=_("Authority"), distinct=False
    )
    group = django_filters.ModelChoiceFilter(
        queryset=ProscribedGroup.objects.all(), label=_("Group")
    )
    current = django_filters.BooleanFilter(
        field_name="delisted_on", lookup_expr="isnull", label=_("Still listed")
    )
    listed_after = django_filters.DateFilter(
        field_name="listed_on", lookup_expr="gte", label=_("Listed from")
    )
    listed_before = django_filters.DateFilter(
        field_name="listed_on", lookup_expr="lt", label=_("Listed before")
    )
    reference = django_filters.CharFilter(lookup_expr="iexact", label=_("List reference"))

    class Meta:
        model = Designation
        fields = ["authority", "group", "current", "listed_after", "listed_before", "reference"]


class MirrorCandidateFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=MirrorStatus.choices, label=_("Status"), distinct=False
    )
    platform = django_filters.ModelMultipleChoiceFilter(
        to_field_name="slug",
        queryset=Platform.objects.all(),
        label=_("Platform"),
        method="filter_platform",
    )

    class Meta:
        model = MirrorCandidate
        fields = ["status", "platform"]

    def filter_platform(self, queryset, name, value):
        return queryset.filter(account__platform__in=value) if value else queryset

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Designation,
    DesignationImport,
    Evidence,
    FlaggedAccount,
    GroupAlias,
    GroupMatchReview,
    MirrorCandidate,
    Platform,
    ProscribedGroup,
    Tag,
)


@admin.register(Platform)
class PlatformAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "adapter", "rate_limit_per_minute", "is_active"]
    list_filter = ["adapter", "is_active"]
    search_fields = ["name", "slug"]

    def get_inlines(self, request, obj):
        from takedowns.admin import PlatformDeadlineInline

        return [PlatformDeadlineInline]


class GroupAliasInline(admin.TabularInline):
    model = GroupAlias
    extra = 0
    fields = ["name"]


class DesignationInline(admin.TabularInline):
    model = Designation
    extra = 0
    fields = [
        "authority",
        "reference",
        "name_as_listed",
        "listed_on",
        "delisted_on",
        "source_record_id",
    ]


@admin.register(ProscribedGroup)
class ProscribedGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "country", "updated_at"]
    search_fields = ["name", "aliases__name", "designations__reference"]
    list_filter = ["designations__authority", "country"]
    inlines = [GroupAliasInline, DesignationInline]


@admin.register(Designation)
class DesignationAdmin(SimpleHistoryAdmin):
    list_display = ["group", "authority", "reference", "listed_on", "delisted_on"]
    list_filter = ["authority", ("delisted_on", admin.EmptyFieldListFilter)]
    search_fields = ["group__name", "reference", "name_as_listed", "source_record_id"]
    list_select_related = ["group"]
    autocomplete_fields = ["group"]


@admin.register(DesignationImport)
class DesignationImportAdmin(admin.ModelAdmin):
    list_display = [
        "source",
        "file_name",
        "status",
        "started_at",
        "created_count",
        "updated_count",
        "delisted_count",
        "unchanged_count",
        "skipped_count",
        "review_count",
    ]
    list_filter = ["source", "status"]
    readonly_fields = [f.name for f in DesignationImport._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(GroupMatchReview)
class GroupMatchReviewAdmin(admin.ModelAdmin):
    list_display = ["designation", "candidate", "score", "status"]
    list_filter = ["status"]
    list_select_related = ["designation", "candidate"]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["kind", "file", "url", "sha256", "captured_by", "captured_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(FlaggedAccount)
class FlaggedAccountAdmin(SimpleHistoryAdmin):
    list_display = ["handle", "platform", "status", "display_name", "first_seen_at", "flagged_by"]
    list_filter = ["platform", "status", "groups"]
    search_fields = ["handle", "handle_normalized", "display_name", "platform_account_id"]
    list_select_related = ["platform", "flagged_by"]
    autocomplete_fields = ["groups", "mirror_of"]
    readonly_fields = ["handle_normalized", "handle_stem", "created_at", "updated_at"]
    inlines = [EvidenceInline]
    date_hierarchy = "first_seen_at"


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["account", "kind", "sha256", "captured_by", "captured_at"]
    list_filter = ["kind"]
    search_fields = ["sha256", "account__handle"]
    list_select_related = ["account__platform", "captured_by"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MirrorCandidate)
class MirrorCandidateAdmin(SimpleHistoryAdmin):
    list_display = ["account", "removed_account", "score", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["account__platform", "removed_account__platform"]
    raw_id_fields = ["account", "removed_account"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from core.errors import DomainError

from .choices import DesignationSource
from .importers.base import MAX_BYTES
from .importers.sources import ListFile
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
from .services.designation_imports import designation_import, group_match_decide


@admin.register(Platform)
class PlatformAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "adapter", "rate_limit_per_minute", "is_active"]
    list_filter = ["adapter", "is_active"]
    search_fields = ["name", "slug"]


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


class DesignationUploadForm(forms.Form):
    """A list file to import: uploaded, or fetched from its official URL."""

    source = forms.ChoiceField(label=gettext_lazy("source"), choices=DesignationSource.choices)
    file = forms.FileField(label=gettext_lazy("list file"), required=False)
    alt_file = forms.FileField(
        label=gettext_lazy("OFAC alt.csv"),
        required=False,
        help_text=gettext_lazy("With OFAC's sdn.csv only: the alt.csv of aliases beside it."),
    )
    url = forms.URLField(
        label=gettext_lazy("or its URL"), required=False, assume_scheme="https", max_length=500
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("file")) == bool(data.get("url")):
            raise forms.ValidationError(_("Upload a file or give its URL (one of the two)."))
        if data.get("alt_file") and (data.get("source") != "ofac" or not data.get("file")):
            raise forms.ValidationError(_("An alt.csv goes with an uploaded OFAC sdn.csv only."))
        for field in ("file", "alt_file"):
            upload = data.get(field)
            if upload and upload.size > MAX_BYTES:
                self.add_error(
                    field,
                    _("The file is larger than the %(mb)d MB limit for a list file.")
                    % {"mb": MAX_BYTES // (1024 * 1024)},
                )
        return data

    def list_file(self) -> ListFile | None:
        """The uploaded file(s), or None when a URL was given."""
        upload, alt = self.cleaned_data.get("file"), self.cleaned_data.get("alt_file")
        if not upload:
            return None
        return ListFile(
            name=upload.name,
            data=upload.read(),
            alt_name=alt.name if alt else "",
            alt_data=alt.read() if alt else None,
        )


class GroupMatchReviewInline(admin.TabularInline):
    model = GroupMatchReview
    extra = 0
    fields = ["designation", "candidate", "score", "matched_name", "status", "decided_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DesignationImport)
class DesignationImportAdmin(admin.ModelAdmin):
    """Import runs, read-only; "Add" uploads a list file (or gives its URL) and imports it."""

    list_display = [
        "source",
        "file_name",
        "status",
        "started_at",
        "started_by",
        "created_count",
        "updated_count",
        "delisted_count",
        "unchanged_count",
        "skipped_count",
        "review_count",
    ]
    list_filter = ["source", "status"]
    list_select_related = ["started_by"]
    readonly_fields = [f.name for f in DesignationImport._meta.fields]
    inlines = [GroupMatchReviewInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = DesignationUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                run = designation_import(
                    source=form.cleaned_data["source"],
                    path_or_url=form.cleaned_data["url"] or None,
                    list_file=form.list_file(),
                    user=request.user,
                    notify=lambda text: messages.info(request, text),
                )
            except DomainError as exc:
                messages.error(request, exc.message)
                import_id = exc.extra.get("import_id")
                if import_id is None:
                    return redirect(request.path)
            else:
                messages.success(request, _("Imported: %s.") % run.summary)
                import_id = run.pk
            return redirect(reverse("admin:accounts_designationimport_change", args=[import_id]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import a designation list"),
            "form": form,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/accounts/designationimport/upload.html", context)


@admin.register(GroupMatchReview)
class GroupMatchReviewAdmin(admin.ModelAdmin):
    """The review queue; decisions only through the actions, which call the service."""

    list_display = ["designation", "candidate", "score", "matched_name", "status", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["designation", "candidate", "decided_by"]
    readonly_fields = [
        "import_run",
        "designation",
        "candidate",
        "score",
        "matched_name",
        "status",
        "decided_by",
        "decided_at",
    ]
    actions = ["merge_selected", "keep_selected_apart"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(
        description=gettext_lazy("Merge into the candidate group"), permissions=["change"]
    )
    def merge_selected(self, request, queryset):
        self._decide(request, queryset, merge=True)

    @admin.action(
        description=gettext_lazy("Keep apart from the candidate group"), permissions=["change"]
    )
    def keep_selected_apart(self, request, queryset):
        self._decide(request, queryset, merge=False)

    def _decide(self, request, queryset, *, merge: bool) -> None:
        done = 0
        for review in queryset.order_by("-score", "pk"):
            try:
                group_match_decide(review=review, user=request.user, merge=merge)
            except DomainError as exc:
                messages.error(request, f"{review}: {exc.message}")
            else:
                done += 1
        if done:
            messages.success(request, _("%(count)d match(es) decided.") % {"count": done})


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


# The mirror engine's tables (read only).
from . import mirror_admin  # noqa: E402, F401

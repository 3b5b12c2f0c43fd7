"""Admin screens of the mirror engine's tables: read only. The watch list is derived from the
removed accounts, scoring models come from the refit, suppressions from the review page; each
of those writes goes through its service (audited), never through the admin. Django's view
permission of each model decides who sees them. The blocking keys (WatchKey) are hashes that
say nothing to a reader: the watch-list signals they come from are shown instead."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdmin

from .mirrors.models import MirrorModel, SuppressedSignal, WatchSignal


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    """Read only, with the change history simple-history keeps."""


@admin.register(WatchSignal)
class WatchSignalAdmin(ReadOnlyAdmin):
    list_display = ["account", "kind", "value", "created_at"]
    list_filter = ["kind"]
    search_fields = ["value", "account__handle"]
    list_select_related = ["account__platform"]
    raw_id_fields = ["account"]
    show_full_result_count = False  # a count of millions of rows on every page is slow


@admin.register(MirrorModel)
class MirrorModelAdmin(ReadOnlyHistoryAdmin):
    list_display = ["version", "active", "precision", "recall", "trained_on", "created_at"]
    list_filter = ["active"]


@admin.register(SuppressedSignal)
class SuppressedSignalAdmin(ReadOnlyHistoryAdmin):
    list_display = ["kind", "value", "by", "at", "reason"]
    list_filter = ["kind"]
    search_fields = ["value", "reason"]
    list_select_related = ["by"]

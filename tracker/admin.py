from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import StreamingHttpResponse
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin

from .models import ApiToken, OutboxMessage, SecurityEvent, User, WorkerHeartbeat
from .security_log import security_events_csv, security_record


@admin.register(User)
class TrackerUserAdmin(UserAdmin):
    fieldsets = [
        *UserAdmin.fieldsets,
        ("Preferences", {"fields": ["language", "time_zone", "email_notifications"]}),
    ]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "user",
        "prefix",
        "scope",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    list_filter = ["scope"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Task calls waiting for the broker; the outbox drain publishes them."""

    list_display = ["task_name", "created_at", "attempts", "last_error"]
    readonly_fields = [
        "task_name",
        "args",
        "kwargs",
        "options",
        "created_at",
        "attempts",
        "last_error",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["hostname", "seen_at"]
    readonly_fields = ["hostname", "seen_at"]

    def has_add_permission(self, request):
        return False


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    """The security log: administrators read and export it; nobody adds, changes or deletes."""

    list_display = ["at", "kind", "username", "address", "object_type", "object_id", "detail"]
    list_filter = ["kind", "at"]
    search_fields = ["username", "address", "object_id", "detail"]
    date_hierarchy = "at"
    actions = ["export_csv"]

    @admin.action(description=_("Export the selected events as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        response = StreamingHttpResponse(
            security_events_csv(queryset.iterator(chunk_size=1000)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="security-log.csv"'
        security_record(SecurityEvent.Kind.EXPORT, request=request, detail="security-log.csv")
        return response

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import ApiToken, OutboxMessage, User, WorkerHeartbeat


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

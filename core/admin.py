"""Admin building blocks shared by every app."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Listed and opened with the view permission; nothing added, changed or deleted (records a
    service writes, audited, or that are append-only)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin import PlatformAdmin
from accounts.models import Platform

from .models import (
    Disclosure,
    DisclosureAccess,
    Notification,
    PlatformDeadline,
    TakedownEvent,
    TakedownItem,
    TakedownRequest,
    WebhookDelivery,
    WebhookSubscription,
)
from .webhooks.delivery import webhook_delivery_replay


class PlatformDeadlineInline(admin.TabularInline):
    model = PlatformDeadline
    extra = 0


# accounts may not know about takedowns: the deadlines are added to its platform admin here.
class PlatformWithDeadlinesAdmin(PlatformAdmin):
    """The platform admin of accounts, with the platform's deadlines inline."""

    inlines = [*PlatformAdmin.inlines, PlatformDeadlineInline]


admin.site.unregister(Platform)
admin.site.register(Platform, PlatformWithDeadlinesAdmin)


class TakedownItemInline(admin.TabularInline):
    """A request's accounts, as drafted through takedown_create (which checks the platform and
    copies it to each item) and resolved through its actions: read-only here."""

    model = TakedownItem
    extra = 0
    fields = ["account", "outcome", "outcome_at", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class TakedownEventInline(admin.TabularInline):
    model = TakedownEvent
    extra = 0
    fields = ["created_at", "kind", "from_status", "to_status", "actor", "message"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TakedownRequest)
class TakedownRequestAdmin(SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "platform",
        "kind",
        "priority",
        "status",
        "due_at",
        "escalation_level",
    ]
    list_filter = ["platform", "status", "kind", "priority", "escalation_level"]
    search_fields = ["platform_ticket", "legal_basis", "items__account__handle"]
    list_select_related = ["platform"]
    date_hierarchy = "created_at"
    inlines = [TakedownItemInline, TakedownEventInline]
    # Status and clock fields change only through the services (the API and the staff UI).
    readonly_fields = [
        "platform",  # its items are accounts of that platform
        "status",
        "created_by",
        "approved_by",
        "approved_at",
        "submitted_by",
        "submitted_at",
        "acknowledged_at",
        "resolved_at",
        "due_at",
        "paused_at",
        "reminder_at",
        "reminder_sent_at",
        "overdue_at",
        "escalation_level",
        "escalated_at",
        "next_check_at",
        "version",
        "preserve_until",
    ]


@admin.register(Disclosure)
class DisclosureAdmin(admin.ModelAdmin):
    """Which disclosures exist, never their content: data is read through the API, where every
    read is logged, and recorded through disclosure_record (POST /api/v1/disclosures/)."""

    list_display = ["request", "account", "received_at", "recorded_by"]
    exclude = ["data"]
    readonly_fields = ["request", "account", "received_at", "recorded_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DisclosureAccess)
class DisclosureAccessAdmin(admin.ModelAdmin):
    list_display = ["disclosure", "user", "channel", "accessed_at"]
    readonly_fields = ["disclosure", "user", "channel", "accessed_at"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "kind", "created_at", "read_at"]
    list_filter = ["kind"]


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "url", "is_active", "created_at"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "subscription", "status", "attempts", "last_status_code", "created_at"]
    list_filter = ["status", "event"]
    list_select_related = ["subscription"]
    readonly_fields = [
        "event_id",
        "subscription",
        "event",
        "payload",
        "status",
        "attempts",
        "next_attempt_at",
        "last_status_code",
        "last_response",
        "last_error",
        "created_at",
        "delivered_at",
    ]
    actions = ["replay"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Replay the selected deliveries"), permissions=["change"])
    def replay(self, request, queryset):
        for delivery in queryset:
            webhook_delivery_replay(delivery=delivery, user=request.user)
        count = len(queryset)
        self.message_user(
            request,
            ngettext("%d delivery queued again.", "%d deliveries queued again.", count) % count,
            messages.SUCCESS,
        )


from .letters import admin as _letters_admin  # noqa: E402, F401  (registers LetterTemplate)

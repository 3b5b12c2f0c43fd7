"""Serializers of platforms, takedown requests and their actions, events, disclosures,
webhook subscriptions and notifications. Rules live in takedowns.services."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.serializers import AccountRefSerializer, datetime_text
from accounts.models import Platform
from core.serializers import StorableDateTimeField

from ..choices import ItemOutcome, Priority, RequestKind, WebhookEvent
from ..models import (
    Disclosure,
    Notification,
    PlatformDeadline,
    TakedownEvent,
    TakedownItem,
    TakedownRequest,
    WebhookDelivery,
    WebhookSubscription,
)
from ..transitions import TRANSITIONS, action_path, available_actions

MAX_ACCOUNTS_PER_REQUEST = 1000


class PlatformDeadlineSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlatformDeadline
        fields = ["kind", "priority", "hours"]
        read_only_fields = fields


class PlatformSerializer(serializers.ModelSerializer):
    deadlines = PlatformDeadlineSerializer(many=True, read_only=True)
    # Plain strings: either may be empty, which "uri"/"email" formats would not allow.
    submission_url = serializers.CharField(read_only=True)
    submission_email = serializers.CharField(read_only=True)

    class Meta:
        model = Platform
        fields = [
            "slug",
            "name",
            "submission_url",
            "submission_email",
            "adapter",
            "is_active",
            "deadlines",
        ]
        read_only_fields = fields


def _username(source: str) -> serializers.CharField:
    return serializers.CharField(
        source=f"{source}.username", read_only=True, default=None, allow_null=True
    )


class TakedownSerializer(serializers.ModelSerializer):
    """A request as lists show it; `available_actions` are what the caller may do now."""

    reference = serializers.CharField(read_only=True)
    platform = serializers.CharField(source="platform.slug", read_only=True)
    created_by = _username("created_by")
    approved_by = _username("approved_by")
    submitted_by = _username("submitted_by")
    is_overdue = serializers.BooleanField(read_only=True)
    is_paused = serializers.BooleanField(read_only=True)
    item_count = serializers.IntegerField(read_only=True)
    pending_count = serializers.IntegerField(read_only=True)
    available_actions = serializers.SerializerMethodField()

    class Meta:
        model = TakedownRequest
        fields = [
            "id",
            "reference",
            "platform",
            "kind",
            "priority",
            "status",
            "legal_basis",
            "notes",
            "created_by",
            "created_at",
            "approved_by",
            "approved_at",
            "submitted_by",
            "submitted_at",
            "platform_ticket",
            "acknowledged_at",
            "due_at",
            "is_overdue",
            "is_paused",
            "paused_at",
            "paused_reason",
            "overdue_at",
            "escalation_level",
            "escalated_at",
            "preserve_until",
            "resolved_at",
            "item_count",
            "pending_count",
            "version",
            "available_actions",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ListField(
            child=serializers.ChoiceField(choices=[action_path(a) for a in TRANSITIONS])
        )
    )
    def get_available_actions(self, takedown) -> list[str]:
        request = self.context.get("request")
        user = request.user if request else None
        if user is None:
            return []
        return [action_path(a) for a in available_actions(takedown=takedown, user=user)]

    def to_representation(self, takedown):
        # Written directly, like AccountSerializer.represent: DRF's per-field machinery was
        # most of a list's time. A test checks it matches the declared fields' output. The
        # rows come from TakedownViewSet, which annotates the slug and the people's names.
        return {
            "id": takedown.pk,
            "reference": takedown.reference,
            "platform": takedown.platform_slug,
            "kind": takedown.kind,
            "priority": takedown.priority,
            "status": takedown.status,
            "legal_basis": takedown.legal_basis,
            "notes": takedown.notes,
            "created_by": takedown.created_by_name,
            "created_at": datetime_text(takedown.created_at),
            "approved_by": takedown.approved_by_name,
            "approved_at": datetime_text(takedown.approved_at),
            "submitted_by": takedown.submitted_by_name,
            "submitted_at": datetime_text(takedown.submitted_at),
            "platform_ticket": takedown.platform_ticket,
            "acknowledged_at": datetime_text(takedown.acknowledged_at),
            "due_at": datetime_text(takedown.due_at),
            "is_overdue": takedown.is_overdue,
            "is_paused": takedown.is_paused,
            "paused_at": datetime_text(takedown.paused_at),
            "paused_reason": takedown.paused_reason,
            "overdue_at": datetime_text(takedown.overdue_at),
            "escalation_level": takedown.escalation_level,
            "escalated_at": datetime_text(takedown.escalated_at),
            "preserve_until": datetime_text(takedown.preserve_until),
            "resolved_at": datetime_text(takedown.resolved_at),
            "item_count": takedown.item_count,
            "pending_count": takedown.pending_count,
            "version": takedown.version,
            "available_actions": self.get_available_actions(takedown),
            "updated_at": datetime_text(takedown.updated_at),
        }


class TakedownItemSerializer(serializers.ModelSerializer):
    account = AccountRefSerializer(read_only=True)

    class Meta:
        model = TakedownItem
        fields = ["account", "outcome", "outcome_at", "note"]
        read_only_fields = fields


class TakedownDetailSerializer(TakedownSerializer):
    items = TakedownItemSerializer(many=True, read_only=True)

    class Meta(TakedownSerializer.Meta):
        fields = [*TakedownSerializer.Meta.fields, "items"]
        read_only_fields = fields

    def to_representation(self, takedown):
        items = TakedownItemSerializer(takedown.items.all(), many=True).data
        return {**super().to_representation(takedown), "items": items}


class TakedownCreateSerializer(serializers.Serializer):
    accounts = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        min_length=1,
        max_length=MAX_ACCOUNTS_PER_REQUEST,
        help_text="Ids of the accounts, all on one platform.",
    )
    platform = serializers.CharField(
        max_length=32,
        required=False,
        help_text="Platform slug; defaults to the accounts' platform.",
    )
    kind = serializers.ChoiceField(choices=RequestKind.choices, default=RequestKind.REMOVAL)
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)
    legal_basis = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=10000)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class AcknowledgeSerializer(serializers.Serializer):
    ticket = serializers.CharField(
        required=False, allow_blank=True, max_length=128, help_text="The platform's reference."
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class OutcomeSerializer(serializers.Serializer):
    account = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    outcome = serializers.ChoiceField(
        choices=[c for c in ItemOutcome.choices if c[0] != ItemOutcome.PENDING]
    )


class ResolveSerializer(serializers.Serializer):
    outcomes = OutcomeSerializer(
        many=True,
        min_length=1,
        max_length=MAX_ACCOUNTS_PER_REQUEST,
        help_text="The platform's outcome for every account of the request.",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)

    def validate_outcomes(self, outcomes):
        ids = [o["account"] for o in outcomes]
        if len(set(ids)) != len(ids):
            raise serializers.ValidationError("Give each account once.")
        return {o["account"]: o["outcome"] for o in outcomes}


class TakedownEventSerializer(serializers.ModelSerializer):
    actor = _username("actor")

    class Meta:
        model = TakedownEvent
        fields = [
            "id",
            "kind",
            "from_status",
            "to_status",
            "actor",
            "message",
            "data",
            "created_at",
        ]
        read_only_fields = fields


class DisclosureSerializer(serializers.ModelSerializer):
    request_reference = serializers.CharField(source="request.reference", read_only=True)
    account = AccountRefSerializer(read_only=True)
    recorded_by = _username("recorded_by")

    class Meta:
        model = Disclosure
        fields = [
            "id",
            "request",
            "request_reference",
            "account",
            "data",
            "received_at",
            "recorded_by",
        ]
        read_only_fields = fields


class DisclosureCreateSerializer(serializers.Serializer):
    request = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="Request id.")
    account = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="Id of one of the request's accounts."
    )
    data = serializers.JSONField(help_text="What the platform disclosed, as a JSON object.")
    received_at = StorableDateTimeField(required=False, help_text="Default: now.")


class WebhookSubscriptionSerializer(serializers.ModelSerializer):
    created_by = _username("created_by")
    events = serializers.ListField(child=serializers.ChoiceField(choices=WebhookEvent.choices))

    class Meta:
        model = WebhookSubscription
        fields = ["id", "name", "url", "events", "is_active", "created_by", "created_at"]
        read_only_fields = fields


class WebhookWithSecretSerializer(WebhookSubscriptionSerializer):
    secret = serializers.CharField(
        read_only=True, help_text="Signing secret (HMAC-SHA256); shown only in this response."
    )

    class Meta(WebhookSubscriptionSerializer.Meta):
        fields = [*WebhookSubscriptionSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class WebhookInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    url = serializers.URLField(max_length=500)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.choices), min_length=1, max_length=20
    )
    is_active = serializers.BooleanField(default=True)


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event_id",
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
        read_only_fields = fields


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "title",
            "body",
            "request",
            "account",
            "created_at",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields

    def get_is_read(self, notification) -> bool:
        return notification.read_at is not None


class MarkedReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many notifications were unread and now read.")

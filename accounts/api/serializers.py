"""Serializers of groups, designations, accounts, evidence, history and mirror suggestions.

Input serializers check types and sizes only; every rule (normalisation, duplicates, mirrors,
roles) is applied by accounts.services, which the views call.
"""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.serializers import StorableDateTimeField

from ..choices import AccountStatus
from ..models import (
    Designation,
    Evidence,
    FlaggedAccount,
    MirrorCandidate,
    ProscribedGroup,
)
from ..selectors import account_relations
from ..services.rows import MAX_TAGS, ROW_TEXT_LIMITS, TAG_MAX_LENGTH

# The row validator's limits (accounts.services.rows): the single create and the bulk rows are
# checked there; these serializers describe them in the schema and check the updates.
LIMITS = ROW_TEXT_LIMITS
REASON_MAX_LENGTH = LIMITS["reason"]


class DesignationSerializer(serializers.ModelSerializer):
    group_name = serializers.CharField(source="group.name", read_only=True)
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = Designation
        fields = [
            "id",
            "group",
            "group_name",
            "authority",
            "reference",
            "name_as_listed",
            "listed_on",
            "delisted_on",
            "is_current",
            "programs",
            "source_url",
            "source_record_id",
        ]
        read_only_fields = fields


class GroupDesignationSerializer(DesignationSerializer):
    class Meta(DesignationSerializer.Meta):
        fields = [f for f in DesignationSerializer.Meta.fields if f not in ("group", "group_name")]
        read_only_fields = fields


class GroupSerializer(serializers.ModelSerializer):
    aliases = serializers.SerializerMethodField()
    designations = GroupDesignationSerializer(many=True, read_only=True)

    class Meta:
        model = ProscribedGroup
        fields = ["id", "name", "aliases", "country", "notes", "designations", "created_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_aliases(self, group) -> list[str]:
        return [alias.name for alias in group.aliases.all()]


class GroupCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=255), required=False, max_length=100
    )
    country = serializers.CharField(max_length=100, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=10000)


# Suggestions read free text: a bound keeps one request from holding a worker.
MAX_SUGGEST_TEXT = 5000


class GroupSuggestQuerySerializer(serializers.Serializer):
    """The texts of an account in which to look for groups' names, aliases and acronyms."""

    text = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_SUGGEST_TEXT, trim_whitespace=False
    )
    display_name = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_SUGGEST_TEXT, trim_whitespace=False
    )
    bio = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_SUGGEST_TEXT, trim_whitespace=False
    )
    handle = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_SUGGEST_TEXT, trim_whitespace=False
    )


class GroupSuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    matched = serializers.CharField(
        source="matched_name", help_text="The name or alias found in the texts."
    )


class GroupSuggestionsSerializer(serializers.Serializer):
    results = GroupSuggestionSerializer(many=True)


class AliasesSerializer(serializers.Serializer):
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=255), min_length=1, max_length=100
    )


class GroupRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


def datetime_text(value) -> str | None:
    """A datetime as DRF's DateTimeField writes it (ISO 8601 in the current zone, Z for UTC)."""
    if value is None:
        return None
    zone = timezone.get_current_timezone()
    if value.tzinfo is not zone:  # the API's UTC is the database's: no conversion
        value = value.astimezone(zone)
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class AccountListSerializer(serializers.ListSerializer):
    """Loads the groups and tags of a whole page in two queries, then writes each account."""

    def to_representation(self, data):
        accounts = list(data)
        relations = account_relations(account_ids=[a.pk for a in accounts])
        return [self.child.represent(a, *relations[a.pk]) for a in accounts]


class AccountSerializer(serializers.ModelSerializer):
    """An account as the API shows it; groups carry names so lists need no second call.

    The declared fields describe the output (and the schema); `represent` writes it directly,
    because lists of a few hundred accounts spent most of their time in DRF's per-field
    machinery. A test checks that both give the same document. Accounts come from
    AccountViewSet.get_queryset, which annotates `platform_slug` and `flagged_by_name`.
    """

    platform = serializers.CharField(source="platform.slug", read_only=True)
    groups = GroupRefSerializer(many=True, read_only=True)
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    flagged_by = serializers.CharField(
        source="flagged_by.username", read_only=True, default=None, allow_null=True
    )
    # Plain strings: empty when unknown, which a "uri" format would not allow.
    profile_url = serializers.CharField(read_only=True)

    class Meta:
        model = FlaggedAccount
        fields = [
            "id",
            "platform",
            "handle",
            "handle_normalized",
            "platform_account_id",
            "profile_url",
            "display_name",
            "bio",
            "status",
            "groups",
            "tags",
            "first_seen_at",
            "last_checked_at",
            "removed_at",
            "flagged_by",
            "mirror_of",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
        list_serializer_class = AccountListSerializer
        # The model columns those fields read, for QuerySet.only().
        model_fields = [
            f for f in fields if f not in ("platform", "groups", "tags", "flagged_by", "mirror_of")
        ] + ["platform", "flagged_by", "mirror_of"]

    def to_representation(self, account):
        return self.represent(account, *account_relations(account_ids=[account.pk])[account.pk])

    def represent(self, account, groups: list[dict], tags: list[str]) -> dict:
        return {
            "id": account.pk,
            "platform": account.platform_slug,
            "handle": account.handle,
            "handle_normalized": account.handle_normalized,
            "platform_account_id": account.platform_account_id,
            "profile_url": account.profile_url,
            "display_name": account.display_name,
            "bio": account.bio,
            "status": account.status,
            "groups": groups,
            "tags": tags,
            "first_seen_at": datetime_text(account.first_seen_at),
            "last_checked_at": datetime_text(account.last_checked_at),
            "removed_at": datetime_text(account.removed_at),
            "flagged_by": account.flagged_by_name,
            "mirror_of": account.mirror_of_id,
            "notes": account.notes,
            "created_at": datetime_text(account.created_at),
            "updated_at": datetime_text(account.updated_at),
        }


class AccountInputSerializer(serializers.Serializer):
    """Fields shared by creating and changing an account."""

    display_name = serializers.CharField(
        max_length=LIMITS["display_name"], required=False, allow_blank=True
    )
    bio = serializers.CharField(required=False, allow_blank=True, max_length=LIMITS["bio"])
    notes = serializers.CharField(required=False, allow_blank=True, max_length=LIMITS["notes"])
    platform_account_id = serializers.CharField(
        max_length=LIMITS["platform_account_id"], required=False, allow_blank=True
    )
    status = serializers.ChoiceField(choices=AccountStatus.choices, required=False)
    groups = serializers.PrimaryKeyRelatedField(
        queryset=ProscribedGroup.objects.all(), many=True, required=False
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=TAG_MAX_LENGTH), required=False, max_length=MAX_TAGS
    )
    reason = serializers.CharField(
        max_length=REASON_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text="Why; kept in the audit history.",
    )


class AccountCreateSerializer(AccountInputSerializer):
    """What the schema shows for a single create (and each bulk row); the input itself is
    checked by the row validator, accounts.services.rows.account_row_clean."""

    groups = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Group ids, names or aliases.",
    )
    handle = serializers.CharField(
        max_length=LIMITS["handle"],
        help_text="A handle (@name, a phone number for WhatsApp) or any profile URL.",
    )
    platform = serializers.CharField(
        max_length=LIMITS["platform"],
        required=False,
        allow_blank=True,
        help_text="Platform slug (x, facebook, telegram...); optional when `handle` is a URL.",
    )
    first_seen_at = StorableDateTimeField(required=False)


class AccountUpdateSerializer(AccountInputSerializer):
    handle = serializers.CharField(
        max_length=LIMITS["handle"], required=False, help_text="A new handle or profile URL."
    )
    profile_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    last_checked_at = StorableDateTimeField(required=False, allow_null=True)


class AccountBulkSerializer(serializers.Serializer):
    """Rows are checked one by one by the bulk service, so one bad row cannot hide the others."""

    rows = serializers.ListField(
        child=serializers.DictField(), min_length=1, max_length=1000, allow_empty=False
    )


class AccountBulkRequestDoc(serializers.Serializer):
    """What the schema shows for a bulk create: rows shaped like a single create."""

    rows = AccountCreateSerializer(many=True, help_text="1 to 1,000 accounts.")


class BulkRowErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="Position in `rows`, from 0.")
    field = serializers.CharField(allow_null=True)
    code = serializers.CharField()
    message = serializers.CharField()
    existing_id = serializers.IntegerField(required=False)


class AccountBulkResultSerializer(serializers.Serializer):
    created = AccountSerializer(many=True)
    errors = BulkRowErrorSerializer(many=True)


class EvidenceSerializer(serializers.ModelSerializer):
    captured_by = serializers.CharField(source="captured_by.username", read_only=True)
    url = serializers.CharField(read_only=True, help_text="Empty unless the evidence is a URL.")

    class Meta:
        model = Evidence
        fields = [
            "id",
            "account",
            "kind",
            "original_name",
            "content_type",
            "size",
            "url",
            "text",
            "note",
            "sha256",
            "captured_by",
            "captured_at",
        ]
        read_only_fields = fields


class EvidenceCreateSerializer(serializers.Serializer):
    file = serializers.FileField(required=False, allow_empty_file=True)
    url = serializers.URLField(max_length=2000, required=False, allow_blank=True)
    text = serializers.CharField(required=False, allow_blank=True, max_length=1_000_000)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class AccountRefSerializer(serializers.ModelSerializer):
    platform = serializers.CharField(source="platform.slug", read_only=True)

    class Meta:
        model = FlaggedAccount
        fields = ["id", "platform", "handle", "display_name", "status", "removed_at"]
        read_only_fields = fields


class MirrorCandidateSerializer(serializers.ModelSerializer):
    account = AccountRefSerializer(read_only=True)
    removed_account = AccountRefSerializer(read_only=True)
    decided_by = serializers.CharField(
        source="decided_by.username", read_only=True, default=None, allow_null=True
    )
    reasons = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = MirrorCandidate
        fields = [
            "id",
            "account",
            "removed_account",
            "score",
            "reasons",
            "status",
            "created_at",
            "decided_by",
            "decided_at",
        ]
        read_only_fields = fields


class HistoryChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.JSONField(source="old_value", allow_null=True)
    new = serializers.JSONField(source="new_value", allow_null=True)


class HistoryRecordSerializer(serializers.Serializer):
    """An accounts.history.HistoryEntry, the one history the pages show too."""

    id = serializers.IntegerField()
    at = StorableDateTimeField()
    type = serializers.ChoiceField(source="kind", choices=["created", "changed", "deleted"])
    user = serializers.CharField(source="username", allow_null=True)
    reason = serializers.CharField(allow_null=True)
    changes = HistoryChangeSerializer(many=True)

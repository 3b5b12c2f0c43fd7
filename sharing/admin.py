"""The prevention feed's records and the variant rankings in the admin, read-only: keys are
created and rotated, tokens issued and revoked, on the feeds page (/sharing/feeds/), where their
secret is shown once; variant rankings come from the mirror refit job."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import FeedKey, FeedPull, FeedToken, PlatformFeed, SignalEvent, VariantWeights


@admin.register(PlatformFeed)
class PlatformFeedAdmin(ReadOnlyAdmin):
    list_display = ["platform", "last_sequence", "client", "created_at"]


@admin.register(FeedKey)
class FeedKeyAdmin(ReadOnlyAdmin):
    list_display = ["key_id", "feed", "created_at", "created_by", "retired_at"]
    list_filter = ["feed"]
    exclude = ["secret_encrypted"]


@admin.register(FeedToken)
class FeedTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "prefix", "feed", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["feed"]
    exclude = ["key_hash"]


@admin.register(SignalEvent)
class SignalEventAdmin(ReadOnlyAdmin):
    list_display = ["feed", "sequence", "action", "reason", "account", "created_at"]
    list_filter = ["feed", "action"]
    list_select_related = ["feed__platform", "account__platform"]
    raw_id_fields = ["account"]


@admin.register(FeedPull)
class FeedPullAdmin(ReadOnlyAdmin):
    list_display = ["at", "feed", "token", "user", "format", "cursor", "next_cursor", "count"]
    list_filter = ["feed", "format"]
    list_select_related = ["feed__platform", "token", "user"]


@admin.register(VariantWeights)
class VariantWeightsAdmin(ReadOnlyAdmin):
    list_display = ["version", "active", "trained_on", "explained", "created_at"]

"""Serializers of the project-wide endpoints: the dashboard figures and the caller's identity."""

from rest_framework import serializers

from core.serializers import StorableDateTimeField


class PlatformFiguresSerializer(serializers.Serializer):
    platform = serializers.CharField()
    name = serializers.CharField()
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    actioned = serializers.IntegerField()
    partially_actioned = serializers.IntegerField()
    rejected = serializers.IntegerField()
    removal_rate = serializers.FloatField(
        allow_null=True, help_text="Share of answered accounts the platform acted on."
    )
    median_hours_to_removal = serializers.FloatField(allow_null=True)
    within_deadline_rate = serializers.FloatField(
        allow_null=True, help_text="Share of closed requests resolved by their deadline."
    )


class WeekSerializer(serializers.Serializer):
    week = serializers.DateField(help_text="The Monday that starts the week.")
    flagged = serializers.IntegerField()
    removed = serializers.IntegerField()


class MirrorFiguresSerializer(serializers.Serializer):
    confirmed = serializers.IntegerField()
    suggested = serializers.IntegerField()
    median_hours_to_reappearance = serializers.FloatField(allow_null=True)


class StatsSerializer(serializers.Serializer):
    generated_at = StorableDateTimeField()
    platforms = PlatformFiguresSerializer(many=True)
    weekly = WeekSerializer(many=True)
    mirrors = MirrorFiguresSerializer()


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    token = serializers.DictField(
        allow_null=True, help_text="The token used (name, prefix, scope, expiry), or null."
    )

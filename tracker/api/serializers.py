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


class TimingSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    median_hours = serializers.FloatField(allow_null=True)


class PlatformTimingSerializer(TimingSerializer):
    platform = serializers.CharField()
    name = serializers.CharField()


class GroupTimingSerializer(TimingSerializer):
    group = serializers.IntegerField()
    name = serializers.CharField()


class SplitTimingSerializer(TimingSerializer):
    by_platform = PlatformTimingSerializer(many=True)
    by_group = GroupTimingSerializer(many=True)


class ChainAccountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    handle = serializers.CharField()


class ChainSerializer(serializers.Serializer):
    length = serializers.IntegerField(help_text="Accounts in the chain, the original included.")
    accounts = ChainAccountSerializer(many=True, help_text="The original first, then each mirror.")


class ChainFiguresSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    longest = serializers.IntegerField()
    by_length = serializers.DictField(child=serializers.IntegerField())
    top = ChainSerializer(many=True)


class MirrorMetricsSerializer(serializers.Serializer):
    reappearance = SplitTimingSerializer(
        help_text="From the original's removal to its confirmed mirror's first sighting."
    )
    detection_to_removal = SplitTimingSerializer(
        help_text="From a confirmed mirror's detection (its suggestion) to its removal."
    )
    chains = ChainFiguresSerializer(
        help_text="A removed, its mirror A2 appears, A2 removed, A3 appears ..."
    )


class StatsSerializer(serializers.Serializer):
    generated_at = StorableDateTimeField()
    platforms = PlatformFiguresSerializer(many=True)
    weekly = WeekSerializer(many=True)
    mirrors = MirrorFiguresSerializer()
    mirror_metrics = MirrorMetricsSerializer()


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    token = serializers.DictField(
        allow_null=True, help_text="The token used (name, prefix, scope, expiry), or null."
    )

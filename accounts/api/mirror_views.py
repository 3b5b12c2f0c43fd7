"""POST /api/v1/mirror-check/: score an account's details against the watch list of every
platform without recording anything (the same scoring as a create, which stores them)."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from .. import services
from . import examples as ex
from .serializers import MirrorCheckResultSerializer, MirrorCheckSerializer
from .views import JSON_OR_MULTIPART


class MirrorCheckViewSet(GenericViewSet):
    """Would these details re-create a removed account? Writes nothing."""

    serializer_class = MirrorCheckSerializer
    parser_classes = JSON_OR_MULTIPART
    pagination_class = None
    filter_backends = []
    # Whoever may log an account may ask first whether it is a mirror.
    required_permissions = {"create": ("accounts.add_flaggedaccount",)}

    @extend_schema(
        summary="Check for mirrors without saving",
        description=(
            "Takes the fields of an account create (platform, `handle` or URL, display name, "
            "bio, groups; JSON, or multipart/form-data with an `avatar` image checked as for a "
            "create) and answers the removed accounts, on every platform, that these details "
            "are likely to re-create, best first, each with `score` in [0, 1], `strong` "
            "(score at or above MIRROR_STRONG_SCORE), the `model_version` that scored it and "
            "its `features` (value and contribution to the logit). Nothing is recorded: not "
            "the account, not the avatar, not a suggestion. Read-write scope, like a create."
        ),
        request={
            "application/json": MirrorCheckSerializer,
            "multipart/form-data": MirrorCheckSerializer,
        },
        responses={200: MirrorCheckResultSerializer},
        examples=[
            ex.example("Details of a new channel", ex.MIRROR_CHECK_REQUEST, request=True),
            ex.example("A strong match", ex.MIRROR_CHECK),
        ],
    )
    def create(self, request):
        data = MirrorCheckSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        platform, parsed = services.platform_resolve(
            value=fields["handle"], platform=fields.get("platform") or None
        )
        found = services.mirror_check(
            platform=platform,
            handle=parsed.normalized,
            profile_url=parsed.profile_url,
            display_name=fields.get("display_name", ""),
            bio=fields.get("bio", ""),
            avatar=fields.get("avatar"),
            group_ids=[g.pk for g in fields.get("groups", [])],
        )
        return Response(
            MirrorCheckResultSerializer({"candidates": found}).data, status=status.HTTP_200_OK
        )

"""API viewsets for groups, designations, accounts (bulk, evidence, history) and mirror
suggestions. Thin: they read through selectors and filtersets and write through services.

Authentication, permissions (`required_permissions`), pagination (`ordering_fields`) and the
error document come from REST_FRAMEWORK settings, so this app imports nothing of `tracker`.
"""

from django.db import transaction
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.viewsets import GenericViewSet

from .. import services
from ..filtersets import (
    DesignationFilterSet,
    FlaggedAccountFilterSet,
    MirrorCandidateFilterSet,
    ProscribedGroupFilterSet,
)
from ..history import history_entries
from ..orderings import (
    ACCOUNT_ORDERING,
    DESIGNATION_ORDERING,
    GROUP_ORDERING,
    MIRROR_CANDIDATE_ORDERING,
    keyset_fields,
)
from ..selectors import (
    account_rows,
    designation_list,
    evidence_list,
    group_list,
    group_suggestions,
    mirror_candidate_list,
)
from . import examples as ex
from .inputs import invalid_row_as_validation_error, request_row
from .serializers import (
    AccountBulkRequestDoc,
    AccountBulkResultSerializer,
    AccountBulkSerializer,
    AccountCreateSerializer,
    AccountSerializer,
    AccountUpdateSerializer,
    AliasesSerializer,
    DesignationSerializer,
    EvidenceCreateSerializer,
    EvidenceSerializer,
    GroupCreateSerializer,
    GroupSerializer,
    GroupSuggestionsSerializer,
    GroupSuggestQuerySerializer,
    HistoryRecordSerializer,
    MirrorCandidateSerializer,
)

TRUE_VALUES = {"true", "1", "yes", "on"}
FALSE_VALUES = {"false", "0", "no", "off", ""}


@extend_schema_view(
    list=extend_schema(
        summary="List proscribed groups",
        description="Groups with their aliases (any script) and designations, by name.",
        examples=[ex.example("A group", ex.GROUP)],
    ),
    retrieve=extend_schema(summary="Get a group", examples=[ex.example("A group", ex.GROUP)]),
    create=extend_schema(
        summary="Register a group",
        description="Administrators only; designations come from the official list imports.",
        request=GroupCreateSerializer,
        responses={201: GroupSerializer},
        examples=[
            ex.example(
                "New group",
                {"name": "Jamaat-ul-Ahrar", "aliases": ["JuA"], "country": "Pakistan"},
                request=True,
            ),
            ex.example("Created", ex.GROUP),
        ],
    ),
    aliases=extend_schema(
        summary="Add aliases to a group",
        description="Spellings the group already has (in any case) are skipped.",
        request=AliasesSerializer,
        responses={200: GroupSerializer},
        examples=[
            ex.example("Aliases", {"aliases": ["Lashkar-i-Taiba", "لشکر طیبہ"]}, request=True),
            ex.example("The group", ex.GROUP),
        ],
    ),
    suggest=extend_schema(
        summary="Groups named in an account's texts",
        description=(
            "The groups whose name, alias or acronym appears in `text`, `display_name`, `bio` "
            "or `handle` (any script, after normalisation; 5,000 characters each at most), in "
            "the register's order, each with the name that was found."
        ),
        parameters=[GroupSuggestQuerySerializer],
        responses={200: GroupSuggestionsSerializer},
        examples=[
            ex.example(
                "Found",
                {"results": [{"id": 2, "name": "Tehrik-e-Taliban Pakistan", "matched": "TTP"}]},
            )
        ],
    ),
)
class GroupViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Proscribed groups, their aliases and designations."""

    serializer_class = GroupSerializer
    filterset_class = ProscribedGroupFilterSet
    ordering_fields = keyset_fields(GROUP_ORDERING)
    ordering = GROUP_ORDERING.default
    required_permissions = {
        "list": ("accounts.view_proscribedgroup",),
        "retrieve": ("accounts.view_proscribedgroup",),
        "create": ("accounts.add_proscribedgroup",),
        "aliases": ("accounts.change_proscribedgroup", "accounts.add_groupalias"),
        "suggest": ("accounts.view_proscribedgroup",),
    }
    error_statuses = {"create": (409,), "suggest": (400,)}

    def get_queryset(self):
        return group_list()

    def create(self, request):
        data = GroupCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        group = services.group_create(user=request.user, **data.validated_data)
        return Response(
            GroupSerializer(group_list().get(pk=group.pk)).data, status=status.HTTP_201_CREATED
        )

    @action(detail=True, methods=["post"])
    def aliases(self, request, pk=None):
        group = self.get_object()
        data = AliasesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            services.group_add_aliases(
                group=group, user=request.user, names=data.validated_data["aliases"]
            )
        return Response(GroupSerializer(group_list().get(pk=group.pk)).data)

    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def suggest(self, request):
        query = GroupSuggestQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        groups = group_suggestions(**query.validated_data)
        return Response(GroupSuggestionsSerializer({"results": groups}).data)


@extend_schema_view(
    list=extend_schema(
        summary="List designations",
        description="Each authority's listing of a group, as imported from the official lists.",
        examples=[ex.example("A designation", ex.DESIGNATION)],
    ),
    retrieve=extend_schema(
        summary="Get a designation", examples=[ex.example("A designation", ex.DESIGNATION)]
    ),
)
class DesignationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Designations by the UN, the US, the UK, the EU and Pakistan (read-only)."""

    serializer_class = DesignationSerializer
    filterset_class = DesignationFilterSet
    ordering_fields = keyset_fields(DESIGNATION_ORDERING)
    ordering = DESIGNATION_ORDERING.default
    required_permissions = {
        "list": ("accounts.view_designation",),
        "retrieve": ("accounts.view_designation",),
    }

    def get_queryset(self):
        return designation_list()


ACCOUNT_CREATE_EXAMPLE = {
    "handle": "https://t.me/sada_e_haq",
    "groups": [2],
    "display_name": "Sada-e-Haq",
    "tags": ["recruitment"],
}


@extend_schema_view(
    list=extend_schema(
        summary="List flagged accounts",
        description=(
            "Filter by platform, status, group, designation authority, flagged by, first-seen "
            "dates, tag and free text `q` (handle, display name, group name or alias)."
        ),
        examples=[ex.example("An account", ex.ACCOUNT)],
    ),
    retrieve=extend_schema(
        summary="Get an account", examples=[ex.example("An account", ex.ACCOUNT)]
    ),
    create=extend_schema(
        summary="Log an account",
        description=(
            "`handle` takes a handle or any profile URL, normalised as in the UI. A live record "
            "for the same account gives 409 `duplicate_account` with `existing_id`; a likely "
            "mirror of a removed account is stored as a mirror candidate. `groups` takes group "
            "ids, names or aliases; unknown fields are refused. Checked by the same row "
            "validator as each row of the bulk create, with the same rules."
        ),
        request=AccountCreateSerializer,
        responses={201: AccountSerializer},
        examples=[
            ex.example("From a URL", ACCOUNT_CREATE_EXAMPLE, request=True),
            ex.example(
                "From a handle", {"handle": "@sada_e_haq", "platform": "telegram"}, request=True
            ),
            ex.example("Created", ex.ACCOUNT),
        ],
    ),
    partial_update=extend_schema(
        summary="Change an account",
        description="Send only the fields to change; `status` follows the account rules.",
        request=AccountUpdateSerializer,
        responses={200: AccountSerializer},
        examples=[
            ex.example(
                "Suspended", {"status": "suspended", "reason": "seen suspended"}, request=True
            ),
            ex.example("Changed", {**ex.ACCOUNT, "status": "suspended"}),
        ],
    ),
    bulk=extend_schema(
        summary="Log up to 1,000 accounts at once",
        description=(
            "All or nothing by default: one bad row and nothing is recorded (400 `invalid_rows`, "
            "every row's error in `error.rows`). With `?partial=true` the valid rows are "
            "recorded and the others reported in `errors`. Rows take the fields of a single "
            "create and are refused for the same reasons, with the same codes."
        ),
        parameters=[
            OpenApiParameter(
                "partial",
                OpenApiTypes.BOOL,
                description="Record the valid rows even if others are refused.",
            )
        ],
        request=AccountBulkRequestDoc,
        responses={201: AccountBulkResultSerializer},
        examples=[
            ex.example(
                "Two accounts",
                {
                    "rows": [
                        ACCOUNT_CREATE_EXAMPLE,
                        {"handle": "sada_backup", "platform": "x", "groups": ["LeT"]},
                    ]
                },
                request=True,
            ),
            ex.example("Recorded", {"created": [ex.ACCOUNT], "errors": []}),
        ],
    ),
    history=extend_schema(
        summary="An account's change history",
        description="Every recorded version, newest first, with who changed which fields.",
        responses={200: HistoryRecordSerializer(many=True)},
        examples=[ex.example("History", ex.HISTORY)],
    ),
    mirror_candidates=extend_schema(
        summary="Mirror suggestions involving an account",
        description="Suggestions that it re-creates a removed account, or is re-created by one.",
        responses={200: MirrorCandidateSerializer(many=True)},
        examples=[ex.example("Suggestions", [ex.MIRROR])],
    ),
)
class AccountViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Flagged accounts."""

    serializer_class = AccountSerializer
    filterset_class = FlaggedAccountFilterSet
    ordering_fields = keyset_fields(ACCOUNT_ORDERING)
    ordering = ACCOUNT_ORDERING.default
    http_method_names = ["get", "post", "patch", "head", "options"]
    required_permissions = {
        "list": ("accounts.view_flaggedaccount",),
        "retrieve": ("accounts.view_flaggedaccount",),
        "create": ("accounts.add_flaggedaccount",),
        "partial_update": ("accounts.change_flaggedaccount",),
        "bulk": ("accounts.add_flaggedaccount",),
        "evidence": ("accounts.view_evidence",),
        "evidence_capture": ("accounts.add_evidence",),
        "history": ("accounts.view_flaggedaccount",),
        "mirror_candidates": ("accounts.view_mirrorcandidate",),
    }
    error_statuses = {"create": (409,), "partial_update": (409,), "bulk": ()}

    def get_queryset(self):
        return account_rows(only=AccountSerializer.Meta.model_fields)

    def _account(self, pk) -> dict:
        return AccountSerializer(self.get_queryset().get(pk=pk)).data

    def create(self, request):
        with invalid_row_as_validation_error():
            account = services.account_create_from_row(
                user=request.user, row=request_row(request.data)
            )
        return Response(self._account(account.pk), status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        account = self.get_object()
        data = AccountUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.account_update(account=account, user=request.user, **data.validated_data)
        return Response(self._account(account.pk))

    @action(detail=False, methods=["post"])
    def bulk(self, request):
        raw = request.query_params.get("partial", "").strip().lower()
        if raw not in TRUE_VALUES | FALSE_VALUES:
            raise serializers.ValidationError({"partial": ["Give true or false."]})
        data = AccountBulkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.accounts_bulk_create(
            user=request.user,
            rows=data.validated_data["rows"],
            partial=raw in TRUE_VALUES,
            cells=False,
        )
        created = self.get_queryset().filter(pk__in=[a.pk for a in result.created]).order_by("pk")
        return Response(
            {
                "created": AccountSerializer(created, many=True).data,
                "errors": [error.as_dict() for error in result.errors],
            },
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        methods=["GET"],
        summary="List an account's evidence",
        responses={200: EvidenceSerializer(many=True)},
        examples=[ex.example("Evidence", [ex.EVIDENCE])],
    )
    @action(
        detail=True,
        methods=["get"],
        # The upload (POST) takes a file; this one route serves both methods.
        parser_classes=[*api_settings.DEFAULT_PARSER_CLASSES, MultiPartParser],
        pagination_class=None,
        filter_backends=[],
    )
    def evidence(self, request, pk=None):
        account = self.get_object()
        return Response(EvidenceSerializer(evidence_list(account=account), many=True).data)

    @extend_schema(
        methods=["POST"],
        summary="Attach evidence to an account",
        description=(
            "Exactly one of a file (multipart), a URL or captured text. The response carries the "
            "SHA-256 of the bytes (or of the URL or text). Evidence is never changed afterwards."
        ),
        request={
            "multipart/form-data": EvidenceCreateSerializer,
            "application/json": EvidenceCreateSerializer,
        },
        responses={201: EvidenceSerializer},
        examples=[
            ex.example(
                "A URL", {"url": "https://t.me/sada_e_haq/120", "note": "post"}, request=True
            ),
            ex.example("Captured", ex.EVIDENCE),
        ],
    )
    @evidence.mapping.post
    def evidence_capture(self, request, pk=None):
        account = self.get_object()
        data = EvidenceCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        evidence = services.evidence_capture(
            account=account, user=request.user, **data.validated_data
        )
        return Response(EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        account = self.get_object()
        entries = history_entries(instance=account, limit=None)
        return Response(HistoryRecordSerializer(entries, many=True).data)

    @action(
        detail=True,
        methods=["get"],
        url_path="mirror-candidates",
        pagination_class=None,
        filter_backends=[],
    )
    def mirror_candidates(self, request, pk=None):
        account = self.get_object()
        candidates = mirror_candidate_list().filter(Q(account=account) | Q(removed_account=account))
        return Response(MirrorCandidateSerializer(candidates, many=True).data)


@extend_schema_view(
    list=extend_schema(
        summary="List mirror suggestions",
        description="Filter `status=suggested` for the queue awaiting a supervisor.",
        examples=[ex.example("A suggestion", ex.MIRROR)],
    ),
    retrieve=extend_schema(
        summary="Get a mirror suggestion", examples=[ex.example("A suggestion", ex.MIRROR)]
    ),
    confirm=extend_schema(
        summary="Confirm a mirror (supervisors)",
        description="Links the new account to the removed one (`mirror_of`).",
        request=None,
        responses={200: MirrorCandidateSerializer},
        examples=[ex.example("Confirmed", {**ex.MIRROR, "status": "confirmed"})],
    ),
    reject=extend_schema(
        summary="Reject a mirror suggestion (supervisors)",
        request=None,
        responses={200: MirrorCandidateSerializer},
        examples=[ex.example("Rejected", {**ex.MIRROR, "status": "rejected"})],
    ),
)
class MirrorCandidateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Suggestions that a new account re-creates a removed one."""

    serializer_class = MirrorCandidateSerializer
    filterset_class = MirrorCandidateFilterSet
    ordering_fields = keyset_fields(MIRROR_CANDIDATE_ORDERING)
    ordering = MIRROR_CANDIDATE_ORDERING.default
    required_permissions = {
        "list": ("accounts.view_mirrorcandidate",),
        "retrieve": ("accounts.view_mirrorcandidate",),
        "confirm": ("accounts.change_mirrorcandidate",),
        "reject": ("accounts.change_mirrorcandidate",),
    }
    error_statuses = {"confirm": (409,), "reject": (409,)}

    def get_queryset(self):
        return mirror_candidate_list()

    def _decide(self, request, confirm: bool):
        candidate = services.mirror_decide(
            candidate=self.get_object(), user=request.user, confirm=confirm
        )
        return Response(
            MirrorCandidateSerializer(mirror_candidate_list().get(pk=candidate.pk)).data
        )

    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._decide(request, confirm=True)

    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, confirm=False)

"""The `reports` resource: stored compliance reports, building one, and their PDF and CSV."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from accounts.models import Platform
from core.negotiation import FileRenderer, StrictFormatNegotiation

from .models import ComplianceReport
from .orderings import REPORT_ORDERING
from .selectors import report_list
from .services import compliance_report_create
from .views import report_file_response

REPORT = {
    "id": 12,
    "period_start": "2026-11-01",
    "period_end": "2026-12-01",
    "platform": "telegram",
    "schedule": "monthly",
    "created_at": "2026-12-01T00:05:00Z",
    "created_by": None,
    "pdf": "https://tracker.example.org/api/v1/reports/12/file/?kind=pdf",
    "csv": "https://tracker.example.org/api/v1/reports/12/file/?kind=csv",
}
FIGURES = {
    "requests": {"total": 7, "by_kind": [{"kind": "removal", "actioned": 2, "total": 5}]},
    "deadline": {"decided": 5, "within": 2, "share": 0.4},
    "time_to_action": {"count": 3, "median_hours": 30.0, "p90_hours": 54.0},
    "accounts": {"reported": 9, "answered": 6, "removed": 4, "removal_rate": 0.667},
    "mirrors": {"detected": 3, "median_hours_to_reappearance": 12.0},
}


class ComplianceReportSerializer(serializers.ModelSerializer):
    platform = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    pdf = serializers.SerializerMethodField()
    csv = serializers.SerializerMethodField()

    class Meta:
        model = ComplianceReport
        fields = [
            "id",
            "period_start",
            "period_end",
            "platform",
            "schedule",
            "created_at",
            "created_by",
            "pdf",
            "csv",
        ]

    def _url(self, report, kind: str) -> str:
        path = reverse("api:report-file", args=[report.pk]) + f"?kind={kind}"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_pdf(self, report) -> str:
        return self._url(report, "pdf")

    def get_csv(self, report) -> str:
        return self._url(report, "csv")


class ComplianceReportDetailSerializer(ComplianceReportSerializer):
    class Meta(ComplianceReportSerializer.Meta):
        fields = [*ComplianceReportSerializer.Meta.fields, "figures"]


class ReportCreateSerializer(serializers.Serializer):
    start = serializers.DateField(help_text="First day of the period.")
    end = serializers.DateField(help_text="The day after the last (exclusive).")
    platform = serializers.SlugRelatedField(
        slug_field="slug", queryset=Platform.objects.all(), required=False, allow_null=True
    )


class PdfRenderer(FileRenderer):
    media_type, format = "application/pdf", "pdf"


class CsvRenderer(FileRenderer):
    media_type, format = "text/csv", "csv"


@extend_schema_view(
    list=extend_schema(
        summary="List compliance reports",
        description="Every stored report, newest first: monthly ones and those built on demand.",
        examples=[OpenApiExample("A report", value=REPORT, response_only=True)],
    ),
    retrieve=extend_schema(
        summary="Get a compliance report with its figures",
        responses={200: ComplianceReportDetailSerializer},
        examples=[
            OpenApiExample("A report", value={**REPORT, "figures": FIGURES}, response_only=True)
        ],
    ),
    create=extend_schema(
        summary="Build a compliance report",
        description=(
            "Requests sent from `start` to `end` (exclusive), on one platform or, without "
            "`platform`, on all. Stored and listed; docs/letters-and-reports.md defines the "
            "figures."
        ),
        request=ReportCreateSerializer,
        responses={201: ComplianceReportDetailSerializer},
        examples=[
            OpenApiExample(
                "November on Telegram",
                value={"start": "2026-11-01", "end": "2026-12-01", "platform": "telegram"},
                request_only=True,
            ),
            OpenApiExample("Built", value={**REPORT, "figures": FIGURES}, response_only=True),
        ],
    ),
    file=extend_schema(
        summary="Download a report's PDF or CSV",
        parameters=[OpenApiParameter("kind", OpenApiTypes.STR, enum=["pdf", "csv"], required=True)],
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY,
                examples=[
                    OpenApiExample(
                        "PDF",
                        value="%PDF-1.4 ...",
                        response_only=True,
                        media_type="application/pdf",
                    )
                ],
            ),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY),
        },
    ),
)
class ComplianceReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Compliance reports (supervisors and administrators)."""

    serializer_class = ComplianceReportSerializer
    ordering_spec = REPORT_ORDERING
    content_negotiation_class = StrictFormatNegotiation
    required_permissions = {
        "list": ("tracker.view_compliancereport",),
        "retrieve": ("tracker.view_compliancereport",),
        "create": ("tracker.add_compliancereport",),
        "file": ("tracker.view_compliancereport",),
    }

    def get_queryset(self):
        return report_list()

    def get_serializer_class(self):
        return (
            ComplianceReportDetailSerializer
            if self.action == "retrieve"
            else super().get_serializer_class()
        )

    def create(self, request):
        data = ReportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = compliance_report_create(user=request.user, **data.validated_data)
        body = ComplianceReportDetailSerializer(report, context={"request": request}).data
        return Response(body, status=201)

    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, PdfRenderer, CsvRenderer])
    def file(self, request, pk=None):
        return report_file_response(self.get_object(), request.query_params.get("kind", "pdf"))

"""REST API for reports of inappropriate content under /api/v1/reports/."""

from __future__ import annotations

from drf_spectacular.utils import (
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets

from moderation.models import (
    PublicReport,
    ReportVia,
    Rule,
)
from moderation.reports.filters import PublicReportFilter
from moderation.reports.services import public_report_submit


class PublicReportSerializer(serializers.ModelSerializer):
    rule = serializers.SlugRelatedField(slug_field="code", queryset=Rule.objects.active(), required=False,
                                        allow_null=True)
    channel = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    contact = serializers.CharField(source="reporter_contact", required=False, allow_blank=True, max_length=300)
    message = serializers.CharField(source="reporter_message", required=False, allow_blank=True)
    via = serializers.ChoiceField(choices=[ReportVia.EMAIL, ReportVia.PRIVATE_MESSAGE, ReportVia.STAFF],
                                  default=ReportVia.EMAIL)

    class Meta:
        model = PublicReport
        fields = ["id", "text", "url", "rule", "contact", "message", "via", "status", "channel", "item",
                  "created_at"]
        read_only_fields = ["id", "status", "channel", "item", "created_at"]

    def validate(self, attrs):
        if not (attrs.get("text") or "").strip() and not (attrs.get("url") or "").strip():
            raise serializers.ValidationError("Ange en länk till innehållet eller texten.")
        return attrs


@extend_schema_view(list=extend_schema(summary="Anmälningar"), retrieve=extend_schema(summary="En anmälan"),
                    create=extend_schema(summary="Registrera en anmälan som kom via e-post eller meddelande"))
class PublicReportViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PublicReportSerializer
    filterset_class = PublicReportFilter
    queryset = PublicReport.objects.none()

    def get_queryset(self):
        return PublicReport.objects.visible_to(self.request.user).select_related("rule", "channel").order_by(
            "-created_at", "-id")

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = public_report_submit(
            text=d.get("text", ""), url=d.get("url", ""), rule=d.get("rule"), contact=d.get("reporter_contact", ""),
            message=d.get("reporter_message", ""), via=d.get("via", ReportVia.EMAIL), actor=self.request.user,
        )


ROUTES = [
    ("reports", PublicReportViewSet, "publicreport"),
]

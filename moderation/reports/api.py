"""REST API for reports of inappropriate content under /api/v1/reports/."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets

from moderation.models import (
    PublicReport,
    ReportVia,
    Rule,
)
from moderation.reports.filters import PublicReportFilter
from moderation.reports.personal_data import can_see_contact, contact_for
from moderation.reports.services import public_report_submit


class PublicReportSerializer(serializers.ModelSerializer):
    rule = serializers.SlugRelatedField(slug_field="code", queryset=Rule.objects.active(), required=False,
                                        allow_null=True)
    channel = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    contact = serializers.CharField(source="reporter_contact", required=False, allow_blank=True, max_length=300)
    message = serializers.CharField(source="reporter_message", required=False, allow_blank=True)
    # Every way a report arrives is shown; staff register only those that reach them (not the public form).
    via = serializers.ChoiceField(choices=ReportVia.choices, default=ReportVia.EMAIL,
                                  help_text="Hur anmälan kom in (formuläret bara via /anmal/).")

    source_item = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True,
                                                     help_text="Privat meddelande anmälan gjordes av.")
    email_url = serializers.SerializerMethodField(help_text="Det sparade e-postmeddelandet (.eml), för behöriga.")

    class Meta:
        model = PublicReport
        fields = ["id", "text", "url", "rule", "contact", "message", "via", "status", "channel", "item",
                  "source_item", "email_url", "created_at"]
        read_only_fields = ["id", "status", "channel", "item", "created_at"]

    def _user(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_email_url(self, obj) -> str | None:
        record = getattr(obj, "email", None)
        if record is None or not record.eml or not can_see_contact(self._user()):
            return None
        return reverse("report_source_download", args=[obj.pk])

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["contact"] = contact_for(self._user(), data.get("contact") or "")
        return data

    def validate_via(self, value):
        if value == ReportVia.FORM:
            raise serializers.ValidationError("Anmälningar via formuläret kommer från /anmal/, inte från API:t.")
        return value

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
        return PublicReport.objects.visible_to(self.request.user).select_related("rule", "channel", "email").order_by(
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

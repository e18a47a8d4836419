"""REST API for deliveries to the e-archive and the archive's reports, under /api/v1/.

`archive-deliveries` lists the packages handed to the e-archive; `…/{id}/receipt/` records the
archive's receipt (the case becomes delivered; 409 when the workflow refuses). `archive-reports/
description/` and `…/inventory/` return the arkivbeskrivning and arkivförteckning as PDF/A.
Same permissions as the pages: change_archivedelivery for receipts, view_retentionclass for reports.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from config.api import require_perm
from records.archive.reports import archive_description_pdf, archive_inventory_pdf
from records.archive.services import archive_delivery_confirm
from records.models import ArchiveDelivery


class ArchiveDeliverySerializer(serializers.ModelSerializer):
    case = serializers.CharField(source="case.number", read_only=True, help_text="Ärendets diarienummer")
    case_id = serializers.IntegerField(read_only=True)
    case_status = serializers.CharField(source="case.status", read_only=True)
    exported_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    receipt_recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ArchiveDelivery
        fields = ["id", "case", "case_id", "case_status", "package_id", "package_sha256", "document_count",
                  "exported_at", "exported_by", "received_on", "archive_reference", "receipt_note",
                  "receipt_recorded_by", "receipt_recorded_at"]
        read_only_fields = fields


class ReceiptSerializer(serializers.Serializer):
    received_on = serializers.DateField(help_text="Dagen då arkivet tog emot paketet.")
    archive_reference = serializers.CharField(max_length=200, help_text="Arkivets referens för leveransen.")
    note = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_view(
    list=extend_schema(summary="Leveranser till e-arkivet"),
    retrieve=extend_schema(summary="En leverans till e-arkivet"),
)
class ArchiveDeliveryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ArchiveDeliverySerializer
    filterset_fields = ["case"]
    ordering_fields = ["exported_at"]
    queryset = ArchiveDelivery.objects.none()

    def get_queryset(self):
        return ArchiveDelivery.objects.select_related("case", "exported_by", "receipt_recorded_by").order_by(
            "-exported_at", "-id")

    @extend_schema(summary="Registrera arkivets kvittens (ärendet blir levererat)", request=ReceiptSerializer,
                   responses={200: ArchiveDeliverySerializer, 409: OpenApiResponse(description="Arbetsflödet "
                                                                                 "tillåter inte kvittensen")})
    @action(detail=True, methods=["post"])
    def receipt(self, request, pk=None):
        require_perm(request, "records.change_archivedelivery")
        body = ReceiptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        delivery = archive_delivery_confirm(delivery=self.get_object(), actor=request.user, **body.validated_data)
        return Response(ArchiveDeliverySerializer(ArchiveDelivery.objects.select_related("case").get(
            pk=delivery.pk)).data)


class CanReadPlan(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and getattr(user, "is_staff_member", False)
                    and user.has_perm("records.view_retentionclass"))


def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y-%m-%d}.pdf"'
    return response


class ArchiveReportViewSet(viewsets.ViewSet):
    """The arkivbeskrivning and arkivförteckning, generated from the retention plan, as PDF/A-2b."""

    permission_classes = [CanReadPlan]

    @extend_schema(summary="Arkivbeskrivning (PDF/A)", responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"], url_path="description")
    def archive_description(self, request):  # not "description": DRF's viewsets use that name
        return _pdf(archive_description_pdf(actor=request.user), "arkivbeskrivning")

    @extend_schema(summary="Arkivförteckning (PDF/A)", responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"], url_path="inventory")
    def archive_inventory(self, request):
        return _pdf(archive_inventory_pdf(actor=request.user), "arkivforteckning")


ROUTES = [
    ("archive-deliveries", ArchiveDeliveryViewSet, "archivedelivery"),
    ("archive-reports", ArchiveReportViewSet, "archivereport"),
]

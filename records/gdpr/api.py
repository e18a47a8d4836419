"""REST API for data-subject requests (GDPR art. 15, 17) under /api/v1/subject-requests/."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from config.api import require_perm
from records.gdpr import services as gdpr
from records.models import (
    SubjectRequest,
    SubjectRequestKind,
    SubjectRequestStatus,
)


class SubjectRequestSerializer(serializers.ModelSerializer):
    handled_by = serializers.CharField(source="handled_by.username", read_only=True, allow_null=True)
    # A plain string (access, erasure, both): a second enum named "kind" would collide in the schema.
    kind = serializers.CharField(read_only=True, help_text="access, erasure eller both.")
    hits = serializers.SerializerMethodField()

    class Meta:
        model = SubjectRequest
        fields = ["id", "reference", "kind", "received_at", "deadline", "requester_name", "requester_contact",
                  "status", "handled_by", "answered_at", "erasure_refused_count", "hits"]
        read_only_fields = fields

    def get_hits(self, obj) -> list[dict[str, str]]:
        return [{"type": h.target_type, "id": h.target_id, "label": h.label, "why": h.why, "outcome": h.outcome}
                for h in obj.hits.all()]


class SubjectRequestCreateSerializer(serializers.Serializer):
    def validate_kind(self, value):
        if value not in SubjectRequestKind.values:
            raise serializers.ValidationError("Ange access, erasure eller both.")
        return value

    kind = serializers.CharField(default=SubjectRequestKind.ACCESS, help_text="access, erasure eller both.")
    requester_name = serializers.CharField(max_length=200)
    requester_contact = serializers.CharField(max_length=300)
    received_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    identifiers = serializers.DictField(child=serializers.CharField(allow_blank=True), help_text=(
        "Sökuppgifter: platform_account, name, email, phone, personnummer."))


class SubjectRequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=SubjectRequestStatus.choices, label="Status")
    kind = django_filters.ChoiceFilter(choices=SubjectRequestKind.choices, label="Slag")

    class Meta:
        model = SubjectRequest
        fields = ["status", "kind"]


@extend_schema_view(
    list=extend_schema(summary="Begäranden enligt dataskyddsförordningen"),
    retrieve=extend_schema(summary="En begäran enligt dataskyddsförordningen"),
    create=extend_schema(summary="Registrera en begäran (registerutdrag/radering)",
                         request=SubjectRequestCreateSerializer, responses={201: SubjectRequestSerializer}),
)
class SubjectRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                            viewsets.GenericViewSet):
    serializer_class = SubjectRequestSerializer
    filterset_class = SubjectRequestFilter
    ordering_fields = ["received_at", "deadline"]
    queryset = SubjectRequest.objects.none()

    def get_queryset(self):
        return SubjectRequest.objects.visible_to(self.request.user).select_related("handled_by").prefetch_related(
            "hits").order_by("-received_at", "-id")

    def create(self, request, *args, **kwargs):
        data = SubjectRequestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        r = gdpr.subject_request_create(actor=request.user, **data.validated_data)
        return Response(SubjectRequestSerializer(r).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Sök efter den registrerades uppgifter i alla register", request=None,
                   responses=SubjectRequestSerializer)
    @action(detail=True, methods=["post"])
    def search(self, request, pk=None):
        require_perm(request, "records.change_subjectrequest")
        r = self.get_object()
        gdpr.subject_request_search(request=r, actor=request.user)
        return Response(SubjectRequestSerializer(SubjectRequest.objects.get(pk=r.pk)).data)


ROUTES = [
    ("subject-requests", SubjectRequestViewSet, "subjectrequest"),
]

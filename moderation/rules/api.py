"""REST API for the published rules under /api/v1/rules/ (read-only)."""

from __future__ import annotations

from drf_spectacular.utils import (
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, viewsets

from moderation.models import (
    Rule,
)
from moderation.rules.filters import RuleFilter


class RuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rule
        fields = ["id", "code", "title_sv", "title_en", "description_sv", "description_en", "consequence",
                  "severity", "is_violation", "published", "order", "version", "valid_from"]
        read_only_fields = fields


@extend_schema_view(list=extend_schema(summary="Publicerade regler"), retrieve=extend_schema(summary="En regel"))
class RuleViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RuleSerializer
    filterset_class = RuleFilter
    queryset = Rule.objects.active().order_by("order", "code")


ROUTES = [
    ("rules", RuleViewSet, "rule"),
]

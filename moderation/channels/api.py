"""REST API for channels under /api/v1/channels/ (read-only)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, viewsets

from moderation.channels.filters import ChannelFilter
from moderation.models import (
    Channel,
)


class ChannelSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    has_credentials = serializers.SerializerMethodField()

    class Meta:
        model = Channel
        fields = ["id", "slug", "name", "platform", "external_id", "unit", "url", "active", "description",
                  "has_credentials", "credentials_status", "credentials_checked_at", "last_event_at"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_has_credentials(self, obj):
        return obj.has_secret("access_token") or obj.has_secret("app_secret")


@extend_schema_view(list=extend_schema(summary="Kanaler (inga hemligheter)"),
                    retrieve=extend_schema(summary="En kanal"))
class ChannelViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ChannelSerializer
    filterset_class = ChannelFilter
    queryset = Channel.objects.none()

    def get_queryset(self):
        return Channel.objects.visible_to(self.request.user).select_related("unit").order_by("name", "id")


ROUTES = [
    ("channels", ChannelViewSet, "channel"),
]

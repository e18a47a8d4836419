from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from accounts.filters import AuditEventFilter, UnitFilter
from accounts.models import AuditEvent, Unit


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Unit
        fields = ["id", "code", "name", "description", "parent", "active"]


class AuditEventSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="Händelsens slag (för äldre rader härlett ur detaljerna).")
    kind_label = serializers.CharField(source="action_label", read_only=True, help_text="Händelsens slag på svenska.")

    class Meta:
        model = AuditEvent
        fields = ["id", "at", "actor_label", "action", "kind", "kind_label", "target_type", "target_id",
                  "target_label", "detail", "ip_address"]


@extend_schema_view(list=extend_schema(summary="Enheter (förvaltningar)"))
class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Unit.objects.select_related("parent").order_by("name")
    serializer_class = UnitSerializer
    filterset_class = UnitFilter
    ordering_fields = ["name", "code"]


@extend_schema_view(list=extend_schema(summary="Granskningsloggen (endast läsning)"))
class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = AuditEvent.objects.order_by("-at", "-id")
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter
    ordering_fields = ["at"]


ROUTES = [
    ("units", UnitViewSet, "unit"),
    ("audit-events", AuditEventViewSet, "auditevent"),
]

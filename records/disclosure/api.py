"""API: /api/v1/disclosure-requests/ (list, retrieve, create) for registrars and readers of requests."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from records.disclosure.forms import DisclosureRequestFilter, resolve_documents
from records.disclosure.services import disclosure_is_overdue, disclosure_request_create
from records.models import DisclosureChannel, DisclosureItem, DisclosureRequest


class DisclosureItemSerializer(serializers.ModelSerializer):
    document = serializers.CharField(source="document.number", read_only=True, allow_null=True,
                                     help_text="Handlingens diarienummer (null innan handlingen är identifierad).")
    legal_ground = serializers.CharField(source="legal_ground.code", read_only=True, allow_null=True,
                                         help_text="Lagrum (OSL) vid maskering eller avslag.")

    class Meta:
        model = DisclosureItem
        fields = ["document", "description", "outcome", "legal_ground"]


class DisclosureRequestSerializer(serializers.ModelSerializer):
    overdue = serializers.SerializerMethodField(help_text="Tidsfristen har passerat och begäran är inte prövad.")
    items = DisclosureItemSerializer(many=True, read_only=True)

    class Meta:
        model = DisclosureRequest
        fields = ["id", "reference", "received_at", "channel_in", "requester_name", "status", "deadline_at",
                  "overdue", "items"]
        read_only_fields = fields

    def get_overdue(self, obj) -> bool:
        return disclosure_is_overdue(obj)


class DisclosureRequestCreateSerializer(serializers.Serializer):
    request_text = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    channel_in = serializers.ChoiceField(choices=DisclosureChannel.choices, default=DisclosureChannel.EMAIL)
    requester_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    requester_contact = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    documents = serializers.ListField(child=serializers.CharField(max_length=70), required=False, default=list,
                                      help_text="Diarienummer, t.ex. [\"KS 2026/12-3\"].")
    received_at = serializers.DateTimeField(required=False, allow_null=True, default=None)

    def validate_documents(self, value):
        found, unknown = resolve_documents(list(dict.fromkeys(value)))
        if unknown:
            raise serializers.ValidationError(f"Finns inte i diariet: {', '.join(unknown)}")
        return found

    def validate_received_at(self, value):
        if value is not None and value > timezone.now() + timedelta(minutes=5):
            raise serializers.ValidationError("Tiden kan inte ligga i framtiden.")
        return value

    def validate(self, attrs):
        if not attrs.get("documents") and not (attrs.get("request_text") or "").strip():
            raise serializers.ValidationError("Ange handlingar eller beskriv begäran.")
        return attrs


@extend_schema_view(
    list=extend_schema(summary="Begäranden om allmän handling"),
    retrieve=extend_schema(summary="En begäran om allmän handling"),
    create=extend_schema(summary="Registrera en begäran om allmän handling",
                         request=DisclosureRequestCreateSerializer, responses={201: DisclosureRequestSerializer}),
)
class DisclosureRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                               viewsets.GenericViewSet):
    serializer_class = DisclosureRequestSerializer
    filterset_class = DisclosureRequestFilter
    ordering_fields = ["received_at", "deadline_at"]
    queryset = DisclosureRequest.objects.none()

    def get_queryset(self):
        items = DisclosureItem.objects.select_related("document", "legal_ground").order_by("id")
        return (DisclosureRequest.objects.visible_to(self.request.user)
                .prefetch_related(Prefetch("items", queryset=items)).order_by("-received_at", "-id"))

    def create(self, request, *args, **kwargs):
        incoming = DisclosureRequestCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        created = disclosure_request_create(
            request_text=data["request_text"], channel_in=data["channel_in"], requester_name=data["requester_name"],
            requester_contact=data["requester_contact"], documents=data["documents"],
            received_at=data["received_at"], actor=request.user,
        )
        created = self.get_queryset().get(pk=created.pk)
        return Response(DisclosureRequestSerializer(created, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


ROUTES = [
    ("disclosure-requests", DisclosureRequestViewSet, "disclosurerequest"),
]

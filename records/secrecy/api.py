"""Secrecy in the API (parity with the document page): `documents/{id}/secrecy/` lists the markings
(GET) and marks a part (POST); `.../secrecy/lift/` lifts one; `.../secrecy/same-sender/` lists the
other documents and items carrying the same secret sender (GET) and extends the marking to the
chosen ones in one step (POST). Mixed into the documents viewset (records/diarium/api.py)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from config.api import id_field, require_perm
from records.models import LegalGround, SecrecyMarking, SecrecyPart
from records.secrecy import services


class MarkingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    part = serializers.ChoiceField(choices=SecrecyPart.choices)
    part_label = serializers.CharField()
    legal_ground = serializers.CharField()
    legal_ground_title = serializers.CharField()
    expires_on = serializers.DateField(allow_null=True)
    marked_at = serializers.DateTimeField()


class MarkSerializer(serializers.Serializer):
    part = serializers.ChoiceField(choices=SecrecyPart.choices)
    legal_ground = serializers.CharField(help_text="Lagrum, t.ex. \"OSL 21 kap. 3 §\"")
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)

    def validate_legal_ground(self, value):
        ground = LegalGround.objects.active().filter(code=value).first()
        if ground is None:
            raise serializers.ValidationError(f"Okänt eller inaktivt lagrum: {value}")
        return ground


class LiftSerializer(serializers.Serializer):
    part = serializers.ChoiceField(choices=SecrecyPart.choices)
    reason = serializers.CharField()


class SourceRefSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.CharField()


class SecrecyExtendSerializer(serializers.Serializer):
    documents = serializers.ListField(child=id_field(), required=False, default=list)
    sources = SourceRefSerializer(many=True, required=False, default=list)


RelativesSerializer = inline_serializer("SameSender", fields={
    "documents": serializers.ListField(child=serializers.DictField()),
    "sources": serializers.ListField(child=serializers.DictField()),
})
ExtendResultSerializer = inline_serializer("SameSenderResult", fields={
    "marked": serializers.ListField(child=serializers.CharField()),
    "registered": serializers.ListField(child=serializers.CharField()),
})


class DocumentSecrecyActions:
    """Actions for DocumentViewSet; the viewset's `get_object` scopes the document to the user."""

    def _markings(self, request, document) -> list[dict]:
        view = services.document_view(document, request.user, audit_request=request, surface="api")
        return MarkingSerializer(view["secrecy"], many=True).data

    @extend_schema(summary="Sekretessmarkeringar: lista (GET) eller markera en del (POST)",
                   request=MarkSerializer, responses={200: MarkingSerializer(many=True),
                                                      201: MarkingSerializer(many=True)})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def secrecy(self, request, pk=None):
        document = self.get_object()
        if request.method == "GET":
            return Response(self._markings(request, document))
        require_perm(request, "records.add_secrecymarking")
        require_perm(request, "records.register_document")
        body = MarkSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.secrecy_mark(document=document, actor=request.user, **body.validated_data)
        document = type(document).objects.get(pk=document.pk)
        return Response(self._markings(request, document), status=status.HTTP_201_CREATED)

    @extend_schema(summary="Häv sekretessmarkeringen för en del", request=LiftSerializer,
                   responses={200: MarkingSerializer(many=True)})
    @action(detail=True, methods=["post"], url_path="secrecy/lift", pagination_class=None)
    def secrecy_lift(self, request, pk=None):
        require_perm(request, "records.change_secrecymarking")
        require_perm(request, "records.register_document")
        document = self.get_object()
        body = LiftSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        marking = SecrecyMarking.objects.active().filter(document=document,
                                                         part=body.validated_data["part"]).first()
        if marking is None:
            from accounts.errors import Conflict

            raise Conflict("Delen är inte sekretessmarkerad.")
        services.secrecy_lift(marking=marking, actor=request.user, reason=body.validated_data["reason"])
        document = type(document).objects.get(pk=document.pk)
        return Response(self._markings(request, document))

    @extend_schema(summary="Samma avsändare: lista (GET) eller sekretessmarkera i de valda (POST)",
                   request=SecrecyExtendSerializer, responses={200: RelativesSerializer, 201: ExtendResultSerializer})
    @action(detail=True, methods=["get", "post"], url_path="secrecy/same-sender")
    def secrecy_same_sender(self, request, pk=None):
        # Which other records carry this sender is itself the secret: only for those who may see it.
        require_perm(request, "records.view_secret")
        document = self.get_object()
        if request.method == "GET":
            relatives = services.sender_relatives(document=type(document).objects.with_secrecy().get(pk=document.pk))
            return Response({
                "documents": [{"id": d.pk, "number": d.number, "date": d.date} for d in relatives.documents],
                "sources": [{"type": m.type, "id": m.id, "label": m.label, "why": m.why} for m in relatives.sources],
            })
        require_perm(request, "records.add_secrecymarking")
        require_perm(request, "records.register_document")
        body = SecrecyExtendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = services.secrecy_extend_to_sender(
            document=document, actor=request.user, documents=body.validated_data["documents"],
            sources=[(s["type"], s["id"]) for s in body.validated_data["sources"]])
        return Response(result, status=status.HTTP_201_CREATED)

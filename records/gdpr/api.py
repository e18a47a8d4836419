"""REST API for data-subject requests (GDPR art. 12, 15, 17) under /api/v1/subject-requests/.

Everything the archivist does on the pages: create, `search/`, `extract/` (the register extract,
art. 15, kept as a letter), `extend/` (art. 12.3), `erase/` (propose erasure of chosen hits),
`approve/` (a second archivist), `close/`. Each request lists the `actions` the user may take now
(`records.workflow.available_actions`); a refused action answers 409 with a Swedish message naming
the rule.
"""

from __future__ import annotations

import json

import django_filters
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from config.api import id_field, require_perm
from records.gdpr import erasure
from records.gdpr import services as gdpr
from records.models import (
    DisclosureDecisionLetter,
    LetterKind,
    SubjectRequest,
    SubjectRequestHit,
    SubjectRequestKind,
    SubjectRequestStatus,
)
from records.workflow import available_names


class HitSerializer(serializers.ModelSerializer):
    class Meta:
        model = SubjectRequestHit
        fields = ["id", "target_type", "target_id", "label", "why", "registered", "public_record", "record_type",
                  "record_id", "held", "held_until", "selected_for_erasure", "outcome", "ground",
                  "retention_class_code", "due", "number", "scheduled_for", "purge_reference"]
        read_only_fields = fields


class LetterSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = DisclosureDecisionLetter
        fields = ["id", "kind", "created_at", "sha256", "url"]
        read_only_fields = fields

    def get_url(self, obj) -> str:
        return reverse("subject_letter_download", args=[obj.pk])


class SubjectRequestSerializer(serializers.ModelSerializer):
    handled_by = serializers.CharField(source="handled_by.username", read_only=True, allow_null=True)
    # A plain string (access, erasure, both): a second enum named "kind" would collide in the schema.
    kind = serializers.CharField(read_only=True, help_text="access, erasure eller both.")
    hits = HitSerializer(many=True, read_only=True)
    letters = LetterSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField(help_text="Åtgärder som användaren får göra nu.")

    class Meta:
        model = SubjectRequest
        fields = ["id", "reference", "kind", "received_at", "deadline", "extended_at", "extension_reason",
                  "requester_name", "requester_contact", "status", "handled_by", "answered_at",
                  "erasure_schedule", "erasure_refused_count", "hits", "letters", "actions"]
        read_only_fields = fields

    def get_actions(self, obj) -> list[str]:
        request = self.context.get("request")
        return sorted(available_names(obj, getattr(request, "user", None))) if request else []


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


class ExtractSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=["json", "pdf"], default="json", help_text=(
        "json: utdraget i svaret (och som PDF-brev hos begäran); pdf: bara PDF-brevet."))


class DeadlineExtendSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000,
                                   help_text="Skälet till förlängningen; den registrerade får veta det.")


class EraseSerializer(serializers.Serializer):
    hits = serializers.ListField(child=id_field(), allow_empty=False,
                                 help_text="Id:n för träffarna som ska raderas.")
    schedule = serializers.BooleanField(default=False, help_text=(
        "Allmänna handlingar som inte får raderas nu gallras i stället den dag gallringsklassen tillåter."))


class SubjectCloseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class SubjectRequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=SubjectRequestStatus.choices, label="Status")
    kind = django_filters.ChoiceFilter(choices=SubjectRequestKind.choices, label="Slag")

    class Meta:
        model = SubjectRequest
        fields = ["status", "kind"]


REFUSED = {409: inline_serializer("SubjectRequestRefused", fields={"detail": serializers.CharField(),
                                                                   "code": serializers.CharField()})}
EXTRACT_RESPONSE = inline_serializer("SubjectExtract", fields={
    "letter": LetterSerializer(allow_null=True),
    "extract": serializers.DictField(help_text="Registerutdraget (JSON), med källa och mottagare per uppgift."),
})


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
            "hits", "letters").order_by("-received_at", "-id")

    def _data(self, r: SubjectRequest) -> dict:
        fresh = self.get_queryset().get(pk=r.pk)
        return SubjectRequestSerializer(fresh, context={"request": self.request}).data

    def create(self, request, *args, **kwargs):
        data = SubjectRequestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        r = gdpr.subject_request_create(actor=request.user, **data.validated_data)
        return Response(self._data(r), status=status.HTTP_201_CREATED)

    @extend_schema(summary="Sök efter den registrerades uppgifter i alla register", request=None,
                   responses={200: SubjectRequestSerializer, **REFUSED})
    @action(detail=True, methods=["post"])
    def search(self, request, pk=None):
        require_perm(request, "records.change_subjectrequest")
        r = self.get_object()
        gdpr.subject_request_search(request=r, actor=request.user)
        return Response(self._data(r))

    @extend_schema(summary="Registerutdrag (art. 15): varje uppgift med ändamål, lagrum, lagringstid, källa "
                           "och mottagare; sparas som PDF-brev hos begäran", request=ExtractSerializer,
                   responses={200: EXTRACT_RESPONSE, **REFUSED})
    @action(detail=True, methods=["post"])
    def extract(self, request, pk=None):
        require_perm(request, "records.change_subjectrequest")
        r = self.get_object()
        body = ExtractSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = None
        if body.validated_data["format"] == "json":
            data = json.loads(gdpr.subject_request_extract(request=r, actor=request.user, format="json"))
        gdpr.subject_request_extract(request=r, actor=request.user, format="pdf")
        letter = r.letters.filter(kind=LetterKind.GDPR_ACCESS).order_by("-created_at", "-id").first()
        return Response({"letter": LetterSerializer(letter).data if letter else None, "extract": data})

    @extend_schema(summary="Förläng tidsfristen med två månader (art. 12.3); brevet till den registrerade "
                           "skapas och sparas", request=DeadlineExtendSerializer,
                   responses={200: SubjectRequestSerializer, **REFUSED})
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        require_perm(request, "records.change_subjectrequest")
        body = DeadlineExtendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        r = gdpr.subject_request_extend(request=self.get_object(), actor=request.user,
                                        reason=body.validated_data["reason"])
        return Response(self._data(r))

    @extend_schema(summary="Föreslå radering av valda träffar (en annan arkivarie godkänner); varje träff får "
                           "det besked den skulle få i dag", request=EraseSerializer,
                   responses={200: SubjectRequestSerializer, **REFUSED})
    @action(detail=True, methods=["post"])
    def erase(self, request, pk=None):
        require_perm(request, "records.change_subjectrequest")
        body = EraseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        r = erasure.subject_request_propose_erasure(request=self.get_object(), hits=body.validated_data["hits"],
                                                    schedule=body.validated_data["schedule"], actor=request.user)
        return Response(self._data(r))

    @extend_schema(summary="Godkänn raderingen (en annan arkivarie än handläggaren): allmänna handlingar raderas "
                           "bara när gallringsklassen tillåter det (art. 17.3 b, arkivlagen)", request=None,
                   responses={200: SubjectRequestSerializer, **REFUSED})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        require_perm(request, "records.approve_subjectrequest")
        r = erasure.subject_request_approve_erasure(request=self.get_object(), actor=request.user)
        return Response(self._data(r))

    @extend_schema(summary="Avsluta begäran", request=SubjectCloseSerializer,
                   responses={200: SubjectRequestSerializer, **REFUSED})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        require_perm(request, "records.change_subjectrequest")
        body = SubjectCloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        r = gdpr.subject_request_close(request=self.get_object(), actor=request.user,
                                       reason=body.validated_data["reason"])
        return Response(self._data(r))


ROUTES = [
    ("subject-requests", SubjectRequestViewSet, "subjectrequest"),
]

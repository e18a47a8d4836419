"""REST API for the diarium: series, cases, documents, registration proposals.

Documents are always read through records.secrecy.services: a secret part the user may not see
is `null` and the document says `"masked": true`; a registrar receiving secret parts is audited.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.errors import DomainError
from config.api import id_field, require_perm
from records.diarium import services
from records.diarium.filters import CaseFilter, DocumentFilter, ProposalFilter
from records.diarium.forms import RegistrationsExportForm
from records.diarium.views.export import zip_export
from records.models import (
    Case,
    Direction,
    Document,
    LegalGround,
    RegistrationProposal,
    RegistrationReason,
    SecrecyPart,
    SenderKind,
    Series,
)
from records.secrecy import services as secrecy_services
from records.secrecy.api import DocumentSecrecyActions

# --- series -------------------------------------------------------------------------------------


class SeriesSerializer(serializers.ModelSerializer):
    class Meta:
        model = Series
        fields = ["id", "code", "name", "body", "number_format", "document_separator", "active"]

    def validate(self, attrs):
        instance = Series(**{**({f: getattr(self.instance, f) for f in attrs} if self.instance else {}), **attrs})
        try:
            instance.clean()
        except Exception as exc:  # noqa: BLE001 - ValidationError from the model
            raise serializers.ValidationError(getattr(exc, "message_dict", str(exc))) from exc
        return attrs


@extend_schema_view(list=extend_schema(summary="Diarieserier"))
class SeriesViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Series.objects.order_by("code")
    serializer_class = SeriesSerializer
    filterset_fields = ["active", "code"]
    ordering_fields = ["code"]


# --- cases --------------------------------------------------------------------------------------


class CaseSerializer(serializers.ModelSerializer):
    series = serializers.SlugRelatedField(slug_field="code", read_only=True)
    title = serializers.SerializerMethodField()
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    responsible = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Case
        fields = ["id", "number", "series", "year", "sequence", "title", "public_title", "unit", "responsible",
                  "classification_code", "status", "opened_at", "closed_at"]

    def get_title(self, case) -> str:
        request = self.context.get("request")
        return case.title if secrecy_services.may_view_secret(getattr(request, "user", None)) else case.display_title


class CaseCreateSerializer(serializers.Serializer):
    series = serializers.SlugRelatedField(slug_field="code", queryset=Series.objects.filter(active=True))
    title = serializers.CharField(max_length=500)
    public_title = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    classification_code = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    opened_at = serializers.DateField(required=False)


@extend_schema_view(
    list=extend_schema(summary="Ärenden"),
    create=extend_schema(summary="Öppna ett ärende", request=CaseCreateSerializer, responses={201: CaseSerializer}),
)
class CaseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    ordering_fields = ["number", "opened_at"]

    def get_queryset(self):
        return Case.objects.visible_to(self.request.user).select_related("series", "unit", "responsible").order_by(
            "-year", "-sequence")

    def create(self, request, *args, **kwargs):
        data = CaseCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.case_open(actor=request.user, responsible=request.user, **data.validated_data)
        return Response(CaseSerializer(case, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Avsluta ärendet", request=None, responses={200: CaseSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        require_perm(request, "records.change_case")
        case = services.case_close(case=self.get_object(), actor=request.user)
        return Response(CaseSerializer(case, context={"request": request}).data)

    @extend_schema(summary="Öppna ärendet igen", request=None, responses={200: CaseSerializer})
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        require_perm(request, "records.change_case")
        case = services.case_reopen(case=self.get_object(), actor=request.user)
        return Response(CaseSerializer(case, context={"request": request}).data)


# --- documents ----------------------------------------------------------------------------------


class SecrecySerializer(serializers.Serializer):
    part = serializers.ChoiceField(choices=SecrecyPart.choices)
    legal_ground = serializers.CharField(help_text="Lagrum, t.ex. \"OSL 26 kap. 1 §\"")
    expires_on = serializers.DateField(allow_null=True, required=False)


class DocumentSerializer(serializers.Serializer):
    """Reads the dict from records.secrecy.services.document_view (secret parts already None)."""

    id = serializers.IntegerField()
    number = serializers.CharField()
    case = serializers.CharField(source="case_number", help_text="Ärendets diarienummer")
    case_id = serializers.IntegerField()
    direction = serializers.ChoiceField(choices=Direction.choices)
    date = serializers.DateField()
    sender = serializers.CharField(allow_null=True)
    sender_kind = serializers.ChoiceField(choices=SenderKind.choices,
                                          help_text="Avsändarens/mottagarens art; privatpersoners namn visas inte i "
                                                    "postlistan.")
    sender_is_private_person = serializers.BooleanField()
    description = serializers.CharField(allow_null=True)
    public_description = serializers.CharField(allow_null=True)
    content = serializers.CharField(allow_null=True)
    content_sha256 = serializers.CharField(allow_null=True)
    reason = serializers.ChoiceField(choices=RegistrationReason.choices)
    source_type = serializers.CharField()
    source_id = serializers.CharField()
    secrecy = SecrecySerializer(many=True)
    masked = serializers.BooleanField()
    registered_by = serializers.CharField()
    registered_at = serializers.DateTimeField()
    voided = serializers.BooleanField()
    void_reason = serializers.CharField()


class DocumentCreateSerializer(serializers.Serializer):
    case = serializers.CharField(help_text="Ärendets id eller diarienummer")
    direction = serializers.ChoiceField(choices=Direction.choices)
    date = serializers.DateField()
    sender = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    sender_kind = serializers.ChoiceField(choices=SenderKind.choices, required=False, allow_null=True, default=None)
    sender_is_private_person = serializers.BooleanField(
        required=False, allow_null=True, default=None,
        help_text="Äldre form av sender_kind: true = privatperson, false = organisation.")
    description = serializers.CharField(max_length=500)
    public_description = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    reason = serializers.ChoiceField(choices=RegistrationReason.choices)
    content = serializers.CharField(required=False, allow_blank=True, default="")
    secrecy = SecrecySerializer(many=True, required=False, default=list)

    def validate_case(self, value):
        qs = Case.objects.all()
        case = qs.filter(pk=int(value)).first() if str(value).isdecimal() else qs.filter(number=value).first()
        if case is None:
            raise serializers.ValidationError("Okänt ärende.")
        return case

    def validate_secrecy(self, value):
        parts = {}
        for entry in value:
            ground = LegalGround.objects.active().filter(code=entry["legal_ground"]).first()
            if ground is None:
                raise serializers.ValidationError(f"Okänt lagrum: {entry['legal_ground']}")
            parts[entry["part"]] = (ground, entry.get("expires_on"))
        return parts


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class RegistrationsExportQuery(serializers.Serializer):
    date_from = serializers.DateField(help_text="Första registreringsdagen (ÅÅÅÅ-MM-DD).")
    date_to = serializers.DateField(help_text="Sista registreringsdagen (ÅÅÅÅ-MM-DD), högst ett år efter.")

    def validate(self, attrs):
        form = RegistrationsExportForm(data={k: v.isoformat() for k, v in attrs.items()})
        if not form.is_valid():
            raise serializers.ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
        return attrs


@extend_schema_view(
    list=extend_schema(summary="Handlingar (sekretessmarkerade delar är null med masked=true)",
                       responses=DocumentSerializer(many=True)),
    retrieve=extend_schema(summary="En handling", responses=DocumentSerializer),
    create=extend_schema(summary="Diarieför en handling", request=DocumentCreateSerializer,
                         responses={201: DocumentSerializer}),
)
class DocumentViewSet(DocumentSecrecyActions, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    ordering_fields = ["date", "number", "registered_at"]

    def get_queryset(self):
        return Document.objects.visible_to(self.request.user).select_related("case", "registered_by").order_by(
            "-date", "-id")

    def _out(self, documents) -> list[dict]:
        return secrecy_services.documents_for_list(documents, self.request.user, audit_request=self.request,
                                                   surface="api")

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = self._out(list(page if page is not None else queryset))
        data = DocumentSerializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request, *args, **kwargs):
        document = self.get_object()
        view = secrecy_services.document_view(document, request.user, audit_request=request, surface="api")
        return Response(DocumentSerializer(view).data)

    def create(self, request, *args, **kwargs):
        require_perm(request, "records.register_document")
        data = DocumentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        secret_parts = values.pop("secrecy")
        document = services.document_register(actor=request.user, secret_parts=secret_parts, **values)
        view = secrecy_services.document_view(document, request.user, audit_request=request, surface="api")
        return Response(DocumentSerializer(view).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Export till huvuddiariet: en JSON- och en PDF/A-fil per registrering, CSV- och JSON-förteckning (ZIP)",
        parameters=[RegistrationsExportQuery],
        responses={(200, "application/zip"): OpenApiTypes.BINARY,
                   403: OpenApiResponse(description="Perioden har sekretess och användaren får inte se den")},
    )
    @action(detail=False, methods=["get"], url_path="export", filter_backends=[], pagination_class=None)
    def registrations_export(self, request):
        require_perm(request, "records.register_document")
        require_perm(request, "records.view_secret")
        query = RegistrationsExportQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        response, _count = zip_export(actor=request.user, **query.validated_data)
        return response

    @extend_schema(summary="Makulera handlingen", request=ReasonSerializer, responses={200: DocumentSerializer})
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        require_perm(request, "records.register_document")
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        document = services.document_void(document=self.get_object(), actor=request.user,
                                          reason=body.validated_data["reason"])
        return Response(DocumentSerializer(secrecy_services.document_view(document, request.user, audit_request=request,
                                                                  surface="api")).data)


# --- registration proposals (the inbox) ---------------------------------------------------------


class ProposalSerializer(serializers.ModelSerializer):
    document = serializers.SlugRelatedField(slug_field="number", read_only=True)
    proposed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = RegistrationProposal
        fields = ["id", "source_type", "source_id", "reason", "suggested_description", "secret", "status",
                  "proposed_by", "proposed_at", "decided_at", "decline_reason", "document"]


class ProposalAcceptSerializer(serializers.Serializer):
    case = serializers.CharField(required=False, help_text="Befintligt ärende (id eller diarienummer)")
    running = serializers.BooleanField(required=False, default=False,
                                       help_text="Till det löpande ärendet för förslagets skäl (öppnas vid behov)")
    sender_kind = serializers.ChoiceField(choices=SenderKind.choices, required=False, allow_null=True, default=None)
    series = serializers.SlugRelatedField(slug_field="code", queryset=Series.objects.filter(active=True),
                                          required=False, help_text="Serie för ett nytt ärende")
    case_title = serializers.CharField(required=False, max_length=500)
    description = serializers.CharField(required=False, max_length=500)
    public_description = serializers.CharField(required=False, max_length=500, allow_blank=True)
    secrecy = SecrecySerializer(many=True, required=False, default=list)

    validate_case = DocumentCreateSerializer.validate_case
    validate_secrecy = DocumentCreateSerializer.validate_secrecy


class BulkAcceptSerializer(serializers.Serializer):
    proposals = serializers.ListField(child=id_field(), min_length=1, max_length=500,
                                      help_text="Förslagens id, i den ordning de ska numreras")
    case = serializers.CharField(required=False, help_text="Ärendet (id eller diarienummer)")
    running = serializers.BooleanField(required=False, default=False,
                                       help_text="Till det löpande ärendet för förslagens (gemensamma) skäl")

    validate_case = DocumentCreateSerializer.validate_case

    def validate(self, attrs):
        if bool(attrs.get("case")) == bool(attrs.get("running")):
            raise serializers.ValidationError("Ange antingen case eller running.")
        return attrs


@extend_schema_view(list=extend_schema(summary="Registratorns inkorg: förslag till diarieföring"))
class ProposalViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProposalSerializer
    filterset_class = ProposalFilter
    ordering_fields = ["proposed_at"]

    def get_queryset(self):
        return RegistrationProposal.objects.visible_to(self.request.user).select_related(
            "document", "proposed_by").order_by("-proposed_at", "-id")

    @extend_schema(summary="Diarieför förslaget", request=ProposalAcceptSerializer, responses={200: DocumentSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        require_perm(request, "records.register_document")
        proposal = self.get_object()
        body = ProposalAcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        new_case = None
        if v.get("case") is None and not v["running"]:
            if not v.get("series"):
                raise DomainError("Ange ett befintligt ärende eller en diarieserie för ett nytt ärende.")
            new_case = {"series": v["series"], "title": v.get("case_title") or ""}
            if not new_case["title"]:
                new_case.pop("title")
        document = services.proposal_accept(
            proposal=proposal, actor=request.user, case=v.get("case"), new_case=new_case, running=v["running"],
            description=v.get("description"), public_description=v.get("public_description"),
            secret_parts=v.get("secrecy") or None, sender_kind=v.get("sender_kind"),
        )
        return Response(DocumentSerializer(secrecy_services.document_view(document, request.user, audit_request=request,
                                                                  surface="api")).data)

    @extend_schema(summary="Diarieför flera förslag i ett ärende (en registrering, nummer i given ordning)",
                   request=BulkAcceptSerializer, responses={200: DocumentSerializer(many=True)})
    @action(detail=False, methods=["post"], url_path="bulk-accept")
    def bulk_accept(self, request):
        require_perm(request, "records.register_document")
        body = BulkAcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        found = {p.pk: p for p in self.get_queryset().filter(pk__in=v["proposals"])}
        missing = [pk for pk in v["proposals"] if pk not in found]
        if missing:
            raise serializers.ValidationError({"proposals": [f"Okända förslag: {missing}"]})
        documents = services.proposals_accept_bulk(
            proposals=[found[pk] for pk in v["proposals"]], actor=request.user, case=v.get("case"),
            running=v["running"])
        rows = secrecy_services.documents_for_list(documents, request.user, audit_request=request, surface="api")
        return Response(DocumentSerializer(rows, many=True).data)

    @extend_schema(summary="Avböj förslaget", request=ReasonSerializer, responses={200: ProposalSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        require_perm(request, "records.register_document")
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        proposal = services.proposal_decline(proposal=self.get_object(), actor=request.user,
                                             reason=body.validated_data["reason"])
        return Response(ProposalSerializer(proposal).data)


ROUTES = [
    ("series", SeriesViewSet, "series"),
    ("cases", CaseViewSet, "case"),
    ("documents", DocumentViewSet, "document"),
    ("registration-proposals", ProposalViewSet, "registrationproposal"),
]


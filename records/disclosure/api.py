"""API: /api/v1/disclosure-requests/ — requests for public documents, with every action of the UI.

Same permissions as the UI: reading needs `records.view_disclosurerequest`, creating
`records.add_disclosurerequest`, every action `records.change_disclosurerequest`. Input errors
answer 400; what the law or the workflow refuses answers 409 with a Swedish message naming the
rule (e.g. closing before a refusal was notified, OSL 6 kap. 3 §). Targets are named as
{"document": id} | {"item": id} | {"item_version": id} | {"report": id}.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.errors import DomainError
from config.api import id_field, require_perm
from records.disclosure import guards, targets
from records.disclosure import services as svc
from records.disclosure.forms import DisclosureRequestFilter
from records.models import (
    AnswerMeans,
    AppealStatus,
    CloseReason,
    DisclosureChannel,
    DisclosureItem,
    DisclosureOutcome,
    DisclosureRequest,
    Document,
)
from records.workflow import available_names

CHANGE = "records.change_disclosurerequest"
TARGET_HELP = ('Ett objekt med en nyckel: {"document": id}, {"item": id}, {"item_version": id} eller '
               '{"report": id}.')
REFUSAL = OpenApiResponse(description="Lagen eller arbetsflödet tillåter inte åtgärden nu (svensk förklaring i "
                                      "`detail`, t.ex. OSL 6 kap. 3 §).")


class TargetField(serializers.DictField):
    """{"document": 12} → ("records.document", "12")."""

    child = id_field()

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", TARGET_HELP)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if len(value) != 1:
            raise serializers.ValidationError(TARGET_HELP)
        key, pk = next(iter(value.items()))
        try:
            return targets.source_by_key(key).type, str(pk)
        except DomainError as exc:  # an unknown key
            raise serializers.ValidationError(exc.message) from exc


class DisclosureItemSerializer(serializers.ModelSerializer):
    target = serializers.SerializerMethodField(help_text=TARGET_HELP)
    document = serializers.CharField(source="document.number", read_only=True, allow_null=True,
                                     help_text="Diarienummer när målet är en diarieförd handling, annars null.")
    legal_ground = serializers.CharField(source="legal_ground.code", read_only=True, allow_null=True,
                                         help_text="Lagrum (OSL) vid maskering eller avslag.")
    masked_parts = serializers.JSONField(read_only=True, help_text=(
        'Maskerade delar: {"part": "content", "start": 10, "end": 24, "legal_ground": ".."} eller '
        '{"part": "sender"|"description"|"content"|"attachment", ...}.'))

    class Meta:
        model = DisclosureItem
        fields = ["id", "target", "target_type", "label", "document", "description", "outcome", "legal_ground",
                  "masked_parts", "reasoning", "reviewed_at"]
        read_only_fields = fields

    def get_target(self, obj) -> dict[str, int] | None:
        if not obj.target_id:
            return None
        return {targets.source(obj.target_type).key: int(obj.target_id)}


class DisclosureRequestSerializer(serializers.ModelSerializer):
    overdue = serializers.SerializerMethodField(help_text="Tidsfristen har passerat och begäran är inte prövad.")
    items = DisclosureItemSerializer(many=True, read_only=True)
    unit = serializers.CharField(source="unit.code", read_only=True, allow_null=True)
    case = serializers.CharField(source="case.number", read_only=True, allow_null=True,
                                 help_text="Ärendet där myndighetens beslut är diariefört.")
    appeal_window_ends_on = serializers.SerializerMethodField(
        help_text="Sista dag för överklagande (tre veckor från att sökanden fick beslutet och en veckas marginal).")
    actions = serializers.SerializerMethodField(help_text="Åtgärder användaren får utföra nu.")
    close_reason = serializers.ChoiceField(choices=DisclosureRequest._meta.get_field("close_reason").choices,
                                           allow_blank=True, read_only=True, help_text="Tomt tills begäran avslutats.")

    class Meta:
        model = DisclosureRequest
        fields = ["id", "reference", "received_at", "channel_in", "requester_name", "status", "appeal_status",
                  "deadline_at", "overdue", "unit", "case", "decided_at", "delivered_at", "answered_at",
                  "refusal_notified_at", "decision_requested_on", "decision_issued_at", "decision_notified_on",
                  "appeal_window_ends_on", "appeal_received_at", "closed_at", "close_reason", "close_note",
                  "actions", "items"]
        read_only_fields = fields

    def get_overdue(self, obj) -> bool:
        return svc.disclosure_is_overdue(obj)

    def get_appeal_window_ends_on(self, obj) -> str | None:
        end = svc.disclosure_appeal_window_end(obj)
        return end.isoformat() if end else None

    def get_actions(self, obj) -> list[str]:
        user = self.context["request"].user if "request" in self.context else None
        if user is None:
            return []
        names = available_names(obj, user) | available_names(obj, user, field="appeal_status")
        return sorted(names)


class DisclosureRequestCreateSerializer(serializers.Serializer):
    request_text = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    channel_in = serializers.ChoiceField(choices=DisclosureChannel.choices, default=DisclosureChannel.EMAIL)
    requester_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    requester_contact = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    documents = serializers.ListField(child=serializers.CharField(max_length=70), required=False, default=list,
                                      help_text='Diarienummer eller id, t.ex. ["KS 2026/12-3"] eller [41].')
    items = serializers.ListField(child=id_field(), required=False, default=list,
                                  help_text="Id för inlägg och kommentarer (diarieförda eller hållna ordnade).")
    targets = serializers.ListField(child=TargetField(), required=False, default=list,
                                    help_text="Andra allmänna handlingar, t.ex. [{\"report\": 7}].")
    received_at = serializers.DateTimeField(required=False, allow_null=True, default=None)

    def validate_documents(self, value):
        values = list(dict.fromkeys(value))
        ids = [v for v in values if v.isdecimal()]
        numbers = [v for v in values if not v.isdecimal()]
        found = {d.number: d for d in Document.objects.public().filter(number__in=numbers)}
        found |= {str(d.pk): d for d in Document.objects.public().filter(pk__in=ids)}
        unknown = [v for v in values if v not in found]
        if unknown:
            raise serializers.ValidationError(f"Finns inte i diariet: {', '.join(unknown)}")
        return [found[v] for v in values]

    def validate_received_at(self, value):
        if value is not None and value > timezone.now() + timedelta(minutes=5):
            raise serializers.ValidationError("Tiden kan inte ligga i framtiden.")
        return value

    def validate(self, attrs):
        item_type = targets.source_by_key("item").type
        attrs["all_targets"] = [(item_type, str(i)) for i in attrs.get("items", [])] + list(attrs.get("targets", []))
        if not attrs.get("documents") and not attrs["all_targets"] and not (attrs.get("request_text") or "").strip():
            raise serializers.ValidationError("Ange handlingar eller beskriv begäran.")
        return attrs


class TargetAddSerializer(serializers.Serializer):
    target = TargetField()


class MaskedPartSerializer(serializers.Serializer):
    part = serializers.ChoiceField(choices=["sender", "description", "content", "attachment"])
    start = serializers.IntegerField(required=False, min_value=0, help_text="Början (tecken, räknat från 0).")
    end = serializers.IntegerField(required=False, min_value=1, help_text="Slut (tecknet efter avsnittet).")
    text = serializers.CharField(required=False, max_length=5000, help_text="Maskera texten överallt den förekommer.")
    index = serializers.IntegerField(required=False, min_value=0, help_text="Bilagans nummer (0 = första).")
    legal_ground = serializers.CharField(required=False, max_length=100, help_text="Lagrum för just denna del.")


class ReviewSerializer(serializers.Serializer):
    target = TargetField()
    outcome = serializers.ChoiceField(choices=[c for c in DisclosureOutcome.values if c != DisclosureOutcome.PENDING])
    masked_parts = MaskedPartSerializer(many=True, required=False, default=list)
    legal_ground = serializers.CharField(required=False, allow_blank=True, default="", max_length=100,
                                         help_text="OSL-lagrum, t.ex. ”OSL 26 kap. 1 §”.")
    reasoning = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class DeliverSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=["pdf", "zip"], default="pdf")  # noqa: A003


class AnswerSerializer(serializers.Serializer):
    means = serializers.ChoiceField(choices=[c for c in AnswerMeans.values if c != AnswerMeans.COPIES])
    answered_on = serializers.DateField(required=False, allow_null=True, default=None)


class FormalDecisionSerializer(serializers.Serializer):
    reasoning = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000,
                                      help_text="Skälen för beslutet (förvaltningslagen 32 §); krävs när det fattas.")
    requested_on = serializers.DateField(required=False, allow_null=True, default=None,
                                         help_text="Dagen sökanden begärde beslutet (standard i dag).")
    issue = serializers.BooleanField(default=True, help_text="false: registrera bara att sökanden begärt beslutet.")


class DecisionNotifiedSerializer(serializers.Serializer):
    notified_on = serializers.DateField(help_text="Dagen sökanden fick del av beslutet (förvaltningslagen 44 §).")


class AppealSerializer(serializers.Serializer):
    received_at = serializers.DateTimeField()


class AppealRulingSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[AppealStatus.UPHELD, AppealStatus.OVERTURNED])


class DisclosureCloseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Varför begäran avslutas (sparas och visas).")
    category = serializers.ChoiceField(
        choices=CloseReason.values, required=False, allow_null=True, default=None,
        help_text="completed (besked lämnat; standard när besked är lämnat), withdrawn, duplicate, other "
                  "(standard annars).")


def _body(serializer_class, request):
    incoming = serializer_class(data=request.data)
    incoming.is_valid(raise_exception=True)
    return incoming.validated_data


def _action(summary: str, body=None, ok=None):
    return extend_schema(summary=summary, request=body, responses={
        200: ok or DisclosureRequestSerializer, 400: OpenApiResponse(description="Felaktig indata."),
        403: OpenApiResponse(description="Behörighet saknas."), 404: OpenApiResponse(description="Finns inte."),
        409: REFUSAL})


@extend_schema_view(
    list=extend_schema(summary="Begäranden om allmän handling"),
    retrieve=extend_schema(summary="En begäran om allmän handling"),
    create=extend_schema(summary="Registrera en begäran om allmän handling (spärrar det som begärs mot gallring)",
                         request=DisclosureRequestCreateSerializer,
                         responses={201: DisclosureRequestSerializer, 400: OpenApiResponse(description="Felaktig "
                                                                                                       "indata."),
                                    409: REFUSAL}),
)
class DisclosureRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                               viewsets.GenericViewSet):
    serializer_class = DisclosureRequestSerializer
    filterset_class = DisclosureRequestFilter
    ordering_fields = ["received_at", "deadline_at"]
    queryset = DisclosureRequest.objects.none()

    def get_queryset(self):
        items = DisclosureItem.objects.select_related("document", "legal_ground").order_by("id")
        return (DisclosureRequest.objects.visible_to(self.request.user).select_related("unit", "case")
                .prefetch_related(Prefetch("items", queryset=items)).order_by("-received_at", "-id"))

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        guards.prefetch_decision_settings(page if page is not None else [])
        return page

    def _answer(self, req, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=req.pk)
        return Response(DisclosureRequestSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def _changeable(self, request):
        require_perm(request, CHANGE)
        return self.get_object()

    def create(self, request, *args, **kwargs):
        data = _body(DisclosureRequestCreateSerializer, request)
        created = svc.disclosure_request_create(
            request_text=data["request_text"], channel_in=data["channel_in"], requester_name=data["requester_name"],
            requester_contact=data["requester_contact"], documents=data["documents"], targets=data["all_targets"],
            received_at=data["received_at"], actor=request.user,
        )
        return self._answer(created, status.HTTP_201_CREATED)

    @_action("Lägg till en begärd handling (spärras mot gallring)", TargetAddSerializer)
    @action(detail=True, methods=["post"], url_path="targets")
    def add_target(self, request, pk=None):
        req = self._changeable(request)
        target_type, target_id = _body(TargetAddSerializer, request)["target"]
        svc.disclosure_target_add(request=req, target_type=target_type, target_id=target_id, actor=request.user)
        return self._answer(req)

    @_action("Sekretesspröva en begärd handling: lämnas ut, med maskering eller inte", ReviewSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        req = self._changeable(request)
        data = _body(ReviewSerializer, request)
        target_type, target_id = data["target"]
        item = req.items.filter(target_type=target_type, target_id=target_id).first()
        if item is None:
            raise serializers.ValidationError({"target": "Handlingen ingår inte i begäran."})
        svc.disclosure_review(item=item, outcome=data["outcome"], actor=request.user,
                              legal_ground=data["legal_ground"] or None,
                              masked_parts=[dict(p) for p in data["masked_parts"]],
                              reasoning=data["reasoning"], note=data["note"])
        return self._answer(req)

    @_action("Avsluta prövningen (alla begärda handlingar prövade)")
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        req = self._changeable(request)
        svc.disclosure_decide(request=req, actor=request.user)
        return self._answer(req)

    @extend_schema(summary="Lämna ut kopior (PDF med följebrev eller ZIP med metadata)", request=DeliverSerializer,
                   responses={(200, "application/pdf"): OpenApiTypes.BINARY,
                              (200, "application/zip"): OpenApiTypes.BINARY,
                              400: OpenApiResponse(description="Felaktig indata."),
                              403: OpenApiResponse(description="Behörighet saknas."), 409: REFUSAL})
    @action(detail=True, methods=["post"])
    def deliver(self, request, pk=None):
        req = self._changeable(request)
        fmt = _body(DeliverSerializer, request)["format"]
        data = svc.disclosure_deliver(request=req, actor=request.user, format=fmt)
        response = HttpResponse(data, content_type="application/pdf" if fmt == "pdf" else "application/zip")
        response["Content-Disposition"] = f'attachment; filename="{req.reference}.{fmt}"'
        response["Cache-Control"] = "no-store"
        return response

    @_action("Registrera besked till sökanden (med upplysning om myndighetens beslut vid avslag)", AnswerSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        req = self._changeable(request)
        data = _body(AnswerSerializer, request)
        svc.disclosure_answer(request=req, actor=request.user, means=data["means"], answered_on=data["answered_on"])
        return self._answer(req)

    @_action("Myndighetens beslut: registrera att sökanden begärt det och fatta det (OSL 6 kap. 3 §)",
             FormalDecisionSerializer)
    @action(detail=True, methods=["post"], url_path="formal-decision")
    def formal_decision(self, request, pk=None):
        req = self._changeable(request)
        data = _body(FormalDecisionSerializer, request)
        if not data["issue"]:
            svc.disclosure_decision_request(request=req, actor=request.user, requested_on=data["requested_on"])
        else:
            if not data["reasoning"].strip():
                raise serializers.ValidationError({"reasoning": "Ange skälen för beslutet (förvaltningslagen 32 §)."})
            svc.disclosure_decision_issue(request=req, actor=request.user, reasoning=data["reasoning"],
                                          requested_on=data["requested_on"])
        return self._answer(req)

    @_action("Registrera dagen sökanden fick myndighetens beslut (överklagandetiden börjar)",
             DecisionNotifiedSerializer)
    @action(detail=True, methods=["post"], url_path="decision-notified")
    def decision_notified(self, request, pk=None):
        req = self._changeable(request)
        data = _body(DecisionNotifiedSerializer, request)
        svc.disclosure_decision_notified(request=req, actor=request.user, notified_on=data["notified_on"])
        return self._answer(req)

    @_action("Registrera ett överklagande av myndighetens beslut", AppealSerializer)
    @action(detail=True, methods=["post"])
    def appeal(self, request, pk=None):
        req = self._changeable(request)
        data = _body(AppealSerializer, request)
        svc.disclosure_appeal_register(request=req, received_at=data["received_at"], actor=request.user)
        return self._answer(req)

    @_action("Registrera domstolens avgörande när domen vunnit laga kraft", AppealRulingSerializer)
    @action(detail=True, methods=["post"], url_path="appeal-ruling")
    def appeal_ruling(self, request, pk=None):
        req = self._changeable(request)
        data = _body(AppealRulingSerializer, request)
        svc.disclosure_appeal_close(request=req, outcome=data["outcome"], actor=request.user)
        return self._answer(req)

    @_action("Avsluta begäran med skäl (nekas medan avslag inte meddelats eller överklagande är möjligt)",
             DisclosureCloseSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        req = self._changeable(request)
        data = _body(DisclosureCloseSerializer, request)
        category = data["category"] or (CloseReason.COMPLETED if req.status in ("answered", "appeal_window")
                                         else CloseReason.OTHER)
        svc.disclosure_close(request=req, actor=request.user, reason=category, note=data["reason"])
        return self._answer(req)


ROUTES = [
    ("disclosure-requests", DisclosureRequestViewSet, "disclosurerequest"),
]

"""API: /api/v1/retention-classes/, /api/v1/purge-lists/ (propose, return, approve, execute, cancel, lines).

Same permissions as the UI: model permissions for reads and writes; the workflow actions are those
`records.workflow.available_actions` offers (each list says which in `actions`), refused with 409 and
a Swedish message naming the rule (four eyes, approval before execution). Rules live in the services.
"""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from config.api import Pagination, id_field, require_perm
from records.models import (
    LegalHold,
    LegalHoldSource,
    LegalHoldTarget,
    PurgeLine,
    PurgeLineStatus,
    PurgeList,
    PurgeListStatus,
    RetentionAction,
    RetentionClass,
    RetentionTrigger,
)
from records.retention.services import execution, holds
from records.retention.services import purge as purge_services
from records.retention.services.plan import retention_reassign
from records.workflow import available_names


class RetentionClassSerializer(serializers.ModelSerializer):
    class Meta:
        model = RetentionClass
        fields = ["id", "code", "name", "covers", "action", "period_days", "trigger", "decision_body",
                  "decision_date", "decision_reference", "applies_to", "active", "order"]

    def validate(self, attrs):
        instance = RetentionClass(**{**({f: getattr(self.instance, f) for f in self.Meta.fields if f != "id"}
                                        if self.instance else {}), **attrs})
        from django.core.exceptions import ValidationError

        try:
            instance.clean()
        except ValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return attrs


class AssignSerializer(serializers.Serializer):
    target_type = serializers.CharField(max_length=60, help_text="T.ex. moderation.item eller records.document.")
    target_id = serializers.CharField(max_length=64)
    reason = serializers.CharField(max_length=2000)


class RetentionClassFilter(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(choices=RetentionAction.choices, label="Bevaras/gallras")
    trigger = django_filters.ChoiceFilter(choices=RetentionTrigger.choices, label="Räknas från")
    active = django_filters.BooleanFilter(label="Aktiv")

    class Meta:
        model = RetentionClass
        fields = ["action", "trigger", "active"]


@extend_schema_view(
    list=extend_schema(summary="Informationshanteringsplanens gallringsklasser"),
    retrieve=extend_schema(summary="En gallringsklass"),
    create=extend_schema(summary="Ny gallringsklass"),
    update=extend_schema(summary="Ändra gallringsklass"),
    partial_update=extend_schema(summary="Ändra gallringsklass (delvis)"),
)
class RetentionClassViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                            mixins.UpdateModelMixin, viewsets.GenericViewSet):
    queryset = RetentionClass.objects.all().order_by("order", "code")
    serializer_class = RetentionClassSerializer
    filterset_class = RetentionClassFilter
    ordering_fields = ["order", "code"]

    @extend_schema(summary="Flytta ett objekt till den här gallringsklassen (arkivariens ändring, med skäl)",
                   request=AssignSerializer, responses={200: AssignSerializer})
    @action(detail=True, methods=["post"], filterset_class=None)
    def assign(self, request, pk=None):
        require_perm(request, "records.assign_retention")
        body = AssignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        retention_reassign(retention_class=self.get_object(), actor=request.user, **body.validated_data)
        return Response(body.validated_data)


class PurgeListSerializer(serializers.ModelSerializer):
    proposed_by = serializers.CharField(source="proposed_by.username", read_only=True, allow_null=True)
    approved_by = serializers.CharField(source="approved_by.username", read_only=True, allow_null=True)
    executed_by = serializers.CharField(source="executed_by.username", read_only=True, allow_null=True)
    counts = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField(help_text="Åtgärder som användaren får göra nu.")

    class Meta:
        model = PurgeList
        fields = ["id", "reference", "status", "created_at", "cutoff_date", "proposed_by", "proposed_at",
                  "approved_by", "approved_at", "executed_by", "executed_at", "contains_secret", "counts",
                  "actions"]
        read_only_fields = fields

    def get_counts(self, obj) -> dict[str, int]:
        return purge_services.purge_list_counts(obj)

    def get_actions(self, obj) -> list[str]:
        request = self.context.get("request")
        return sorted(available_names(obj, getattr(request, "user", None))) if request else []


class PurgeLineSerializer(serializers.ModelSerializer):
    retention_class = serializers.CharField(source="retention_class.code", read_only=True)
    changed_class_to = serializers.CharField(source="changed_class_to.code", read_only=True, allow_null=True)

    class Meta:
        model = PurgeLine
        fields = ["id", "target_type", "target_id", "label", "retention_class", "changed_class_to", "due_date",
                  "status", "excluded", "exclude_reason", "error", "executed_at", "batch"]
        read_only_fields = fields


class PurgeLineFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=PurgeLineStatus.choices, label="Status")
    target_type = django_filters.CharFilter(label="Objekttyp", help_text="T.ex. moderation.item, records.document.")
    target_id = django_filters.CharFilter(label="Objekt-id")
    excluded = django_filters.BooleanFilter(label="Undantagen")

    class Meta:
        model = PurgeLine
        fields = ["status", "target_type", "target_id", "excluded"]


class PurgeListDraftSerializer(serializers.Serializer):
    cutoff = serializers.DateField(required=False, allow_null=True, default=None,
                                   help_text="Gallringsdatum; tomt = i dag.")


class PurgeListFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=PurgeListStatus.choices, label="Status")

    class Meta:
        model = PurgeList
        fields = ["status"]



class LineExcludeSerializer(serializers.Serializer):
    line = id_field(help_text="Radens id.")
    reason = serializers.CharField(max_length=2000)


class LineChangeClassSerializer(LineExcludeSerializer):
    retention_class = serializers.SlugRelatedField(slug_field="code", queryset=RetentionClass.objects.active(),
                                                   help_text="Den nya klassens kod, t.ex. ÄR-1.")


EXECUTE_RESPONSE = inline_serializer("PurgeExecuteResult", fields={
    "status": serializers.CharField(), "queued": serializers.BooleanField(),
    "tasks": serializers.IntegerField(help_text="Antal omgångar som lagts i kön."),
    "list": PurgeListSerializer(),
})
REFUSED = {409: inline_serializer("PurgeRefused", fields={"detail": serializers.CharField(),
                                                          "code": serializers.CharField()})}


@extend_schema_view(
    list=extend_schema(summary="Gallringslistor"),
    retrieve=extend_schema(summary="En gallringslista"),
    create=extend_schema(summary="Ta fram en gallringslista (utkast)", request=PurgeListDraftSerializer,
                         responses={201: PurgeListSerializer, 204: None}),
)
class PurgeListViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       viewsets.GenericViewSet):
    serializer_class = PurgeListSerializer
    filterset_class = PurgeListFilter
    ordering_fields = ["created_at"]
    queryset = PurgeList.objects.none()

    def get_queryset(self):
        return PurgeList.objects.visible_to(self.request.user).select_related(
            "proposed_by", "approved_by", "executed_by").order_by("-created_at", "-id")

    def create(self, request, *args, **kwargs):
        data = PurgeListDraftSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pl = purge_services.purge_list_draft(cutoff=data.validated_data["cutoff"], actor=request.user)
        if pl is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(self._data(pl), status=status.HTTP_201_CREATED)

    def _data(self, pl: PurgeList) -> dict:
        return PurgeListSerializer(PurgeList.objects.get(pk=pl.pk), context={"request": self.request}).data

    @extend_schema(summary="Föreslå listan för godkännande", request=None,
                   responses={200: PurgeListSerializer, **REFUSED})
    @action(detail=True, methods=["post"])
    def propose(self, request, pk=None):
        require_perm(request, "records.change_purgelist")
        return Response(self._data(purge_services.purge_list_propose(purge_list=self.get_object(),
                                                                     actor=request.user)))

    @extend_schema(summary="Tillbaka till utkast (en föreslagen lista)", request=None,
                   responses={200: PurgeListSerializer, **REFUSED})
    @action(detail=True, methods=["post"], url_path="return")
    def return_to_draft(self, request, pk=None):
        require_perm(request, "records.change_purgelist")
        return Response(self._data(purge_services.purge_list_return(purge_list=self.get_object(),
                                                                    actor=request.user)))

    @extend_schema(summary="Godkänn listan (en annan arkivarie än den som föreslog den)", request=None,
                   responses={200: PurgeListSerializer, **REFUSED})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        require_perm(request, "records.approve_purgelist")
        return Response(self._data(purge_services.purge_list_approve(purge_list=self.get_object(),
                                                                     actor=request.user)))

    @extend_schema(summary="Avbryt listan (före verkställandet)", request=None,
                   responses={200: PurgeListSerializer, **REFUSED})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        require_perm(request, "records.change_purgelist")
        return Response(self._data(purge_services.purge_list_cancel(purge_list=self.get_object(),
                                                                    actor=request.user)))

    @extend_schema(summary="Verkställ en godkänd lista, eller återuppta en som verkställs (i bakgrunden, "
                           "i omgångar som flera arbetsprocesser delar)", request=None,
                   responses={202: EXECUTE_RESPONSE, **REFUSED})
    @action(detail=True, methods=["post"])
    def execute(self, request, pk=None):
        require_perm(request, "records.execute_purgelist")
        tasks = execution.purge_list_enqueue(purge_list=self.get_object(), actor=request.user)
        pl = PurgeList.objects.get(pk=pk)
        return Response({"status": pl.status, "queued": tasks > 0, "tasks": tasks, "list": self._data(pl)},
                        status=status.HTTP_202_ACCEPTED)

    def _line(self, pl: PurgeList, line_id: int) -> PurgeLine:
        line = PurgeLine.objects.filter(purge_list=pl, pk=line_id).first()
        if line is None:
            raise ValidationError({"line": "Raden finns inte i listan."})
        return line

    @extend_schema(summary="Undanta en rad från listan (med skäl; före godkännandet)", request=LineExcludeSerializer,
                   responses={200: PurgeLineSerializer, **REFUSED})
    @action(detail=True, methods=["post"], filterset_class=None)
    def exclude(self, request, pk=None):
        require_perm(request, "records.change_purgelist")
        body = LineExcludeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        line = purge_services.purge_line_exclude(line=self._line(self.get_object(), body.validated_data["line"]),
                                                 actor=request.user, reason=body.validated_data["reason"])
        return Response(PurgeLineSerializer(line).data)

    @extend_schema(summary="Ge en rads objekt en annan gallringsklass (med skäl; före godkännandet)",
                   request=LineChangeClassSerializer, responses={200: PurgeLineSerializer, **REFUSED})
    @action(detail=True, methods=["post"], url_path="change-class", filterset_class=None)
    def change_class(self, request, pk=None):
        require_perm(request, "records.change_purgelist")
        require_perm(request, "records.assign_retention")
        body = LineChangeClassSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        line = purge_services.purge_line_change_class(
            line=self._line(self.get_object(), body.validated_data["line"]), actor=request.user,
            retention_class=body.validated_data["retention_class"], reason=body.validated_data["reason"])
        return Response(PurgeLineSerializer(line).data)

    @extend_schema(summary="Listans rader (objekttyp och objekt-id, status, skäl), sidindelade och filtrerbara",
                   request=None, responses=PurgeLineSerializer(many=True),
                   parameters=[OpenApiParameter("status", str, enum=PurgeLineStatus.values),
                               OpenApiParameter("target_type", str), OpenApiParameter("target_id", str),
                               OpenApiParameter("excluded", bool)])
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=Pagination)
    def lines(self, request, pk=None):
        pl = self.get_object()
        qs = PurgeLine.objects.filter(purge_list=pl).select_related("retention_class", "changed_class_to")
        filtered = PurgeLineFilter(request.query_params, queryset=qs)
        if not filtered.is_valid():
            raise ValidationError(filtered.errors)
        page = self.paginate_queryset(filtered.qs.order_by("pk"))
        return self.get_paginated_response(PurgeLineSerializer(page, many=True).data)


class LegalHoldSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", read_only=True, allow_null=True)
    released_by = serializers.CharField(source="released_by.username", read_only=True, allow_null=True)
    active = serializers.SerializerMethodField()

    class Meta:
        model = LegalHold
        fields = ["id", "target_type", "target_id", "reason", "ends_on", "source", "created_by", "created_at",
                  "released_at", "released_by", "release_reason", "disclosure_request", "active"]
        read_only_fields = ["id", "source", "created_by", "created_at", "released_at", "released_by",
                            "release_reason", "disclosure_request", "active"]

    def get_active(self, obj) -> bool:
        return obj.is_active()


class HoldReleaseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class LegalHoldFilter(django_filters.FilterSet):
    target_type = django_filters.ChoiceFilter(choices=LegalHoldTarget.choices, label="Objekttyp")
    target_id = django_filters.CharFilter(label="Objekt-id")
    source = django_filters.ChoiceFilter(choices=LegalHoldSource.choices, label="Upphov")
    active = django_filters.BooleanFilter(method="filter_active", label="I kraft")

    class Meta:
        model = LegalHold
        fields = ["target_type", "target_id", "source", "active"]

    def filter_active(self, queryset, name, value):
        active = LegalHold.objects.active().values("pk")
        return queryset.filter(pk__in=active) if value else queryset.exclude(pk__in=active)


@extend_schema_view(
    list=extend_schema(summary="Spärrar mot gallring"),
    retrieve=extend_schema(summary="En spärr mot gallring"),
    create=extend_schema(summary="Lägg en spärr mot gallring på ett ärende, en handling, ett inlägg, en avsändare "
                                 "eller en kanal"),
)
class LegalHoldViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       viewsets.GenericViewSet):
    serializer_class = LegalHoldSerializer
    filterset_class = LegalHoldFilter
    queryset = LegalHold.objects.none()

    def get_queryset(self):
        return LegalHold.objects.visible_to(self.request.user).select_related("created_by", "released_by").order_by(
            "-created_at", "-id")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = holds.legal_hold_place(
            target_type=data["target_type"], target_id=data["target_id"], reason=data["reason"],
            ends_on=data.get("ends_on"), actor=self.request.user)

    @extend_schema(summary="Häv spärren (med skäl)", request=HoldReleaseSerializer,
                   responses={200: LegalHoldSerializer, **REFUSED})
    @action(detail=True, methods=["post"], filterset_class=None)
    def release(self, request, pk=None):
        require_perm(request, "records.change_legalhold")
        body = HoldReleaseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        hold = holds.legal_hold_release(hold=self.get_object(), actor=request.user,
                                        reason=body.validated_data["reason"])
        return Response(LegalHoldSerializer(hold).data)


ROUTES = [
    ("retention-classes", RetentionClassViewSet, "retentionclass"),
    ("purge-lists", PurgeListViewSet, "purgelist"),
    ("legal-holds", LegalHoldViewSet, "legalhold"),
]

"""API: /api/v1/retention-classes/, /api/v1/purge-lists/ (propose, approve, execute), /api/v1/subject-requests/.

Same permissions as the UI: model permissions for reads and writes, explicit checks on the
workflow actions (approving needs records.approve_purgelist and another person than the proposer,
executing needs records.execute_purgelist). Rules live in the services.
"""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from config.api import require_perm
from records.models import (
    PurgeList,
    PurgeListStatus,
    RetentionAction,
    RetentionClass,
    RetentionTrigger,
)
from records.retention.services import purge as purge_services


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


class PurgeListSerializer(serializers.ModelSerializer):
    proposed_by = serializers.CharField(source="proposed_by.username", read_only=True, allow_null=True)
    approved_by = serializers.CharField(source="approved_by.username", read_only=True, allow_null=True)
    executed_by = serializers.CharField(source="executed_by.username", read_only=True, allow_null=True)
    counts = serializers.SerializerMethodField()

    class Meta:
        model = PurgeList
        fields = ["id", "reference", "status", "created_at", "cutoff_date", "proposed_by", "proposed_at",
                  "approved_by", "approved_at", "executed_by", "executed_at", "contains_secret", "counts"]
        read_only_fields = fields

    def get_counts(self, obj) -> dict[str, int]:
        return purge_services._counts(obj)


class PurgeListDraftSerializer(serializers.Serializer):
    cutoff = serializers.DateField(required=False, allow_null=True, default=None,
                                   help_text="Gallringsdatum; tomt = i dag.")


class PurgeListFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=PurgeListStatus.choices, label="Status")

    class Meta:
        model = PurgeList
        fields = ["status"]



EXECUTE_RESPONSE = inline_serializer("PurgeExecuteResult", fields={
    "status": serializers.CharField(), "queued": serializers.BooleanField(),
    "list": PurgeListSerializer(),
})


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
        return Response(PurgeListSerializer(pl).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Föreslå listan för godkännande", request=None, responses=PurgeListSerializer)
    @action(detail=True, methods=["post"])
    def propose(self, request, pk=None):
        require_perm(request, "records.change_purgelist")
        pl = purge_services.purge_list_propose(purge_list=self.get_object(), actor=request.user)
        return Response(PurgeListSerializer(pl).data)

    @extend_schema(summary="Godkänn listan (en annan arkivarie än den som föreslog den)", request=None,
                   responses=PurgeListSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        require_perm(request, "records.approve_purgelist")
        pl = purge_services.purge_list_approve(purge_list=self.get_object(), actor=request.user)
        return Response(PurgeListSerializer(pl).data)

    @extend_schema(summary="Verkställ en godkänd lista (i bakgrunden, i omgångar)", request=None,
                   responses={202: EXECUTE_RESPONSE})
    @action(detail=True, methods=["post"])
    def execute(self, request, pk=None):
        require_perm(request, "records.execute_purgelist")
        pl = self.get_object()
        if pl.status not in (PurgeListStatus.APPROVED, PurgeListStatus.EXECUTING):
            from accounts.errors import TransitionNotAllowed

            raise TransitionNotAllowed("Gallringslistan måste vara godkänd av en andra arkivarie innan den verkställs.")
        from records.retention.tasks import purge_list_execute_task

        purge_list_execute_task.enqueue(pl.pk, request.user.pk)
        pl.refresh_from_db()
        return Response({"status": pl.status, "queued": True, "list": PurgeListSerializer(pl).data},
                        status=status.HTTP_202_ACCEPTED)


ROUTES = [
    ("retention-classes", RetentionClassViewSet, "retentionclass"),
    ("purge-lists", PurgeListViewSet, "purgelist"),
]

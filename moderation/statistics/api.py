"""GET /api/v1/statistics/?year=&quarter=&channel=&unit=: the figures of the statistics page.

The same permission as the page (moderation.view_statistics), the same channel scope (a moderator's
own units) and the same records sections (only those the role may read; otherwise null).
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from config.api import IsStaffMember
from moderation.statistics.figures import statistics_for


class CanViewStatistics(IsStaffMember):
    message = "Du saknar behörighet att se statistiken."

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and request.user.has_perm("moderation.view_statistics")


class QuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="Året, t.ex. 2026.")
    quarter = serializers.IntegerField(min_value=1, max_value=4, required=False, allow_null=True, default=None,
                                       help_text="Kvartal 1–4; utelämnat: hela året.")
    channel = serializers.SlugField(required=False, allow_blank=True, default="", help_text="Kanalens kortnamn.")
    unit = serializers.SlugField(required=False, allow_blank=True, default="", help_text="Enhetens kod.")


class PeriodSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    quarter = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()
    slug = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField(help_text="Periodens sista dag.")


class FiltersSerializer(serializers.Serializer):
    channel = serializers.CharField(allow_null=True)
    unit = serializers.CharField(allow_null=True)


class FiguresSerializer(serializers.Serializer):
    items = serializers.IntegerField(help_text="Inkomna inlägg")
    flags = serializers.IntegerField()
    decisions = serializers.IntegerField()
    removals = serializers.IntegerField()
    median_minutes = serializers.FloatField(allow_null=True, help_text="Median, minuter från ankomst till borttagning")
    p90_minutes = serializers.FloatField(allow_null=True, help_text="90:e percentilen, minuter")
    blocks = serializers.IntegerField()
    police_reports = serializers.IntegerField()


class ChannelFiguresSerializer(FiguresSerializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    platform = serializers.CharField(help_text="Plattformen, som den visas")
    unit = serializers.CharField()
    unit_name = serializers.CharField()


class UnitFiguresSerializer(FiguresSerializer):
    code = serializers.CharField()
    name = serializers.CharField()


class RuleFiguresSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    flags = serializers.IntegerField()
    decisions = serializers.IntegerField()
    removals = serializers.IntegerField()
    median_minutes = serializers.FloatField(allow_null=True)
    p90_minutes = serializers.FloatField(allow_null=True)


class MonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="ÅÅÅÅ-MM, lokal tid")
    items = serializers.IntegerField()
    removals = serializers.IntegerField()


class ModerationSerializer(serializers.Serializer):
    totals = FiguresSerializer()
    months = MonthSerializer(many=True)
    channels = ChannelFiguresSerializer(many=True)
    units = UnitFiguresSerializer(many=True)
    rules = RuleFiguresSerializer(many=True)


class RegistrationSerializer(serializers.Serializer):
    reason = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class DisclosureFiguresSerializer(serializers.Serializer):
    received = serializers.IntegerField()
    handled = serializers.IntegerField(help_text="Prövade")
    within_deadline = serializers.IntegerField(help_text="Prövade inom tidsfristen")
    share_within_deadline = serializers.FloatField(allow_null=True, help_text="Procent av de prövade")
    waiting_overdue = serializers.IntegerField(help_text="Ej prövade, tidsfristen passerad")


class GdprFiguresSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    received = serializers.IntegerField()
    answered = serializers.IntegerField()
    within_deadline = serializers.IntegerField()


class PurgeTypeSerializer(serializers.Serializer):
    target_type = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class PurgeFiguresSerializer(serializers.Serializer):
    lists_executed = serializers.IntegerField()
    purged = serializers.IntegerField()
    by_type = PurgeTypeSerializer(many=True)


class StatisticsSerializer(serializers.Serializer):
    period = PeriodSerializer()
    filters = FiltersSerializer()
    moderation = ModerationSerializer()
    registrations = RegistrationSerializer(many=True, allow_null=True,
                                           help_text="null när rollen inte får läsa diariet")
    disclosure = DisclosureFiguresSerializer(allow_null=True)
    gdpr = GdprFiguresSerializer(many=True, allow_null=True)
    purges = PurgeFiguresSerializer(allow_null=True)


class StatisticsViewSet(viewsets.ViewSet):
    """The year in numbers, per channel, unit and rule, with the records figures the role may read."""

    permission_classes = [CanViewStatistics]

    @extend_schema(
        summary="Statistik för ett år eller kvartal",
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, required=True, description="Året, t.ex. 2026."),
            OpenApiParameter("quarter", OpenApiTypes.INT, enum=[1, 2, 3, 4],
                             description="Kvartal 1–4; utelämnat: hela året."),
            OpenApiParameter("channel", OpenApiTypes.STR, description="Kanalens kortnamn."),
            OpenApiParameter("unit", OpenApiTypes.STR, description="Enhetens kod."),
        ],
        responses={200: StatisticsSerializer, 400: OpenApiResponse(description="Ogiltigt år, kvartal eller urval"),
                   403: OpenApiResponse(description="Saknar behörighet")},
    )
    def list(self, request):
        query = QuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        figures = statistics_for(user=request.user, year=data["year"], quarter=data["quarter"],
                                 channel=data["channel"] or None, unit=data["unit"] or None)
        return Response(StatisticsSerializer(figures).data)


ROUTES = [
    ("statistics", StatisticsViewSet, "statistics"),
]

"""django-filter FilterSets for the records API (the UI uses the search service directly)."""

from __future__ import annotations

import django_filters

from config.api import MAX_ID
from records.diarium.services.search import text_filter
from records.models import Case, CaseStatus, Direction, Document, ProposalStatus, RegistrationReason
from records.secrecy.services import may_view_secret


class DocumentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Fritext (beskrivning, avsändare, innehåll)")
    number = django_filters.CharFilter(field_name="number", lookup_expr="icontains", label="Diarienummer")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label="Från datum")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label="Till datum")
    direction = django_filters.ChoiceFilter(choices=Direction.choices, label="Riktning")
    reason = django_filters.ChoiceFilter(choices=RegistrationReason.choices, label="Skäl")
    case = django_filters.NumberFilter(field_name="case_id", label="Ärende (id)", min_value=1, max_value=MAX_ID)
    voided = django_filters.BooleanFilter(field_name="voided", label="Makulerad")
    source_type = django_filters.CharFilter(field_name="source_type", label="Källtyp")
    source_id = django_filters.CharFilter(field_name="source_id", label="Käll-id")

    class Meta:
        model = Document
        fields = ["q", "number", "date_from", "date_to", "direction", "reason", "case", "voided", "source_type",
                  "source_id"]

    def filter_q(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        value = (value or "").strip()
        if not value:
            return queryset
        # Secret parts are searched only for users who may see them (records.diarium.services.search).
        return text_filter(queryset, value, allowed=may_view_secret(user), public=False)


class CaseFilter(django_filters.FilterSet):
    number = django_filters.CharFilter(field_name="number", lookup_expr="icontains", label="Diarienummer")
    status = django_filters.ChoiceFilter(choices=CaseStatus.choices, label="Status")
    series = django_filters.CharFilter(field_name="series__code", label="Diarieserie (kod)")
    year = django_filters.NumberFilter(field_name="year", label="År", min_value=1, max_value=9999)

    class Meta:
        model = Case
        fields = ["number", "status", "series", "year"]


class ProposalFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ProposalStatus.choices, label="Status")
    reason = django_filters.ChoiceFilter(choices=RegistrationReason.choices, label="Skäl")
    source_type = django_filters.CharFilter(field_name="source_type", label="Källtyp")
    source_id = django_filters.CharFilter(field_name="source_id", label="Käll-id")

    class Meta:
        from records.models import RegistrationProposal

        model = RegistrationProposal
        fields = ["status", "reason", "source_type", "source_id"]

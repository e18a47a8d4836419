"""Filters for public reports in the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from moderation.models import (
    PublicReport,
    ReportStatus,
    ReportVia,
)


class PublicReportFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, label=_("Status"))
    via = django_filters.ChoiceFilter(choices=ReportVia.choices, label=_("Inkom via"))
    channel = django_filters.CharFilter(field_name="channel__slug", label=_("Kanal (kortnamn)"))

    class Meta:
        model = PublicReport
        fields = ["status", "via", "channel"]


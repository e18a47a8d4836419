"""Filters for the channel list in the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from moderation.models import (
    Channel,
    Platform,
)


class ChannelFilter(django_filters.FilterSet):
    platform = django_filters.ChoiceFilter(choices=Platform.choices, label=_("Plattform"))
    unit = django_filters.CharFilter(field_name="unit__code", label=_("Enhet (kod)"))
    active = django_filters.BooleanFilter(label=_("Aktiv"))

    class Meta:
        model = Channel
        fields = ["platform", "unit", "active"]


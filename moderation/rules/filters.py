"""Filters for the rules in the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from moderation.models import (
    Rule,
)


class RuleFilter(django_filters.FilterSet):
    is_violation = django_filters.BooleanFilter(label=_("Regelbrott"))

    class Meta:
        model = Rule
        fields = ["is_violation", "consequence"]


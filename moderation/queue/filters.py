"""FilterSets for moderation, shared by the API and the pages (the queue form uses the same names:
q, channel, unit, rule, source, state, priority, date_from, date_to)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db import connection
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.api import MAX_ID
from moderation.models import (
    Author,
    Direction,
    Flag,
    FlagSource,
    Item,
    ItemKind,
    ItemState,
    Priority,
)
from moderation.queue.secrecy import searchable_authors, searchable_items


def _day_start(value: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(value, dt.time.min))


def text_search(queryset, value: str):
    """Full-text search: PostgreSQL's Swedish full-text index (moderation_item_text_fts), else LIKE on
    the normalised copy (SQLite)."""
    value = (value or "").strip()
    if not value:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        return queryset.annotate(_fts=SearchVector("text", config="swedish")).filter(
            _fts=SearchQuery(value, config="swedish", search_type="websearch"))
    return queryset.filter(search_text__contains=" ".join(value.casefold().split()))


class ItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Sök i texten"))
    channel = django_filters.CharFilter(field_name="channel__slug", label=_("Kanal (kortnamn)"))
    unit = django_filters.CharFilter(field_name="channel__unit__code", label=_("Enhet (kod)"))
    rule = django_filters.CharFilter(method="filter_rule", label=_("Regel (kod)"))
    source = django_filters.ChoiceFilter(choices=FlagSource.choices, method="filter_source",
                                         label=_("Flaggans källa"))
    state = django_filters.MultipleChoiceFilter(choices=ItemState.choices, label=_("Status"))
    priority = django_filters.TypedChoiceFilter(choices=Priority.choices, coerce=int, label=_("Prioritet"))
    kind = django_filters.ChoiceFilter(choices=ItemKind.choices, label=_("Typ"))
    direction = django_filters.ChoiceFilter(choices=Direction.choices, label=_("Riktning"))
    author = django_filters.NumberFilter(field_name="author_id", label=_("Avsändare (id)"), min_value=1,
                                         max_value=MAX_ID)
    secret = django_filters.BooleanFilter(label=_("Sekretessmarkerad"))
    date_from = django_filters.DateFilter(method="filter_date_from", label=_("Mottagen från"),
                                          widget=forms.DateInput(attrs={"type": "date"}))
    date_to = django_filters.DateFilter(method="filter_date_to", label=_("Mottagen till"),
                                        widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = Item
        fields = ["q", "channel", "unit", "rule", "source", "state", "priority", "kind", "direction", "author",
                  "secret", "date_from", "date_to"]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, user=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        # Whose search this is: secret content is searched only for those who may see it.
        self.user = user if user is not None else getattr(request, "user", None)

    def filter_q(self, queryset, name, value):
        if not (value or "").strip():
            return queryset
        return text_search(searchable_items(queryset, self.user), value)

    def filter_rule(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Exists(Flag.objects.filter(item=OuterRef("pk"), rule__code=value)))

    def filter_source(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Exists(Flag.objects.filter(item=OuterRef("pk"), source=value)))

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(received_at__gte=_day_start(value)) if value else queryset

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(received_at__lt=_day_start(value + dt.timedelta(days=1))) if value else queryset


class AuthorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Namn eller id"))
    channel = django_filters.CharFilter(field_name="channel__slug", label=_("Kanal (kortnamn)"))
    is_blocked = django_filters.BooleanFilter(label=_("Blockerad"))

    class Meta:
        model = Author
        fields = ["q", "channel", "is_blocked"]

    def filter_q(self, queryset, name, value):
        from django.db.models import Q

        # A hit on a secret sender's name would confirm who it is: not searched without the right.
        queryset = searchable_authors(queryset, getattr(self.request, "user", None))
        return queryset.filter(Q(display_name__icontains=value) | Q(external_id=value) | Q(username__icontains=value))



import re

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import AuditEvent, Unit


def _kind_choices():
    from accounts.audit.display import kind_choices

    return kind_choices()


def _type_choices():
    """Every kind of object an event can name: the project's models (and roles), in Swedish."""
    from django.apps import apps

    from accounts.audit.display import TYPE_LABELS, type_label

    types = set(TYPE_LABELS)
    types |= {m._meta.label_lower for m in apps.get_models()
              if m._meta.app_label in {"accounts", "moderation", "records"} and not m.__name__.startswith("Historical")}
    return sorted(((t, type_label(t)) for t in types), key=lambda c: c[1].lower())


class AuditEventFilter(django_filters.FilterSet):
    """Filters of the audit log: kind, user, object (type, number or name) and dates (local days)."""

    action = django_filters.ChoiceFilter(choices=_kind_choices, label=_("Händelse"), method="filter_kind")
    actor = django_filters.CharFilter(field_name="actor_label", lookup_expr="icontains", label=_("Användare"))
    target_type = django_filters.ChoiceFilter(choices=_type_choices, label=_("Objekttyp"))
    target = django_filters.CharFilter(label=_("Objekt (beteckning eller nummer)"), method="filter_target")
    target_id = django_filters.CharFilter(lookup_expr="exact", label=_("Objekt-id"))
    after = django_filters.DateFilter(
        field_name="at", lookup_expr="date__gte", label=_("Från och med"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    before = django_filters.DateFilter(
        field_name="at", lookup_expr="date__lte", label=_("Till och med"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditEvent
        fields = ["action", "actor", "target_type", "target", "target_id", "after", "before"]

    def filter_kind(self, queryset, name, value):
        from accounts.audit.display import kind_filter_q

        return queryset.filter(kind_filter_q(value)) if value else queryset

    def filter_target(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        # The number as a whole word: "KS 2026/1-3" finds that document, not KS 2026/1-30 or its case.
        pattern = rf"(^|[\s(:]){re.escape(value)}($|[\s,):])"
        return queryset.filter(Q(target_label__iregex=pattern) | Q(target_id=value))


class UnitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Namn"))

    class Meta:
        model = Unit
        fields = ["q", "active"]

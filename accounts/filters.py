import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import AuditAction, AuditEvent, Unit


class AuditEventFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(field_name="actor_label", lookup_expr="icontains", label=_("Användare"))
    action = django_filters.ChoiceFilter(choices=AuditAction.choices, label=_("Händelse"))
    target_type = django_filters.CharFilter(lookup_expr="exact", label=_("Objekttyp"))
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
        fields = ["actor", "action", "target_type", "target_id", "after", "before"]


class UnitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Namn"))

    class Meta:
        model = Unit
        fields = ["q", "active"]

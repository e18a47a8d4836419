"""The statistics page's filters: year, quarter, channel and unit (only those the user may see)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

QUARTERS = [("", _("Hela året")), ("1", _("Kvartal 1")), ("2", _("Kvartal 2")), ("3", _("Kvartal 3")),
            ("4", _("Kvartal 4"))]


class StatisticsFilterForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Kvartal"), choices=QUARTERS, required=False, coerce=int,
                                     empty_value=None)
    channel = forms.ChoiceField(label=_("Kanal"), required=False)
    unit = forms.ChoiceField(label=_("Enhet"), required=False)

    def __init__(self, data=None, *, channels=(), **kwargs):
        data = data.copy() if data is not None else {}
        if not data.get("year"):
            data["year"] = str(timezone.localdate().year)
        super().__init__(data, **kwargs)
        self.channels = list(channels)
        self.fields["year"].widget.attrs.update({"class": "input-narrow"})
        self.fields["channel"].choices = [("", _("Alla kanaler"))] + [(c.slug, str(c)) for c in self.channels]
        units = {c.unit.code: c.unit.name for c in self.channels}
        self.fields["unit"].choices = [("", _("Alla enheter"))] + sorted(units.items(), key=lambda u: u[1])

    def names(self) -> tuple[str | None, str | None]:
        """The chosen channel's and unit's names (for the CSV and PDF heading)."""
        data = self.cleaned_data
        channel = next((str(c) for c in self.channels
                        if c.slug == data.get("channel")), None)
        unit = next((c.unit.name for c in self.channels if c.unit.code == data.get("unit")), None)
        return channel, unit

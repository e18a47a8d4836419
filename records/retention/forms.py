"""Forms for the archivist's pages (retention, purge lists, holds, data-subject requests)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from records.models import LegalHoldTarget, RetentionClass


def _target_choices():
    from records.retention.services.plan import all_targets

    return sorted(((t.type, t.label) for t in all_targets()), key=lambda c: str(c[1]).lower())


class RetentionClassForm(forms.ModelForm):
    applies_to_types = forms.MultipleChoiceField(
        label=_("Gäller för"), required=False, choices=_target_choices, widget=forms.CheckboxSelectMultiple,
        help_text=_("De slag av objekt som klassen gäller för."),
    )

    class Meta:
        model = RetentionClass
        fields = ["code", "name", "covers", "action", "period_days", "trigger", "decision_body", "decision_date",
                  "decision_reference", "active", "order"]
        widgets = {"decision_date": forms.DateInput(attrs={"type": "date"}),
                   "covers": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance and self.instance.pk:
            current = list(self.instance.applies_to or [])
            field = self.fields["applies_to_types"]
            known = {value for value, _label in field.choices}
            # A type no app registers any longer stays selectable, so saving does not drop it silently.
            field.choices = list(field.choices) + [(t, t) for t in current if t not in known]
            field.initial = current

    def clean(self):
        data = super().clean()
        self.instance.applies_to = list(data.get("applies_to_types") or [])
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Skäl"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ChangeClassForm(forms.Form):
    retention_class = forms.ModelChoiceField(label=_("Ny gallringsklass"), queryset=RetentionClass.objects.active())
    reason = forms.CharField(label=_("Skäl"), max_length=2000)


class DraftForm(forms.Form):
    cutoff = forms.DateField(label=_("Gallringsdatum"), required=False,
                             widget=forms.DateInput(attrs={"type": "date"}),
                             help_text=_("Tomt = i dag. Objekt som förfallit senast denna dag tas med."))


class HoldForm(forms.Form):
    target_type = forms.ChoiceField(label=_("Objekttyp"), choices=LegalHoldTarget.choices)
    target_id = forms.CharField(label=_("Objekt-id"), max_length=64)
    reason = forms.CharField(label=_("Skäl"), widget=forms.Textarea(attrs={"rows": 2}))
    ends_on = forms.DateField(label=_("Gäller till och med"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}), help_text=_("Tomt = tills vidare."))



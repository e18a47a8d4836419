"""Forms for the archivist's pages (retention, purge lists, holds, data-subject requests)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from records.models import LegalHoldTarget, RetentionClass


class RetentionClassForm(forms.ModelForm):
    applies_to_text = forms.CharField(
        label=_("Gäller för"), required=False,
        help_text=_("Objekttyper, en per rad, t.ex. moderation.item eller records.document."),
        widget=forms.Textarea(attrs={"rows": 3}),
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
            self.fields["applies_to_text"].initial = "\n".join(self.instance.applies_to or [])

    def clean(self):
        data = super().clean()
        self.instance.applies_to = [t.strip() for t in (data.get("applies_to_text") or "").splitlines() if t.strip()]
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



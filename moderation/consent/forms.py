"""Forms of the consent pages: they check input and call moderation/consent/services.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from moderation.consent.models import Consent, ConsentMethod


class ConsentForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Enhet"), queryset=Unit.objects.none())
    person_name = forms.CharField(label=_("Vem samtycket gäller"), max_length=200,
                                  help_text=_("Personen som syns på bilden eller nämns."))
    given_by = forms.CharField(label=_("Lämnat av (om någon annan)"), max_length=200, required=False,
                               help_text=_("T.ex. vårdnadshavare."))
    given_at = forms.DateField(label=_("Lämnat den"), widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ChoiceField(label=_("Hur samtycket lämnades"), choices=ConsentMethod.choices)
    scope = forms.CharField(label=_("Vad samtycket omfattar"), widget=forms.Textarea(attrs={"rows": 3}))
    valid_until = forms.DateField(label=_("Gäller till och med (valfritt)"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    form = forms.FileField(label=_("Undertecknad blankett (PDF, JPEG eller PNG)"), required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()


class ConsentLinkForm(forms.Form):
    consent = forms.ModelChoiceField(label=_("Samtycke"), queryset=Consent.objects.none())

    def __init__(self, *args, consents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].queryset = consents if consents is not None else Consent.objects.none()
        self.fields["consent"].label_from_instance = lambda c: f"{c.pk}: {c.person_name} – {c.scope[:60]}"


class NotNeededForm(forms.Form):
    reason = forms.CharField(label=_("Varför behövs inget samtycke?"), max_length=250,
                             help_text=_("T.ex. ”Ingen person syns på bilden”."))


class WithdrawForm(forms.Form):
    note = forms.CharField(label=_("Om återkallelsen"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Hur och när personen återkallade samtycket."))

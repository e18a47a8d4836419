"""Forms for data-subject requests."""

from django import forms
from django.utils.translation import gettext_lazy as _

from records.models import SubjectRequestKind


class SubjectRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Slag"), choices=SubjectRequestKind.choices)
    requester_name = forms.CharField(label=_("Den registrerades namn"), max_length=200)
    requester_contact = forms.CharField(label=_("Kontaktuppgift för svaret"), max_length=300)
    received_at = forms.DateTimeField(label=_("Inkom"), required=False,
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                      help_text=_("Tomt = nu."))
    platform_account = forms.CharField(label=_("Plattformskonto (id eller användarnamn)"), required=False)
    name = forms.CharField(label=_("Namn att söka på"), required=False)
    email = forms.EmailField(label=_("E-post"), required=False)
    phone = forms.CharField(label=_("Telefonnummer"), required=False)
    personnummer = forms.CharField(label=_("Personnummer"), required=False)

    def identifiers(self) -> dict:
        return {k: self.cleaned_data.get(k, "") for k in ("platform_account", "name", "email", "phone",
                                                           "personnummer")}



class ExtendForm(forms.Form):
    reason = forms.CharField(label=_("Skäl till förlängningen (den registrerade får veta det)"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))

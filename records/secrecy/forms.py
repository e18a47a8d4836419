"""Forms for secrecy markings: the secrecy fields of registration forms and the marking form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from records.models import LegalGround, SecrecyPart
from records.viewhelpers import DATE_INPUT


def _grounds():
    return LegalGround.objects.active().order_by("code")


class SecrecyFieldsMixin(forms.Form):
    """One optional legal ground per part: choosing a ground marks that part secret."""

    secret_sender = forms.ModelChoiceField(
        label=_("Sekretess för avsändare/mottagare (lagrum)"), queryset=LegalGround.objects.none(), required=False,
        empty_label=_("Ingen sekretess"),
    )
    secret_description = forms.ModelChoiceField(
        label=_("Sekretess för beskrivningen (lagrum)"), queryset=LegalGround.objects.none(), required=False,
        empty_label=_("Ingen sekretess"),
    )
    secret_content = forms.ModelChoiceField(
        label=_("Sekretess för innehållet (lagrum)"), queryset=LegalGround.objects.none(), required=False,
        empty_label=_("Ingen sekretess"),
    )
    secrecy_expires_on = forms.DateField(
        label=_("Sekretessen upphör (valfritt)"), required=False, widget=DATE_INPUT,
        help_text=_("OSL 5 kap. 5 §: ange när sekretessen upphör om lagen sätter en gräns."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("secret_sender", "secret_description", "secret_content"):
            self.fields[name].queryset = _grounds()

    def secret_parts(self) -> dict:
        expires_on = self.cleaned_data.get("secrecy_expires_on")
        parts = {}
        for part in SecrecyPart.values:
            ground = self.cleaned_data.get(f"secret_{part}")
            if ground is not None:
                parts[part] = (ground, expires_on)
        return parts



class SecrecyMarkForm(forms.Form):
    part = forms.ChoiceField(label=_("Del"), choices=SecrecyPart.choices)
    legal_ground = forms.ModelChoiceField(label=_("Lagrum"), queryset=LegalGround.objects.none())
    expires_on = forms.DateField(label=_("Sekretessen upphör (valfritt)"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["legal_ground"].queryset = _grounds()


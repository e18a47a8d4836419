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



class SenderExtendForm(forms.Form):
    """Choose where else to mark the sender secret: documents (by id) and sources ("type:id")."""

    documents = forms.MultipleChoiceField(label=_("Handlingar med samma avsändare"), required=False,
                                          widget=forms.CheckboxSelectMultiple)
    sources = forms.MultipleChoiceField(label=_("Inlägg från samma avsändare (diarieförs med skyddad avsändare)"),
                                        required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, relatives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].choices = [
            (str(d.pk), f"{d.number} ({d.date:%Y-%m-%d})") for d in relatives.documents]
        self.fields["sources"].choices = [
            (f"{m.type}:{m.id}", f"{m.label} – {m.why}" if m.why else m.label) for m in relatives.sources]

    def clean(self):
        data = super().clean()
        if not data.get("documents") and not data.get("sources"):
            raise forms.ValidationError(_("Välj minst en handling eller ett inlägg."))
        data["documents"] = [int(pk) for pk in data.get("documents") or []]
        data["sources"] = [tuple(value.rsplit(":", 1)) for value in data.get("sources") or []]
        return data

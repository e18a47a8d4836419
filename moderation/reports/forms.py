"""Forms for reports: the public report form, staff reports and triage."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from moderation.models import (
    ReportVia,
    Rule,
)


class StaffReportForm(forms.Form):
    """A report that came by e-mail or private message, entered by staff."""

    via = forms.ChoiceField(label=_("Inkom via"), choices=[(ReportVia.EMAIL.value, ReportVia.EMAIL.label),
                                                            (ReportVia.PRIVATE_MESSAGE.value,
                                                             ReportVia.PRIVATE_MESSAGE.label),
                                                            (ReportVia.STAFF.value, ReportVia.STAFF.label)])
    url = forms.URLField(label=_("Länk till innehållet"), required=False, max_length=1000, assume_scheme="https")
    text = forms.CharField(label=_("Det anmälda innehållet"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    rule = forms.ModelChoiceField(label=_("Regel"), queryset=Rule.objects.active(), required=False,
                                  empty_label=_("Okänd"))
    contact = forms.CharField(label=_("Anmälarens kontaktuppgift"), required=False, max_length=300)
    message = forms.CharField(label=_("Anmälarens meddelande"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if not data.get("url") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Ange en länk eller texten som anmäls."))
        return data


class TriageForm(forms.Form):
    decision = forms.ChoiceField(label=_("Åtgärd"), choices=[("match", _("Koppla till inlägg")),
                                                             ("dismiss", _("Avfärda"))])
    item = forms.IntegerField(label=_("Inläggets nummer"), required=False, min_value=1)
    def clean(self):
        data = super().clean()
        if data.get("decision") == "match" and not data.get("item"):
            self.add_error("item", _("Ange vilket inlägg anmälan gäller."))
        return data


class PublicReportForm(forms.Form):
    url = forms.URLField(label=_("Länk till innehållet"), required=False, max_length=1000, assume_scheme="https",
                         help_text=_("Kopiera adressen till inlägget eller kommentaren."))
    text = forms.CharField(label=_("Eller skriv av texten"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 4}))
    rule = forms.ModelChoiceField(label=_("Vilken regel bryter innehållet mot?"), queryset=Rule.objects.none(),
                                  required=False, empty_label=_("Vet inte"))
    contact = forms.CharField(label=_("Din e-postadress eller ditt telefonnummer (frivilligt)"), required=False,
                              max_length=300, help_text=_("Bara om du vill att vi ska kunna kontakta dig."))
    message = forms.CharField(label=_("Meddelande (frivilligt)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    # Spam resistance without third parties: a field people do not see and a signed start time.
    website = forms.CharField(label=_("Lämna det här fältet tomt"), required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].queryset = Rule.objects.published().violations()
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def clean(self):
        data = super().clean()
        if not data.get("url") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Ange en länk till innehållet eller skriv av texten."))
        return data


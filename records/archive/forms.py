"""Forms for the e-archive pages. They validate input; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from records.viewhelpers import DATE_INPUT


class DeliveryReceiptForm(forms.Form):
    received_on = forms.DateField(label=_("Mottaget av arkivet"), widget=DATE_INPUT,
                                  help_text=_("Dagen då e-arkivet bekräftade att paketet tagits emot."))
    archive_reference = forms.CharField(label=_("Arkivets referens"), max_length=200,
                                        help_text=_("T.ex. leveransens id eller diarienummer i e-arkivet."))
    note = forms.CharField(label=_("Anteckning (valfritt)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

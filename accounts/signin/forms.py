from django import forms
from django.utils.translation import gettext_lazy as _


class OTPTokenForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Engångskod"), min_length=6, max_length=8, strip=True,
        help_text=_("Sexsiffrig kod från appen för tvåstegsverifiering (t.ex. Microsoft Authenticator eller FreeOTP)."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True,
                                      "pattern": "[0-9]*"}),
        error_messages={"required": _("Ange koden."), "min_length": _("Koden har sex siffror.")},
    )

    def clean_otp_token(self) -> str:
        token = self.cleaned_data["otp_token"].replace(" ", "")
        if not token.isascii() or not token.isdecimal():
            raise forms.ValidationError(_("Koden består bara av siffror 0–9."))
        return token

"""The notification settings form: one choice of e-mail mode per kind."""

from __future__ import annotations

from django import forms

from accounts.notifications.models import EmailMode, NotificationKind


class PreferencesForm(forms.Form):
    def __init__(self, *args, modes: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in NotificationKind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label, choices=EmailMode.choices, initial=modes[kind.value], widget=forms.RadioSelect)

"""Forms for the moderation pages. They validate input only; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from config.forms import IdMultipleChoiceField
from moderation.models import (
    Channel,
    DecisionAction,
    FlagSource,
    PoliceReport,
    ReferTarget,
    ReplyTemplate,
    Rule,
)

# The actions a moderator picks in the decision form (unhide/restore come from "ångra").
FORM_ACTIONS = [(a.value, a.label) for a in DecisionAction if a.value not in ("unhide", "restore")]
BULK_ACTIONS = [(a.value, a.label) for a in DecisionAction if a.value in ("keep", "hide", "remove")]
NOTE_REQUIRED = {"remove", "escalate"}


class QueueFilterForm(forms.Form):
    """The queue's GET filters (the queue service applies them; this only shows and cleans them)."""

    q = forms.CharField(label=_("Sök i texten"), required=False,
                        widget=forms.TextInput(attrs={"type": "search"}))
    channel = forms.ModelChoiceField(label=_("Kanal"), queryset=Channel.objects.none(), required=False,
                                     to_field_name="slug", empty_label=_("Alla kanaler"))
    unit = forms.ChoiceField(label=_("Enhet"), required=False)
    rule = forms.ModelChoiceField(label=_("Regel"), queryset=Rule.objects.all(), required=False,
                                  to_field_name="code", empty_label=_("Alla regler"))
    source = forms.ChoiceField(label=_("Flaggans källa"), required=False,
                               choices=[("", _("Alla källor")), *FlagSource.choices])
    date_from = forms.DateField(label=_("Mottagen från"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Mottagen till"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, channels=None, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        if channels is not None:
            self.fields["channel"].queryset = channels
        self.fields["unit"].choices = [("", _("Alla enheter")), *units]


class BulkForm(forms.Form):
    items = IdMultipleChoiceField(label=_("Markerade inlägg"), queryset=None,
                                           error_messages={"required": _("Markera minst ett inlägg.")})
    action = forms.ChoiceField(label=_("Åtgärd"), choices=BULK_ACTIONS)
    note = forms.CharField(label=_("Motivering"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    rules = IdMultipleChoiceField(label=_("Regler"), queryset=Rule.objects.active(), required=False,
                                           to_field_name="code")

    def __init__(self, *args, items_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = items_queryset

    def clean(self):
        data = super().clean()
        if data.get("action") in NOTE_REQUIRED and not (data.get("note") or "").strip():
            self.add_error("note", _("Skriv en motivering: den krävs när inlägg tas bort."))
        return data


def _colleagues():
    User = get_user_model()
    return (User.objects.filter(is_active=True, groups__name__in=["moderator", "registrar"])
            .distinct().order_by("first_name", "last_name", "username"))


class DecisionForm(forms.Form):
    action = forms.ChoiceField(label=_("Beslut"), choices=FORM_ACTIONS, widget=forms.RadioSelect)
    rules = IdMultipleChoiceField(label=_("Regler som brutits"), queryset=Rule.objects.none(),
                                           required=False, widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Motivering"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Krävs för att ta bort och eskalera."))
    mark_harmless = forms.BooleanField(label=_("Markera som ofarligt (nya anmälningar lägger inte tillbaka det i kön)"),
                                       required=False)
    confidential = forms.BooleanField(
        label=_("Innehåller sekretessuppgifter (tas bort på plattformen direkt och föreslås för diarieföring)"),
        required=False)
    escalate_to = forms.ModelChoiceField(label=_("Eskalera till kollega"), queryset=None, required=False,
                                         empty_label=_("Ingen särskild"))
    escalate_to_role = forms.ChoiceField(label=_("Eller till roll"), required=False,
                                         choices=[("", _("Ingen")), ("registrar", _("Registrator"))])
    reply_template = forms.ModelChoiceField(label=_("Svarsmall"), queryset=ReplyTemplate.objects.active(),
                                            required=False, empty_label=_("Ingen mall"))
    reply_text = forms.CharField(label=_("Svarstext"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    refer_target = forms.ChoiceField(label=_("Hänvisa till"), required=False,
                                     choices=[("", _("Välj")), *ReferTarget.choices])
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, serious: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.serious = serious  # the item has an open flag for a threat, a crime or an identity number
        self.fields["rules"].queryset = Rule.objects.active()
        self.fields["escalate_to"].queryset = _colleagues()

    def clean(self):
        data = super().clean()
        note = (data.get("note") or "").strip()
        if data.get("action") in NOTE_REQUIRED and not note:
            self.add_error("note", _("Skriv en motivering: den krävs för att ta bort och eskalera."))
        if data.get("action") == "keep" and self.serious and not note:
            self.add_error("note", _("Inlägget är flaggat för hot, brott eller personnummer: skriv en anteckning "
                                     "om varför det får vara kvar."))
        return data


class ReverseForm(forms.Form):
    note = forms.CharField(label=_("Varför ångras beslutet?"), widget=forms.Textarea(attrs={"rows": 2}))


class WarnForm(forms.Form):
    reason = forms.CharField(label=_("Skäl"), widget=forms.Textarea(attrs={"rows": 2}))
    message = forms.CharField(
        label=_("Meddelande till avsändaren"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Skickas som svar på avsändarens senaste inlägg där plattformen tillåter det (Facebook, "
                    "Instagram); annars registreras varningen bara."))
    strike = forms.BooleanField(label=_("Räkna som prick (mot blockering)"), required=False)


class SuspendForm(forms.Form):
    days = forms.IntegerField(label=_("Antal dagar"), min_value=1, max_value=365, initial=7)
    reason = forms.CharField(label=_("Skäl till avstängningen"), widget=forms.Textarea(attrs={"rows": 2}))


class PremoderateForm(forms.Form):
    reason = forms.CharField(label=_("Skäl till förhandsgranskning"), widget=forms.Textarea(attrs={"rows": 2}))


class LiftForm(forms.Form):
    reason = forms.CharField(label=_("Skäl till att åtgärden upphör"), widget=forms.Textarea(attrs={"rows": 2}))


class UnblockForm(forms.Form):
    reason = forms.CharField(label=_("Skäl till att blockeringen hävs"), widget=forms.Textarea(attrs={"rows": 2}))


class BlockForm(forms.Form):
    reason = forms.CharField(label=_("Skäl till blockering"), widget=forms.Textarea(attrs={"rows": 2}))


class NotesForm(forms.Form):
    staff_notes = forms.CharField(label=_("Interna anteckningar"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))


class PoliceReportCreateForm(forms.Form):
    note = forms.CharField(label=_("Vad anmäls?"), widget=forms.Textarea(attrs={"rows": 3}))


class PoliceReportUpdateForm(forms.ModelForm):
    class Meta:
        model = PoliceReport
        fields = ["status", "police_reference"]


# --- configuration ------------------------------------------------------------------------------


# --- public -------------------------------------------------------------------------------------



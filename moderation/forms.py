"""Forms for the moderation pages. They validate input only; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from moderation.models import (
    Channel,
    DecisionAction,
    Detector,
    FlagSource,
    PoliceReport,
    ReferTarget,
    ReplyTemplate,
    ReportVia,
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
    items = forms.ModelMultipleChoiceField(label=_("Markerade inlägg"), queryset=None,
                                           error_messages={"required": _("Markera minst ett inlägg.")})
    action = forms.ChoiceField(label=_("Åtgärd"), choices=BULK_ACTIONS)
    note = forms.CharField(label=_("Motivering"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    rules = forms.ModelMultipleChoiceField(label=_("Regler"), queryset=Rule.objects.active(), required=False,
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
    rules = forms.ModelMultipleChoiceField(label=_("Regler som brutits"), queryset=Rule.objects.none(),
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rules"].queryset = Rule.objects.active()
        self.fields["escalate_to"].queryset = _colleagues()

    def clean(self):
        data = super().clean()
        if data.get("action") in NOTE_REQUIRED and not (data.get("note") or "").strip():
            self.add_error("note", _("Skriv en motivering: den krävs för att ta bort och eskalera."))
        return data


class ReverseForm(forms.Form):
    note = forms.CharField(label=_("Varför ångras beslutet?"), widget=forms.Textarea(attrs={"rows": 2}))


class WarnForm(forms.Form):
    reason = forms.CharField(label=_("Skäl"), widget=forms.Textarea(attrs={"rows": 2}))
    strike = forms.BooleanField(label=_("Räkna som prick (mot blockering)"), required=False)


class UnblockForm(forms.Form):
    reason = forms.CharField(label=_("Skäl till att blockeringen hävs"), widget=forms.Textarea(attrs={"rows": 2}))


class BlockForm(forms.Form):
    reason = forms.CharField(label=_("Skäl till blockering"), widget=forms.Textarea(attrs={"rows": 2}))


class NotesForm(forms.Form):
    staff_notes = forms.CharField(label=_("Interna anteckningar"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))


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


class PoliceReportCreateForm(forms.Form):
    note = forms.CharField(label=_("Vad anmäls?"), widget=forms.Textarea(attrs={"rows": 3}))


class PoliceReportUpdateForm(forms.ModelForm):
    class Meta:
        model = PoliceReport
        fields = ["status", "police_reference"]


# --- configuration ------------------------------------------------------------------------------


class RuleForm(forms.ModelForm):
    class Meta:
        model = Rule
        fields = ["code", "title_sv", "title_en", "description_sv", "description_en", "consequence", "severity",
                  "is_violation", "published", "order", "active", "valid_from"]
        widgets = {"description_sv": forms.Textarea(attrs={"rows": 3}),
                   "description_en": forms.Textarea(attrs={"rows": 3}),
                   "valid_from": forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                     format="%Y-%m-%dT%H:%M")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"]
        if self.instance.pk:
            self.fields["code"].disabled = True

    def save(self, commit=True, actor=None):
        rule = super().save(commit=False)
        if commit:
            from moderation.services.config import rule_save

            rule_save(rule=rule, actor=actor, valid_from_set="valid_from" in self.changed_data)
        return rule


class DetectorForm(forms.ModelForm):
    class Meta:
        model = Detector
        fields = ["name", "kind", "rule", "action", "terms", "allow", "threshold", "window_minutes", "active",
                  "channels"]
        widgets = {"terms": forms.Textarea(attrs={"rows": 6}), "allow": forms.Textarea(attrs={"rows": 3}),
                   "channels": forms.CheckboxSelectMultiple}

    def clean_terms(self):
        terms = self.cleaned_data.get("terms", "")
        if self.cleaned_data.get("kind") == "words":
            from moderation.screening.terms import parse_term

            for line in terms.splitlines():
                _entries, error = parse_term(line)
                if error:
                    raise forms.ValidationError(_("Ogiltig term %(t)s: %(e)s") % {"t": line.strip(), "e": error})
        if self.cleaned_data.get("kind") == "pattern":
            import re

            for line in terms.splitlines():
                if line.strip():
                    try:
                        re.compile(line)
                    except re.error as exc:
                        raise forms.ValidationError(_("Ogiltigt mönster %(p)s: %(e)s") % {"p": line, "e": exc}) from exc
        return terms


class ReplyTemplateForm(forms.ModelForm):
    class Meta:
        model = ReplyTemplate
        fields = ["name", "purpose", "text_sv", "text_en", "active"]
        widgets = {"text_sv": forms.Textarea(attrs={"rows": 4}), "text_en": forms.Textarea(attrs={"rows": 4})}


# --- public -------------------------------------------------------------------------------------


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

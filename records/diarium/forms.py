"""Forms for the registrar's pages. They validate input; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from config.forms import IdMultipleChoiceField
from records.diarium.picker import RUNNING, CasePickerField
from records.models import CaseStatus, Direction, RegistrationProposal, RegistrationReason, SenderKind, Series
from records.secrecy.forms import SecrecyFieldsMixin
from records.viewhelpers import DATE_INPUT


class ProposalAcceptForm(SecrecyFieldsMixin):
    MODE_NEW = "new"
    MODE_EXISTING = "existing"

    mode = forms.ChoiceField(
        label=_("Diarieför i"), widget=forms.RadioSelect,
        choices=[(MODE_EXISTING, _("Befintligt ärende")), (MODE_NEW, _("Nytt ärende"))], initial=MODE_EXISTING,
    )
    case = CasePickerField(label=_("Ärende"), required=False,
                           help_text=_("Sök på diarienummer eller ärendemening. Det löpande ärendet för skälet står "
                                       "först."))
    series = forms.ModelChoiceField(label=_("Diarieserie för nytt ärende"), queryset=Series.objects.none(),
                                    required=False)
    case_title = forms.CharField(label=_("Ärendemening"), max_length=500, required=False)
    case_public_title = forms.CharField(
        label=_("Offentlig ärendemening (valfritt)"), max_length=500, required=False,
        help_text=_("Visas i postlistan om ärendemeningen innehåller skyddade uppgifter."),
    )
    sender_kind = forms.ChoiceField(
        label=_("Avsändaren/mottagaren är"), choices=SenderKind.choices, initial=SenderKind.UNKNOWN,
        help_text=_("Privatpersoners namn visas inte i postlistan; företags, organisationers och myndigheters "
                    "namn visas."),
    )
    description = forms.CharField(label=_("Beskrivning (handlingsmening)"), max_length=500)
    public_description = forms.CharField(
        label=_("Offentlig beskrivning"), max_length=500, required=False,
        help_text=_("Visas i postlistan i stället för beskrivningen när den är sekretessmarkerad."),
    )
    # where it goes and what it says first, the secrecy markings after (as in the registrar's other tools)
    field_order = ["mode", "case", "series", "case_title", "case_public_title", "sender_kind", "description",
                   "public_description"]

    def __init__(self, *args, reason: str = "", user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = Series.objects.filter(active=True).order_by("code")
        self.fields["case"].widget.reason = reason
        self.fields["case"].widget.user = user

    def clean(self):
        data = super().clean()
        data["running"] = False
        if data.get("mode") == self.MODE_EXISTING:
            case = data.get("case")
            if case is None and "case" not in self.errors:
                self.add_error("case", _("Välj ett ärende."))
            elif case == RUNNING:
                data["case"], data["running"] = None, True
        else:
            if not data.get("series"):
                self.add_error("series", _("Välj diarieserie."))
            if not (data.get("case_title") or "").strip():
                self.add_error("case_title", _("Ange en ärendemening."))
            data["case"] = None
        return data

    def new_case(self) -> dict | None:
        if self.cleaned_data.get("mode") != self.MODE_NEW:
            return None
        return {
            "series": self.cleaned_data["series"],
            "title": self.cleaned_data["case_title"],
            "public_title": self.cleaned_data.get("case_public_title") or "",
        }


class ProposalDeclineForm(forms.Form):
    reason = forms.CharField(label=_("Skäl för att avböja"), widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Inlägget hålls ordnat men diarieförs inte."))


class CaseOpenForm(forms.Form):
    series = forms.ModelChoiceField(label=_("Diarieserie"), queryset=Series.objects.none())
    title = forms.CharField(label=_("Ärendemening"), max_length=500)
    public_title = forms.CharField(label=_("Offentlig ärendemening (valfritt)"), max_length=500, required=False)
    classification_code = forms.CharField(label=_("Klassificering (valfritt)"), max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = Series.objects.filter(active=True).order_by("code")


class DocumentRegisterForm(SecrecyFieldsMixin):
    direction = forms.ChoiceField(label=_("Inkommen eller upprättad"), choices=Direction.choices)
    date = forms.DateField(label=_("Datum (inkom/upprättad)"), widget=DATE_INPUT)
    sender = forms.CharField(label=_("Avsändare/mottagare"), max_length=300, required=False)
    sender_kind = forms.ChoiceField(
        label=_("Avsändaren/mottagaren är"), choices=SenderKind.choices, initial=SenderKind.UNKNOWN,
        help_text=_("Privatpersoners namn visas inte i postlistan; företags, organisationers och myndigheters "
                    "namn visas."),
    )
    description = forms.CharField(label=_("Beskrivning (handlingsmening)"), max_length=500)
    public_description = forms.CharField(label=_("Offentlig beskrivning (valfritt)"), max_length=500,
                                         required=False)
    reason = forms.ChoiceField(label=_("Skäl för diarieföring"), choices=RegistrationReason.choices)
    content = forms.CharField(label=_("Innehåll"), widget=forms.Textarea(attrs={"rows": 6}), required=False)

    field_order = ["case", "direction", "date", "sender", "sender_kind", "description", "public_description",
                   "reason", "content"]

    def __init__(self, *args, pick_case: bool = False, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if pick_case:  # the general "new document" page: the case is chosen here
            self.fields["case"] = CasePickerField(label=_("Ärende"), user=user,
                                                  help_text=_("Sök på diarienummer eller ärendemening."))
            self.order_fields(self.field_order)

    def clean_case(self):
        case = self.cleaned_data.get("case")
        if case is None or case == RUNNING:
            raise forms.ValidationError(_("Välj ett ärende."))
        return case


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Skäl"), widget=forms.Textarea(attrs={"rows": 2}))


class DescriptionForm(forms.Form):
    description = forms.CharField(label=_("Beskrivning"), max_length=500)
    public_description = forms.CharField(label=_("Offentlig beskrivning"), max_length=500, required=False)


class DocumentSearchForm(forms.Form):
    q = forms.CharField(label=_("Sökord"), required=False)
    number = forms.CharField(label=_("Diarienummer"), required=False)
    date_from = forms.DateField(label=_("Från datum"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("Till datum"), required=False, widget=DATE_INPUT)
    direction = forms.ChoiceField(label=_("Riktning"), required=False,
                                  choices=[("", _("Alla"))] + list(Direction.choices))


class PostlistaSearchForm(forms.Form):
    q = forms.CharField(label=_("Sök i postlistan"), required=False)
    number = forms.CharField(label=_("Diarienummer"), required=False)
    date_from = forms.DateField(label=_("Från datum"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("Till datum"), required=False, widget=DATE_INPUT)


class CaseSearchForm(forms.Form):
    q = forms.CharField(label=_("Diarienummer eller ärendemening"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Alla"))] + list(CaseStatus.choices))
    series = forms.ModelChoiceField(label=_("Diarieserie"), queryset=Series.objects.all(), required=False,
                                    empty_label=_("Alla"))


class RegistrationsExportForm(forms.Form):
    """A range of registration days for the main diarium export (at most a year in one download; longer
    ranges with `manage.py export_registrations`)."""

    MAX_DAYS = 366

    date_from = forms.DateField(label=_("Registrerade från och med"), widget=DATE_INPUT)
    date_to = forms.DateField(label=_("till och med"), widget=DATE_INPUT)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if start > end:
                self.add_error("date_to", _("Till-datumet ligger före från-datumet."))
            elif (end - start).days >= self.MAX_DAYS:
                self.add_error("date_to", _("Högst ett år åt gången här; använd kommandot export_registrations "
                                            "för längre perioder."))
        return data


class BulkAcceptForm(forms.Form):
    """Several proposals from the inbox into one case (the picker) or the running case of their reason."""

    proposals = IdMultipleChoiceField(label=_("Förslag"), queryset=RegistrationProposal.objects.none(),
                                               widget=forms.CheckboxSelectMultiple)
    case = CasePickerField(label=_("Ärende för de markerade förslagen"))

    def __init__(self, *args, reason: str = "", user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = RegistrationProposal.objects.pending()
        self.fields["case"].widget.reason = reason
        self.fields["case"].widget.user = user

    def ordered_proposals(self) -> list:
        """In the inbox's order (oldest first), whatever order the browser sent them in."""
        return sorted(self.cleaned_data["proposals"], key=lambda p: (p.proposed_at, p.pk))

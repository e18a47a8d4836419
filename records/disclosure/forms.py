"""Forms and the filter for requests for public documents (TF 2 kap.). Input checks only: the
rules live in records.disclosure.services."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import django_filters
from django import forms
from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from records.models import (
    AnswerMeans,
    AppealStatus,
    Case,
    CloseReason,
    DisclosureChannel,
    DisclosureDecisionSetting,
    DisclosureOutcome,
    DisclosureRequest,
    DisclosureStatus,
    Document,
    LegalGround,
    Series,
)

STARTED_SALT = "uppsikt.disclosure.public-form"
MAX_FORM_AGE = 2 * 60 * 60


def min_fill_seconds() -> int:
    return int(getattr(settings, "UPPSIKT_PUBLIC_FORM_MIN_SECONDS", 3))


def started_token() -> str:
    """A signed timestamp for the public form: a bot that posts at once is refused."""
    return signing.dumps(int(time.time()), salt=STARTED_SALT)


def split_numbers(text: str) -> list[str]:
    """Document numbers separated by commas, semicolons or new lines ("KS 2026/12-3, KS 2026/12-4")."""
    return list(dict.fromkeys(p.strip() for p in re.split(r"[,;\n\r]+", text or "") if p.strip()))


def resolve_documents(numbers: list[str]) -> tuple[list[Document], list[str]]:
    """(documents found in the diarium — neither voided nor purged —, numbers not found)."""
    found = {d.number: d for d in Document.objects.public().filter(number__in=numbers)}
    return [found[n] for n in numbers if n in found], [n for n in numbers if n not in found]


# --- masking input ---------------------------------------------------------------------------------


def parse_bracket_marks(original: str, marked: str) -> list[list[int]]:
    """Spans from a copy of `original` in which the registrar wrapped text in [[ and ]].

    The copy with the brackets removed must equal the original exactly, so a stray edit cannot
    shift what gets masked. Returns [start, end) offsets into `original`.
    """
    if "\r\n" not in original:
        marked = marked.replace("\r\n", "\n")
    spans: list[list[int]] = []
    out: list[str] = []
    open_at: int | None = None
    i = 0
    length = 0
    while i < len(marked):
        if marked.startswith("[[", i):
            if open_at is not None:
                raise forms.ValidationError(_("Ett [[ saknar sitt ]] före nästa [[."))
            open_at = length
            i += 2
        elif marked.startswith("]]", i):
            if open_at is None:
                raise forms.ValidationError(_("Ett ]] saknar sitt [[."))
            if length > open_at:
                spans.append([open_at, length])
            open_at = None
            i += 2
        else:
            out.append(marked[i])
            length += 1
            i += 1
    if open_at is not None:
        raise forms.ValidationError(_("Ett [[ saknar sitt ]]."))
    if "".join(out) != original:
        raise forms.ValidationError(
            _("Texten har ändrats. Ändra bara genom att lägga till [[ och ]] runt det som ska maskeras."))
    return spans


def spans_to_brackets(text: str, spans) -> str:
    """The registrar's editable copy: `text` with every span wrapped in [[ ]]."""
    result, position = [], 0
    for start, end in sorted((int(s), int(e)) for s, e in spans or []):
        if start < position:
            continue
        result += [text[position:start], "[[", text[start:end], "]]"]
        position = end
    result.append(text[position:])
    return "".join(result)


def parse_offsets(value: str) -> list[list[int]]:
    """ "12-20, 31-40" → [[12, 20], [31, 40]]."""
    spans = []
    for part in re.split(r"[,;\s]+", value or ""):
        if not part:
            continue
        match = re.fullmatch(r"(\d+)[-–](\d+)", part)
        if not match:
            raise forms.ValidationError(_("Ange avsnitt som start–slut, t.ex. 12-20, 31-40."))
        spans.append([int(match.group(1)), int(match.group(2))])
    return spans


# --- forms --------------------------------------------------------------------------------------------


class DocumentNumbersField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
        super().__init__(**kwargs)


class PublicDisclosureForm(forms.Form):
    """The public request form (no login). Name and contact are optional (TF 2 kap. 18 §)."""

    documents = DocumentNumbersField(
        label=_("Handlingarnas diarienummer"), max_length=2000,
        help_text=_("T.ex. KS 2026/12-3. Skriv flera nummer med kommatecken eller på var sin rad."),
    )
    request_text = forms.CharField(
        label=_("Vad vill du ta del av?"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Beskriv handlingarna om du inte vet numret."),
    )
    requester_name = forms.CharField(label=_("Namn (frivilligt)"), required=False, max_length=200)
    requester_contact = forms.CharField(
        label=_("E-post, telefon eller adress (frivilligt)"), required=False, max_length=300,
        help_text=_("Behövs bara om du vill att vi skickar handlingarna eller kontaktar dig."),
    )
    # Honeypot: hidden from people (and from assistive technology), filled in by bots.
    website = forms.CharField(label=_("Lämna detta fält tomt"), required=False, max_length=200)
    started = forms.CharField(widget=forms.HiddenInput)

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Formuläret kunde inte skickas."))
        return ""

    def clean_started(self):
        try:
            started = signing.loads(self.cleaned_data["started"], salt=STARTED_SALT, max_age=MAX_FORM_AGE)
        except signing.BadSignature as exc:
            raise forms.ValidationError(_("Formuläret har gått ut. Ladda om sidan och försök igen.")) from exc
        if time.time() - int(started) < min_fill_seconds():
            raise forms.ValidationError(_("Formuläret skickades för snabbt. Vänta några sekunder och försök igen."))
        return started

    def clean(self):
        data = super().clean()
        numbers = split_numbers(data.get("documents", ""))
        text = (data.get("request_text") or "").strip()
        if not numbers and not text:
            raise forms.ValidationError(_("Ange diarienummer eller beskriv vad du vill ta del av."))
        found, unknown = resolve_documents(numbers)
        data["found_documents"] = found
        parts = [text] if text else []
        if numbers:
            parts.append(str(_("Begärda handlingar: %(numbers)s")) % {"numbers": ", ".join(numbers)})
        data["full_text"] = "\n\n".join(parts)
        data["unknown_numbers"] = unknown
        return data


class DisclosureIntakeForm(forms.Form):
    """A registrar registers a request that came by e-mail, phone, letter or at the counter."""

    channel_in = forms.ChoiceField(label=_("Inkom via"), choices=DisclosureChannel.choices,
                                   initial=DisclosureChannel.EMAIL)
    received_at = forms.DateTimeField(
        label=_("Inkom"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Tiden räknas från när begäran kom in."),
    )
    documents = DocumentNumbersField(label=_("Handlingarnas diarienummer"), max_length=2000,
                                     help_text=_("Flera nummer med kommatecken eller på var sin rad."))
    items = forms.CharField(label=_("Inlägg och kommentarer (id, frivilligt)"), required=False, max_length=2000,
                            help_text=_("Id för inlägg som hålls ordnade (inte diarieförda), t.ex. 812, 815."))
    request_text = forms.CharField(label=_("Begäran"), required=False, max_length=5000,
                                   widget=forms.Textarea(attrs={"rows": 4}))
    requester_name = forms.CharField(label=_("Sökandens namn (frivilligt)"), required=False, max_length=200)
    requester_contact = forms.CharField(label=_("Sökandens kontaktuppgift (frivilligt)"), required=False,
                                        max_length=300)

    def clean_received_at(self):
        value = self.cleaned_data["received_at"]
        if value > timezone.now() + timedelta(minutes=5):
            raise forms.ValidationError(_("Tiden kan inte ligga i framtiden."))
        return value

    def clean(self):
        data = super().clean()
        numbers = split_numbers(data.get("documents", ""))
        found, unknown = resolve_documents(numbers)
        if unknown:
            self.add_error("documents", _("Finns inte i diariet: %(n)s") % {"n": ", ".join(unknown)})
        item_ids = split_numbers(data.get("items", ""))
        if any(not i.isdecimal() for i in item_ids):
            self.add_error("items", _("Ange inläggens id som siffror, t.ex. 812, 815."))
        from records.disclosure.targets import source_by_key

        item_type = source_by_key("item").type if item_ids else ""
        data["targets"] = [(item_type, i) for i in item_ids if i.isdecimal()]
        if not numbers and not item_ids and not (data.get("request_text") or "").strip():
            raise forms.ValidationError(_("Ange diarienummer eller beskriv begäran."))
        data["found_documents"] = found
        return data


class TargetAddForm(forms.Form):
    """Name one more record: a document by its number, an item by id, address or text, a report by id."""

    kind = forms.ChoiceField(label=_("Slag"), choices=())
    number = forms.CharField(label=_("Diarienummer, id, adress eller text"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from records.disclosure import targets

        self.fields["kind"].choices = [(s.key, s.label) for s in targets.sources()]
        self.fields["kind"].initial = "document"


_DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


def _not_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("Dagen kan inte ligga i framtiden."))
    return value


class ReviewForm(forms.Form):
    """The secrecy review of one target. Content masks come from the text selection (the `spans`
    offsets the script fills in), from [[brackets]] in a copy (no script), or from typed offsets;
    whole parts (sender, description, the whole content, an attachment) by checkbox, each with its
    own ground."""

    outcome = forms.ChoiceField(
        label=_("Utfall"), widget=forms.RadioSelect, required=False,
        choices=[c for c in DisclosureOutcome.choices if c[0] != DisclosureOutcome.PENDING],
    )
    legal_ground = forms.ModelChoiceField(
        label=_("Lagrum"), required=False, queryset=LegalGround.objects.active(),
        help_text=_("Krävs vid maskering och avslag. Gäller de maskerade avsnitten i texten."),
    )
    marked_text = forms.CharField(
        label=_("Markera det som ska maskeras med [[ och ]]"), required=False, strip=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
    )
    spans = forms.CharField(label=_("Maskerade avsnitt (teckenpositioner start–slut)"), required=False,
                            max_length=4000,
                            help_text=_("T.ex. 12-20, 31-40. Positionerna räknas från 0 i originaltexten."))
    reasoning = forms.CharField(
        label=_("Motivering"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Skälen för utfallet. Återges i myndighetens beslut. Krävs om en sekretessmarkerad uppgift "
                    "lämnas ut."),
    )
    note = forms.CharField(label=_("Intern anteckning"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, content: str | None = None, parts=(), attachments=(), secret_parts=None, **kwargs):
        super().__init__(*args, **kwargs)
        from records.disclosure.targets import PART_LABELS

        self.content = content
        self.whole_parts: list[tuple[str, str, str]] = []
        secret_parts = secret_parts or {}
        grounds = LegalGround.objects.active()
        choices = [(p, str(PART_LABELS.get(p, p)).capitalize()) for p in parts]
        choices += [(f"attachment:{a['index']}", a["label"]) for a in attachments]
        for key, label in choices:
            name = key.replace(":", "_")
            code = secret_parts.get(key, "")
            marked = _(" (sekretessmarkerad: %(g)s)") % {"g": code} if key in secret_parts else ""
            self.fields[f"mask_{name}"] = forms.BooleanField(
                label=_("Maskera hela delen: %(part)s%(marked)s") % {"part": label, "marked": marked}, required=False)
            self.fields[f"ground_{name}"] = forms.ModelChoiceField(
                label=_("Lagrum för %(part)s") % {"part": label.lower()}, required=False, queryset=grounds,
                initial=grounds.filter(code=code).values_list("pk", flat=True).first() if code else None)
            self.whole_parts.append((key, f"mask_{name}", f"ground_{name}"))

    def clean(self):
        data = super().clean()
        spans: list[list[int]] = []
        if self.content is not None:
            marked = data.get("marked_text") or ""
            if "[[" in marked or "]]" in marked:
                try:
                    spans = parse_bracket_marks(self.content, marked)
                except forms.ValidationError as exc:
                    self.add_error("marked_text", exc)
            if data.get("spans"):
                try:
                    spans += parse_offsets(data["spans"])
                except forms.ValidationError as exc:
                    self.add_error("spans", exc)
        masked: list[dict] = [{"part": "content", "start": a, "end": b} for a, b in spans]
        for key, flag, ground in self.whole_parts:
            if data.get(flag):
                entry = {"part": "attachment", "index": int(key.split(":")[1])} if key.startswith("attachment:") \
                    else {"part": key}
                if data.get(ground) is not None:
                    entry["legal_ground"] = data[ground].code
                masked.append(entry)
        data["mask_spans"] = spans
        data["masked_parts"] = masked
        return data


class AnswerForm(forms.Form):
    means = forms.ChoiceField(label=_("Hur fick sökanden beskedet?"),
                              choices=[c for c in AnswerMeans.choices if c[0] != AnswerMeans.COPIES])
    answered_on = forms.DateField(label=_("Dag"), **_DATE)

    def clean_answered_on(self):
        return _not_future(self.cleaned_data["answered_on"])


class DecisionRequestForm(forms.Form):
    requested_on = forms.DateField(label=_("Sökanden begärde myndighetens beslut den"), **_DATE)

    def clean_requested_on(self):
        return _not_future(self.cleaned_data["requested_on"])


class DecisionIssueForm(forms.Form):
    reasoning = forms.CharField(
        label=_("Skäl för beslutet"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000,
        help_text=_("Förvaltningslagen 32 §: de skäl som bestämt utgången. Motiveringarna från prövningen av varje "
                    "handling tas med i beslutet."),
    )


class DecisionNotifiedForm(forms.Form):
    notified_on = forms.DateField(
        label=_("Sökanden fick del av beslutet den"), **_DATE,
        help_text=_("Tre veckor för överklagande räknas från denna dag (förvaltningslagen 44 §). Vid brev: ange "
                    "dagen det kan antas ha kommit fram."),
    )

    def clean_notified_on(self):
        return _not_future(self.cleaned_data["notified_on"])


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Skäl"), choices=CloseReason.choices)
    note = forms.CharField(label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class AppealForm(forms.Form):
    received_at = forms.DateTimeField(
        label=_("Överklagandet kom in"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class AppealCloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Domstolens avgörande (när domen vunnit laga kraft)"),
                                widget=forms.RadioSelect,
                                choices=[(AppealStatus.UPHELD, AppealStatus.UPHELD.label),
                                         (AppealStatus.OVERTURNED, AppealStatus.OVERTURNED.label)])


class DeliverForm(forms.Form):
    format = forms.ChoiceField(choices=[("pdf", "PDF"), ("zip", "ZIP")])  # noqa: A003


class DecisionSettingForm(forms.ModelForm):
    class Meta:
        model = DisclosureDecisionSetting
        fields = ["unit", "deciding_body", "delegation", "delegate_title", "appeal_court", "series", "case"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].empty_label = _("Alla enheter (standard)")
        self.fields["series"].queryset = Series.objects.filter(active=True)
        self.fields["case"].queryset = Case.objects.open()

    def clean(self):
        data = super().clean()
        if not data.get("series") and not data.get("case"):
            raise forms.ValidationError(_("Välj en diarieserie (ett ärende per begäran) eller ett samlingsärende: "
                                          "myndighetens beslut ska diarieföras."))
        return data


class DisclosureRequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=DisclosureStatus.choices)
    overdue = django_filters.BooleanFilter(label=_("Försenad"), method="filter_overdue")
    q = django_filters.CharFilter(label=_("Sök referens, diarienummer eller inlägg"), method="filter_q")

    class Meta:
        model = DisclosureRequest
        fields = ["status", "overdue"]

    def filter_overdue(self, queryset, name, value):
        from records.disclosure.services import disclosure_overdue

        if value is None:
            return queryset
        overdue = disclosure_overdue(queryset)
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))

    def filter_q(self, queryset, name, value):
        from django.db.models import Q

        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(reference__icontains=value) | Q(items__label__icontains=value)).distinct()

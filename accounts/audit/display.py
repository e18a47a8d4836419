"""How the audit log reads to a person: kinds in Swedish, the detail as labelled values, a link to
the object, times in local time.

Nothing here writes. Older rows recorded as "other" name what happened in `detail["operation"]` or
`detail["event"]`; `event_kind()` maps those to their own kind, and `kind_filter_q()` finds them
when an auditor filters by that kind, so the log reads the same before and after the kinds existed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AuditAction, Role

OTHER = AuditAction.OTHER.value

# Actions recorded by other apps under their own names (moderation.*): their Swedish labels.
EXTRA_KINDS: dict[str, object] = {
    "moderation.item_keep": gettext_lazy("Beslut: behåll"),
    "moderation.item_hide": gettext_lazy("Beslut: dölj"),
    "moderation.item_remove": gettext_lazy("Beslut: ta bort"),
    "moderation.item_escalate": gettext_lazy("Beslut: eskalera"),
    "moderation.item_reply": gettext_lazy("Beslut: svara"),
    "moderation.item_refer": gettext_lazy("Beslut: hänvisa"),
    "moderation.item_unhide": gettext_lazy("Beslut: visa igen"),
    "moderation.item_restore": gettext_lazy("Beslut: återställ"),
    "moderation.decision_reverse": gettext_lazy("Beslut upphävt"),
    "moderation.sanction_warn": gettext_lazy("Varning till konto"),
    "moderation.block_confirm": gettext_lazy("Konto blockerat"),
    "moderation.author_unblock": gettext_lazy("Blockering hävd"),
    "moderation.police_report_create": gettext_lazy("Polisanmälan upprättad"),
    "moderation.police_report_update": gettext_lazy("Polisanmälan uppdaterad"),
    "moderation.report_create": gettext_lazy("Anmälan från allmänheten mottagen"),
    "moderation.report_triage": gettext_lazy("Anmälan från allmänheten bedömd"),
}

# What an older "other" row's detail names → its own kind.
LEGACY_KINDS: dict[str, str] = {
    "case_open": AuditAction.CASE_OPENED,
    "case_close": AuditAction.CASE_CLOSED,
    "case_reopen": AuditAction.CASE_REOPENED,
    "document_register": AuditAction.DOCUMENT_REGISTERED,
    "document_void": AuditAction.DOCUMENT_VOIDED,
    "document_update_description": AuditAction.DOCUMENT_CHANGED,
    "proposal_decline": AuditAction.PROPOSAL_DECLINED,
    "secrecy_mark": AuditAction.SECRECY_MARKED,
    "secrecy_lift": AuditAction.SECRECY_LIFTED,
    "secrecy_extend_to_sender": AuditAction.SECRECY_EXTENDED,
    "retention_reassign": AuditAction.RETENTION_CHANGED,
    "archive_delivery_confirm": AuditAction.ARCHIVE_DELIVERED,
    "disclosure_setting_save": AuditAction.SETTING_CHANGED,
    "consent_recorded": AuditAction.CONSENT,
    "consent_linked": AuditAction.CONSENT,
    "consent_unlinked": AuditAction.CONSENT,
    "consent_not_needed": AuditAction.CONSENT,
    "consent_withdrawn": AuditAction.CONSENT,
    "evidence_sheet": AuditAction.EVIDENCE,
    "attachment_refetch": AuditAction.EVIDENCE,
    "token_refreshed": AuditAction.PLATFORM,
    "token_refresh_failed": AuditAction.PLATFORM,
    "channel_failure": AuditAction.PLATFORM,
    "credentials_updated": AuditAction.PLATFORM,
    "webhook_replay": AuditAction.PLATFORM,
    "email_retry": AuditAction.NOTIFICATION,
    "email_cancel": AuditAction.NOTIFICATION,
    "email_resend": AuditAction.NOTIFICATION,
}

# detail["event"] / detail["operation"] in Swedish (shown as "Händelse").
EVENT_LABELS: dict[str, object] = {
    "case_open": gettext_lazy("ärendet upprättades"),
    "case_close": gettext_lazy("ärendet avslutades"),
    "case_reopen": gettext_lazy("ärendet återöppnades"),
    "document_register": gettext_lazy("handlingen diariefördes"),
    "document_void": gettext_lazy("handlingen makulerades"),
    "document_update_description": gettext_lazy("beskrivningen ändrades"),
    "proposal_decline": gettext_lazy("förslaget avböjdes"),
    "secrecy_mark": gettext_lazy("sekretess markerades"),
    "secrecy_lift": gettext_lazy("sekretessen hävdes"),
    "secrecy_extend_to_sender": gettext_lazy("sekretessen utsträcktes till avsändarens handlingar"),
    "retention_reassign": gettext_lazy("gallringsklassen ändrades"),
    "archive_delivery_confirm": gettext_lazy("mottagningskvitto registrerat"),
    "disclosure_setting_save": gettext_lazy("beslutsinstansen sparades"),
    "file_download": gettext_lazy("fil hämtad"),
    "consent_recorded": gettext_lazy("samtycke registrerat"),
    "consent_linked": gettext_lazy("samtycke kopplat till inlägg"),
    "consent_unlinked": gettext_lazy("samtycke bortkopplat från inlägg"),
    "consent_not_needed": gettext_lazy("samtycke behövs inte"),
    "consent_withdrawn": gettext_lazy("samtycke återkallat"),
    "evidence_sheet": gettext_lazy("bevisblad upprättat"),
    "attachment_refetch": gettext_lazy("bilaga hämtas på nytt"),
    "token_refreshed": gettext_lazy("åtkomstnyckel förnyad"),
    "token_refresh_failed": gettext_lazy("åtkomstnyckel kunde inte förnyas"),
    "channel_failure": gettext_lazy("kanalen fungerar inte"),
    "credentials_updated": gettext_lazy("inloggningsuppgifter för kanalen ändrade"),
    "webhook_replay": gettext_lazy("leverans från plattformen körd igen"),
    "email_retry": gettext_lazy("e-post skickas igen"),
    "email_cancel": gettext_lazy("e-postutskick stoppat"),
    "email_resend": gettext_lazy("e-post skickas på nytt"),
    "on_call": gettext_lazy("jour"),
    "registrations_export": gettext_lazy("diarieföringar exporterade"),
    "archive_export": gettext_lazy("ärende exporterat"),
    "archive_inventory": gettext_lazy("arkivförteckning"),
    "archive_description": gettext_lazy("arkivbeskrivning"),
    "report_email_downloaded": gettext_lazy("e-post till anmälan hämtad"),
    "audit_export": gettext_lazy("granskningsloggen exporterad"),
    "account_created": gettext_lazy("konto skapat"),
    # purge lists and legal holds
    "drafted": gettext_lazy("upprättad"),
    "proposed": gettext_lazy("föreslagen"),
    "returned": gettext_lazy("åter till utkast"),
    "approved": gettext_lazy("godkänd"),
    "cancelled": gettext_lazy("avbruten"),
    "line_excluded": gettext_lazy("rad undantagen"),
    "execution_started": gettext_lazy("verkställandet startade"),
    "execution_resumed": gettext_lazy("verkställandet återupptogs"),
    "executed": gettext_lazy("verkställd"),
    "hold_placed": gettext_lazy("gallringsspärr lagd"),
    "hold_released": gettext_lazy("gallringsspärr hävd"),
    "purge_reapplied_after_restore": gettext_lazy("gallring upprepad efter återläsning"),
    # data subject requests
    "created": gettext_lazy("registrerad"),
    "searched": gettext_lazy("sökning gjord"),
    "deadline_extended": gettext_lazy("tidsfristen förlängd"),
    "extract": gettext_lazy("registerutdrag skapat"),
    "erasure_proposed": gettext_lazy("radering föreslagen"),
    "erasure_approved": gettext_lazy("radering godkänd"),
    "erasure_reapplied_after_restore": gettext_lazy("radering upprepad efter återläsning"),
    "closed": gettext_lazy("avslutad"),
    # requests for public documents
    "received": gettext_lazy("begäran mottagen"),
    "target_added": gettext_lazy("handling tillagd"),
    "item_described": gettext_lazy("handling beskriven"),
    "reviewed": gettext_lazy("prövad"),
    "decision_requested": gettext_lazy("beslut begärt"),
    "decided": gettext_lazy("beslut fattat"),
    "decision_issued": gettext_lazy("beslutsbrev upprättat"),
    "decision_notified": gettext_lazy("beslutet meddelat"),
    "delivered": gettext_lazy("handlingar lämnade ut"),
    "answered": gettext_lazy("besvarad"),
    "appeal_registered": gettext_lazy("överklagande registrerat"),
    "appeal_closed": gettext_lazy("överklagande avslutat"),
    # sign-in
    "enrolled": gettext_lazy("registrerad"),
    "removed": gettext_lazy("borttagen"),
    "otp": gettext_lazy("engångskod"),
}

KEY_LABELS: dict[str, object] = {
    "before": gettext_lazy("Före"),
    "after": gettext_lazy("Efter"),
    "added": gettext_lazy("Tillagt"),
    "members_added": gettext_lazy("Nya medlemmar"),
    "members_removed": gettext_lazy("Borttagna medlemmar"),
    "removed": gettext_lazy("Borttaget"),
    "source": gettext_lazy("Ändrat via"),
    "reason": gettext_lazy("Skäl"),
    "part": gettext_lazy("Del"),
    "parts": gettext_lazy("Delar"),
    "secret_parts": gettext_lazy("Sekretessbelagda delar"),
    "legal_ground": gettext_lazy("Sekretessgrund"),
    "expires_on": gettext_lazy("Sekretess till och med"),
    "marked": gettext_lazy("Markerade handlingar"),
    "registered": gettext_lazy("Diarieförda handlingar"),
    "from": gettext_lazy("Från klass"),
    "to": gettext_lazy("Till klass"),
    "due": gettext_lazy("Gallras tidigast"),
    "unit": gettext_lazy("Enhet"),
    "package": gettext_lazy("Leveranspaket"),
    "archive_reference": gettext_lazy("Arkivets referens"),
    "received_on": gettext_lazy("Mottaget"),
    "decision": gettext_lazy("Beslut nr"),
    "rules": gettext_lazy("Regler"),
    "platform_action": gettext_lazy("Åtgärd på plattformen"),
    "secret": gettext_lazy("Sekretess"),
    "strike": gettext_lazy("Räknas som varning"),
    "channel": gettext_lazy("Kanal"),
    "status": gettext_lazy("Status"),
    "hits": gettext_lazy("Träffar"),
    "schedule": gettext_lazy("Schema"),
    "kind": gettext_lazy("Typ"),
    "identifier_kinds": gettext_lazy("Identifierare"),
    "deadline": gettext_lazy("Tidsfrist"),
    "format": gettext_lazy("Format"),
    "entries": gettext_lazy("Poster"),
    "count": gettext_lazy("Antal"),
    "path": gettext_lazy("Sida"),
    "filename": gettext_lazy("Fil"),
    "file": gettext_lazy("Fil nr"),
    "sha256": gettext_lazy("Kontrollsumma"),
    "form_sha256": gettext_lazy("Kontrollsumma för blanketten"),
    "fields": gettext_lazy("Fält"),
    "released_actions": gettext_lazy("Frigjorda åtgärder"),
    "code": gettext_lazy("Felkod"),
    "platform": gettext_lazy("Plattform"),
    "on": gettext_lazy("I jourgruppen"),
    "sheet": gettext_lazy("Bevisblad nr"),
    "attachment": gettext_lazy("Bilaga nr"),
    "consent": gettext_lazy("Samtycke nr"),
    "method": gettext_lazy("Metod"),
    "surface": gettext_lazy("Visad i"),
    "step": gettext_lazy("Steg"),
    "change": gettext_lazy("Ändring"),
    "permissions": gettext_lazy("Behörigheter"),
    "flags": gettext_lazy("Kontoinställningar"),
    "user": gettext_lazy("Användare"),
    "n": gettext_lazy("Antal"),
    "lines": gettext_lazy("Rader"),
    "expires_at": gettext_lazy("Gäller till"),
    "note": gettext_lazy("Anteckning"),
    "filters": gettext_lazy("Filter"),
    "item": gettext_lazy("Post nr"),
    "target": gettext_lazy("Handling"),
    "outcome": gettext_lazy("Utfall"),
    "outcomes": gettext_lazy("Utfall"),
    "masked_parts": gettext_lazy("Maskerade delar"),
    "released_secret_parts": gettext_lazy("Utlämnade sekretessdelar"),
    "target_type": gettext_lazy("Objekttyp"),
    "target_id": gettext_lazy("Objekt-id"),
    "ends_on": gettext_lazy("Gäller till och med"),
    "reference": gettext_lazy("Referens"),
    "cutoff": gettext_lazy("Gallringsdatum"),
    "done": gettext_lazy("Gallrade"),
    "refused": gettext_lazy("Vägrade"),
    "skipped": gettext_lazy("Undantagna"),
    "class": gettext_lazy("Gallringsklass"),
    "means": gettext_lazy("Sätt"),
    "letter": gettext_lazy("Brev nr"),
    "appeal_status": gettext_lazy("Överklagande"),
}

_SOURCES = {
    "oidc": gettext_lazy("identitetsleverantören vid inloggning"),
    "admin": gettext_lazy("administrationsgränssnittet"),
    "command": gettext_lazy("kommandoraden"),
    "demo": gettext_lazy("demodata"),
}
_SURFACES = {
    "history": gettext_lazy("ändringshistoriken"),
    "document_file": gettext_lazy("handlingens fil"),
    "disclosure_review": gettext_lazy("prövningen av begäran"),
    "list": gettext_lazy("en lista"),
    "detail": gettext_lazy("detaljsidan"),
}
_FLAGS = {
    "is_superuser": gettext_lazy("superanvändare"),
    "is_staff": gettext_lazy("administrationsgränssnittet"),
    "is_active": gettext_lazy("aktivt konto"),
}


def event_kind(action: str, detail) -> str:
    """The kind an event is shown and filtered as."""
    if action == OTHER and isinstance(detail, dict):
        name = detail.get("operation") or detail.get("event") or ""
        kind = LEGACY_KINDS.get(str(name))
        if kind:
            return str(kind)
    # Rows written before on-call had its own kind were recorded as role changes.
    if action == AuditAction.ROLE_CHANGED and isinstance(detail, dict) and detail.get("event") == "on_call":
        return AuditAction.ON_CALL_CHANGED.value
    return action


def kind_label(kind: str) -> str:
    try:
        return str(AuditAction(kind).label)
    except ValueError:
        pass
    if kind in EXTRA_KINDS:
        return str(EXTRA_KINDS[kind])
    if kind.startswith("moderation."):
        return _("Moderering")
    return _("Annan händelse")


def kind_choices() -> list[tuple[str, str]]:
    """Every kind an auditor can filter by, sorted by its Swedish label."""
    choices = [(a.value, str(a.label)) for a in AuditAction] + [(k, str(v)) for k, v in EXTRA_KINDS.items()]
    return sorted(choices, key=lambda c: c[1].lower())


def _not(**lookup) -> Q:
    """Negate a lookup on a JSON key so that rows without the key match (SQL NULL is not "not equal")."""
    (key, value), = lookup.items()
    field = key.rsplit("__in", 1)[0] if key.endswith("__in") else key
    return ~Q(**lookup) | Q(**{f"{field}__isnull": True})


def kind_filter_q(kind: str) -> Q:
    """Rows of this kind, older "other" rows that name it in their detail included."""
    q = Q(action=kind)
    names = [name for name, k in LEGACY_KINDS.items() if str(k) == kind]
    if names:
        q |= Q(action=OTHER, detail__operation__in=names) | Q(action=OTHER, detail__event__in=names)
    if kind == AuditAction.ON_CALL_CHANGED:
        q |= Q(action=AuditAction.ROLE_CHANGED, detail__event="on_call")
    elif kind == AuditAction.ROLE_CHANGED:
        q = Q(action=kind) & _not(detail__event="on_call")
    elif kind == OTHER:
        legacy = list(LEGACY_KINDS)
        q = Q(action=OTHER) & _not(detail__operation__in=legacy) & _not(detail__event__in=legacy)
    return q


# --- values ------------------------------------------------------------------------------------


def choice_maps() -> dict[str, dict[str, str]]:
    """Codes that appear as detail values, per key, with their Swedish labels (imported lazily:
    accounts does not depend on the other apps at import time)."""
    maps: dict[str, dict[str, str]] = {"before": {}, "after": {}, "added": {}, "removed": {}}
    roles = {r.value: str(r.label) for r in Role}
    for key in maps:
        maps[key].update(roles)
    perms = _permission_labels()
    for key in ("added", "removed"):
        maps[key].update({k: str(v) for k, v in _FLAGS.items()})
        maps[key].update(perms)
    maps["source"] = {k: str(v) for k, v in _SOURCES.items()}
    maps["surface"] = {k: str(v) for k, v in _SURFACES.items()}
    maps["flags"] = {k: str(v) for k, v in _FLAGS.items()}
    try:
        from moderation.channels.models import Platform
        from moderation.platforms.models import PlatformActionKind
        from records.diarium.models.documents import RegistrationReason
        from records.gdpr.models import SubjectRequestKind
        from records.secrecy.models import SecrecyPart

        parts = {p.value: str(p.label) for p in SecrecyPart}
        maps["part"] = maps["parts"] = maps["secret_parts"] = parts
        maps["reason"] = {r.value: str(r.label) for r in RegistrationReason}
        maps["kind"] = {k.value: str(k.label) for k in SubjectRequestKind}
        maps["platform"] = {p.value: str(p.label) for p in Platform}
        maps["platform_action"] = {p.value: str(p.label) for p in PlatformActionKind}
    except ImportError:  # pragma: no cover - the apps are always installed together
        pass
    try:
        from records.disclosure.models import AnswerMeans, AppealStatus, CloseReason, DisclosureOutcome

        maps["outcome"] = maps["outcomes"] = {o.value: str(o.label) for o in DisclosureOutcome}
        maps["masked_parts"] = maps["released_secret_parts"] = maps.get("part", {})
        maps["means"] = {m.value: str(m.label) for m in AnswerMeans}
        maps["appeal_status"] = {a.value: str(a.label) for a in AppealStatus}
        maps.setdefault("reason", {}).update({r.value: str(r.label) for r in CloseReason
                                              if r.value not in maps.get("reason", {})})
    except ImportError:  # pragma: no cover
        pass
    maps["target_type"] = {k: str(v) for k, v in TYPE_LABELS.items()}
    maps["status"] = {}
    try:
        from moderation.queue.models.decisions import PoliceReportStatus
        from moderation.reports.models import ReportStatus

        maps["status"].update({s.value: str(s.label) for s in ReportStatus})
        maps["status"].update({s.value: str(s.label) for s in PoliceReportStatus})
    except ImportError:  # pragma: no cover
        pass
    return maps


_PERM_ACTIONS = {"view": gettext_lazy("se"), "add": gettext_lazy("lägga till"), "change": gettext_lazy("ändra"),
                 "delete": gettext_lazy("ta bort")}


def _permission_labels() -> dict[str, str]:
    """"app.codename" → a Swedish description (Django's own permission names are English)."""
    from django.contrib.auth.models import Permission

    labels: dict[str, str] = {}
    for p in Permission.objects.select_related("content_type"):
        code = f"{p.content_type.app_label}.{p.codename}"
        action, _sep, _rest = p.codename.partition("_")
        model = p.content_type.model_class()
        if action in _PERM_ACTIONS and model is not None and p.codename == f"{action}_{model._meta.model_name}":
            labels[code] = _("får %(action)s %(what)s") % {"action": _PERM_ACTIONS[action],
                                                           "what": model._meta.verbose_name_plural}
        else:
            labels[code] = p.name
    return labels


def local_time(value) -> str:
    """A stored time as the people of the municipality read it (Europe/Stockholm)."""
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value, dt.UTC)
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _scalar(value, mapping: dict[str, str] | None) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("ja") if value else _("nej")
    text = str(value)
    if mapping and text in mapping:
        return mapping[text]
    if isinstance(value, str) and len(text) >= 16 and text[4:5] == "-" and "T" in text:
        parsed = parse_datetime(text)
        if parsed is not None:
            return local_time(parsed)
    if isinstance(value, str) and len(text) == 10 and text[4:5] == "-":
        parsed_date = parse_date(text)
        if parsed_date is not None:
            return parsed_date.isoformat()
    text = humanize_label(text)
    return text if len(text) <= 300 else text[:300] + "…"


def _value(value, mapping) -> str:
    if isinstance(value, list | tuple | set):
        return ", ".join(_scalar(v, mapping) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{_scalar(k, mapping)}: {_value(v, mapping)}" for k, v in value.items()) or "—"
    return _scalar(value, mapping)


@dataclass
class DetailLine:
    label: str
    value: str


def detail_lines(detail, *, maps: dict | None = None) -> list[DetailLine]:
    """The detail as labelled Swedish lines: what happened (the event), then each recorded value."""
    if not isinstance(detail, dict) or not detail:
        return []
    maps = maps if maps is not None else choice_maps()
    lines: list[DetailLine] = []
    name = detail.get("operation") or detail.get("event")
    if name:
        lines.append(DetailLine(_("Händelse"), str(EVENT_LABELS.get(str(name), _("annan händelse")))))
    for key, value in detail.items():
        if key in ("operation", "event"):
            continue
        label = KEY_LABELS.get(key)
        lines.append(DetailLine(str(label) if label else _("Uppgift"), _value(value, maps.get(key))))
    return lines


# --- links -------------------------------------------------------------------------------------

_URLS: dict[str, str] = {
    "records.case": "records_case_detail",
    "records.document": "records_document_detail",
    "records.registrationproposal": "records_proposal_detail",
    "records.purgelist": "purge_list_detail",
    "records.subjectrequest": "subject_request_detail",
    "records.disclosurerequest": "disclosure_detail",
    "moderation.item": "item_detail",
    "moderation.author": "author_detail",
    "moderation.policereport": "police_detail",
    "moderation.consent": "consent_detail",
    "accounts.unit": "unit_detail",
}

TYPE_LABELS: dict[str, object] = {
    "records.case": gettext_lazy("Ärende"),
    "records.document": gettext_lazy("Handling"),
    "records.registrationproposal": gettext_lazy("Förslag till diarieföring"),
    "records.purgelist": gettext_lazy("Gallringslista"),
    "records.legalhold": gettext_lazy("Gallringsspärr"),
    "records.subjectrequest": gettext_lazy("Begäran enligt dataskyddsförordningen"),
    "records.disclosurerequest": gettext_lazy("Begäran om allmän handling"),
    "records.disclosuredecisionsetting": gettext_lazy("Beslutsinstans"),
    "moderation.item": gettext_lazy("Inlägg"),
    "moderation.author": gettext_lazy("Konto"),
    "moderation.channel": gettext_lazy("Kanal"),
    "moderation.sanction": gettext_lazy("Sanktion"),
    "moderation.policereport": gettext_lazy("Polisanmälan"),
    "moderation.publicreport": gettext_lazy("Anmälan från allmänheten"),
    "moderation.consent": gettext_lazy("Samtycke"),
    "moderation.webhookdelivery": gettext_lazy("Leverans från plattform"),
    "accounts.user": gettext_lazy("Användare"),
    "accounts.unit": gettext_lazy("Enhet"),
    "accounts.emaildelivery": gettext_lazy("E-postutskick"),
    "auth.group": gettext_lazy("Roll"),
    "page": gettext_lazy("Sida"),
}


def type_label(target_type: str) -> str:
    if not target_type:
        return ""
    label = TYPE_LABELS.get(target_type)
    if label:
        return str(label)
    from django.apps import apps

    try:
        app_label, model_name = target_type.split(".", 1)
        return str(apps.get_model(app_label, model_name)._meta.verbose_name).capitalize()
    except (ValueError, LookupError):
        return _("Objekt")


def object_url(target_type: str, target_id: str, user=None) -> str:
    """A link to the object's page, or to its change history; "" when there is none or when `user`
    may not view that kind of object (no links that answer 403)."""
    if not target_type or not target_id:
        return ""
    if user is not None:
        app_label, _sep, model_name = target_type.partition(".")
        if not model_name or not user.has_perm(f"{app_label}.view_{model_name}"):
            return ""
    name = _URLS.get(target_type)
    try:
        if name:
            return reverse(name, args=[int(target_id)])
        app_label, _sep, model_name = target_type.partition(".")
        if app_label and model_name:
            from django.apps import apps

            model = apps.get_model(app_label, model_name)
            if hasattr(model, "history"):
                return reverse("history", args=[app_label, model_name, target_id])
    except (NoReverseMatch, ValueError, LookupError):
        return ""
    return ""


_TYPE_REF = re.compile(r"\b([a-z_]+\.[a-z_]+):(\w*)")


def humanize_label(text: str) -> str:
    """Older labels name objects by internal type ("Spärr 6 (moderation.item:280)"): shown with the
    type's Swedish name ("Spärr 6 (Inlägg 280)")."""
    if not text or ":" not in text:
        return text

    def swap(m: re.Match) -> str:
        label = type_label(m.group(1))
        return f"{label} {m.group(2)}".strip() if label and label != _("Objekt") else m.group(0)

    return _TYPE_REF.sub(swap, text)


@dataclass
class AuditRow:
    """One event as the log page and the CSV export show it."""

    event: object
    at_local: str
    who: str
    kind: str
    kind_label: str
    object_type: str
    object_label: str
    object_url: str
    lines: list[DetailLine]

    @property
    def detail_text(self) -> str:
        return "; ".join(f"{line.label}: {line.value}" for line in self.lines)


def audit_rows(events, user=None, *, maps: dict[str, dict[str, str]] | None = None) -> list[AuditRow]:
    """Rows for the page/export; pass a queryset with `select_related("actor")` (no query per row).
    With `user`, objects are linked only where that user may view them. An export in chunks passes the
    choice labels (`choice_maps()`) once instead of reading them for every chunk."""
    maps = maps if maps is not None else choice_maps()
    rows = []
    for e in events:
        actor = e.actor if e.actor_id else None
        who = e.actor_label or (_("systemet") if not e.actor_id else "")
        if actor is not None and actor.get_full_name():
            who = f"{actor.get_full_name()} ({e.actor_label})"
        elif not who:
            who = _("systemet")
        kind = event_kind(e.action, e.detail)
        rows.append(AuditRow(
            event=e, at_local=local_time(e.at), who=who, kind=kind, kind_label=kind_label(kind),
            object_type=type_label(e.target_type), object_label=humanize_label(e.target_label or e.target_id),
            object_url=object_url(e.target_type, e.target_id, user), lines=detail_lines(e.detail, maps=maps),
        ))
    return rows

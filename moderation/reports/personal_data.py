"""The reporter's personal data (address, name, the e-mail itself): who may see it, how it is masked for
everyone else, the data-subject search over it (registered in moderation/retention_hooks.py) and its
removal when the report is purged or erased."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from moderation.models import ReportEmail
from records import registry
from records.gdpr.services import candidate_q, identifier_matches

REPORT = "moderation.publicreport"


def can_see_contact(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm("moderation.view_reporter_contact"))


def _mask_word(word: str) -> str:
    return word[:1] + "…" if word else ""


def mask_contact(value: str) -> str:
    """"Anna Andersson <anna.andersson@example.se>" → "A… A… <a…@e….se>": enough to tell reports apart,
    not enough to find the person."""
    value = (value or "").strip()
    if not value:
        return ""
    out = []
    for token in value.replace("<", " <").split():
        core = token.strip("<>()\"',")
        if "@" in core:
            local, _at, domain = core.partition("@")
            name, _dot, tld = domain.rpartition(".")
            masked = f"{_mask_word(local)}@{_mask_word(name or tld)}" + (f".{tld}" if name else "")
            out.append(f"<{masked}>" if token.startswith("<") else masked)
        elif core:
            out.append(_mask_word(core))
    return " ".join(out)


def contact_for(user, value: str) -> str:
    return value if can_see_contact(user) else mask_contact(value)


def search_report_emails(query: registry.SubjectQuery) -> list[registry.SubjectHit]:
    """Reports whose e-mail came from the data subject (address or name in the From header, or the
    subject line): hits on the report, so an erasure scrubs the report and its e-mail together."""
    hits = {}
    fields = ["sender_address", "sender_name", "subject"]
    rows = ReportEmail.objects.filter(candidate_q(fields, query), scrubbed_at__isnull=True).select_related("report")
    for row in rows:
        why = identifier_matches(f"{row.sender_name}\n{row.sender_address}\n{row.subject}", query)
        if why:
            report = row.report
            hits[str(report.pk)] = registry.SubjectHit(
                type=REPORT, id=str(report.pk), label=f"Anmälan {report.pk}",
                why="avsändare av e-post: " + ", ".join(why),
                extra={"text": f"E-post från {row.sender_name} <{row.sender_address}>: {row.subject}".strip(),
                       "date": row.received_at, "class": report.retention_class_code, "due": report.retention_due},
            )
    return list(hits.values())


def report_emails_scrub(report_ids: list[int]) -> int:
    """Remove the e-mails of these reports: the stored .eml files (after the commit) and the sender,
    subject and Message-ID; the row stays (its key keeps the intake from taking the message again)."""
    rows = list(ReportEmail.objects.filter(report_id__in=report_ids, scrubbed_at__isnull=True))
    names = [row.eml.name for row in rows if row.eml]
    n = ReportEmail.objects.filter(pk__in=[row.pk for row in rows]).update(
        eml="", sender_address="", sender_name="", subject="", message_id="", mailbox="", uid="",
        scrubbed_at=timezone.now())
    if names:
        storage = ReportEmail._meta.get_field("eml").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in names])
    return n

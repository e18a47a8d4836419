"""Registrations exported for the municipality's main diarium (Public 360°, W3D3, Ciceron, Evolution …).

One document per registration: for each registration in the date range (by the day it was
registered), `handlingar/<number>.json` with the register entry and `handlingar/<number>.pdf` with
the entry and the document's content (PDF/A-2b); and for the whole export `registreringar.csv`
(one row per registration, semicolon-separated UTF-8 with BOM, which Swedish Excel and the main
diarium systems' import tools read) and `registreringar.json` (the same entries, plus what the export
covers). Voided and purged registrations are included with their status, so the main diarium sees
every number.

The entry holds what OSL 5 kap. 2 § asks of a registration: the date the document came in or was
drawn up, its diarienummer, the sender or recipient, and a short description — with what is secret
left out (a secret sender is null, a secret description is replaced by the public one) and the
secrecy markings listed with their legal ground, so the main diarium marks them the same way. The
PDF carries the document's content whole (it is the document; secrecy travels with it as in an
archive delivery, OSL 11 kap. 4 §), so only someone allowed to see secret content may export it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import unicodedata
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from accounts.errors import DomainError, NotPermitted
from accounts.models import AuditAction
from accounts.services import audit_record
from records.models import Document, SecrecyPart
from records.pdf import MASK_MARKER, PdfaUnavailable, render_text_pdf

__all__ = ["ExportResult", "registration_entry", "registrations_export", "registrations_for_export"]

BATCH = 200
CSV_COLUMNS = [
    ("diarienummer", "Diarienummer"),
    ("datum", "Datum (inkom/upprättad)"),
    ("riktning", "Inkommen/upprättad"),
    ("avsandare_mottagare", "Avsändare/mottagare"),
    ("avsandare_mottagare_art", "Avsändarens/mottagarens art"),
    ("beskrivning", "Beskrivning"),
    ("arende", "Ärende"),
    ("arendemening", "Ärendemening"),
    ("skal", "Skäl för diarieföring"),
    ("sekretess", "Sekretess"),
    ("status", "Status"),
    ("registrerad", "Registrerad"),
    ("registrerad_av", "Registrerad av"),
    ("fil", "Fil"),
]
PART_LABELS = {SecrecyPart.SENDER: "avsändare/mottagare", SecrecyPart.DESCRIPTION: "beskrivning",
               SecrecyPart.CONTENT: "innehåll"}


@dataclass(frozen=True)
class ExportResult:
    folder: Path
    count: int
    date_from: date
    date_to: date


def _file_stem(number: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", number).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9.-]+", "_", ascii_text.replace("/", "-")).strip("._-") or "handling"


def _day_bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(date_from, time.min), tz)
    end = timezone.make_aware(datetime.combine(date_to, time.max), tz)
    return start, end


def registrations_for_export(*, date_from: date, date_to: date):
    """The registrations made in the range (local days, both included), oldest first, markings prefetched."""
    if date_from is None or date_to is None:
        raise DomainError("Ange både från- och till-datum.")
    if date_from > date_to:
        raise DomainError("Från-datumet ligger efter till-datumet.")
    start, end = _day_bounds(date_from, date_to)
    return (Document.objects.filter(registered_at__range=(start, end)).select_related(
        "case", "case__series", "registered_by").with_secrecy().order_by("registered_at", "id"))


def _status(document: Document) -> str:
    if document.voided:
        return "makulerad"
    if document.purged_at:
        return "gallrad"
    return "registrerad"


def registration_entry(document: Document) -> dict:
    """The register entry of one registration for the main diarium (secret parts left out)."""
    markings = document.active_markings()
    secret = {m.part for m in markings}
    if "description" in secret:
        description = document.public_description or MASK_MARKER
    else:
        description = document.description
    stem = _file_stem(document.number)
    return {
        "diarienummer": document.number,
        "datum": document.date.isoformat(),
        "riktning": "inkommen" if document.direction == "incoming" else "upprättad",
        "avsandare_mottagare": None if "sender" in secret else (document.sender or None),
        "avsandare_mottagare_art": document.get_sender_kind_display(),
        "beskrivning": description,
        "arende": document.case.number,
        "arendemening": document.case.display_title,
        "skal": document.get_reason_display(),
        "sekretess": [{"del": PART_LABELS.get(m.part, m.part), "lagrum": m.legal_ground.code,
                       "upphor": m.expires_on.isoformat() if m.expires_on else None} for m in markings],
        "maskerat": sorted(PART_LABELS.get(p, p) for p in secret if p != SecrecyPart.CONTENT),
        "status": _status(document),
        "makulerad_skal": document.void_reason if document.voided else "",
        "registrerad": timezone.localtime(document.registered_at).isoformat(timespec="seconds"),
        "registrerad_av": document.registered_by.get_username() if document.registered_by_id else "",
        "innehall_sha256": document.content_sha256,
        "fil": f"handlingar/{stem}.pdf",
    }


def _pdf(document: Document, entry: dict, organisation: str) -> bytes:
    meta = [("Diarienummer", entry["diarienummer"]), ("Inkom/upprättad", entry["datum"]),
            ("Riktning", entry["riktning"]),
            ("Avsändare/mottagare", entry["avsandare_mottagare"] or (MASK_MARKER if entry["maskerat"] else "—")),
            ("Ärende", f"{entry['arende']} {entry['arendemening']}"), ("Skäl", entry["skal"]),
            ("Status", entry["status"]), ("Registrerad", f"{entry['registrerad']} {entry['registrerad_av']}")]
    meta += [("Sekretess", f"{s['del']}: {s['lagrum']}") for s in entry["sekretess"]]
    if document.purged_at:
        body = "Handlingens innehåll är gallrat enligt informationshanteringsplanen; registreringen finns kvar."
    else:
        body = document.content or "—"
    return render_text_pdf(title=f"{entry['diarienummer']} {entry['beskrivning']}"[:300], meta=meta, body=body,
                           footer=f"{organisation} · {entry['diarienummer']}", created=document.registered_at,
                           pdfa=True)


def _batches(queryset) -> Iterator[list[Document]]:
    """Keyset batches (no OFFSET, no query per row)."""
    last = None
    while True:
        qs = queryset if last is None else queryset.filter(
            registered_at__gte=last.registered_at).exclude(registered_at=last.registered_at, id__lte=last.id)
        batch = list(qs[:BATCH])
        if not batch:
            return
        yield batch
        last = batch[-1]


def registrations_export(
    *, date_from: date, date_to: date, out_dir, actor, progress: Callable[[int, int], None] | None = None,
) -> ExportResult:
    """Write the registrations of the range for the main diarium into a new folder under `out_dir`.

    Guarantees: refused (NotPermitted) for an actor who may not see secret content when the range holds
    any (the PDFs carry the content whole; `actor=None` is the operator at the command line); the folder
    appears under its final name only when complete (written beside it, then renamed); `progress(done,
    total)` is called after each batch; one audit event with the range and the count.
    """
    documents = registrations_for_export(date_from=date_from, date_to=date_to)
    if actor is not None and not actor.has_perm("records.view_secret") and documents.filter(
            secrecy_markings__lifted_at__isnull=True).exists():
        raise NotPermitted("Perioden har sekretessmarkerade handlingar. Exporten innehåller dem och kan bara "
                           "göras av någon med behörighet att se sekretess (registrator).")
    total = documents.count()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    name = f"registreringar-{date_from:%Y%m%d}-{date_to:%Y%m%d}"
    final = out_dir / name
    if final.exists():
        raise DomainError(f"Mappen {final} finns redan.")
    work = out_dir / f".{name}.partial-{uuid.uuid4().hex[:8]}"
    (work / "handlingar").mkdir(parents=True)
    organisation = settings.UPPSIKT_ORGANISATION_NAME
    entries: list[dict] = []
    try:
        for batch in _batches(documents):
            for document in batch:
                entry = registration_entry(document)
                stem = Path(entry["fil"]).stem
                (work / "handlingar" / f"{stem}.json").write_text(
                    json.dumps(entry, ensure_ascii=False, indent=2), encoding="utf-8")
                (work / "handlingar" / f"{stem}.pdf").write_bytes(_pdf(document, entry, organisation))
                entries.append(entry)
            if progress is not None:
                progress(len(entries), total)
        _write_index(work, entries, date_from, date_to, organisation)
        work.rename(final)
    except PdfaUnavailable as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise DomainError(str(exc)) from exc
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    audit_record(actor=actor, action=AuditAction.EXPORT, target=None, detail={
        "event": "registrations_export", "from": date_from.isoformat(), "to": date_to.isoformat(),
        "count": len(entries)})
    return ExportResult(folder=final, count=len(entries), date_from=date_from, date_to=date_to)


def _csv_value(entry: dict, key: str) -> str:
    value = entry.get(key)
    if key == "sekretess":
        return "; ".join(f"{s['del']}: {s['lagrum']}" for s in value)
    if value is None:
        return MASK_MARKER if key == "avsandare_mottagare" and "avsändare/mottagare" in entry["maskerat"] else ""
    return str(value)


def _write_index(folder: Path, entries: list[dict], date_from: date, date_to: date, organisation: str) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([label for _key, label in CSV_COLUMNS])
    for entry in entries:
        writer.writerow([_csv_value(entry, key) for key, _label in CSV_COLUMNS])
    (folder / "registreringar.csv").write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")
    index = {
        "arkivbildare": organisation,
        "diarium": settings.UPPSIKT_DIARIUM_NAME,
        "huvuddiarium": getattr(settings, "UPPSIKT_MAIN_DIARIUM_SYSTEM", "") or None,
        "fran": date_from.isoformat(),
        "till": date_to.isoformat(),
        "antal": len(entries),
        "skapad": timezone.localtime().isoformat(timespec="seconds"),
        "registreringar": entries,
    }
    (folder / "registreringar.json").write_text(json.dumps(index, ensure_ascii=False, indent=2), encoding="utf-8")

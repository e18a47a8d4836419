"""Evidence sheets: what the public saw, rendered from the stored data to PDF/A-2b and PNG.

A sheet shows the item with the thread around it (root post, parent, siblings), author, times, text, the
stored pictures embedded, the other attachments listed with their SHA-256, and the platform address. It is
rendered from the database and the storage only: no network access (the tests block sockets while it
renders). Both files are hashed (SHA-256) and belong to the item version shown; the sheet is attached to the
document registered from the item (``records.diarium.services.files``).

Guarantees:
- a sheet requested at removal is a pending row written in the decision's transaction (the outbox row); the
  worker renders it after commit and retries with back-off; the platform delete waits for it
  (moderation/platforms/outbox.py) and is woken when it is rendered;
- the content of other secret items in the thread is never put on a sheet (shown as masked);
- rendering is repeatable from stored data; the PNG is the PDF's pages rendered by poppler's ``pdftoppm``.
"""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from accounts.errors import DomainError
from moderation.media import workflow
from moderation.media.models import Attachment, EvidenceReason, EvidenceSheet, EvidenceStatus, FetchStatus
from moderation.media.services import current_attachments, problem_text
from moderation.media.sniff import describe
from moderation.media.storage import file_store

logger = logging.getLogger("uppsikt.media")

MAX_ATTEMPTS = 5
PNG_DPI = 100
SIBLINGS = 10
MASKED = "[Sekretessmarkerat innehåll visas inte på bevisbladet.]"


# --- the data ---------------------------------------------------------------------------------------------


@dataclass
class Picture:
    jpeg: bytes
    width: int
    height: int


@dataclass
class Entry:
    """One item of the thread as the sheet shows it."""

    role: str
    label: str
    author: str
    when: str
    text: str
    url: str = ""
    pictures: list[Picture] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # one line per attachment (kind, type, size, SHA-256)


@dataclass
class SheetData:
    title: str
    organisation: str
    created: datetime
    meta: list[tuple[str, str]]
    subject: Entry
    thread: list[Entry]
    versions: list[tuple[str, str]]


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else "—"


def _author(item) -> str:
    if item.author_id is None:
        return f"{item.channel.name} (kommunen)"
    author = item.author
    name = author.display_name or author.username or "—"
    return f"{name} (id {author.external_id})"


def _picture(row: Attachment, max_side: int) -> Picture | None:
    """The stored picture as an RGB JPEG at most ``max_side`` pixels (no alpha: PDF/A-friendly)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with default_storage.open(row.file.name, "rb") as handle, Image.open(handle) as image:
            image.seek(0)
            frame = image.convert("RGBA")
            flat = Image.new("RGB", frame.size, (255, 255, 255))
            flat.paste(frame, mask=frame.getchannel("A"))
            flat.thumbnail((max_side, max_side))
            out = io.BytesIO()
            flat.save(out, "JPEG", quality=85)
            return Picture(out.getvalue(), flat.width, flat.height)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        logger.warning("attachment %s could not be drawn on an evidence sheet", row.pk, exc_info=True)
        return None


def _file_line(n: int, row: Attachment) -> str:
    kind = row.get_kind_display()
    if row.status == FetchStatus.STORED:
        return f"{n}. {kind}, {describe(row.content_type, row.size)}, SHA-256 {row.sha256}"
    return f"{n}. {kind}: {problem_text(row)} Adress på plattformen: {row.platform_url}"


def _entry(item, role: str, *, visible: bool, max_side: int) -> Entry:
    rows = current_attachments(item) if visible else []
    pictures = []
    for row in rows:
        if row.is_image:
            picture = _picture(row, max_side)
            if picture is not None:
                pictures.append(picture)
    return Entry(
        role=role, label=f"{item.get_kind_display()} {item.pk}", author=_author(item),
        when=_when(item.platform_created_at or item.received_at),
        text=(item.text or "—") if visible else MASKED, url=item.url if visible else "",
        pictures=pictures, files=[_file_line(n, r) for n, r in enumerate(rows, start=1)],
    )


def sheet_data(sheet: EvidenceSheet) -> SheetData:
    """Everything the sheet shows, from the database and the storage."""
    from moderation.models import Item

    item = Item.objects.select_related("channel", "channel__unit", "author", "parent", "root_post").get(
        pk=sheet.item_id)
    related = Item.objects.select_related("author", "channel")
    thread: list[Entry] = []
    if item.root_post_id and item.root_post_id != item.parent_id:
        thread.append(_entry(related.get(pk=item.root_post_id), "Ursprungsinlägg",
                             visible=not item.root_post.secret, max_side=600))
    if item.parent_id:
        thread.append(_entry(related.get(pk=item.parent_id),
                             "Ursprungsinlägg" if item.parent_id == item.root_post_id else "Svar på",
                             visible=not item.parent.secret, max_side=600))
    if item.parent_id:
        siblings = list(related.filter(parent_id=item.parent_id, purged_at__isnull=True).exclude(pk=item.pk)
                        .order_by("received_at", "id")[:SIBLINGS])
        thread += [_entry(s, "Annat svar i tråden", visible=not s.secret, max_side=300) for s in siblings]
    subject = _entry(item, "Det här inlägget", visible=True, max_side=1400)
    version = sheet.version
    decision = sheet.decision
    meta = [
        ("Inlägg", f"{item.get_kind_display()} {item.pk} ({item.get_direction_display().lower()})"),
        ("Kanal", f"{item.channel.name} ({item.channel.get_platform_display()}, {item.channel.unit.name})"),
        ("Plattformens id", item.external_id),
        ("Adress på plattformen", item.url or "—"),
        ("Avsändare", _author(item)),
        ("Skapad på plattformen", _when(item.platform_created_at)),
        ("Mottagen i Uppsikt", _when(item.received_at)),
        ("Version", f"{version.number} (mottagen {_when(version.received_at)})"),
    ]
    if item.removed_by_author_at:
        meta.append(("Borttagen av avsändaren", _when(item.removed_by_author_at)))
    if decision is not None:
        rules = ", ".join(r.rule_title_sv for r in decision.decision_rules.all()) or "—"
        meta.append(("Beslut", f"{decision.get_action_display()} {_when(decision.created_at)} (regler: {rules})"))
    meta.append(("Skäl för bevisbladet", sheet.get_reason_display()))
    versions = [(f"Version {v.number}, {_when(v.received_at)}", v.text or "—")
                for v in item.versions.order_by("number") if v.pk != version.pk]
    return SheetData(
        title=f"Bevisblad: {item.get_kind_display().lower()} {item.pk} på {item.channel.name}",
        organisation=settings.UPPSIKT_ORGANISATION_NAME, created=timezone.localtime(), meta=meta,
        subject=subject, thread=thread, versions=versions)


# --- rendering --------------------------------------------------------------------------------------------


def _markup(text: str) -> str:
    return escape(text).replace("\r\n", "\n").replace("\n", "<br/>")


def _image_flowable(picture: Picture, max_width: float, max_height: float):
    from reportlab.platypus import Image

    scale = min(max_width / picture.width, max_height / picture.height, 1.0 * 72 / 96 * 3)
    return Image(io.BytesIO(picture.jpeg), width=picture.width * scale, height=picture.height * scale,
                 hAlign="LEFT")


def _entry_story(entry: Entry, styles, *, width: float, picture_height: float, heading: str) -> list:
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    story = [Paragraph(_markup(f"{entry.role}: {entry.label}"), styles[heading]),
             Paragraph(_markup(f"{entry.author} · {entry.when}"), styles["meta_value"]),
             Spacer(1, 2 * mm), Paragraph(_markup(entry.text), styles["body"])]
    for picture in entry.pictures:
        story += [_image_flowable(picture, width, picture_height), Spacer(1, 2 * mm)]
    if entry.files:
        story.append(Paragraph(_markup("Bilagor:\n" + "\n".join(entry.files)), styles["meta_value"]))
    if entry.url:
        story.append(Paragraph(_markup(f"Adress: {entry.url}"), styles["meta_value"]))
    return story


def render_pdf(data: SheetData) -> bytes:
    """The sheet as PDF/A-2b (A4, fonts embedded)."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

    from records.pdf import build_story_pdf, make_pdfa, story_styles

    styles = story_styles()
    width = 170 * mm
    story: list = [Paragraph(_markup(data.organisation), styles["org"]),
                   Paragraph(_markup(data.title), styles["title"]),
                   Paragraph(_markup(f"Skapat {_when(data.created)} ur de uppgifter Uppsikt har sparat (utan "
                                     "kontakt med plattformen)."), styles["meta_value"]),
                   Spacer(1, 4 * mm)]
    rows = [[Paragraph(_markup(k), styles["meta_key"]), Paragraph(_markup(v), styles["meta_value"])]
            for k, v in data.meta]
    table = Table(rows, colWidths=[45 * mm, None], hAlign="LEFT")
    # FONTNAME: a table selects its cell font even for paragraph cells (reportlab's default is Helvetica,
    # which is not embedded and would break PDF/A)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), styles["body"].fontName),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                               ("LINEBELOW", (0, -1), (-1, -1), 0.5, colors.HexColor("#999999"))]))
    story += [table, Spacer(1, 5 * mm)]
    story += _entry_story(data.subject, styles, width=width, picture_height=150 * mm, heading="heading")
    if data.thread:
        story += [Spacer(1, 6 * mm), Paragraph("Tråden", styles["heading"])]
        for entry in data.thread:
            story.append(KeepTogether(_entry_story(entry, styles, width=80 * mm, picture_height=50 * mm,
                                                   heading="meta_key") + [Spacer(1, 4 * mm)]))
    if data.versions:
        story += [Spacer(1, 4 * mm), Paragraph("Andra versioner av texten", styles["heading"])]
        for label, text in data.versions:
            story += [Paragraph(_markup(label), styles["meta_key"]), Paragraph(_markup(text), styles["body"])]
    raw = build_story_pdf(story, title=data.title, subject="Bevisblad", author=data.organisation,
                          footer=f"{data.organisation} · bevisblad", created=data.created)
    return make_pdfa(raw, title=data.title, author=data.organisation, subject="Bevisblad", created=data.created)


def render_png(pdf: bytes, dpi: int = PNG_DPI) -> bytes:
    """The PDF's pages drawn by poppler's pdftoppm and stacked into one PNG."""
    from PIL import Image

    tool = shutil.which("pdftoppm")
    if tool is None:
        raise RuntimeError("pdftoppm saknas (Debian-paketet poppler-utils)")
    with tempfile.TemporaryDirectory(prefix="uppsikt-evidence-") as folder:
        source = Path(folder) / "sheet.pdf"
        source.write_bytes(pdf)
        # raw PPM pages (pdftoppm's own PNG compression of photographs is slow), one PNG written below
        subprocess.run([tool, "-r", str(dpi), str(source), str(Path(folder) / "page")],
                       check=True, capture_output=True, timeout=120)
        pages = [Image.open(p).convert("RGB") for p in sorted(Path(folder).glob("page*.ppm"))]
        if not pages:
            raise RuntimeError("pdftoppm gav inga sidor")
        sheet = Image.new("RGB", (max(p.width for p in pages), sum(p.height for p in pages)), (255, 255, 255))
        top = 0
        for page in pages:
            sheet.paste(page, (0, top))
            top += page.height
        out = io.BytesIO()
        sheet.save(out, "PNG", compress_level=3)
        return out.getvalue()


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


# --- services ----------------------------------------------------------------------------------------------


def evidence_sheet_request(*, item, actor=None, reason: str = EvidenceReason.ON_DEMAND, decision=None,
                           wake: bool = True) -> EvidenceSheet:
    """A pending sheet of the item's latest version, written in the caller's transaction; the worker renders
    it after commit (``wake``). At removal the platform delete waits for it."""
    if reason not in EvidenceReason.values:
        raise DomainError(f"Okänd anledning till bevisblad: {reason}")
    version = item.versions.order_by("-number").first()
    if version is None:
        raise DomainError("Inlägget har ingen sparad version att visa på ett bevisblad.")
    sheet = EvidenceSheet.objects.create(item=item, version=version, decision=decision, reason=reason,
                                         requested_by=actor if getattr(actor, "is_authenticated", False) else None)
    sheet_id = sheet.pk
    if wake:
        transaction.on_commit(lambda: _wake(sheet_id))
    return sheet


def _wake(sheet_id: int) -> None:
    from moderation.media.tasks import evidence_sheet_run

    try:
        evidence_sheet_run.enqueue(sheet_id)
    except Exception:  # noqa: BLE001 - the row stays pending; the sweeper picks it up
        logger.warning("could not enqueue evidence sheet %s", sheet_id, exc_info=True)


def evidence_sheet_create(*, item, actor, request=None) -> EvidenceSheet:
    """On demand (the button on the item page): a sheet of the item as stored now, rendered at once.
    Audited. Raises DomainError (Swedish) when it cannot be rendered."""
    from accounts.services import audit_record

    with transaction.atomic():
        sheet = evidence_sheet_request(item=item, actor=actor, reason=EvidenceReason.ON_DEMAND, wake=False)
        audit_record(actor=actor, action="other", target=item, request=request,
                     detail={"event": "evidence_sheet", "sheet": sheet.pk})
    outcome = evidence_sheet_render(sheet_id=sheet.pk)
    sheet.refresh_from_db()
    if outcome != "rendered" and sheet.status != EvidenceStatus.RENDERED:
        raise DomainError(f"Bevisbladet kunde inte skapas: {sheet.last_error}")
    return sheet


def _claim(sheet_id: int, now: datetime) -> EvidenceSheet | None:
    sheet = EvidenceSheet.objects.select_related("version", "decision").filter(pk=sheet_id).first()
    if sheet is None or sheet.status not in (EvidenceStatus.PENDING, EvidenceStatus.RETRYING):
        return None
    if sheet.next_attempt_at is not None and sheet.next_attempt_at > now:
        return None
    claimed = EvidenceSheet.objects.filter(pk=sheet.pk, attempts=sheet.attempts, status=sheet.status).update(
        attempts=sheet.attempts + 1, next_attempt_at=now + timedelta(minutes=10))
    if not claimed:
        return None
    sheet.attempts += 1
    return sheet


def evidence_sheet_render(*, sheet_id: int) -> str:
    """Render one pending sheet; returns "rendered", "retry", "failed" or "skipped". On success the files
    are stored with their SHA-256, the sheet is attached to the live documents registered from the item, and
    the item's waiting platform delete is woken."""
    now = timezone.now()
    sheet = _claim(sheet_id, now)
    if sheet is None:
        return "skipped"
    try:
        started = time.perf_counter()
        pdf = render_pdf(sheet_data(sheet))
        png = render_png(pdf)
        elapsed = int((time.perf_counter() - started) * 1000)
    except Exception as exc:  # rendering is local: a failure is a bug or a broken file; retry, then give up
        logger.exception("evidence sheet %s could not be rendered", sheet.pk)
        failed = sheet.attempts >= MAX_ATTEMPTS
        workflow.transition(sheet, EvidenceStatus.FAILED if failed else EvidenceStatus.RETRYING)
        sheet.last_error = f"{type(exc).__name__}: {exc}"[:500]
        sheet.next_attempt_at = None if failed else now + timedelta(minutes=2 ** sheet.attempts)
        sheet.save(update_fields=["status", "last_error", "next_attempt_at"])
        if failed:
            _refuse_waiting_deletes(sheet)
        return "failed" if failed else "retry"
    _store(sheet, pdf, png, elapsed)
    return "rendered"


def _store(sheet: EvidenceSheet, pdf: bytes, png: bytes, elapsed_ms: int) -> None:
    import hashlib

    pdf_sha, png_sha = hashlib.sha256(pdf).hexdigest(), hashlib.sha256(png).hexdigest()
    base = f"evidence/{sheet.item_id}/{sheet.pk}"
    pdf_name = file_store(f"{base}-{pdf_sha[:12]}.pdf", pdf)
    png_name = file_store(f"{base}-{png_sha[:12]}.png", png)
    with transaction.atomic():
        workflow.transition(sheet, EvidenceStatus.RENDERED)
        sheet.pdf.name, sheet.pdf_sha256, sheet.pdf_size = pdf_name, pdf_sha, len(pdf)
        sheet.png.name, sheet.png_sha256, sheet.png_size = png_name, png_sha, len(png)
        sheet.pages = page_count(pdf)
        sheet.rendered_at = timezone.now()
        sheet.render_ms = elapsed_ms
        sheet.last_error = ""
        sheet.next_attempt_at = None
        sheet.save()
        _attach_to_documents(sheet)
        _wake_waiting_deletes(sheet.item_id)


def sheet_files(sheet: EvidenceSheet) -> list:
    """The sheet's two files as records.registry.SourceFile (for registration and document annexes)."""
    from records import registry

    def opener(name: str):
        return lambda: default_storage.open(name, "rb")

    label = f"Bevisblad {sheet.pk} ({sheet.rendered_at:%Y-%m-%d %H:%M})" if sheet.rendered_at else "Bevisblad"
    return [
        registry.SourceFile(key=f"evidence-{sheet.pk}-pdf", kind="evidence_pdf", label=f"{label}, PDF/A",
                            content_type="application/pdf", size=sheet.pdf_size or 0, sha256=sheet.pdf_sha256,
                            open=opener(sheet.pdf.name), version=sheet.version.number),
        registry.SourceFile(key=f"evidence-{sheet.pk}-png", kind="evidence_png", label=f"{label}, PNG",
                            content_type="image/png", size=sheet.png_size or 0, sha256=sheet.png_sha256,
                            open=opener(sheet.png.name), version=sheet.version.number),
    ]


def _attach_to_documents(sheet: EvidenceSheet) -> None:
    from moderation.registry_hooks import SOURCE_TYPE
    from records.diarium.services.files import document_files_add_from_source

    document_files_add_from_source(source_type=SOURCE_TYPE, source_id=str(sheet.item_id), files=sheet_files(sheet))


def _waiting_deletes(item_id: int):
    from moderation.models import PlatformAction, PlatformActionKind, PlatformActionStatus

    return PlatformAction.objects.filter(item_id=item_id, kind=PlatformActionKind.DELETE,
                                         status__in=[PlatformActionStatus.PENDING, PlatformActionStatus.FAILED],
                                         last_error_code=WAITING_CODE)


WAITING_CODE = "waiting_for_evidence"


def _wake_waiting_deletes(item_id: int) -> None:
    ids = list(_waiting_deletes(item_id).values_list("pk", flat=True))
    if not ids:
        return
    from moderation.models import PlatformAction

    PlatformAction.objects.filter(pk__in=ids).update(next_attempt_at=timezone.now())

    def wake():
        from moderation.platforms.tasks import platform_action_run

        for pk in ids:
            try:
                platform_action_run.enqueue(pk)
            except Exception:  # noqa: BLE001 - the outbox sweeper runs them
                logger.warning("could not enqueue platform action %s", pk, exc_info=True)

    transaction.on_commit(wake)


def _refuse_waiting_deletes(sheet: EvidenceSheet) -> None:
    """The sheet cannot be made: the deletes waiting for it give up with the reason (nothing is deleted)."""
    from moderation.models import PlatformAction, PlatformActionStatus

    for action in _waiting_deletes(sheet.item_id):
        PlatformAction.objects.filter(pk=action.pk).update(
            status=PlatformActionStatus.DEAD, finished_at=timezone.now(), last_error_code="evidence_failed",
            last_error=f"Bevisbladet kunde inte skapas ({sheet.last_error[:200]}): tas inte bort på plattformen.")


def evidence_sheets_render_due(*, limit: int = 50) -> dict[str, int]:
    """The sweeper: render pending sheets whose task was lost and retry the ones that failed."""
    now = timezone.now()
    ids = list(EvidenceSheet.objects.filter(status__in=[EvidenceStatus.PENDING, EvidenceStatus.RETRYING])
               .filter(next_attempt_at__lte=now).order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])
    counts: dict[str, int] = {}
    for pk in ids:
        outcome = evidence_sheet_render(sheet_id=pk)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def removal_evidence_missing(action) -> str | None:
    """For the outbox: why a delete must wait for its evidence sheet ("" when it may go ahead, None when no
    sheet was asked for, e.g. a delete from before sheets existed)."""
    sheets = EvidenceSheet.objects.filter(item_id=action.item_id, reason=EvidenceReason.REMOVAL)
    if action.decision_id:
        sheets = sheets.filter(decision_id=action.decision_id)
    states = set(sheets.values_list("status", flat=True))
    if not states:
        return None
    if EvidenceStatus.RENDERED in states:
        return ""
    if states == {EvidenceStatus.FAILED}:
        return "failed"
    return "waiting"

"""Writes on attachments: recording them when an item (version) arrives, the worker's download, retries,
staff's "fetch again", and the reads other parts use (what blocks a removal, storage per channel).

Guarantees:
- an attachment row is written in the ingest transaction (it is the outbox row of its download); the
  worker is woken only after commit, and a lost wake-up is picked up by the sweeper (``run_scheduled``);
- a download runs at most once at a time (claimed with a conditional UPDATE);
- only allowed hosts are fetched, every resolved address checked (moderation/media/guard.py); a refused
  address is recorded with its reason and never retried;
- the stored copy's content type is sniffed from its bytes; its SHA-256 and size are those of the bytes
  stored; files are content-addressed (the same bytes are stored once);
- over ``UPPSIKT_MEDIA_MAX_BYTES`` nothing is stored and the item says so (the platform URL is kept);
- transient failures are retried with exponential back-off until ``UPPSIKT_MEDIA_MAX_ATTEMPTS``.
"""

from __future__ import annotations

import logging
import tempfile
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.formats import date_format

from accounts.errors import DomainError
from moderation.media import workflow
from moderation.media.fetch import Gone, TooLarge, Transient, download
from moderation.media.guard import Refused, policy_from_settings
from moderation.media.models import (
    GIVEN_UP_STATUSES,
    Attachment,
    AttachmentKind,
    EvidenceSheet,
    EvidenceStatus,
    FetchStatus,
)
from moderation.media.sniff import image_size
from moderation.media.storage import blob_store

logger = logging.getLogger("uppsikt.media")

STALE_FETCHING = timedelta(minutes=15)
KIND_WORDS = {
    AttachmentKind.PHOTO: "Bilden", AttachmentKind.VIDEO: "Videon", AttachmentKind.STICKER: "Klistermärket",
    AttachmentKind.LINK_PREVIEW: "Länkbilden", AttachmentKind.ANIMATED_GIF: "Gif-bilden",
    AttachmentKind.FILE: "Filen",
}


# --- recording on arrival -----------------------------------------------------------------------------


def _row(item_id: int, version_id: int, position: int, ref: dict, policy) -> Attachment:
    kind = ref.get("kind") or ref.get("type") or AttachmentKind.FILE
    if kind not in AttachmentKind.values:
        kind = AttachmentKind.FILE
    row = Attachment(item_id=item_id, version_id=version_id, position=position, kind=kind,
                     platform_url=str(ref.get("url") or "")[:4000], platform_id=str(ref.get("platform_id") or "")[:200],
                     declared_content_type=str(ref.get("content_type") or "")[:100], status=FetchStatus.PENDING)
    try:
        policy.check_url(row.platform_url)
    except Refused as refused:
        workflow.transition(row, FetchStatus.REFUSED)
        row.last_error = refused.message[:500]
        row.next_attempt_at = None
    return row


def attachments_record(*, item, version, refs: list[dict]) -> list[Attachment]:
    """Write one pending download per reference for this item version, in the caller's transaction, and
    wake the worker after commit. A reference whose host is not allowed is stored as refused at once.
    Refs without a URL are ignored (nothing to fetch)."""
    return attachments_record_bulk(entries=[(item.pk, version.pk, refs)], wake_each=True)


def attachments_record_bulk(*, entries: list[tuple[int, int, list[dict]]], wake_each: bool = False
                            ) -> list[Attachment]:
    """``attachments_record`` for many versions at once ((item id, version id, refs) each): one INSERT, and
    one sweep task after commit (or a task per row with ``wake_each``)."""
    policy = policy_from_settings()
    rows = [_row(item_id, version_id, n, ref, policy)
            for item_id, version_id, refs in entries
            for n, ref in enumerate(r for r in refs if isinstance(r, dict) and r.get("url"))]
    if not rows:
        return []
    rows = Attachment.objects.bulk_create(rows)
    due = [r.pk for r in rows if r.status == FetchStatus.PENDING and r.pk]
    if due:
        if wake_each:
            transaction.on_commit(lambda: _wake(due))
        else:
            transaction.on_commit(_wake_sweep)
    return rows


def _wake(ids: list[int]) -> None:
    from moderation.media.tasks import attachment_fetch_run

    for pk in ids:
        try:
            attachment_fetch_run.enqueue(pk)
        except Exception:  # noqa: BLE001 - the row stays pending; the sweeper picks it up
            logger.warning("could not enqueue attachment %s", pk, exc_info=True)


def _wake_sweep() -> None:
    from moderation.media.tasks import attachments_fetch_sweep

    try:
        attachments_fetch_sweep.enqueue()
    except Exception:  # noqa: BLE001 - run_scheduled enqueues the sweeper every minute anyway
        logger.warning("could not enqueue the attachment sweeper", exc_info=True)


# --- the worker -----------------------------------------------------------------------------------------


def _claim(attachment_id: int, now: datetime) -> Attachment | None:
    row = Attachment.objects.filter(pk=attachment_id).first()
    if row is None or row.status not in (FetchStatus.PENDING, FetchStatus.RETRYING):
        return None
    if row.next_attempt_at is None or row.next_attempt_at > now:
        return None
    old = row.status
    workflow.transition(row, FetchStatus.FETCHING)
    claimed = Attachment.objects.filter(pk=row.pk, status=old, attempts=row.attempts).update(
        status=row.status, attempts=row.attempts + 1, started_at=now)
    if not claimed:
        return None
    row.attempts += 1
    row.started_at = now
    return row


def _finish(row: Attachment, status: str, *, error: str = "", next_attempt_at: datetime | None = None,
            **stored) -> None:
    workflow.transition(row, status)
    row.last_error = error[:500]
    row.next_attempt_at = next_attempt_at
    for name, value in stored.items():
        setattr(row, name, value)
    Attachment.objects.filter(pk=row.pk, status=FetchStatus.FETCHING).update(
        status=row.status, last_error=row.last_error, next_attempt_at=next_attempt_at, **stored)


def _backoff(attempt: int) -> float:
    from moderation.platforms.outbox import backoff_seconds

    return backoff_seconds(attempt, base=60.0, cap=6 * 3600.0)


def attachment_fetch(*, attachment_id: int) -> str:
    """Download one attachment if it is due; returns "stored", "retry", "failed", "refused", "too_large" or
    "skipped". The HTTP transfer runs outside any transaction; its outcome is one UPDATE afterwards."""
    now = timezone.now()
    row = _claim(attachment_id, now)
    if row is None:
        return "skipped"
    with tempfile.SpooledTemporaryFile(max_size=2 * 1024 * 1024) as sink:
        try:
            result = download(row.platform_url, sink=sink, policy=policy_from_settings(),
                              max_bytes=settings.UPPSIKT_MEDIA_MAX_BYTES, timeout=settings.UPPSIKT_MEDIA_TIMEOUT,
                              total_seconds=settings.UPPSIKT_MEDIA_TOTAL_SECONDS,
                              max_redirects=settings.UPPSIKT_MEDIA_MAX_REDIRECTS)
        except Refused as exc:
            _finish(row, FetchStatus.REFUSED, error=exc.message)
            logger.warning("attachment %s refused: %s", row.pk, exc.message)
            return "refused"
        except TooLarge as exc:
            _finish(row, FetchStatus.TOO_LARGE, error=(
                f"Filen är större än gränsen för lagring ({_mb(exc.limit)}); den sparas inte men adressen "
                "på plattformen finns kvar."))
            return "too_large"
        except Gone as exc:
            _finish(row, FetchStatus.FAILED, error=exc.message)
            return "failed"
        except Transient as exc:
            return _retry_or_fail(row, exc.message)
        except Exception as exc:  # a bug or an unexpected answer: retry, then give up
            logger.exception("attachment %s: unexpected error", row.pk)
            return _retry_or_fail(row, f"{type(exc).__name__}: {exc}")
        size = image_size(sink) if result.content_type.startswith("image/") else None
        name = blob_store(sink, sha256=result.sha256, content_type=result.content_type)
        _finish(row, FetchStatus.STORED, file=name, content_type=result.content_type, size=result.size,
                sha256=result.sha256, width=size[0] if size else None, height=size[1] if size else None,
                stored_at=timezone.now(), declared_content_type=result.declared_content_type
                or row.declared_content_type)
        from django.core.files.storage import default_storage

        if not default_storage.exists(name):  # a purge of another item removed the shared blob meanwhile
            blob_store(sink, sha256=result.sha256, content_type=result.content_type)
    return "stored"


def _mb(size: int) -> str:
    from moderation.media.sniff import human_size

    return human_size(size)


def _retry_or_fail(row: Attachment, message: str) -> str:
    if row.attempts >= settings.UPPSIKT_MEDIA_MAX_ATTEMPTS:
        _finish(row, FetchStatus.FAILED, error=f"Gav upp efter {row.attempts} försök: {message}")
        logger.warning("attachment %s failed after %s attempts: %s", row.pk, row.attempts, message)
        return "failed"
    _finish(row, FetchStatus.RETRYING, error=message,
            next_attempt_at=timezone.now() + timedelta(seconds=_backoff(row.attempts)))
    return "retry"


def attachments_fetch_due(*, limit: int = 200) -> dict[str, int]:
    """The sweeper: release downloads whose worker died, then run up to ``limit`` due ones."""
    now = timezone.now()
    for row in Attachment.objects.filter(status=FetchStatus.FETCHING, started_at__lt=now - STALE_FETCHING):
        workflow.transition(row, FetchStatus.PENDING)
        Attachment.objects.filter(pk=row.pk, status=FetchStatus.FETCHING).update(
            status=row.status, next_attempt_at=now, last_error="Avbröts (arbetaren stannade).")
    counts: dict[str, int] = {}
    for pk in list(Attachment.objects.due(now).values_list("pk", flat=True)[:limit]):
        outcome = attachment_fetch(attachment_id=pk)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def attachment_refetch(*, attachment: Attachment, actor, request=None) -> Attachment:
    """Staff send a download through again now (after the worker gave up, or instead of waiting for its next
    try): attempts start over. Audited. The worker is woken after commit."""
    from accounts.services import audit_record

    with transaction.atomic():
        row = Attachment.objects.select_for_update().get(pk=attachment.pk)
        if row.status not in (*GIVEN_UP_STATUSES, FetchStatus.RETRYING):
            raise DomainError("Bilagan hämtas redan eller är sparad.")
        workflow.transition(row, FetchStatus.PENDING)
        row.attempts = 0
        row.next_attempt_at = timezone.now()
        row.last_error = ""
        row.save(update_fields=["status", "attempts", "next_attempt_at", "last_error"])
        audit_record(actor=actor, action="other", target=row.item, request=request,
                     detail={"event": "attachment_refetch", "attachment": row.pk})
        transaction.on_commit(lambda: _wake([row.pk]))
    return row


# --- reads ------------------------------------------------------------------------------------------------


def current_attachments(item, rows: list[Attachment] | None = None) -> list[Attachment]:
    """The attachments the item shows now: those of the latest version that brought any (a text-only edit
    keeps the earlier pictures), none when the latest text came without pictures. ``rows``: the item's
    attachments already loaded (a prefetch), else one query."""
    if not item.attachments:
        return []
    if rows is None:
        rows = list(item.stored_attachments.select_related("version").order_by("version_id", "position", "id"))
    if not rows:
        return []
    latest = max(r.version_id for r in rows)
    return sorted((r for r in rows if r.version_id == latest), key=lambda r: (r.position, r.pk))


def problem_text(row: Attachment) -> str:
    """"Bilden kunde inte hämtas: …, nytt försök kl. …" and the like; "" for a stored attachment."""
    what = KIND_WORDS.get(row.kind, "Bilagan")
    if row.status in (FetchStatus.PENDING, FetchStatus.FETCHING):
        return f"{what} hämtas."
    if row.status == FetchStatus.RETRYING:
        at = timezone.localtime(row.next_attempt_at) if row.next_attempt_at else None
        when = f", nytt försök kl. {date_format(at, 'H:i')}" if at else ""
        return f"{what} kunde inte hämtas: {row.last_error}{when}."
    if row.status == FetchStatus.TOO_LARGE:
        return f"{what} är för stor för att sparas: {row.last_error}"
    if row.status in (FetchStatus.FAILED, FetchStatus.REFUSED):
        return f"{what} kunde inte sparas: {row.last_error}"
    return ""


def removal_blockers(item) -> list[str]:
    """Why the item may not be deleted on the platform yet: one Swedish line per attachment (of any version)
    that is not stored. Empty when every attachment is stored."""
    rows = Attachment.objects.filter(item=item).exclude(status=FetchStatus.STORED).order_by("version_id", "position")
    return [problem_text(row) for row in rows]


def removal_refusal(item) -> str | None:
    """The message the decision service shows when a removal must wait for the attachments, or None."""
    blockers = removal_blockers(item)
    if not blockers:
        return None
    return ("Inlägget kan inte tas bort på plattformen förrän alla bilder och filer är sparade i Uppsikt "
            "(inget får raderas innan det är sparat). " + " ".join(blockers)
            + " Dölj inlägget under tiden, eller hämta bilden igen från inläggssidan.")


def channel_storage(channel) -> dict:
    """Stored attachments of a channel (one aggregate query) and its evidence sheets (one more)."""
    usage = Attachment.objects.filter(item__channel=channel).aggregate(
        count=Count("id", filter=Q(status=FetchStatus.STORED)),
        bytes=Sum("size", filter=Q(status=FetchStatus.STORED)),
        waiting=Count("id", filter=Q(status__in=[FetchStatus.PENDING, FetchStatus.FETCHING, FetchStatus.RETRYING])),
        given_up=Count("id", filter=Q(status__in=list(GIVEN_UP_STATUSES))),
    )
    evidence = EvidenceSheet.objects.filter(item__channel=channel, status=EvidenceStatus.RENDERED).aggregate(
        count=Count("id"), pdf=Sum("pdf_size"), png=Sum("png_size"))
    return {
        "count": usage["count"] or 0, "bytes": usage["bytes"] or 0, "waiting": usage["waiting"] or 0,
        "given_up": usage["given_up"] or 0, "evidence_count": evidence["count"] or 0,
        "evidence_bytes": (evidence["pdf"] or 0) + (evidence["png"] or 0),
    }

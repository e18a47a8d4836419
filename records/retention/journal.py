"""The purge journal (gallringsjournal): what every executed purge list removed, kept OUTSIDE the
database, so that a restore from an older backup can purge again what was purged after the backup.

One append-only JSON Lines file per purge list in UPPSIKT_PURGE_JOURNAL_DIR (`<reference>.jsonl`):

    {"kind": "list", "reference": "GL-2026-001", "purge_list_id": 7, "cutoff_date": "…", "approved_by": "…"}
    {"kind": "batch", "committed_at": "…", "done": {"moderation.item": ["12", …]}, "refused": {…}}
    {"kind": "executed", "committed_at": "…", "executed_at": "…", "done": 1000, "refused": 3}

A batch line is appended (one `write()` with O_APPEND, then fsync) right after the batch's transaction
has committed; when the list is executed, a closing check compares the journal with the database and
appends whatever a crash between commit and append left out, then the "executed" line. The journal
holds type, id and the list's reference only: no content, no personal data (like the Tombstone).

Keep the folder on other storage than the database and copy it with the backups (it is small: about
10 bytes per purged object). `purge_journal_reapply(since=…)` is what `manage.py restore` runs.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

log = logging.getLogger("uppsikt.purge")

CHUNK = 2000


def journal_dir() -> Path:
    return Path(settings.UPPSIKT_PURGE_JOURNAL_DIR)


def journal_path(reference: str) -> Path:
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in reference)
    return journal_dir() / f"{safe}.jsonl"


def _append(path: Path, record: dict) -> None:
    """One line, one write() on an O_APPEND descriptor (two workers on one list never interleave
    inside a line), then fsync: once this returns, the line survives a power cut."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def _records(path: Path) -> Iterator[dict]:
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                yield json.loads(raw)
            except ValueError:  # a torn last line after a crash: everything before it stands
                log.warning("purge journal %s: line %s unreadable, skipped", path.name, number)


def _header(purge_list) -> dict:
    return {"kind": "list", "reference": purge_list.reference, "purge_list_id": purge_list.pk,
            "cutoff_date": purge_list.cutoff_date.isoformat(),
            "approved_by": purge_list.approved_by.get_username() if purge_list.approved_by_id else "",
            "written_at": timezone.now().isoformat()}


def purge_journal_record_batch(*, purge_list, line_ids: list[int]) -> None:
    """Append the outcome of these (committed) lines of `purge_list` to its journal. Call after the
    batch's transaction has committed; never inside it (a rolled-back batch must not be journaled)."""
    from records.models import PurgeLine, PurgeLineStatus

    path = journal_path(purge_list.reference)
    if not path.exists():
        _append(path, _header(purge_list))
    done: dict[str, list[str]] = defaultdict(list)
    refused: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for target_type, target_id, status, error in (PurgeLine.objects.filter(pk__in=line_ids)
                                                  .values_list("target_type", "target_id", "status", "error")):
        if status == PurgeLineStatus.DONE:
            done[target_type].append(target_id)
        elif status == PurgeLineStatus.REFUSED:
            refused[target_type][error].append(target_id)
    if done or refused:
        _append(path, {"kind": "batch", "committed_at": timezone.now().isoformat(), "done": done,
                       "refused": refused})


def purge_journal_close(*, purge_list) -> int:
    """After a list is executed: append the done lines the journal lacks (a crash between a batch's
    commit and its journal line), then the closing "executed" line. Returns how many were added."""
    from records.models import PurgeLine, PurgeLineStatus

    path = journal_path(purge_list.reference)
    journaled: set[tuple[str, str]] = set()
    if path.exists():
        for rec in _records(path):
            if rec.get("kind") == "executed":
                return 0
            for target_type, ids in (rec.get("done") or {}).items():
                journaled.update((target_type, i) for i in ids)
    missing: list[int] = []
    added = 0
    done_lines = (PurgeLine.objects.filter(purge_list=purge_list, status=PurgeLineStatus.DONE)
                  .order_by("pk").values_list("pk", "target_type", "target_id"))
    for pk, target_type, target_id in done_lines.iterator(chunk_size=CHUNK):
        if (target_type, target_id) not in journaled:
            missing.append(pk)
        if len(missing) >= CHUNK:
            purge_journal_record_batch(purge_list=purge_list, line_ids=missing)
            added += len(missing)
            missing = []
    if missing:
        purge_journal_record_batch(purge_list=purge_list, line_ids=missing)
        added += len(missing)
    if not path.exists():
        _append(path, _header(purge_list))
    counts = dict(PurgeLine.objects.filter(purge_list=purge_list).values_list("status").annotate(n=Count("id")))
    _append(path, {"kind": "executed", "committed_at": timezone.now().isoformat(),
                   "executed_at": purge_list.executed_at.isoformat() if purge_list.executed_at else None,
                   "done": counts.get(PurgeLineStatus.DONE, 0), "refused": counts.get(PurgeLineStatus.REFUSED, 0)})
    return added


def erasure_journal_record(*, reference: str, subject_request_id: int, target_type: str, ids: list[str]) -> None:
    """Journal an approved GDPR erasure (art. 17) of these targets, once the caller's transaction has
    committed (`erasure-<reference>.jsonl`): erased data must not come back from a backup either."""

    def write() -> None:
        path = journal_dir() / f"erasure-{journal_path(reference).name}"
        if not path.exists():
            _append(path, {"kind": "erasure", "reference": reference, "subject_request_id": subject_request_id,
                           "written_at": timezone.now().isoformat()})
        _append(path, {"kind": "batch", "committed_at": timezone.now().isoformat(),
                       "done": {target_type: [str(i) for i in ids]}})

    transaction.on_commit(write)


def _reapply_erasure(*, reference: str, target_type: str, ids: list[str], at: dt.datetime) -> int:
    from records import registry
    from records.models import SubjectRequest, Tombstone, TombstoneReason
    from records.retention.services.purge import scrub_targets

    gone = set(Tombstone.objects.filter(target_type=target_type, target_id__in=ids)
               .values_list("target_id", flat=True))
    todo = [i for i in ids if i not in gone]
    if not todo:
        return 0
    request = SubjectRequest.objects.filter(reference=reference).first()
    labels, classes = _meta(target_type, todo)
    context = registry.ScrubContext(reason="erasure", subject_request_id=request.pk if request else None, at=at)
    with transaction.atomic():
        scrub_targets(target_type=target_type, ids=todo, context=context, labels=labels, class_codes=classes,
                      basis_reference=reference, reason=TombstoneReason.ERASURE)
    return len(todo)


# --- after a restore -----------------------------------------------------------------------------------


def _meta(target_type: str, ids: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Labels (number/reference) and class codes of these objects, as the purge would have recorded."""
    from records.retention.services.plan import target_for, target_model
    from records.retention.services.purge import class_attr as _class_attr
    from records.retention.services.purge import model_info as _model_info

    target = target_for(target_type)
    model = target_model(target)
    class_attr, fk = _class_attr(model, target.class_field)
    _date, label_field = _model_info(model)
    fields = ["pk", class_attr] + ([label_field] if label_field else [])
    rows = model._default_manager.filter(pk__in=ids).values_list(*fields)
    codes_by_pk = {}
    if fk:
        from records.models import RetentionClass

        codes_by_pk = dict(RetentionClass.objects.values_list("pk", "code"))
    labels = {str(r[0]): str(r[2] or "") for r in rows} if label_field else {}
    classes = {str(r[0]): (codes_by_pk.get(r[1], "") if fk else (r[1] or "")) for r in rows}
    return labels, classes


def _reapply_done(*, reference: str, purge_list, target_type: str, ids: list[str], at: dt.datetime) -> int:
    from records import registry
    from records.models import PurgeLine, PurgeLineStatus, Tombstone, TombstoneReason
    from records.retention.services.purge import scrub_targets

    gone = set(Tombstone.objects.filter(target_type=target_type, target_id__in=ids)
               .values_list("target_id", flat=True))
    todo = [i for i in ids if i not in gone]
    with transaction.atomic():
        if todo:
            labels, classes = _meta(target_type, todo)
            context = registry.ScrubContext(reason="purge", purge_list_id=purge_list.pk if purge_list else None,
                                            at=at)
            scrub_targets(target_type=target_type, ids=todo, context=context, labels=labels, class_codes=classes,
                          basis_reference=reference, reason=TombstoneReason.PURGE)
            if purge_list:
                Tombstone.objects.filter(target_type=target_type, target_id__in=todo).update(purge_list=purge_list)
        if purge_list:
            PurgeLine.objects.filter(purge_list=purge_list, target_type=target_type, target_id__in=ids).update(
                status=PurgeLineStatus.DONE, executed_at=at, error="")
    return len(todo)


def _placeholder(header: dict):
    """The list was drafted after the backup: a row with its reference (so the reference is not handed
    out again and the tombstones point at it); its lines are in the journal file."""
    from records.models import PurgeList, PurgeListStatus

    return PurgeList.objects.create(
        reference=header["reference"], status=PurgeListStatus.EXECUTING,
        cutoff_date=dt.date.fromisoformat(header["cutoff_date"]),
        note=f"Återskapad från gallringsjournalen vid återläsning av en säkerhetskopia; raderna finns i "
             f"journalfilen {header['reference']}.jsonl (godkänd av {header.get('approved_by') or 'okänd'}).",
    )


def purge_journal_reapply(*, since: dt.datetime, progress: Callable[[str], None] | None = None) -> dict:
    """Purge again, in the (restored) database, everything the journal says was purged at or after
    `since` (the moment the backup was taken). Idempotent: what already has a tombstone is skipped.

    Each target is scrubbed through the same registry hook a purge uses and gets its tombstone with
    the list's reference; when the list itself is in the restored database its lines get the journaled
    outcome and, if the journal says so, the list is marked executed (restoring recorded history, not a
    new decision). Approved GDPR erasures journaled after `since` are carried out again the same way.
    Returns {"lists", "purged", "refused", "erased"}.
    """
    from accounts.models import AuditAction
    from accounts.services import audit_record
    from records.models import PurgeLine, PurgeLineStatus, PurgeList, PurgeListStatus

    summary = {"lists": 0, "purged": 0, "refused": 0, "erased": 0}
    folder = journal_dir()
    if not folder.is_dir():
        return summary
    for path in sorted(folder.glob("*.jsonl")):
        reference, header, purge_list, touched, executed = "", {}, None, False, None
        for rec in _records(path):
            kind = rec.get("kind")
            if kind == "list":
                header, reference = rec, rec["reference"]
                purge_list = PurgeList.objects.filter(reference=reference).first()
                continue
            if kind == "erasure":
                header, reference = rec, rec["reference"]
                continue
            committed = dt.datetime.fromisoformat(rec.get("committed_at") or "1970-01-01T00:00:00+00:00")
            if committed < since:
                continue
            if kind == "executed":
                executed = rec
                continue
            touched = True
            if header.get("kind") == "erasure":
                for target_type, ids in (rec.get("done") or {}).items():
                    summary["erased"] += _reapply_erasure(reference=reference, target_type=target_type, ids=ids,
                                                          at=committed)
                continue
            if purge_list is None:
                purge_list = _placeholder(header)
            for target_type, ids in (rec.get("done") or {}).items():
                for start in range(0, len(ids), CHUNK):
                    summary["purged"] += _reapply_done(reference=reference, purge_list=purge_list,
                                                       target_type=target_type, ids=ids[start:start + CHUNK],
                                                       at=committed)
            for target_type, reasons in (rec.get("refused") or {}).items():
                for error, ids in reasons.items():
                    summary["refused"] += len(ids)
                    if purge_list:
                        PurgeLine.objects.filter(purge_list=purge_list, target_type=target_type,
                                                 target_id__in=ids).update(status=PurgeLineStatus.REFUSED,
                                                                           error=error, executed_at=committed)
        if not (touched or executed):
            continue
        if header.get("kind") == "erasure":
            audit_record(actor=None, action=AuditAction.DATA_SUBJECT, target=("records.subjectrequest", "", reference),
                         detail={"event": "erasure_reapplied_after_restore", "reference": reference,
                                 "journal": path.name})
            continue
        summary["lists"] += 1
        if purge_list and executed:
            at = dt.datetime.fromisoformat(executed["executed_at"]) if executed.get("executed_at") else None
            PurgeList.objects.filter(pk=purge_list.pk).update(status=PurgeListStatus.EXECUTED, executed_at=at)
        audit_record(actor=None, action=AuditAction.PURGE, target=purge_list or ("records.purgelist", "", reference),
                     detail={"event": "purge_reapplied_after_restore", "reference": reference,
                             "journal": path.name})
        if progress:
            progress(f"{reference}: gallrad igen enligt journalen")
    return summary

"""Executing an approved purge list, by any number of workers at once.

A worker claims a batch of pending lines with `SELECT … FOR UPDATE SKIP LOCKED` (in line order) and
purges it in ONE transaction: every line is re-checked against the live target in SQL (class, due
date, legal hold, fingerprint), the refused ones get their reason, the rest are scrubbed through
their target's hook, tombstoned, marked done and written to the batch log (`PurgeBatch`) together.
So:

- N workers share one list: a worker skips the lines another has locked and takes the next ones;
- nothing is purged twice: a line is claimed under a row lock and only while pending, and it stops
  being pending in the same commit that purges its target;
- a worker killed with `kill -9` mid-batch leaves nothing half done: PostgreSQL rolls its transaction
  back when the connection drops, the lines are pending and unlocked again, and the next claim (any
  worker, or a rerun) takes them; nothing needs cleaning up;
- memory stays flat: a worker holds one batch of ids;
- everything is logged: the list's audit events (started, resumed, executed), one `PurgeBatch` per
  committed batch (worker, lines, done, refused, first and last line), each line's batch and
  outcome, one Tombstone per purged target.

In the background (`purge_list_enqueue`, the pages and the API) a task per chunk of lines goes through
the task API (`records.retention.tasks.purge_batch_task`); each task keeps claiming while lines are
left, so a chunk whose worker died is taken by whichever task runs next, and re-enqueueing a list
(the "Återuppta" button, `manage.py purge_execute`, the daily task) resumes it.
"""

from __future__ import annotations

import logging
import math
import os
import socket
import time
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import BooleanField, CharField, DateField, DateTimeField, ExpressionWrapper, F, Value
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone

from accounts.errors import DomainError
from accounts.models import AuditAction
from accounts.services import audit_record
from records import registry
from records.models import (
    HitOutcome,
    PurgeBatch,
    PurgeLine,
    PurgeLineStatus,
    PurgeList,
    PurgeListStatus,
    RetentionAction,
    RetentionClass,
    SubjectRequestHit,
    Tombstone,
    TombstoneReason,
)
from records.retention.journal import purge_journal_close, purge_journal_record_batch
from records.retention.services.holds import active_hold_keys
from records.retention.services.purge import class_attr, model_info, purge_list_counts
from records.retention.services.sql import analyze, fingerprint_expression, quote, relaxed_commit, sql_in
from records.workflow import assert_action, assert_bulk_transition, transition

log = logging.getLogger("uppsikt.purge")

__all__ = [
    "Claimed",
    "purge_batch_run",
    "purge_batches_run",
    "purge_list_enqueue",
    "purge_list_execute",
    "purge_list_finish",
    "purge_list_start",
    "purge_lists_resume",
    "scrub_targets",
    "worker_name",
]

MAX_TASKS = 1000  # each task keeps claiming, so more tasks than this would only find nothing to do


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


# --- the list ------------------------------------------------------------------------------------


def purge_list_start(*, purge_list: PurgeList, actor) -> PurgeList:
    """Approved → executing (the workflow's "execute" action: permission and status checked in ONE
    place); an executing list is resumed; an executed one is returned unchanged (idempotent)."""
    with transaction.atomic():
        pl = PurgeList.objects.select_for_update().get(pk=purge_list.pk)
        if pl.status == PurgeListStatus.EXECUTED:
            return pl
        assert_action(pl, "execute", actor)
        if pl.status == PurgeListStatus.APPROVED:
            transition(pl, PurgeListStatus.EXECUTING)
            pl.executed_by = actor if getattr(actor, "is_authenticated", False) else None
            pl.save()
            audit_record(actor=actor, action=AuditAction.PURGE, target=pl, detail={"event": "execution_started"})
        else:
            audit_record(actor=actor, action=AuditAction.PURGE, target=pl, detail={"event": "execution_resumed"})
    return pl


def purge_list_enqueue(*, purge_list: PurgeList, actor, batch_size: int = 5000) -> int:
    """Start (or resume) the execution in the background: one batch task per chunk of pending lines
    (at most MAX_TASKS), enqueued once the start has committed. Returns the number of tasks."""
    from records.retention.tasks import purge_batch_task

    pl = purge_list_start(purge_list=purge_list, actor=actor)
    if pl.status != PurgeListStatus.EXECUTING:
        return 0
    pending = purge_list_counts(pl)["pending"]
    tasks = min(MAX_TASKS, max(1, math.ceil(pending / batch_size)))
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    for _n in range(tasks):
        purge_batch_task.enqueue(pl.pk, batch_size, actor_id)
    log.info("purge %s: %d pending lines, %d batch tasks enqueued", pl.reference, pending, tasks)
    return tasks


def purge_list_finish(*, purge_list_id: int, actor=None) -> PurgeList:
    """Executing → executed once no line is pending (a line still locked by a live worker is pending:
    that worker finishes the list). Safe to call from every worker at once."""
    with transaction.atomic():
        pl = PurgeList.objects.select_for_update().get(pk=purge_list_id)
        if pl.status != PurgeListStatus.EXECUTING:
            return pl
        if PurgeLine.objects.filter(purge_list=pl, status=PurgeLineStatus.PENDING).exists():
            return pl
        transition(pl, PurgeListStatus.EXECUTED)
        pl.executed_at = timezone.now()
        if pl.executed_by_id is None and getattr(actor, "is_authenticated", False):
            pl.executed_by = actor
        pl.save()
        counts = purge_list_counts(pl)
        audit_record(actor=actor, action=AuditAction.PURGE, target=pl, detail={
            "event": "executed", **counts, "batches": PurgeBatch.objects.filter(purge_list=pl).count()})
    purge_journal_close(purge_list=pl)
    log.info("purge %s executed: %s", pl.reference, counts)
    return pl


def purge_list_execute(*, purge_list: PurgeList, actor, batch_size: int = 5000, progress=None) -> dict:
    """Execute in this process (the command, one-worker runs, tests): claim and purge batches until
    none is left, then finish. Runs beside background workers on the same list without harm.

    `progress(processed, total)` is called after each batch. Returns the counts and the status.
    """
    pl = purge_list_start(purge_list=purge_list, actor=actor)
    if pl.status == PurgeListStatus.EXECUTING:
        counts = purge_list_counts(pl)
        if counts["pending"] > 10000:
            analyze(PurgeLine, Tombstone)
        total = counts["total"] - counts["skipped"]
        processed = counts["done"] + counts["refused"]
        def report(claimed: int) -> None:
            nonlocal processed
            processed += claimed
            if progress:
                progress(processed, total)

        purge_batches_run(purge_list_id=pl.pk, batch_size=batch_size, actor=actor, on_batch=report)
        pl = purge_list_finish(purge_list_id=pl.pk, actor=actor)
    counts = purge_list_counts(pl)
    return {**counts, "status": pl.status}


def purge_lists_resume(*, batch_size: int = 5000) -> list[str]:
    """Re-enqueue every list left executing (a worker died, a machine restarted): the daily task
    calls it; claiming with SKIP LOCKED makes a second set of tasks harmless."""
    resumed = []
    for pl in PurgeList.objects.filter(status=PurgeListStatus.EXECUTING):
        if PurgeLine.objects.filter(purge_list=pl, status=PurgeLineStatus.PENDING).exists():
            purge_list_enqueue(purge_list=pl, actor=None, batch_size=batch_size)
        else:
            purge_list_finish(purge_list_id=pl.pk)
        resumed.append(pl.reference)
    return resumed


# --- one batch -------------------------------------------------------------------------------------


class Claimed(int):
    """How many lines a batch claimed (0: none), and the last one's id: the worker's next claim starts
    after it, so it never walks back over the lines already done (a million of them, at the end)."""

    last_line_id: int

    def __new__(cls, n: int, last_line_id: int = 0) -> Claimed:
        obj = super().__new__(cls, n)
        obj.last_line_id = last_line_id
        return obj


def purge_batches_run(*, purge_list_id: int, batch_size: int = 5000, actor=None, worker: str = "",
                      on_batch=None) -> int:
    """Claim and purge batches of one list until none is left to claim; returns the lines claimed.
    Claims move forward from the worker's last line; when nothing is left ahead, one sweep from the
    start takes what a stopped worker left behind."""
    worker = worker or worker_name()
    total = after = 0
    while True:
        claimed = purge_batch_run(purge_list_id=purge_list_id, batch_size=batch_size, actor=actor, worker=worker,
                                  after=after)
        if not claimed:
            if after == 0:
                return total
            after = 0
            continue
        total += claimed
        after = claimed.last_line_id
        if on_batch:
            on_batch(int(claimed))


def purge_batch_run(*, purge_list_id: int, batch_size: int = 5000, actor=None, worker: str = "",
                    after: int = 0) -> Claimed:
    """Claim up to `batch_size` pending lines of an executing list (SKIP LOCKED; the first after line
    `after`) and purge them in ONE transaction. Returns how many lines were claimed: 0 when none is
    left to claim or the list is not executing."""
    from records.retention.services.plan import target_for

    started = time.monotonic()
    with transaction.atomic():
        relaxed_commit()
        head = PurgeList.objects.filter(pk=purge_list_id).values_list("status", "reference").first()
        if head is None or head[0] != PurgeListStatus.EXECUTING:
            return Claimed(0)
        rows = list(PurgeLine.objects.select_for_update(skip_locked=True)
                    .filter(purge_list_id=purge_list_id, status=PurgeLineStatus.PENDING, pk__gt=after)
                    .order_by("pk").values_list("pk", "target_type", "target_id")[:batch_size])
        if not rows:
            return Claimed(0)
        at = timezone.now()
        batch = PurgeBatch.objects.create(purge_list_id=purge_list_id, worker=worker or worker_name(), started_at=at,
                                          lines=len(rows), first_line_id=rows[0][0], last_line_id=rows[-1][0])
        context = registry.ScrubContext(reason="purge", actor=actor, purge_list_id=purge_list_id, at=at)
        groups: dict[str, tuple[list[int], list[str]]] = defaultdict(lambda: ([], []))
        for pk, target_type, target_id in rows:
            groups[target_type][0].append(pk)
            groups[target_type][1].append(target_id)
        keys = active_hold_keys(timezone.localdate())
        done = refused = 0
        for target_type, (line_ids, target_ids) in groups.items():
            try:
                target = target_for(target_type)
            except DomainError:
                refused += _set_lines(line_ids, PurgeLineStatus.REFUSED, at, batch.pk, "Okänd objekttyp.")
                continue
            d, r = _purge_group(target, head[1], batch.pk, line_ids, target_ids, context, keys)
            done, refused = done + d, refused + r
        PurgeBatch.objects.filter(pk=batch.pk).update(done=done, refused=refused, finished_at=timezone.now())
    # After the commit: a rolled-back batch is never journaled (records/retention/journal.py).
    purge_journal_record_batch(purge_list=PurgeList.objects.get(pk=purge_list_id), line_ids=[r[0] for r in rows])
    log.info("purge %s batch %s by %s: %d lines, %d purged, %d refused, %.2f s", head[1], batch.pk, batch.worker,
             len(rows), done, refused, time.monotonic() - started)
    return Claimed(len(rows), rows[-1][0])


def _set_lines(line_ids: list[int], status: str, at, batch_id: int, error: str = "") -> int:
    """Set these (pending, locked) lines to done or refused with ONE statement."""
    assert_bulk_transition(PurgeLine, [PurgeLineStatus.PENDING], status)
    where, params = sql_in("id", line_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(PurgeLine._meta.db_table)} SET status = %s, executed_at = %s, batch_id = %s, "  # noqa: S608
            f"error = %s WHERE {where} AND status = %s",
            [status, at, batch_id, error, *params, PurgeLineStatus.PENDING])
        return cursor.rowcount


VERDICTS = {
    "gone": "Objektet finns inte längre.",
    "class": "Gallringsklassen har ändrats sedan listan upprättades.",
    "due": "Gallringsfristen har inte löpt ut.",
    "held": "Spärr mot gallring.",
    "changed": "Objektet har ändrats sedan listan godkändes.",
}


def _purge_group(target, reference: str, batch_id: int, line_ids: list[int], target_ids: list[str],
                 context: registry.ScrubContext, keys: set) -> tuple[int, int]:
    """Re-check these lines of one kind in ONE query (class, due, hold — the target's `held_q`, the
    same rule as the draft and the erasure —, fingerprint), refuse the bad ones with their reason,
    tombstone the rest with ONE `INSERT … SELECT`, scrub them through the target's hook and mark them
    done with ONE UPDATE. Returns (done, refused)."""
    from records.retention.services.plan import target_model

    model = target_model(target)
    attr, fk = class_attr(model, target.class_field)
    date_field, _label = model_info(model)
    held = target.held_q(keys) if (keys and target.held_q is not None) else None
    table = quote(model._meta.db_table)
    id_where, id_params = sql_in(f"{table}.{quote(model._meta.pk.column)}", [int(i) for i in target_ids])
    # identifiers only in the SQL; the ids are one parameter
    base = target.queryset().extra(where=[id_where], params=id_params).order_by()  # noqa: S610
    live = base.annotate(
        t_sid=Cast("pk", CharField()), t_cls=F(attr), t_due=F(target.due_field),
        t_fp=fingerprint_expression(target.fingerprint_fields),
        t_held=ExpressionWrapper(held, output_field=BooleanField()) if held is not None else Value(False),
    ).values("t_sid", "t_cls", "t_due", "t_fp", "t_held")
    live_sql, live_params = live.query.sql_with_params()
    dated = base.annotate(t_sid=Cast("pk", CharField()), t_created=_as_date(model, date_field)).values(
        "t_sid", "t_created")
    dated_sql, dated_params = dated.query.sql_with_params()
    line_t, class_t, stone_t = (quote(m._meta.db_table) for m in (PurgeLine, RetentionClass, Tombstone))
    class_key = "c.id" if fk else "c.code"
    line_where, line_params = sql_in("l.id", line_ids)
    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT l.id, l.target_id, CASE "  # noqa: S608
            f"WHEN t.t_sid IS NULL THEN CASE WHEN EXISTS (SELECT 1 FROM {stone_t} x "
            "WHERE x.target_type = l.target_type AND x.target_id = l.target_id) THEN 'already' ELSE 'gone' END "
            f"WHEN c.action <> %s OR t.t_cls IS NULL OR t.t_cls <> {class_key} THEN 'class' "
            "WHEN t.t_due IS NULL OR t.t_due > %s THEN 'due' "
            "WHEN t.t_held THEN 'held' "
            "WHEN l.fingerprint <> '' AND t.t_fp <> l.fingerprint THEN 'changed' "
            "ELSE 'ok' END "
            f"FROM {line_t} l JOIN {class_t} c ON c.id = COALESCE(l.changed_class_to_id, l.retention_class_id) "
            f"LEFT JOIN ({live_sql}) t ON t.t_sid = l.target_id WHERE {line_where} AND l.status = %s",
            [RetentionAction.PURGE, today, *live_params, *line_params, PurgeLineStatus.PENDING])
        by_verdict: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for line_id, target_id, verdict in cursor.fetchall():
            by_verdict[verdict].append((line_id, target_id))
        ok = by_verdict.pop("ok", [])
        done = refused = 0
        for verdict, pairs in by_verdict.items():
            ids = [p[0] for p in pairs]
            if verdict == "already":  # purged by an erasure, or by a run whose commit outlived its worker
                done += _set_lines(ids, PurgeLineStatus.DONE, context.at, batch_id)
            else:
                refused += _set_lines(ids, PurgeLineStatus.REFUSED, context.at, batch_id, VERDICTS[verdict])
        if not ok:
            return done, refused
        ok_lines = [p[0] for p in ok]
        ok_where, ok_params = sql_in("l.id", ok_lines)
        cursor.execute(
            f"INSERT INTO {stone_t} (target_type, target_id, number_or_reference, retention_class_code, "  # noqa: S608
            "created_date, purged_at, purge_list_id, subject_request_id, basis_reference, reason) "
            "SELECT l.target_type, l.target_id, SUBSTR(l.label, 1, 70), c.code, t.t_created, %s, %s, NULL, %s, %s "
            f"FROM {line_t} l JOIN {class_t} c ON c.id = COALESCE(l.changed_class_to_id, l.retention_class_id) "
            f"LEFT JOIN ({dated_sql}) t ON t.t_sid = l.target_id WHERE {ok_where} "
            "ON CONFLICT (target_type, target_id) DO NOTHING",
            [context.at, context.purge_list_id, reference, TombstoneReason.PURGE, *dated_params, *ok_params])
    ok_targets = [p[1] for p in ok]
    target.scrub(ok_targets, context)
    done += _set_lines(ok_lines, PurgeLineStatus.DONE, context.at, batch_id)
    _scheduled_hits_purged(target.type, ok_targets, reference, context.at)
    return done, refused


def _as_date(model, date_field: str | None):
    """The object's original date as a date in SQL (a datetime is truncated in the current zone)."""
    if date_field is None:
        return Value(None, output_field=DateField())
    if isinstance(model._meta.get_field(date_field), DateTimeField):
        return TruncDate(date_field)
    return F(date_field)


def _scheduled_hits_purged(target_type: str, ids: list[str], reference: str, at) -> None:
    """Erasure requests refused under art. 17.3 b and scheduled for the due date: the purge carries
    them out; the hit records which list did (one UPDATE, on a partial index of scheduled hits)."""
    assert_bulk_transition(SubjectRequestHit, [HitOutcome.SCHEDULED], HitOutcome.PURGED, field="outcome")
    where, params = sql_in("record_id", ids)
    SubjectRequestHit.objects.filter(outcome=HitOutcome.SCHEDULED, record_type=target_type).extra(  # noqa: S610
        where=[where], params=params).update(outcome=HitOutcome.PURGED, purge_reference=reference, decided_at=at)


# --- erasure outside a list --------------------------------------------------------------------------


def scrub_targets(*, target_type: str, ids: list[str], context: registry.ScrubContext, labels: dict[str, str],
                  class_codes: dict[str, str], basis_reference: str, reason: str) -> int:
    """Scrub objects outside a purge list (an approved erasure) and leave tombstones."""
    from records.retention.services.plan import target_for, target_model, to_date

    target = target_for(target_type)
    model = target_model(target)
    date_field, _label = model_info(model)
    dates = {str(k): v for k, v in model._default_manager.filter(pk__in=ids).values_list("pk", date_field)} \
        if date_field else {}
    n = target.scrub(ids, context)
    Tombstone.objects.bulk_create([
        Tombstone(target_type=target_type, target_id=str(i), number_or_reference=labels.get(str(i), "")[:70],
                  retention_class_code=class_codes.get(str(i), ""), created_date=to_date(dates.get(str(i))),
                  purged_at=context.at or timezone.now(), subject_request_id=context.subject_request_id,
                  basis_reference=basis_reference, reason=reason)
        for i in ids
    ], ignore_conflicts=True)
    return n

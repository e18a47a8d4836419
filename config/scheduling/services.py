"""The scheduler's one operation: `scheduler_tick` runs every registered job that is due, once per
period, whatever the number of schedulers running it at the same moment.

How a period is claimed (the lease):
1. candidates: rows with `next_run_at <= now` and no live lease; on PostgreSQL read with
   `SELECT … FOR UPDATE SKIP LOCKED` inside the claiming transaction, so a row another scheduler
   is claiming right now is skipped instead of waited for;
2. claim: `UPDATE … SET leased_by = me, lease_until = now + LEASE WHERE name = … AND next_run_at =
   <value read> AND (lease_until IS NULL OR lease_until <= now)`: a compare-and-set, so of several
   schedulers that read the same row exactly one updates it (on PostgreSQL the loser's UPDATE
   re-reads the committed row; on SQLite writes are serialised) — this alone is correct without
   SKIP LOCKED;
3. run the job (it enqueues tasks), then `next_run_at` = the start of the next period, lease released.
A scheduler that dies while holding a lease leaves it to expire (LEASE); the next scheduler then
runs the period again. Tasks are idempotent, so at-least-once is safe; nothing is ever lost.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import uuid
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from config.scheduling.jobs import Job, jobs
from config.scheduling.models import ScheduledJob

log = logging.getLogger("uppsikt.scheduling")

LEASE = dt.timedelta(minutes=5)
RETRY_AFTER_ERROR = dt.timedelta(minutes=1)


def scheduler_id() -> str:
    """A name unique to this scheduler (host, process, random part)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class JobRun:
    name: str
    period_start: dt.datetime
    result: str
    error: str = ""


def scheduled_jobs_sync(*, now: dt.datetime) -> int:
    """Give every registered job its row (due at once when new). Returns how many were created;
    concurrent schedulers may both try: the unique name keeps one row."""
    names = {j.name for j in jobs()}
    existing = set(ScheduledJob.objects.filter(name__in=names).values_list("name", flat=True))
    missing = sorted(names - existing)
    ScheduledJob.objects.bulk_create([ScheduledJob(name=n, next_run_at=now) for n in missing],
                                     ignore_conflicts=True)
    return len(missing)


def _claim(*, now: dt.datetime, owner: str, names: list[str]) -> list[str]:
    free = Q(lease_until__isnull=True) | Q(lease_until__lte=now)
    due = ScheduledJob.objects.filter(free, name__in=names, next_run_at__lte=now).order_by("name")
    claimed: list[str] = []
    with transaction.atomic():
        if connection.vendor == "postgresql":
            due = due.select_for_update(skip_locked=True)
        for name, seen in list(due.values_list("name", "next_run_at")):
            won = ScheduledJob.objects.filter(free, name=name, next_run_at=seen).update(
                leased_by=owner, lease_until=now + LEASE, last_started_at=now)
            if won:
                claimed.append(name)
    return claimed


def _finish(*, job: Job, owner: str, now: dt.datetime, result: str, error: str) -> None:
    nxt = now + RETRY_AFTER_ERROR if error else job.schedule.next_after(now)
    ScheduledJob.objects.filter(name=job.name, leased_by=owner).update(
        next_run_at=nxt, leased_by="", lease_until=None, last_finished_at=timezone.now(),
        last_result=result[:2000], last_error=error[:4000], runs=F("runs") + 1)


def scheduler_tick(*, now: dt.datetime | None = None, owner: str | None = None) -> list[JobRun]:
    """Run each registered job that is due and whose lease this scheduler wins.

    Guarantees: a job runs at most once per period of its schedule across all schedulers (at least
    once unless every scheduler is down; a crashed run is redone after its lease expires); a job
    that raises is logged and retried a minute later; other jobs still run.
    """
    now = now or timezone.now()
    owner = owner or scheduler_id()
    registered = {j.name: j for j in jobs()}
    scheduled_jobs_sync(now=now)
    runs: list[JobRun] = []
    for name in _claim(now=now, owner=owner, names=list(registered)):
        job = registered[name]
        result, error = "", ""
        try:
            result = job.run(now) or ""
        except Exception as exc:  # noqa: BLE001 - one failing job must not stop the others
            log.exception("scheduled job %s failed", name)
            error = f"{type(exc).__name__}: {exc}"
        _finish(job=job, owner=owner, now=now, result=result, error=error)
        runs.append(JobRun(name=name, period_start=job.schedule.period_start(now), result=result, error=error))
    return runs


def describe(run: JobRun) -> str:
    """One line for the scheduler's output: job, period (local time) and result."""
    period = timezone.localtime(run.period_start).strftime("%Y-%m-%d %H:%M")
    return f"Körde {run.name} [{period}]: " + (f"FEL: {run.error}" if run.error else run.result)

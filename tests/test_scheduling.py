"""The job table (config.scheduling): periods, leases, errors, the commands, and two schedulers at once
(threads with their own connections, and two `run_scheduler` processes) running each job once per period."""

from __future__ import annotations

import datetime as dt
import re
import signal
import threading
import time
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection

from config.scheduling import Daily, Every, Job, jobs, register_job, unregister_job
from config.scheduling.models import ScheduledJob
from config.scheduling.services import LEASE, scheduler_tick
from moderation.models import Platform
from tests.factories import ChannelFactory
from tests.process_helpers import manage, process_env, require_postgres

STHLM = ZoneInfo("Europe/Stockholm")
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                        "QUEUES": ["default", "platform", "screening", "retention"]}}
BUILTIN = {"platform_actions_sweep", "webhook_deliveries_stale", "channel_polling", "channel_snapshots",
           "webhook_rejections_prune", "purge_draft_daily"}


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=STHLM)


@pytest.fixture
def test_job():
    calls: list[dt.datetime] = []

    def run(now):
        calls.append(now)
        return "ok"

    register_job(Job("test_every_minute", Every(minutes=1), run))
    yield calls
    unregister_job("test_every_minute")


# --- schedules ------------------------------------------------------------------------------------------------


def test_every_periods_aligned_to_the_clock():
    s = Every(minutes=1)
    assert s.period_start(at("2026-03-10 12:00:59")) == at("2026-03-10 12:00:00")
    assert s.next_after(at("2026-03-10 12:00:00")) == at("2026-03-10 12:01:00")
    assert Every(minutes=10).next_after(at("2026-03-10 12:07:00")) == at("2026-03-10 12:10:00")


def test_daily_periods_in_local_time_across_summer_time():
    s = Daily(hour=1)
    assert s.period_start(at("2026-03-29 00:30")) == at("2026-03-28 01:00")
    assert s.period_start(at("2026-03-29 04:00")) == at("2026-03-29 01:00")
    # the night the clocks go forward (02:00 → 03:00) is 23 hours long; 01:00 stays 01:00 local time
    assert s.next_after(at("2026-03-29 01:00")) == at("2026-03-30 01:00")
    assert s.next_after(at("2026-03-29 01:00")) - at("2026-03-29 01:00") == dt.timedelta(hours=23)


def test_builtin_jobs_registered():
    assert {j.name for j in jobs()} >= BUILTIN


@pytest.mark.django_db
def test_tick_every_registered_job_runs_without_error(settings):
    """Each job's run(now) is called the way the scheduler calls it (one once took no argument and
    failed every minute, silently, on every machine)."""
    settings.TASKS = DB_TASKS
    runs = scheduler_tick(now=at("2026-06-01 03:30").astimezone(dt.UTC), owner="one")
    assert {r.name for r in runs} >= BUILTIN
    assert [(r.name, r.error) for r in runs if r.error] == []


# --- one scheduler --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_tick_new_job_due_at_once_then_once_per_period(test_job):
    t0 = at("2026-03-10 12:00:30")
    assert "test_every_minute" in {r.name for r in scheduler_tick(now=t0)}
    assert "test_every_minute" not in {r.name for r in scheduler_tick(now=t0 + dt.timedelta(seconds=20))}
    assert "test_every_minute" in {r.name for r in scheduler_tick(now=at("2026-03-10 12:01:00"))}
    assert test_job == [t0, at("2026-03-10 12:01:00")]
    row = ScheduledJob.objects.get(name="test_every_minute")
    assert row.runs == 2 and row.next_run_at == at("2026-03-10 12:02:00") and not row.leased_by


@pytest.mark.django_db
def test_tick_missed_periods_run_once_not_caught_up(test_job):
    scheduler_tick(now=at("2026-03-10 12:00:00"))
    scheduler_tick(now=at("2026-03-10 15:30:10"))  # the scheduler was down for three and a half hours
    assert len(test_job) == 2
    assert ScheduledJob.objects.get(name="test_every_minute").next_run_at == at("2026-03-10 15:31:00")


@pytest.mark.django_db
def test_tick_failing_job_recorded_retried_others_run(test_job):
    def broken(now):
        raise RuntimeError("Redis borta")

    register_job(Job("test_broken", Daily(hour=1), broken))
    try:
        t0 = at("2026-03-10 12:00:00")
        runs = {r.name: r for r in scheduler_tick(now=t0)}
        assert runs["test_broken"].error == "RuntimeError: Redis borta"
        assert runs["test_every_minute"].result == "ok"
        row = ScheduledJob.objects.get(name="test_broken")
        assert row.last_error == "RuntimeError: Redis borta"
        assert row.next_run_at == t0 + dt.timedelta(minutes=1)  # retried soon, not tomorrow
    finally:
        unregister_job("test_broken")


@pytest.mark.django_db
def test_tick_lease_held_by_another_skipped_until_it_expires(test_job):
    t0 = at("2026-03-10 12:00:00")
    ScheduledJob.objects.create(name="test_every_minute", next_run_at=t0, leased_by="other:1:dead",
                                lease_until=t0 + LEASE)
    assert "test_every_minute" not in {r.name for r in scheduler_tick(now=t0 + dt.timedelta(minutes=1))}
    # the other scheduler died: its lease lapses and the period is run by this one
    late = t0 + LEASE + dt.timedelta(seconds=1)
    assert "test_every_minute" in {r.name for r in scheduler_tick(now=late)}
    assert ScheduledJob.objects.get(name="test_every_minute").leased_by == ""


@pytest.mark.django_db
def test_claim_compare_and_set_second_claimer_loses(test_job):
    from config.scheduling.services import _claim

    t0 = at("2026-03-10 12:00:00")
    ScheduledJob.objects.create(name="test_every_minute", next_run_at=t0)
    assert _claim(now=t0, owner="a", names=["test_every_minute"]) == ["test_every_minute"]
    assert _claim(now=t0, owner="b", names=["test_every_minute"]) == []


@pytest.mark.django_db
def test_run_scheduled_command_runs_due_jobs_once(capsys, settings):
    settings.TASKS = DB_TASKS
    call_command("run_scheduled")
    out = capsys.readouterr().out
    assert all(f"Körde {name} [" in out for name in BUILTIN), out
    call_command("run_scheduled")
    out = capsys.readouterr().out
    assert "purge_draft_daily" not in out and "channel_snapshots" not in out
    call_command("run_scheduled", "--list")
    assert "purge_draft_daily" in capsys.readouterr().out


# --- two schedulers at once -------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_threads_each_job_once_per_period(settings):
    """Two schedulers with their own database connections race on every tick of a simulated day and a
    half (across the night summer time starts): each job runs, and enqueues its tasks, once per period."""
    require_postgres()
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_TASKS
    ChannelFactory(platform=Platform.YOUTUBE, slug="yt-sched", active=True)
    start = at("2026-03-28 22:55").astimezone(dt.UTC)  # arithmetic in UTC: real time, not wall-clock time
    ticks = [start + dt.timedelta(minutes=7 * n) for n in range(40)]
    ticks += [at("2026-03-29 12:00").astimezone(dt.UTC) + dt.timedelta(hours=2 * n, seconds=n) for n in range(14)]
    barrier = threading.Barrier(2)
    runs: list[list] = [[], []]
    errors: list[BaseException] = []

    def scheduler(index: int) -> None:
        try:
            for now in ticks:
                barrier.wait(timeout=30)
                runs[index].extend(scheduler_tick(now=now, owner=f"scheduler-{index}"))
        except BaseException as exc:  # noqa: BLE001 - reported by the test thread
            errors.append(exc)
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    all_runs = runs[0] + runs[1]
    assert not [r for r in all_runs if r.error]
    per_period = Counter((r.name, r.period_start) for r in all_runs)
    assert max(per_period.values()) == 1, [(r.name, r.result, r.period_start) for r in all_runs
                                           if per_period[(r.name, r.period_start)] > 1]
    registered = {j.name: j for j in jobs()}
    for name in BUILTIN:
        expected = {registered[name].schedule.period_start(now) for now in ticks}
        assert {p for (n, p) in per_period if n == name} == expected, name
    assert runs[0] and runs[1], "both schedulers should have won some periods"

    def enqueued(task_name: str) -> int:
        return DBTaskResult.objects.filter(task_path__endswith=task_name).count()

    def ran(name: str) -> int:
        return sum(1 for r in all_runs if r.name == name)

    assert enqueued("platform_actions_sweep") == ran("platform_actions_sweep")
    assert enqueued("purge_lists_draft_daily") == ran("purge_draft_daily") == 3  # 28, 29 and 30 March
    assert enqueued("channel_poll") == ran("channel_polling")
    assert enqueued("channel_snapshot") == ran("channel_snapshots")


@pytest.mark.django_db(transaction=True)
def test_two_scheduler_processes_each_job_once_per_period():
    """Two real `run_scheduler` processes on the same database for a few seconds."""
    require_postgres()
    env = process_env(TASKS_BACKEND="database")
    procs = [manage("run_scheduler", "--tick", "0.2", "--max-ticks", "15", env=env) for _ in range(2)]
    outputs = []
    for p in procs:
        out, _ = p.communicate(timeout=90)
        assert p.returncode == 0, out
        outputs.append(out)
    lines = [m.groups() for out in outputs for m in re.finditer(r"Körde (\w+) \[([^\]]+)\]", out)]
    per_period = Counter(lines)
    assert per_period and max(per_period.values()) == 1, per_period
    assert {name for name, _ in lines} >= BUILTIN
    for name in ("purge_draft_daily", "channel_snapshots"):
        assert ScheduledJob.objects.get(name=name).runs == 1


@pytest.mark.django_db(transaction=True)
def test_run_scheduler_sigterm_stops_cleanly():
    require_postgres()
    proc = manage("run_scheduler", "--tick", "0.2", env=process_env(TASKS_BACKEND="database"))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not ScheduledJob.objects.filter(runs__gt=0).exists():
        time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    assert "Schemaläggaren stoppad." in out
    assert not ScheduledJob.objects.exclude(leased_by="").exists()  # no lease left behind

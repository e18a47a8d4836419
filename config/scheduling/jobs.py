"""The job registry and the schedules (no Django models here: importable from any `ready()`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Every:
    """Every `interval`, on boundaries counted from the epoch (every scheduler computes the same
    periods: 12:00, 12:01, … for one minute)."""

    minutes: int = 0
    hours: int = 0
    seconds: int = 0

    @property
    def interval(self) -> dt.timedelta:
        return dt.timedelta(hours=self.hours, minutes=self.minutes, seconds=self.seconds)

    def period_start(self, at: dt.datetime) -> dt.datetime:
        step = self.interval.total_seconds()
        if step <= 0:
            raise ValueError("Every() needs a positive interval")
        n = int((at - _EPOCH).total_seconds() // step)
        return _EPOCH + dt.timedelta(seconds=n * step)

    def next_after(self, at: dt.datetime) -> dt.datetime:
        return self.period_start(at) + self.interval

    def describe(self) -> str:
        return f"var {int(self.interval.total_seconds())} s"


@dataclass(frozen=True)
class Daily:
    """Once a day at `hour:minute` local time (Europe/Stockholm by default)."""

    hour: int = 0
    minute: int = 0
    tz: str = "Europe/Stockholm"

    def period_start(self, at: dt.datetime) -> dt.datetime:
        local = at.astimezone(ZoneInfo(self.tz))
        start = local.replace(hour=self.hour, minute=self.minute, second=0, microsecond=0)
        if start > local:
            start = (local - dt.timedelta(days=1)).replace(hour=self.hour, minute=self.minute, second=0,
                                                           microsecond=0)
        return start.astimezone(dt.UTC)

    def next_after(self, at: dt.datetime) -> dt.datetime:
        """The next start strictly after `at` (days are 23 or 25 hours long when summer time changes)."""
        local = self.period_start(at).astimezone(ZoneInfo(self.tz))
        while True:
            local = (local + dt.timedelta(days=1)).replace(hour=self.hour, minute=self.minute)
            if local.astimezone(dt.UTC) > at:
                return local.astimezone(dt.UTC)

    def describe(self) -> str:
        return f"dagligen {self.hour:02d}:{self.minute:02d}"


@dataclass(frozen=True)
class Job:
    """A periodic job. `run(now)` enqueues its tasks (it must be quick) and returns a short summary.

    A new job is due at once (its first period is the current one), then once per period of its
    schedule. Missed periods (no scheduler running) are not caught up one by one: the job runs once.
    """

    name: str
    schedule: Every | Daily
    run: Callable[[dt.datetime], str]
    label: str = ""


_jobs: dict[str, Job] = {}


def register_job(job: Job) -> Job:
    """Add (or replace: `ready()` may run twice) a job."""
    _jobs[job.name] = job
    return job


def unregister_job(name: str) -> None:
    _jobs.pop(name, None)


def job(name: str) -> Job:
    return _jobs[name]


def jobs() -> list[Job]:
    return [_jobs[k] for k in sorted(_jobs)]

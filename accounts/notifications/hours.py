"""Office hours: working days (records registers the Swedish calendar at start-up; Monday–Friday
until then) between UPPSIKT_OFFICE_HOURS ("08:00-17:00", local time)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

_working_day: Callable[[dt.date], bool] = lambda day: day.weekday() < 5  # noqa: E731


def set_working_day_rule(rule: Callable[[dt.date], bool]) -> None:
    """Use `rule(date) -> bool` for working days (records' Swedish holidays; accounts cannot import it)."""
    global _working_day
    _working_day = rule


def is_working_day(day: dt.date) -> bool:
    return _working_day(day)


def parse_clock(value: str) -> dt.time:
    try:
        hour, minute = (int(p) for p in value.strip().split(":", 1))
        return dt.time(hour, minute)
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"Ogiltig tid {value!r}: skriv TT:MM, t.ex. 08:00.") from exc


def office_hours() -> tuple[dt.time, dt.time]:
    start, _sep, end = settings.UPPSIKT_OFFICE_HOURS.partition("-")
    first, last = parse_clock(start), parse_clock(end)
    if last <= first:
        raise ImproperlyConfigured(f"UPPSIKT_OFFICE_HOURS={settings.UPPSIKT_OFFICE_HOURS!r}: slutet före början.")
    return first, last


def in_office_hours(at: dt.datetime | None = None) -> bool:
    local = timezone.localtime(at or timezone.now())
    first, last = office_hours()
    return is_working_day(local.date()) and first <= local.time() < last

"""Swedish working days and deadline arithmetic (no Django imports).

Used for the time limits the records side keeps: a request for a public document is handled
promptly (TF 2 kap.; municipalities usually measure it in working days), and a data-subject
request is answered within one month (GDPR art. 12.3).

Non-working days are Saturdays, Sundays, the public holidays of lagen (1989:253) om allmänna
helgdagar plus the national day (6 June), and the three "aftons" that Swedish municipalities
observe as non-working days in practice: midsommarafton, julafton and nyårsafton.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from types import MappingProxyType

__all__ = [
    "add_months",
    "add_working_days",
    "easter_sunday",
    "holidays",
    "is_working_day",
    "next_working_day",
    "working_days_between",
]


def easter_sunday(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _first_saturday_from(start: date) -> date:
    return start + timedelta(days=(5 - start.weekday()) % 7)


@lru_cache(maxsize=256)
def _holidays(year: int) -> Mapping[date, str]:
    easter = easter_sunday(year)
    midsummer_day = _first_saturday_from(date(year, 6, 20))
    days: list[tuple[date, str]] = [
        (date(year, 1, 1), "nyårsdagen"),
        (date(year, 1, 6), "trettondedag jul"),
        (easter - timedelta(days=2), "långfredagen"),
        (easter, "påskdagen"),
        (easter + timedelta(days=1), "annandag påsk"),
        (date(year, 5, 1), "första maj"),
        (easter + timedelta(days=39), "Kristi himmelsfärdsdag"),
        (easter + timedelta(days=49), "pingstdagen"),
        (date(year, 6, 6), "Sveriges nationaldag"),
        (midsummer_day - timedelta(days=1), "midsommarafton"),
        (midsummer_day, "midsommardagen"),
        (_first_saturday_from(date(year, 10, 31)), "alla helgons dag"),
        (date(year, 12, 24), "julafton"),
        (date(year, 12, 25), "juldagen"),
        (date(year, 12, 26), "annandag jul"),
        (date(year, 12, 31), "nyårsafton"),
    ]
    result: dict[date, str] = {}
    for day, name in days:
        # Two holidays can fall on one day (första maj and Kristi himmelsfärdsdag in 2008).
        result[day] = f"{result[day]}, {name}" if day in result else name
    return MappingProxyType(dict(sorted(result.items())))


def holidays(year: int) -> dict[date, str]:
    """The non-working weekdays and holidays of ``year`` with their Swedish names, in date order.

    Includes midsommarafton, julafton and nyårsafton (not public holidays by law, but days
    municipalities keep closed). Weekends are not listed unless a holiday falls on them.
    """
    return dict(_holidays(year))


def is_working_day(d: date) -> bool:
    """True for Monday to Friday unless the day is in :func:`holidays`."""
    if isinstance(d, datetime):
        d = d.date()
    return d.weekday() < 5 and d not in _holidays(d.year)


def next_working_day(d: date) -> date:
    """The first working day on or after ``d``."""
    if isinstance(d, datetime):
        d = d.date()
    while not is_working_day(d):
        d += timedelta(days=1)
    return d


def add_working_days(start: datetime, n: int) -> datetime:
    """The deadline ``n`` whole working days after ``start``.

    The clock time is kept: a request that arrives on Friday at 14:00 with ``n=1`` is due on
    Monday at 14:00. A start outside working days (a Saturday, a holiday) counts from the
    beginning (00:00) of the next working day, so Saturday + 1 is due Tuesday 00:00, i.e. when
    Monday has passed. The time zone (``tzinfo``) of ``start`` is kept; the wall-clock time
    stays the same across a daylight-saving change.
    """
    if n < 0:
        raise ValueError("n must be zero or positive")
    if not isinstance(start, datetime):
        start = datetime.combine(start, time.min)
    day = start.date()
    if not is_working_day(day):
        day = next_working_day(day)
        start = datetime.combine(day, time.min, tzinfo=start.tzinfo)
    for _ in range(n):
        day = next_working_day(day + timedelta(days=1))
    return datetime.combine(day, start.timetz())


def working_days_between(a: date, b: date) -> int:
    """The number of working days ``d`` with ``a < d <= b`` (negative when ``b`` is before ``a``).

    Datetimes are reduced to their dates. For a working day ``a``,
    ``working_days_between(a, add_working_days(a, n)) == n``.
    """
    if isinstance(a, datetime):
        a = a.date()
    if isinstance(b, datetime):
        b = b.date()
    if b < a:
        return -working_days_between(b, a)
    count = 0
    day = a + timedelta(days=1)
    while day <= b:
        if is_working_day(day):
            count += 1
        day += timedelta(days=1)
    return count


def add_months(d: date, months: int = 1) -> date:
    """``d`` plus ``months`` calendar months, clamped to the last day of the target month.

    GDPR art. 12.3 gives one month: a request made on 31 January is due on 28 February
    (29 in a leap year). Datetimes keep their time and time zone. ``months`` may be negative.
    """
    index = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    if not 1 <= year <= 9999:
        raise OverflowError("date out of range")
    day = min(d.day, calendar.monthrange(year, month)[1])
    return d.replace(year=year, month=month, day=day)

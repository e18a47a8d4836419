"""Swedish personal identity numbers: personnummer and samordningsnummer, as people write them.

The rules (folkbokföringslagen 18 and 18 a §§, Skatteverket SKV 704 and 707):

* ten digits ``YYMMDD``, a separator, ``NNNC``; or twelve digits with the century in front. The
  three-digit birth number ``NNN`` is never ``000``; ``C`` is the Luhn check digit over the last ten
  digits (always verified, also in the twelve-digit form).
* the separator of the ten-digit form is ``-`` until the year the person turns 100, then ``+``.
  The century is decided from the full birth date: ``261201-…`` read on 2026-06-01 is a person born
  1926-12-01 (99 years old, "-"); with ``+`` it is 1826. The birth date is never in the future and,
  in the twelve-digit form, never before 1850.
* samordningsnummer: 60 is added to the day (61-91). When the birth date is not fully known,
  Skatteverket issues month ``00`` and/or day ``60`` (day "00" + 60).
* organisation numbers (``212000-0142``, ``556036-0793``) have a "month" of 20 or more, so they are
  never a valid birth date and never reported.

Written forms found in text: ``-``, ``+``, en dash (U+2013), em dash, minus sign (U+2212),
hyphen (U+2010), non-breaking hyphen (U+2011), fullwidth hyphen/plus, a space, a no-break space,
a spaced dash (``811218 - 9876``) or no separator; digits may be fullwidth (``８１１２１８``) or any
other Unicode decimal digits; the number may be glued to letters (``pnr:8112189876``). The reported
span covers the number exactly as written. A 10-digit number that happens to look like a date and
passes the Luhn check (a phone number written without separators, say) cannot be told apart from
a personnummer and is reported as one.

Every regular expression here is linear in the length of the text (no nested repetition; each
starts with a digit that is not preceded by a digit).
"""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata

__all__ = [
    "is_valid_personnummer",
    "is_valid_samordningsnummer",
    "find_identity_numbers",
    "identity_kind",
    "luhn_ok",
]

PLUS = "+\uff0b\ufe62"
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212\ufe63\uff0d"
SPACES = " \u00a0\u2007\u202f"
_SEP = f"[{SPACES}]?[{re.escape(DASHES + PLUS)}][{SPACES}]?|[{SPACES}]"
# a digit not preceded by a digit, 6 or 8 digits, an optional separator, 4 digits, no digit after
_CANDIDATE = re.compile(r"\d(?<!\d\d)(?:\d{5}|\d{7})(?:" + _SEP + r")?\d{4}(?!\d)")
_MIN_YEAR = 1850


def luhn_ok(digits: str) -> bool:
    """The Luhn check over a string of ASCII digits."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _ascii(number: str) -> tuple[str, str] | None:
    """(the digits in ASCII, the separator class: "+", "-" or "") of a written number, or None."""
    digits = []
    sep = ""
    for ch in number:
        if ch.isdigit():
            d = unicodedata.digit(ch, None)
            if d is None:
                return None
            digits.append(chr(48 + d))
        elif ch in PLUS:
            sep = "+"
        elif ch in DASHES:
            sep = sep or "-"
        elif ch not in SPACES:
            return None
    out = "".join(digits)
    if len(out) not in (10, 12):
        return None
    return out, sep


def _birth(digits: str, sep: str, today: datetime.date) -> tuple[str, bool] | None:
    """("personnummer" | "samordningsnummer", ok) for the date part of ``digits`` (10 or 12 ASCII
    digits), or None when no valid birth date can be read."""
    month = int(digits[-8:-6])
    day = int(digits[-6:-4])
    coordination = day >= 60
    if coordination:
        day -= 60
    if month > 12 or (not coordination and (month == 0 or day == 0)):
        return None
    if coordination and month == 0 and day > 31:
        return None
    yy = int(digits[-10:-8])
    if len(digits) == 12:
        year = int(digits[:2]) * 100 + yy
        if year < _MIN_YEAR:
            return None
        if not _date_ok(year, month, day, today):
            return None
    else:
        year = _century(yy, month, day, today)
        if sep == "+":
            year -= 100
        if year < _MIN_YEAR or not _date_ok(year, month, day, today):
            return None
    return ("samordningsnummer" if coordination else "personnummer"), True


def _date_ok(year: int, month: int, day: int, today: datetime.date) -> bool:
    """A real date (month or day 0 = unknown, only for samordningsnummer) not after today."""
    if month == 0:
        return year <= today.year
    if day > calendar.monthrange(year, month)[1]:
        return False
    if day == 0:
        return (year, month) <= (today.year, today.month)
    return datetime.date(year, month, day) <= today


def _century(yy: int, month: int, day: int, today: datetime.date) -> int:
    """The latest year ending in ``yy`` whose birth date (as far as known) is not after today."""
    year = (today.year // 100) * 100 + yy
    known = (month or 1, day or 1)
    if year > today.year or (year == today.year and known > (today.month, today.day)):
        year -= 100
    # 29 February of a year that is not a leap year: the previous century may have it
    if month == 2 and day == 29 and not calendar.isleap(year) and calendar.isleap(year - 100):
        year -= 100
    return year


def identity_kind(number: str, *, today: datetime.date | None = None) -> str | None:
    """``"personnummer"``, ``"samordningsnummer"`` or None for one written number."""
    parsed = _ascii(number.strip())
    if parsed is None:
        return None
    digits, sep = parsed
    if digits[-4:-1] == "000" or not luhn_ok(digits[-10:]):
        return None
    found = _birth(digits, sep, today or datetime.date.today())
    return found[0] if found else None


def is_valid_personnummer(number: str, *, today: datetime.date | None = None) -> bool:
    """True for a valid personnummer in any accepted written form (see the module docstring)."""
    return identity_kind(number, today=today) == "personnummer"


def is_valid_samordningsnummer(number: str, *, today: datetime.date | None = None) -> bool:
    """True for a valid samordningsnummer (day + 60; month 00 / day 60 when unknown)."""
    return identity_kind(number, today=today) == "samordningsnummer"


def find_identity_numbers(text: str, *, today: datetime.date | None = None) -> list[tuple[int, int, str]]:
    """Valid personnummer and samordningsnummer in ``text``: ``[(start, end, kind), ...]`` with the
    span covering the number as written."""
    found = []
    today = today or datetime.date.today()
    for m in _CANDIDATE.finditer(text):
        kind = identity_kind(m.group(), today=today)
        if kind:
            found.append((m.start(), m.end(), kind))
    return found

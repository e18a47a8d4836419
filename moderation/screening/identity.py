"""Swedish personal identity numbers: personnummer and samordningsnummer.

* personnummer: validated with ``stdnum.se.personnummer`` (check digit and a real birth date),
  plus: the birth date may not lie in the future and, in the 12-digit form, not before 1850.
* samordningsnummer (co-ordination number): like a personnummer but 60 is added to the day of
  birth (61-91). ``stdnum`` rejects them, so they are checked here: a real date once 60 is taken
  off the day, not in the future, and the Luhn check digit over the last ten digits.

Accepted spellings: 10 digits (``YYMMDD-NNNC``, ``YYMMDD+NNNC`` for people aged 100 or more,
``YYMMDDNNNC``) and 12 digits (``YYYYMMDD-NNNC``, ``YYYYMMDDNNNC``). A 10-digit number that happens
to look like a date and passes the Luhn check (a phone number written without any separator, say)
cannot be told apart from a personnummer and is reported as one.
"""

from __future__ import annotations

import datetime
import re

from stdnum import luhn
from stdnum.se import personnummer as _pnr

__all__ = ["is_valid_personnummer", "is_valid_samordningsnummer", "find_identity_numbers", "identity_kind"]

_SHAPE = re.compile(r"([0-9]{6}|[0-9]{8})([-+]?)([0-9]{4})")
# a digit not preceded by a digit (the first item is a character class, so re skips fast), then
# 10 or 12 digits with an optional "-" or "+" before the last four, not followed by a digit
_CANDIDATE = re.compile(r"[0-9](?<![0-9]{2})(?:[0-9]{7}|[0-9]{5})[-+]?[0-9]{4}(?![0-9])")


def _parts(number: str):
    m = _SHAPE.fullmatch(number.strip())
    if m is None:
        return None
    return m.group(1), m.group(2), m.group(3)


def _birth_date(date_digits: str, sep: str, day_offset: int, today: datetime.date) -> datetime.date | None:
    try:
        if len(date_digits) == 8:
            year = int(date_digits[:4])
            if year < 1850:
                return None
        else:
            yy = int(date_digits[:2])
            century = today.year // 100
            if yy > today.year % 100:
                century -= 1
            if sep == "+":
                century -= 1
            year = century * 100 + yy
        born = datetime.date(year, int(date_digits[-4:-2]), int(date_digits[-2:]) - day_offset)
    except ValueError:
        return None
    return born if born <= today else None


def is_valid_personnummer(number: str, *, today: datetime.date | None = None) -> bool:
    """True for a valid personnummer in any accepted spelling (see the module docstring)."""
    parts = _parts(number)
    if parts is None or not _pnr.is_valid(number.strip()):
        return False
    return _birth_date(parts[0], parts[1], 0, today or datetime.date.today()) is not None


def is_valid_samordningsnummer(number: str, *, today: datetime.date | None = None) -> bool:
    """True for a valid samordningsnummer (day of birth + 60) in any accepted spelling."""
    parts = _parts(number)
    if parts is None:
        return False
    date_digits, sep, tail = parts
    if not 61 <= int(date_digits[-2:]) <= 91:
        return False
    if _birth_date(date_digits, sep, 60, today or datetime.date.today()) is None:
        return False
    return luhn.is_valid(date_digits[-6:] + tail)


def identity_kind(number: str, *, today: datetime.date | None = None) -> str | None:
    """``"personnummer"``, ``"samordningsnummer"`` or None."""
    if is_valid_personnummer(number, today=today):
        return "personnummer"
    if is_valid_samordningsnummer(number, today=today):
        return "samordningsnummer"
    return None


def find_identity_numbers(text: str, *, today: datetime.date | None = None) -> list[tuple[int, int, str]]:
    """Valid personnummer and samordningsnummer in ``text``: ``[(start, end, kind), ...]``."""
    found = []
    today = today or datetime.date.today()
    for m in _CANDIDATE.finditer(text):
        kind = identity_kind(m.group(), today=today)
        if kind:
            found.append((m.start(), m.end(), kind))
    return found

"""Diarienummer allocation: gap-free, duplicate-free, rollback-safe.

One `NumberCounter` row per (series, year, scope). Allocation increments that row inside the
caller's transaction:

- PostgreSQL: the UPDATE takes the row lock (the lock `select_for_update` takes); a concurrent
  registrar waits at that row until we commit or roll back, then re-reads the committed value
  (READ COMMITTED re-check). So numbers are unique, consecutive, and a rolled-back registration
  gives its number back (the counter update rolls back with it).
- SQLite: the UPDATE takes the database write lock for the rest of the transaction, which
  serialises registrars the same way.
- The very first allocation creates the row; two registrars racing to create it meet the
  unique constraint: the loser's INSERT runs in a savepoint, fails with IntegrityError, and it
  retries on the row the winner created.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from records.models import NumberCounter, Series


def _ensure_counter(*, series: Series, year: int, scope: str) -> int:
    """The counter row's pk, creating the row (value 0) if needed; safe under concurrent creation."""
    found = NumberCounter.objects.filter(series=series, year=year, scope=scope).values_list("pk", flat=True).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():  # savepoint: a lost creation race must not abort the caller
            return NumberCounter.objects.create(series=series, year=year, scope=scope, last_value=0).pk
    except IntegrityError:
        return NumberCounter.objects.values_list("pk", flat=True).get(series=series, year=year, scope=scope)


def number_allocate(*, series: Series, year: int, scope: str = NumberCounter.CASE_SCOPE) -> int:
    """Hand out the next number in (series, year, scope).

    Guarantees: the returned number is one more than the last committed one in that scope; two
    concurrent callers never get the same number; the number is consumed only if the caller's
    transaction commits (call this inside the transaction that stores what the number numbers).
    Case numbers use scope "case" and restart every year; document numbers use
    `NumberCounter.document_scope(case.id)` with the case's year.
    """
    with transaction.atomic():
        pk = _ensure_counter(series=series, year=year, scope=scope)
        NumberCounter.objects.filter(pk=pk).update(last_value=F("last_value") + 1)
        return NumberCounter.objects.select_for_update().values_list("last_value", flat=True).get(pk=pk)

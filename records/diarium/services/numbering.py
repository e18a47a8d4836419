"""Diarienummer allocation: gap-free, duplicate-free, rollback-safe, and the counter locked only at
the end of the registering transaction.

One `NumberCounter` row per (series, year, scope). Taking numbers is one statement,
``UPDATE … SET last_value = last_value + n … RETURNING last_value``, inside the caller's transaction:

- PostgreSQL: the UPDATE takes the row lock; a concurrent registrar's UPDATE waits at that row until
  we commit or roll back, then re-reads the committed value (READ COMMITTED re-check). So the numbers
  committed in a scope are always exactly 1..last_value: a rolled-back registration undoes its
  increment together with the rows that carried the numbers, and the next waiter takes the same
  numbers again.
- SQLite: the UPDATE takes the database write lock for the rest of the transaction, which serialises
  registrars the same way.
- The first allocation in a scope creates the row (INSERT … ON CONFLICT DO NOTHING, so two
  registrars racing to create it both go on to the UPDATE).

Why the lock is held only at the end: whoever holds a counter row blocks every other registrar in
that scope until commit. So a registration (`case_open`, `document_register`, and the services built
on them) runs inside :func:`numbers_deferred`: it inserts its case and document rows WITHOUT a number
(sequence and number NULL), does all its other work (secrecy markings, the source's bookkeeping, a
proposal's status), and only when the unit ends — the last step before the transaction commits —
locks the counters (in one fixed order, so two units never deadlock), takes the numbers in creation
order, writes them, and writes the history and audit rows that name them. A row without a number is
never committed: the unit either assigns every pending number or raises, and the transaction rolls
back with it. Services that combine registrations (a new case and its first document; several
proposals into one case) open one unit around all of them, so the lock is taken once, at the end.
"""

from __future__ import annotations

import logging
import re
import string
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils import timezone

from accounts.models import AuditAction, AuditEvent
from accounts.services import audit_record
from records.diarium.models.documents import DEFAULT_NUMBER_FORMAT, NUMBER_PENDING
from records.models import Case, Document, NumberCounter, Series

log = logging.getLogger("uppsikt.audit")

__all__ = ["after_numbers", "number_allocate", "numbers_deferred", "pending_case", "pending_document"]


def _counter_sql() -> str:
    table = connection.ops.quote_name(NumberCounter._meta.db_table)
    return (f"UPDATE {table} SET last_value = last_value + %s "  # noqa: S608 - table name from the model
            "WHERE series_id = %s AND year = %s AND scope = %s RETURNING last_value")


def number_allocate(*, series: Series | int, year: int, scope: str = NumberCounter.CASE_SCOPE, count: int = 1) -> int:
    """Take the next `count` consecutive numbers in (series, year, scope); return the first of them.

    Guarantees: the numbers follow the last committed one in that scope without a gap; two concurrent
    callers never get the same number; the numbers are consumed only if the caller's transaction
    commits, and the counter row stays locked until then — so call this as late as possible in the
    transaction that stores what the numbers number (registrations do it through
    :func:`numbers_deferred`). Case numbers use scope "case" and restart every year; document numbers
    use `NumberCounter.document_scope(case.id)` with the case's year.
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    series_id = series if isinstance(series, int) else series.pk
    params = [count, series_id, year, scope]
    with connection.cursor() as cursor:
        cursor.execute(_counter_sql(), params)
        row = cursor.fetchone()
        if row is None:
            NumberCounter.objects.bulk_create(
                [NumberCounter(series_id=series_id, year=year, scope=scope, last_value=0)], ignore_conflicts=True)
            cursor.execute(_counter_sql(), params)
            row = cursor.fetchone()
    return int(row[0]) - count + 1


# --- the registration unit ------------------------------------------------------------------------


@dataclass
class _Pending:
    obj: Any
    actor: Any
    detail: dict
    action: str = AuditAction.OTHER


@dataclass
class _Unit:
    cases: list[_Pending] = field(default_factory=list)
    documents: list[_Pending] = field(default_factory=list)
    after: list[Callable[[], Any]] = field(default_factory=list)


_local = threading.local()


@contextmanager
def numbers_deferred() -> Iterator[_Unit]:
    """One registration unit: cases and documents created inside get their numbers when it ends.

    Must run inside `transaction.atomic()` (enter the atomic block first, so the numbers are written
    just before it commits). Nested units join the outermost one. If the block raises, nothing is
    assigned and the exception rolls the pending rows back with the transaction.
    """
    unit: _Unit | None = getattr(_local, "unit", None)
    if unit is not None:
        yield unit
        return
    if not connection.in_atomic_block:
        raise RuntimeError("numbers_deferred() must run inside transaction.atomic()")
    unit = _local.unit = _Unit()
    try:
        yield unit
        _local.unit = None
        _assign(unit)
    finally:
        _local.unit = None


def in_unit() -> bool:
    """True inside a registration unit: a service may then skip its own savepoint (the unit is all or
    nothing: a failure inside it rolls the whole transaction back)."""
    return getattr(_local, "unit", None) is not None


def _current_unit() -> _Unit:
    unit = getattr(_local, "unit", None)
    if unit is None:
        raise RuntimeError("a pending number needs numbers_deferred()")
    return unit


def pending_case(case: Case, *, actor, detail: dict, action: str = AuditAction.OTHER) -> None:
    """Record a case inserted without a number: it gets one, with its history and audit rows, when the
    unit ends."""
    _current_unit().cases.append(_Pending(case, actor, detail, action))


def pending_document(document: Document, *, actor, detail: dict, action: str = AuditAction.OTHER) -> None:
    """Record a document inserted without a number (see pending_case)."""
    _current_unit().documents.append(_Pending(document, actor, detail, action))


def after_numbers(fn: Callable[[], Any]) -> None:
    """Run `fn` once the unit's numbers are written (e.g. tell a source which number it got)."""
    _current_unit().after.append(fn)


def _assign(unit: _Unit) -> None:
    if unit.cases or unit.documents:
        # PostgreSQL, when every new case's number format can be written in SQL: one statement per counter
        # takes the numbers and writes the rows, their "+" history rows and their audit rows.
        fast = connection.vendor == "postgresql" and all(
            _number_expression(p.obj.series, p.obj.year, "0") is not None for p in unit.cases)
        _prepare(unit, history=not fast)
        for key, rows in sorted(_by_counter(unit).items(), key=lambda kv: (kv[0][2] != NumberCounter.CASE_SCOPE,
                                                                           kv[0])):
            if fast:
                _number_postgresql(key, rows, unit)
            else:
                first = number_allocate(series=key[0], year=key[1], scope=key[2], count=len(rows))
                _number_rows(rows, first)
                _write_generic(_with_new_case_documents(rows, unit))
    for fn in unit.after:
        fn()


_HISTORY: dict[type, Any] = {}


def _history(model) -> Any:
    """The model's history manager, made once: simple-history builds a new manager class on every
    `Model.history` access, which costs more than the rest of a registration's Python."""
    manager = _HISTORY.get(model)
    if manager is None:
        manager = _HISTORY[model] = model.history
    return manager


def _prepare(unit: _Unit, *, history: bool) -> None:
    """What needs no lock, before the first counter is locked: the "+" history rows (numbers still NULL;
    with `history`, i.e. unless the PostgreSQL statement writes them), and the document counters of the
    unit's new cases (invisible to anyone else until commit), whose documents are numbered 1..n here."""
    for model, rows in ((Case, unit.cases), (Document, unit.documents)):
        if not rows or not history:
            continue
        for p in rows:
            if p.actor is not None and getattr(p.actor, "is_authenticated", False):
                p.obj._history_user = p.actor
        _history(model).bulk_history_create([p.obj for p in rows])
        for p in rows:
            p.obj.__dict__.pop("_history_user", None)
    in_new = _documents_by_new_case(unit)
    counters = []
    for p in unit.cases:
        docs = in_new.get(p.obj.pk, [])
        counters.append(NumberCounter(series_id=p.obj.series_id, year=p.obj.year,
                                      scope=NumberCounter.document_scope(p.obj.pk), last_value=len(docs)))
        for sequence, d in enumerate(docs, start=1):
            d.obj.sequence = sequence
    NumberCounter.objects.bulk_create(counters)


def _documents_by_new_case(unit: _Unit) -> dict[int, list[_Pending]]:
    new_cases = {p.obj.pk for p in unit.cases}
    in_new: dict[int, list[_Pending]] = defaultdict(list)
    for p in unit.documents:
        if p.obj.case_id in new_cases:
            in_new[p.obj.case_id].append(p)
    return in_new


def _by_counter(unit: _Unit) -> dict[tuple[int, int, str], list[_Pending]]:
    """The pending rows per counter that must be locked: the cases' series counters, and the document
    counters of cases that existed before this unit."""
    new_cases = {p.obj.pk for p in unit.cases}
    wanted: dict[tuple[int, int, str], list[_Pending]] = defaultdict(list)
    for p in unit.cases:
        wanted[(p.obj.series_id, p.obj.year, NumberCounter.CASE_SCOPE)].append(p)
    for p in unit.documents:
        if p.obj.case_id not in new_cases:
            case = p.obj.case
            wanted[(case.series_id, case.year, NumberCounter.document_scope(case.pk))].append(p)
    return wanted


def _number_rows(rows: list[_Pending], first: int) -> None:
    for offset, p in enumerate(rows):
        p.obj.sequence = first + offset
        if isinstance(p.obj, Case):
            p.obj.number = p.obj.series.format_case_number(p.obj.year, p.obj.sequence)
        else:
            case = p.obj.case
            p.obj.number = case.series.format_document_number(case.number, p.obj.sequence)


def _with_new_case_documents(rows: list[_Pending], unit: _Unit) -> list[_Pending]:
    """`rows` plus, for rows that are new cases, their documents (numbered now the case has its number)."""
    result = list(rows)
    in_new = _documents_by_new_case(unit)
    for p in rows:
        if isinstance(p.obj, Case):
            for d in in_new.get(p.obj.pk, []):
                d.obj.case.number, d.obj.case.sequence = p.obj.number, p.obj.sequence
                d.obj.number = p.obj.series.format_document_number(p.obj.number, d.obj.sequence)
                result.append(d)
    return result


def _check(written: dict[str, int], expected: dict[str, int]) -> None:
    if written != expected:
        # A savepoint inside the unit rolled back a pending row after it was recorded: its number is
        # already taken, and going on would leave a gap. Refuse; the transaction rolls back.
        raise RuntimeError(f"pending rows vanished inside the numbering unit ({written} != {expected})")


def _write_generic(rows: list[_Pending]) -> None:
    written: dict[str, int] = defaultdict(int)
    expected: dict[str, int] = defaultdict(int)
    for p in rows:
        obj, model = p.obj, type(p.obj)
        expected[model.__name__] += 1
        written[model.__name__] += model.objects.filter(pk=obj.pk, number__isnull=True).update(
            sequence=obj.sequence, number=obj.number)
        _history(model).filter(id=obj.pk, number__isnull=True).update(sequence=obj.sequence, number=obj.number)
        audit_record(actor=p.actor, action=p.action, target=obj, detail=p.detail)
    _check(dict(written), dict(expected))


# --- PostgreSQL: the locked part in one statement --------------------------------------------------

_AUDIT_FIELDS: list | None = None


def _audit_columns() -> list:
    """AuditEvent's columns (all but the id), in a fixed order: the rows are built like audit_record's."""
    global _AUDIT_FIELDS
    if _AUDIT_FIELDS is None:
        _AUDIT_FIELDS = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    return _AUDIT_FIELDS


def _target_type(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def _audit_values(p: _Pending) -> list:
    """One audit row as audit_record would insert it; the label carries "(numreras)" for the number."""
    user = p.actor if p.actor is not None and getattr(p.actor, "is_authenticated", False) else None
    event = AuditEvent(actor=user, actor_label=(user.get_username() if user else "")[:150], action=p.action,
                       detail=p.detail, target_type=_target_type(type(p.obj)), target_id=str(p.obj.pk),
                       target_label=str(p.obj.audit_label)[:255])
    return [f.get_db_prep_save(f.pre_save(event, True), connection) for f in _audit_columns()]


def _number_expression(series: Series, year: int, seq: str) -> tuple[str, list] | None:
    """The case number as SQL from the SQL integer `seq`, following the series' format; None when the
    format says something SQL cannot (then the Python path formats it)."""
    pieces: list[str] = []
    params: list[Any] = []
    for literal, name, spec, conversion in string.Formatter().parse(series.number_format or DEFAULT_NUMBER_FORMAT):
        if literal:
            pieces.append("%s::text")
            params.append(literal)
        if name is None:
            continue
        if conversion or name not in ("series", "year", "number"):
            return None
        if name != "number":
            pieces.append("%s::text")
            params.append(format(series.code if name == "series" else year, spec or ""))
            continue
        match = re.fullmatch(r"(0?)(\d*)d?", spec or "")
        if match is None or (match.group(2) and not match.group(1)):
            return None
        width = int(match.group(2) or 0)
        text = f"({seq})::text"
        pieces.append(f"(CASE WHEN length({text}) >= {width} THEN {text} ELSE lpad({text}, {width}, '0') END)"
                      if width else text)
    return (" || ".join(pieces) or "''"), params


def _rows_sql(i: int, model, source: str, pending: list[_Pending], params: list) -> list[str]:
    """CTE parts that write the numbers of `source` (id, seq, num) into `model`'s rows and "+" history
    rows, and insert their audit rows with the number in the label."""
    q = connection.ops.quote_name
    table, history = q(model._meta.db_table), q(_history(model).model._meta.db_table)
    columns = _audit_columns()
    casts = ", ".join(f"CAST(%s AS {f.cast_db_type(connection)})" for f in columns)
    aliases = ", ".join(f"c_{f.column}" for f in columns)
    selected = ", ".join("replace(av.c_target_label, %s, n.num)" if f.name == "target_label" else f"av.c_{f.column}"
                         for f in columns)
    audit_params: list[Any] = []
    for p in pending:
        number, p.obj.number = p.obj.number, None  # the label with the placeholder
        audit_params += [p.obj.pk, *_audit_values(p)]
        p.obj.number = number
    historical = _history(model).model
    tracked = [historical._meta.get_field(f.name).column for f in historical.tracked_fields]
    params += audit_params  # av
    params.append(timezone.now())  # h: history_date
    params.append(NUMBER_PENDING)  # a: the placeholder the number replaces
    return [
        f"u{i} AS (UPDATE {table} t SET sequence = n.seq, number = n.num FROM {source} n "  # noqa: S608 - names from the models
        "WHERE t.id = n.id AND t.number IS NULL RETURNING t.*)",
        f"av{i}(id, {aliases}) AS (VALUES " + ", ".join([f"(%s::bigint, {casts})"] * len(pending)) + ")",
        # the "+" history row, as simple-history would write it (history user = the registering user)
        f"h{i} AS (INSERT INTO {history} ({', '.join(q(c) for c in tracked)}, history_date, "  # noqa: S608
        "history_change_reason, history_type, history_user_id) "
        f"SELECT {', '.join('u.' + q(c) for c in tracked)}, %s::timestamptz, NULL, '+', av.c_actor_id "
        f"FROM u{i} u JOIN av{i} av ON av.id = u.id)",
        f"a{i} AS (INSERT INTO {q(AuditEvent._meta.db_table)} ({', '.join(q(f.column) for f in columns)}) "  # noqa: S608
        f"SELECT {selected} FROM av{i} av JOIN {source} n ON n.id = av.id JOIN u{i} u ON u.id = av.id)",
    ]


def _number_postgresql(key: tuple[int, int, str], rows: list[_Pending], unit: _Unit) -> bool:
    """Lock the counter, number the rows, write them, their history and audit rows: ONE statement, so
    the lock is held for it and the commit only. False when a case format needs the Python path."""
    series_id, year, scope = key
    n = len(rows)
    params: list[Any] = [n, series_id, year, scope]
    parts = [f"c AS (UPDATE {connection.ops.quote_name(NumberCounter._meta.db_table)} "  # noqa: S608
             "SET last_value = last_value + %s WHERE series_id = %s AND year = %s AND scope = %s "
             "RETURNING last_value)"]
    parts.append("v(id, ord) AS (VALUES " + ", ".join(["(%s::bigint, %s::integer)"] * n) + ")")
    params += [x for ord_, p in enumerate(rows, start=1) for x in (p.obj.pk, ord_)]
    parts.append(f"x AS (SELECT v.id, (c.last_value - {n} + v.ord)::integer AS seq FROM v CROSS JOIN c)")  # noqa: S608 - n is an int
    selects = ["SELECT 'counter', count(*), NULL::integer, NULL::text FROM c"]
    if scope == NumberCounter.CASE_SCOPE:
        series = rows[0].obj.series
        expression = _number_expression(series, year, "x.seq")
        if expression is None:
            return False
        sql, extra = expression
        parts.append(f"cn AS (SELECT x.id, x.seq, ({sql})::text AS num FROM x)")  # noqa: S608 - values are params
        params += extra
        parts += _rows_sql(0, Case, "cn", rows, params)
        selects.append("SELECT 'case', id, sequence, number::text FROM u0")
        in_new = _documents_by_new_case(unit)
        docs = [d for p in rows for d in in_new.get(p.obj.pk, [])]
        if docs:
            parts.append("dv(id, case_id, seq) AS (VALUES " + ", ".join(["(%s::bigint, %s::bigint, %s::integer)"]
                                                                         * len(docs)) + ")")
            params += [x for d in docs for x in (d.obj.pk, d.obj.case_id, d.obj.sequence)]
            parts.append("dn AS (SELECT dv.id, dv.seq, cn.num || %s::text || dv.seq::text AS num "
                         "FROM dv JOIN cn ON cn.id = dv.case_id)")
            params.append(series.document_separator)
            parts += _rows_sql(1, Document, "dn", docs, params)
            selects.append("SELECT 'document', id, sequence, number::text FROM u1")
    else:
        case = rows[0].obj.case
        parts.append("dn AS (SELECT x.id, x.seq, %s::text || x.seq::text AS num FROM x)")
        params.append(f"{case.number}{case.series.document_separator}")
        parts += _rows_sql(1, Document, "dn", rows, params)
        selects.append("SELECT 'document', id, sequence, number::text FROM u1")
    with connection.cursor() as cursor:
        cursor.execute("WITH " + ", ".join(parts) + " " + " UNION ALL ".join(selects), params)
        result = cursor.fetchall()
    if not next(count for kind, count, _s, _n in result if kind == "counter"):
        # The counter row did not exist yet (a case's first document, a series' first case in a
        # year): nothing was written; create it and run the statement again.
        NumberCounter.objects.bulk_create(
            [NumberCounter(series_id=series_id, year=year, scope=scope, last_value=0)], ignore_conflicts=True)
        return _number_postgresql(key, rows, unit)
    _apply(result, rows, unit)
    return True


def _apply(result: list[tuple], rows: list[_Pending], unit: _Unit) -> None:
    """Put the numbers the statement wrote on the Python objects, and check nothing went missing."""
    numbers = {(kind, pk): (seq, num) for kind, pk, seq, num in result if kind != "counter"}
    touched = _with_new_case_documents(rows, unit) if isinstance(rows[0].obj, Case) else rows
    written: dict[str, int] = defaultdict(int)
    expected: dict[str, int] = defaultdict(int)
    for p in touched:
        kind = "case" if isinstance(p.obj, Case) else "document"
        expected[kind] += 1
        found = numbers.get((kind, p.obj.pk))
        if found is not None:
            written[kind] += 1
            p.obj.sequence, p.obj.number = found
            if kind == "document" and p.obj.case.number is None:
                p.obj.case.number = numbers.get(("case", p.obj.case_id), (None, None))[1]
            log.info("audit %s on %s:%s", p.action, _target_type(type(p.obj)), p.obj.pk)
    _check(dict(written), dict(expected))

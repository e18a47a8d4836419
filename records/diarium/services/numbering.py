"""Diarienummer allocation: gap-free, duplicate-free, rollback-safe, and the counter locked only at
the end of the registering transaction.

One `NumberCounter` row per (series, year, scope). Taking numbers is one statement, an upsert
``INSERT … ON CONFLICT DO UPDATE SET last_value = last_value + n … RETURNING last_value``, inside the
caller's transaction:

- PostgreSQL: the upsert takes the row lock; a concurrent registrar's upsert waits at that row until
  we commit or roll back, then adds to the committed value (READ COMMITTED re-check). So the numbers
  committed in a scope are always exactly 1..last_value: a rolled-back registration undoes its
  increment together with the rows that carried the numbers, and the next waiter takes the same
  numbers again. Two registrars creating a scope's row at once: the second waits for the first's
  insert and then updates it.
- SQLite: the statement takes the database write lock for the rest of the transaction, which
  serialises registrars the same way.

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

Why the COMMIT goes with the numbers (PostgreSQL, `registration_unit` opening the transaction): between
the numbering statement and a separate COMMIT the registering process must get a CPU again, and on a
busy machine that wait (not the server's work) was most of the time the next registrar queued behind the
counter. Sent as one simple query, the server numbers, checks and commits without waiting for us.
"""

from __future__ import annotations

import functools
import logging
import re
import string
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import DataError, connection, transaction
from django.utils import timezone

from accounts.models import AuditAction, AuditEvent
from accounts.services import audit_record
from records.diarium.models.documents import DEFAULT_NUMBER_FORMAT, NUMBER_PENDING
from records.models import Case, Document, NumberCounter, Series

log = logging.getLogger("uppsikt.audit")

__all__ = ["after_numbers", "number_allocate", "numbers_deferred", "pending_case", "pending_document",
           "registration_unit"]


def _counter_sql() -> str:
    """Take `n` numbers: create the counter at n or add n to it, and return the last one (PostgreSQL and
    SQLite ≥ 3.35 both have the upsert with RETURNING). Params: series_id, year, scope, n."""
    table = connection.ops.quote_name(NumberCounter._meta.db_table)
    return (f"INSERT INTO {table} AS k (series_id, year, scope, last_value) VALUES (%s, %s, %s, %s) "  # noqa: S608 - table name from the model
            "ON CONFLICT (series_id, year, scope) DO UPDATE SET last_value = k.last_value + EXCLUDED.last_value "
            "RETURNING last_value")


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
    with connection.cursor() as cursor:
        cursor.execute(_counter_sql(), [series_id, year, scope, count])
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
    # The unit opened the transaction itself: the numbering statement may carry the COMMIT.
    owns_transaction: bool = False


_local = threading.local()


@contextmanager
def registration_unit() -> Iterator[_Unit]:
    """`transaction.atomic()` and `numbers_deferred()` together: what a registering service opens.

    Inside another unit it joins that unit; inside a caller's transaction it is a savepoint of it and
    the counters stay locked until the caller commits. Where it opens the transaction itself, on
    PostgreSQL the numbering statement and the COMMIT go to the server in one round trip, so the
    counter is locked only while the server works: never while this process waits for a CPU between
    the last statement and the COMMIT (measured: that wait, on a busy machine, was most of the time
    registrars queued behind the case counter).
    """
    if in_unit():  # no savepoint of its own: the unit is all or nothing
        with transaction.atomic(savepoint=False), numbers_deferred() as unit:
            yield unit
        return
    # Outside any transaction, and not under a caller's manual transaction (autocommit off), whose COMMIT
    # is the caller's to send.
    owns = not connection.in_atomic_block and connection.get_autocommit()
    with transaction.atomic(), numbers_deferred(owns_transaction=owns) as unit:
        yield unit


@contextmanager
def numbers_deferred(*, owns_transaction: bool = False) -> Iterator[_Unit]:
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
    unit = _local.unit = _Unit(owns_transaction=owns_transaction)
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


def unit_case(case_id: int) -> Case | None:
    """The case opened in the current unit with this id (open, with its series; its number comes when
    the unit ends), or None: a service registering into it need not read it back."""
    unit = getattr(_local, "unit", None)
    if unit is None:
        return None
    return next((p.obj for p in unit.cases if p.obj.pk == case_id), None)


def after_numbers(fn: Callable[[], Any]) -> None:
    """Run `fn` once the unit's numbers are written (e.g. tell a source which number it got)."""
    _current_unit().after.append(fn)


def _assign(unit: _Unit) -> None:
    if unit.cases or unit.documents:
        # PostgreSQL, when every new case's number format can be written in SQL: one statement per counter
        # takes the numbers and writes the rows, their "+" history rows and their audit rows.
        fast = connection.vendor == "postgresql" and all(
            _number_expression(p.obj.series, p.obj.year, "0") is not None for p in unit.cases)
        _prepare(unit, in_sql=fast)
        counters = sorted(_by_counter(unit).items(), key=lambda kv: (kv[0][2] != NumberCounter.CASE_SCOPE, kv[0]))
        for index, (key, rows) in enumerate(counters):
            if fast:
                _number_postgresql(key, rows, unit, commit=index == len(counters) - 1 and _may_commit(unit))
            else:
                first = number_allocate(series=key[0], year=key[1], scope=key[2], count=len(rows))
                _number_rows(rows, first)
                _write_generic(_with_new_case_documents(rows, unit))
    for fn in unit.after:
        fn()


def _may_commit(unit: _Unit) -> bool:
    """The last numbering statement may end the transaction: the unit opened it, nothing is left to do
    in it (no after-numbers work), no savepoint is open and nothing inside asked for a rollback."""
    return (unit.owns_transaction and not unit.after and len(connection.atomic_blocks) == 1
            and not connection.savepoint_ids and not connection.needs_rollback and _client_side_binding())


def _client_side_binding() -> bool:
    """Two statements in one query need the simple query protocol: Django's default client-side binding
    on psycopg 3 (with OPTIONS server_side_binding the COMMIT is sent on its own)."""
    import psycopg

    raw = connection.connection
    return raw is not None and issubclass(getattr(raw, "cursor_factory", object), psycopg.ClientCursor)


_HISTORY: dict[type, Any] = {}


def _history(model) -> Any:
    """The model's history manager, made once: simple-history builds a new manager class on every
    `Model.history` access, which costs more than the rest of a registration's Python."""
    manager = _HISTORY.get(model)
    if manager is None:
        manager = _HISTORY[model] = model.history
    return manager


def _prepare(unit: _Unit, *, in_sql: bool) -> None:
    """What needs no lock, before the first counter is locked: the documents of the unit's new cases are
    numbered 1..n; unless the PostgreSQL statement writes them (`in_sql`), the "+" history rows (numbers
    still NULL) and those cases' document counters (invisible to anyone else until commit)."""
    for model, rows in ((Case, unit.cases), (Document, unit.documents)):
        if not rows or in_sql:
            continue
        for p in rows:
            if p.actor is not None and getattr(p.actor, "is_authenticated", False):
                p.obj._history_user = p.actor
        _history(model).bulk_history_create([p.obj for p in rows])
        for p in rows:
            p.obj.__dict__.pop("_history_user", None)
    in_new = _documents_by_new_case(unit)
    for p in unit.cases:
        for sequence, d in enumerate(in_new.get(p.obj.pk, []), start=1):
            d.obj.sequence = sequence
    if not in_sql:
        NumberCounter.objects.bulk_create([
            NumberCounter(series_id=p.obj.series_id, year=p.obj.year, scope=NumberCounter.document_scope(p.obj.pk),
                          last_value=len(in_new.get(p.obj.pk, []))) for p in unit.cases])


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


@functools.cache
def _rows_sql_parts(model, i: int, source: str) -> tuple[str, str, str, str]:
    """The SQL of _rows_sql that depends only on the model, the CTE index and the source name (built once
    per process: quoting and casting every column cost as much as the rest of a registration's Python)."""
    q = connection.ops.quote_name
    table, history = q(model._meta.db_table), q(_history(model).model._meta.db_table)
    columns = _audit_columns()
    casts = ", ".join(f"CAST(%s AS {f.cast_db_type(connection)})" for f in columns)
    aliases = ", ".join(f"c_{f.column}" for f in columns)
    selected = ", ".join("replace(av.c_target_label, %s, n.num)" if f.name == "target_label" else f"av.c_{f.column}"
                         for f in columns)
    historical = _history(model).model
    tracked = [historical._meta.get_field(f.name).column for f in historical.tracked_fields]
    return (
        f"u{i} AS (UPDATE {table} t SET sequence = n.seq, number = n.num FROM {source} n "  # noqa: S608 - names from the models
        "WHERE t.id = n.id AND t.number IS NULL RETURNING t.*)",
        f"av{i}(id, {aliases}) AS (VALUES ",
        f"(%s::bigint, {casts})",
        # the "+" history row, as simple-history would write it (history user = the registering user)
        f"h{i} AS (INSERT INTO {history} ({', '.join(q(c) for c in tracked)}, history_date, "  # noqa: S608
        "history_change_reason, history_type, history_user_id) "
        f"SELECT {', '.join('u.' + q(c) for c in tracked)}, %s::timestamptz, NULL, '+', av.c_actor_id "
        f"FROM u{i} u JOIN av{i} av ON av.id = u.id), "
        f"a{i} AS (INSERT INTO {q(AuditEvent._meta.db_table)} ({', '.join(q(f.column) for f in columns)}) "  # noqa: S608
        f"SELECT {selected} FROM av{i} av JOIN {source} n ON n.id = av.id JOIN u{i} u ON u.id = av.id)",
    )


def _rows_sql(i: int, model, source: str, pending: list[_Pending], params: list) -> list[str]:
    """CTE parts that write the numbers of `source` (id, seq, num) into `model`'s rows and "+" history
    rows, and insert their audit rows with the number in the label."""
    update, values_head, value_row, inserts = _rows_sql_parts(model, i, source)
    for p in pending:
        number, p.obj.number = p.obj.number, None  # the label with the placeholder
        params += [p.obj.pk, *_audit_values(p)]  # av
        p.obj.number = number
    params.append(timezone.now())  # h: history_date
    params.append(NUMBER_PENDING)  # a: the placeholder the number replaces
    return [update, values_head + ", ".join([value_row] * len(pending)) + ")", inserts]


def _number_postgresql(key: tuple[int, int, str], rows: list[_Pending], unit: _Unit, *, commit: bool = False) -> None:
    """Lock the counter, number the rows, write them, their history and audit rows: ONE statement, so
    the lock is held for it and the commit only. With `commit` the same round trip commits.

    The counter is taken with an upsert, so the first number of a scope needs no second attempt. The
    statement checks itself before anything can commit: if a pending row is gone (a savepoint inside
    the unit rolled it back) the statement fails and the transaction rolls back, numbers and all.
    """
    series_id, year, scope = key
    n = len(rows)
    q = connection.ops.quote_name
    params: list[Any] = [series_id, year, scope, n]
    parts = [f"c AS ({_counter_sql()})"]
    parts.append("v(id, ord) AS (VALUES " + ", ".join(["(%s::bigint, %s::integer)"] * n) + ")")
    params += [x for ord_, p in enumerate(rows, start=1) for x in (p.obj.pk, ord_)]
    parts.append(f"x AS (SELECT v.id, (c.last_value - {n} + v.ord)::integer AS seq FROM v CROSS JOIN c)")  # noqa: S608 - n is an int
    selects = []
    expected: list[tuple[str, int]] = []
    if scope == NumberCounter.CASE_SCOPE:
        series = rows[0].obj.series
        expression = _number_expression(series, year, "x.seq")
        if expression is None:  # _assign only comes here when every format can be written in SQL
            raise RuntimeError(f"the number format of series {series.code} cannot be written in SQL")
        sql, extra = expression
        parts.append(f"cn AS (SELECT x.id, x.seq, ({sql})::text AS num FROM x)")  # noqa: S608 - values are params
        params += extra
        parts += _rows_sql(0, Case, "cn", rows, params)
        selects.append("SELECT 'case', id, sequence, number::text FROM u0")
        expected.append(("u0", n))
        in_new = _documents_by_new_case(unit)
        # each new case's own document counter, at the number of documents registered into it here
        parts.append(f"nc AS (INSERT INTO {q(NumberCounter._meta.db_table)} (series_id, year, scope, last_value) "  # noqa: S608
                     "SELECT %s, %s, cv.scope, cv.n FROM (VALUES "
                     + ", ".join(["(%s::bigint, %s::text, %s::integer)"] * n)
                     + ") cv(id, scope, n) JOIN u0 ON u0.id = cv.id)")
        params += [series_id, year]
        params += [x for p in rows for x in (p.obj.pk, NumberCounter.document_scope(p.obj.pk),
                                             len(in_new.get(p.obj.pk, [])))]
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
            expected.append(("u1", len(docs)))
    else:
        case = rows[0].obj.case
        parts.append("dn AS (SELECT x.id, x.seq, %s::text || x.seq::text AS num FROM x)")
        params.append(f"{case.number}{case.series.document_separator}")
        parts += _rows_sql(1, Document, "dn", rows, params)
        selects.append("SELECT 'document', id, sequence, number::text FROM u1")
        expected.append(("u1", n))
    # The check: a row for each "u" part that wrote fewer rows than pending, whose value is a cast that
    # fails at run time, so the statement (and with it the COMMIT after it) fails.
    for cte, count in expected:
        selects.append(f"SELECT 'missing', ('numreringen saknar rader: ' || (SELECT count(*) FROM {cte}) "  # noqa: S608
                       f"|| ' av {count}')::bigint, NULL::integer, NULL::text "
                       f"WHERE (SELECT count(*) FROM {cte}) <> {count}")
    sql = "WITH " + ", ".join(parts) + " " + " UNION ALL ".join(selects)
    if commit:
        # Simple query protocol (Django's client-side binding): two statements, one round trip. If the
        # first fails, the server skips the COMMIT and the transaction is rolled back as usual.
        sql += "; COMMIT"
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            result = cursor.fetchall()
    except DataError as exc:
        if "numreringen saknar rader" in str(exc):
            raise RuntimeError(f"pending rows vanished inside the numbering unit ({exc})") from exc
        raise
    _apply(result, rows, unit)


def _apply(result: list[tuple], rows: list[_Pending], unit: _Unit) -> None:
    """Put the numbers the statement wrote on the Python objects. Nothing to check here: the statement
    checked itself before it could commit (a missing row made it fail)."""
    numbers = {(kind, pk): (seq, num) for kind, pk, seq, num in result}
    touched = _with_new_case_documents(rows, unit) if isinstance(rows[0].obj, Case) else rows
    for p in touched:
        kind = "case" if isinstance(p.obj, Case) else "document"
        p.obj.sequence, p.obj.number = numbers[(kind, p.obj.pk)]
        if kind == "document" and p.obj.case.number is None:
            p.obj.case.number = numbers[("case", p.obj.case_id)][1]
        log.info("audit %s on %s:%s", p.action, _target_type(type(p.obj)), p.obj.pk)

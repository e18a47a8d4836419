"""SQL pieces the purge shares with the targets' scrubbers: id lists as ONE parameter, fingerprints
computed in the database, history rows removed, statistics refreshed."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import connection, models
from django.db.models import CharField, Func, TextField, Value
from django.db.models.functions import Cast, Coalesce

__all__ = [
    "analyze",
    "fingerprint_expression",
    "fingerprint_of",
    "history_delete",
    "quote",
    "sql_fingerprints",
    "sql_in",
]


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def sql_in(column: str, ids: list) -> tuple[str, list]:
    """`column IN (ids)` with ONE parameter, whatever the number of ids: `= ANY(%s)` with an array
    on PostgreSQL, `IN (SELECT value FROM json_each(%s))` on SQLite (no 5,000-placeholder IN lists)."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(ids)]
    return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(list(ids))]  # noqa: S608


def history_delete(model: type[models.Model], ids: list) -> int:
    """Delete django-simple-history's rows of these objects (the content lives there too)."""
    history = getattr(model, "history", None)
    if history is None:
        return 0
    deleted, _ = history.model.objects.filter(id__in=ids).delete()
    return deleted


def fingerprint_of(values: Any) -> str:
    return hashlib.sha256(json.dumps(values, default=str, sort_keys=True).encode("utf-8")).hexdigest()


class _Sha256Hex(Func):
    """Hex SHA-256 of a text in SQL: PostgreSQL's built-in sha256() (no pgcrypto), SQLite's SHA256
    (registered by Django's backend)."""

    function = "SHA256"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection,
                              template="encode(sha256(convert_to(%(expressions)s, 'UTF8')), 'hex')", **extra_context)


class _Joined(Func):
    """`a || b || c …` flat (Concat nests one pair per argument, too deep for SQLite's parser)."""

    template = "(%(expressions)s)"
    arg_joiner = " || "
    output_field = TextField()


def fingerprint_expression(fields: tuple[str, ...]):
    """The SQL fingerprint of a row: SHA-256 (64 hex) over these fields, NULL-safe, separated."""
    parts: list = []
    for name in fields:
        parts += [Coalesce(Cast(name, TextField()), Value("")), Value("|")]
    return _Sha256Hex(_Joined(*parts))


def sql_fingerprints(model: type[models.Model], fields: tuple[str, ...], ids: list) -> dict[str, str]:
    """{id: fingerprint} computed in the database (the same expression the purge service uses)."""
    rows = model._default_manager.filter(pk__in=list(ids)).annotate(
        fp_=fingerprint_expression(fields)).values_list("pk", "fp_")
    return {str(pk): fp for pk, fp in rows}


def analyze(*models_: type[models.Model]) -> None:
    """Refresh PostgreSQL's statistics of tables a purge has just filled or is about to work through
    (a million fresh lines with stale statistics make the planner scan them all once per batch)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models_:
            cursor.execute(f"ANALYZE {quote(model._meta.db_table)}")


def relaxed_commit() -> None:
    """A purge batch lost in a server crash is rolled back whole (WAL is atomic) and simply redone by
    the next run, so its commit need not wait for the disk (PostgreSQL only; this transaction only)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")

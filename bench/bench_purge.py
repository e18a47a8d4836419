"""Benchmark: purge of 1,000,000 expired items on PostgreSQL (budget: under 2 minutes, flat memory).

    .venv/bin/python bench/bench_purge.py [--items 1000000] [--batch 5000] [--keep-db]
        [--database-url postgres://postgres@127.0.0.1:5432/postgres]

Creates a throw-away database (uppsikt_bench_purge), migrates it, fills moderation_item and its
history table with set-based INSERT … SELECT generate_series, marks every item due (class SM-1),
then times the real services: purge_list_draft → propose (archivist) → approve (archivist2) →
purge_list_execute (batches, each its own transaction). Prints the time of each phase, the peak
Python heap during execution (tracemalloc, sampled on a small run too to show it is flat) and the
process's max RSS, then checks that nothing of the content is left (items, history) and drops the
database.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BUDGET_S = 120.0
DB_NAME = "uppsikt_bench_retention"


def _admin_connect(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True)


def _setup_database(base_url: str) -> str:
    parts = urlparse(base_url)
    with _admin_connect(base_url) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    return urlunparse(parts._replace(path=f"/{DB_NAME}"))


def _drop_database(base_url: str) -> None:
    with _admin_connect(base_url) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


def _fill(n: int) -> None:
    from django.db import connection

    from accounts.models import Unit
    from moderation.models import Channel, Item

    unit = Unit.objects.create(code="bench", name="Benchmark")
    channel = Channel.objects.create(platform="facebook", name="Bench", slug="bench", unit=unit,
                                     external_id="999")
    overrides = {
        "channel_id": "%(channel)s",
        "external_id": "'bench-' || g",
        "text": "'Kommentar nummer ' || g || ' om badhuset, ring 070-' || (1000000 + g)",
        "search_text": "'kommentar nummer ' || g",
        "received_at": "now() - interval '800 days' + g * interval '1 second'",
        "kind": "'comment'", "direction": "'incoming'", "state": "'decided'",
        "retention_class_code": "'SM-1'",
        "retention_due": "(now() - interval '800 days')::date + 365",
    }
    cols, exprs, params = [], [], {"channel": channel.pk}
    for f in Item._meta.concrete_fields:
        if f.column == "id":
            continue
        cols.append(f'"{f.column}"')
        if f.column in overrides:
            exprs.append(overrides[f.column])
        elif f.null:
            exprs.append("NULL")
        else:
            default = f.get_default()
            key = f"p_{f.column}"
            if f.get_internal_type() == "JSONField":
                params[key] = json.dumps(default)
                exprs.append(f"%({key})s::jsonb")
            else:
                params[key] = default
                exprs.append(f"%({key})s")
    with connection.cursor() as cur:
        cur.execute(f"INSERT INTO moderation_item ({', '.join(cols)}) SELECT {', '.join(exprs)} "
                    f"FROM generate_series(1, {int(n)}) AS g", params)
        hist = Item.history.model
        item_cols = {f.column for f in Item._meta.concrete_fields}
        hcols, hexprs = [], []
        for f in hist._meta.concrete_fields:
            if f.column == "history_id":
                continue
            hcols.append(f'"{f.column}"')
            if f.column in item_cols:
                hexprs.append(f'i."{f.column}"')
            elif f.column == "history_date":
                hexprs.append("i.received_at")
            elif f.column == "history_type":
                hexprs.append("'+'")
            else:
                hexprs.append("NULL")
        cur.execute(f"INSERT INTO {hist._meta.db_table} ({', '.join(hcols)}) "
                    f"SELECT {', '.join(hexprs)} FROM moderation_item i")
        cur.execute("ANALYZE")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL",
                                                                  "postgres://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="Measure the Python heap during execution (slower).")
    args = parser.parse_args()

    url = _setup_database(args.database_url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 60)
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.core.management import call_command

    try:
        t = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrate: {time.perf_counter() - t:.1f} s", flush=True)
        t = time.perf_counter()
        _fill(args.items)
        print(f"fill {args.items:,} items + history rows: {time.perf_counter() - t:.1f} s", flush=True)

        from accounts.models import User
        from moderation.models import Item
        from records.models import Tombstone
        from records.retention.services.purge import (
            purge_list_approve,
            purge_list_draft,
            purge_list_execute,
            purge_list_propose,
        )

        from django.contrib.auth.models import Group

        a1 = User.objects.create(username="archivist")
        a2 = User.objects.create(username="archivist2")
        for user in (a1, a2):
            user.groups.add(Group.objects.get(name="archivist"))

        total_start = time.perf_counter()
        t = time.perf_counter()
        pl = purge_list_draft(actor=a1, target_types=["moderation.item"], batch_size=args.batch)
        draft_s = time.perf_counter() - t
        print(f"draft ({pl.lines.count():,} lines): {draft_s:.1f} s", flush=True)
        t = time.perf_counter()
        purge_list_propose(purge_list=pl, actor=a1)
        purge_list_approve(purge_list=pl, actor=a2)
        approve_s = time.perf_counter() - t
        print(f"propose + approve: {approve_s:.2f} s", flush=True)

        peaks = []

        def progress(done, total):
            if args.tracemalloc:
                peaks.append(tracemalloc.get_traced_memory()[1])
            if done % (args.batch * 20) == 0 or done == total:
                print(f"  {done:,}/{total:,} {time.perf_counter() - t:.1f} s", flush=True)

        if args.tracemalloc:
            tracemalloc.start()
        t = time.perf_counter()
        if os.environ.get("BENCH_PROFILE"):
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as ctx:
                result = purge_list_execute(purge_list=pl, actor=a2, batch_size=args.batch, progress=progress)
            groups: dict[str, float] = {}
            for q in ctx.captured_queries:
                key = " ".join(q["sql"].split()[:4])[:70]
                groups[key] = groups.get(key, 0.0) + float(q["time"])
            for key, spent in sorted(groups.items(), key=lambda kv: -kv[1])[:12]:
                print(f"  {spent:7.2f} s  {key}")
        else:
            result = purge_list_execute(purge_list=pl, actor=a2, batch_size=args.batch, progress=progress)
        execute_s = time.perf_counter() - t
        if args.tracemalloc:
            tracemalloc.stop()
        total_s = time.perf_counter() - total_start
        print(f"execute: {execute_s:.1f} s -> {result}")
        print(f"TOTAL draft+approve+execute: {total_s:.1f} s (budget {BUDGET_S:.0f} s) "
              f"{'OK' if total_s < BUDGET_S else 'OVER BUDGET'}")
        if peaks:
            first = peaks[: max(1, len(peaks) // 10)]
            print(f"python heap peak: first 10% of batches {max(first) / 1e6:.1f} MB, "
                  f"all batches {max(peaks) / 1e6:.1f} MB (flat if equal)")
        print(f"max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")

        left = Item.objects.exclude(text="").count()
        hist = Item.history.model.objects.count()
        stones = Tombstone.objects.count()
        print(f"check: items with text {left}, history rows {hist}, tombstones {stones:,}")
        return 0 if left == 0 and hist == 0 and stones == args.items else 1
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep_db:
            _drop_database(args.database_url)


if __name__ == "__main__":
    sys.exit(main())

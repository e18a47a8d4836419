"""Benchmark: purge of 1,000,000 expired items on PostgreSQL by 1 and by 2 worker processes.

Budget (DESIGN.md): under 60 s with two workers, under 2 minutes with one, memory flat, resumable
after `kill -9` of any worker, nothing purged twice, fully logged.

    .venv/bin/python bench/bench_purge.py [--items 1000000] [--batch 5000] [--workers 1,2] [--kill-one]
        [--database-url postgres://postgres@127.0.0.1:5432/postgres] [--keep-db]

For each worker count: creates a throw-away database (uppsikt_bench_retention), migrates it, fills
moderation_item and its history table with set-based INSERT … SELECT generate_series (every item due,
class SM-1), then runs the real services and the real worker: purge_list_draft → propose (archivist) →
approve (archivist2) → purge_list_enqueue (one batch task per chunk, the database task backend) with
N `manage.py db_worker` processes already running. Times the execution from the enqueue to the list
being executed, samples each worker's resident memory (to show it flat), and checks the result: no
content left (items, history), one tombstone and one done line per item, the batches' line counts
adding up to the total (nothing purged twice). `--kill-one` kills one of the workers with SIGKILL at
about a third of the run and lets the others finish the list.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BUDGETS = {1: 120.0, 2: 60.0}
DB_NAME = "uppsikt_bench_retention"
DB_TASKS = "django_tasks_db.DatabaseBackend"


def _admin(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True)


def _database_url(base_url: str) -> str:
    return urlunparse(urlparse(base_url)._replace(path=f"/{DB_NAME}"))


def _recreate_database(base_url: str) -> None:
    with _admin(base_url) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")


def _drop_database(base_url: str) -> None:
    with _admin(base_url) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


def _fill(n: int) -> None:
    from django.db import connection

    from accounts.models import Unit
    from moderation.models import Channel, Item
    from records.models import PurgeBatch, PurgeLine, PurgeList, Tombstone

    for model in (Tombstone, PurgeLine, PurgeBatch, PurgeList, Item.history.model, Item):
        with connection.cursor() as cur:
            cur.execute(f"TRUNCATE {model._meta.db_table} CASCADE")
    unit, _ = Unit.objects.get_or_create(code="bench", defaults={"name": "Benchmark"})
    channel, _ = Channel.objects.get_or_create(slug="bench", defaults={
        "platform": "facebook", "name": "Bench", "unit": unit, "external_id": "999"})
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
            params[key] = json.dumps(default) if f.get_internal_type() == "JSONField" else default
            exprs.append(f"%({key})s::jsonb" if f.get_internal_type() == "JSONField" else f"%({key})s")
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
        # Old items have long been vacuumed in a real database (hint bits set, visibility map current).
        cur.execute(f"VACUUM ANALYZE moderation_item, {hist._meta.db_table}")


class Worker:
    """A `manage.py db_worker` process on the bench database; its resident memory is sampled."""

    def __init__(self, env: dict):
        self.proc = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--queue-name", "retention", "--interval", "0.2",
             "--no-startup-delay", "--no-reload"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.ready = threading.Event()
        self.rss: list[int] = []
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.output.append(line)
            if "Starting worker" in line:
                self.ready.set()

    def sample(self) -> None:
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    self.rss.append(int(line.split()[1]) * 1024)
        except OSError:
            pass

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def _users():
    from django.contrib.auth.models import Group

    from accounts.models import User

    users = []
    for name in ("archivist", "archivist2"):
        user, _ = User.objects.get_or_create(username=name)
        user.groups.add(Group.objects.get(name="archivist"))
        users.append(User.objects.get(pk=user.pk))
    return users


def run(n_workers: int, args, env: dict) -> dict:
    from django.db import connections
    from django.db.models import Sum

    from moderation.models import Item
    from records.models import PurgeBatch, PurgeLine, PurgeList, PurgeListStatus, Tombstone
    from records.retention.services.execution import purge_list_enqueue
    from records.retention.services.purge import (
        purge_list_approve,
        purge_list_counts,
        purge_list_draft,
        purge_list_propose,
    )

    t = time.perf_counter()
    _fill(args.items)
    print(f"  fill {args.items:,} items + history rows: {time.perf_counter() - t:.1f} s", flush=True)
    a1, a2 = _users()
    t = time.perf_counter()
    pl = purge_list_draft(actor=a1, target_types=["moderation.item"])
    draft_s = time.perf_counter() - t
    purge_list_propose(purge_list=pl, actor=a1)
    purge_list_approve(purge_list=pl, actor=a2)
    print(f"  draft ({pl.line_count:,} lines) + propose + approve: {draft_s:.1f} s", flush=True)
    connections.close_all()

    workers = [Worker(env) for _ in range(n_workers)]
    killed = None
    try:
        for w in workers:
            if not w.ready.wait(120):
                raise RuntimeError("worker did not start:\n" + "".join(w.output))
        start = time.perf_counter()
        tasks = purge_list_enqueue(purge_list=pl, actor=a2, batch_size=args.batch)
        last_print = 0.0
        while PurgeList.objects.filter(pk=pl.pk).values_list("status", flat=True).get() != PurgeListStatus.EXECUTED:
            time.sleep(0.5)
            for w in workers:
                w.sample()
            elapsed = time.perf_counter() - start
            counts = purge_list_counts(pl)
            if args.kill_one and killed is None and n_workers > 1 and counts["done"] > args.items / 3:
                killed = workers[0]
                os.kill(killed.proc.pid, signal.SIGKILL)
                print(f"  kill -9 worker pid {killed.proc.pid} at {counts['done']:,} done", flush=True)
            if elapsed - last_print >= 10:
                last_print = elapsed
                print(f"  {counts['done']:,}/{counts['total']:,} after {elapsed:.0f} s", flush=True)
            if elapsed > 900:
                raise RuntimeError("no progress within 15 minutes")
        execute_s = time.perf_counter() - start
    finally:
        for w in workers:
            w.stop()
    counts = purge_list_counts(PurgeList.objects.get(pk=pl.pk))
    batches = PurgeBatch.objects.filter(purge_list=pl)
    summed = batches.aggregate(n=Sum("lines"))["n"]
    once = (summed == args.items and not PurgeLine.objects.filter(purge_list=pl, batch__isnull=True).exists()
            and Tombstone.objects.filter(purge_list=pl).count() == args.items)
    left = Item.objects.exclude(text="").count()
    hist = Item.history.model.objects.count()
    rss = [(max(w.rss[: max(1, len(w.rss) // 10)]) if w.rss else 0, max(w.rss) if w.rss else 0)
           for w in workers if w is not killed]
    return {"workers": n_workers, "tasks": tasks, "draft_s": draft_s, "execute_s": execute_s, "counts": counts,
            "batches": batches.count(), "by_worker": batches.values("worker").distinct().count(),
            "exactly_once": once, "left": left, "history": hist, "rss": rss, "killed": killed is not None}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--workers", default="1,2", help="Worker counts to run, e.g. 1,2.")
    parser.add_argument("--kill-one", action="store_true", help="SIGKILL one worker a third of the way through.")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL",
                                                                  "postgres://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()

    _recreate_database(args.database_url)
    url = _database_url(args.database_url)
    env = {**os.environ, "DATABASE_URL": url, "TASKS_BACKEND": DB_TASKS, "DEBUG": "0", "LOG_LEVEL": "INFO",
           "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-" + "x" * 60), "ALLOWED_HOSTS": "localhost"}
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "TASKS_BACKEND", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")})
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.core.management import call_command

    results = []
    try:
        t = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrate: {time.perf_counter() - t:.1f} s", flush=True)
        for n in [int(x) for x in args.workers.split(",")]:
            print(f"{n} worker(s):", flush=True)
            results.append(run(n, args, env))
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep_db:
            _drop_database(args.database_url)

    ok = True
    print(f"\npurge of {args.items:,} items, batches of {args.batch:,} (PostgreSQL, {os.cpu_count()} cores)")
    for r in results:
        budget = None if r["killed"] else BUDGETS.get(r["workers"])  # a killed run is about recovery, not speed
        within = budget is None or r["execute_s"] < budget
        good = within and r["exactly_once"] and r["left"] == 0 and r["history"] == 0 and r["counts"]["pending"] == 0
        ok = ok and good
        rss = ", ".join(f"{a / 1e6:.0f} → {b / 1e6:.0f} MB" for a, b in r["rss"])
        print(f"- {r['workers']} worker(s): execute {r['execute_s']:.1f} s"
              + (f" (budget {budget:.0f} s) {'OK' if within else 'OVER BUDGET'}" if budget
                 else " (one worker killed a third of the way: not judged against the budget)" if r["killed"] else "")
              + f"; {args.items / r['execute_s']:,.0f} items/s; draft {r['draft_s']:.1f} s; "
              f"total {r['draft_s'] + r['execute_s']:.1f} s")
        print(f"    {r['tasks']} batch tasks, {r['batches']} batches logged by {r['by_worker']} worker(s); "
              f"done {r['counts']['done']:,}, refused {r['counts']['refused']}, pending {r['counts']['pending']}; "
              f"each line exactly once: {'yes' if r['exactly_once'] else 'NO'}"
              + ("; one worker killed with SIGKILL, the list finished: yes" if r["killed"] else ""))
        print(f"    worker memory (first 10% of samples → peak): {rss}; "
              f"left: items with text {r['left']}, history rows {r['history']}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: tasks per second through two workers (Redis and database queues), and backup/restore time
and size of the demo database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_workers.py [--tasks 2000]
    .venv/bin/python bench/bench_workers.py          # SQLite: backup/restore only (workers need PostgreSQL)

Creates a throw-away database (test_uppsikt_bench_workers), migrates it and loads the demo municipality
(seed_demo). Then:
1. enqueues N `platform_actions_sweep` tasks (each a query on the outbox: a small real task) on Redis
   (database 8 on 127.0.0.1:6379, flushed) and times two `manage.py run_worker` processes until every task
   has finished; the same through the database queue;
2. `backup` of the demo database and its files, and `restore` of it into a fresh database by a separate
   process; prints sizes and times and checks the row counts are equal.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REDIS = "redis://127.0.0.1:6379/8"
QUEUES = ["default", "platform", "screening", "retention"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=2000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="uppsikt-bench-workers-"))
    os.environ.setdefault("SQLITE_TEST_NAME", str(tmp / "bench.sqlite3"))
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    os.environ["UPPSIKT_PURGE_JOURNAL_DIR"] = str(tmp / "journal")
    os.environ["UPPSIKT_DEMO_PASSWORD"] = "bench-demo-password-1"
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _django_bench import bench_database

    with bench_database("uppsikt_bench_workers") as connection:
        from django.core.management import call_command

        t0 = time.perf_counter()
        call_command("seed_demo", verbosity=0)
        print(f"seed_demo: {time.perf_counter() - t0:.1f} s")
        url = _url(connection)
        if connection.vendor == "postgresql":
            _throughput(url, args.tasks, "redis")
            _throughput(url, args.tasks, "database")
        else:
            print("workers: skipped (several processes need PostgreSQL: set DATABASE_URL)")
        return _backup_restore(url, tmp, connection)


def _url(connection) -> str:
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    return f"sqlite:///{s['NAME']}"


def _env(url: str, **extra: str) -> dict:
    return {**os.environ, "DATABASE_URL": url, "CONN_MAX_AGE": "0", "LOG_LEVEL": "WARNING", **extra}


def _throughput(url: str, n: int, kind: str) -> None:
    from django.test import override_settings

    from config.tasks import task_backends
    from moderation.platforms.tasks import platform_actions_sweep

    if kind == "redis":
        import redis

        redis.Redis.from_url(REDIS).flushdb()
        tasks = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": QUEUES}}
        rq = {q: {"URL": REDIS, "DEFAULT_TIMEOUT": 300} for q in QUEUES}
    else:
        tasks = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": QUEUES}}
        rq = {}
    with override_settings(TASKS=tasks, RQ_QUEUES=rq or None, REDIS_URL=REDIS):
        t0 = time.perf_counter()
        results = [platform_actions_sweep.enqueue() for _ in range(n)]
        enqueue_s = time.perf_counter() - t0
        env = _env(url, TASKS_BACKEND=kind, REDIS_URL=REDIS)
        started = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, "manage.py", "run_worker", "--interval", "0.05", "-v", "0"],
                                  cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for _ in range(2)]
        backend = task_backends["default"]
        last = results[-1]
        while True:
            if backend.get_result(last.id).finished_at and all(
                    backend.get_result(r.id).finished_at for r in results[:: max(1, n // 50)]):
                break
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=60)
        final = [backend.get_result(r.id) for r in results]
        failed = sum(1 for r in final if r.status.name == "FAILED")
        workers = {w for r in final for w in r.worker_ids}
        busy = (max(r.finished_at for r in final) - min(r.started_at for r in final)).total_seconds()
    print(f"{kind:8} queue, 2 workers: {n} tasks, {n / busy:,.0f} tasks/s from the first start to the last "
          f"finish ({busy:.1f} s; {elapsed:.1f} s with the workers' start-up); enqueue {n / enqueue_s:,.0f}/s; "
          f"workers used {len(workers)}; failed {failed}".replace(",", " "))


def _backup_restore(url: str, tmp: Path, connection) -> int:
    import psycopg  # noqa: F401 - PostgreSQL only below
    from django.core.management import call_command

    from config.backup.services import row_counts

    out = tmp / "backup"
    t0 = time.perf_counter()
    call_command("backup", out=str(out), stderr=open(os.devnull, "w"))  # noqa: SIM115
    backup_s = time.perf_counter() - t0
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    files = sum(1 for p in (out / "media").rglob("*") if p.is_file()) if (out / "media").exists() else 0
    before = row_counts()
    print(f"backup ({connection.vendor}): {backup_s:.2f} s, {size / 1e6:.2f} MB, {files} files, "
          f"{sum(before.values())} rows in {len(before)} tables")
    if connection.vendor == "postgresql":
        import psycopg

        fresh = url.rsplit("/", 1)[0] + "/uppsikt_bench_workers_restore"
        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS uppsikt_bench_workers_restore WITH (FORCE)")
            conn.execute("CREATE DATABASE uppsikt_bench_workers_restore")
    else:
        fresh = f"sqlite:///{tmp / 'fresh.sqlite3'}"
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "manage.py", "restore", str(out)], cwd=ROOT, capture_output=True, text=True,
                       env=_env(fresh, MEDIA_ROOT=str(tmp / "fresh-media")))
    restore_s = time.perf_counter() - t0
    if r.returncode != 0:
        print(r.stdout, r.stderr)
        return 1
    ok = "Tabeller med andra radantal" not in r.stdout
    print(f"restore into a fresh database (separate process, incl. start-up and checksum check): "
          f"{restore_s:.2f} s; row counts equal: {ok}")
    if connection.vendor == "postgresql":
        import psycopg

        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS uppsikt_bench_workers_restore WITH (FORCE)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Purge at scale on PostgreSQL: real worker processes (`manage.py db_worker`, the database task backend)
share one purge list through SELECT … FOR UPDATE SKIP LOCKED; every line is done exactly once; a worker
killed with SIGKILL in the middle of a batch leaves nothing half done and the list is resumed."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.test import override_settings
from django.utils import timezone

from moderation.models import Item
from records.models import PurgeBatch, PurgeLine, PurgeLineStatus, PurgeList, PurgeListStatus, Tombstone
from records.retention.services.execution import purge_list_enqueue, purge_list_execute
from records.retention.services.purge import purge_list_approve, purge_list_draft, purge_list_propose
from tests.factories import AuthorFactory, ChannelFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                        "QUEUES": ["default", "platform", "screening", "retention"]}}


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED and worker processes are tested on PostgreSQL")


def _due_items(n: int) -> None:
    channel = ChannelFactory()
    author = AuthorFactory(channel=channel)
    old = timezone.now() - dt.timedelta(days=800)
    Item.objects.bulk_create([
        Item(channel=channel, author=author, external_id=f"w-{i}", text=f"Kommentar {i}, ring 070-{1000000 + i}",
             received_at=old, retention_class_code="SM-1", retention_due=dt.date(2025, 1, 1), state="decided")
        for i in range(n)
    ], batch_size=5000)


def _approved(users, make_user) -> PurgeList:
    archivist2 = make_user("archivist", username="archivist2")
    pl = purge_list_draft(actor=users["archivist"], target_types=["moderation.item"])
    purge_list_propose(purge_list=pl, actor=users["archivist"])
    return purge_list_approve(purge_list=pl, actor=archivist2)


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Worker:
    """One `manage.py db_worker` process on the test database; `ready` once it has started polling."""

    def __init__(self):
        env = {**os.environ, "DATABASE_URL": _database_url(), "TASKS_BACKEND": DB_TASKS["default"]["BACKEND"],
               "LOG_LEVEL": "INFO", "CONN_MAX_AGE": "0"}
        env.pop("TEST_DATABASE_NAME", None)
        self.proc = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--queue-name", "retention", "--interval", "0.1",
             "--no-startup-delay", "--no-reload"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.ready = threading.Event()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.output.append(line)
            if "Starting worker" in line:
                self.ready.set()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _wait(condition, timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _assert_each_line_done_once(pl: PurgeList, total: int) -> None:
    assert PurgeLine.objects.filter(purge_list=pl, status=PurgeLineStatus.DONE).count() == total
    assert not PurgeLine.objects.filter(purge_list=pl, batch__isnull=True).exists()
    # Each committed batch counted the lines it claimed; a line claimed twice would be counted twice.
    assert PurgeBatch.objects.filter(purge_list=pl).aggregate(n=Sum("lines"))["n"] == total
    per_batch = dict(PurgeLine.objects.filter(purge_list=pl).values_list("batch").annotate(n=Count("id")))
    assert per_batch == dict(PurgeBatch.objects.filter(purge_list=pl).values_list("pk", "lines"))
    assert Tombstone.objects.filter(purge_list=pl).count() == total
    assert not Item.objects.filter(purged_at__isnull=True).exists()
    assert not Item.objects.exclude(text="").exists()


def test_two_worker_processes_share_one_list_each_line_done_once(users, make_user):
    total = 12000
    _due_items(total)
    pl = _approved(users, make_user)
    workers = [Worker(), Worker()]
    try:
        for w in workers:
            assert w.ready.wait(60), "".join(w.output)
        with override_settings(TASKS=DB_TASKS):
            tasks = purge_list_enqueue(purge_list=pl, actor=users["archivist"], batch_size=200)
        assert tasks == total // 200
        _wait(lambda: PurgeList.objects.get(pk=pl.pk).status == PurgeListStatus.EXECUTED, 180, "the list")
    finally:
        for w in workers:
            w.stop()
    _assert_each_line_done_once(pl, total)
    assert PurgeBatch.objects.filter(purge_list=pl).values("worker").distinct().count() == 2


def test_worker_killed_mid_batch_leaves_nothing_half_done_and_list_resumes(users, make_user):
    total = 3000
    _due_items(total)
    pl = _approved(users, make_user)
    blocker = _other_connection()
    worker = Worker()
    try:
        assert worker.ready.wait(60), "".join(worker.output)
        # Hold one item's row: the worker's batch stops inside its scrub, mid-batch, with its lines
        # claimed, its batch row and tombstones written but not committed.
        blocker.execute("BEGIN")
        blocker.execute("SELECT id FROM moderation_item ORDER BY id LIMIT 1 FOR UPDATE")
        with override_settings(TASKS=DB_TASKS):
            purge_list_enqueue(purge_list=pl, actor=users["archivist"], batch_size=1000)
        _wait(_worker_waits_on_item_row, 60, "the worker to block inside its batch")
        os.kill(worker.proc.pid, signal.SIGKILL)
        worker.proc.wait(timeout=10)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
        worker.stop()
    # Nothing of the interrupted batch is left: no batch, no tombstone, no purged item.
    _wait(lambda: not _other_backends_in_transaction(), 30, "PostgreSQL to roll the dead worker back")
    assert not PurgeBatch.objects.filter(purge_list=pl).exists()
    assert not Tombstone.objects.exists()
    assert not Item.objects.filter(purged_at__isnull=False).exists()
    assert PurgeList.objects.get(pk=pl.pk).status == PurgeListStatus.EXECUTING
    # Resumed (here in this process, as `manage.py purge_execute` does): every line exactly once.
    result = purge_list_execute(purge_list=pl, actor=users["archivist"], batch_size=1000)
    assert result["status"] == PurgeListStatus.EXECUTED and result["done"] == total
    _assert_each_line_done_once(pl, total)


def _other_connection():
    import psycopg

    return psycopg.connect(_database_url(), autocommit=True)


def _worker_waits_on_item_row() -> bool:
    # A fresh connection: pg_stat_activity is a snapshot taken once per transaction.
    with _other_connection() as probe:
        row = probe.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' "
            "AND query LIKE 'UPDATE \"moderation_item\" SET text%'").fetchone()
    return row[0] > 0


def _other_backends_in_transaction() -> bool:
    with _other_connection() as probe:
        row = probe.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend' AND state LIKE 'idle in transaction%%' OR "
            "(datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock')").fetchone()
    return row[0] > 0

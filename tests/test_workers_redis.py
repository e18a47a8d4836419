"""Workers on several machines: the Redis task backend (django-tasks-rq) against the real Redis on
127.0.0.1:6379 (database 7, flushed by these tests only) with two `run_worker` processes sharing the
PostgreSQL test database. Webhook processing, platform actions, re-screening and purge execution all run
there; the purge is enqueued twice so both workers run it at once, and nothing is purged twice."""

from __future__ import annotations

import datetime as dt
import os
import signal
import time

import pytest
from django.core.management import call_command

from config.tasks import TaskResultStatus, task_backends
from moderation.models import (
    Flag,
    Item,
    PlatformAction,
    PlatformActionKind,
    PlatformActionStatus,
    ScreeningRun,
    WebhookDelivery,
    WebhookStatus,
)
from records.models import PurgeLine, PurgeLineStatus, PurgeList, PurgeListStatus, Tombstone
from tests.factories import DetectorFactory, ItemFactory, RuleFactory
from tests.fakeplatform import builders as b
from tests.platform_fixtures import *  # noqa: F403 - fixtures
from tests.platform_fixtures import post_delivery
from tests.process_helpers import REDIS_TEST_URL, kill_tree, manage, process_env, require_postgres

pytestmark = pytest.mark.django_db(transaction=True)

QUEUES = ["default", "platform", "screening", "retention"]
OLD = dt.datetime(2025, 1, 10, 9, 0, tzinfo=dt.UTC)


def wait_for(predicate, *, timeout: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what or predicate}")


@pytest.fixture
def redis_db():
    import redis

    client = redis.Redis.from_url(REDIS_TEST_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.fail(f"Redis svarar inte på {REDIS_TEST_URL} (.ci/run startar redis-server)")
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture
def rq_backend(settings, redis_db):
    """This test process enqueues on Redis (the workers are told the same through their environment)."""
    settings.REDIS_URL = REDIS_TEST_URL
    settings.RQ_QUEUES = {q: {"URL": REDIS_TEST_URL, "DEFAULT_TIMEOUT": 300} for q in QUEUES}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": QUEUES}}
    return task_backends["default"]


@pytest.fixture
def start_workers(rq_backend):
    procs = []

    def start(n: int = 2, **env: str):
        worker_env = process_env(TASKS_BACKEND="redis", REDIS_URL=REDIS_TEST_URL, **env)
        for i in range(n):
            procs.append(manage("run_worker", "--name", f"test-worker-{os.getpid()}-{i}", env=worker_env))
        return procs

    yield start
    for p in procs:
        if p.poll() is None:
            out = kill_tree(p)
            print(f"--- worker {p.pid} (killed) ---\n{out[-4000:]}")  # shown when the test failed


def stop(procs) -> list[str]:
    """SIGTERM each worker; each must finish cleanly (exit 0)."""
    outputs = []
    for p in procs:
        p.send_signal(signal.SIGTERM)
    for p in procs:
        out, _ = p.communicate(timeout=60)
        assert p.returncode == 0, out
        outputs.append(out)
    return outputs


def read_line_containing(proc, text: str, *, timeout: float = 60) -> str:
    """The first line of the process's output that holds `text` (earlier lines are dropped)."""
    import select

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            break
        line = proc.stdout.readline()
        if not line:
            raise AssertionError(f"the process ended before printing {text!r}")
        if text in line:
            return line
    raise AssertionError(f"timed out waiting for {text!r}")


def result_of(task_result):
    return task_backends["default"].get_result(task_result.id)


def wait_results(results, timeout: float = 120) -> list:
    done: list = []

    def finished() -> bool:
        done[:] = [result_of(r) for r in results]
        return all(r.status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED) for r in done)

    wait_for(finished, timeout=timeout, what="task results")
    failed = [(r.task.name, r.errors[-1].traceback[-800:]) for r in done if r.status == TaskResultStatus.FAILED]
    assert not failed, failed
    return done


def test_run_worker_redis_two_processes_run_every_kind_of_task(
        client, platform_urls, fb_channel, users, start_workers, make_user):
    require_postgres()
    fake = platform_urls
    procs = start_workers(2, UPPSIKT_GRAPH_URL=fake.url, UPPSIKT_PLATFORM_TIMEOUT="2")
    from moderation.platforms.tasks import webhook_delivery_process  # noqa: F401 - imported by the workers too

    # 1. webhook processing: 20 signed deliveries, each enqueued on Redis when its row commits
    comment_ids = [f"137542570280222_1396202334{n:05d}" for n in range(20)]
    for n, cid in enumerate(comment_ids):
        text = "Jävla kommun" if n < 5 else f"Tack för infon {n}"
        payload = b.delivery("page", [b.entry(b.PAGE_ID, b.facebook_comment_change(comment_id=cid, message=text))])
        assert post_delivery(client, fb_channel, payload).status_code == 200
    wait_for(lambda: WebhookDelivery.objects.filter(status=WebhookStatus.PROCESSED).count() == 20,
             what="20 processed deliveries")
    assert Item.objects.filter(channel=fb_channel, external_id__in=comment_ids).count() == 20

    # 2. platform actions: five removals carried out on the (fake) platform, each DELETE sent once
    from moderation.queue.services.decisions import item_decide

    rule = RuleFactory(code="profanity")
    to_remove = list(Item.objects.filter(external_id__in=comment_ids[:5]))
    for item in to_remove:
        fake.add_comment(item.external_id, text=item.text)
        item_decide(item=item, action="remove", actor=users["moderator"], rules=[rule], note="Svordomar")
    wait_for(lambda: PlatformAction.objects.filter(kind=PlatformActionKind.DELETE,
                                                   status=PlatformActionStatus.DONE).count() == 5,
             what="five DELETEs done")
    deletes = sorted(c.path.rsplit("/", 1)[-1] for c in fake.calls if c.method == "DELETE")
    assert deletes == sorted(comment_ids[:5])

    # 3. re-screening after a detector change
    from moderation.screening.tasks import detectors_rescreen_task

    DetectorFactory(terms="infon", rule=RuleFactory(code="advertising"))
    wait_results([detectors_rescreen_task.enqueue(None)])
    run = ScreeningRun.objects.latest("pk")
    assert run.finished_at is not None and run.flags_created == 15
    assert Flag.objects.filter(rule__code="advertising").count() == 15

    # 4. purge: one approved list of 300 items, executed by both workers at once
    from records.retention.services.plan import retention_assign
    from records.retention.services.purge import purge_list_approve, purge_list_draft, purge_list_propose
    from records.retention.tasks import purge_list_execute_task

    items = [ItemFactory(received_at=OLD + dt.timedelta(minutes=i), text=f"Gammal kommentar {i}")
             for i in range(300)]
    retention_assign(target_type="moderation.item", objects=items)
    archivist2 = make_user("archivist", username="archivist2")
    pl = purge_list_draft(actor=users["archivist"], target_types=["moderation.item"])
    purge_list_propose(purge_list=pl, actor=users["archivist"])
    purge_list_approve(purge_list=pl, actor=archivist2)
    results = wait_results([purge_list_execute_task.enqueue(pl.pk, archivist2.pk, 25) for _ in range(2)])
    # Each run claims batches and enqueues the rest as batch tasks that both workers share: the list is
    # executed when the last batch is done, after the runs themselves have finished.
    wait_for(lambda: PurgeList.objects.get(pk=pl.pk).status == PurgeListStatus.EXECUTED, timeout=120,
             what="the purge list executed")
    pl.refresh_from_db()
    assert PurgeLine.objects.filter(purge_list=pl, status=PurgeLineStatus.DONE).count() == 300
    assert Tombstone.objects.filter(purge_list=pl).count() == 300
    assert not Item.objects.filter(pk__in=[i.pk for i in items], text__startswith="Gammal").exists()
    workers = {w for r in results for w in r.worker_ids}
    assert len(workers) == 2, workers  # the two workers each took one of the two runs

    outputs = stop(procs)
    assert all("Arbetare för redis-kön" in out for out in outputs)


def test_run_worker_redis_batch_fork_runs_queue_and_exits(start_workers, rq_backend):
    require_postgres()
    from moderation.platforms.tasks import platform_actions_sweep

    queued = [platform_actions_sweep.enqueue() for _ in range(30)]
    env = process_env(TASKS_BACKEND="redis", REDIS_URL=REDIS_TEST_URL)
    proc = manage("run_worker", "--batch", "--fork", "--queue", "platform", env=env)  # the forking variant
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0, out
    assert all(result_of(r).status == TaskResultStatus.SUCCESSFUL for r in queued)


def test_run_worker_database_backend_two_processes(settings):
    require_postgres()
    from django_tasks_db.models import DBTaskResult

    from moderation.platforms.tasks import platform_actions_sweep

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": QUEUES}}
    env = process_env(TASKS_BACKEND="database")
    procs = [manage("run_worker", "--interval", "0.1", env=env) for _ in range(2)]
    # Both workers must be polling before the work arrives: one that started a second earlier would
    # otherwise drain all forty before the other had loaded Django.
    started = [read_line_containing(p, "Arbetare för database-kön") for p in procs]
    time.sleep(0.5)
    for _ in range(40):
        platform_actions_sweep.enqueue()
    wait_for(lambda: DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 40, what="40 tasks done")
    stop(procs)
    assert all("köer: default, platform" in line for line in started), started
    worker_ids = {w for ids in DBTaskResult.objects.values_list("worker_ids", flat=True) for w in ids}
    assert len(worker_ids) == 2


def test_run_worker_unknown_queue_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Okänd kö: nope"):
        call_command("run_worker", "--queue", "nope")


def test_run_worker_immediate_backend_has_no_worker():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ingen arbetare"):
        call_command("run_worker", "--batch")

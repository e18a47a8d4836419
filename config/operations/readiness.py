"""`/readyz`: may this process take traffic? Database (reachable, migrations applied), the task
backend (its store answers) and storage (a file can be written, read back and removed).

`/healthz` says the process is alive; `/readyz` is what a load balancer or systemd's start-up
check waits for. A failed check answers 503 with a JSON body naming what failed; the reason is
logged, never sent (the body is public).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

log = logging.getLogger("uppsikt.readiness")

_migrations_checked = False


def check_database() -> None:
    """One round trip, and (once per process, until it succeeds) no unapplied migration: a web
    process of a newer release must not take traffic before `migrate` has run."""
    global _migrations_checked
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    if not _migrations_checked:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            raise RuntimeError(f"{len(pending)} migrations are not applied")
        _migrations_checked = True


def task_backend_class() -> str:
    return str(settings.TASKS.get("default", {}).get("BACKEND", ""))


def check_tasks() -> None:
    """The default task backend's store answers: its table for the database backend, a PING to
    every Redis connection of the queues for the RQ backend. In-process backends (immediate,
    dummy) have no store to check."""
    backend = task_backend_class()
    if backend.endswith("DatabaseBackend"):
        from django.apps import apps

        model = apps.get_model("django_tasks_database", "DBTaskResult")
        list(model.objects.order_by().values_list("pk", flat=True)[:1])
    elif backend.endswith("RQBackend"):
        import django_rq  # present whenever the RQ backend is configured

        for queue in settings.TASKS["default"].get("QUEUES", ["default"]):
            django_rq.get_connection(queue).ping()


def check_storage() -> None:
    """Write, read back and delete a small file in every storage except static files."""
    for alias in settings.STORAGES:
        if alias == "staticfiles":
            continue
        storage = storages[alias]
        payload = uuid.uuid4().hex.encode()
        name = storage.save(f"readyz/{uuid.uuid4().hex}.txt", ContentFile(payload))
        try:
            with storage.open(name, "rb") as handle:
                if handle.read() != payload:
                    raise RuntimeError(f"storage {alias} returned other bytes")
        finally:
            storage.delete(name)


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "tasks": check_tasks,
    "storage": check_storage,
}


def run_checks() -> tuple[dict[str, str], list[str], dict[str, float]]:
    results: dict[str, str] = {}
    failed: list[str] = []
    timings: dict[str, float] = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except Exception:  # noqa: BLE001 - any failure means "not ready"; the reason goes to the log
            log.exception("readyz: %s check failed", name)
            results[name] = "error"
            failed.append(name)
        else:
            results[name] = "ok"
        timings[name] = round((time.perf_counter() - started) * 1000, 1)
    return results, failed, timings


@never_cache
def readyz(request):
    results, failed, timings = run_checks()
    body = {"status": "error" if failed else "ok", "checks": results, "failed": failed, "ms": timings}
    return JsonResponse(body, status=503 if failed else 200)

"""One worker command for either task backend (TASKS_BACKEND, DESIGN.md "Fixed points"):

    python manage.py run_worker                 # all queues, until SIGTERM
    python manage.py run_worker --queue platform --queue default
    python manage.py run_worker --batch         # run what is queued, then exit

- database (django-tasks-db): delegates to `db_worker` (polls the task table every --interval s);
- redis (django-tasks-rq): an RQ worker on the configured queues (`RQ_QUEUES`, REDIS_URL), with RQ's
  own scheduler for delayed tasks. Tasks run in the worker process (database connections are checked
  before and after each task, as Django does around a request) and are stopped after
  UPPSIKT_TASK_TIMEOUT; `--fork` runs each task in a forked child instead (isolation from a task that
  leaks memory, at a cost of some milliseconds per task).
Run as many as you like, on as many machines as share the database (and Redis). SIGTERM (systemd's
stop) lets the running task finish, then exits with 0; a second SIGTERM or SIGINT stops at once.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connections
from rq.worker import SimpleWorker, Worker

from config.tasks import task_backends


def backend_kind() -> str:
    """"database", "redis" or the backend's class name."""
    cls = type(task_backends["default"])
    path = f"{cls.__module__}.{cls.__qualname__}"
    if path.startswith("django_tasks_db."):
        return "database"
    if path.startswith("django_tasks_rq."):
        return "redis"
    return cls.__qualname__


class Command(BaseCommand):
    help = "Startar en arbetare för uppgiftskön (databas eller Redis, efter TASKS_BACKEND)."

    def add_arguments(self, parser):
        parser.add_argument("--queue", action="append", dest="queues", default=None,
                            help="Kö att arbeta med (flera går bra); standard: alla köer")
        parser.add_argument("--batch", action="store_true", help="Kör det som står i kön och avsluta")
        parser.add_argument("--interval", type=float, default=1.0,
                            help="Databaskön: sekunder mellan varje titt när kön är tom")
        parser.add_argument("--max-tasks", type=int, default=None, help="Avsluta efter så många uppgifter")
        parser.add_argument("--name", default=None, help="Arbetarens namn (unikt; standard: genereras)")
        parser.add_argument("--fork", action="store_true",
                            help="Redis-kön: kör varje uppgift i en egen underprocess")

    def handle(self, *args, queues=None, batch=False, interval=1.0, max_tasks=None, name=None, fork=False,
               **options):
        configured = list(settings.TASKS["default"].get("QUEUES") or ["default"])
        unknown = sorted(set(queues or []) - set(configured))
        if unknown:
            raise CommandError(f"Okänd kö: {', '.join(unknown)} (finns: {', '.join(configured)})")
        queues = queues or configured
        kind = backend_kind()
        self.stdout.write(f"Arbetare för {kind}-kön, köer: {', '.join(queues)}")
        self.stdout.flush()
        if kind == "database":
            kwargs = {"queue_name": ",".join(queues), "batch": batch, "interval": interval, "reload": False,
                      "verbosity": options.get("verbosity", 1)}
            if max_tasks:
                kwargs["max_tasks"] = max_tasks
            if name:
                kwargs["worker_id"] = name[:64]
            if batch:
                kwargs["startup_delay"] = False
            call_command("db_worker", **kwargs)
        elif kind == "redis":
            self.run_rq(queues, batch=batch, max_tasks=max_tasks, name=name, fork=fork,
                        verbosity=options.get("verbosity", 1))
        else:
            raise CommandError(f"Uppgiftskön {kind} har ingen arbetare: uppgifterna körs direkt där de läggs.")

    def run_rq(self, queues: list[str], *, batch: bool, max_tasks: int | None, name: str | None, fork: bool,
               verbosity: int) -> None:
        from django_rq.workers import get_worker
        from django_tasks_rq import Job
        from redis.exceptions import ConnectionError as RedisConnectionError
        from rq.logutils import setup_loghandlers

        level = "DEBUG" if verbosity >= 2 else "WARNING" if verbosity == 0 else "INFO"
        setup_loghandlers(level)
        try:
            worker = get_worker(*queues, job_class=Job, worker_class=ForkingRQWorker if fork else UppsiktRQWorker,
                                name=name)
            connections.close_all()  # nothing of the parent's connections may cross the fork
            worker.work(burst=batch, with_scheduler=True, logging_level=level, max_jobs=max_tasks)
        except RedisConnectionError as exc:
            raise CommandError(f"Redis svarar inte ({settings.REDIS_URL.split('@')[-1]}): {exc}") from exc


class UppsiktRQWorker(SimpleWorker):
    """RQ's in-process worker; database connections are checked before and after each task, the way
    Django does around a request (a broken or expired connection is replaced, never reused)."""

    def perform_job(self, *args, **kwargs):
        close_old_connections()
        try:
            return super().perform_job(*args, **kwargs)
        finally:
            close_old_connections()


class ForkingRQWorker(Worker):
    """RQ's forking worker (`--fork`); the child closes its database connections when its task is done."""

    def perform_job(self, *args, **kwargs):
        try:
            return super().perform_job(*args, **kwargs)
        finally:
            connections.close_all()

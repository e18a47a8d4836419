"""`/metrics` in the Prometheus text format.

Two kinds of series:
- request latency, a histogram by view, method and status class, observed by `LatencyMiddleware`
  in each process (with gunicorn's several workers set PROMETHEUS_MULTIPROC_DIR so that the
  scraped process reports all of them; gunicorn.conf.py cleans the folder up);
- gauges computed at scrape time, each from ONE aggregate query (never a query per row): the
  review queue by state, the outbox (platform actions) by platform and status, webhook deliveries
  by platform and status, the task backlog and the age of its oldest task per queue, and the
  progress of purge lists being executed.

Models are looked up by app label (`apps.get_model`) so this module depends on no app's layout.
Access: from loopback without a forwarding proxy in between, or with
`Authorization: Bearer <UPPSIKT_METRICS_TOKEN>` (compared in constant time).
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Iterator
from datetime import UTC

from django.apps import apps
from django.conf import settings
from django.db.models import Count, Min, Q
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_PLAIN_0_0_4, REGISTRY, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from config.operations.readiness import task_backend_class

log = logging.getLogger("uppsikt.metrics")

REQUEST_LATENCY = Histogram(
    "uppsikt_http_request_duration_seconds",
    "Time from the first middleware to the response, by view (URL name), method and status class.",
    ["view", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


class LatencyMiddleware:
    """Observes every request in REQUEST_LATENCY. Labels are bounded: URL names, not paths."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "unresolved"
        method = request.method if request.method in _METHODS else "other"
        REQUEST_LATENCY.labels(view, method, f"{response.status_code // 100}xx").observe(
            time.perf_counter() - started
        )
        return response


# --- gauges computed at scrape time -------------------------------------------------------------


def _gauge(name: str, documentation: str, labels: list[str]) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, labels=labels)


def queue_items() -> GaugeMetricFamily:
    """Items waiting for a moderator, by state (decided items are not a queue)."""
    item = apps.get_model("moderation", "Item")
    waiting = [value for value, _label in item._meta.get_field("state").choices if value != "decided"]
    g = _gauge("uppsikt_queue_items", "Items in the review queue by state.", ["state"])
    counts = dict(
        item.objects.filter(state__in=waiting).order_by().values_list("state").annotate(n=Count("pk"))
    )
    for state in waiting:
        g.add_metric([state], counts.get(state, 0))
    return g


def outbox_actions() -> GaugeMetricFamily:
    """Platform actions not yet done, by platform and status (pending, running, failed, dead)."""
    action = apps.get_model("moderation", "PlatformAction")
    open_states = ["pending", "running", "failed", "dead"]
    g = _gauge("uppsikt_outbox_actions", "Platform actions (outbox) not done, by platform and status.",
               ["platform", "status"])
    rows = (action.objects.filter(status__in=open_states).order_by()
            .values_list("channel__platform", "status").annotate(n=Count("pk")))
    seen = {(platform, status): n for platform, status, n in rows}
    platforms = {p for p, _s in seen} | {v for v, _l in apps.get_model("moderation", "Channel")
                                         ._meta.get_field("platform").choices}
    for platform in sorted(platforms):
        for status in open_states:
            g.add_metric([platform, status], seen.get((platform, status), 0))
    return g


def webhook_deliveries() -> GaugeMetricFamily:
    """Stored webhook deliveries by platform and status (received, processed, ignored = accepted;
    dead = failed processing)."""
    delivery = apps.get_model("moderation", "WebhookDelivery")
    g = _gauge("uppsikt_webhook_deliveries", "Stored webhook deliveries by platform and status.",
               ["platform", "status"])
    rows = delivery.objects.order_by().values_list("platform", "status").annotate(n=Count("pk"))
    for platform, status, n in rows:
        g.add_metric([platform, status], n)
    return g


def task_backlog() -> Iterator[GaugeMetricFamily]:
    """Tasks waiting (and running) per queue and the age of the oldest waiting one."""
    backlog = _gauge("uppsikt_tasks", "Background tasks by queue and status (ready = waiting).",
                     ["queue", "status"])
    oldest = _gauge("uppsikt_task_oldest_ready_age_seconds", "Age of the oldest waiting task per queue.",
                    ["queue"])
    queues = list(settings.TASKS.get("default", {}).get("QUEUES", ["default"]))
    backend = task_backend_class()
    if backend.endswith("DatabaseBackend"):
        _database_backlog(queues, backlog, oldest)
    elif backend.endswith("RQBackend"):
        _redis_backlog(queues, backlog, oldest)
    else:
        return  # an in-process backend (immediate, dummy) has no backlog
    yield backlog
    yield oldest


def _database_backlog(queues: list[str], backlog: GaugeMetricFamily, oldest: GaugeMetricFamily) -> None:
    result = apps.get_model("django_tasks_database", "DBTaskResult")
    rows = (result.objects.filter(status__in=["READY", "RUNNING"]).order_by()
            .values_list("queue_name", "status")
            .annotate(n=Count("pk"), first=Min("enqueued_at", filter=Q(status="READY"))))
    now = timezone.now()
    counts: dict[tuple[str, str], int] = {}
    first: dict[str, object] = {}
    for queue, status, n, enqueued in rows:
        counts[(queue, status)] = n
        if enqueued is not None:
            first[queue] = enqueued
    for queue in sorted(set(queues) | {q for q, _s in counts}):
        backlog.add_metric([queue, "ready"], counts.get((queue, "READY"), 0))
        backlog.add_metric([queue, "running"], counts.get((queue, "RUNNING"), 0))
        age = (now - first[queue]).total_seconds() if queue in first else 0.0
        oldest.add_metric([queue], max(age, 0.0))


def _redis_backlog(queues: list[str], backlog: GaugeMetricFamily, oldest: GaugeMetricFamily) -> None:
    import django_rq
    from rq.job import Job

    now = timezone.now()
    for name in queues:
        queue = django_rq.get_queue(name)
        backlog.add_metric([name, "ready"], queue.count)
        backlog.add_metric([name, "running"], queue.started_job_registry.count)
        ids = queue.get_job_ids(0, 1)  # the head of the list is the oldest waiting job
        job = Job.fetch(ids[0], connection=queue.connection) if ids else None
        enqueued = getattr(job, "enqueued_at", None)
        if enqueued is not None and enqueued.tzinfo is None:
            enqueued = enqueued.replace(tzinfo=UTC)  # RQ keeps UTC
        oldest.add_metric([name], max((now - enqueued).total_seconds(), 0.0) if enqueued else 0.0)


def purge_progress() -> Iterator[GaugeMetricFamily]:
    """Lines of each purge list being executed: all of them and those already processed."""
    line = apps.get_model("records", "PurgeLine")
    planned = _gauge("uppsikt_purge_lines_planned", "Lines of a purge list being executed.", ["list"])
    processed = _gauge("uppsikt_purge_lines_processed",
                       "Lines of a purge list being executed that are processed (purged, refused or skipped).",
                       ["list"])
    rows = (line.objects.filter(purge_list__status="executing").order_by()
            .values_list("purge_list__reference")
            .annotate(total=Count("pk"), done=Count("pk", filter=~Q(status="pending"))))
    for reference, total, done in rows:
        planned.add_metric([reference], total)
        processed.add_metric([reference], done)
    yield planned
    yield processed


class UppsiktCollector(Collector):
    """The scrape-time gauges; a failing gauge is logged and reported in uppsikt_metrics_errors."""

    sources = (queue_items, outbox_actions, webhook_deliveries, task_backlog, purge_progress)

    def collect(self):
        errors = _gauge("uppsikt_metrics_errors", "1 when a scrape-time gauge could not be computed.", ["gauge"])
        timing = _gauge("uppsikt_metrics_gauge_seconds", "Time to compute each scrape-time gauge.", ["gauge"])
        for source in self.sources:
            started = time.perf_counter()
            try:
                produced = source()
                families = [produced] if isinstance(produced, GaugeMetricFamily) else list(produced)
            except Exception:  # noqa: BLE001 - one broken gauge must not hide the others
                log.exception("metrics: %s failed", source.__name__)
                errors.add_metric([source.__name__], 1)
                families = []
            else:
                errors.add_metric([source.__name__], 0)
            timing.add_metric([source.__name__], time.perf_counter() - started)
            yield from families
        yield errors
        yield timing


# --- the view ------------------------------------------------------------------------------------


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.strip()).is_loopback
    except ValueError:
        return False


def access_denied_status(request) -> int | None:
    """None when the request may read the metrics, else 401 (no or wrong token) or 403."""
    token = settings.UPPSIKT_METRICS_TOKEN
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if token and header.startswith("Bearer "):
        if hmac.compare_digest(header[7:].strip().encode(), token.encode()):
            return None
        return 401
    forwarded = [a for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if _is_loopback(request.META.get("REMOTE_ADDR", "")) and all(_is_loopback(a) for a in forwarded):
        return None
    return 401 if token else 403


def scrape_registry() -> CollectorRegistry:
    """The registry to expose: this process's (or, under gunicorn, all workers') request
    histograms and the platform/process collectors, plus the scrape-time gauges."""
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_Forward(REGISTRY))
    registry.register(UppsiktCollector())
    return registry


class _Forward(Collector):
    def __init__(self, source: CollectorRegistry):
        self.source = source

    def collect(self):
        return self.source.collect()


@never_cache
def metrics(request):
    status = access_denied_status(request)
    if status is not None:
        log.warning("metrics: refused %s from %s", status, request.META.get("REMOTE_ADDR"))
        response = HttpResponse("Åtkomst nekad.\n", status=status, content_type="text/plain; charset=utf-8")
        if status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="uppsikt-metrics"'
        return response
    return HttpResponse(generate_latest(scrape_registry()), content_type=CONTENT_TYPE_PLAIN_0_0_4)

"""Operations: /readyz, /metrics (content, access, query count), security headers, request ids and
JSON logs."""

import datetime as dt
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from moderation.models import PlatformActionStatus, WebhookDelivery
from records.models import PurgeLine, PurgeList
from tests.factories_moderation import ChannelFactory, ItemFactory, PlatformActionFactory
from tests.factories_records import RetentionClassFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                          "QUEUES": ["default", "platform", "screening", "retention"]}}


def _subprocess_get(path: str, **env) -> tuple[int, str]:
    code = (
        "import django; django.setup();"
        "from django.test import Client;"
        f"r = Client().get({path!r});"
        "print(r.status_code, r.content.decode())"
    )
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "LOG_LEVEL": "CRITICAL", **env}
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=full_env, capture_output=True, text=True,
                       timeout=60, check=False)
    status, _, body = r.stdout.partition(" ")
    assert status.isdigit(), r.stdout + r.stderr
    return int(status), body


# --- /readyz -------------------------------------------------------------------------------------


def test_readyz_with_database_tasks_and_storage_is_200(client, settings, tmp_path):
    settings.TASKS = DB_BACKEND
    settings.MEDIA_ROOT = str(tmp_path / "media")
    r = client.get("/readyz")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "tasks": "ok", "storage": "ok"}
    assert body["failed"] == []
    assert list((tmp_path / "media" / "readyz").iterdir()) == []  # the probe file is removed
    assert r["Cache-Control"].startswith("max-age=0")


def test_readyz_with_unwritable_storage_is_503_naming_storage(client, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.MEDIA_ROOT = str(blocker / "media")  # a folder cannot be made inside a file, even by root
    r = client.get("/readyz")
    assert r.status_code == 503, r.content
    assert r.json()["failed"] == ["storage"]
    assert r.json()["checks"]["database"] == "ok"
    assert "a-file" not in r.content.decode()  # the reason is logged, not sent


def test_readyz_with_unreachable_database_is_503_naming_database_and_tasks():
    status, body = _subprocess_get("/readyz", DATABASE_URL="postgres://nobody@127.0.0.1:1/none",
                                   TASKS_BACKEND="django_tasks_db.DatabaseBackend")
    assert status == 503, body
    data = json.loads(body)
    assert data["status"] == "error"
    assert data["failed"] == ["database", "tasks"]
    assert data["checks"]["storage"] == "ok"


def test_readyz_with_unapplied_migrations_is_503(tmp_path):
    status, body = _subprocess_get("/readyz", DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
                                   MEDIA_ROOT=str(tmp_path / "media"))
    assert status == 503, body
    assert "database" in json.loads(body)["failed"]


def test_readyz_with_unreachable_redis_names_tasks(settings):
    pytest.importorskip("django_rq")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0", "DEFAULT_TIMEOUT": 5}}
    r = Client().get("/readyz")
    assert r.status_code == 503
    assert r.json()["failed"] == ["tasks"]


# --- /metrics ------------------------------------------------------------------------------------


def _metrics(text: str) -> dict[str, float]:
    values = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            values[name] = float(value)
    return values


def _world(n: int = 1) -> None:
    """n of each kind of row, so that the query count can be compared between sizes."""
    facebook = ChannelFactory(slug="exempelstad-facebook", platform="facebook")
    youtube = ChannelFactory(slug="exempelstad-youtube", platform="youtube")
    for _ in range(n):
        ItemFactory(channel=facebook, state="new")
        ItemFactory(channel=facebook, held=True)
        ItemFactory(channel=youtube, decided=True)
        PlatformActionFactory(item=ItemFactory(channel=facebook, decided=True), status=PlatformActionStatus.PENDING)
        PlatformActionFactory(item=ItemFactory(channel=youtube, decided=True), status=PlatformActionStatus.FAILED)
        PlatformActionFactory(item=ItemFactory(channel=youtube, decided=True), status=PlatformActionStatus.DONE)
        WebhookDelivery.objects.create(platform="facebook", channel=facebook, status="processed", body=b"{}")
        WebhookDelivery.objects.create(platform="facebook", channel=facebook, status="dead", body=b"{}")
    klass = RetentionClassFactory()
    purge = PurgeList.objects.create(reference=f"GL-2026-{n:03d}", status="executing",
                                     cutoff_date=dt.date(2026, 1, 1))
    PurgeLine.objects.bulk_create(
        PurgeLine(purge_list=purge, target_type="item", target_id=str(i), retention_class=klass,
                  due_date=dt.date(2025, 1, 1), status="done" if i < 3 * n else "pending")
        for i in range(4 * n)
    )


def test_metrics_on_loopback_report_queue_outbox_webhooks_tasks_and_purge(client, settings):
    from moderation.platforms.tasks import platform_action_run

    settings.TASKS = DB_BACKEND
    _world(2)
    platform_action_run.enqueue(1)
    platform_action_run.enqueue(2)
    client.get("/healthz")
    r = client.get("/metrics")  # the test client's REMOTE_ADDR is 127.0.0.1
    assert r.status_code == 200, r.content
    assert r["Content-Type"].startswith("text/plain; version=0.0.4")
    m = _metrics(r.content.decode())
    assert m['uppsikt_queue_items{state="new"}'] == 2
    assert m['uppsikt_queue_items{state="held"}'] == 2
    assert 'uppsikt_queue_items{state="decided"}' not in m
    assert m['uppsikt_outbox_actions{platform="facebook",status="pending"}'] == 2
    assert m['uppsikt_outbox_actions{platform="youtube",status="failed"}'] == 2
    assert m['uppsikt_outbox_actions{platform="youtube",status="dead"}'] == 0
    assert m['uppsikt_webhook_deliveries{platform="facebook",status="processed"}'] == 2
    assert m['uppsikt_webhook_deliveries{platform="facebook",status="dead"}'] == 2
    assert m['uppsikt_tasks{queue="platform",status="ready"}'] == 2
    assert m['uppsikt_tasks{queue="default",status="ready"}'] == 0
    assert 0 <= m['uppsikt_task_oldest_ready_age_seconds{queue="platform"}'] < 60
    assert m['uppsikt_purge_lines_planned{list="GL-2026-002"}'] == 8
    assert m['uppsikt_purge_lines_processed{list="GL-2026-002"}'] == 6
    assert all(v == 0 for k, v in m.items() if k.startswith("uppsikt_metrics_errors"))
    assert m['uppsikt_http_request_duration_seconds_count{method="GET",status="2xx",view="healthz"}'] >= 1


def test_metrics_oldest_task_age_follows_the_oldest_waiting_task(client, settings):
    from django_tasks_db.models import DBTaskResult

    from moderation.platforms.tasks import platform_action_run

    settings.TASKS = DB_BACKEND
    platform_action_run.enqueue(1)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - dt.timedelta(minutes=10))
    platform_action_run.enqueue(2)
    m = _metrics(client.get("/metrics").content.decode())
    assert 600 <= m['uppsikt_task_oldest_ready_age_seconds{queue="platform"}'] < 660


def test_metrics_gauges_use_the_same_number_of_queries_whatever_the_row_count(client, settings):
    settings.TASKS = DB_BACKEND
    _world(1)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/metrics").status_code == 200
    _world(5)
    with CaptureQueriesContext(connection) as large:
        assert client.get("/metrics").status_code == 200
    assert len(small) == len(large), [q["sql"] for q in large.captured_queries]
    assert len(large) <= 6  # one aggregate query per gauge (tasks one, queue, outbox, webhooks, purge)


@pytest.mark.parametrize(("remote", "forwarded"), [("10.0.0.5", None), ("127.0.0.1", "203.0.113.9"),
                                                   ("127.0.0.1", "127.0.0.1, 198.51.100.7")])
def test_metrics_from_elsewhere_without_token_configured_is_403(settings, remote, forwarded):
    settings.UPPSIKT_METRICS_TOKEN = ""
    extra = {"REMOTE_ADDR": remote, **({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})}
    r = Client().get("/metrics", **extra)
    assert r.status_code == 403, r.content


def test_metrics_from_elsewhere_needs_the_bearer_token(settings):
    settings.UPPSIKT_METRICS_TOKEN = "t0k3n-for-prometheus-0123456789"
    elsewhere = {"REMOTE_ADDR": "10.0.0.5"}
    r = Client().get("/metrics", **elsewhere)
    assert r.status_code == 401 and r["WWW-Authenticate"].startswith("Bearer")
    r = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer wrong", **elsewhere)
    assert r.status_code == 401
    r = Client().get("/metrics", HTTP_AUTHORIZATION="Token t0k3n-for-prometheus-0123456789", **elsewhere)
    assert r.status_code == 401
    r = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer t0k3n-for-prometheus-0123456789", **elsewhere)
    assert r.status_code == 200, r.content
    assert b"uppsikt_queue_items" in r.content
    # A wrong token is refused on loopback too (it was sent, so it is checked).
    r = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer wrong")
    assert r.status_code == 401


def test_metrics_a_broken_gauge_is_reported_and_the_others_still_answer(client, monkeypatch):
    from config.operations import metrics

    def broken():
        raise RuntimeError("boom")

    broken.__name__ = "webhook_deliveries"
    monkeypatch.setattr(metrics.UppsiktCollector, "sources",
                        (metrics.queue_items, broken, metrics.purge_progress))
    m = _metrics(client.get("/metrics").content.decode())
    assert m['uppsikt_metrics_errors{gauge="webhook_deliveries"}'] == 1
    assert m['uppsikt_metrics_errors{gauge="queue_items"}'] == 0


# --- headers, request id, logs -----------------------------------------------------------------


@pytest.mark.parametrize("path", ["/konto/logga-in/", "/konton/", "/anmal/", "/postlista/", "/healthz", "/nope/"])
def test_every_page_has_security_headers_and_a_csp_without_unsafe_inline(client, path):
    r = client.get(path)
    csp = r["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
                      "frame-ancestors 'none'", "form-action 'self'", "base-uri 'self'"):
        assert directive in csp, csp
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Referrer-Policy"] == "same-origin"
    assert r["X-Frame-Options"] == "DENY"
    assert "camera=()" in r["Permissions-Policy"] and "geolocation=()" in r["Permissions-Policy"]
    assert re.fullmatch(r"[0-9a-f]{32}", r["X-Request-ID"])


def test_csp_form_action_allows_the_configured_openid_provider(client, settings):
    settings.OIDC_RP_CLIENT_ID = "uppsikt"
    settings.OIDC_OP_DISCOVERY = "https://login.exempelstad.se/realms/kommun"
    csp = client.get("/konto/logga-in/")["Content-Security-Policy"]
    assert "form-action 'self' https://login.exempelstad.se" in csp


def test_redoc_alone_gets_inline_styles(client_for):
    c = client_for("moderator")
    redoc = c.get("/api/redoc/")
    assert redoc.status_code == 200
    assert "style-src 'self' 'unsafe-inline'" in redoc["Content-Security-Policy"]
    swagger = c.get("/api/docs/")
    assert "'unsafe-inline'" not in swagger["Content-Security-Policy"]
    body = swagger.content.decode()
    assert "<script>" not in body and "<style" not in body and "style=" not in body


def test_templates_have_no_inline_script_style_or_event_handler():
    """The CSP blocks them; this finds them before a browser does."""
    bad = []
    pattern = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=\"|javascript:", re.I)
    for folder in ("templates", "accounts", "moderation", "records", "config"):
        for path in (ROOT / folder).rglob("*.html"):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if pattern.search(line):
                    bad.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert not bad, "\n".join(bad)


def test_request_id_from_a_trusted_proxy_is_kept_and_bad_ones_replaced(client):
    r = client.get("/healthz", HTTP_X_REQUEST_ID="0123456789abcdef0123456789abcdef")
    assert r["X-Request-ID"] == "0123456789abcdef0123456789abcdef"
    r = client.get("/healthz", HTTP_X_REQUEST_ID='evil" \n injected')
    assert re.fullmatch(r"[0-9a-f]{32}", r["X-Request-ID"])


def test_json_log_lines_carry_the_request_id():
    from config.operations.logs import JsonFormatter
    from config.operations.request_id import RequestIdFilter, _current

    token = _current.set("abc123def456")
    try:
        record = logging.makeLogRecord({"name": "uppsikt.test", "levelname": "WARNING", "levelno": 30,
                                        "msg": "Hej %s", "args": ("världen",), "channel": "exempelstad"})
        RequestIdFilter().filter(record)
    finally:
        _current.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "Hej världen"
    assert line["request_id"] == "abc123def456"
    assert line["level"] == "WARNING" and line["logger"] == "uppsikt.test"
    assert line["channel"] == "exempelstad"


def test_production_logs_are_json_on_stderr_with_request_id():
    code = (
        "import django; django.setup();"
        "from django.test import Client;"
        "Client().get('/readyz', HTTP_X_REQUEST_ID='req-0123456789');"
        "import logging; logging.getLogger('uppsikt.x').warning('efter')"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "LOG_LEVEL": "INFO",
           "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}
    env.pop("LOG_FORMAT", None)
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                       timeout=60, check=False)
    lines = [json.loads(line) for line in r.stderr.splitlines() if line.startswith("{")]
    failed = [entry for entry in lines if entry["logger"] == "uppsikt.readiness"]
    assert failed and failed[0]["request_id"] == "req-0123456789", r.stderr
    assert "exception" in failed[0]
    assert [e for e in lines if e["message"] == "efter"][0]["request_id"] is None


def test_grafana_dashboard_and_alert_rules_use_only_metrics_uppsikt_exports(client, settings):
    """deploy/ must not drift from the metric names /metrics actually has."""
    settings.TASKS = DB_BACKEND
    _world(1)
    client.get("/healthz")
    exported = {re.split(r"[{ ]", line)[0] for line in client.get("/metrics").content.decode().splitlines()
                if line.startswith("uppsikt_")}
    dashboard = json.loads((ROOT / "deploy" / "grafana-uppsikt.json").read_text(encoding="utf-8"))
    exprs = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    rules = (ROOT / "deploy" / "prometheus-uppsikt.yml").read_text(encoding="utf-8")
    used = set(re.findall(r"\buppsikt_[a-z_]+", " ".join(exprs) + rules))
    missing = used - exported
    assert used and not missing, missing


@pytest.mark.parametrize(("forwarded", "client"), [
    ("198.51.100.7", "198.51.100.7"),
    ("6.6.6.6, 198.51.100.7", "198.51.100.7"),          # the left part was written by the client
    ("198.51.100.7, 10.0.0.2", "198.51.100.7"),         # through a trusted load balancer
    ("not-an-address", "127.0.0.1"),
    ("", "127.0.0.1"),
])
def test_trusted_proxy_gives_the_clients_address(rf, settings, forwarded, client):
    from config.operations.proxy import TrustedProxyMiddleware

    settings.UPPSIKT_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    seen = {}
    middleware = TrustedProxyMiddleware(lambda request: seen.setdefault("addr", request.META["REMOTE_ADDR"]))
    middleware(rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded))
    assert seen["addr"] == client


def test_untrusted_sender_cannot_choose_its_address(rf, settings):
    from config.operations.proxy import TrustedProxyMiddleware

    settings.UPPSIKT_TRUSTED_PROXIES = ["127.0.0.1"]
    seen = {}
    middleware = TrustedProxyMiddleware(lambda request: seen.setdefault("addr", request.META["REMOTE_ADDR"]))
    middleware(rf.get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="127.0.0.1"))
    assert seen["addr"] == "203.0.113.5"


def test_metrics_through_the_local_proxy_from_elsewhere_is_refused(settings):
    settings.UPPSIKT_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.UPPSIKT_METRICS_TOKEN = ""
    assert Client().get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 403
    assert Client().get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200


def test_metrics_read_the_redis_backlog_through_the_rq_queues(client, settings):
    """With TASKS_BACKEND=redis the backlog is RQ's queue length and its oldest job (real Redis on
    127.0.0.1:6379, database 13 of this test alone)."""
    django_rq = pytest.importorskip("django_rq")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default", "platform"]}}
    settings.RQ_QUEUES = {name: {"URL": "redis://127.0.0.1:6379/13", "DEFAULT_TIMEOUT": 60}
                          for name in ("default", "platform")}
    settings.RQ = {"COMMIT_MODE": "auto"}  # enqueue now, not at the commit the test never makes
    queue = django_rq.get_queue("platform")
    queue.connection.flushdb()
    try:
        queue.enqueue("os.getcwd")
        queue.enqueue("os.getcwd")
        m = _metrics(client.get("/metrics").content.decode())
        assert m['uppsikt_tasks{queue="platform",status="ready"}'] == 2
        assert m['uppsikt_tasks{queue="default",status="ready"}'] == 0
        assert 0 <= m['uppsikt_task_oldest_ready_age_seconds{queue="platform"}'] < 60
        assert client.get("/readyz").json()["checks"]["tasks"] == "ok"
    finally:
        queue.connection.flushdb()

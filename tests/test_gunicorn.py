"""gunicorn with gunicorn.conf.py serves Uppsikt as production would: production settings (TLS
redirect on, DEBUG off), two workers, /readyz and /metrics over plain HTTP on loopback, metrics
of all workers together, JSON access log lines carrying the request id."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
STRONG = "k9Qw3e7Rt1Yu5Io0Pa8Sd2Fg6Hj4Kl9Zx3Cv7Bn1Mq5Wr0Ty8Ui2Op6As4Df9Gh3Jk7L"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def gunicorn_server(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"TESTING", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE",
                                                             "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS", "LOG_FORMAT"}}
    port = _free_port()
    env.update({
        "DEBUG": "0", "SECRET_KEY": STRONG, "ALLOWED_HOSTS": "uppsikt.exempelstad.se,127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'uppsikt.sqlite3'}", "MEDIA_ROOT": str(tmp_path / "media"),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend", "EMAIL_URL": "memorymail://", "LOG_LEVEL": "WARNING",
        "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus"), "AXES_ENABLED": "0",
    })
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300)
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "-c", "gunicorn.conf.py"],
                               cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        process.terminate()
        pytest.fail((tmp_path / "gunicorn.log").read_text())
    yield base, tmp_path / "gunicorn.log"
    process.terminate()
    process.wait(timeout=30)
    log.close()


def test_gunicorn_serves_readyz_metrics_and_json_access_log(gunicorn_server):
    base, log_path = gunicorn_server
    r = httpx.get(f"{base}/readyz", headers={"X-Request-ID": "probe-000000000001"})
    assert r.status_code == 200, r.text
    assert r.json()["checks"] == {"database": "ok", "tasks": "ok", "storage": "ok"}
    assert r.headers["X-Request-ID"] == "probe-000000000001"
    # Pages still go to HTTPS (production settings); the probes above are exempt.
    page = httpx.get(f"{base}/konton/")
    assert page.status_code == 301 and page.headers["Location"].startswith("https://")
    for _ in range(20):
        assert httpx.get(f"{base}/healthz").status_code == 200
    metrics = httpx.get(f"{base}/metrics")
    assert metrics.status_code == 200
    line = next(x for x in metrics.text.splitlines()
                if x.startswith('uppsikt_http_request_duration_seconds_count{') and 'view="healthz"' in x)
    assert float(line.rsplit(" ", 1)[1]) >= 20  # all workers' requests, not one worker's
    assert 'uppsikt_queue_items{state="new"} 0.0' in metrics.text
    time.sleep(0.5)
    entries = [json.loads(x) for x in log_path.read_text().splitlines() if x.startswith("{")]
    access = [e for e in entries if e.get("logger") == "gunicorn.access"]
    probe = next(e for e in access if e["request_id"] == "probe-000000000001")
    assert probe["path"] == "/readyz" and probe["status"] == 200 and probe["duration_ms"] > 0
    assert all(e["request_id"] for e in access)

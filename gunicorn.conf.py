"""gunicorn configuration for Uppsikt (read automatically from the working directory, or with
`gunicorn -c gunicorn.conf.py config.wsgi`). Every value comes from the environment so the same
file serves one machine and several; docs/operations.md explains the layouts.

    GUNICORN_BIND             where to listen               127.0.0.1:8000 (nginx in front);
                              several: "unix:/run/uppsikt/web.sock,127.0.0.1:8000"
    GUNICORN_WORKERS          worker processes              2 × CPU cores + 1 (WEB_CONCURRENCY also read)
    GUNICORN_THREADS          threads per worker            1 (Uppsikt is not written for threads)
    GUNICORN_TIMEOUT          seconds a request may take    60 (then the worker is restarted)
    GUNICORN_GRACEFUL_TIMEOUT seconds to finish on restart  30
    GUNICORN_KEEPALIVE        keep-alive seconds            5 (nginx keeps connections open)
    GUNICORN_MAX_REQUESTS     recycle a worker after N      1000 (± 10 % jitter)
    FORWARDED_ALLOW_IPS       proxies whose X-Forwarded-*   127.0.0.1,::1 (the local nginx);
                              headers are trusted           list the load balancers' addresses
    GUNICORN_ACCESS_LOG       access log target             "-" (stdout, to the journal); "" = off
    PROMETHEUS_MULTIPROC_DIR  shared folder for the request-latency metrics of all workers
                              (set it: /metrics is answered by one worker and must report all)

Logs are JSON lines (config/operations/gunicorn.py): the access log has the request id from the
`X-Request-ID` header, method, path, redacted query, status, bytes, duration, remote address and
X-Forwarded-For; the application logs to stderr as JSON too (LOG_FORMAT=json).
"""

import multiprocessing
import os
import shutil
from pathlib import Path

import environ

# The same .env as Django's settings (values already in the environment win, as there).
environ.Env.read_env(Path(__file__).resolve().with_name(".env"), overwrite=False)


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = [b.strip() for b in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",") if b.strip()]
workers = _int("GUNICORN_WORKERS", _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = _int("GUNICORN_THREADS", 1)
worker_class = "sync"
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = max_requests // 10
# X-Forwarded-Proto (https) is believed only from these addresses; Django reads it when
# BEHIND_PROXY=1. Never "*" unless gunicorn is reachable from the proxy alone.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proxy_allow_ips = forwarded_allow_ips
# Request limits in front of Django's own (DATA_UPLOAD_MAX_MEMORY_SIZE, UPPSIKT_WEBHOOK_MAX_BYTES).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# Heartbeat files in memory rather than on a possibly slow disk.
_SHM = "/dev/shm"  # noqa: S108 - gunicorn's documented choice for worker heartbeat files
worker_tmp_dir = _SHM if Path(_SHM).is_dir() else None

wsgi_app = "config.wsgi:application"
proc_name = "uppsikt-web"
logger_class = "config.operations.gunicorn.JsonLogger"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Not used by JsonLogger (it writes JSON itself); kept for anyone who switches logger_class back.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}o)s'


def on_starting(server) -> None:
    """Empty the multiprocess metrics folder: values of a previous run must not be added."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        path = Path(folder)
        if path.exists():
            for child in path.iterdir():
                if child.is_dir():
                    shutil.rmtree(child)
                else:
                    child.unlink()
        path.mkdir(parents=True, exist_ok=True)


def child_exit(server, worker) -> None:
    """A stopped worker's live gauges leave the multiprocess metrics."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)

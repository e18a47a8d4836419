"""Helpers for tests that start real `manage.py` processes against the test database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
REDIS_TEST_URL = os.environ.get("UPPSIKT_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")


def require_postgres() -> None:
    """Processes need a database they can all open: the PostgreSQL test database (the SQLite test
    database lives in the test process's memory)."""
    if connection.vendor != "postgresql":
        if os.environ.get("UPPSIKT_REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL krävs i den här körningen")
        pytest.skip("needs PostgreSQL: several processes share the test database")


def database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "postgres")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"])
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def process_env(**extra: str) -> dict[str, str]:
    from django.conf import settings

    env = dict(os.environ)
    env.update({"DATABASE_URL": database_url(), "CONN_MAX_AGE": "0", "PYTHONUNBUFFERED": "1",
                "UPPSIKT_PURGE_JOURNAL_DIR": str(settings.UPPSIKT_PURGE_JOURNAL_DIR),
                "MEDIA_ROOT": str(settings.MEDIA_ROOT)})
    env.update(extra)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.Popen:
    # A session of its own, so kill_tree() also reaches the RQ work horses the worker forks: a killed
    # worker's orphaned child keeps the output pipe open and communicate() would wait for ever.
    return subprocess.Popen([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)


def kill_tree(proc: subprocess.Popen) -> str:
    """SIGKILL the process and everything it forked; return what it printed (bounded wait)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        out, _ = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        out = "(no output: the pipe stayed open)"
    return out or ""

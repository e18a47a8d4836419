"""TASKS_BACKEND=database|redis (DESIGN.md "Fixed points"): the names, a dotted path, a refused unknown name,
and `manage.py check` passing with the Redis backend."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOW = ("import django; django.setup(); from django.conf import settings as s; "
        "print(s.TASKS['default']['BACKEND']); print('django_rq' in s.INSTALLED_APPS); "
        "print(s.RQ_QUEUES['platform']['URL'])")


def _run(args: list[str], **env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k != "TASKS_BACKEND"}
    base.update({"DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1", **env})
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120,
                          check=False)


def test_tasks_backend_default_is_database():
    r = _run(["-c", SHOW])
    assert r.returncode == 0, r.stderr
    assert r.stdout.split()[:2] == ["django_tasks_db.DatabaseBackend", "False"]


def test_tasks_backend_redis_uses_redis_url():
    r = _run(["-c", SHOW], TASKS_BACKEND="redis", REDIS_URL="redis://redis.exempelstad.se:6380/2")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["django_tasks_rq.RQBackend", "True", "redis://redis.exempelstad.se:6380/2"]


def test_tasks_backend_dotted_path_still_accepted():
    r = _run(["-c", SHOW], TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split()[0] == "django_tasks.backends.immediate.ImmediateBackend"


def test_tasks_backend_unknown_name_refused_in_swedish():
    r = _run(["-c", SHOW], TASKS_BACKEND="celery")
    assert r.returncode != 0
    assert "TASKS_BACKEND='celery' är okänd" in r.stderr


def test_check_passes_with_redis_backend():
    r = _run(["manage.py", "check"], TASKS_BACKEND="redis", REDIS_URL="redis://127.0.0.1:6379/7")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no issues" in r.stdout

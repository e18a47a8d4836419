"""The whole API under schemathesis, as every role and as nobody: whatever a client sends, the answer is
never a server error, and every answer's status and body are the ones the OpenAPI schema documents.

The demo data is loaded first so that generated ids often hit real objects (and their permission
checks), not only 404s. Each operation gets a handful of generated cases per role; the suite's budget
decides how many (UPPSIKT_FUZZ_EXAMPLES, default 3): CI runs it on SQLite and on PostgreSQL."""

from __future__ import annotations

import io
import os
import re
import warnings

import pytest
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("UPPSIKT_FUZZ_EXAMPLES", "3"))
ROLES = ["moderator", "registrar", "archivist", "admin", "auditor", "moderator2", None]


def _schema():
    import schemathesis
    from drf_spectacular.generators import SchemaGenerator

    spec = SchemaGenerator().get_schema(request=None, public=True)
    return schemathesis.openapi.from_dict(spec)


def _checks():
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    return [status_code_conformance, content_type_conformance, response_schema_conformance]


def _headers(username: str | None) -> dict[str, str]:
    if username is None:
        return {}
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=User.objects.get(username=username))
    return {"Authorization": f"Token {token.key}"}


@pytest.fixture
def demo(monkeypatch, settings):
    monkeypatch.setenv("UPPSIKT_DEMO_PASSWORD", "Demo-losenord-2026")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    call_command("seed_demo", stdout=io.StringIO())
    # As Django's test client does: the requests run inside the test's transaction, which the
    # end-of-request connection check would otherwise close.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _summary(exc: BaseException) -> str:
    """The failure's kind and its first detail line (schemathesis prints a page per failure)."""
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    kinds = [ln for ln in lines if ln.startswith("- ST")]
    details = [ln for ln in lines if not ln.startswith(("- ST", "Schemathesis", "Reproduce", "curl"))]
    where = [ln for ln in lines if ln.startswith("Schema at")]
    return " ".join(kinds[:2] + where[:1]) + (f" ({details[0][:160]})" if details else "")


def _fuzz(operation, *, app, headers: dict[str, str], failures: list[str]) -> None:
    """Send EXAMPLES generated cases of one operation; collect server errors and schema mismatches."""
    from schemathesis.core.failures import FailureGroup

    strategy = operation.as_strategy()

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def run(data):
        case = data.draw(strategy)
        response = case.call(app=app, headers=headers)
        if response.status_code >= 500:
            failures.append(f"{operation.label}: {response.status_code} {response.text[:300]}")
            return
        try:
            case.validate_response(response, checks=_checks(), headers=headers)
        except (FailureGroup, AssertionError) as exc:
            failures.append(f"{operation.label} ({response.status_code}): {_summary(exc)}")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run()


def test_api_fuzz_every_operation_every_role_no_server_error_and_schema_conformance(demo):
    """One demo data set, then each role (and nobody) in turn: the seeding is the slow part."""
    app = get_wsgi_application()
    operations = [op.ok() for op in _schema().get_all_operations()]
    assert len(operations) > 80  # the whole API, not a corner of it
    if only := os.environ.get("UPPSIKT_FUZZ_ONLY"):  # a developer's focus, e.g. "GET /api/v1/items"
        operations = [op for op in operations if re.search(only, op.label)]
    failures: list[str] = []
    for username in ROLES:
        headers = _headers(username)
        for operation in operations:
            before = len(failures)
            _fuzz(operation, app=app, headers=headers, failures=failures)
            failures[before:] = [f"[{username or 'anonym'}] {f}" for f in failures[before:]]
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(sorted(set(failures))[:80])

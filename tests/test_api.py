import io

import pytest
import yaml
from django.core.management import call_command
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def test_openapi_schema_generates_and_validates():
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    schema = yaml.safe_load(out.getvalue())
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/units/" in schema["paths"]
    assert "/api/v1/audit-events/" in schema["paths"]


def test_api_docs_served_offline(client_for):
    r = client_for("moderator").get("/api/docs/")
    assert r.status_code == 200
    body = r.content.decode()
    assert "/static/drf_spectacular_sidecar/" in body
    assert "cdn" not in body.lower()


def test_api_token_authentication_from_drf_create_token(client, users):
    out = io.StringIO()
    call_command("drf_create_token", "registrar", stdout=out)
    key = Token.objects.get(user=users["registrar"]).key
    assert key in out.getvalue()
    r = client.get("/api/v1/units/", HTTP_AUTHORIZATION=f"Token {key}")
    assert r.status_code == 200, r.content
    assert r.json()["count"] >= 1


def test_api_without_role_is_forbidden(client_for):
    assert client_for("norole").get("/api/v1/units/").status_code == 403


def test_api_units_paginated_and_filterable(client_for, unit, other_unit):
    r = client_for("auditor").get("/api/v1/units/", {"q": "utbild"})
    assert r.status_code == 200
    data = r.json()
    assert [u["code"] for u in data["results"]] == ["utbildning"]
    assert {"count", "next", "previous", "results"} <= set(data)

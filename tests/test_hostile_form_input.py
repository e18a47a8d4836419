"""Every staff page of the permission matrix, visited by a role that may open it, with hostile values
in the query string and in its form fields: superscript digits ("³", which str.isdigit() accepts and
int() refuses), letters where an id belongs, numbers too large for the database. No page answers with a
server error: a filter ignores what it cannot read, a form answers 400 (or shows the form again) with a
Swedish message."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client

from tests.matrix import Case
from tests.test_permission_matrix import _modules

pytestmark = pytest.mark.django_db

HOSTILE = ["³", "12³", "abc", "9" * 30, "-1", "1e3", "٣"]
PARAMS = ["page", "per_page", "q", "source", "item", "items", "channel", "status", "year", "quarter", "case",
          "author", "unit", "from", "to", "after", "before", "kind", "rule", "id", "document", "series"]
ENGLISH = ("Enter a whole number", "This field is required", "Select a valid choice")


def _role(case: Case) -> str | None:
    return next(iter(case.allowed), None)


@pytest.mark.parametrize("module", list(_modules()), ids=lambda m: m.__name__.split("_", 1)[1])
def test_page_hostile_query_and_form_values_never_server_error(users, module):
    ctx = module.setup(users) if hasattr(module, "setup") else {}
    problems: list[str] = []
    for case in module.CASES:
        role = _role(case)
        if role is None or case.ok >= 400:
            continue
        client = Client(raise_request_exception=False)
        client.force_login(users[role])
        url = case.resolve(ctx)
        for value in HOSTILE:
            with transaction.atomic():
                if case.method == "get":
                    r = client.get(url, dict.fromkeys(PARAMS, value))
                else:
                    data = dict.fromkeys(case.data, value) or dict.fromkeys(PARAMS, value)
                    r = getattr(client, case.method)(url, data=data)
                transaction.set_rollback(True)
            if r.status_code >= 500:
                problems.append(f"{case.method.upper()} {url} {value!r}: {r.status_code}")
            elif r.status_code == 400 and any(e in r.content.decode(errors="replace") for e in ENGLISH):
                problems.append(f"{case.method.upper()} {url} {value!r}: English error message")
    assert not problems, "\n".join(problems[:40])

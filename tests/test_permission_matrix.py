"""Every staff URL × anonymous, a user without a role, each role: redirect to login, 403 or 200.

One test per URL checks all eight kinds of visitor (building the objects once), and reports every
mismatch at once.
"""

import importlib
import pkgutil

import pytest
from django.db import transaction
from django.test import Client

import tests
from tests.matrix import ALL_ROLES, Case, expected

pytestmark = pytest.mark.django_db

WHO = ("anonymous", "norole", *ALL_ROLES)


def _modules():
    for info in pkgutil.iter_modules(tests.__path__):
        if info.name.startswith("matrix_"):
            yield importlib.import_module(f"tests.{info.name}")


PARAMS = [
    pytest.param(module, case, id=f"{module.__name__.split('_', 1)[1]}:{case.name}")
    for module in _modules()
    for case in module.CASES
]


@pytest.mark.parametrize(("module", "case"), PARAMS)
def test_url_as_each_role_gets_expected_status(users, module, case: Case):
    ctx = module.setup(users) if hasattr(module, "setup") else {}
    url = case.resolve(ctx)
    mismatches = []
    for who in WHO:
        client = Client()
        if who != "anonymous":
            client.force_login(users[who])
        # Each visitor starts from the same state: a POST by one role must not change what the next sees.
        with transaction.atomic():
            r = getattr(client, case.method)(url, data=case.data)
            transaction.set_rollback(True)
        want = expected(case, who)
        if r.status_code != want:
            mismatches.append(f"{who}: {r.status_code} != {want}")
        elif who == "anonymous" and want == 302 and "/konto/logga-in/" not in r["Location"]:
            mismatches.append(f"anonymous redirected to {r['Location']}, not the login page")
    assert not mismatches, f"{case.method.upper()} {url}: " + "; ".join(mismatches)

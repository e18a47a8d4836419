"""Every staff URL × anonymous, a user without a role, each role: redirect to login, 403 or 200."""

import importlib
import pkgutil

import pytest

import tests
from tests.matrix import ALL_ROLES, Case, expected

pytestmark = pytest.mark.django_db

WHO = ("anonymous", "norole", *ALL_ROLES)


def _modules():
    for info in pkgutil.iter_modules(tests.__path__):
        if info.name.startswith("matrix_"):
            yield importlib.import_module(f"tests.{info.name}")


def _cases():
    for module in _modules():
        for case in module.CASES:
            yield module, case


PARAMS = [
    pytest.param(module, case, who, id=f"{module.__name__.split('_', 1)[1]}:{case.name}:{who}")
    for module, case in _cases()
    for who in WHO
]


@pytest.mark.parametrize(("module", "case", "who"), PARAMS)
def test_url_as_role_gets_expected_status(client, users, module, case: Case, who):
    ctx = module.setup(users) if hasattr(module, "setup") else {}
    url = case.resolve(ctx)
    if who != "anonymous":
        client.force_login(users[who])
    r = getattr(client, case.method)(url, data=case.data)
    want = expected(case, who)
    assert r.status_code == want, f"{case.method.upper()} {url} as {who}: {r.status_code} != {want}"
    if who == "anonymous" and want == 302:
        assert "/konto/logga-in/" in r["Location"], r["Location"]

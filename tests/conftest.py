import os
from pathlib import Path

import pytest

from accounts.models import Role
from tests.factories import PASSWORD, UnitFactory, UserFactory
from tests.oidc.fixtures import openid_provider  # noqa: F401  (a real OpenID provider on 127.0.0.1)

ARTIFACTS = Path(os.environ.get("UPPSIKT_TEST_ARTIFACTS", Path(__file__).resolve().parent.parent / "test-artifacts"))
CHROMIUM = os.environ.get("UPPSIKT_CHROMIUM", "/usr/bin/chromium")
ROLES = [str(r) for r in Role]

try:  # fixtures that other parts of the suite provide
    from tests.fakeplatform.fixtures import fake_platform  # noqa: F401
except ModuleNotFoundError:
    pass


@pytest.fixture(autouse=True)
def _purge_journal_dir(settings, tmp_path_factory):
    """Each test writes its purge journal (records/retention/journal.py) into a folder of its own."""
    settings.UPPSIKT_PURGE_JOURNAL_DIR = str(tmp_path_factory.mktemp("purge-journal"))


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    """Files a test stores (letters, report e-mails) go to a folder of its own, never to var/media."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def unit(db):
    return UnitFactory(code="kommunledning", name="Kommunledningsförvaltningen")


@pytest.fixture
def other_unit(db):
    return UnitFactory(code="utbildning", name="Utbildningsförvaltningen")


@pytest.fixture
def make_user(db, unit):
    def make(role: str | None, *, username: str | None = None, units=None):
        return UserFactory(
            username=username or (role or "nobody"),
            roles=[role] if role else [],
            units=[unit] if units is None else units,
        )

    return make


@pytest.fixture
def users(make_user):
    """One user per role, named after it, plus a signed-in user without any role."""
    result = {role: make_user(role) for role in ROLES}
    result["norole"] = make_user(None, username="norole")
    return result


@pytest.fixture
def client_for(client, users):
    from django.test import Client

    def make(role: str):
        c = Client()
        c.force_login(users[role])
        return c

    return make


# --- browser tests -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium saknas på {CHROMIUM}: installera Debians paket 'chromium' (se .ci/run).")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ],
    }


@pytest.fixture
def artifacts_dir():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def axe_source():
    path = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
    if not path.exists():
        pytest.fail("axe-core saknas: kör 'npm ci' (se .ci/run).")
    return path.read_text(encoding="utf-8")


@pytest.fixture
def axe_check(axe_source):
    """Run axe-core in the page; fail on serious or critical violations."""

    def check(page, label: str):
        # Evaluated through the DevTools protocol: the pages' CSP forbids inline <script> tags.
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(axe_source)
        tags = "['wcag2a','wcag2aa','wcag21a','wcag21aa','best-practice']"
        result = page.evaluate(f"async () => await axe.run(document, {{runOnly: {{type: 'tag', values: {tags}}}}})")
        bad = [v for v in result["violations"] if v.get("impact") in ("serious", "critical")]
        summary = [f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}" for v in bad]
        assert not bad, f"axe-core på {label}:\n" + "\n".join(summary)
        return result

    return check


@pytest.fixture
def login(live_server):
    def do(page, username: str, password: str = PASSWORD):
        page.goto(f"{live_server.url}/konto/logga-in/")
        page.get_by_label("Användarnamn").fill(username)
        page.get_by_label("Lösenord").fill(password)
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_load_state()

    return do

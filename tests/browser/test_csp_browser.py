"""Under the Content-Security-Policy (no 'unsafe-inline', no 'unsafe-eval') the pages work in a
real Chromium: no violation is reported on public pages, staff pages of every role, the Django
admin and the API documentation; htmx still loads fragments; axe-core finds nothing serious."""

import io
import re

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

DEMO_PASSWORD = "Demo-losenord-2026"

# Collects violations in every document (an init script is not subject to the page's policy).
LISTENER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} in ${e.sourceFile}:${e.lineNumber}`);
});
"""

PUBLIC = ["/konto/logga-in/", "/konton/", "/anmal/", "/postlista/", "/postlista/begar/"]
STAFF = {
    "moderator": ["/", "/granskning/", "ITEM", "/granskning/anmalningar/", "/enheter/", "/konto/tvastegsverifiering/",
                  "/konto/losenord/"],
    "registrar": ["/diarium/", "/diarium/handlingar/", "DOCUMENT", "/diarium/inkorg/", "/diarium/begaran/",
                  "/postlista/"],
    "archivist": ["/arkiv/", "/arkiv/gallringslistor/", "/arkiv/plan/", "/arkiv/registrerade/", "/arkiv/forfallet/"],
    "admin": ["/admin/", "/admin/accounts/user/", "USER_CHANGE", "/admin/moderation/channel/",
              "/konfiguration/regler/", "/kanaler/exempelstad-facebook/halsa/", "/api/docs/", "/api/redoc/"],
    "auditor": ["/granskningslogg/", "/granskning/", "/diarium/handlingar/"],
}
AXE = {"/konto/logga-in/", "/konton/", "/anmal/", "/postlista/", "/postlista/begar/", "/", "/granskning/", "ITEM",
       "/konto/tvastegsverifiering/", "/diarium/handlingar/", "/arkiv/gallringslistor/"}


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("UPPSIKT_DEMO_PASSWORD", DEMO_PASSWORD)
    call_command("seed_demo", stdout=io.StringIO())


def _resolve(path: str) -> str:
    from accounts.models import User
    from moderation.models import Item
    from records.models import Document

    if path == "ITEM":
        waiting = Item.objects.filter(channel__slug="exempelstad-facebook", state__in=["new", "held"])
        return f"/granskning/inlagg/{waiting.order_by('pk').first().pk}/"
    if path == "DOCUMENT":
        return f"/diarium/handlingar/{Document.objects.order_by('pk').first().pk}/"
    if path == "USER_CHANGE":
        return f"/admin/accounts/user/{User.objects.get(username='moderator').pk}/change/"
    return path


def _visit(page, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    if "/api/docs/" in url:
        page.wait_for_selector(".swagger-ui .info .title", timeout=15000)
    if "/api/redoc/" in url:
        page.wait_for_selector("text=Uppsikt API", timeout=15000)
    return page.evaluate("window.__csp || []")


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()
    assert "/konto/logga-in/" not in page.url, f"{username} kunde inte logga in"


def test_pages_report_no_csp_violation_and_axe_finds_nothing_serious(browser, live_server, demo, axe_check):
    problems: list[str] = []
    visited = 0
    for who, paths in [("anonymous", PUBLIC), *STAFF.items()]:
        context = browser.new_context()
        context.add_init_script(LISTENER)
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda m, c=console: c.append(m.text) if "Content Security Policy" in m.text else None)
        if who != "anonymous":
            _login(page, live_server.url, who)
        for path in paths:
            url = f"{live_server.url}{_resolve(path)}"
            violations = _visit(page, url)
            visited += 1
            # ReDoc shows its maker's logo from cdn.redoc.ly: blocking it is the policy working
            # (nothing is loaded from other sites), not a fault of the page.
            expected = [v for v in violations if "https://cdn.redoc.ly/" in v]
            problems += [f"{who} {path}: {v}" for v in violations if v not in expected]
            if path in AXE and who in ("anonymous", "moderator", "registrar", "archivist"):
                axe_check(page, f"{path} ({who})")
        problems += [f"{who} console: {c}" for c in console if "https://cdn.redoc.ly/" not in c]
        context.close()
    assert visited >= 30
    assert not problems, "\n".join(problems)


def test_htmx_fragment_loads_under_the_policy(browser, live_server, demo):
    """Opening the item page claims nothing; "Ta" claims it through htmx and the fragment replaces
    the claim box without any inline style or eval."""
    context = browser.new_context()
    context.add_init_script(LISTENER)
    page = context.new_page()
    _login(page, live_server.url, "moderator")
    violations = _visit(page, f"{live_server.url}{_resolve('ITEM')}")
    assert page.get_by_text("Du granskar").count() == 0
    page.get_by_role("button", name="Ta", exact=True).click()
    page.get_by_text("Du granskar").wait_for()  # the claim fragment htmx fetched and swapped in
    assert page.locator("#claim-status").get_attribute("hx-post") is None
    assert not violations
    # htmx's own indicator style element is not injected (it would be a violation).
    assert page.evaluate("[...document.querySelectorAll('style')].length") == 0
    assert re.search(r"includeIndicatorStyles", page.content())
    context.close()

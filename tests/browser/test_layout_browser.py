"""Layouts that fit (issue 13.8), in a real Chromium on the demo municipality: every staff page a role's
navigation offers (and the main detail pages) at 1,280 px, and the public pages at 375 px, without
sideways scrolling; each page answers 200 (the navigation offers nothing that answers 403), is
photographed and checked with axe-core."""

import io

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

DEMO_PASSWORD = "Demo-losenord-2026"
STAFF_WIDTH, PHONE_WIDTH = 1280, 375
ROLES = ("moderator", "registrar", "archivist", "admin", "auditor")
PUBLIC = ["/konton/", "/postlista/", "/anmal/", "/postlista/begar/", "/konto/logga-in/"]
# Pages reached from lists rather than from the menu; checked for the role that works with them.
EXTRA = {
    "moderator": ["ITEM", "/statistik/?year=YEAR"],
    "registrar": ["DOCUMENT", "CASE"],
    "archivist": ["PURGE_LIST"],
    "auditor": ["/statistik/?year=YEAR", "ITEM"],
}
# Lists the elements that stick out on the right (for the failure message).
WIDEST = """() => {
  const w = window.innerWidth, out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > w + 1 && r.width > 0) {
      const cls = typeof el.className === 'string' && el.className.trim()
        ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
      out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${cls} right=${Math.round(r.right)}`);
    }
  }
  return out.slice(0, 6);
}"""


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("UPPSIKT_DEMO_PASSWORD", DEMO_PASSWORD)
    call_command("seed_demo", stdout=io.StringIO())


def _resolve(path: str) -> str:
    from django.utils import timezone

    from moderation.models import Item
    from records.models import Case, Document, PurgeList

    if path == "ITEM":
        item = Item.objects.filter(channel__slug="exempelstad-facebook").order_by("pk").first()
        return f"/granskning/inlagg/{item.pk}/"
    if path == "DOCUMENT":
        return f"/diarium/handlingar/{Document.objects.order_by('pk').first().pk}/"
    if path == "CASE":
        return f"/diarium/arenden/{Case.objects.order_by('pk').first().pk}/"
    if path == "PURGE_LIST":
        first = PurgeList.objects.order_by("pk").first()
        return f"/arkiv/gallringslistor/{first.pk}/" if first else "/arkiv/gallringslistor/"
    return path.replace("YEAR", str(timezone.localdate().year))


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()
    assert "/konto/logga-in/" not in page.url, f"{username} kunde inte logga in"


def _check(page, url: str, label: str, shots, axe_check) -> list[str]:
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    problems = []
    if response is None or response.status != 200:
        problems.append(f"{label}: status {response.status if response else '?'}")
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if scroll > inner:
        problems.append(f"{label}: {scroll} px bred vid {inner} px: {page.evaluate(WIDEST)}")
    name = "".join(ch if ch.isalnum() else "-" for ch in label).strip("-")[:80]
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    try:
        axe_check(page, label)
    except AssertionError as exc:
        problems.append(str(exc))
    return problems


@pytest.mark.timeout(900)  # about 45 pages, each photographed and checked by axe-core
def test_staff_pages_fit_1280_and_every_nav_link_opens(browser, live_server, demo, axe_check, tmp_path):
    problems: list[str] = []
    visited = 0
    for role in ROLES:
        context = browser.new_context(viewport={"width": STAFF_WIDTH, "height": 900})
        page = context.new_page()
        _login(page, live_server.url, role)
        links = page.eval_on_selector_all("nav.main-nav a", "els => els.map(a => a.getAttribute('href'))")
        assert links, f"{role}: ingen meny"
        paths = [p for p in links if not p.startswith("/admin/")]
        for path in [*paths, *(_resolve(p) for p in EXTRA.get(role, []))]:
            problems += _check(page, f"{live_server.url}{path}", f"{role} {path} {STAFF_WIDTH}", tmp_path,
                               axe_check)
            visited += 1
        context.close()
    assert visited >= 30
    assert not problems, "\n".join(problems)


def test_public_pages_fit_a_375_px_phone(browser, live_server, demo, axe_check, tmp_path):
    """The public pages (/konton/, /postlista/, the report form) on a phone; and the moderator's dashboard,
    queue and item page, which must not break there either."""
    problems: list[str] = []
    context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 740}, is_mobile=True)
    page = context.new_page()
    for path in PUBLIC:
        problems += _check(page, f"{live_server.url}{path}", f"anonym {path} {PHONE_WIDTH}", tmp_path, axe_check)
    assert len(list(tmp_path.glob("*.png"))) == len(PUBLIC)
    _login(page, live_server.url, "moderator")
    for path in ("/", "/granskning/", _resolve("ITEM")):
        problems += _check(page, f"{live_server.url}{path}", f"moderator {path} {PHONE_WIDTH}", tmp_path, axe_check)
    context.close()
    assert not problems, "\n".join(problems)

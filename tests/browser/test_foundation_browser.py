"""Playwright drives Debian's Chromium against the live server."""

import pytest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_moderator_logs_in_sees_swedish_dashboard_and_switches_to_english(
    page, live_server, users, login, axe_check, artifacts_dir
):
    page.goto(f"{live_server.url}/konto/logga-in/")
    assert page.locator("html").get_attribute("lang") == "sv"
    axe_check(page, "inloggningssidan")
    login(page, "moderator")
    assert page.get_by_role("heading", name="Översikt", level=1).is_visible()
    assert page.get_by_role("navigation", name="Huvudmeny").is_visible()
    assert page.get_by_role("link", name="Granskningslogg").count() == 0
    axe_check(page, "översikten")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Overview", level=1).is_visible()
    page.screenshot(path=str(artifacts_dir / "dashboard-en.png"), full_page=True)
    axe_check(page, "översikten på engelska")


def test_keyboard_focus_is_visible_and_skip_link_works(page, live_server, users, login):
    login(page, "auditor")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Hoppa till innehållet"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

"""Navigation shows only what the user may open (issue 13.8): for each role, every link in the main
menu answers 200, never 403; a user without a role gets no menu."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ROLES = ("moderator", "registrar", "archivist", "administrator", "auditor")


def _nav_links(body: str) -> list[str]:
    nav = re.search(r'<nav class="main-nav"[^>]*>(.*?)</nav>', body, re.S)
    return re.findall(r'href="([^"]+)"', nav.group(1)) if nav else []


@pytest.mark.parametrize("role", ROLES)
def test_nav_every_link_for_role_answers_200(client_for, role):
    c = client_for(role)
    links = _nav_links(c.get("/").content.decode())
    assert "/" in links and len(links) >= 3, links
    bad = {}
    for href in links:
        r = c.get(href)
        if r.status_code != 200:
            bad[href] = r.status_code
    assert not bad, f"{role}: {bad}"


def _tab_links(body: str) -> list[str]:
    """Links in the page's own tab bars (<nav> inside <main>)."""
    main = body[body.find("<main"):]
    links = []
    for block in re.findall(r"<nav\b[^>]*>(.*?)</nav>", main, re.S):
        links += [h.replace("&amp;", "&") for h in re.findall(r'href="(/[^"]*)"', block)]
    return links


@pytest.mark.parametrize("role", ROLES)
def test_nav_tabs_on_every_menu_page_answer_200_for_role(client_for, role):
    """The tab bars of the pages the menu leads to (archive, configuration, inbox…) offer only pages
    the role may open."""
    c = client_for(role)
    bad, seen = {}, set()
    for page in _nav_links(c.get("/").content.decode()):
        if page.startswith("/admin/"):
            continue
        for href in _tab_links(c.get(page).content.decode()):
            if href in seen or href.startswith("?"):
                continue
            seen.add(href)
            status = c.get(href).status_code
            if status != 200:
                bad[f"{page} -> {href}"] = status
    assert not bad, f"{role}: {bad}"


def test_nav_user_without_role_gets_no_menu(users):
    c = Client()
    c.force_login(users["norole"])
    r = c.get("/")
    assert r.status_code == 403
    assert _nav_links(r.content.decode()) == []


def test_queue_moderator_whose_units_own_no_channel_gets_empty_queue_200(client_for):
    """Was a 500 (an empty channel list cannot be compiled to SQL for the tab counts)."""
    from moderation.models import Channel

    assert not Channel.objects.exists()
    r = client_for("moderator").get("/granskning/")
    assert r.status_code == 200, r.content

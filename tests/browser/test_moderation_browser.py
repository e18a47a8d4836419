"""A moderator works the queue with the keyboard in Debian's Chromium; axe-core checks the queue,
the item page and the public pages."""

import pytest

from moderation.models import Decision, DecisionAction, Item, ItemState, Priority
from tests.factories import AuthorFactory, ChannelFactory, FlagFactory, ItemFactory, UnitFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def queue_items(users):
    unit = UnitFactory(code="kommunledning")
    channel = ChannelFactory(slug="exempelstad-facebook", name="Exempelstad på Facebook", unit=unit)
    post = ItemFactory(channel=channel, outgoing=True, text="Nu öppnar badhuset igen!", state=ItemState.DECIDED)
    texts = [
        "Ni på kommunen är ena jävla idioter allihop",
        "Hur länge har badhuset öppet på lördagar?",
        "Köp billigt guld på www.example.com",
    ]
    items = []
    for n, text in enumerate(texts):
        item = ItemFactory(channel=channel, parent=post, root_post=post, kind="comment", text=text,
                           search_text=text.casefold(), author=AuthorFactory(channel=channel),
                           priority=Priority.FLAGGED if n != 1 else Priority.NONE)
        if n == 0:
            start = text.index("jävla")
            FlagFactory(item=item, spans=[{"start": start, "end": start + 5, "term": "jävl*"}])
        items.append(item)
    return items


def test_moderator_removes_comment_with_keyboard_and_it_leaves_the_queue(
    page, live_server, users, login, axe_check, artifacts_dir, queue_items
):
    hate = queue_items[0]
    login(page, "moderator")
    page.goto(f"{live_server.url}/granskning/")
    assert page.get_by_role("heading", name="Granskningskö", level=1).is_visible()
    assert page.locator("mark.hit").first.inner_text() == "jävla"
    axe_check(page, "granskningskön")

    # The help box is toggled with "?".
    help_box = page.locator("#keyboard-help")
    assert help_box.is_hidden()
    page.locator("body").press("?")
    assert help_box.is_visible()
    page.keyboard.press("?")
    assert help_box.is_hidden()

    rows = page.locator("#queue-table tbody tr[data-pk]")
    assert rows.count() == 3
    page.keyboard.press("j")
    assert rows.nth(0).get_attribute("aria-selected") == "true"
    page.keyboard.press("j")
    assert rows.nth(1).get_attribute("aria-selected") == "true"
    assert rows.nth(0).get_attribute("aria-selected") == "false"
    page.keyboard.press("k")
    assert rows.nth(0).get_attribute("aria-selected") == "true"
    assert rows.nth(0).get_attribute("data-pk") == str(hate.pk)

    page.keyboard.press("d")
    dialog = page.locator("#remove-dialog")
    assert dialog.is_visible()
    page.keyboard.type("Personligt angrepp med svordom.")
    page.screenshot(path=str(artifacts_dir / "queue-remove-dialog.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Ta bort", exact=True).click()

    assert page.locator(f'#queue-table tr[data-pk="{hate.pk}"]').count() == 0
    assert page.locator("#queue-table tbody tr[data-pk]").count() == 2
    hate.refresh_from_db()
    assert hate.state == ItemState.DECIDED
    decision = Decision.objects.get(item=hate)
    assert decision.action == DecisionAction.REMOVE and decision.note == "Personligt angrepp med svordom."
    page.screenshot(path=str(artifacts_dir / "queue-after-remove.png"), full_page=True)

    # Enter opens the selected item; the page claims it and passes axe.
    page.keyboard.press("j")
    assert page.locator("#queue-table tbody tr[data-pk]").nth(0).get_attribute("aria-selected") == "true"
    page.keyboard.press("Enter")
    page.wait_for_url("**/granskning/inlagg/**")
    page.wait_for_selector("text=Du granskar")
    opened = Item.objects.get(pk=int(page.url.rstrip("/").split("/")[-1]))
    assert opened.claimed_by.username == "moderator"
    axe_check(page, "inläggssidan")
    page.screenshot(path=str(artifacts_dir / "item-detail.png"), full_page=True)


def test_public_pages_pass_axe(page, live_server, axe_check, artifacts_dir, queue_items):
    page.goto(f"{live_server.url}/konton/")
    assert page.get_by_role("heading", name="Kommunens konton i sociala medier").is_visible()
    assert page.context.cookies() == []
    axe_check(page, "/konton/")
    page.goto(f"{live_server.url}/anmal/")
    axe_check(page, "/anmal/")
    page.screenshot(path=str(artifacts_dir / "public-report-form.png"), full_page=True)

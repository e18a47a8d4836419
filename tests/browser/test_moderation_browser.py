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
    # The dialog shows the comment's text and the rules to cite (the flag's rule marked, not ticked).
    assert "jävla idioter" in page.locator("#remove-dialog-text").inner_text()
    assert page.locator("#remove-rule-profanity").is_checked() is False
    assert page.locator("#remove-dialog-cited").inner_text() not in ("", "—")
    page.keyboard.type("Personligt angrepp med svordom.")
    page.screenshot(path=str(artifacts_dir / "queue-remove-dialog.png"), full_page=True)
    axe_check(page, "ta bort-dialogen")
    page.get_by_role("button", name="Ta bort", exact=True).click()

    # Applied in place: no reload, the row leaves and the selection moves to the next row.
    page.wait_for_selector(f'#queue-table tr[data-pk="{hate.pk}"]', state="detached")
    assert page.locator("#undo-bar").is_visible()
    assert page.locator("#queue-table tbody tr[data-pk]").count() == 2
    hate.refresh_from_db()
    assert hate.state == ItemState.DECIDED
    decision = Decision.objects.get(item=hate)
    assert decision.action == DecisionAction.REMOVE and decision.note == "Personligt angrepp med svordom."
    page.screenshot(path=str(artifacts_dir / "queue-after-remove.png"), full_page=True)

    # Enter opens the selected item; the page claims it and passes axe.
    assert page.locator("#queue-table tbody tr[data-pk]").nth(0).get_attribute("aria-selected") == "true"
    page.keyboard.press("Enter")
    page.wait_for_url("**/granskning/inlagg/**")
    # Opening claims nothing; "Ta" does.
    assert page.locator("text=Du granskar").count() == 0
    page.get_by_role("button", name="Ta", exact=True).click()
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


def test_moderator_keyboard_in_place_undo_serious_note_and_live_removal(
    page, live_server, users, login, axe_check, artifacts_dir, queue_items
):
    from django.utils import timezone

    from moderation.queue.services.decisions import item_decide
    from tests.factories import RuleFactory

    hate, question, spam = queue_items
    threat = ItemFactory(channel=hate.channel, text="Jag vet var du bor", priority=Priority.URGENT, flag_count=1,
                         received_at=timezone.now())
    FlagFactory(item=threat, rule=RuleFactory(code="threat"), detail="Hotfulla ord.", spans=[])
    login(page, "moderator")
    page.goto(f"{live_server.url}/granskning/")
    rows = page.locator("#queue-table tbody tr[data-pk]")
    assert rows.count() == 4
    assert rows.nth(0).get_attribute("data-pk") == str(threat.pk)  # urgent first

    # "f" on a threat asks for a note first; cancelling keeps it in the queue.
    page.keyboard.press("j")
    page.keyboard.press("f")
    assert page.locator("#keep-dialog").is_visible()
    assert "Jag vet var du bor" in page.locator("#keep-dialog-text").inner_text()
    page.keyboard.type("Citat ur polisens pressmeddelande.")
    page.keyboard.press("Enter")
    page.wait_for_selector(f'#queue-table tr[data-pk="{threat.pk}"]', state="detached")
    assert Decision.objects.get(item=threat).note == "Citat ur polisens pressmeddelande."
    # the selection moved to the next row (now first)
    assert rows.nth(0).get_attribute("aria-selected") == "true"
    assert rows.nth(0).get_attribute("data-pk") == str(hate.pk)

    # "h" hides in place; "u" undoes it with a reversal decision.
    page.keyboard.press("h")
    page.wait_for_selector(f'#queue-table tr[data-pk="{hate.pk}"]', state="detached")
    assert rows.nth(0).get_attribute("aria-selected") == "true"
    page.keyboard.press("u")
    from playwright.sync_api import expect

    expect(page.locator("#queue-live-status")).to_contain_text("ångrat")
    hide = Decision.objects.get(item=hate, action=DecisionAction.HIDE)
    assert Decision.objects.get(reverses=hide).action == DecisionAction.UNHIDE

    # "t" takes the selected row: it stays, showing the claim.
    taken = rows.nth(0).get_attribute("data-pk")
    page.keyboard.press("t")
    expect(page.locator(f"#row-{taken} .claim-cell")).to_contain_text("granskar", timeout=12000)
    assert Item.objects.get(pk=int(taken)).claimed_by.username == "moderator"

    # A colleague decides a row: it leaves this page without a reload.
    other = question if str(spam.pk) == taken else spam
    item_decide(item=Item.objects.get(pk=other.pk), action="keep", actor=users["administrator"])
    page.wait_for_selector(f'#queue-table tr[data-pk="{other.pk}"]', state="detached", timeout=12000)
    # A new item arrives: it appears without a reload.
    fresh = ItemFactory(channel=hate.channel, text="Ny fråga om simskolan", received_at=timezone.now())
    page.wait_for_selector(f'#queue-table tr[data-pk="{fresh.pk}"]', timeout=12000)
    page.screenshot(path=str(artifacts_dir / "queue-live.png"), full_page=True)
    axe_check(page, "granskningskön efter liveuppdatering")


def test_moderator_template_fills_editable_reply_box_and_preview(
    page, live_server, users, login, axe_check, artifacts_dir, queue_items
):
    from tests.factories import ReplyTemplateFactory

    question = queue_items[1]
    template = ReplyTemplateFactory(name="Öppettider", text_sv="Hej {namn}! Se öppettiderna på {kanal}.")
    login(page, "moderator")
    page.goto(f"{live_server.url}/granskning/inlagg/{question.pk}/?action=reply#decision")
    page.get_by_label("Svarsmall").select_option(str(template.pk))
    box = page.get_by_label("Svarstext")
    expected = f"Hej {question.author.display_name}! Se öppettiderna på Exempelstad på Facebook."
    assert box.input_value() == expected
    assert page.locator("#reply-preview").inner_text() == expected
    box.fill(expected + " Välkommen!")
    assert page.locator("#reply-preview").inner_text().endswith("Välkommen!")
    axe_check(page, "svar med mall")
    page.screenshot(path=str(artifacts_dir / "item-reply-template.png"), full_page=True)

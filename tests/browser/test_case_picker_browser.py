"""The registrar picks a case by searching (htmx) instead of typing its number, and registers several
proposals from the inbox into it at once; the pages pass axe-core."""

import os

import pytest
from playwright.sync_api import expect

from records.diarium.services.cases import case_open
from records.models import Document, RegistrationProposal, RegistrationSetting
from tests.factories import ItemFactory, SeriesFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_registrar_picks_case_by_search_and_bulk_registers_inbox(page, live_server, users, login, axe_check,
                                                                 artifacts_dir):
    series = SeriesFactory(code="KS", name="Kommunstyrelsens diarium")
    RegistrationSetting.objects.filter(reason="removed_inappropriate").update(
        default_series=series, running_case_title="Raderade kommentarer på kommunens sociala medier {year}")
    target = case_open(series=series, title="Synpunkter på snöröjningen", actor=users["registrar"])
    case_open(series=series, title="Bygglov för badhuset", actor=users["registrar"])
    items = [ItemFactory(text=f"Olämplig kommentar {n}") for n in range(3)]
    proposals = [RegistrationProposal.objects.create(source_type="moderation.item", source_id=str(i.pk),
                                                     reason="removed_inappropriate") for i in items]

    login(page, "registrar")
    page.goto(f"{live_server.url}/diarium/inkorg/")
    assert page.get_by_role("heading", name="Diarieför markerade förslag i ett ärende").is_visible()
    # filtered by reason, the running case for that reason is offered first
    page.get_by_role("link", name="Raderad till följd av olämpligt innehåll (3)").click()
    page.wait_for_load_state()
    assert page.get_by_text("Årets löpande ärende för skälet öppnas").is_visible()
    axe_check(page, "inkorgen med ärendeväljaren")

    page.get_by_label(f"Markera Inlägg/kommentar {items[0].pk}").check()
    page.get_by_label(f"Markera Inlägg/kommentar {items[1].pk}").check()
    search = page.get_by_label("Ärende för de markerade förslagen")
    search.fill("snöröj")
    search.press("Enter")  # searches (static/js/case-picker.js); must not submit the form
    choice = page.get_by_role("radio", name=f"{target.number} Synpunkter på snöröjningen")
    # the search's answer replaces the list: the non-matching case goes, the matching one stays
    expect(page.get_by_role("radio", name="Bygglov för badhuset")).to_have_count(0)
    choice.wait_for()
    assert "/diarium/inkorg/" in page.url
    choice.check()
    page.screenshot(path=str(artifacts_dir / "case-picker-inbox.png"), full_page=True)
    page.get_by_role("button", name="Diarieför markerade").click()
    page.wait_for_load_state()

    assert page.get_by_role("heading", name=f"Ärende {target.number}").is_visible()
    numbers = [Document.objects.get(source_id=str(i.pk)).number for i in items[:2]]
    assert numbers == [f"{target.number}-1", f"{target.number}-2"]
    assert RegistrationProposal.objects.get(pk=proposals[2].pk).status == "pending"
    page.reload()
    axe_check(page, "ärendesidan efter massdiarieföring")

    # the single proposal: the picker on the proposal page, keyboard only
    page.goto(f"{live_server.url}/diarium/inkorg/{proposals[2].pk}/")
    axe_check(page, "förslagssidan med ärendeväljaren")
    picker = page.get_by_label("Ärende", exact=True)
    picker.fill(target.number)
    expect(page.get_by_role("radio", name="Bygglov för badhuset")).to_have_count(0)
    page.get_by_role("radio", name=f"{target.number} Synpunkter på snöröjningen").wait_for()
    page.get_by_role("radio", name=f"{target.number} Synpunkter på snöröjningen").check()
    # a later search keeps the choice
    picker.fill("badhuset")
    expect(page.get_by_role("radio", name="Bygglov för badhuset")).to_have_count(1)
    expect(page.get_by_role("radio", name=f"{target.number} Synpunkter på snöröjningen")).to_be_checked()
    page.get_by_label("Beskrivning (handlingsmening)").fill("Raderad kommentar")
    page.get_by_role("button", name="Diarieför").click()
    page.wait_for_load_state()
    assert Document.objects.get(source_id=str(items[2].pk)).number == f"{target.number}-3"

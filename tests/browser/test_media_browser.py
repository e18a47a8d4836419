"""A moderator sees a photo comment's picture on the item page (loaded through the permission-checked view),
makes an evidence sheet, and records consent for an outgoing post with a picture; axe-core on each page."""

import pytest

from moderation.media.models import Attachment, FetchStatus
from moderation.media.services import attachments_record
from moderation.models import ItemVersion
from tests.factories import ChannelFactory, ItemFactory
from tests.media_fixtures import *  # noqa: F403 - fixtures (cdn, platform_urls)
from tests.media_fixtures import jpeg_bytes

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def _with_picture(cdn, item, name, *, fail=False):
    url = cdn.add_media(name, jpeg_bytes(size=(160, 120)))
    if fail:
        cdn.fail_next("/cdn/", kind="http", http_status=503)
    item.attachments = [{"kind": "photo", "url": url}]
    item.save(update_fields=["attachments"])
    version = ItemVersion.objects.create(item=item, number=1, text=item.text, attachments=item.attachments)
    attachments_record(item=item, version=version, refs=item.attachments)  # autocommit: fetched at once


def test_item_page_with_picture_evidence_and_consent(page, live_server, users, unit, login, axe_check, cdn,
                                                     artifacts_dir):
    channel = ChannelFactory(unit=unit, slug="exempelstad-facebook")
    item = ItemFactory(channel=channel, text="Kolla här 😀")
    _with_picture(cdn, item, "browser.jpg")
    assert Attachment.objects.get(item=item).status == FetchStatus.STORED
    waiting = ItemFactory(channel=channel, text="En bild till")
    _with_picture(cdn, waiting, "later.jpg", fail=True)
    post = ItemFactory(channel=channel, outgoing=True, consent_basis="", text="Skolavslutningen i parken")
    _with_picture(cdn, post, "post.jpg")

    login(page, "moderator")
    page.goto(f"{live_server.url}/granskning/inlagg/{item.pk}/")
    image = page.get_by_role("img", name="Bild 1 i inlägget")
    image.wait_for()
    handle = image.element_handle()
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=handle, timeout=10_000)
    assert page.evaluate("(img) => img.naturalWidth", handle) == 160  # the JPEG came through the view
    axe_check(page, "inläggssidan med en bild")
    page.get_by_role("button", name="Skapa bevisblad nu").click()
    assert "Bevisbladet är skapat" in page.locator(".messages").inner_text()
    assert page.get_by_role("link", name="PDF/A").is_visible()
    page.screenshot(path=str(artifacts_dir / "item-with-picture.png"), full_page=True)

    page.goto(f"{live_server.url}/granskning/inlagg/{waiting.pk}/")
    assert page.get_by_text("Bilden kunde inte hämtas: Plattformen svarade HTTP 503., nytt försök kl.").is_visible()
    axe_check(page, "inläggssidan med en bild som inte kunde hämtas")

    page.goto(f"{live_server.url}/granskning/samtycken/saknas/")
    axe_check(page, "egna inlägg utan samtycke")
    page.get_by_role("link", name=f"Inlägg {post.pk}").click()
    assert page.get_by_text("Inget samtycke är registrerat för inlägget.").is_visible()
    page.get_by_role("link", name="Registrera ett nytt samtycke för inlägget").click()
    axe_check(page, "formuläret för samtycke")
    page.get_by_label("Vem samtycket gäller").fill("Lisa Lind")
    page.get_by_label("Lämnat den").fill("2026-03-01")
    page.get_by_label("Hur samtycket lämnades").select_option("email")
    page.get_by_label("Vad samtycket omfattar").fill("Bilder från skolavslutningen 2026")
    page.get_by_role("button", name="Spara samtycket").click()
    assert "Samtycket är registrerat" in page.locator(".messages").inner_text()
    assert page.get_by_role("link", name="Lisa Lind", exact=False).first.is_visible()
    axe_check(page, "inläggssidan med samtycke")

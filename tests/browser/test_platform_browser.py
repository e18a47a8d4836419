"""The connectors' staff pages in Debian's Chromium: channel health, dead letters and the write-only
credentials form; axe-core finds nothing serious, and a saved secret is never shown again."""

import pytest

from moderation.models import WebhookDelivery, WebhookStatus
from tests.factories import ChannelFactory, UnitFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SECRET = "sekret-app-hemlighet-4711"


def test_administrator_sets_credentials_and_reviews_health_and_dead_letters(
    page, live_server, users, login, axe_check, artifacts_dir
):
    unit = UnitFactory(code="kommunledning")
    channel = ChannelFactory(slug="exempelstad-facebook", name="Exempelstad på Facebook", unit=unit,
                             external_id="100000000000001")
    WebhookDelivery.objects.create(channel=channel, platform="facebook", body=b'{"object": "page"}',
                                   headers={}, signature_valid=True, status=WebhookStatus.DEAD,
                                   error="entry saknas")
    login(page, "administrator")

    page.goto(f"{live_server.url}/kanaler/exempelstad-facebook/uppgifter/")
    axe_check(page, "kanalens uppgifter")
    page.get_by_label("App-hemlighet").fill(SECRET)
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()
    channel.refresh_from_db()
    assert channel.get_secret("app_secret") == SECRET
    page.goto(f"{live_server.url}/kanaler/exempelstad-facebook/uppgifter/")
    assert SECRET not in page.content()

    page.goto(f"{live_server.url}/kanaler/exempelstad-facebook/halsa/")
    assert page.get_by_role("heading", level=1).is_visible()
    assert SECRET not in page.content()
    axe_check(page, "kanalens hälsa")

    page.goto(f"{live_server.url}/kanaler/dodsbrev/")
    assert "entry saknas" in page.content()
    axe_check(page, "misslyckade leveranser")
    page.screenshot(path=str(artifacts_dir / "dead-letters.png"), full_page=True)

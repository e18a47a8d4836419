"""A moderator sees the unread count in the header, opens the notification list, marks one read in place
(htmx, no reload), follows one to its item and changes what they get by e-mail; axe-core on each page."""

import pytest
from playwright.sync_api import expect

from accounts.models import Notification, NotificationKind
from accounts.notifications.services import notification_emit
from tests.factories import ChannelFactory, ItemFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_moderator_reads_notifications_and_sets_email_preferences(page, live_server, users, unit, login, axe_check,
                                                                 artifacts_dir):
    item = ItemFactory(channel=ChannelFactory(unit=unit, name="Exempelstad", slug="exempelstad-facebook"))
    notification_emit(kind=NotificationKind.ITEM_URGENT, recipients=[users["moderator"]],
                      title=f"Kommentar {item.pk} på Exempelstad (Facebook) är brådskande: hot",
                      body="Inlägget ligger först i granskningskön.", link=f"/granskning/inlagg/{item.pk}/")
    escalated = "Svar 8 på Exempelstad (Facebook) har eskalerats till dig av Rut Registrator"
    notification_emit(kind=NotificationKind.ESCALATION, recipients=[users["moderator"]], title=escalated)

    login(page, "moderator")
    header = page.get_by_role("link", name="Aviseringar 2 olästa")
    assert header.is_visible()
    header.click()
    assert page.get_by_role("heading", name="Aviseringar").is_visible()
    assert page.get_by_text("Du har 2 olästa aviseringar.").is_visible()
    axe_check(page, "aviseringslistan")

    # Mark the escalation read in place: the row changes, the page does not reload.
    page.evaluate("window.__stay = true")
    page.get_by_role("button", name=f"Markera som läst: {escalated}", exact=True).click()
    expect(page.locator(".notification.unread")).to_have_count(1)  # (no string eval under the CSP)
    assert page.evaluate("window.__stay") is True
    escalation = Notification.objects.get(kind=NotificationKind.ESCALATION)
    assert escalation.read_at is not None

    page.get_by_role("link", name=f"Kommentar {item.pk} på Exempelstad (Facebook) är brådskande: hot").click()
    page.wait_for_url(f"**/granskning/inlagg/{item.pk}/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert page.get_by_role("link", name="Aviseringar", exact=True).is_visible()  # no count left

    page.goto(f"{live_server.url}/aviseringar/installningar/")
    axe_check(page, "inställningar för aviseringar")
    page.get_by_role("group", name="Eskalering till dig eller din roll").get_by_label(
        "I den dagliga sammanfattningen").check()
    page.get_by_role("button", name="Spara").click()
    assert "Dina val för aviseringar är sparade." in page.locator(".messages").inner_text()
    assert users["moderator"].notification_preferences.get(kind="escalation").email_mode == "digest"
    page.screenshot(path=str(artifacts_dir / "notification-settings.png"), full_page=True)

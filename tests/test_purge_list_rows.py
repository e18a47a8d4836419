"""The archivist's purge list shows what each row destroys: excerpt (secrecy respected), dates,
class and a link; rows can be filtered and excluded with a reason in place."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from moderation.models import Item
from records.models import PurgeLine, PurgeLineStatus
from records.retention.services.plan import retention_assign
from records.retention.services.purge import purge_list_draft
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db

OLD = dt.datetime(2025, 1, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def purge_list(users):
    items = [ItemFactory(received_at=OLD + dt.timedelta(minutes=i), text=f"Gammal kommentar nummer {i}")
             for i in range(3)]
    secret = ItemFactory(received_at=OLD, text="Hemlig uppgift om grannen")
    retention_assign(target_type="moderation.item", objects=[*items, secret])
    pl = purge_list_draft(actor=users["archivist"], target_types=["moderation.item"])
    # Marked secret after the draft (a moderator's confidential decision): the row must mask it now.
    Item.objects.filter(pk=secret.pk).update(secret=True)
    return pl, items, secret


def _url(pl) -> str:
    return f"/arkiv/gallringslistor/{pl.pk}/"


def test_purge_list_detail_rows_show_excerpt_dates_class_and_link(purge_list, client_for):
    pl, items, secret = purge_list
    r = client_for("archivist").get(_url(pl))
    assert r.status_code == 200, r.content
    html = r.content.decode()
    assert "Gammal kommentar nummer 0" in html
    assert f'href="/granskning/inlagg/{items[0].pk}/"' in html
    assert "2025-01-10" in html  # the date it was published
    line = pl.lines.get(target_id=str(items[0].pk))
    assert line.retention_class.name in html and line.due_date.isoformat() in html


def test_purge_list_detail_secret_item_text_is_masked_for_the_archivist(purge_list, client_for):
    pl, items, secret = purge_list
    r = client_for("archivist").get(_url(pl))
    html = r.content.decode()
    assert "Hemlig uppgift om grannen" not in html
    assert "[sekretess]" in html and "Sekretess: delar visas inte" in html
    row = next(row for row in r.context["rows"] if row["line"].target_id == str(secret.pk))
    assert row["summary"].masked


def test_purge_list_detail_queries_do_not_grow_with_rows(users, client_for):
    def count(n):
        items = [ItemFactory(received_at=OLD, text=f"text {n}-{i}") for i in range(n)]
        retention_assign(target_type="moderation.item", objects=items)
        pl = purge_list_draft(actor=users["archivist"], target_types=["moderation.item"])
        c = client_for("archivist")
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(_url(pl)).status_code == 200
        PurgeLine.objects.filter(purge_list=pl).update(status=PurgeLineStatus.SKIPPED)
        pl.lines.all().delete()
        return len(ctx.captured_queries)

    assert count(2) == count(12)


def test_purge_list_detail_filters_by_search_and_class(purge_list, client_for):
    pl, items, secret = purge_list
    target = pl.lines.get(target_id=str(items[1].pk))
    c = client_for("archivist")
    r = c.get(_url(pl), {"q": target.label})
    assert [row["line"].pk for row in r.context["rows"]] == [target.pk]
    r = c.get(_url(pl), {"klass": str(target.retention_class_id), "typ": "moderation.item"})
    assert len(r.context["rows"]) == 4
    r = c.get(_url(pl), {"status": "skipped"})
    assert r.context["rows"] == []


def test_purge_line_exclude_in_place_htmx_returns_the_row(purge_list, client_for):
    pl, items, secret = purge_list
    line = pl.lines.get(target_id=str(items[0].pk))
    r = client_for("archivist").post(f"/arkiv/gallringslistor/rad/{line.pk}/undanta/",
                                     {"reason": "Behövs i pågående ärende", "back": "status=pending"},
                                     HTTP_HX_REQUEST="true")
    assert r.status_code == 200, r.content
    html = r.content.decode()
    assert html.lstrip().startswith(f'<tr id="rad-{line.pk}"')
    assert "Behövs i pågående ärende" in html and "Raden är undantagen." in html
    line.refresh_from_db()
    assert line.status == PurgeLineStatus.SKIPPED and line.exclude_reason == "Behövs i pågående ärende"


def test_purge_line_exclude_without_reason_is_refused_in_place(purge_list, client_for):
    pl, items, secret = purge_list
    line = pl.lines.get(target_id=str(items[0].pk))
    r = client_for("archivist").post(f"/arkiv/gallringslistor/rad/{line.pk}/undanta/", {"reason": ""},
                                     HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    assert "Ange skäl för att undanta raden." in r.content.decode()
    line.refresh_from_db()
    assert line.status == PurgeLineStatus.PENDING


def test_purge_line_exclude_without_htmx_returns_to_the_same_filtered_page(purge_list, client_for):
    pl, items, secret = purge_list
    line = pl.lines.get(target_id=str(items[0].pk))
    r = client_for("archivist").post(f"/arkiv/gallringslistor/rad/{line.pk}/undanta/",
                                     {"reason": "Behövs", "back": "typ=moderation.item&page=1"})
    assert r.status_code == 302
    assert r["Location"] == f"{_url(pl)}?typ=moderation.item&page=1#rad-{line.pk}"


@pytest.mark.parametrize("role, status", [("moderator", 403), ("registrar", 403), ("auditor", 403)])
def test_purge_line_exclude_others_refused(role, status, purge_list, client_for):
    pl, items, secret = purge_list
    line = pl.lines.get(target_id=str(items[0].pk))
    r = client_for(role).post(f"/arkiv/gallringslistor/rad/{line.pk}/undanta/", {"reason": "x"})
    assert r.status_code == status
    line.refresh_from_db()
    assert line.status == PurgeLineStatus.PENDING


def test_retention_class_form_offers_kinds_in_swedish_and_saves_them(client_for):
    from records.models import RetentionClass

    cls = RetentionClass.objects.get(code="SM-1")
    c = client_for("archivist")
    r = c.get(f"/arkiv/plan/{cls.pk}/")
    assert r.status_code == 200, r.content
    html = r.content.decode()
    assert "Inlägg/kommentar" in html and 'value="moderation.item" ' in html
    assert "t.ex. moderation.item" not in html
    data = {k: ("" if v is None else v) for k, v in {
        "code": cls.code, "name": cls.name, "covers": cls.covers, "action": cls.action,
        "period_days": cls.period_days, "trigger": cls.trigger, "decision_body": cls.decision_body,
        "decision_date": cls.decision_date.isoformat() if cls.decision_date else "",
        "decision_reference": cls.decision_reference, "order": cls.order}.items()}
    data.update({"active": "on", "applies_to_types": ["moderation.item", "records.document"]})
    r = c.post(f"/arkiv/plan/{cls.pk}/", data)
    assert r.status_code == 302, r.content.decode()[:2000]
    cls.refresh_from_db()
    assert cls.applies_to == ["moderation.item", "records.document"]
    html = c.get("/arkiv/plan/").content.decode()
    assert "Inlägg/kommentar, Handling" in html

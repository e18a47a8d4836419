"""The statistics for the annual report (issue 13.7): figures on a known data set, the same numbers on
the page, in the CSV, the PDF and the API, a fixed number of queries, and who sees what."""

import csv
import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories_moderation import ChannelFactory, DecisionFactory, FlagFactory, ItemFactory, RuleFactory

pytestmark = pytest.mark.django_db


def at(month, day, hour=10, minute=0, year=2025):
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


def _removed(channel, minutes, rule, actor, *, day=10):
    from moderation.models import DecisionAction

    received = at(4, day)
    removed = received + dt.timedelta(minutes=minutes)
    item = ItemFactory(channel=channel, received_at=received, first_removed_at=removed, state="decided")
    DecisionFactory(item=item, action=DecisionAction.REMOVE, created_at=removed, actor=actor, rules=[rule])
    return item


def build_data_set(unit, other_unit, actor, *, copies=1):
    """Quarter 2 of 2025 (Europe/Stockholm). `copies` multiplies the moderation rows (for the query count)."""
    from moderation.models import Direction, Sanction, SanctionKind

    fb = ChannelFactory(slug="stat-facebook", name="Statistik Facebook", unit=unit)
    yt = ChannelFactory(slug="stat-youtube", name="Statistik Youtube", platform="youtube", unit=other_unit)
    profanity, threat, hate = (RuleFactory(code="profanity"), RuleFactory(code="threat"), RuleFactory(code="hate"))
    for copy in range(copies):
        day = 10 + copy % 15
        fb_items = [_removed(fb, m, profanity, actor, day=day) for m in (10, 20, 30)]
        fb_items.append(_removed(fb, 40, threat, actor, day=day))
        yt_item = _removed(yt, 60, hate, actor, day=day)
        ItemFactory(channel=yt, received_at=at(5, 2))  # waiting, never removed
        ItemFactory(channel=fb, received_at=at(5, 2), direction=Direction.OUTGOING)  # not an incoming item
        ItemFactory(channel=fb, received_at=at(3, 31, 23, 30))  # the last evening of Q1, local time
        DecisionFactory(item=ItemFactory(channel=fb, received_at=at(3, 30)), created_at=at(4, 1, 0, 30),
                        actor=actor)  # keep, decided in Q2 on an item that came in during Q1
        for item, rule in ((fb_items[0], profanity), (fb_items[1], profanity), (fb_items[3], threat),
                           (yt_item, hate)):
            FlagFactory(item=item, rule=rule, created_at=item.received_at)
        FlagFactory(item=fb_items[2], rule=profanity, created_at=at(3, 1))  # flagged in Q1
        author = fb_items[0].author
        Sanction.objects.create(author=author, channel=fb, kind=SanctionKind.BLOCK, created_at=at(4, 11))
        Sanction.objects.create(author=author, channel=fb, kind=SanctionKind.BLOCK, proposed=True,
                                created_at=at(4, 12))  # a proposal nobody confirmed
        Sanction.objects.create(author=author, channel=fb, kind=SanctionKind.POLICE_REPORT, created_at=at(4, 11))
        Sanction.objects.create(author=yt_item.author, channel=yt, kind=SanctionKind.BLOCK, created_at=at(6, 30, 23))
    return fb, yt


def build_records(actor):
    from records.retention.models import PurgeLine, PurgeList
    from tests.factories_records import (
        DisclosureRequestFactory,
        DocumentFactory,
        RetentionClassFactory,
        SubjectRequestFactory,
    )

    DocumentFactory(reason="removed_inappropriate", registered_at=at(4, 2))
    DocumentFactory(reason="removed_inappropriate", registered_at=at(6, 30))
    DocumentFactory(reason="police_report", registered_at=at(5, 5))
    DocumentFactory(reason="police_report", registered_at=at(5, 6), voided=True)
    DocumentFactory(reason="adds_to_case", registered_at=at(7, 1, 0, 5))  # Q3
    DisclosureRequestFactory(received_at=at(4, 7), deadline_at=at(4, 8), decided_at=at(4, 7, 15))
    DisclosureRequestFactory(received_at=at(4, 7), deadline_at=at(4, 8), decided_at=at(4, 9))
    DisclosureRequestFactory(received_at=at(4, 7), deadline_at=at(4, 8))
    SubjectRequestFactory(kind="access", received_at=at(4, 1), deadline=dt.date(2025, 5, 1),
                          answered_at=at(4, 20))
    SubjectRequestFactory(kind="access", received_at=at(4, 1), deadline=dt.date(2025, 5, 1),
                          answered_at=at(5, 2))
    SubjectRequestFactory(kind="erasure", received_at=at(5, 1), deadline=dt.date(2025, 6, 1))
    klass = RetentionClassFactory()
    done = PurgeList.objects.create(reference="GL-2025-001", status="executed", executed_at=at(5, 20),
                                    cutoff_date=dt.date(2025, 5, 1))
    for target_type, target_id, status in (("moderation.item", "1", "done"), ("moderation.item", "2", "done"),
                                           ("records.document", "3", "done"), ("moderation.item", "4", "skipped")):
        PurgeLine.objects.create(purge_list=done, target_type=target_type, target_id=target_id,
                                 retention_class=klass, due_date=dt.date(2025, 5, 1), status=status,
                                 executed_at=at(5, 20) if status == "done" else None)


@pytest.fixture
def data(users, unit, other_unit):
    fb, yt = build_data_set(unit, other_unit, users["moderator"])
    build_records(users["archivist"])
    return {"fb": fb, "yt": yt}


def _by(rows, key):
    return {row[key]: row for row in rows}


def test_statistics_on_known_data_set_give_expected_figures(users, data):
    from moderation.statistics.figures import statistics_for

    s = statistics_for(user=users["auditor"], year=2025, quarter=2)
    mod = s["moderation"]
    fb = _by(mod["channels"], "slug")["stat-facebook"]
    assert fb == {**fb, "items": 4, "flags": 3, "decisions": 5, "removals": 4, "median_minutes": 25.0,
                  "p90_minutes": 37.0, "blocks": 1, "police_reports": 1}
    yt = _by(mod["channels"], "slug")["stat-youtube"]
    assert yt == {**yt, "items": 2, "flags": 1, "decisions": 1, "removals": 1, "median_minutes": 60.0,
                  "p90_minutes": 60.0, "blocks": 1, "police_reports": 0}
    # The demo's other channels have nothing in 2025: the totals are these two channels'.
    assert mod["totals"] == {"items": 6, "flags": 4, "decisions": 6, "removals": 5, "median_minutes": 30.0,
                             "p90_minutes": 52.0, "blocks": 2, "police_reports": 1}
    units = _by(mod["units"], "code")
    assert units["kommunledning"]["removals"] == 4 and units["kommunledning"]["median_minutes"] == 25.0
    assert units["utbildning"]["items"] == 2 and units["utbildning"]["p90_minutes"] == 60.0
    rules = _by(mod["rules"], "code")
    assert rules["profanity"] == {**rules["profanity"], "flags": 2, "decisions": 3, "removals": 3,
                                  "median_minutes": 20.0, "p90_minutes": 28.0}
    assert rules["threat"]["removals"] == 1 and rules["threat"]["median_minutes"] == 40.0
    assert rules["hate"]["flags"] == 1 and rules["hate"]["p90_minutes"] == 60.0
    regs = {r["reason"]: r["count"] for r in s["registrations"]}
    assert regs["removed_inappropriate"] == 2 and regs["police_report"] == 1 and regs["adds_to_case"] == 0
    assert s["disclosure"] == {"received": 3, "handled": 2, "within_deadline": 1, "share_within_deadline": 50.0,
                               "waiting_overdue": 1}
    gdpr = _by(s["gdpr"], "kind")
    assert (gdpr["access"]["received"], gdpr["access"]["answered"], gdpr["access"]["within_deadline"]) == (2, 2, 1)
    assert (gdpr["erasure"]["received"], gdpr["erasure"]["answered"]) == (1, 0)
    assert s["purges"]["lists_executed"] == 1 and s["purges"]["purged"] == 3
    assert {t["target_type"]: t["count"] for t in s["purges"]["by_type"]} == {"moderation.item": 2,
                                                                               "records.document": 1}


def test_statistics_quarter_one_counts_the_last_local_evening_and_not_april(users, data):
    from moderation.statistics.figures import statistics_for

    fb = _by(statistics_for(user=users["auditor"], year=2025, quarter=1)["moderation"]["channels"],
             "slug")["stat-facebook"]
    # 31 March 23:30 in Stockholm is 21:30 UTC: still Q1; plus the item of 30 March.
    assert fb["items"] == 2 and fb["flags"] == 1 and fb["removals"] == 0 and fb["decisions"] == 0


def test_statistics_months_add_up_to_the_totals_in_local_time(users, data):
    from moderation.statistics.figures import statistics_for

    year = statistics_for(user=users["auditor"], year=2025)["moderation"]
    months = {m["month"]: m for m in year["months"]}
    assert list(months) == [f"2025-{n:02d}" for n in range(1, 13)]
    assert sum(m["items"] for m in months.values()) == year["totals"]["items"]
    assert sum(m["removals"] for m in months.values()) == year["totals"]["removals"] == 5
    # 31 March 23:30 Stockholm (21:30 UTC) and 30 March: March; the four April items and two of May.
    assert (months["2025-03"]["items"], months["2025-04"]["items"], months["2025-05"]["items"]) == (2, 5, 1)
    quarter = statistics_for(user=users["auditor"], year=2025, quarter=2)["moderation"]["months"]
    assert [m["month"] for m in quarter] == ["2025-04", "2025-05", "2025-06"]


def test_statistics_whole_year_equals_sum_of_quarters(users, data):
    from moderation.statistics.figures import statistics_for

    year = statistics_for(user=users["auditor"], year=2025)["moderation"]["totals"]
    quarters = [statistics_for(user=users["auditor"], year=2025, quarter=q)["moderation"]["totals"]
                for q in (1, 2, 3, 4)]
    for key in ("items", "flags", "decisions", "removals", "blocks", "police_reports"):
        assert year[key] == sum(q[key] for q in quarters), key


def test_statistics_queries_fixed_whatever_the_number_of_rows(users, unit, other_unit, django_assert_max_num_queries):
    from moderation.statistics.figures import statistics_for

    build_data_set(unit, other_unit, users["moderator"], copies=1)
    build_records(users["archivist"])
    auditor = users["auditor"]
    statistics_for(user=auditor, year=2025, quarter=2)  # warm the permission cache
    with CaptureQueriesContext(connection) as small:
        statistics_for(user=auditor, year=2025, quarter=2)
    from moderation.models import Channel, Item

    Item.objects.filter(channel__in=Channel.objects.filter(slug__startswith="stat-")).delete()
    build_data_set(unit, other_unit, users["moderator"], copies=6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        s = statistics_for(user=auditor, year=2025, quarter=2)
    assert s["moderation"]["totals"]["removals"] == 30
    assert len(small.captured_queries) <= 18


def test_statistics_api_queries_fixed(users, data, client_for, django_assert_max_num_queries):
    c = client_for("auditor")
    c.get("/api/v1/statistics/?year=2025&quarter=2")
    with django_assert_max_num_queries(22):
        r = c.get("/api/v1/statistics/?year=2025&quarter=2")
    assert r.status_code == 200, r.content


def test_statistics_api_gives_the_same_numbers_as_the_service(users, data, client_for):
    from moderation.statistics.figures import statistics_for

    r = client_for("auditor").get("/api/v1/statistics/?year=2025&quarter=2")
    assert r.status_code == 200, r.content
    body = r.json()
    expected = statistics_for(user=users["auditor"], year=2025, quarter=2)
    assert body["moderation"]["totals"] == expected["moderation"]["totals"]
    assert body["period"]["start"] == "2025-04-01" and body["period"]["end"] == "2025-06-30"
    assert body["disclosure"]["within_deadline"] == 1
    assert _by(body["moderation"]["channels"], "slug")["stat-facebook"]["p90_minutes"] == 37.0


@pytest.mark.parametrize("query", ["", "year=abc", "year=2025&quarter=5", "year=1800"])
def test_statistics_api_bad_query_400(client_for, query):
    r = client_for("auditor").get(f"/api/v1/statistics/?{query}")
    assert r.status_code == 400, r.content


def test_statistics_page_shows_charts_tables_and_export_links(users, data, client_for):
    r = client_for("auditor").get("/statistik/?year=2025&quarter=2")
    assert r.status_code == 200, r.content
    body = r.content.decode()
    assert body.count('<svg class="chart"') >= 4
    assert "Kvartal 2 2025" in body and "Statistik Facebook" in body
    assert "/statistik/statistik.csv?year=2025&amp;quarter=2" in body
    assert "/statistik/statistik.pdf?year=2025&amp;quarter=2" in body
    table = body[body.index('id="stats-channels"'):]
    table = table[:table.index("</table>")]
    assert re.search(r"Statistik Facebook \(Facebook\)</th><td>4</td><td>3</td><td>5</td><td>4</td><td>25</td>"
                     r"<td>37</td><td>1</td><td>1</td>", table), table
    assert "Prövade inom tidsfristen" in body and "Gallrade objekt" in body
    assert "style=" not in body and "<script>" not in body


def test_statistics_page_without_year_uses_the_current_year(client_for):
    r = client_for("auditor").get("/statistik/")
    assert r.status_code == 200, r.content
    assert f"År {timezone.localdate().year}" in r.content.decode()


def test_statistics_page_bad_quarter_400(client_for):
    r = client_for("auditor").get("/statistik/?year=2025&quarter=9")
    assert r.status_code == 400


def test_statistics_csv_holds_the_page_figures_and_is_audited(users, data, client_for):
    from accounts.models import AuditEvent

    r = client_for("archivist").get("/statistik/statistik.csv?year=2025&quarter=2&unit=kommunledning")
    assert r.status_code == 200, r.content
    assert r["Content-Type"].startswith("text/csv")
    assert 'filename="statistik-2025-k2.csv"' in r["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert ["Statistik Facebook (Facebook)", "4", "3", "5", "4", "25", "37", "1", "1"] in rows
    assert not any(row and row[0].startswith("Statistik Youtube") for row in rows)  # filtered to one unit
    assert ["Prövade inom tidsfristen", "1"] in rows
    assert ["Enhet", "Kommunledningsförvaltningen"] in rows
    event = AuditEvent.objects.filter(action="export", actor=users["archivist"]).latest("at")
    assert event.detail == {"event": "statistics_export", "format": "csv", "period": "2025-k2",
                            "unit": "kommunledning"}


def test_statistics_pdf_holds_the_figures(users, data, client_for):
    from records.pdf import pdf_text

    r = client_for("auditor").get("/statistik/statistik.pdf?year=2025&quarter=2")
    assert r.status_code == 200, r.content
    assert r["Content-Type"] == "application/pdf"
    text = pdf_text(r.content)
    assert "Statistik för årsredovisningen: Kvartal 2 2025" in text
    flat = " ".join(text.split())
    assert "Statistik Facebook (Facebook) 4 3 5 4" in flat and "(Facebook) 25 37 1 1" in flat, flat
    assert "Inlägg Flaggor Beslut Borttagningar" in flat and "Polisanmälningar" in flat
    assert "Begäran om allmän handling" in flat and "Gallrade: Handling 1" in flat


# --- who sees what ---------------------------------------------------------------------------------


def test_statistics_moderator_sees_only_own_units_channels(users, data, client_for):
    r = client_for("moderator").get("/api/v1/statistics/?year=2025&quarter=2")
    assert r.status_code == 200, r.content
    slugs = {row["slug"] for row in r.json()["moderation"]["channels"]}
    assert "stat-facebook" in slugs and "stat-youtube" not in slugs
    assert r.json()["moderation"]["totals"]["removals"] == 4
    # Asking for another unit's channel by name gives nothing of it.
    r = client_for("moderator").get("/api/v1/statistics/?year=2025&quarter=2&channel=stat-youtube")
    assert r.status_code == 200 and r.json()["moderation"]["channels"] == []
    assert r.json()["moderation"]["totals"]["items"] == 0
    page = client_for("moderator").get("/statistik/?year=2025&quarter=2&channel=stat-youtube")
    assert page.status_code == 400  # not a choice for this moderator
    assert "Statistik Youtube" not in client_for("moderator").get("/statistik/?year=2025").content.decode()


@pytest.mark.parametrize(("role", "sections"), [
    ("moderator", set()),
    ("registrar", {"registrations", "disclosure"}),
    ("archivist", {"registrations", "disclosure", "gdpr", "purges"}),
    ("administrator", set()),
    ("auditor", {"registrations", "disclosure", "gdpr", "purges"}),
])
def test_statistics_records_sections_follow_the_role(users, data, client_for, role, sections):
    body = client_for(role).get("/api/v1/statistics/?year=2025&quarter=2").json()
    shown = {key for key in ("registrations", "disclosure", "gdpr", "purges") if body[key] is not None}
    assert shown == sections
    page = client_for(role).get("/statistik/?year=2025&quarter=2").content.decode()
    assert ('id="stats-gdpr"' in page) == ("gdpr" in sections)


def test_statistics_nav_link_only_for_roles_that_may_open_it(users, client_for):
    from django.test import Client

    for role in ("moderator", "registrar", "archivist", "administrator", "auditor"):
        assert 'href="/statistik/"' in client_for(role).get("/").content.decode(), role
    c = Client()
    c.force_login(users["norole"])
    assert 'href="/statistik/"' not in c.get("/").content.decode()

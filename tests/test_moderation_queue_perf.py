"""The queue page's fixed costs: tab counts with filters in one query (both paths), query counts
per filter independent of the page size, the cheap choice labels, and on PostgreSQL the full-text
index actually used by the queue's search."""

import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from moderation.models import FlagSource, Item, ItemState, Priority
from moderation.queue import rows as queue_module
from moderation.queue.filters import text_search
from moderation.queue.rows import queue_queryset, tab_counts
from moderation.templatetags.moderation_tags import display, received_time
from tests.factories_moderation import ChannelFactory, FlagFactory, ItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel(unit):
    return ChannelFactory(slug="exempelstad-facebook", unit=unit)


def _flagged(channel, n, *, state=ItemState.NEW, text="Du är en jävla idiot"):
    items = []
    for _ in range(n):
        item = ItemFactory(channel=channel, text=text, search_text=text.casefold(), priority=Priority.FLAGGED,
                           flag_count=1, state=state)
        FlagFactory(item=item, spans=[{"start": 9, "end": 14, "term": "jävl*"}])
        items.append(item)
    return items


def test_tab_counts_with_filter_counts_every_tab_in_one_query(users, channel):
    _flagged(channel, 3)
    _flagged(channel, 2, state=ItemState.HELD)
    ItemFactory(channel=channel)  # no flag: outside the rule filter
    user = users["moderator"]
    user.unit_ids(), user.role_names
    with CaptureQueriesContext(connection) as ctx:
        counts = tab_counts(user, {"rule": "profanity", "source": FlagSource.DETECTOR})
    assert len(ctx.captured_queries) == 1
    assert (counts["new"], counts["held"], counts["decided"], counts["open"]) == (3, 2, 0, 5)
    assert not counts["new_capped"]


def test_tab_counts_with_filter_over_scan_cap_falls_back_to_capped_counts(users, channel, monkeypatch):
    _flagged(channel, 4)
    _flagged(channel, 2, state=ItemState.ESCALATED)
    monkeypatch.setattr(queue_module, "FILTERED_SCAN_CAP", 3)
    monkeypatch.setattr(queue_module, "OPEN_COUNT_CAP", 3)
    user = users["moderator"]
    user.has_perm("moderation.view_item")  # the request's permission cache (the view's decorator fills it)
    with CaptureQueriesContext(connection) as ctx:
        counts = tab_counts(user, {"q": "idiot"})
    assert len(ctx.captured_queries) <= 4  # role/unit caches + the one count query
    assert counts["new"] == 3 and counts["new_capped"]
    assert counts["escalated"] == 2 and not counts["escalated_capped"]


def test_queue_queryset_with_channel_ids_scopes_like_visible_to(users, channel, other_unit):
    mine = ItemFactory(channel=channel)
    ItemFactory(channel=ChannelFactory(slug="annan", unit=other_unit))
    user = users["moderator"]
    assert [i.pk for i in queue_queryset(user, {}, channel_ids=[channel.pk])] == [mine.pk]
    assert tab_counts(user, {}, channel_ids=[channel.pk])["new"] == 1


@pytest.mark.parametrize("filters", [{}, {"channel": "exempelstad-facebook"}, {"rule": "profanity"},
                                     {"q": "idiot"}, {"source": "detector", "date_from": "2020-01-01"}])
def test_queue_view_query_count_same_for_10_and_100_rows_with_filters(client_for, channel, filters):
    _flagged(channel, 30)
    c = client_for("moderator")
    c.get("/granskning/", filters)  # warm per-process caches
    counts = []
    for per_page in (10, 100):
        with CaptureQueriesContext(connection) as ctx:
            r = c.get("/granskning/", {**filters, "per_page": per_page})
        assert r.status_code == 200, r.content
        assert len(r.context["page"].object_list) == min(per_page, 30)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert '<mark class="hit">jävla</mark>' in r.content.decode()


def test_display_filter_matches_get_display(channel):
    item = ItemFactory(channel=channel, priority=Priority.URGENT)
    flag = FlagFactory(item=item)
    assert display(item, "priority") == item.get_priority_display()
    assert display(item, "kind") == item.get_kind_display()
    assert display(channel, "platform") == channel.get_platform_display()
    assert display(flag, "source") == flag.get_source_display()
    assert display(None, "kind") == ""


def test_received_time_renders_iso_title_and_age(channel):
    item = ItemFactory(channel=channel)
    html = received_time(item.received_at)
    assert html.startswith('<time datetime="') and "</time>" in html and 'title="' in html


@pytest.mark.postgres
def test_queue_search_uses_the_full_text_index(users, channel):
    if connection.vendor != "postgresql":
        if os.environ.get("UPPSIKT_REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL required")
        pytest.skip("PostgreSQL only")
    _flagged(channel, 3, text="Badhuset är stängt")
    queue_qs = queue_queryset(users["auditor"], {"q": "badhuset"}, prefetch=False)
    queue_sql, queue_params = queue_qs.query.sql_with_params()
    bare_sql, bare_params = text_search(Item.objects.all(), "badhuset").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'moderation_item_text_fts'")
        indexdef = cursor.fetchone()[0]
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + bare_sql, bare_params)
        bare_plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN " + queue_sql, queue_params)
        queue_plan = "\n".join(row[0] for row in cursor.fetchall())
    expression = "to_tsvector('swedish'::regconfig, COALESCE(text, ''::text))"
    assert expression in indexdef, indexdef
    assert expression in queue_plan, queue_plan  # the queue's search is the indexed expression
    assert "moderation_item_text_fts" in bare_plan, bare_plan
    assert queue_queryset(users["auditor"], {"q": "badhuset"}).count() == 3

"""The queue read model: fixed query count, tabs, counts, unit scoping, filters."""

import pytest

from moderation.models import ItemState, Priority
from moderation.queue.rows import queue_queryset, tab_counts
from tests.factories_moderation import ChannelFactory, FlagFactory, ItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel(unit):
    return ChannelFactory(slug="exempelstad-facebook", unit=unit)


def _fill(channel, n):
    for i in range(n):
        item = ItemFactory(channel=channel, priority=Priority.FLAGGED if i % 2 else Priority.NONE)
        FlagFactory(item=item)


def _page(user, size):
    rows = list(queue_queryset(user, {"tab": "new"})[:size])
    for row in rows:  # everything the table shows
        _ = (row.channel.slug, row.channel.unit.name, row.author and row.author.display_name, row.claimed_by,
             [(f.rule.code, f.detector, f.detail) for f in row.open_flags])
    return rows


def test_queue_queryset_query_count_same_for_10_and_100_rows(users, channel, django_assert_num_queries):
    _fill(channel, 100)
    user = users["moderator"]
    user.unit_ids(), user.role_names  # warm the user's caches as a request would
    with django_assert_num_queries(2):
        assert len(_page(user, 10)) == 10
    with django_assert_num_queries(2):
        assert len(_page(user, 100)) == 100


def test_queue_queryset_sorted_by_priority_then_age(users, channel):
    late_urgent = ItemFactory(channel=channel, priority=Priority.URGENT)
    early = ItemFactory(channel=channel)
    ids = [i.pk for i in queue_queryset(users["moderator"], {})]
    assert ids.index(late_urgent.pk) < ids.index(early.pk)


def test_tab_counts_one_query_per_group(users, channel, django_assert_max_num_queries):
    ItemFactory(channel=channel)
    ItemFactory(channel=channel, state=ItemState.HELD)
    ItemFactory(channel=channel, state=ItemState.DECIDED)
    user = users["moderator"]
    user.unit_ids(), user.role_names
    with django_assert_max_num_queries(2):
        counts = tab_counts(user, {"tab": "new"})
    assert counts["new"] == 1 and counts["held"] == 1 and counts["decided"] == 1 and counts["open"] == 2


def test_queue_other_units_items_invisible(users, channel, other_unit, make_user):
    ItemFactory(channel=channel)
    ItemFactory(channel=ChannelFactory(unit=other_unit))
    assert queue_queryset(users["moderator"], {}).count() == 1
    other = make_user("moderator", username="moderator2", units=[other_unit])
    assert queue_queryset(other, {}).count() == 1
    assert tab_counts(other, {})["new"] == 1
    assert queue_queryset(users["auditor"], {}).count() == 2


def test_queue_filters_rule_source_unit_text_and_bad_values_ignored(users, channel):
    flagged = ItemFactory(channel=channel, text="Jävla kommun")
    FlagFactory(item=flagged)
    ItemFactory(channel=channel, text="Trevlig helg")
    user = users["moderator"]
    assert [i.pk for i in queue_queryset(user, {"rule": "profanity"})] == [flagged.pk]
    assert [i.pk for i in queue_queryset(user, {"source": "detector"})] == [flagged.pk]
    assert queue_queryset(user, {"unit": "kommunledning"}).count() == 2
    assert queue_queryset(user, {"q": "helg"}).count() == 1
    assert queue_queryset(user, {"date_from": "inte-ett-datum"}).count() == 2
    assert queue_queryset(user, {"tab": "decided"}).count() == 0

"""The twice-yearly channel snapshot: one registered document per channel and half-year (idempotent), with the
channel's own posts and their comments, secret content left out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from moderation.platforms.snapshot import (
    SECRET_OMITTED,
    SOURCE_TYPE,
    channel_snapshot,
    last_completed_period_end,
    period_bounds,
)
from records.models import Document
from tests.factories import ChannelFactory, ItemFactory
from tests.factories_records import SeriesFactory

pytestmark = pytest.mark.django_db

IN_PERIOD = timezone.make_aware(dt.datetime(2026, 3, 1, 12, 0))


@pytest.fixture
def channel(unit):
    return ChannelFactory(slug="snap-facebook", unit=unit, name="Exempelstad på Facebook")


def test_period_helpers():
    assert period_bounds(dt.date(2026, 6, 30)) == (dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert period_bounds(dt.date(2025, 12, 31)) == (dt.date(2025, 7, 1), dt.date(2025, 12, 31))
    assert last_completed_period_end(dt.date(2026, 3, 2)) == dt.date(2025, 12, 31)
    assert last_completed_period_end(dt.date(2026, 7, 1)) == dt.date(2026, 6, 30)
    with pytest.raises(ValueError):
        period_bounds(dt.date(2026, 5, 1))


def test_snapshot_registers_posts_and_comments_once(channel, users):
    SeriesFactory()
    post = ItemFactory(channel=channel, outgoing=True, received_at=IN_PERIOD, text="Badhuset öppnar")
    ItemFactory(channel=channel, root_post=post, parent=post, received_at=IN_PERIOD, text="Äntligen!")
    ItemFactory(channel=channel, root_post=post, parent=post, received_at=IN_PERIOD, is_secret=True,
                text="Mitt personnummer är ...")
    ItemFactory(channel=channel, outgoing=True, received_at=IN_PERIOD - dt.timedelta(days=200), text="Gammalt")
    result = channel_snapshot(channel=channel, actor=users["administrator"], period_end=dt.date(2026, 6, 30))
    assert result["created"] is True
    doc = Document.objects.get(source_type=SOURCE_TYPE)
    assert "Badhuset öppnar" in doc.content and "Äntligen!" in doc.content
    assert "Gammalt" not in doc.content
    assert SECRET_OMITTED in doc.content and "personnummer" not in doc.content
    assert doc.content_meta["retention_class"] == "SM-6"
    assert len(doc.content_meta["posts"]) == 1 and len(doc.content_meta["posts"][0]["comments"]) == 2
    again = channel_snapshot(channel=channel, period_end=dt.date(2026, 6, 30))
    assert again == {"document": doc.number, "created": False}
    assert Document.objects.filter(source_type=SOURCE_TYPE).count() == 1
    channel_snapshot(channel=channel, period_end=dt.date(2026, 12, 31))
    assert Document.objects.filter(source_type=SOURCE_TYPE).count() == 2
    assert len({d.case_id for d in Document.objects.filter(source_type=SOURCE_TYPE)}) == 1


def test_snapshot_without_series_skipped(channel):
    assert "skipped" in channel_snapshot(channel=channel, period_end=dt.date(2026, 6, 30))


def test_run_scheduled_enqueues_snapshot_and_sweeper(channel, capsys):
    SeriesFactory()
    call_command("run_scheduled")
    out = capsys.readouterr().out
    assert "Körde platform_actions_sweep [" in out and "Körde channel_snapshots [" in out and "snap-facebook" in out
    assert Document.objects.filter(source_type=SOURCE_TYPE).count() == 1  # immediate backend in tests
    call_command("run_scheduled")
    assert "snapshot" not in capsys.readouterr().out

"""Events waiting for an item or a parent that never comes: expired after UPPSIKT_PENDING_EVENT_TTL_HOURS —
the missing item is read from the platform when possible, otherwise the event is kept as an item without a
parent (never lost) — and purged with the item they concern."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from moderation.models import Item, PendingEvent
from moderation.platforms.pending import pending_events_expire
from moderation.retention_hooks import scrub_items
from records import registry
from tests.fakeplatform import builders as b
from tests.platform_fixtures import *  # noqa: F403 - fixtures
from tests.platform_fixtures import post_delivery

pytestmark = pytest.mark.django_db

POST = "137542570280222_139560936744456"
COMMENT = "139560936744456_139620233405726"


@pytest.fixture
def hook(client, fb_channel, django_capture_on_commit_callbacks):
    def send(*changes):
        with django_capture_on_commit_callbacks(execute=True):
            post_delivery(client, fb_channel, b.delivery("page", [b.entry(b.PAGE_ID, *changes)]))

    return send


def age(hours: int) -> None:
    PendingEvent.objects.update(received_at=timezone.now() - timedelta(hours=hours))


def test_young_rows_are_left_alone(platform_urls, hook, settings):
    settings.UPPSIKT_PENDING_EVENT_TTL_HOURS = 48
    hook(b.facebook_comment_change())
    age(47)
    assert pending_events_expire() == {}
    assert PendingEvent.objects.filter(expired_at__isnull=True, applied_at__isnull=True).count() == 1


def test_missing_parent_fetched_from_platform(platform_urls, hook, fb_channel, settings):
    settings.UPPSIKT_PENDING_EVENT_TTL_HOURS = 1
    platform_urls.add_post(POST, text="Badhuset öppnar", author_id=b.PAGE_ID)
    hook(b.facebook_comment_change())
    comment = Item.objects.get(external_id=COMMENT)
    assert comment.root_post is None
    age(2)
    assert pending_events_expire() == {"fetched": 1}
    comment.refresh_from_db()
    post = Item.objects.get(external_id=POST)
    assert comment.root_post_id == post.pk and comment.parent_id == post.pk
    assert post.direction == "outgoing" and post.text == "Badhuset öppnar"


def test_parent_the_platform_cannot_give_leaves_item_without_parent(platform_urls, hook, settings):
    settings.UPPSIKT_PENDING_EVENT_TTL_HOURS = 1
    hook(b.facebook_comment_change())
    age(2)
    assert pending_events_expire() == {"orphaned": 1}
    row = PendingEvent.objects.get()
    assert row.expired_at is not None and "utan överordnat" in row.outcome
    assert Item.objects.get(external_id=COMMENT).text  # never lost
    assert pending_events_expire() == {}  # done once


def test_edit_of_item_that_never_came_becomes_the_item(platform_urls, hook, settings):
    settings.UPPSIKT_PENDING_EVENT_TTL_HOURS = 1
    hook(b.facebook_comment_change(verb="edited", message="Bara redigeringen kom"))
    age(2)
    counts = pending_events_expire()
    assert counts.get("kept_as_item") == 1
    item = Item.objects.get(external_id=COMMENT)
    assert item.text == "Bara redigeringen kom"


def test_remove_of_item_fetched_when_platform_still_has_it(platform_urls, hook, settings):
    settings.UPPSIKT_PENDING_EVENT_TTL_HOURS = 1
    platform_urls.add_comment(COMMENT, text="Finns kvar där", post_id=POST)
    hook(b.facebook_comment_change(verb="hide"))
    age(2)
    assert pending_events_expire().get("fetched") == 1
    item = Item.objects.get(external_id=COMMENT)
    assert item.text == "Finns kvar där" and item.hidden_on_platform is True
    assert PendingEvent.objects.get(verb="hide").applied_at is not None


def test_pending_rows_purged_with_their_item(platform_urls, hook):
    hook(b.facebook_comment_change())  # waits for its post: a "parent" row tied to the comment
    hook(b.facebook_comment_change(comment_id="139560936744456_2", verb="edited", message="x"))
    hook(b.facebook_comment_change(comment_id="139560936744456_2", message="y"))  # applied: tied too
    items = list(Item.objects.values_list("pk", flat=True))
    assert PendingEvent.objects.filter(item_id__in=items).count() >= 2
    scrub_items([str(i) for i in items], registry.ScrubContext(reason="purge", purge_list_id=1))
    assert not PendingEvent.objects.filter(item_id__in=items).exists()
    assert not PendingEvent.objects.filter(event__child_id__in=items).exists()

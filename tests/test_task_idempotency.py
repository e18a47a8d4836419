"""Every background task is idempotent: run twice (a retry, a duplicate from two schedulers, a worker that
died after its work but before acknowledging it), the second run changes nothing. One test per task; each
compares the state that matters after the first and after the second run."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from moderation.models import (
    Flag,
    Item,
    ItemVersion,
    PlatformAction,
    PlatformActionKind,
    PlatformActionStatus,
    WebhookDelivery,
)
from records.models import Document, PurgeLine, PurgeList, Tombstone
from tests.factories import AuthorFactory, ChannelFactory, DetectorFactory, ItemFactory, RuleFactory
from tests.factories_records import SeriesFactory
from tests.fakeplatform import builders as b
from tests.platform_fixtures import *  # noqa: F403 - fixtures
from tests.platform_fixtures import APP_SECRET

pytestmark = pytest.mark.django_db

OLD = dt.datetime(2025, 1, 10, 9, 0, tzinfo=dt.UTC)


def state(fake=None) -> dict:
    """What a task may change: rows and their states (not timestamps of bookkeeping)."""
    return {
        "items": sorted(Item.objects.values_list("external_id", "state", "text")),
        "versions": ItemVersion.objects.count(),
        "flags": sorted(Flag.objects.values_list("item_id", "rule_id", "source")),
        "actions": sorted(PlatformAction.objects.values_list("pk", "status", "attempts")),
        "deliveries": sorted(WebhookDelivery.objects.values_list("pk", "status")),
        "documents": Document.objects.count(),
        "purge_lists": sorted(PurgeList.objects.values_list("reference", "status")),
        "purge_lines": sorted(PurgeLine.objects.values_list("target_id", "status")),
        "tombstones": sorted(Tombstone.objects.values_list("target_type", "target_id")),
        "retention": sorted(Item.objects.values_list("pk", "retention_class_code", "retention_due")),
        "platform_calls": [(c.method, c.path) for c in fake.calls] if fake else [],
    }


def twice(run, fake=None) -> dict:
    run()
    first = state(fake)
    run()
    assert state(fake) == first
    return first


def test_webhook_delivery_process_twice_changes_nothing(fb_channel):
    from moderation.platforms.tasks import webhook_delivery_process

    body = b.encode(b.delivery("page", [b.entry(b.PAGE_ID, b.facebook_comment_change(message="Hej!"))]))
    delivery = WebhookDelivery.objects.create(channel=fb_channel, platform=fb_channel.platform, body=body,
                                              headers={"X-Hub-Signature-256": b.sign(body, APP_SECRET)},
                                              signature_valid=True)
    after = twice(lambda: webhook_delivery_process.enqueue(delivery_id=delivery.pk))
    assert len(after["items"]) == 1 and after["versions"] == 1


def _delete_action(fake, channel):
    item = ItemFactory(channel=channel, external_id="111_333", text="Bort", author=AuthorFactory(channel=channel))
    ItemVersion.objects.create(item=item, number=1, text=item.text)
    fake.add_comment("111_333", text="Bort")
    return PlatformAction.objects.create(channel=channel, kind=PlatformActionKind.DELETE, item=item,
                                         payload={"target_id": "111_333"},
                                         next_attempt_at=timezone.now() - dt.timedelta(seconds=1))


def test_platform_action_run_twice_calls_platform_once(platform_urls, fb_channel):
    from moderation.platforms.tasks import platform_action_run

    action = _delete_action(platform_urls, fb_channel)
    after = twice(lambda: platform_action_run.enqueue(action.pk), platform_urls)
    assert [m for m, _p in after["platform_calls"]] == ["DELETE"]
    assert PlatformAction.objects.get(pk=action.pk).status == PlatformActionStatus.DONE


def test_platform_actions_sweep_twice_calls_platform_once(platform_urls, fb_channel):
    from moderation.platforms.tasks import platform_actions_sweep

    _delete_action(platform_urls, fb_channel)
    after = twice(lambda: platform_actions_sweep.enqueue(), platform_urls)
    assert [m for m, _p in after["platform_calls"]] == ["DELETE"]


def test_channel_poll_twice_ingests_once(platform_urls, yt_channel):
    from moderation.platforms.tasks import channel_poll

    for n in range(3):
        platform_urls.add_youtube_thread(text=f"Fråga {n}")
    after = twice(lambda: channel_poll.enqueue(channel_id=yt_channel.pk))
    assert len(after["items"]) == 4  # three comments and the video they belong to (their thread root)


def test_channel_snapshot_twice_one_document(unit):
    from moderation.platforms.tasks import channel_snapshot

    SeriesFactory()
    channel = ChannelFactory(unit=unit, slug="idem-fb")
    after = twice(lambda: channel_snapshot.enqueue(channel_id=channel.pk, period_end="2025-12-31"))
    assert after["documents"] == 1


def test_detectors_rescreen_twice_flags_once(unit):
    from moderation.screening.tasks import detectors_rescreen_task

    channel = ChannelFactory(unit=unit)
    for n in range(4):
        ItemFactory(channel=channel, text=f"Köp billiga klockor {n}")
    DetectorFactory(terms="klockor", rule=RuleFactory(code="advertising"))
    after = twice(lambda: detectors_rescreen_task.enqueue(None))
    assert len(after["flags"]) == 4


def _due_items(n: int):
    from records.retention.services.plan import retention_assign

    items = [ItemFactory(received_at=OLD + dt.timedelta(minutes=i), text=f"Gammal {i}") for i in range(n)]
    retention_assign(target_type="moderation.item", objects=items)
    return items


def test_retention_recompute_twice_same_classes():
    from records.retention.tasks import retention_recompute_task

    _due_items(3)
    Item.objects.update(retention_class_code="", retention_due=None)
    after = twice(lambda: retention_recompute_task.enqueue())
    assert all(cls for _pk, cls, _due in after["retention"])


def test_purge_lists_draft_daily_twice_one_list():
    from records.retention.tasks import purge_lists_draft_daily

    _due_items(3)
    after = twice(lambda: purge_lists_draft_daily.enqueue())
    assert len(after["purge_lists"]) == 1 and len(after["purge_lines"]) >= 3  # the items (and their authors)


def test_purge_list_execute_twice_purges_once(users, make_user):
    from records.retention.services.purge import purge_list_approve, purge_list_draft, purge_list_propose
    from records.retention.tasks import purge_list_execute_task

    _due_items(5)
    second = make_user("archivist", username="archivist2")
    pl = purge_list_draft(actor=users["archivist"], target_types=["moderation.item"])
    purge_list_propose(purge_list=pl, actor=users["archivist"])
    purge_list_approve(purge_list=pl, actor=second)
    after = twice(lambda: purge_list_execute_task.enqueue(pl.pk, second.pk, 2))
    assert len(after["tombstones"]) == 5 and {s for _t, s in after["purge_lines"]} == {"done"}

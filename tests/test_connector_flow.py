"""The issue's "Done when", end to end against the fake platform over real HTTP: a signed comment arrives at
/hooks/meta/<slug>/, is screened into the queue (a detector matches), a moderator removes it, and the
outbox worker sends the DELETE to the fake platform only after the content is stored."""

from __future__ import annotations

import time

import pytest
from django.db import connections

from moderation.models import (
    QUEUE_STATES,
    Flag,
    Item,
    ItemState,
    ItemVersion,
    PlatformAction,
    PlatformActionKind,
    PlatformActionStatus,
)
from tests.factories import DetectorFactory, RuleFactory
from tests.fakeplatform import builders as b
from tests.platform_fixtures import *  # noqa: F403 - fixtures
from tests.platform_fixtures import post_delivery

pytestmark = pytest.mark.django_db

COMMENT = "139560936744456_139620233405726"


def test_signed_comment_screened_removed_deleted_after_stored(client, platform_urls, fb_channel, users,
                                                              django_capture_on_commit_callbacks):
    fake = platform_urls
    DetectorFactory(terms="jävl*", rule=RuleFactory(code="profanity"))
    fake.add_comment(COMMENT, text="Jävla kommun!")  # what the platform holds

    # Record, at the moment the platform receives the DELETE, what our database holds.
    seen_at_delete: dict = {}
    original = fake._graph
    main_connection = connections["default"]  # the test thread's wrapper; the test thread waits on the HTTP call
    main_connection.inc_thread_sharing()

    def graph_with_hook(call):
        if call.method == "DELETE":
            with main_connection.cursor() as cursor:  # the test's own connection: sees its transaction
                cursor.execute("SELECT COUNT(*) FROM moderation_itemversion v JOIN moderation_item i "
                               "ON v.item_id = i.id WHERE i.external_id = %s AND i.text <> ''", [COMMENT])
                seen_at_delete["stored_versions"] = cursor.fetchone()[0]
            seen_at_delete["at"] = time.monotonic()
        return original(call)

    fake._graph = graph_with_hook  # runs in the fake server's thread

    payload = b.delivery("page", [b.entry(b.PAGE_ID, b.facebook_comment_change(message="Jävla kommun!"))])
    with django_capture_on_commit_callbacks(execute=True):
        r = post_delivery(client, fb_channel, payload)
    assert r.status_code == 200, r.content

    item = Item.objects.get(channel=fb_channel, external_id=COMMENT)
    assert item.state in QUEUE_STATES
    assert Flag.objects.filter(item=item, rule__code="profanity").exists()
    assert item in Item.objects.in_queue()
    stored_mono = time.monotonic()
    assert ItemVersion.objects.filter(item=item, text="Jävla kommun!").exists()

    from moderation.queue.services.decisions import item_decide

    moderator = users["moderator"]
    with django_capture_on_commit_callbacks(execute=True):
        item_decide(item=item, action="remove", actor=moderator, rules=[RuleFactory(code="profanity")],
                    note="Svordomar")
    delete = PlatformAction.objects.get(item=item, kind=PlatformActionKind.DELETE)
    assert delete.status == PlatformActionStatus.DONE, delete.last_error

    deletes = [c for c in fake.calls if c.method == "DELETE"]
    assert len(deletes) == 1 and deletes[0].path.endswith(COMMENT)
    assert deletes[0].at > stored_mono
    assert fake.comments[COMMENT]["deleted"] is True
    item.refresh_from_db()
    assert item.state == ItemState.DECIDED
    assert item.removed_on_platform_at is not None
    assert item.text == "Jävla kommun!"
    main_connection.dec_thread_sharing()
    assert seen_at_delete["stored_versions"] >= 1  # the content was in the database when the DELETE arrived

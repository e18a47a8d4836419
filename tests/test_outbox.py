"""The outbox worker against the fake platform over real HTTP: every action's success, rate limits (400 with
codes 4, 17, 32, 613, 80001 and the usage headers), 500s, timeouts, token expiry (190), permissions, the
final dead state, and the rule that nothing is deleted before its content is stored."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from moderation.models import (
    Channel,
    CredentialsStatus,
    Item,
    ItemVersion,
    PlatformAction,
    PlatformActionKind,
    PlatformActionStatus,
)
from moderation.platforms.credentials import channel_credentials_update
from moderation.platforms.outbox import (
    backoff_seconds,
    platform_action_execute,
    platform_actions_run_due,
)
from tests.factories import AuthorFactory, ItemFactory
from tests.platform_fixtures import *  # noqa: F403 - fixtures

pytestmark = pytest.mark.django_db


def stored_item(channel, external_id, *, text="Du är en idiot", author_id="2001", raw=None):
    author = AuthorFactory(channel=channel, external_id=author_id)
    item = ItemFactory(channel=channel, external_id=external_id, text=text, author=author, raw=raw or {})
    ItemVersion.objects.create(item=item, number=1, text=text)
    return item


def action(channel, kind, item=None, **payload):
    return PlatformAction.objects.create(channel=channel, kind=kind, item=item, payload=payload,
                                         next_attempt_at=timezone.now() - dt.timedelta(seconds=1))


def run(a):
    outcome = platform_action_execute(action_id=a.pk)
    a.refresh_from_db()
    return outcome


def make_due(a):
    PlatformAction.objects.filter(pk=a.pk).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))


# --- back-off ---------------------------------------------------------------------------------------------


def test_backoff_grows_exponentially_with_jitter_and_cap():
    rng = random.Random(1)
    for attempt, ceiling in [(1, 30), (2, 60), (3, 120), (8, 3600), (20, 3600)]:
        values = [backoff_seconds(attempt, rng=rng) for _ in range(50)]
        assert all(ceiling / 2 <= v <= ceiling for v in values)
        assert len(set(values)) > 1


# --- Facebook ---------------------------------------------------------------------------------------------


def test_facebook_hide_unhide_success(platform_urls, fb_channel):
    fake = platform_urls
    cid = fake.add_comment("111_1")
    item = stored_item(fb_channel, cid)
    a = action(fb_channel, PlatformActionKind.HIDE, item)
    assert run(a) == "done" and a.status == PlatformActionStatus.DONE
    assert fake.comments[cid]["is_hidden"] is True
    assert Item.objects.get(pk=item.pk).hidden_on_platform is True
    call = fake.calls[-1]
    assert call.method == "POST" and call.path.endswith(f"/{cid}") and call.form["is_hidden"] == "true"
    b = action(fb_channel, PlatformActionKind.UNHIDE, item)
    assert run(b) == "done"
    assert fake.comments[cid]["is_hidden"] is False
    assert Item.objects.get(pk=item.pk).hidden_on_platform is False


def test_facebook_delete_success_keeps_copy(platform_urls, fb_channel):
    fake = platform_urls
    cid = fake.add_comment("111_2")
    item = stored_item(fb_channel, cid)
    a = action(fb_channel, PlatformActionKind.DELETE, item)
    assert run(a) == "done"
    assert fake.comments[cid]["deleted"] is True
    assert fake.calls[-1].method == "DELETE"
    item.refresh_from_db()
    assert item.removed_on_platform_at is not None and item.removed_by_author_at is None
    assert item.text == "Du är en idiot"


def test_facebook_delete_already_gone_done(platform_urls, fb_channel):
    item = stored_item(fb_channel, "111_gone")
    a = action(fb_channel, PlatformActionKind.DELETE, item)
    assert run(a) == "done"
    assert a.result == {"already_gone": True}


def test_facebook_block_unblock_success(platform_urls, fb_channel):
    fake = platform_urls
    cid = fake.add_comment("111_3", author_id="2001")
    item = stored_item(fb_channel, cid, author_id="2001")
    a = action(fb_channel, PlatformActionKind.BLOCK, item)
    assert run(a) == "done"
    assert (fb_channel.external_id, "2001") in fake.blocked
    assert item.author.__class__.objects.get(pk=item.author_id).is_blocked is True
    assert fake.calls[-1].path.endswith(f"/{fb_channel.external_id}/blocked")
    b = action(fb_channel, PlatformActionKind.UNBLOCK, item)
    assert run(b) == "done"
    assert not fake.blocked
    assert item.author.__class__.objects.get(pk=item.author_id).is_blocked is False


def test_facebook_reply_success(platform_urls, fb_channel):
    fake = platform_urls
    cid = fake.add_comment("111_4")
    item = stored_item(fb_channel, cid)
    a = action(fb_channel, PlatformActionKind.REPLY, item, message="Tack för din fråga!")
    assert run(a) == "done"
    new_id = a.result["id"]
    assert fake.comments[new_id]["text"] == "Tack för din fråga!"
    assert fake.comments[new_id]["parent_id"] == cid


# --- Instagram, YouTube, LinkedIn ------------------------------------------------------------------------


def test_instagram_hide_delete_reply(platform_urls, ig_channel):
    fake = platform_urls
    cid = fake.add_comment("1790001", platform="instagram")
    item = stored_item(ig_channel, cid)
    assert run(action(ig_channel, PlatformActionKind.HIDE, item)) == "done"
    assert fake.comments[cid]["is_hidden"] is True and fake.calls[-1].form["hide"] == "true"
    reply = action(ig_channel, PlatformActionKind.REPLY, item, message="Hej!")
    assert run(reply) == "done" and fake.calls[-1].path.endswith("/replies")
    assert run(action(ig_channel, PlatformActionKind.DELETE, item)) == "done"
    assert fake.comments[cid]["deleted"] is True


def test_instagram_block_cancelled(platform_urls, ig_channel):
    item = stored_item(ig_channel, "1790002")
    a = action(ig_channel, PlatformActionKind.BLOCK, item)
    assert run(a) == "cancelled"
    assert "Instagram" in a.last_error
    assert not platform_urls.calls


def test_youtube_delete_is_rejection_block_bans(platform_urls, yt_channel):
    fake = platform_urls
    t1 = fake.add_youtube_thread(text="Spam")
    t2 = fake.add_youtube_thread(text="Hot", author_channel_id="UCtroll")
    item1 = stored_item(yt_channel, t1)
    item2 = stored_item(yt_channel, t2, author_id="UCtroll")
    assert run(action(yt_channel, PlatformActionKind.DELETE, item1)) == "done"
    assert fake.comments[t1]["moderation_status"] == "rejected"
    assert fake.calls[-1].query["moderationStatus"] == "rejected" and "banAuthor" not in fake.calls[-1].query
    assert run(action(yt_channel, PlatformActionKind.BLOCK, item2)) == "done"
    assert fake.calls[-1].query["banAuthor"] == "true"
    assert ("UCkommun", "UCtroll") in fake.blocked
    yt_channel.refresh_from_db()
    assert yt_channel.poll_state["quota"]["used"] == 100


def test_linkedin_delete_and_reply_hide_cancelled(platform_urls, li_channel):
    fake = platform_urls
    post = "urn:li:activity:7000000000000000001"
    cid = fake.add_linkedin_comment(post, text="Spam")
    item = stored_item(li_channel, cid, raw={"object": post})
    assert run(action(li_channel, PlatformActionKind.REPLY, item, message="Hej")) == "done"
    assert run(action(li_channel, PlatformActionKind.DELETE, item)) == "done"
    assert fake.comments[cid]["deleted"] is True
    assert fake.calls[-1].query["actor"] == li_channel.external_id
    hide = action(li_channel, PlatformActionKind.HIDE, item)
    assert run(hide) == "cancelled"
    assert "LinkedIn" in hide.last_error


# --- errors -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [4, 17, 32, 613, 80001])
def test_rate_limit_codes_retry_then_succeed(platform_urls, fb_channel, code):
    fake = platform_urls
    cid = fake.add_comment("111_rl")
    item = stored_item(fb_channel, cid)
    fake.fail_next(f"/v21.0/{cid}", code=code)
    a = action(fb_channel, PlatformActionKind.HIDE, item)
    before = timezone.now()
    assert run(a) == "retry"
    assert a.status == PlatformActionStatus.FAILED and a.last_error_code == str(code)
    assert a.next_attempt_at >= before + dt.timedelta(seconds=15)
    assert run(a) == "skipped"  # not due yet
    make_due(a)
    assert run(a) == "done"
    assert a.attempts == 2


def test_rate_limit_respects_usage_header(platform_urls, fb_channel):
    fake = platform_urls
    cid = fake.add_comment("111_bu")
    item = stored_item(fb_channel, cid)
    usage = '{"%s": [{"type": "pages", "call_count": 100, "estimated_time_to_regain_access": 30}]}' % b"x".hex()
    fake.fail_next(f"/v21.0/{cid}", code=80001, headers={"X-Business-Use-Case-Usage": usage})
    a = action(fb_channel, PlatformActionKind.HIDE, item)
    before = timezone.now()
    assert run(a) == "retry"
    assert a.next_attempt_at >= before + dt.timedelta(minutes=29)


@pytest.mark.parametrize("kind", ["http", "timeout"])
def test_transient_errors_retry_until_dead(platform_urls, fb_channel, kind, settings):
    fake = platform_urls
    cid = fake.add_comment("111_t")
    item = stored_item(fb_channel, cid)
    fake.fail_next(f"/v21.0/{cid}", kind=kind, times=3, delay=1.0)
    a = action(fb_channel, PlatformActionKind.DELETE, item)
    a.max_attempts = 3
    a.save()
    assert run(a) == "retry"
    make_due(a)
    assert run(a) == "retry"
    make_due(a)
    assert run(a) == "dead"
    assert a.status == PlatformActionStatus.DEAD and a.attempts == 3
    assert "3" in a.last_error
    assert fake.comments[cid]["deleted"] is False
    Item.objects.get(pk=item.pk)  # still stored


def test_token_expired_marks_channel_and_stops(platform_urls, fb_channel, users, django_capture_on_commit_callbacks):
    fake = platform_urls
    cid = fake.add_comment("111_tok")
    item = stored_item(fb_channel, cid)
    fake.valid_tokens = {"another"}
    a = action(fb_channel, PlatformActionKind.HIDE, item)
    assert run(a) == "failed"
    assert a.status == PlatformActionStatus.FAILED and a.next_attempt_at is None
    fb_channel.refresh_from_db()
    assert fb_channel.credentials_status == CredentialsStatus.INVALID
    assert "190" in fb_channel.credentials_error
    assert platform_actions_run_due() == {}  # no retries until the credentials are fixed
    calls = len(fake.calls)
    fake.valid_tokens = {"new-token"}
    with django_capture_on_commit_callbacks(execute=True):
        channel_credentials_update(channel=fb_channel, actor=users["administrator"],
                                   values={"access_token": "new-token"})
    a.refresh_from_db()
    assert a.status == PlatformActionStatus.DONE
    assert len(fake.calls) == calls + 1
    fb_channel.refresh_from_db()
    assert fb_channel.credentials_status == CredentialsStatus.OK


def test_permission_missing_marks_channel(platform_urls, fb_channel):
    fake = platform_urls
    cid = fake.add_comment("111_perm")
    item = stored_item(fb_channel, cid)
    fake.fail_next(f"/v21.0/{cid}", code=200)
    a = action(fb_channel, PlatformActionKind.HIDE, item)
    assert run(a) == "failed"
    fb_channel.refresh_from_db()
    assert fb_channel.credentials_status == CredentialsStatus.PERMISSION_MISSING


def test_missing_credentials_no_http(platform_urls, fb_channel):
    fb_channel.set_secret("access_token", "")
    fb_channel.save()
    item = stored_item(fb_channel, "111_nocred")
    a = action(fb_channel, PlatformActionKind.HIDE, item)
    assert run(a) == "failed"
    assert a.last_error == "Uppgifter saknas" and a.next_attempt_at is None
    assert Channel.objects.get(pk=fb_channel.pk).credentials_status == CredentialsStatus.MISSING
    assert not platform_urls.calls


# --- nothing deleted before it is stored -----------------------------------------------------------------


def test_delete_refused_without_stored_version(platform_urls, fb_channel):
    fake = platform_urls
    cid = fake.add_comment("111_nover")
    item = ItemFactory(channel=fb_channel, external_id=cid)  # no ItemVersion
    a = action(fb_channel, PlatformActionKind.DELETE, item)
    assert run(a) == "dead"
    assert a.last_error_code == "content_not_stored"
    assert not fake.calls and fake.comments[cid]["deleted"] is False


def test_delete_refused_without_item(platform_urls, fb_channel):
    a = action(fb_channel, PlatformActionKind.DELETE, None, target_id="111_x")
    assert run(a) == "dead"
    assert not platform_urls.calls


def test_delete_sent_after_content_stored(platform_urls, fb_channel):
    """The fake platform's clock (monotonic) versus the database rows: the item and its version existed
    before the DELETE reached the platform."""
    import time

    fake = platform_urls
    cid = fake.add_comment("111_order")
    item = stored_item(fb_channel, cid)
    stored_mono = time.monotonic()
    assert Item.objects.filter(pk=item.pk).exists() and ItemVersion.objects.filter(item=item).exists()
    assert run(action(fb_channel, PlatformActionKind.DELETE, item)) == "done"
    delete = [c for c in fake.calls if c.method == "DELETE"]
    assert len(delete) == 1 and delete[0].at > stored_mono


# --- worker mechanics -------------------------------------------------------------------------------------


def test_sweeper_runs_due_and_releases_stale(platform_urls, fb_channel):
    fake = platform_urls
    cid = fake.add_comment("111_sw")
    item = stored_item(fb_channel, cid)
    due = action(fb_channel, PlatformActionKind.HIDE, item)
    stale = action(fb_channel, PlatformActionKind.UNHIDE, item)
    PlatformAction.objects.filter(pk=stale.pk).update(status=PlatformActionStatus.RUNNING,
                                                      started_at=timezone.now() - dt.timedelta(hours=1))
    result = platform_actions_run_due()
    assert result.get("done") == 2
    due.refresh_from_db()
    assert due.status == PlatformActionStatus.DONE


def test_done_action_not_run_again(platform_urls, fb_channel):
    fake = platform_urls
    cid = fake.add_comment("111_twice")
    item = stored_item(fb_channel, cid)
    a = action(fb_channel, PlatformActionKind.HIDE, item)
    assert run(a) == "done"
    assert run(a) == "skipped"
    assert len(fake.calls) == 1


def test_token_never_in_stored_error(platform_urls, fb_channel):
    fake = platform_urls
    cid = fake.add_comment("111_scrub")
    item = stored_item(fb_channel, cid)
    fake.fail_next(f"/v21.0/{cid}", kind="timeout", delay=1.0)
    a = action(fb_channel, PlatformActionKind.HIDE, item)
    run(a)
    assert "fake-valid-token" not in a.last_error

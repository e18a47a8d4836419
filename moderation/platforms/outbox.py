"""The outbox worker: carries out PlatformAction rows on the platforms, after the decision's commit.

``platform_action_execute(action_id=…)`` runs one action (called by the task
``moderation.platforms.tasks.platform_action_run`` and by the sweeper); ``platform_actions_run_due()`` is the
sweeper that ``run_scheduled`` enqueues every minute for retries; ``backoff_seconds()`` is the
exponential back-off with jitter. (New credentials are stored by ``credentials.channel_credentials_update``.)

Guarantees:
- an action runs at most once at a time: it is claimed with a conditional status UPDATE
  (pending/failed → running) inside a row lock (``select_for_update(skip_locked=True)`` on PostgreSQL);
- nothing is deleted on a platform before its content is stored: a delete is refused (dead) unless the
  item exists in the database with at least one stored ItemVersion and its text, and every attachment of
  the item (any version) is stored; a delete decided with an evidence sheet waits (not counted as an
  attempt) until the sheet is rendered, and is refused when the sheet cannot be made;
- no HTTP call is made without credentials; a 401 on YouTube or LinkedIn is answered by one token refresh
  and one retry; token and permission errors stop the retries until the credentials are fixed (status
  "failed", ``next_attempt_at`` empty) and mark the channel;
- rate limits and transient errors are retried with back-off, and the action ends as "dead" after
  ``max_attempts`` tries;
- the item's platform state (hidden, removed, author blocked) is updated in the same transaction as the
  action's "done".
- error texts stored or logged never contain tokens (the connectors scrub them).
"""

from __future__ import annotations

import logging
import random
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from moderation.models import (
    Channel,
    CredentialsStatus,
    Platform,
    PlatformAction,
    PlatformActionKind,
    PlatformActionStatus,
)
from moderation.platforms.clients import client_for_channel
from moderation.platforms.connectors import linkedin as linkedin_mod
from moderation.platforms.connectors import meta as meta_mod
from moderation.platforms.connectors import youtube as youtube_mod
from moderation.platforms.connectors.errors import (
    AlreadyGone,
    InvalidRequest,
    PermissionMissing,
    PlatformError,
    PolicyBlocked,
    RateLimited,
    TokenInvalid,
    TransientError,
)
from moderation.platforms.credentials import MISSING_CREDENTIALS, channel_access_token, channel_credentials_mark
from moderation.platforms.quota import youtube_quota_add
from moderation.platforms.services import notify_channel_failure
from moderation.platforms.tokens import can_refresh, channel_token_refresh

logger = logging.getLogger(__name__)

BACKOFF_BASE = 30.0  # seconds
BACKOFF_CAP = 3600.0  # one hour
STALE_RUNNING = timedelta(minutes=15)  # a "running" action older than this was lost with its worker


# --- back-off -------------------------------------------------------------------------------------------


def backoff_seconds(attempt: int, *, base: float = BACKOFF_BASE, cap: float = BACKOFF_CAP,
                    rng: random.Random | None = None) -> float:
    """Exponential back-off with ("equal") jitter: between half and all of ``min(cap, base·2^(attempt-1))``.

    ``attempt`` is the number of the attempt that just failed (1 for the first)."""
    ceiling = min(cap, base * (2 ** max(attempt - 1, 0)))
    return (rng or random).uniform(ceiling / 2, ceiling)


# --- clients --------------------------------------------------------------------------------------------


def supports(platform: str, kind: str) -> bool:
    if platform in meta_mod.SUPPORTS:
        return bool(meta_mod.SUPPORTS[platform].get(kind))
    if platform == Platform.YOUTUBE:
        return bool(youtube_mod.SUPPORTS.get(kind))
    if platform == Platform.LINKEDIN:
        return bool(linkedin_mod.SUPPORTS.get(kind))
    return False


UNSUPPORTED_REASONS = {
    Platform.LINKEDIN: _("LinkedIn har ingen funktion för att dölja kommentarer eller blockera konton."),
    Platform.INSTAGRAM: _("Instagram har ingen funktion för att blockera konton via API:et."),
    Platform.YOUTUBE: _("YouTube har ingen funktion för att häva en blockering eller svara via Uppsikt."),
}


def unsupported_reason(platform: str, kind: str) -> str:
    base = UNSUPPORTED_REASONS.get(platform)
    if base:
        return str(base)
    return _("Plattformen stöder inte åtgärden ”%(kind)s”.") % {"kind": kind}


# --- the worker -----------------------------------------------------------------------------------------


def _claim(action_id: int, now: datetime) -> PlatformAction | None:
    """Lock and claim the action if it is due; None if someone else has it or it is not due."""
    with transaction.atomic():
        qs = PlatformAction.objects.all()
        if connection.vendor == "postgresql":
            qs = qs.select_for_update(skip_locked=True)
        action = qs.filter(pk=action_id).first()
        if action is None:
            return None
        if action.status not in (PlatformActionStatus.PENDING, PlatformActionStatus.FAILED):
            return None
        if action.next_attempt_at is None or action.next_attempt_at > now:
            return None
        claimed = PlatformAction.objects.filter(pk=action.pk, status=action.status).update(
            status=PlatformActionStatus.RUNNING, started_at=now, attempts=action.attempts + 1
        )
        if not claimed:
            return None
        action.status = PlatformActionStatus.RUNNING
        action.started_at = now
        action.attempts += 1
        return action


def _finish(action: PlatformAction, status: str, *, error: str = "", code: str = "",
            next_attempt_at: datetime | None = None, result: dict | None = None) -> None:
    action.status = status
    action.last_error = error[:500]
    action.last_error_code = str(code or "")[:60]
    action.next_attempt_at = next_attempt_at
    if status in (PlatformActionStatus.DONE, PlatformActionStatus.DEAD, PlatformActionStatus.CANCELLED):
        action.finished_at = timezone.now()
    if result is not None:
        action.result = result
    action.save(update_fields=["status", "last_error", "last_error_code", "next_attempt_at", "finished_at",
                               "result"])


def _content_stored(action: PlatformAction) -> str | None:
    """Why a delete must not be sent, or None when the item's content is safely stored."""
    item = action.item
    if item is None:
        return _("Inlägget finns inte i Uppsikt: tas inte bort på plattformen förrän innehållet är sparat.")
    if item.purged_at is not None:
        return _("Inlägget är gallrat i Uppsikt: tas inte bort på plattformen.")
    if not item.versions.exists():
        return _("Innehållet är inte sparat (ingen version): tas inte bort på plattformen.")
    if not (item.text or item.attachments):
        return _("Inläggets text är inte sparad: tas inte bort på plattformen.")
    from moderation.media.services import removal_blockers

    blockers = removal_blockers(item)
    if blockers:
        return _("Alla bilagor är inte sparade: tas inte bort på plattformen. %(why)s") % {"why": " ".join(blockers)}
    return None


EVIDENCE_WAIT_SECONDS = 60.0


def _wait_for_evidence(action: PlatformAction) -> str | None:
    """A delete whose evidence sheet is not rendered yet waits for it (the renderer wakes it): "waiting", or
    "dead" when the sheet could not be made; None when it may go ahead."""
    from moderation.media.evidence import WAITING_CODE, removal_evidence_missing

    missing = removal_evidence_missing(action)
    if not missing:
        return None
    if missing == "failed":
        _finish(action, PlatformActionStatus.DEAD, code="evidence_failed",
                error=_("Bevisbladet kunde inte skapas: tas inte bort på plattformen."))
        return "dead"
    # not an attempt: the call was never made
    PlatformAction.objects.filter(pk=action.pk).update(attempts=max(action.attempts - 1, 0))
    action.attempts = max(action.attempts - 1, 0)
    _finish(action, PlatformActionStatus.PENDING, code=WAITING_CODE,
            error=_("Väntar på att bevisbladet sparas."),
            next_attempt_at=timezone.now() + timedelta(seconds=EVIDENCE_WAIT_SECONDS))
    return "waiting"


def _author_id(action: PlatformAction) -> str | None:
    for key in ("author_external_id", "user_id"):
        if action.payload.get(key):
            return str(action.payload[key])
    if action.sanction_id and action.sanction.author_id:
        return action.sanction.author.external_id
    if action.item is not None and action.item.author_id:
        return action.item.author.external_id
    return None


def _linkedin_post_urn(action: PlatformAction) -> str | None:
    item = action.item
    if action.payload.get("post_urn"):
        return action.payload["post_urn"]
    if item is None:
        return None
    if isinstance(item.raw, dict) and isinstance(item.raw.get("object"), str):
        return item.raw["object"]
    if item.root_post_id:
        return item.root_post.external_id
    return None


def _call(client, channel: Channel, action: PlatformAction) -> dict:
    """Send the platform call; returns what to keep in ``result``."""
    kind, item = action.kind, action.item
    target = action.payload.get("target_id") or (item.external_id if item else None)
    if kind in (PlatformActionKind.BLOCK, PlatformActionKind.UNBLOCK):
        user_id = _author_id(action)
        if not user_id:
            raise InvalidRequest("Inget konto-id att blockera", platform=channel.platform)
    elif not target:
        raise InvalidRequest("Inget inlägg att utföra åtgärden på", platform=channel.platform)
    message = action.payload.get("message") or (action.decision.reply_text if action.decision_id else "")

    if channel.platform == Platform.FACEBOOK:
        if kind == PlatformActionKind.HIDE:
            client.hide_comment(target)
        elif kind == PlatformActionKind.UNHIDE:
            client.unhide_comment(target)
        elif kind == PlatformActionKind.DELETE:
            client.delete_comment(target)
        elif kind == PlatformActionKind.BLOCK:
            client.block_user(channel.external_id, user_id)
        elif kind == PlatformActionKind.UNBLOCK:
            client.unblock_user(channel.external_id, user_id)
        elif kind == PlatformActionKind.REPLY:
            return {"id": client.reply(target, message)}
        return {"usage": client.last_usage} if client.last_usage else {}
    if channel.platform == Platform.INSTAGRAM:
        if kind in (PlatformActionKind.HIDE, PlatformActionKind.UNHIDE):
            client.ig_hide(target, kind == PlatformActionKind.HIDE)
        elif kind == PlatformActionKind.DELETE:
            client.ig_delete(target)
        elif kind == PlatformActionKind.REPLY:
            return {"id": client.ig_reply(target, message)}
        return {}
    if channel.platform == Platform.YOUTUBE:
        if kind == PlatformActionKind.BLOCK and not target:
            raise InvalidRequest("YouTube blockerar via en kommentar", platform="youtube")
        status, ban = youtube_mod.ACTIONS[kind]
        try:
            client.set_moderation_status([target], status, ban_author=ban)
        finally:
            _youtube_quota_add(channel, client.quota_used)
        return {"moderationStatus": status, "banAuthor": ban}
    if channel.platform == Platform.LINKEDIN:
        post_urn = _linkedin_post_urn(action)
        if not post_urn:
            raise InvalidRequest("Inläggets LinkedIn-URN saknas", platform="linkedin")
        if kind == PlatformActionKind.DELETE:
            client.delete_comment(post_urn, target)
            return {}
        if kind == PlatformActionKind.REPLY:
            parent = item.raw.get("commentUrn") if item is not None and isinstance(item.raw, dict) else None
            return {"id": client.reply(post_urn, message, parent_comment_urn=parent)}
    raise InvalidRequest(f"{channel.platform} {kind} not implemented", platform=channel.platform)


def _youtube_quota_add(channel: Channel, units: int) -> None:
    if units:
        youtube_quota_add(channel=channel, units=units)


def _apply_success(action: PlatformAction, now: datetime) -> None:
    """The item's (and author's) platform state after a successful call, in the caller's transaction."""
    from moderation.queue.services import ingest as services

    item, kind = action.item, action.kind
    if item is not None and kind in (PlatformActionKind.HIDE, PlatformActionKind.UNHIDE):
        hidden = kind == PlatformActionKind.HIDE
        if item.hidden_on_platform != hidden:
            services.item_set_hidden_on_platform(item=item, hidden=hidden)
    elif item is not None and kind == PlatformActionKind.DELETE:
        if item.removed_on_platform_at is None:
            services.item_mark_removed_on_platform(item=item, by_author=False, at=now)
    elif kind in (PlatformActionKind.BLOCK, PlatformActionKind.UNBLOCK):
        author = action.sanction.author if action.sanction_id else (item.author if item is not None else None)
        if author is not None:
            blocked = kind == PlatformActionKind.BLOCK
            if author.is_blocked != blocked:
                author.is_blocked = blocked
                author.blocked_at = now if blocked else None
                author.save(update_fields=["is_blocked", "blocked_at"])
        # On YouTube a block is a rejection with banAuthor: the comment is gone from public view too.
        if (item is not None and kind == PlatformActionKind.BLOCK and item.channel.platform == Platform.YOUTUBE
                and item.removed_on_platform_at is None):
            services.item_mark_removed_on_platform(item=item, by_author=False, at=now)


def _retry_or_dead(action: PlatformAction, error: PlatformError | Exception, *, wait: float) -> str:
    message = getattr(error, "message", None) or f"{type(error).__name__}"
    code = getattr(error, "code", None) or type(error).__name__
    if action.attempts >= action.max_attempts:
        _finish(action, PlatformActionStatus.DEAD,
                error=_("Gav upp efter %(n)s försök: %(error)s") % {"n": action.attempts, "error": message},
                code=str(code))
        logger.warning("platform action %s dead after %s attempts: %s", action.pk, action.attempts, message)
        return "dead"
    _finish(action, PlatformActionStatus.FAILED, error=message, code=str(code),
            next_attempt_at=timezone.now() + timedelta(seconds=wait))
    logger.info("platform action %s failed (attempt %s), retry in %.0f s: %s", action.pk, action.attempts, wait,
                message)
    return "retry"


def platform_action_execute(*, action_id: int) -> str:
    """Carry out one PlatformAction if it is due; returns the outcome ("done", "retry", "dead", "failed",
    "cancelled", "skipped").

    Safe to call twice or concurrently: only one caller claims the action. The HTTP call is made outside any
    database transaction; its outcome is recorded in a short transaction afterwards."""
    now = timezone.now()
    action = _claim(action_id, now)
    if action is None:
        return "skipped"
    action = PlatformAction.objects.select_related("channel", "item", "item__author", "item__root_post",
                                                   "decision", "sanction", "sanction__author").get(pk=action.pk)
    channel = action.channel

    if not supports(channel.platform, action.kind):
        _finish(action, PlatformActionStatus.CANCELLED, error=unsupported_reason(channel.platform, action.kind),
                code="unsupported")
        return "cancelled"
    if action.kind == PlatformActionKind.DELETE:
        refusal = _content_stored(action)
        if refusal:
            _finish(action, PlatformActionStatus.DEAD, error=refusal, code="content_not_stored")
            logger.error("platform action %s: delete refused, content not stored", action.pk)
            return "dead"
        waiting = _wait_for_evidence(action)
        if waiting:
            return waiting
    token = channel_access_token(channel)
    if not token:
        with transaction.atomic():
            channel_credentials_mark(channel=channel, status=CredentialsStatus.MISSING, error=MISSING_CREDENTIALS)
            notify_channel_failure(channel, MISSING_CREDENTIALS)
            _finish(action, PlatformActionStatus.FAILED, error=MISSING_CREDENTIALS, code="credentials_missing",
                    next_attempt_at=None)
        return "failed"

    try:
        result = _call_refreshing(channel, action, token)
    except AlreadyGone as error:
        if action.kind in (PlatformActionKind.DELETE, PlatformActionKind.BLOCK):
            with transaction.atomic():
                _apply_success(action, timezone.now())
                _finish(action, PlatformActionStatus.DONE, result={"already_gone": True}, error=error.message,
                        code=str(error.code or "gone"))
            return "done"
        _finish(action, PlatformActionStatus.CANCELLED, error=_("Finns inte längre på plattformen."),
                code=str(error.code or "gone"))
        return "cancelled"
    except (TokenInvalid, PermissionMissing) as error:
        status = (CredentialsStatus.INVALID if isinstance(error, TokenInvalid)
                  else CredentialsStatus.PERMISSION_MISSING)
        with transaction.atomic():
            channel_credentials_mark(channel=channel, status=status, error=error.message)
            notify_channel_failure(channel, error.message)
            _finish(action, PlatformActionStatus.FAILED, error=error.message, code=str(error.code or status),
                    next_attempt_at=None)
        logger.warning("platform action %s stopped: channel %s credentials %s", action.pk, channel.slug, status)
        return "failed"
    except (RateLimited, PolicyBlocked) as error:
        return _retry_or_dead(action, error, wait=max(error.retry_after or 0.0, backoff_seconds(action.attempts)))
    except TransientError as error:
        return _retry_or_dead(action, error, wait=max(error.retry_after or 0.0, backoff_seconds(action.attempts)))
    except InvalidRequest as error:
        _finish(action, PlatformActionStatus.DEAD, error=error.message, code=str(error.code or "invalid"))
        logger.warning("platform action %s dead: invalid request: %s", action.pk, error.message)
        return "dead"
    except Exception as error:  # a bug or an unexpected answer: retry, then give up
        logger.exception("platform action %s: unexpected error", action.pk)
        return _retry_or_dead(action, error, wait=backoff_seconds(action.attempts))

    with transaction.atomic():
        _apply_success(action, timezone.now())
        _finish(action, PlatformActionStatus.DONE, result=result)
        if channel.credentials_status != CredentialsStatus.OK:
            channel_credentials_mark(channel=channel, status=CredentialsStatus.OK)
    return "done"


def _call_refreshing(channel: Channel, action: PlatformAction, token: str) -> dict:
    """The platform call; on a 401 (YouTube, LinkedIn) the access token is refreshed once and the call retried.
    A refresh that fails marks the channel and notifies (``tokens``); the 401 then stops the action."""
    try:
        with client_for_channel(channel, token) as client:
            return _call(client, channel, action)
    except TokenInvalid as error:
        if not can_refresh(channel):
            raise
        refreshed = channel_token_refresh(channel=channel, reason="401")
        if not refreshed.ok:
            raise TokenInvalid(refreshed.message or error.message, code=error.code, http_status=error.http_status,
                               platform=error.platform) from None
    channel.refresh_from_db(fields=["encrypted_access_token", "credentials_status", "credentials_error"])
    with client_for_channel(channel, channel_access_token(channel)) as client:
        return _call(client, channel, action)


def platform_actions_run_due(*, limit: int = 100) -> dict[str, int]:
    """The sweeper: release actions whose worker died while running, then run up to ``limit`` due actions.
    Returns a count per outcome."""
    now = timezone.now()
    PlatformAction.objects.filter(status=PlatformActionStatus.RUNNING, started_at__lt=now - STALE_RUNNING).update(
        status=PlatformActionStatus.FAILED, next_attempt_at=now, last_error=_("Avbröts (arbetaren stannade).")
    )
    counts: dict[str, int] = {}
    for action_id in list(PlatformAction.objects.due(now).values_list("pk", flat=True)[:limit]):
        outcome = platform_action_execute(action_id=action_id)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts

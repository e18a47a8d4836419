"""OAuth token lifecycle for YouTube (Google) and LinkedIn: refreshing access tokens before they expire and
when a call answers 401.

- ``channel_token_refresh(channel=…, reason=…)``: one refresh with the stored refresh token and client secret;
  stores the new access token (encrypted) and its expiry, and a new refresh token when the platform rotates it.
- ``channel_tokens_refresh_due(within=…)``: the scheduled job (every 10 minutes): refreshes every active
  YouTube/LinkedIn channel whose access token expires within ``UPPSIKT_TOKEN_REFRESH_AHEAD_MINUTES`` (or
  whose expiry is unknown) and that has a refresh token.

Guarantees: the HTTP call is made outside any transaction; a refresh the platform refuses (``invalid_grant``:
revoked, expired after LinkedIn's 365 days, wrong client) marks the channel's credentials invalid with a clear
Swedish message on its health page, is audited and reported through ``notify_channel_failure``; a temporary
failure (timeout, 5xx) changes nothing and is tried again by the next run; tokens and secrets never reach logs,
the audit log or history (only which fields changed).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from moderation.models import Channel, CredentialsStatus, Platform
from moderation.platforms.connectors.errors import PlatformError
from moderation.platforms.connectors.oauth import RefreshRejected, refresh_access_token
from moderation.platforms.credentials import actions_release_waiting, channel_credentials_mark, channel_secret
from moderation.platforms.services import notify_channel_failure

logger = logging.getLogger(__name__)

REFRESHABLE = (Platform.YOUTUBE, Platform.LINKEDIN)
REFRESHED, FAILED, RETRY, NOT_CONFIGURED = "refreshed", "failed", "retry", "not_configured"


@dataclass(frozen=True)
class RefreshResult:
    outcome: str  # REFRESHED | FAILED | RETRY | NOT_CONFIGURED
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome == REFRESHED


def token_url(platform: str) -> str:
    if platform == Platform.YOUTUBE:
        return settings.UPPSIKT_GOOGLE_TOKEN_URL
    return settings.UPPSIKT_LINKEDIN_TOKEN_URL


def can_refresh(channel: Channel) -> bool:
    """Whether the channel has what a refresh needs (platform, client id, refresh token, client secret)."""
    return (channel.platform in REFRESHABLE and bool(channel.oauth_client_id)
            and all(channel.has_secret(name) for name in Channel.OAUTH_SECRET_NAMES))


def channel_token_refresh(*, channel: Channel, reason: str = "scheduled") -> RefreshResult:
    """Refresh the channel's access token once. ``reason`` ("scheduled", "401", …) goes to the audit log."""
    if not can_refresh(channel):
        return RefreshResult(NOT_CONFIGURED)
    refresh_token = channel_secret(channel, "refresh_token")
    client_secret = channel_secret(channel, "client_secret")
    if not refresh_token or not client_secret:
        return _failed(channel, reason, "Förnyelsetoken eller klienthemlighet kan inte läsas (fel nyckel?). "
                                        "Ange uppgifterna på nytt.", code="unreadable")
    try:
        grant = refresh_access_token(
            token_url(channel.platform), client_id=channel.oauth_client_id, client_secret=client_secret,
            refresh_token=refresh_token, platform=channel.platform, timeout=settings.UPPSIKT_PLATFORM_TIMEOUT,
        )
    except RefreshRejected as error:
        return _failed(channel, reason, f"Åtkomsttoken kunde inte förnyas: plattformen avvisade förnyelsetoken "
                                        f"({error.code or error.http_status}). Ange nya uppgifter.",
                       code=str(error.code or error.http_status))
    except PlatformError as error:
        logger.warning("token refresh for %s failed for now (%s); tried again later", channel.slug, error.message)
        return RefreshResult(RETRY, error.message)
    _store(channel, grant, reason)
    return RefreshResult(REFRESHED)


def _store(channel: Channel, grant, reason: str) -> None:
    from accounts.services import audit_record

    now = timezone.now()
    with transaction.atomic():
        locked = Channel.objects.select_for_update().get(pk=channel.pk)
        locked.set_secret("access_token", grant.access_token)
        fields = ["access_token"]
        locked.access_token_expires_at = now + timedelta(seconds=grant.expires_in) if grant.expires_in else None
        if grant.refresh_token:
            locked.set_secret("refresh_token", grant.refresh_token)
            fields.append("refresh_token")
        if grant.refresh_token_expires_in:
            locked.refresh_token_expires_at = now + timedelta(seconds=grant.refresh_token_expires_in)
        # QuerySet.update: no history row for a routine refresh (the history excludes these fields anyway).
        Channel.objects.filter(pk=locked.pk).update(
            encrypted_access_token=locked.encrypted_access_token,
            encrypted_refresh_token=locked.encrypted_refresh_token,
            access_token_expires_at=locked.access_token_expires_at,
            refresh_token_expires_at=locked.refresh_token_expires_at,
        )
        channel_credentials_mark(channel=locked, status=CredentialsStatus.OK)
        released = actions_release_waiting(channel=locked)
        audit_record(actor=None, action="other", target=locked, actor_label="system",
                     detail={"event": "token_refreshed", "reason": reason, "fields": fields,
                             "expires_at": locked.access_token_expires_at.isoformat()
                             if locked.access_token_expires_at else None, "released_actions": released})
    for name in ("encrypted_access_token", "encrypted_refresh_token", "access_token_expires_at",
                 "refresh_token_expires_at", "credentials_status", "credentials_error"):
        setattr(channel, name, getattr(locked, name))
    logger.info("token of %s refreshed (%s), expires %s", channel.slug, reason, locked.access_token_expires_at)


def _failed(channel: Channel, reason: str, message: str, *, code: str) -> RefreshResult:
    from accounts.services import audit_record

    with transaction.atomic():
        channel_credentials_mark(channel=channel, status=CredentialsStatus.INVALID, error=message)
        audit_record(actor=None, action="other", target=channel, actor_label="system",
                     detail={"event": "token_refresh_failed", "reason": reason, "code": code[:60]})
        notify_channel_failure(channel, message)
    return RefreshResult(FAILED, message)


def channels_due_for_refresh(*, within: timedelta | None = None):
    """Active YouTube/LinkedIn channels with a refresh token whose access token expires within ``within`` (or
    whose expiry is unknown), not already marked invalid."""
    within = within if within is not None else timedelta(minutes=settings.UPPSIKT_TOKEN_REFRESH_AHEAD_MINUTES)
    limit = timezone.now() + within
    return (Channel.objects.active().filter(platform__in=REFRESHABLE).exclude(encrypted_refresh_token="")
            .exclude(encrypted_client_secret="").exclude(oauth_client_id="")
            .exclude(credentials_status=CredentialsStatus.INVALID)
            .filter(Q(access_token_expires_at__isnull=True) | Q(access_token_expires_at__lte=limit)))


def channel_tokens_refresh_due(*, within: timedelta | None = None) -> dict[str, int]:
    """The scheduled job: refresh every channel due (see ``channels_due_for_refresh``). Returns counts."""
    counts: dict[str, int] = {}
    for channel in list(channels_due_for_refresh(within=within)):
        outcome = channel_token_refresh(channel=channel, reason="scheduled").outcome
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts

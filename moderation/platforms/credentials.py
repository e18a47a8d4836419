"""A channel's credentials: reading the access token, recording how using them went (the health page),
and storing new ones (encrypted, write-only).

Guarantees: secrets are stored Fernet-encrypted (``crypto``) and never returned, logged, audited or kept in
history; the audit log names which secrets changed, never their values; saving credentials releases the
platform actions that waited for them.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from moderation.models import Channel, CredentialsStatus, PlatformAction, PlatformActionStatus
from moderation.platforms import crypto, wakeups

logger = logging.getLogger(__name__)

MISSING_CREDENTIALS = "Uppgifter saknas"


def channel_secret(channel: Channel, name: str) -> str:
    """The decrypted secret, "" when missing or unreadable (never raises)."""
    try:
        return channel.get_secret(name)
    except crypto.DecryptionError:
        logger.error("channel %s: the stored %s cannot be decrypted", channel.slug, name)
        return ""


def channel_access_token(channel: Channel) -> str:
    """The decrypted access token, "" when missing or unreadable (never raises)."""
    return channel_secret(channel, "access_token")


def channel_credentials_mark(*, channel: Channel, status: str, error: str = "") -> None:
    """Record the outcome of using the channel's credentials (QuerySet.update: no history noise)."""
    Channel.objects.filter(pk=channel.pk).update(
        credentials_status=status, credentials_error=error[:300], credentials_checked_at=timezone.now()
    )
    channel.credentials_status = status
    channel.credentials_error = error[:300]


def actions_release_waiting(*, channel: Channel) -> int:
    """Put the actions that waited for credentials back in line (due now); returns how many."""
    return PlatformAction.objects.filter(
        channel=channel, status=PlatformActionStatus.FAILED, next_attempt_at__isnull=True
    ).update(status=PlatformActionStatus.PENDING, next_attempt_at=timezone.now(), last_error="")


def channel_credentials_update(*, channel: Channel, actor, values: dict[str, str], request=None) -> list[str]:
    """Store the given secrets encrypted (empty values are left unchanged) and the OAuth client id, mark the
    credentials as untested-but-present, and release the actions that waited for credentials. Returns the
    names changed. A new access token entered by hand has an unknown expiry: the refresh job then refreshes it
    as soon as a refresh token is stored.

    The audit entry names which secrets changed, never their values."""
    from accounts.services import audit_record

    changed = [name for name in Channel.SECRET_NAMES if values.get(name)]
    client_id = (values.get("oauth_client_id") or "").strip()
    if client_id and client_id != channel.oauth_client_id:
        changed.append("oauth_client_id")
    if not changed:
        return []
    with transaction.atomic():
        channel = Channel.objects.select_for_update().get(pk=channel.pk)
        for name in changed:
            if name == "oauth_client_id":
                channel.oauth_client_id = client_id
            else:
                channel.set_secret(name, values[name])
        if "access_token" in changed:
            channel.access_token_expires_at = None
        if "refresh_token" in changed:
            channel.refresh_token_expires_at = None
        channel.credentials_status = (CredentialsStatus.OK if channel.has_secret("access_token")
                                      else CredentialsStatus.MISSING)
        channel.credentials_error = ""
        channel.credentials_checked_at = None
        channel.save()
        released = actions_release_waiting(channel=channel)
        audit_record(actor=actor, action="other", target=channel, request=request,
                     detail={"event": "credentials_updated", "fields": changed, "released_actions": released})
        if released:
            transaction.on_commit(lambda: wakeups.wake(wakeups.ACTIONS_SWEEP))
    return changed

"""Who is told when a platform connection fails (accounts.notifications).

- a channel's token or permissions stop working (or are missing): its unit's moderators (their removals
  wait) and the administrators (they fix credentials), once per channel, reason and day;
- a webhook delivery that could not be processed ("dead", the dead-letter list): the administrators,
  once per delivery. Titles name the channel and the delivery number, never the payload.
"""

from __future__ import annotations

import hashlib

from django.urls import reverse
from django.utils import timezone

from accounts.models import NotificationKind
from accounts.notifications.services import notification_emit, users_with_role


def _channel_recipients(channel) -> list:
    admins = list(users_with_role("administrator"))
    moderators = list(users_with_role("moderator", unit_ids=[channel.unit_id]))
    return admins + [m for m in moderators if m.pk not in {a.pk for a in admins}]


def channel_failure_emit(*, channel, reason: str) -> None:
    """One notification per channel, reason and local day (the outbox may fail many actions in a row)."""
    reason = " ".join((reason or "").split())[:300]
    day = timezone.localdate().isoformat()
    digest = hashlib.sha256(reason.encode()).hexdigest()[:12]
    notification_emit(
        kind=NotificationKind.CHANNEL_FAILURE, recipients=_channel_recipients(channel),
        title=f"Kontot {channel.name} ({channel.get_platform_display()}) fungerar inte: "
              f"{channel.get_credentials_status_display().lower()}",
        body=(f"Plattformens svar: {reason}\n" if reason else "")
        + "Åtgärder på plattformen väntar tills en systemförvaltare har förnyat uppgifterna.",
        link=reverse("channel_health", args=[channel.slug]), target=channel,
        dedupe_key=f"channel_failure:{channel.pk}:{day}:{digest}",
    )


def delivery_dead_emit(*, delivery) -> None:
    """Tell the administrators a webhook delivery is dead (they can replay it after a fix)."""
    channel = delivery.channel
    where = f"{channel.name} ({channel.get_platform_display()})" if channel else "okänd kanal"
    notification_emit(
        kind=NotificationKind.DELIVERY_DEAD, recipients=users_with_role("administrator"),
        title=f"Leverans {delivery.pk} från {where} kunde inte behandlas",
        body="Leveransen är sparad och kan köras om när felet är åtgärdat.",
        link=reverse("dead_letters"), target=delivery, dedupe_key=f"delivery_dead:{delivery.pk}",
    )

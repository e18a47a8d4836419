"""Who is told about purge lists: when a list is proposed, the OTHER archivists who may approve it
(four eyes). The title names the list and how many lines it has, never what they are."""

from __future__ import annotations

from django.urls import reverse

from accounts.models import NotificationKind
from accounts.notifications.services import notification_emit, users_with_permission


def notify_purge_list_proposed(*, purge_list, actor) -> None:
    lines = purge_list.lines.count()
    proposed = purge_list.proposed_at.isoformat() if purge_list.proposed_at else ""
    who = (actor.get_full_name() or actor.get_username()) if actor is not None else "Uppsikt"
    notification_emit(
        kind=NotificationKind.PURGE_APPROVAL,
        recipients=users_with_permission("records.approve_purgelist", exclude=[actor, purge_list.proposed_by]),
        title=f"Gallringslista {purge_list.reference} ({lines} rader) väntar på ditt godkännande",
        body=f"Föreslagen av {who}. Den som föreslog listan kan inte godkänna den.",
        link=reverse("purge_list_detail", args=[purge_list.pk]), target=purge_list,
        dedupe_key=f"purge_proposed:{purge_list.pk}:{proposed}",
    )

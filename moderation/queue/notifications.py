"""Who in moderation is told what (accounts.notifications): urgent items and escalations.

Titles name the item by kind and number, its channel and the rules that fired — never its text,
its author or a decision's note (the item may be secret; the e-mail leaves Uppsikt).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from accounts.models import NotificationKind
from accounts.notifications.services import notification_emit, users_with_role

ROLE_LABELS = {"registrar": "registratorerna", "moderator": "moderatorerna", "administrator": "systemförvaltarna"}


def item_label(item) -> str:
    """"Kommentar 123 på Exempelstad (Facebook)": kind, number and channel, nothing of the content."""
    return f"{item.get_kind_display()} {item.pk} på {item.channel.name} ({item.channel.get_platform_display()})"


def _rule_titles(flags: Iterable) -> list[str]:
    titles: list[str] = []
    for flag in flags:
        rule = getattr(flag, "rule", None)
        if rule is not None and rule.title_sv not in titles:
            titles.append(rule.title_sv)
    return titles


def notify_item_urgent(*, item, flags: Iterable, held: bool) -> None:
    """Tell the moderators of the item's unit that it was held, or that a threat, identity number or
    other most-urgent rule (severity 0) fired. Nothing when neither; once per item version."""
    flags = list(flags)
    urgent = [f for f in flags if getattr(f, "rule", None) is not None and f.rule.severity <= 0]
    if not held and not urgent:
        return
    rules = _rule_titles(urgent or flags)
    what = "vilande i väntan på granskning" if held else "brådskande"
    title = f"{item_label(item)} är {what}" + (f": {', '.join(rules)}" if rules else "")
    body = ("Uppsikt döljer det på plattformen, där det går, tills en moderator har granskat det." if held
            else "Inlägget ligger först i granskningskön.")
    notification_emit(
        kind=NotificationKind.ITEM_URGENT, recipients=users_with_role("moderator", unit_ids=[item.channel.unit_id]),
        title=title, body=body, link=reverse("item_detail", args=[item.pk]), target=item,
        dedupe_key=f"item_urgent:{item.pk}:{item.version}",
    )


def notify_escalation(*, decision, item, actor) -> None:
    """Tell the colleague (or the holders of the role) an item was escalated to; not the escalator."""
    who = (actor.get_full_name() or actor.get_username()) if actor is not None else "Uppsikt"
    if decision.escalate_to_id:
        recipients = [decision.escalate_to]
        to = "dig"
    else:
        role = decision.escalate_to_role or "registrar"
        units = [item.channel.unit_id] if role == "moderator" else None
        recipients = list(users_with_role(role, unit_ids=units, exclude=[actor]))
        to = ROLE_LABELS.get(role, role)
    notification_emit(
        kind=NotificationKind.ESCALATION, recipients=[u for u in recipients if u.pk != getattr(actor, "pk", None)],
        title=f"{item_label(item)} har eskalerats till {to} av {who}",
        body="Motiveringen finns på inläggets sida.", link=reverse("item_detail", args=[item.pk]), target=item,
        dedupe_key=f"escalation:{decision.pk}",
    )

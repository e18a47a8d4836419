"""Measures against authors: warnings, strikes, blocks (proposed at the threshold, confirmed by a
moderator), unblocks, and the police report register."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.errors import Conflict, DomainError
from accounts.services import audit_record
from moderation.models import Author, Channel, Decision, Item, PoliceReport, PoliceReportStatus, Sanction, SanctionKind


def strike_threshold() -> int:
    return int(getattr(settings, "UPPSIKT_STRIKE_THRESHOLD", 3))


def strike_window_days() -> int:
    return int(getattr(settings, "UPPSIKT_STRIKE_WINDOW_DAYS", 90))


def strikes_count(*, author: Author, channel: Channel, window_days: int | None = None) -> int:
    """Strikes against the author on this channel within the window (default UPPSIKT_STRIKE_WINDOW_DAYS)."""
    days = strike_window_days() if window_days is None else window_days
    since = timezone.now() - dt.timedelta(days=days)
    return Sanction.objects.strikes().filter(author=author, channel=channel, kind=SanctionKind.STRIKE,
                                             created_at__gte=since).count()


def block_proposal(*, author: Author, channel: Channel) -> Sanction | None:
    """The open (unconfirmed) block proposal for the author on this channel, if any."""
    return Sanction.objects.proposals().filter(author=author, channel=channel, kind=SanctionKind.BLOCK).first()


def _propose_block_if_due(*, author: Author, channel: Channel, item: Item | None, decision: Decision | None) -> \
        Sanction | None:
    if author.is_blocked or block_proposal(author=author, channel=channel) is not None:
        return None
    count = strikes_count(author=author, channel=channel)
    if count < strike_threshold():
        return None
    return Sanction.objects.create(
        author=author, channel=channel, kind=SanctionKind.BLOCK, item=item, decision=decision, proposed=True,
        counts_as_strike=False,
        reason=(f"Föreslås blockeras: {count} prickar inom {strike_window_days()} dagar "
                f"(gräns {strike_threshold()})."),
    )


def strike_add(*, author: Author, channel: Channel, actor, item: Item | None = None,
               decision: Decision | None = None, reason: str) -> Sanction:
    """One strike; when the author reaches the threshold a block is proposed (shown on the item)."""
    with transaction.atomic():
        strike = Sanction.objects.create(author=author, channel=channel, kind=SanctionKind.STRIKE, item=item,
                                         decision=decision, actor=actor, reason=reason, counts_as_strike=True)
        _propose_block_if_due(author=author, channel=channel, item=item, decision=decision)
    return strike


def sanction_warn(*, author: Author, channel: Channel, actor, item: Item | None = None, reason: str,
                  strike: bool = False, message: str = "") -> Sanction:
    """A warning to the author; with `strike=True` it also counts toward a block (and may propose one).

    With a `message`, it is sent to the author where the platform can (a reply on the author's item,
    on Facebook and Instagram; `sanction.sent` is True); elsewhere the warning is only recorded and
    the reason says that the message was not sent (`sanction.sent` is False)."""
    from moderation.platforms.services import platform_action_enqueue, platform_supports

    if not (reason or "").strip():
        raise DomainError("Ange skälet till varningen.")
    message = (message or "").strip()
    if item is None and message:
        item = author.items.filter(channel=channel).order_by("-received_at").first()
    sendable = bool(message and item is not None and platform_supports(channel.platform, "reply"))
    text = reason.strip()
    if message:
        text += ("\nMeddelande till avsändaren: " + message +
                 ("" if sendable else "\n(Plattformen kan inte ta emot meddelandet: varningen är bara registrerad.)"))
    with transaction.atomic():
        if strike:
            sanction = strike_add(author=author, channel=channel, actor=actor, item=item, reason=text)
        else:
            sanction = Sanction.objects.create(author=author, channel=channel, kind=SanctionKind.WARNING, item=item,
                                               actor=actor, reason=text, counts_as_strike=False)
        if sendable:
            platform_action_enqueue(channel=channel, kind="reply", item=item, sanction=sanction,
                                    payload={"message": message})
        audit_record(actor=actor, action="moderation.sanction_warn", target=sanction,
                     detail={"strike": strike, "channel": channel.slug, "sent": sendable})
    sanction.sent = sendable
    return sanction


def author_restriction(*, author_ids) -> dict[int, Sanction]:
    """{author_id: the suspension or pre-moderation in force} for these authors, in one query
    (a suspension wins over a pre-moderation)."""
    ids = [a for a in set(author_ids) if a]
    if not ids:
        return {}
    found: dict[int, Sanction] = {}
    for s in Sanction.objects.restrictions().filter(author_id__in=ids).order_by("created_at"):
        current = found.get(s.author_id)
        if current is None or s.kind == SanctionKind.SUSPENSION:
            found[s.author_id] = s
    return found


def restriction_detail(sanction: Sanction) -> str:
    """The Swedish explanation on the flag of an item held because of the restriction."""
    if sanction.kind == SanctionKind.SUSPENSION:
        until = timezone.localtime(sanction.expires_at).strftime("%Y-%m-%d %H:%M")
        return f"Avsändaren är avstängd till {until}: allt nytt från kontot döljs."
    return "Avsändaren förhandsgranskas: allt nytt från kontot väntar på granskning innan det visas."


def sanction_suspend(*, author: Author, channel: Channel, actor, days: int, reason: str,
                     item: Item | None = None) -> Sanction:
    """Suspend the author for `days` days (1–365): everything new from the account in that time is
    held (hidden on the platform where it can hide) and waits in "Dolda"; an earlier suspension in
    force is replaced (ended now)."""
    if not (reason or "").strip():
        raise DomainError("Ange skälet till avstängningen.")
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise DomainError("Ange antalet dagar som ett heltal.") from None
    if not 1 <= days <= 365:
        raise DomainError("En avstängning gäller 1–365 dagar.")
    now = timezone.now()
    with transaction.atomic():
        Author.objects.select_for_update().get(pk=author.pk)
        Sanction.objects.restrictions(now).filter(author=author, kind=SanctionKind.SUSPENSION).update(expires_at=now)
        sanction = Sanction.objects.create(author=author, channel=channel, kind=SanctionKind.SUSPENSION, item=item,
                                           actor=actor, reason=reason.strip(), counts_as_strike=False,
                                           expires_at=now + dt.timedelta(days=days))
        audit_record(actor=actor, action="moderation.sanction_suspend", target=author,
                     detail={"sanction": sanction.pk, "days": days, "channel": channel.slug})
    return sanction


def author_premoderate(*, author: Author, channel: Channel, actor, reason: str) -> Sanction:
    """Pre-moderate the author until lifted: everything new from the account is held for review
    before it is shown. Refused with Conflict when a pre-moderation is already in force."""
    if not (reason or "").strip():
        raise DomainError("Ange skälet till förhandsgranskningen.")
    with transaction.atomic():
        Author.objects.select_for_update().get(pk=author.pk)
        if Sanction.objects.restrictions().filter(author=author, kind=SanctionKind.PREMODERATION).exists():
            raise Conflict("Avsändaren förhandsgranskas redan.")
        sanction = Sanction.objects.create(author=author, channel=channel, kind=SanctionKind.PREMODERATION,
                                           actor=actor, reason=reason.strip(), counts_as_strike=False)
        audit_record(actor=actor, action="moderation.author_premoderate", target=author,
                     detail={"sanction": sanction.pk, "channel": channel.slug})
    return sanction


def restriction_lift(*, sanction: Sanction, actor, reason: str) -> Sanction:
    """End a suspension or pre-moderation now, with a reason (the row is kept: it ends, it is not deleted)."""
    if not (reason or "").strip():
        raise DomainError("Ange skälet till att åtgärden upphör.")
    now = timezone.now()
    with transaction.atomic():
        sanction = Sanction.objects.select_for_update().get(pk=sanction.pk)
        if sanction.kind not in (SanctionKind.SUSPENSION, SanctionKind.PREMODERATION):
            raise DomainError("Bara avstängning och förhandsgranskning kan upphöra.")
        if sanction.expires_at is not None and sanction.expires_at <= now:
            raise Conflict("Åtgärden gäller inte längre.")
        sanction.expires_at = now
        sanction.save(update_fields=["expires_at"])
        audit_record(actor=actor, action="moderation.restriction_lift", target=sanction,
                     detail={"reason": reason.strip()})
    return sanction


def item_apply_restriction(*, item: Item) -> bool:
    """At ingest: an incoming item from a suspended or pre-moderated author is held (state "held",
    a flag saying why, hidden on the platform where it can hide). Returns True when held."""
    from moderation.models import Flag, FlagSource, ItemState
    from moderation.queue.workflow import can_transition
    from moderation.screening.services import hold_on_platform

    if not item.author_id:
        return False
    sanction = author_restriction(author_ids=[item.author_id]).get(item.author_id)
    if sanction is None:
        return False
    with transaction.atomic():
        locked = Item.objects.select_for_update().get(pk=item.pk)
        # Already held by a detector: the flag still says why the author's items wait (as bulk ingest does).
        already_held = locked.state == ItemState.HELD
        if not already_held and not can_transition(locked, ItemState.HELD):
            return False
        Flag.objects.create(item=locked, source=FlagSource.STAFF, detail=restriction_detail(sanction), held=True)
        Item.objects.filter(pk=item.pk).update(state=ItemState.HELD, flag_count=locked.flag_count + 1,
                                               version=locked.version + 1)
        item.state, item.flag_count, item.version = ItemState.HELD, locked.flag_count + 1, locked.version + 1
        if not already_held:
            hold_on_platform(item=item)
    return True


def block_propose(*, author: Author, channel: Channel, actor, item: Item | None = None, reason: str) -> Sanction:
    """A colleague proposes a block before the threshold (another moderator confirms it)."""
    if not (reason or "").strip():
        raise DomainError("Ange skälet till förslaget om blockering.")
    existing = block_proposal(author=author, channel=channel)
    if existing is not None:
        return existing
    return Sanction.objects.create(author=author, channel=channel, kind=SanctionKind.BLOCK, item=item, actor=actor,
                                   reason=reason, proposed=True, counts_as_strike=False)


def block_confirm(*, sanction: Sanction, actor) -> Sanction:
    """Confirm a proposed block: the author is blocked in Uppsikt, and on the platform where its API
    can block (Facebook, YouTube); elsewhere the moderator blocks by hand (said in the reason)."""
    from moderation.platforms.services import platform_action_enqueue, platform_supports

    with transaction.atomic():
        sanction = (Sanction.objects.select_for_update(of=("self",)).select_related("author", "channel")
                    .get(pk=sanction.pk))
        if sanction.kind != SanctionKind.BLOCK or not sanction.proposed:
            raise DomainError("Det här är inget förslag om blockering.")
        if sanction.confirmed_at is not None:
            raise Conflict("Blockeringen är redan bekräftad.")
        now = timezone.now()
        sanction.confirmed_by = actor
        sanction.confirmed_at = now
        if sanction.actor_id is None:
            sanction.actor = actor
        sanction.save(update_fields=["confirmed_by", "confirmed_at", "actor"])
        author = sanction.author
        author.is_blocked = True
        author.blocked_at = now
        author.save(update_fields=["is_blocked", "blocked_at"])
        if platform_supports(sanction.channel.platform, "block"):
            platform_action_enqueue(channel=sanction.channel, kind="block", item=sanction.item, sanction=sanction,
                                    payload={"author_external_id": author.external_id})
        audit_record(actor=actor, action="moderation.block_confirm", target=author,
                     detail={"sanction": sanction.pk, "channel": sanction.channel.slug})
    return sanction


def author_unblock(*, author: Author, channel: Channel, actor, reason: str) -> Sanction:
    """Lift a block, with a reason; on the platform too where its API can (Facebook)."""
    from moderation.platforms.services import platform_action_enqueue, platform_supports

    if not (reason or "").strip():
        raise DomainError("Ange skälet till att blockeringen hävs.")
    with transaction.atomic():
        author = Author.objects.select_for_update().get(pk=author.pk)
        if not author.is_blocked:
            raise Conflict("Kontot är inte blockerat.")
        sanction = Sanction.objects.create(author=author, channel=channel, kind=SanctionKind.UNBLOCK, actor=actor,
                                           reason=reason, counts_as_strike=False)
        author.is_blocked = False
        author.blocked_at = None
        author.save(update_fields=["is_blocked", "blocked_at"])
        if platform_supports(channel.platform, "unblock"):
            platform_action_enqueue(channel=channel, kind="unblock", sanction=sanction,
                                    payload={"author_external_id": author.external_id})
        audit_record(actor=actor, action="moderation.author_unblock", target=author,
                     detail={"sanction": sanction.pk, "channel": channel.slug})
    return sanction


def police_report_create(*, items, author: Author | None, actor, note: str = "") -> PoliceReport:
    """Start a police report (status draft) about these items; recorded as a sanction on the author."""
    items = list(items)
    if not items:
        raise DomainError("Välj minst ett inlägg att polisanmäla.")
    with transaction.atomic():
        report = PoliceReport.objects.create(author=author, note=note, created_by=actor)
        report.items.set(items)
        if author is not None:
            Sanction.objects.create(author=author, channel=items[0].channel, kind=SanctionKind.POLICE_REPORT,
                                    item=items[0], police_report=report, actor=actor, counts_as_strike=False,
                                    reason=note or "Polisanmälan")
        audit_record(actor=actor, action="moderation.police_report_create", target=report,
                     detail={"items": [i.pk for i in items]})
    return report


def police_report_update(*, report: PoliceReport, status: str, police_reference: str = "", actor) -> PoliceReport:
    """Record the police's reference and the status; the report date is set when it is submitted.

    Guarantees: when the report is submitted it becomes an allmän handling sent to the police (TF 2 kap.
    10 §: drawn up when dispatched) and is registered in the same transaction: as an outgoing document
    to "Polisen" in the series the municipality chose (RegistrationSetting for the reason "Polisanmälan":
    registered at once into its running case or default series when it registers automatically, else
    proposed to the registrar's inbox). Registering twice is impossible (one live registration per
    source)."""
    from moderation.registry_hooks import POLICE_SOURCE_TYPE
    from records.diarium.services.registration import proposal_create

    if status not in PoliceReportStatus.values:
        raise DomainError(f"Okänd status: {status}")
    with transaction.atomic():
        report = PoliceReport.objects.select_for_update().get(pk=report.pk)
        submitted_now = status == PoliceReportStatus.SUBMITTED and report.status == PoliceReportStatus.DRAFT
        report.status = status
        if police_reference:
            report.police_reference = police_reference
        if status == PoliceReportStatus.SUBMITTED and report.reported_at is None:
            report.reported_at = timezone.localdate()
        report.save()
        audit_record(actor=actor, action="moderation.police_report_update", target=report, detail={"status": status})
        if submitted_now:
            channels = sorted({i.channel.name for i in report.items.select_related("channel")})
            proposal_create(source_type=POLICE_SOURCE_TYPE, source_id=str(report.pk), reason="police_report",
                            suggested_description=f"Polisanmälan om inlägg på {', '.join(channels)}"[:500],
                            proposed_by=actor)
    return report

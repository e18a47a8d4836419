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
                  strike: bool = False) -> Sanction:
    """A warning to the author; with `strike=True` it also counts toward a block (and may propose one)."""
    if not (reason or "").strip():
        raise DomainError("Ange skälet till varningen.")
    with transaction.atomic():
        if strike:
            sanction = strike_add(author=author, channel=channel, actor=actor, item=item, reason=reason)
        else:
            sanction = Sanction.objects.create(author=author, channel=channel, kind=SanctionKind.WARNING, item=item,
                                               actor=actor, reason=reason, counts_as_strike=False)
        audit_record(actor=actor, action="moderation.sanction_warn", target=sanction,
                     detail={"strike": strike, "channel": channel.slug})
    return sanction


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

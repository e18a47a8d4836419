"""Notifications: emit, read, preferences, and the e-mail outbox (send, retry, digest).

The one way to tell users something is `notification_emit(...)`, called by the service where the
event happens (in its transaction) or by a scheduled check. It writes the in-app notifications and,
per the recipients' preferences, the e-mail outbox rows; the e-mail is sent by a task after commit
(`email_delivery_send`), retried with back-off by the sweeper, and never sent twice.

Secrecy: a notification carries only numbers, channel names and rule names — never the text of an
item, a document or a request. The emitting modules (moderation/queue/notifications.py,
records/*/notifications.py, …) build titles that way; e-mail bodies are rendered from those titles.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, connection, models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.errors import DomainError
from accounts.notifications import workflow
from accounts.notifications.hours import in_office_hours, is_working_day, parse_clock
from accounts.notifications.models import (
    DeliveryKind,
    DeliveryStatus,
    EmailDelivery,
    EmailMode,
    Notification,
    NotificationKind,
    NotificationPreference,
    OnCallMembership,
)

log = logging.getLogger("uppsikt.notifications")

BACKOFF_BASE = 60.0  # seconds
BACKOFF_CAP = 3600.0
STALE_SENDING = dt.timedelta(minutes=10)  # a "sending" row older than this lost its worker


@dataclass(frozen=True)
class KindSpec:
    """A kind's default e-mail mode and whether the on-call group gets it at once out of hours."""

    default: str
    after_hours: bool = False


K = NotificationKind
KIND_SPECS: dict[str, KindSpec] = {
    K.ITEM_URGENT: KindSpec(EmailMode.IMMEDIATE, after_hours=True),
    K.ESCALATION: KindSpec(EmailMode.IMMEDIATE, after_hours=True),
    K.DISCLOSURE_NEW: KindSpec(EmailMode.IMMEDIATE),
    K.DISCLOSURE_OVERDUE: KindSpec(EmailMode.IMMEDIATE),
    K.SUBJECT_REQUEST_NEW: KindSpec(EmailMode.IMMEDIATE),
    K.SUBJECT_REQUEST_DEADLINE: KindSpec(EmailMode.IMMEDIATE),
    K.PURGE_APPROVAL: KindSpec(EmailMode.IMMEDIATE),
    K.APPEAL_WINDOW: KindSpec(EmailMode.DIGEST),
    K.CHANNEL_FAILURE: KindSpec(EmailMode.IMMEDIATE, after_hours=True),
    K.DELIVERY_DEAD: KindSpec(EmailMode.DIGEST),
}


# --- recipients --------------------------------------------------------------------------------


def users_with_role(role: str, *, unit_ids: Iterable[int] | None = None, exclude: Iterable[Any] = ()):
    """Active users holding `role` (members of one of `unit_ids` when given), minus `exclude`."""
    from accounts.models import User

    qs = User.objects.filter(is_active=True, groups__name=role)
    if unit_ids is not None:
        qs = qs.filter(units__in=list(unit_ids))
    skip = [getattr(u, "pk", u) for u in exclude if u is not None]
    if skip:
        qs = qs.exclude(pk__in=skip)
    return qs.distinct().order_by("pk")


def users_with_permission(codename: str, *, exclude: Iterable[Any] = ()):
    """Active users whose roles (groups) grant "app_label.codename"."""
    from accounts.models import User

    app_label, _dot, name = codename.partition(".")
    qs = User.objects.filter(is_active=True, groups__permissions__codename=name,
                             groups__permissions__content_type__app_label=app_label)
    skip = [getattr(u, "pk", u) for u in exclude if u is not None]
    if skip:
        qs = qs.exclude(pk__in=skip)
    return qs.distinct().order_by("pk")


# --- modes -------------------------------------------------------------------------------------


def preferences_for(user) -> dict[str, str]:
    """Every kind → the user's e-mail mode (their choice, else the kind's default)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email_mode"))
    return {kind: chosen.get(kind, KIND_SPECS[kind].default) for kind in NotificationKind.values}


def _modes(kind: str, users: list, now: dt.datetime) -> dict[int, str]:
    """Each recipient's e-mail mode for this kind now (two queries for any number of recipients)."""
    spec = KIND_SPECS[kind]
    ids = [u.pk for u in users]
    chosen = dict(NotificationPreference.objects.filter(user_id__in=ids, kind=kind)
                  .values_list("user_id", "email_mode"))
    office = in_office_hours(now)
    on_call = set() if office or not spec.after_hours else set(
        OnCallMembership.objects.filter(user_id__in=ids).values_list("user_id", flat=True))
    modes = {}
    for user in users:
        mode = chosen.get(user.pk, spec.default)
        if user.pk in on_call:
            mode = EmailMode.IMMEDIATE  # on call: urgent kinds reach them out of hours whatever they chose
        elif mode == EmailMode.IMMEDIATE and not office:
            mode = EmailMode.DIGEST  # out of hours: in the next working day's digest
        if not user.email:
            mode = EmailMode.OFF
        modes[user.pk] = mode
    return modes


# --- emit --------------------------------------------------------------------------------------


def _target(target: Any) -> tuple[str, str]:
    if target is None:
        return "", ""
    if isinstance(target, models.Model):
        return f"{target._meta.app_label}.{target._meta.model_name}", str(target.pk)
    kind, pk = target
    return str(kind), str(pk)


def _safe_link(link: str) -> str:
    link = (link or "").strip()
    if not link:
        return ""
    if not link.startswith("/") or not url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        raise DomainError(f"En avisering får bara länka inom Uppsikt: {link!r}.")
    return link[:500]


def _create_notifications(rows: list[Notification], dedupe_key: str) -> list[Notification]:
    """Insert; with a key, skip recipients who already have it (a concurrent emitter loses quietly)."""
    if dedupe_key:
        have = set(Notification.objects.filter(recipient_id__in=[n.recipient_id for n in rows],
                                               dedupe_key=dedupe_key).values_list("recipient_id", flat=True))
        rows = [n for n in rows if n.recipient_id not in have]
    if not rows:
        return []
    try:
        with transaction.atomic():
            return Notification.objects.bulk_create(rows)
    except IntegrityError:
        created = []
        for n in rows:
            try:
                with transaction.atomic():
                    n.save()
                created.append(n)
            except IntegrityError:
                continue
        return created


def notification_emit(
    *,
    kind: str,
    recipients: Iterable,
    title: str,
    link: str = "",
    body: str = "",
    target: Any = None,
    dedupe_key: str = "",
    now: dt.datetime | None = None,
) -> list[Notification]:
    """Tell each recipient about one event: returns the notifications created.

    Guarantees:
    - one in-app notification per active recipient (duplicates in `recipients` collapse); with a
      `dedupe_key`, at most one per recipient and key ever (a scheduled check may run twice);
    - e-mail as each recipient's preference for the kind says: immediately (an outbox row in this
      transaction, sent by a task after commit), in the daily digest, or not at all; outside office
      hours immediate mail goes only to the on-call group for urgent kinds (item, escalation, channel
      failure), the others get it in the next working day's digest; users without an address get none;
    - `link` is a path inside Uppsikt (refused otherwise); the e-mail carries it as an absolute URL;
    - callers pass titles and bodies of numbers, channel and rule names: never an item's or a
      document's text (a notification may reach someone who may not read the secret).
    """
    if kind not in KIND_SPECS:
        raise DomainError(f"Okänt slag av avisering: {kind}")
    title = " ".join((title or "").split())[:200]
    if not title:
        raise DomainError("En avisering behöver en rubrik.")
    link = _safe_link(link)
    now = now or timezone.now()
    users = list({u.pk: u for u in recipients if u is not None and u.is_active}.values())
    if not users:
        return []
    modes = _modes(kind, users, now)
    target_type, target_id = _target(target)
    rows = [Notification(recipient=u, kind=kind, title=title, body=(body or "").strip()[:2000], link=link,
                         target_type=target_type, target_id=target_id, created_at=now,
                         email_mode=modes[u.pk], digest_pending=modes[u.pk] == EmailMode.DIGEST,
                         dedupe_key=dedupe_key[:200]) for u in users]
    with transaction.atomic():
        created = _create_notifications(rows, dedupe_key[:200])
        immediate = [n for n in created if n.email_mode == EmailMode.IMMEDIATE]
        deliveries = EmailDelivery.objects.bulk_create(
            [_delivery_for(n, now) for n in immediate]) if immediate else []
        ids = [d.pk for d in deliveries]
        if ids:
            transaction.on_commit(lambda: _wake(ids))
    log.info("notification %s to %s users (%s e-mails now)", kind, len(created), len(ids))
    return created


def _absolute(link: str) -> str:
    return f"{settings.UPPSIKT_BASE_URL}{link}" if link else settings.UPPSIKT_BASE_URL + "/"


def _render(template: str, context: dict) -> str:
    with translation.override("sv"):
        return render_to_string(template, {
            "organisation": settings.UPPSIKT_ORGANISATION_NAME,
            "settings_url": _absolute("/aviseringar/installningar/"), "list_url": _absolute("/aviseringar/"),
            **context,
        }).strip() + "\n"


def _delivery_for(notification: Notification, now: dt.datetime) -> EmailDelivery:
    user = notification.recipient
    body = _render("accounts/notifications/email/notification.txt", {
        "user": user, "n": notification, "url": _absolute(notification.link),
        "kind_label": NotificationKind(notification.kind).label,
    })
    return EmailDelivery(
        key=f"n:{notification.pk}", kind=DeliveryKind.IMMEDIATE, recipient=user, notification=notification,
        to_address=user.email, subject=f"[Uppsikt] {notification.title}"[:300], body=body,
        next_attempt_at=now, created_at=now,
    )


def _wake(ids: list[int]) -> None:
    from accounts.notifications.tasks import email_delivery_send_task

    for pk in ids:
        try:
            email_delivery_send_task.enqueue(pk)
        except Exception:  # noqa: BLE001 - the row stays pending; the sweeper sends it
            log.warning("could not enqueue e-mail delivery %s", pk, exc_info=True)


# --- read --------------------------------------------------------------------------------------


def notification_mark_read(*, notification: Notification, user) -> Notification:
    """Mark one of the user's own notifications read (once; someone else's is refused)."""
    if notification.recipient_id != user.pk:
        raise DomainError("Aviseringen är inte din.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def notifications_mark_all_read(*, user) -> int:
    """Mark all the user's unread notifications read; returns how many."""
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.for_user(user).unread().count()


# --- preferences and the on-call group ---------------------------------------------------------


@transaction.atomic
def notification_preferences_set(*, user, modes: dict[str, str]) -> dict[str, str]:
    """Store the user's e-mail mode per kind (unknown kinds or modes refused); returns all modes."""
    for kind, mode in modes.items():
        if kind not in KIND_SPECS or mode not in EmailMode.values:
            raise DomainError("Okänt val för aviseringar.")
    for kind, mode in modes.items():
        NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"email_mode": mode})
    return preferences_for(user)


@transaction.atomic
def on_call_set(*, user, on_call: bool, actor, note: str = "") -> bool:
    """Put the user in (or take them out of) the on-call group; audited. Returns whether it changed."""
    from accounts.models import AuditAction
    from accounts.services import audit_record

    if on_call:
        _obj, changed = OnCallMembership.objects.get_or_create(user=user, defaults={"note": note[:200]})
    else:
        changed = bool(OnCallMembership.objects.filter(user=user).delete()[0])
    if changed:
        audit_record(actor=actor, action=AuditAction.ON_CALL_CHANGED, target=user,
                     detail={"event": "on_call", "on": on_call})
    return changed


# --- the outbox: send, retry, sweep -------------------------------------------------------------


def backoff_seconds(attempt: int, *, rng: random.Random | None = None) -> float:
    """Exponential back-off with jitter: between half and all of min(1 h, 60 s · 2^(attempt-1))."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * (2 ** max(attempt - 1, 0)))
    return (rng or random).uniform(ceiling / 2, ceiling)


def _claim(delivery_id: int, now: dt.datetime) -> EmailDelivery | None:
    """Compare-and-set pending/failed → sending for a due row; None when someone else has it."""
    with transaction.atomic():
        qs = EmailDelivery.objects.all()
        if connection.vendor == "postgresql":
            qs = qs.select_for_update(skip_locked=True)
        row = qs.filter(pk=delivery_id).first()
        if row is None or row.status not in workflow.CLAIMABLE or (row.next_attempt_at or now) > now:
            return None
        won = EmailDelivery.objects.filter(pk=row.pk, status=row.status).update(
            status=DeliveryStatus.SENDING, attempts=row.attempts + 1, started_at=now)
        if not won:
            return None
        row.status, row.attempts, row.started_at = DeliveryStatus.SENDING, row.attempts + 1, now
        return row


def _message(row: EmailDelivery) -> EmailMessage:
    return EmailMessage(
        subject=row.subject, body=row.body, from_email=settings.DEFAULT_FROM_EMAIL, to=[row.to_address],
        headers={"Message-ID": row.message_id, "Auto-Submitted": "auto-generated",
                 "X-Auto-Response-Suppress": "All", "Content-Language": "sv"},
    )


def _permanent(exc: Exception) -> bool:
    """A 5xx refusal of the recipient or the message: resending will not help."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _msg in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 500 <= exc.smtp_code < 600 and not isinstance(exc, smtplib.SMTPServerDisconnected)
    return False


def _finish(row: EmailDelivery, to_state: str, *, error: str = "", next_at: dt.datetime | None = None) -> None:
    workflow.transition(row, to_state)
    row.last_error = error[:500]
    row.next_attempt_at = next_at
    if to_state == DeliveryStatus.SENT:
        row.sent_at = timezone.now()
    row.save(update_fields=["status", "last_error", "next_attempt_at", "sent_at"])


def email_delivery_send(*, delivery_id: int, now: dt.datetime | None = None) -> str:
    """Send one outbox row if it is due; returns "sent", "retry", "dead", "cancelled" or "skipped".

    Guarantees: at most one sender at a time (compare-and-set claim); a sent row is never sent again;
    every attempt carries the same Message-ID; temporary failures are retried with back-off up to
    UPPSIKT_NOTIFICATION_MAX_ATTEMPTS, permanent refusals (5xx) give up at once; a recipient who was
    deactivated or lost their address is not written to. The SMTP call runs outside any transaction.
    """
    now = now or timezone.now()
    row = _claim(delivery_id, now)
    if row is None:
        return "skipped"
    user = row.recipient
    if not user.is_active or not user.email:
        _finish(row, DeliveryStatus.DEAD, error="Mottagaren är inaktiv eller saknar e-postadress.")
        return "dead"
    try:
        with get_connection(fail_silently=False) as conn:
            conn.send_messages([_message(row)])
    except Exception as exc:  # noqa: BLE001 - any failure is recorded on the row and retried
        error = f"{type(exc).__name__}: {exc}"
        if _permanent(exc) or row.attempts >= settings.UPPSIKT_NOTIFICATION_MAX_ATTEMPTS:
            _finish(row, DeliveryStatus.DEAD, error=f"Gav upp efter {row.attempts} försök: {error}")
            log.warning("e-mail delivery %s dead: %s", row.pk, error)
            return "dead"
        wait = backoff_seconds(row.attempts)
        _finish(row, DeliveryStatus.FAILED, error=error, next_at=timezone.now() + dt.timedelta(seconds=wait))
        log.info("e-mail delivery %s failed (attempt %s), retry in %.0f s: %s", row.pk, row.attempts, wait, error)
        return "retry"
    _finish(row, DeliveryStatus.SENT)
    return "sent"


def email_deliveries_run_due(*, limit: int = 100, now: dt.datetime | None = None) -> dict[str, int]:
    """The sweeper: rows whose sender died go back to "failed" (due now), then up to `limit` due rows are
    sent. Returns a count per outcome."""
    now = now or timezone.now()
    for row in EmailDelivery.objects.filter(status=DeliveryStatus.SENDING, started_at__lt=now - STALE_SENDING):
        _finish(row, DeliveryStatus.FAILED, error="Avbröts (arbetaren stannade).", next_at=now)
    counts: dict[str, int] = {}
    for pk in list(EmailDelivery.objects.due(now).values_list("pk", flat=True)[:limit]):
        outcome = email_delivery_send(delivery_id=pk, now=now)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


@transaction.atomic
def email_delivery_act(*, delivery: EmailDelivery, action: str, actor) -> EmailDelivery:
    """An administrator retries a dead row or stops a waiting one (workflow.ACTIONS); audited."""
    from accounts.services import audit_record

    if action not in dict(workflow.available_actions(delivery, actor)):
        raise DomainError("Åtgärden går inte att utföra på utskicket.")
    row = EmailDelivery.objects.select_for_update().get(pk=delivery.pk)
    _sources, to_state, _label = workflow.ACTIONS[action]
    workflow.transition(row, to_state)
    row.next_attempt_at = timezone.now() if to_state == DeliveryStatus.PENDING else None
    if to_state == DeliveryStatus.PENDING:
        row.attempts = 0
    row.save(update_fields=["status", "next_attempt_at", "attempts"])
    audit_record(actor=actor, action="other", target=row, detail={"event": f"email_{action}"})
    if to_state == DeliveryStatus.PENDING:
        transaction.on_commit(lambda: _wake([row.pk]))
    return row


# --- the daily digest ----------------------------------------------------------------------------


def digest_time() -> dt.time:
    return parse_clock(settings.UPPSIKT_NOTIFICATION_DIGEST_TIME)


def _digest_one(user_id: int, now: dt.datetime) -> EmailDelivery | None:
    from accounts.models import User

    with transaction.atomic():
        user = User.objects.filter(pk=user_id, is_active=True).first()
        pending = list(Notification.objects.select_for_update().filter(recipient_id=user_id, digest_pending=True)
                       .order_by("created_at", "id"))
        if not pending:
            return None
        if user is None or not user.email:
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(digest_pending=False)
            return None
        body = _render("accounts/notifications/email/digest.txt", {
            "user": user, "items": [(n, _absolute(n.link)) for n in pending],
        })
        count = len(pending)
        subject = (f"[Uppsikt] Sammanfattning: {count} avisering" if count == 1
                   else f"[Uppsikt] Sammanfattning: {count} aviseringar")
        delivery = EmailDelivery.objects.create(
            key=f"digest:{user_id}:{pending[0].pk}-{pending[-1].pk}", kind=DeliveryKind.DIGEST, recipient=user,
            to_address=user.email, subject=subject, body=body, next_attempt_at=now, created_at=now)
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(digest_pending=False,
                                                                           digest_delivery=delivery)
        transaction.on_commit(lambda: _wake([delivery.pk]))
        return delivery


def notification_digests_send(*, now: dt.datetime | None = None) -> int:
    """Write one digest e-mail per user with notifications waiting for it; returns how many.

    Runs on working days only (what waits over a weekend goes out on the next working day); each
    user's digest is written in its own transaction with the notifications it lists, so a second run
    finds nothing new to send."""
    now = now or timezone.now()
    if not is_working_day(timezone.localtime(now).date()):
        return 0
    user_ids = list(Notification.objects.filter(digest_pending=True).order_by()
                    .values_list("recipient_id", flat=True).distinct())
    return sum(1 for uid in user_ids if _digest_one(uid, now) is not None)


def notifications_prune(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Delete what is no longer needed: read notifications and finished e-mails (sent, stopped or given up)
    older than UPPSIKT_NOTIFICATION_KEEP_DAYS (unread ones stay until read). Returns the counts."""
    now = now or timezone.now()
    before = now - dt.timedelta(days=settings.UPPSIKT_NOTIFICATION_KEEP_DAYS)
    finished = [DeliveryStatus.SENT, DeliveryStatus.CANCELLED, DeliveryStatus.DEAD]
    mails, _ = EmailDelivery.objects.filter(status__in=finished, created_at__lt=before).delete()
    read, _ = Notification.objects.filter(read_at__isnull=False, created_at__lt=before, digest_pending=False).delete()
    return {"notifications": read, "emails": mails}

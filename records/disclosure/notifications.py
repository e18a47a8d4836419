"""Who is told about requests for public documents (accounts.notifications).

- a new request: the registrars (not the one who entered it), at once — the deadline is one working day;
- an overdue request (deadline passed, not yet decided): the registrars, once per request;
- an appeal window closing (the authority's decision can be appealed for three weeks; the refused
  documents are held until then): the registrars, once per decision, three days before.
Titles carry the reference and dates only: never what was asked for or who asked.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from accounts.models import NotificationKind
from accounts.notifications.services import notification_emit, users_with_role
from config.tasks import task

APPEAL_NOTICE_DAYS = 3
BATCH = 200


def _when(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "–"


def notify_disclosure_received(*, request, actor=None) -> None:
    """A new request: every registrar but the one who entered it."""
    notification_emit(
        kind=NotificationKind.DISCLOSURE_NEW, recipients=users_with_role("registrar", exclude=[actor]),
        title=f"Ny begäran om allmän handling {request.reference}, ska vara hanterad senast "
              f"{_when(request.deadline_at)}",
        body=f"Inkom {_when(request.received_at)} ({request.get_channel_in_display().lower()}).",
        link=reverse("disclosure_detail", args=[request.pk]), target=request,
        dedupe_key=f"disclosure_new:{request.pk}",
    )


def disclosure_overdue_notify(*, now: dt.datetime | None = None) -> int:
    """Notify the registrars of each overdue request once; returns how many requests were notified."""
    from records.disclosure.services import disclosure_overdue
    from records.models import DisclosureRequest

    now = now or timezone.now()
    registrars = list(users_with_role("registrar"))
    if not registrars:
        return 0
    overdue = disclosure_overdue(DisclosureRequest.objects.filter(purged_at__isnull=True), now=now)
    count = 0
    for request in overdue.order_by("deadline_at", "pk")[:BATCH]:
        created = notification_emit(
            kind=NotificationKind.DISCLOSURE_OVERDUE, recipients=registrars,
            title=f"Begäran om allmän handling {request.reference} är försenad: skulle vara hanterad "
                  f"{_when(request.deadline_at)}",
            body=f"Status: {request.get_status_display().lower()}.",
            link=reverse("disclosure_detail", args=[request.pk]), target=request,
            dedupe_key=f"disclosure_overdue:{request.pk}", now=now,
        )
        count += bool(created)
    return count


def appeal_windows_notify(*, now: dt.datetime | None = None, days: int = APPEAL_NOTICE_DAYS) -> int:
    """Notify the registrars when an authority's decision's appeal window ends within `days` days and no
    appeal has been registered (once per request and window); returns how many."""
    from records.disclosure.services import APPEAL_MARGIN_DAYS, APPEAL_WEEKS
    from records.models import AppealStatus, DisclosureRequest, DisclosureStatus

    now = now or timezone.now()
    today = timezone.localtime(now).date()
    span = dt.timedelta(weeks=APPEAL_WEEKS, days=APPEAL_MARGIN_DAYS)
    # window end = the day the requester received the decision + span (records.disclosure.guards)
    requests = (DisclosureRequest.objects.filter(
        status=DisclosureStatus.APPEAL_WINDOW, appeal_status=AppealStatus.NONE, purged_at__isnull=True,
        decision_notified_on__gte=today - span, decision_notified_on__lte=today - span + dt.timedelta(days=days),
    ).order_by("pk"))
    registrars = list(users_with_role("registrar"))
    count = 0
    for request in requests[:BATCH]:
        end = request.decision_notified_on + span
        created = notification_emit(
            kind=NotificationKind.APPEAL_WINDOW, recipients=registrars,
            title=f"Överklagandetiden för beslutet i {request.reference} går ut {end.isoformat()}",
            body="Kontrollera om ett överklagande har kommit in; spärren mot gallring av de avslagna "
                 "handlingarna upphör när tiden gått ut och begäran avslutats.",
            link=reverse("disclosure_detail", args=[request.pk]), target=request,
            dedupe_key=f"appeal_window:{request.pk}:{request.decision_notified_on.isoformat()}", now=now,
        )
        count += bool(created)
    return count


@task(queue_name="default")
def disclosure_reminders_task() -> dict:
    return {"overdue": disclosure_overdue_notify(), "appeal_windows": appeal_windows_notify()}


def _enqueue(now) -> str:
    disclosure_reminders_task.enqueue()
    return "påminnelser om begäranden"


def scheduled_jobs() -> list:
    """Registered by RecordsConfig.ready(): every 15 minutes (overdue is measured in hours)."""
    from config.scheduling import Every, Job

    return [Job("disclosure_reminders", Every(minutes=15), _enqueue,
                "Påminnelser: försenade begäranden och överklagandetider")]

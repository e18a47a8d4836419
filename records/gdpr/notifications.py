"""Who is told about data-subject requests (GDPR art. 12.3: one month): the archivists.

- a new request (not the archivist who entered it);
- a deadline within DEADLINE_NOTICE_DAYS days, and a deadline passed, while the request is not
  answered: once per request, deadline and stage (an extended deadline is reminded of again).
Titles carry the reference and the deadline only: never who the data subject is.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from accounts.models import NotificationKind
from accounts.notifications.services import notification_emit, users_with_role
from config.tasks import task

DEADLINE_NOTICE_DAYS = 7
BATCH = 200


def notify_subject_request_received(*, request, actor=None) -> None:
    notification_emit(
        kind=NotificationKind.SUBJECT_REQUEST_NEW, recipients=users_with_role("archivist", exclude=[actor]),
        title=f"Ny begäran enligt dataskyddsförordningen {request.reference} "
              f"({request.get_kind_display().lower()}), ska besvaras senast {request.deadline}",
        link=reverse("subject_request_detail", args=[request.pk]), target=request,
        dedupe_key=f"subject_new:{request.pk}",
    )


def subject_deadlines_notify(*, now: dt.datetime | None = None, days: int = DEADLINE_NOTICE_DAYS) -> int:
    """Remind the archivists of unanswered requests near or past their deadline; returns how many."""
    from records.models import SubjectRequest, SubjectRequestStatus

    now = now or timezone.now()
    today = timezone.localtime(now).date()
    archivists = list(users_with_role("archivist"))
    if not archivists:
        return 0
    open_requests = (SubjectRequest.objects.filter(answered_at__isnull=True, purged_at__isnull=True,
                                                   deadline__isnull=False,
                                                   deadline__lte=today + dt.timedelta(days=days))
                     .exclude(status=SubjectRequestStatus.CLOSED).order_by("deadline", "pk"))
    count = 0
    for request in open_requests[:BATCH]:
        late = request.deadline < today
        stage = "overdue" if late else "soon"
        title = (f"Dataskyddsbegäran {request.reference} är försenad: skulle besvarats senast {request.deadline}"
                 if late else f"Dataskyddsbegäran {request.reference} ska besvaras senast {request.deadline}")
        created = notification_emit(
            kind=NotificationKind.SUBJECT_REQUEST_DEADLINE, recipients=archivists, title=title,
            body=f"Status: {request.get_status_display().lower()}.",
            link=reverse("subject_request_detail", args=[request.pk]), target=request,
            dedupe_key=f"subject_deadline:{request.pk}:{request.deadline}:{stage}", now=now,
        )
        count += bool(created)
    return count


@task(queue_name="default")
def subject_deadlines_task() -> int:
    return subject_deadlines_notify()


def _enqueue(now) -> str:
    subject_deadlines_task.enqueue()
    return "påminnelser om dataskyddsbegäranden"


def scheduled_jobs() -> list:
    """Registered by RecordsConfig.ready(): daily, before office hours."""
    from config.scheduling import Daily, Job

    return [Job("subject_request_deadlines", Daily(hour=6, minute=45), _enqueue,
                "Påminnelser: tidsfrister för dataskyddsbegäranden")]

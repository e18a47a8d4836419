"""Background tasks of the notification outbox (queue "default") and its periodic jobs.

- `email_delivery_send_task`: send one outbox row, enqueued after the commit that wrote it;
- the sweeper (every minute): retries due rows and rows whose worker died;
- the digest (daily at UPPSIKT_NOTIFICATION_DIGEST_TIME on working days).
All idempotent: a sent row is never sent again, a digest lists each notification once.
"""

from __future__ import annotations

from config.tasks import task


@task(queue_name="default")
def email_delivery_send_task(delivery_id: int) -> str:
    from accounts.notifications.services import email_delivery_send

    return email_delivery_send(delivery_id=delivery_id)


@task(queue_name="default")
def email_deliveries_sweep_task(limit: int = 100) -> dict:
    from accounts.notifications.services import email_deliveries_run_due

    return email_deliveries_run_due(limit=limit)


@task(queue_name="default")
def notification_digests_task() -> int:
    from accounts.notifications.services import notification_digests_send

    return notification_digests_send()


@task(queue_name="default")
def notifications_prune_task() -> dict:
    from accounts.notifications.services import notifications_prune

    return notifications_prune()


def _enqueue_prune(now) -> str:
    notifications_prune_task.enqueue()
    return "rensning"


def _enqueue_sweep(now) -> str:
    from accounts.models import EmailDelivery

    if not EmailDelivery.objects.due(now).exists():
        return "inget att skicka"
    email_deliveries_sweep_task.enqueue()
    return "utskick"


def _enqueue_digest(now) -> str:
    notification_digests_task.enqueue()
    return "sammanfattningar"


def scheduled_jobs() -> list:
    """The outbox's periodic jobs (registered by AccountsConfig.ready())."""
    from accounts.notifications.services import digest_time
    from config.scheduling import Daily, Every, Job

    at = digest_time()
    return [
        Job("notification_email_sweep", Every(minutes=1), _enqueue_sweep, "E-post från aviseringar: nya försök"),
        Job("notification_digest", Daily(hour=at.hour, minute=at.minute), _enqueue_digest,
            "Daglig sammanfattning av aviseringar"),
        Job("notifications_prune", Daily(hour=2, minute=30), _enqueue_prune,
            "Rensning av lästa aviseringar och skickad e-post"),
    ]

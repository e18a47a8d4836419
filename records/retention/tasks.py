"""Background tasks for retention (queue "retention"; run by the worker, immediately in tests).

- `purge_lists_draft_daily`: recompute classes and due dates, then draft a purge list of what is
  due and not on hold (the worker's scheduler or cron runs it once a day: `manage.py purge_draft
  --recompute` does the same from cron).
- `purge_list_execute_task`: execute an approved list in batches; the UI enqueues it and polls
  the lines' statuses. Safe to enqueue twice: execution is idempotent and resumable.
"""

from config.tasks import task


@task(queue_name="retention")
def purge_lists_draft_daily() -> str:
    from records.retention.services.plan import retention_recompute
    from records.retention.services.purge import purge_list_draft

    retention_recompute()
    purge_list = purge_list_draft()
    return purge_list.reference if purge_list else ""


@task(queue_name="retention")
def purge_list_execute_task(purge_list_id: int, actor_id: int | None = None, batch_size: int = 5000) -> dict:
    from accounts.models import User
    from records.models import PurgeList
    from records.retention.services.purge import purge_list_execute

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return purge_list_execute(purge_list=PurgeList.objects.get(pk=purge_list_id), actor=actor,
                              batch_size=batch_size)


@task(queue_name="retention")
def retention_recompute_task(target_type: str | None = None) -> dict:
    from records.retention.services.plan import retention_recompute

    return retention_recompute(target_type=target_type)


def _enqueue_purge_draft(now) -> str:
    purge_lists_draft_daily.enqueue()
    return "gallringslista"


def scheduled_jobs() -> list:
    """Retention's periodic jobs (registered by RecordsConfig.ready())."""
    from config.scheduling import Daily, Job

    return [Job("purge_draft_daily", Daily(hour=1, minute=0), _enqueue_purge_draft,
                "Dagligt utkast till gallringslista")]

"""Background tasks for retention (queue "retention"), on whichever task backend is configured
(`config/tasks.py`: the database backend, or Redis; immediately in tests). Every task is idempotent:
running one twice changes nothing twice.

- `purge_lists_draft_daily`: resume lists left executing (a worker died), recompute classes and due
  dates, then draft a purge list of what is due and not on hold (the scheduler runs it once a day;
  `manage.py purge_draft --recompute` does the same from cron).
- `purge_batch_task`: one per chunk of an executing list's lines (enqueued by
  `records.retention.services.execution.purge_list_enqueue`); claims batches with SKIP LOCKED until
  none is left, then finishes the list. Any number of workers on any number of machines share a list.
- `purge_list_execute_task`: the same, started from an approved list.
"""

from config.tasks import task


@task(queue_name="retention")
def purge_lists_draft_daily() -> str:
    from records.retention.services.execution import purge_lists_resume
    from records.retention.services.plan import retention_recompute
    from records.retention.services.purge import purge_list_draft

    purge_lists_resume()
    retention_recompute()
    purge_list = purge_list_draft()
    return purge_list.reference if purge_list else ""


@task(queue_name="retention")
def purge_batch_task(purge_list_id: int, batch_size: int = 5000, actor_id: int | None = None) -> int:
    """Purge batches of one executing list until none is left to claim; returns the lines claimed."""
    from accounts.models import User
    from records.retention.services.execution import purge_batches_run, purge_list_finish

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    claimed = purge_batches_run(purge_list_id=purge_list_id, batch_size=batch_size, actor=actor)
    purge_list_finish(purge_list_id=purge_list_id, actor=actor)
    return claimed


@task(queue_name="retention")
def purge_list_execute_task(purge_list_id: int, actor_id: int | None = None, batch_size: int = 5000) -> int:
    """Start (or resume) an approved list in the background: enqueues its batch tasks."""
    from accounts.models import User
    from records.models import PurgeList
    from records.retention.services.execution import purge_list_enqueue

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return purge_list_enqueue(purge_list=PurgeList.objects.get(pk=purge_list_id), actor=actor,
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

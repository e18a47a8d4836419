"""Background tasks of media (queue "platform"): downloads and evidence sheets, run by the worker after the
transaction that wrote their rows has committed; the scheduler enqueues the sweepers every minute
(``scheduled_jobs``)."""

from __future__ import annotations

from config.tasks import task


@task(queue_name="platform")
def attachment_fetch_run(attachment_id: int) -> str:
    from moderation.media.services import attachment_fetch

    return attachment_fetch(attachment_id=attachment_id)


@task(queue_name="platform")
def attachments_fetch_sweep(limit: int = 200) -> dict:
    from moderation.media.services import attachments_fetch_due

    return attachments_fetch_due(limit=limit)


@task(queue_name="platform")
def evidence_sheet_run(sheet_id: int) -> str:
    from moderation.media.evidence import evidence_sheet_render

    return evidence_sheet_render(sheet_id=sheet_id)


@task(queue_name="platform")
def evidence_sheets_sweep(limit: int = 50) -> dict:
    from moderation.media.evidence import evidence_sheets_render_due

    return evidence_sheets_render_due(limit=limit)


def _enqueue_media_sweeps(now) -> str:
    attachments_fetch_sweep.enqueue()
    evidence_sheets_sweep.enqueue()
    return "nedladdningar och bevisblad köade"


def scheduled_jobs() -> list:
    """The media sweepers (attachment downloads and evidence sheets due or lost), every minute."""
    from config.scheduling import Every, Job

    return [Job("media_sweeps", Every(minutes=1), _enqueue_media_sweeps, "Bilder och bevisblad: nya försök")]

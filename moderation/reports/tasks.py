"""The report mailbox's task and periodic job (every two minutes while UPPSIKT_REPORT_IMAP_URL is set)."""

from __future__ import annotations

import logging

from django.conf import settings

from config.tasks import task

log = logging.getLogger("uppsikt.reports.mailbox")


@task(queue_name="default")
def report_mailbox_fetch_task() -> dict:
    from moderation.reports.mailbox import MailboxError, mailbox_fetch

    try:
        return mailbox_fetch().as_dict()
    except MailboxError as exc:
        log.error("report mailbox: %s", exc)
        return {"error": str(exc)}


def _enqueue(now) -> str:
    if not settings.UPPSIKT_REPORT_IMAP_URL:
        return "ingen brevlåda konfigurerad"
    report_mailbox_fetch_task.enqueue()
    return "läser brevlådan"


def scheduled_jobs() -> list:
    """Registered by ModerationConfig.ready()."""
    from config.scheduling import Every, Job

    return [Job("report_mailbox_fetch", Every(minutes=2), _enqueue, "Anmälningar via e-post (IMAP)")]

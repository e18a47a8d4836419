"""Background tasks of the moderation app (run by the task worker; immediately in tests).

Platform actions are carried out here, after the transaction that wrote their outbox row commits.
"""

from config.tasks import task


@task(queue_name="platform")
def platform_action_run(action_id: int) -> str:
    from moderation.outbox import platform_action_execute

    return platform_action_execute(action_id=action_id)

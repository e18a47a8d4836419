"""Background re-screening after the detectors change (queue "screening")."""

from config.tasks import task


@task(queue_name="screening")
def detectors_rescreen_task(actor_id: int | None = None) -> dict:
    from accounts.models import User
    from moderation.screening.services import detectors_rescreen

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    run = detectors_rescreen(actor=actor)
    return {"run": run.pk, "items": run.items_done, "flags": run.flags_created}


# The name the brief and the admin use.
detectors_rescreen = detectors_rescreen_task

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderering")
    default_auto_field = "django.db.models.BigAutoField"
    # Each sub-domain is a package with its models, services, views, API, forms, URLs and templates.
    subdomains = ("screening", "channels", "rules", "queue", "reports", "platforms", "media", "consent",
                  "statistics")

    def ready(self) -> None:
        from config.reference_data import reseed

        post_migrate.connect(reseed("moderation.migrations.0003_seed_rules"), sender=self, weak=False,
                             dispatch_uid="uppsikt_moderation_reference_data")
        # Fills records' registry (what can be registered, what retention covers); see the module.
        # Its periodic jobs (polling, the outbox sweeper, snapshots, …) in the shared job table.
        from config.scheduling import register_job
        from moderation import (
            disclosure_hooks,  # noqa: F401
            registry_hooks,  # noqa: F401
            retention_hooks,  # noqa: F401
        )
        from moderation.media.tasks import scheduled_jobs as media_jobs
        from moderation.platforms.tasks import scheduled_jobs as platform_jobs
        from moderation.reports.tasks import scheduled_jobs as report_jobs

        for job in (*platform_jobs(), *media_jobs(), *report_jobs()):
            register_job(job)
        from moderation.queue import secrecy

        secrecy.register()  # secrecy that follows a document's markings back to its source

        # Registers the platform tasks' wake-ups (moderation/platforms/wakeups.py) in every process.
        from moderation.platforms import tasks  # noqa: F401

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs):
    from accounts.roles import sync_roles

    sync_roles()


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Konton och behörigheter")
    # Sub-domain packages (their urls, nav, api are found by config.discovery).
    subdomains = ("notifications",)

    def ready(self) -> None:
        # Authentication events come from django.contrib.auth's own signals: there is no
        # other hook for a failed login inside authenticate(). They only write the audit log.
        from accounts import receivers  # noqa: F401
        from accounts.signin import checks  # noqa: F401

        # The data migration creates the roles; re-syncing after every migrate (and after a test
        # flush) gives them the permissions of models added later. It is idempotent.
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="uppsikt_sync_roles")
        # The notification outbox's periodic jobs (sweeper, daily digest) in the shared job table.
        from accounts.notifications.tasks import scheduled_jobs
        from config.scheduling import register_job

        for job in scheduled_jobs():
            register_job(job)

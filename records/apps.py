from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = _("Diarium och arkiv")
    default_auto_field = "django.db.models.BigAutoField"
    # Each sub-domain is a package with its models, services, views, API, forms, URLs and templates.
    subdomains = ("diarium", "secrecy", "disclosure", "retention", "gdpr", "archive")

    def ready(self) -> None:
        from config.reference_data import reseed
        from records.diarium import checks  # noqa: F401 - registers the main-diarium series check

        post_migrate.connect(reseed("records.migrations.0002_seed_reference_data"), sender=self, weak=False,
                             dispatch_uid="uppsikt_records_reference_data")
        # Its periodic jobs (the daily purge draft) in the shared job table.
        from config.scheduling import register_job
        from records.retention.tasks import scheduled_jobs

        for job in scheduled_jobs():
            register_job(job)
        post_migrate.connect(reseed("records.migrations.0010_seed_police_reports"), sender=self, weak=False,
                             dispatch_uid="uppsikt_records_police_report_data")
        # Notifications: reminders (overdue requests, appeal windows, GDPR deadlines) and the Swedish
        # working days for office hours (accounts cannot import records).
        from accounts.notifications.hours import set_working_day_rule
        from records.disclosure.notifications import scheduled_jobs as disclosure_jobs
        from records.gdpr.notifications import scheduled_jobs as gdpr_jobs
        from records.workdays import is_working_day

        set_working_day_rule(is_working_day)
        for job in [*disclosure_jobs(), *gdpr_jobs()]:
            register_job(job)

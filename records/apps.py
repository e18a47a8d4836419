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
        post_migrate.connect(reseed("records.migrations.0006_seed_police_reports"), sender=self, weak=False,
                             dispatch_uid="uppsikt_records_police_report_data")

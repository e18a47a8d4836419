from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "config.scheduling"
    label = "scheduling"
    verbose_name = _("Schemalagda jobb")
    default_auto_field = "django.db.models.BigAutoField"

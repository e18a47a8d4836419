from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderering")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Fills records' registry (what can be registered, what retention covers); see the module.
        from moderation import registry_hooks  # noqa: F401

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledJob(models.Model):
    """One row per periodic job: when it is next due, and who holds its lease while running it.

    A scheduler takes the lease with a conditional UPDATE (see `config.scheduling.services`): the
    row is the only place the "already done this period" fact lives, so any number of schedulers
    on any number of machines share it.
    """

    name = models.CharField(_("jobb"), max_length=100, unique=True)
    next_run_at = models.DateTimeField(_("nästa körning"), db_index=True)
    leased_by = models.CharField(_("körs av"), max_length=200, blank=True)
    lease_until = models.DateTimeField(_("lån till"), null=True, blank=True)
    last_started_at = models.DateTimeField(_("senast startad"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("senast klar"), null=True, blank=True)
    last_result = models.TextField(_("senaste resultat"), blank=True)
    last_error = models.TextField(_("senaste fel"), blank=True)
    runs = models.PositiveBigIntegerField(_("antal körningar"), default=0)

    class Meta:
        verbose_name = _("schemalagt jobb")
        verbose_name_plural = _("schemalagda jobb")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

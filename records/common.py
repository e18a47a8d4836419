"""Pieces shared by the records models."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def user_fk(verbose_name, **kwargs) -> models.ForeignKey:
    """A reference to the user who did something.

    PROTECT: who registered, marked, approved or purged is part of the record; users are
    deactivated, never deleted, once they have acted on records.
    """
    kwargs.setdefault("null", True)
    kwargs.setdefault("blank", True)
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=verbose_name, on_delete=models.PROTECT, related_name="+", **kwargs
    )


def visible_if_permitted(queryset: models.QuerySet, user, codename: str) -> models.QuerySet:
    """All rows for active staff holding `records.<codename>`, none for anyone else.

    Records are not partitioned by unit: the registrar and archivist serve the whole municipality.
    Secret parts are masked per field (Document.secret_parts), not by hiding rows.
    """
    if (
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_staff_member", False)
        and user.has_perm(f"records.{codename}")
    ):
        return queryset
    return queryset.none()


class RetentionFields(models.Model):
    """What the information management plan says about one record, and whether it was purged.

    `retention_due` is computed by the retention service from the class and its trigger (arrival,
    decision, case closed); `purged_at` is set when the content was removed and a Tombstone left.
    """

    retention_class = models.ForeignKey(
        "records.RetentionClass", verbose_name=_("gallringsklass"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    retention_due = models.DateField(_("gallras tidigast"), null=True, blank=True, db_index=True)
    purged_at = models.DateTimeField(_("gallrad"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_purged(self) -> bool:
        return self.purged_at is not None

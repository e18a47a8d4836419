"""Writes to the moderation configuration and staff notes that forms and the admin share."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from moderation.models import Rule


@transaction.atomic
def rule_save(*, rule: Rule, actor=None, valid_from_set: bool = False) -> Rule:
    """Save a rule; a change of its published text makes a new version.

    Guarantees: decisions copy the rule text in force (DecisionRule), so a text change bumps
    `version` and, unless the caller set `valid_from` explicitly, starts it now. History records who.
    """
    if rule.pk:
        before = Rule.objects.select_for_update().get(pk=rule.pk)
        if rule.text_differs(before):
            rule.version = before.version + 1
            if not valid_from_set:
                rule.valid_from = timezone.now()
    if actor is not None:
        rule._history_user = actor
    rule.save()
    return rule



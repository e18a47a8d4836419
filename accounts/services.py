"""Writes for accounts: the audit log, units and role membership."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.models import Group
from django.db import models, transaction

from accounts.models import AuditEvent, Role, Unit, User

log = logging.getLogger("uppsikt.audit")


def _target_fields(target: Any) -> dict[str, str]:
    if target is None:
        return {"target_type": "", "target_id": "", "target_label": ""}
    if isinstance(target, models.Model):
        meta = target._meta
        label = getattr(target, "audit_label", None)
        return {
            "target_type": f"{meta.app_label}.{meta.model_name}",
            "target_id": str(target.pk or ""),
            "target_label": str(label if label is not None else f"{meta.verbose_name} {target.pk}")[:255],
        }
    if isinstance(target, tuple) and len(target) == 3:
        kind, pk, label = target
        return {"target_type": str(kind), "target_id": str(pk), "target_label": str(label)[:255]}
    return {"target_type": type(target).__name__, "target_id": "", "target_label": str(target)[:255]}


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: Any = None,
    detail: dict | None = None,
    request=None,
    actor_label: str | None = None,
) -> AuditEvent:
    """Append one event to the audit log.

    Guarantees: the row is inserted in the caller's transaction (so it is never lost to a failed
    after-commit hook, and disappears only if the audited operation itself rolls back); the target
    is recorded by type, id and a non-personal label. Callers must not put secret content or a
    private person's data in `detail`: the log is readable by auditors.
    """
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    event = AuditEvent.objects.create(
        actor=user,
        actor_label=(actor_label or (user.get_username() if user else ""))[:150],
        action=action,
        detail=detail or {},
        ip_address=client_ip(request),
        **_target_fields(target),
    )
    log.info("audit %s by %s on %s:%s", action, event.actor_label or "-", event.target_type, event.target_id)
    return event


@transaction.atomic
def user_set_roles(
    *, user: User, roles: list[str], actor: User | None, source: str = "", request=None,
    actor_label: str | None = None,
) -> User:
    """Make the user hold exactly these roles; records the change in the audit log.

    `source` says where the change came from ("oidc": the identity provider's groups at sign-in)
    and is kept in the audit event with the roles before and after.
    """
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValueError(f"Okända roller: {', '.join(sorted(unknown))}")
    before = sorted(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
    groups = list(Group.objects.filter(name__in=roles))
    user.groups.remove(*user.groups.filter(name__in=Role.values))
    user.groups.add(*groups)
    after = sorted(set(roles))
    if before != after:
        detail = {"before": before, "after": after, **({"source": source} if source else {})}
        audit_record(actor=actor, action="role_changed", target=user, detail=detail, request=request,
                     actor_label=actor_label)
    for attr in ("_role_names", "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(attr, None)
    return user


@transaction.atomic
def user_set_units(
    *, user: User, units: list[Unit], actor: User | None, source: str = "", request=None,
    actor_label: str | None = None,
) -> User:
    """Make the user a member of exactly these units; a change is an audit event (unit codes
    before and after, and its source) besides the units' own history."""
    current = list(user.units.all())
    before = sorted(u.code for u in current)
    after = sorted({u.code for u in units})
    if before != after:
        # From the unit's side, so that each unit's history records the membership change.
        for unit in units:
            if unit.code not in before:
                unit.members.add(user)
        for unit in current:
            if unit.code not in after:
                unit.members.remove(user)
        detail = {"before": before, "after": after, **({"source": source} if source else {})}
        audit_record(actor=actor, action="units_changed", target=user, detail=detail, request=request,
                     actor_label=actor_label)
    user.__dict__.pop("_unit_ids", None)
    return user


@transaction.atomic
def unit_create(*, code: str, name: str, description: str = "", parent: Unit | None = None) -> Unit:
    """Create a unit (förvaltning); the code and name are unique."""
    unit = Unit(code=code, name=name, description=description, parent=parent)
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def unit_set_members(*, unit: Unit, users: list[User]) -> Unit:
    """Make exactly these users members of the unit (history records the change)."""
    unit.members.set(users)
    for u in users:
        u.__dict__.pop("_unit_ids", None)
    return unit

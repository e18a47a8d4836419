"""Writes for accounts: the audit log, units and role membership."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import models, transaction

from accounts.errors import NotPermitted
from accounts.models import AuditAction, AuditEvent, Role, Unit, User

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


SELF_GRANT_MESSAGE = ("Du kan inte ge dig själv en roll eller behörighet. "
                      "En annan systemförvaltare måste göra ändringen.")


def user_grant_check(*, actor, user: User, granted: bool) -> None:
    """Refuse (NotPermitted) when someone would grant themselves a role, a permission or superuser
    status: another administrator must. Removing one's own rights is allowed."""
    if granted and actor is not None and getattr(actor, "pk", None) is not None and actor.pk == user.pk:
        raise NotPermitted(SELF_GRANT_MESSAGE, code="self_grant")


def _perm_codes(perms) -> list[str]:
    return sorted(f"{p.content_type.app_label}.{p.codename}" for p in perms)


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
    user_grant_check(actor=actor, user=user, granted=bool(set(roles) - set(before)))
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
def unit_set_members(*, unit: Unit, users: list[User], actor: User | None = None, source: str = "",
                     request=None) -> Unit:
    """Make exactly these users members of the unit (history records the change). With an actor, a
    change is also an audit event on the unit (user names added and removed): membership decides
    whose items a moderator sees."""
    before = set(unit.members.values_list("username", flat=True)) if actor is not None else set()
    unit.members.set(users)
    for u in users:
        u.__dict__.pop("_unit_ids", None)
    if actor is not None:
        after = {u.username for u in users}
        if before != after:
            audit_record(actor=actor, action=AuditAction.UNITS_CHANGED, target=unit, request=request, detail={
                "members_added": sorted(after - before), "members_removed": sorted(before - after),
                **({"source": source} if source else {})})
    return unit


@transaction.atomic
def user_set_groups(*, user: User, groups: list[Group], actor: User | None, source: str = "", request=None) -> User:
    """Make the user hold exactly these groups: the role groups through `user_set_roles` (audited,
    no self-grant), any other group likewise audited as a role change."""
    names = {g.name for g in groups}
    user_set_roles(user=user, roles=sorted(names & set(Role.values)), actor=actor, source=source, request=request)
    others_before = sorted(user.groups.exclude(name__in=Role.values).values_list("name", flat=True))
    others_after = sorted(names - set(Role.values))
    if others_before != others_after:
        user_grant_check(actor=actor, user=user, granted=bool(set(others_after) - set(others_before)))
        user.groups.remove(*user.groups.exclude(name__in=Role.values))
        user.groups.add(*[g for g in groups if g.name in others_after])
        audit_record(actor=actor, action=AuditAction.ROLE_CHANGED, target=user, request=request, detail={
            "before": others_before, "after": others_after, **({"source": source} if source else {})})
    user.__dict__.pop("_role_names", None)
    return user


@transaction.atomic
def user_set_permissions(
    *, user: User, permissions: list[Permission], actor: User | None, source: str = "", request=None,
) -> User:
    """Make the user hold exactly these individual permissions (besides their roles'); a change is
    an audit event with the permissions added and removed. Nobody grants themselves a permission."""
    current = list(user.user_permissions.select_related("content_type"))
    before, after = _perm_codes(current), _perm_codes(permissions)
    if before != after:
        user_grant_check(actor=actor, user=user, granted=bool(set(after) - set(before)))
        user.user_permissions.set(permissions)
        audit_record(actor=actor, action=AuditAction.PERMISSIONS_CHANGED, target=user, request=request, detail={
            "added": sorted(set(after) - set(before)), "removed": sorted(set(before) - set(after)),
            **({"source": source} if source else {})})
    for attr in ("_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(attr, None)
    return user


ACCOUNT_FLAGS = ("is_active", "is_staff", "is_superuser")


@transaction.atomic
def user_set_flags(*, user: User, actor: User | None, source: str = "", request=None, **flags: bool) -> User:
    """Set the account flags (active, admin access, superuser); a change is an audit event with
    the flags before and after. Nobody gives themselves admin access or superuser status."""
    unknown = set(flags) - set(ACCOUNT_FLAGS)
    if unknown:
        raise ValueError(f"Okända kontoinställningar: {', '.join(sorted(unknown))}")
    locked = User.objects.select_for_update().get(pk=user.pk)
    before = {f: getattr(locked, f) for f in flags}
    changed = {f: v for f, v in flags.items() if bool(v) != bool(before[f])}
    if not changed:
        return user
    granted = any(changed.get(f) for f in ("is_staff", "is_superuser"))
    user_grant_check(actor=actor, user=user, granted=granted)
    for name, value in changed.items():
        setattr(locked, name, bool(value))
        setattr(user, name, bool(value))
    locked.save(update_fields=list(changed))
    action = AuditAction.PERMISSIONS_CHANGED if set(changed) & {"is_staff", "is_superuser"} else \
        AuditAction.ACCOUNT_CHANGED
    audit_record(actor=actor, action=action, target=user, request=request, detail={
        "added": sorted(f for f, v in changed.items() if v), "removed": sorted(f for f, v in changed.items() if not v),
        **({"source": source} if source else {})})
    return user


@transaction.atomic
def group_set_permissions(*, group: Group, permissions: list[Permission], actor: User | None, source: str = "",
                          request=None) -> Group:
    """Make a role (group) hold exactly these permissions; a change is an audit event. The role map in
    accounts/roles.py stays the source of truth: `sync_roles` restores it on the next migration."""
    current = list(group.permissions.select_related("content_type"))
    before, after = _perm_codes(current), _perm_codes(permissions)
    if before != after:
        granted = bool(set(after) - set(before))
        if granted and actor is not None and getattr(actor, "pk", None) and actor.groups.filter(pk=group.pk).exists():
            # a role one holds: widening it grants oneself the permissions
            user_grant_check(actor=actor, user=actor, granted=True)
        group.permissions.set(permissions)
        audit_record(actor=actor, action=AuditAction.PERMISSIONS_CHANGED, target=group, request=request, detail={
            "added": sorted(set(after) - set(before)), "removed": sorted(set(before) - set(after)),
            **({"source": source} if source else {})})
    return group

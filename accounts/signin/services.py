"""What the identity provider's groups give a user, and applying it at every sign-in."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from accounts.models import Role, Unit, User
from accounts.services import user_set_roles, user_set_units

log = logging.getLogger("uppsikt.signin")

SOURCE = "oidc"
ACTOR_LABEL = "identitetsleverantör"


@dataclass(frozen=True)
class Access:
    roles: frozenset[str]
    unit_codes: frozenset[str]
    groups: tuple[str, ...]  # the user's groups that the map mentions


def group_map_problems(group_map: object) -> list[str]:
    """Why UPPSIKT_OIDC_GROUP_MAP is unusable (empty list: it is fine). Used by a system check."""
    if not isinstance(group_map, dict):
        return ["UPPSIKT_OIDC_GROUP_MAP ska vara ett JSON-objekt: {\"grupp\": {\"roles\": [...], \"units\": [...]}}."]
    problems = []
    for group, grant in group_map.items():
        if not isinstance(grant, dict) or set(grant) - {"roles", "units"}:
            problems.append(f"Gruppen {group!r}: ange ett objekt med nycklarna roles och/eller units.")
            continue
        for key in ("roles", "units"):
            value = grant.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems.append(f"Gruppen {group!r}: {key} ska vara en lista med text.")
        unknown = set(grant.get("roles", []) if isinstance(grant.get("roles"), list) else []) - set(Role.values)
        if unknown:
            problems.append(f"Gruppen {group!r}: okända roller {sorted(unknown)} (finns: {', '.join(Role.values)}).")
    return problems


def groups_from_claims(claims: dict) -> list[str]:
    """The groups claim as a list of strings (a single string counts as one group)."""
    value = claims.get(settings.UPPSIKT_OIDC_GROUPS_CLAIM, [])
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(v) for v in value if isinstance(v, str | int)]
    return []


def access_for_groups(groups: Iterable[str]) -> Access:
    """Union of what each mapped group gives; groups the map does not mention give nothing."""
    group_map: dict = settings.UPPSIKT_OIDC_GROUP_MAP or {}
    roles: set[str] = set()
    units: set[str] = set()
    matched = []
    for group in groups:
        grant = group_map.get(group)
        if not isinstance(grant, dict):
            continue
        matched.append(group)
        roles |= {r for r in grant.get("roles", []) if r in Role.values}
        units |= set(grant.get("units", []))
    return Access(roles=frozenset(roles), unit_codes=frozenset(units), groups=tuple(sorted(matched)))


@transaction.atomic
def user_sync_from_provider(*, user: User, access: Access, request=None) -> User:
    """Make the user's roles (and, with UPPSIKT_OIDC_SYNC_UNITS, units) exactly what the groups
    give: roles and units are added and removed. Every change is an audit event with source
    "oidc" and the roles or unit codes before and after. Unknown unit codes are logged and skipped."""
    user_set_roles(user=user, roles=sorted(access.roles), actor=None, source=SOURCE, request=request,
                   actor_label=ACTOR_LABEL)
    if settings.UPPSIKT_OIDC_SYNC_UNITS:
        units = list(Unit.objects.filter(code__in=access.unit_codes, active=True))
        missing = access.unit_codes - {u.code for u in units}
        if missing:
            log.warning("oidc: group map names unknown or inactive units %s", sorted(missing))
        user_set_units(user=user, units=units, actor=None, source=SOURCE, request=request, actor_label=ACTOR_LABEL)
    return user

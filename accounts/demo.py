"""Demo data for accounts: Exempelstads kommun's units and one user per role."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.db import transaction

from accounts.models import Role, Unit, User
from accounts.roles import sync_roles
from accounts.services import unit_set_members, user_set_roles

UNITS = [
    ("kommunledning", "Kommunledningsförvaltningen", "Kommunstyrelsens förvaltning: kommunikation, kontaktcenter."),
    ("kultur-fritid", "Kultur- och fritidsförvaltningen", "Bibliotek, idrott, kulturskola."),
    ("samhallsbyggnad", "Samhällsbyggnadsförvaltningen", "Plan, bygg, gata och park."),
    ("utbildning", "Utbildningsförvaltningen", "Förskola, grundskola och gymnasium."),
]

# username, first, last, roles, units
USERS = [
    ("moderator", "Mona", "Moderator", [Role.MODERATOR], ["kommunledning", "kultur-fritid"]),
    ("moderator2", "Mats", "Moderator", [Role.MODERATOR], ["utbildning"]),
    ("registrar", "Rut", "Registrator", [Role.REGISTRAR], ["kommunledning"]),
    ("archivist", "Arvid", "Arkivarie", [Role.ARCHIVIST], ["kommunledning"]),
    ("archivist2", "Anna", "Arkivarie", [Role.ARCHIVIST], ["kommunledning"]),
    ("admin", "Ada", "Systemförvaltare", [Role.ADMINISTRATOR], ["kommunledning"]),
    ("auditor", "Gustav", "Granskare", [Role.AUDITOR], []),
]


def demo_email(username: str) -> str:
    """Every demo user's address (DESIGN.md: notifications); .example never reaches a real mailbox."""
    return f"{username}@exempelstad.example"


def demo_password() -> tuple[str, bool]:
    """The demo password from UPPSIKT_DEMO_PASSWORD, else one generated once and kept in var/.

    Returns (password, generated). Keeping the generated one makes a second run change nothing.
    """
    value = os.environ.get("UPPSIKT_DEMO_PASSWORD", "")
    if value:
        return value, False
    path = Path(settings.VAR_DIR) / "demo-password.txt"
    if path.exists():
        return path.read_text(encoding="utf-8").strip(), True
    value = secrets.token_urlsafe(12)
    path.write_text(value + "\n", encoding="utf-8")
    path.chmod(0o600)
    return value, True


@transaction.atomic
def seed(*, stdout=None, password: str, reset_passwords: bool) -> dict:
    sync_roles()
    units = {}
    for code, name, description in UNITS:
        unit, _ = Unit.objects.get_or_create(code=code, defaults={"name": name, "description": description})
        units[code] = unit
    members: dict[str, list[User]] = {code: [] for code in units}
    created = []
    for username, first, last, roles, unit_codes in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=first, last_name=last,
                        email=demo_email(username))
            user.set_password(password)
            user.save()
            created.append(username)
        elif reset_passwords:
            user.set_password(password)
            user.save(update_fields=["password"])
        if user.email != demo_email(username):  # demo databases from before the .example addresses
            user.email = demo_email(username)
            user.save(update_fields=["email"])
        if set(user.groups.values_list("name", flat=True)) != {str(r) for r in roles}:
            user_set_roles(user=user, roles=[str(r) for r in roles], actor=None)
        for code in unit_codes:
            members[code].append(user)
    for code, users in members.items():
        wanted = {u.pk for u in users}
        if set(units[code].members.values_list("pk", flat=True)) != wanted:
            unit_set_members(unit=units[code], users=users)
    # The demo's on-call group (jour): the moderator of the Facebook unit gets urgent mail out of hours.
    from accounts.notifications.services import on_call_set

    on_call_set(user=User.objects.get(username="moderator"), on_call=True, actor=None, note="Demo: jour")
    return {"units": units, "created_users": created}

"""The permission matrix: for every staff URL, what anonymous users, each role and a user without
a role get. Each app adds its cases in tests/matrix_<app>.py as `CASES` (and optionally
`setup(users) -> dict` building the objects the URLs need)."""

from collections.abc import Callable
from dataclasses import dataclass, field

ALL_ROLES = ("moderator", "registrar", "archivist", "administrator", "auditor")


@dataclass(frozen=True)
class Case:
    name: str
    url: str | Callable[[dict], str]
    allowed: tuple[str, ...]            # roles that get `ok`
    ok: int = 200
    anonymous: int = 302                # pages redirect to the login; the API answers 401/403
    denied: int = 403
    method: str = "get"
    data: dict = field(default_factory=dict)

    def resolve(self, ctx: dict) -> str:
        return self.url(ctx) if callable(self.url) else self.url


def expected(case: Case, who: str) -> int:
    if who == "anonymous":
        return case.anonymous
    if who in case.allowed:
        return case.ok
    return case.denied

"""Navigation entries, contributed by each app's `nav.py` (`NAV_ITEMS`).

An entry is shown only to users holding its permission, so the menu never offers a page
that would answer 403.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from config.discovery import app_modules


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None = None  # "app.codename"; None = any signed-in staff member
    order: int = 100
    any_permissions: tuple[str, ...] = ()

    def allowed(self, user) -> bool:
        if self.permission and not user.has_perm(self.permission):
            return False
        if self.any_permissions and not any(user.has_perm(p) for p in self.any_permissions):
            return False
        return True


def all_items() -> list[NavItem]:
    items: list[NavItem] = []
    for module in app_modules("nav"):
        items.extend(getattr(module, "NAV_ITEMS", []))
    return sorted(items, key=lambda i: i.order)


def items_for(user) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    result = []
    for item in all_items():
        if not item.allowed(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        result.append({"label": item.label, "url": url, "url_name": item.url_name})
    return result

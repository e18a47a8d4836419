"""Dashboard panels contributed by each app's `dashboard.py` (`panels(request) -> list[dict]`).

A panel is {"title": str, "template": str, "context": dict, "order": int}.
"""

from importlib import import_module

_APPS = ("accounts", "records", "moderation")


def panels_for(request) -> list[dict]:
    panels: list[dict] = []
    for app in _APPS:
        try:
            module = import_module(f"{app}.dashboard")
        except ModuleNotFoundError:
            continue
        panels.extend(module.panels(request))
    return sorted(panels, key=lambda p: p.get("order", 100))

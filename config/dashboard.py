"""Dashboard panels contributed by each app's `dashboard.py` / `dashboard_*.py` (`panels(request)`).

A panel is {"title": str, "template": str, "context": dict, "order": int}.
"""

from config.discovery import app_modules


def panels_for(request) -> list[dict]:
    panels: list[dict] = []
    for module in app_modules("dashboard"):
        panels.extend(module.panels(request))
    return sorted(panels, key=lambda p: p.get("order", 100))

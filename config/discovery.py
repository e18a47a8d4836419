"""Find the modules each local app contributes: `<app>.<name>` and `<app>.<name>_*`.

Apps grow by topic (records has diarium, disclosure and retention parts); each part adds its own
`urls_disclosure.py`, `api_retention.py`, `nav_…`, `dashboard_…`, `demo_…` without editing a shared file.
"""

import pkgutil
from importlib import import_module
from types import ModuleType

LOCAL_APPS = ("accounts", "moderation", "records")


def app_modules(name: str, apps: tuple[str, ...] = LOCAL_APPS) -> list[ModuleType]:
    found: list[ModuleType] = []
    for app in apps:
        package = import_module(app)
        names = sorted(
            info.name for info in pkgutil.iter_modules(package.__path__)
            if info.name == name or info.name.startswith(f"{name}_")
        )
        names.sort(key=lambda n: (n != name, n))
        found.extend(import_module(f"{app}.{n}") for n in names)
    return found

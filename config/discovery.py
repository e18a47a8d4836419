"""Find the modules each local app contributes: `<app>.<name>` and `<app>.<sub-domain>.<name>`.

Apps are organised by sub-domain (records has diarium, secrecy, disclosure, retention, gdpr,
archive); each sub-domain package adds its own `urls`, `api`, `nav`, `dashboard` and `demo`
modules without editing a shared file. The order of the sub-domains is the app config's
`subdomains` (demo data of the diarium must exist before the disclosure demo uses it).
"""

from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from django.apps import apps as django_apps

LOCAL_APPS = ("accounts", "moderation", "records")


def _candidates(app: str, name: str) -> list[str]:
    config = django_apps.get_app_config(app)
    subdomains = getattr(config, "subdomains", ())
    return [f"{app}.{name}", *(f"{app}.{sub}.{name}" for sub in subdomains)]


def app_modules(name: str, apps: tuple[str, ...] = LOCAL_APPS) -> list[ModuleType]:
    found: list[ModuleType] = []
    for app in apps:
        for dotted in _candidates(app, name):
            if find_spec(dotted) is not None:
                found.append(import_module(dotted))
    return found

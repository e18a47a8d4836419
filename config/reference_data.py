"""Reference data that data migrations seed (rules, legal grounds, retention classes, …).

The migrations create it on a fresh database. After every `migrate` (and after a test flush, which
empties every table) the same idempotent seed functions run again from `post_migrate`, so rows an
administrator deleted by mistake come back and nothing an administrator edited is overwritten.
"""

from importlib import import_module

from django.apps import apps as global_apps


def reseed(migration_module: str):
    def receiver(sender, **kwargs):
        module = import_module(migration_module)
        module.seed(global_apps, None)

    return receiver

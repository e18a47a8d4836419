"""Give the role groups the moderation permissions (accounts.roles.ROLE_PERMISSIONS) on a fresh database."""

from django.db import migrations


def sync(apps, schema_editor):
    from accounts.roles import sync_roles

    sync_roles(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0003_seed_rules"),
        ("accounts", "0002_roles_and_audit_guard"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]

"""Give the role groups the records permissions (see accounts.roles.ROLE_PERMISSIONS)."""

from django.db import migrations


def sync(apps, schema_editor):
    from accounts.roles import sync_roles

    sync_roles(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0002_seed_reference_data"),
        ("accounts", "0002_roles_and_audit_guard"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]

"""Create the five role groups with their permissions, and make the audit log append-only in the database."""

from django.db import migrations


def sync(apps, schema_editor):
    from accounts.roles import sync_roles

    sync_roles(apps, schema_editor)


def guard_forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    table = "accounts_auditevent"
    if vendor == "postgresql":
        schema_editor.execute(
            """
            CREATE OR REPLACE FUNCTION uppsikt_audit_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'Granskningsloggen får bara utökas (audit log is append-only)';
            END;
            $$ LANGUAGE plpgsql;
            """
        )
        schema_editor.execute(
            f"CREATE TRIGGER uppsikt_audit_no_change BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION uppsikt_audit_append_only();"
        )
    elif vendor == "sqlite":
        # Only UPDATE: Django's flush (used between transactional tests) empties tables with DELETE
        # on SQLite, and with TRUNCATE on PostgreSQL, which the row trigger above does not see.
        for event in ("UPDATE",):
            schema_editor.execute(
                f"CREATE TRIGGER uppsikt_audit_no_{event.lower()} BEFORE {event} ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'Granskningsloggen får bara utökas (audit log is append-only)'); END;"
            )


def guard_backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS uppsikt_audit_no_change ON accounts_auditevent;")
        schema_editor.execute("DROP FUNCTION IF EXISTS uppsikt_audit_append_only();")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS uppsikt_audit_no_update;")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        # Their models must exist so that the administrator role gets their permissions here.
        ("authtoken", "0004_alter_tokenproxy_options"),
        ("django_tasks_database", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(sync, migrations.RunPython.noop),
        migrations.RunPython(guard_forward, guard_backward),
    ]

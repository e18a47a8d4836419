"""Reference data for registering police reports: the registration setting for the reason
"Polisanmälan" (the municipality chooses its series and running case), and the retention class PA-1
for police reports that were never registered (a registered report follows its document's class).
Idempotent (get_or_create); re-run after every migrate (records.apps)."""

import datetime

from django.db import migrations

DEMO = "(Demovärde: ersätt beslutande organ, datum och diarienummer med kommunens eget gallringsbeslut.)"


def seed(apps, schema_editor):
    RegistrationSetting = apps.get_model("records", "RegistrationSetting")
    RetentionClass = apps.get_model("records", "RetentionClass")
    RegistrationSetting.objects.get_or_create(reason="police_report", defaults={"auto_register": False})
    RetentionClass.objects.get_or_create(code="PA-1", defaults={
        "name": "Polisanmälningar som inte diarieförts",
        "covers": ("Polisanmälningar om hot och andra brott på kommunens konton som aldrig skickades eller "
                   "inte diarieförts (utkast). En skickad anmälan diarieförs som upprättad handling till "
                   f"Polisen och följer sitt ärende. Gallras två år efter anmälan. {DEMO}"),
        "action": "purge", "period_days": 730, "trigger": "decision",
        "applies_to": ["moderation.policereport"], "order": 115,
        "decision_body": "Kommunstyrelsen", "decision_date": datetime.date(2025, 2, 12),
        "decision_reference": "KS 2025/12",
    })


class Migration(migrations.Migration):
    dependencies = [("records", "0009_archive_delivery")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

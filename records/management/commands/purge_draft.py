"""Draft a purge list of what is due: `manage.py purge_draft [--cutoff YYYY-MM-DD] [--recompute]`."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from records.retention.services.plan import retention_recompute
from records.retention.services.purge import purge_list_draft


class Command(BaseCommand):
    help = "Tar fram en gallringslista (utkast) med det som förfallit och inte är spärrat."

    def add_arguments(self, parser):
        parser.add_argument("--cutoff", help="Gallringsdatum (standard i dag).")
        parser.add_argument("--recompute", action="store_true", help="Räkna om gallringsklasser och datum först.")

    def handle(self, *args, cutoff=None, recompute=False, **options):
        try:
            day = date.fromisoformat(cutoff) if cutoff else None
        except ValueError as exc:
            raise CommandError("Ange datumet som ÅÅÅÅ-MM-DD.") from exc
        if recompute:
            counts = retention_recompute()
            self.stdout.write(f"Omräknade: {sum(counts.values())}")
        purge_list = purge_list_draft(cutoff=day)
        if purge_list is None:
            self.stdout.write("Inget har förfallit till gallring.")
        else:
            self.stdout.write(self.style.SUCCESS(f"{purge_list.reference}: {purge_list.lines.count()} rader."))

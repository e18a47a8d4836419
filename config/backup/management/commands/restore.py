"""`python manage.py restore DIR [--force]`: verify the backup's checksums, restore the database and
the stored files, migrate if the backup is older, and purge again what the purge journal says was
purged after the backup. See docs/backup-restore.md."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from config.backup.services import BackupError, restore_run


class Command(BaseCommand):
    help = "Återställer en säkerhetskopia till den inställda (tomma) databasen och fillagringen."

    def add_arguments(self, parser):
        parser.add_argument("src", help="Mappen med säkerhetskopian (manifest.json)")
        parser.add_argument("--force", action="store_true",
                            help="Ersätt en databas och fillagring som inte är tomma (allt i dem försvinner)")

    def handle(self, *args, src, force=False, **options):
        started = time.monotonic()
        try:
            result = restore_run(src=src, force=force, progress=self._progress)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        expected = result["manifest"]["row_counts"]
        differ = {t: (n, result["row_counts"].get(t)) for t, n in expected.items()
                  if result["row_counts"].get(t) != n}
        purge = result["purge"]
        self.stdout.write(self.style.SUCCESS(
            f"Återställt från {src} på {time.monotonic() - started:.1f} s: {len(expected)} tabeller, "
            f"{len(result['manifest']['files'])} filer."))
        self.stdout.write(f"Gallrat igen enligt gallringsjournalen: {purge['purged']} objekt "
                          f"i {purge['lists']} listor; raderat igen (GDPR): {purge['erased']} objekt.")
        if differ:
            self.stdout.write("Tabeller med andra radantal än i säkerhetskopian (efter migrering och ny gallring):")
            for table, (before, after) in sorted(differ.items()):
                self.stdout.write(f"  {table}: {before} → {after}")

    def _progress(self, message: str) -> None:
        self.stderr.write(message)
        self.stderr.flush()

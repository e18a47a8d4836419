"""`python manage.py backup --out DIR`: the database (pg_dump -Fc or SQLite's online backup) and the
stored files, with manifest.json (SHA-256 sums, sizes, version, migrations, database kind). See
docs/backup-restore.md."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from config.backup.services import BackupError, backup_create


class Command(BaseCommand):
    help = "Säkerhetskopierar databasen och de lagrade filerna till en ny mapp (med kontrollsummor)."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="Ny (eller tom) mapp för säkerhetskopian")

    def handle(self, *args, out, **options):
        started = time.monotonic()
        try:
            manifest = backup_create(out=out, progress=self._progress)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        size = manifest["database"]["size"] + sum(f["size"] for f in manifest["files"])
        self.stdout.write(self.style.SUCCESS(
            f"Säkerhetskopian är klar i {out}: databas ({manifest['database']['kind']}) och "
            f"{len(manifest['files'])} filer, {size / 1e6:.1f} MB, {time.monotonic() - started:.1f} s."))

    def _progress(self, message: str) -> None:
        self.stderr.write(message)
        self.stderr.flush()

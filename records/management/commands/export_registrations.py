"""Export registrations for the main diarium:
`manage.py export_registrations --from 2026-01-01 --to 2026-01-31 --out DIR` (see services/export.py)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from accounts.errors import DomainError
from records.diarium.services.export import registrations_export


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise CommandError(f"Ogiltigt datum: {value!r} (skriv ÅÅÅÅ-MM-DD).") from exc


class Command(BaseCommand):
    help = ("Exporterar diarieförda handlingar för kommunens huvuddiarium: en JSON- och en PDF/A-fil per "
            "registrering och en CSV- och JSON-förteckning över alla, för registreringar gjorda från och med "
            "--from till och med --to.")

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", required=True, help="Första dagen, ÅÅÅÅ-MM-DD.")
        parser.add_argument("--to", dest="date_to", required=True, help="Sista dagen, ÅÅÅÅ-MM-DD.")
        parser.add_argument("--out", required=True, help="Mapp där exporten skrivs (en ny undermapp skapas).")

    def handle(self, *args, date_from, date_to, out, **options):
        start, end = _date(date_from), _date(date_to)

        def progress(done: int, total: int) -> None:
            share = 100 * done // total if total else 100
            self.stdout.write(f"  {done}/{total} registreringar ({share} %)")

        try:
            result = registrations_export(date_from=start, date_to=end, out_dir=out, actor=None, progress=progress)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(
            f"{result.count} registreringar {start}–{end} exporterade till {result.folder} "
            "(registreringar.csv, registreringar.json, handlingar/)."))

"""Deliver one case to the e-archive: `manage.py export_archive --case "KS 2026/12" --out DIR`."""

from django.core.management.base import BaseCommand, CommandError

from accounts.errors import DomainError
from records.archive.services import case_export
from records.models import Case


class Command(BaseCommand):
    help = "Exporterar ett ärende som E-ARK SIP (FGS Paketstruktur 2.0) med CITS ERMS 3."

    def add_arguments(self, parser):
        parser.add_argument("--case", required=True, help='Diarienummer, t.ex. "KS 2026/12".')
        parser.add_argument("--out", required=True, help="Mapp där paketet skrivs.")

    def handle(self, *args, case, out, **options):
        found = Case.objects.filter(number=case.strip()).first()
        if found is None:
            raise CommandError(f"Ärendet {case} finns inte.")
        try:
            package = case_export(case=found, out_dir=out, actor=None)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        except FileExistsError as exc:
            raise CommandError(f"Paketet finns redan: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Paketet skrevs till {package} (METS.xml, ERMS, representations)."))

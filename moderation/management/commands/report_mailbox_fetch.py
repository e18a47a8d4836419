"""Read the report mailbox now (the scheduler does it every two minutes): `manage.py report_mailbox_fetch`."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from moderation.reports.mailbox import MailboxError, mailbox_fetch


class Command(BaseCommand):
    help = "Läser anmälningar från kommunens brevlåda (UPPSIKT_REPORT_IMAP_URL) och registrerar dem."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=200, help="Högst så många meddelanden per körning")

    def handle(self, *args, limit=200, **options):
        try:
            summary = mailbox_fetch(limit=limit)
        except (ImproperlyConfigured, MailboxError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Lästa {summary.seen}, nya anmälningar {summary.created}, redan registrerade "
                          f"{summary.duplicates}, hoppade över {summary.skipped}, fel {summary.errors}.")

"""Execute an approved purge list in this process: `manage.py purge_execute --list GL-2026-001`
(progress on stderr). Resumes a list left executing (a killed worker), and runs beside background
workers on the same list: batches are claimed with SKIP LOCKED. Who may execute is the workflow's
"execute" action (records.workflow), as on the page and in the API."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from accounts.errors import DomainError
from records.models import PurgeList
from records.retention.services.purge import purge_list_execute


class ProgressBar:
    """A small text progress bar (tqdm is not installed): `[#####.....] 50% 500/1000 12.3/s`."""

    def __init__(self, stream=None, width: int = 30):
        self.stream = stream or sys.stderr
        self.width = width
        self.started = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        fraction = done / total if total else 1.0
        filled = int(self.width * fraction)
        rate = done / max(time.monotonic() - self.started, 1e-6)
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {fraction:4.0%} {done}/{total} "
                          f"{rate:.0f}/s")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = "Verkställer en godkänd gallringslista i omgångar (kan återupptas efter avbrott)."

    def add_arguments(self, parser):
        parser.add_argument("--list", required=True, dest="reference", help="Gallringslistans referens.")
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--user", help="Användarnamn som står som verkställare.")

    def handle(self, *args, reference, batch_size, user=None, **options):
        purge_list = PurgeList.objects.filter(reference=reference).first()
        if purge_list is None:
            raise CommandError(f"Gallringslistan {reference} finns inte.")
        actor = None
        if user:
            from accounts.models import User

            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"Användaren {user} finns inte.")
        bar = ProgressBar()
        try:
            result = purge_list_execute(purge_list=purge_list, actor=actor, batch_size=batch_size, progress=bar)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        finally:
            bar.close()
        self.stdout.write(self.style.SUCCESS(
            f"{reference}: {result['done']} gallrade, {result['refused']} vägrade, {result['skipped']} undantagna "
            f"({result['status']})."
        ))

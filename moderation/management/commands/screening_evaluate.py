"""Precision and recall of the LIVE screening configuration on the labelled Swedish corpus:

    python manage.py screening_evaluate [--dry-run] [--examples] [--fail-on-budget]

Evaluates the active detectors as administrators edited them (word lists expanded with the Swedish
dictionary first when stale), prints the same table as ``bench/bench_screening_quality.py`` for the
whole corpus, its tuning part and its held-out part, and stores each detector's measured precision
and recall (shown on the detector page; a detector holds only at precision ≥ 0.99). ``--dry-run``
stores nothing; ``--fail-on-budget`` exits 1 when a budget of DESIGN.md is not met.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from moderation.screening.evaluation import format_report
from moderation.screening.services import detectors_evaluate


class Command(BaseCommand):
    help = "Mät precision och täckning för den aktiva automatiska granskningen på den märkta korpusen."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Spara inga uppmätta värden.")
        parser.add_argument("--examples", action="store_true", help="Visa exempel på flaggad vanlig svenska.")
        parser.add_argument("--fail-on-budget", action="store_true", help="Avsluta med kod 1 om en budget inte nås.")

    def handle(self, *args, **options):
        started = time.perf_counter()
        self.stdout.write("Utvärderar den aktiva konfigurationen …")
        whole, tune, heldout = detectors_evaluate(store=not options["dry_run"])
        for report in (whole, tune, heldout):
            self.stdout.write("")
            self.stdout.write(format_report(report, examples=options["examples"] and report is whole))
        self.stdout.write("")
        stored = "inga värden sparade" if options["dry_run"] else "uppmätta värden sparade"
        self.stdout.write(f"Klart på {time.perf_counter() - started:.1f} s ({stored}).")
        if options["fail_on_budget"] and not all(ok for _w, _v, ok in whole.budgets()):
            raise CommandError("En eller flera budgetar nås inte.")

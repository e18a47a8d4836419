"""One look at the job table: run what is due (for cron or a systemd timer, every minute):

    * * * * *  cd /srv/uppsikt && .venv/bin/python manage.py run_scheduled

The same table and leases as `run_scheduler` (config.scheduling): any number of machines may run it
at the same minute, and each job still runs once per period. `--list` shows the jobs.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from config.scheduling.jobs import jobs
from config.scheduling.models import ScheduledJob
from config.scheduling.services import describe, scheduled_jobs_sync, scheduler_tick


class Command(BaseCommand):
    help = "Kör de schemalagda jobb som är på tur (en gång; för cron varje minut)."

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="Visa jobben och när de körs nästa gång")

    def handle(self, *args, list=False, **options):
        if list:
            return self.show()
        runs = scheduler_tick()
        if not runs:
            self.stdout.write("Inget jobb var på tur.")
        for run in runs:
            self.stdout.write(describe(run))

    def show(self) -> None:
        scheduled_jobs_sync(now=timezone.now())
        rows = {r.name: r for r in ScheduledJob.objects.all()}
        for job in jobs():
            row = rows.get(job.name)
            nxt = timezone.localtime(row.next_run_at).strftime("%Y-%m-%d %H:%M:%S") if row else "–"
            self.stdout.write(f"{job.name:28} {job.schedule.describe():16} nästa {nxt}  "
                              f"körd {row.runs if row else 0} gånger  {job.label}")

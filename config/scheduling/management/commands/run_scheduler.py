"""The scheduler, long-running: looks at the job table every UPPSIKT_SCHEDULER_TICK_SECONDS (10 s)
and runs what is due (config.scheduling). Run one or several (one per machine is fine): the leases in
the table make each job run once per period. SIGTERM or SIGINT stops it after the current look.
"""

from __future__ import annotations

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from config.scheduling.services import describe, scheduler_id, scheduler_tick


class Command(BaseCommand):
    help = "Startar schemaläggaren (lägger periodiska jobb i kön; säker med flera maskiner)."

    def add_arguments(self, parser):
        parser.add_argument("--tick", type=float, default=None,
                            help="Sekunder mellan varje titt i jobbtabellen (standard UPPSIKT_SCHEDULER_TICK_SECONDS)")
        parser.add_argument("--max-ticks", type=int, default=None, help="Avsluta efter så många tittar (för test)")

    def handle(self, *args, tick=None, max_ticks=None, **options):
        interval = max(0.05, tick if tick is not None else settings.UPPSIKT_SCHEDULER_TICK_SECONDS)
        stop = threading.Event()

        def shutdown(signum, frame):
            self.stdout.write(f"Schemaläggaren avslutas ({signal.Signals(signum).name}).")
            stop.set()

        signal.signal(signal.SIGTERM, shutdown)
        signal.signal(signal.SIGINT, shutdown)
        owner = scheduler_id()
        self.stdout.write(f"Schemaläggaren {owner} startad, tittar var {interval:g} s.")
        self.stdout.flush()
        ticks = 0
        while not stop.is_set():
            close_old_connections()
            try:
                for run in scheduler_tick(owner=owner):
                    self.stdout.write(describe(run))
            except Exception as exc:  # noqa: BLE001 - a database hiccup must not end the scheduler
                self.stderr.write(f"Schemaläggaren: {type(exc).__name__}: {exc}")
            self.stdout.flush()
            ticks += 1
            if max_ticks is not None and ticks >= max_ticks:
                break
            stop.wait(interval)
        close_old_connections()
        self.stdout.write("Schemaläggaren stoppad.")

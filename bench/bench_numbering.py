"""Benchmark: diarienummer allocation under 50 concurrent registrars on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres TEST_DATABASE_NAME=uppsikt_bench_<you> \\
        .venv/bin/python bench/bench_numbering.py [--registrars 50] [--per-registrar 40] [--cases 5] \\
        [--processes 5]

Budget (DESIGN.md, "Budgets"): every number unique, no gaps, none lost on rollback; p95 under
250 ms, max under 1 s, at least 300 registrations/s.

Each registrar has its own database connection; they are spread over `--processes` worker
processes (as a web server's workers serve many registrars: one Python process would measure its
own GIL, not the database). All start at one barrier; each then registers documents
(document_register, one transaction each) into a small pool of shared cases (contention on the
per-case document counter), opens a new case every fourth time (contention on the series' case
counter), and every tenth registration is rolled back on purpose after its numbers were taken.
Afterwards the script checks that the case numbers and each case's document numbers are exactly
1..n, that the counters equal n (the rolled-back numbers were given back) and that no two
documents share a number; it prints throughput and latency against the budget.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import random
import sys
import threading
import time

from _django_bench import bench_database


class Rollback(Exception):
    pass


def _latency(ms: list[float]) -> str:
    from moderation.queue.stats import percentile

    return f"median {percentile(ms, 0.5):.1f} ms, p95 {percentile(ms, 0.95):.1f} ms, max {max(ms):.1f} ms"


def _machine_cpu() -> float:
    """CPU seconds the whole machine has spent busy (all processes, PostgreSQL's too), from /proc/stat."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _register(n: int, index: int, series, user, shared: list, rnd: random.Random, today: dt.date) -> None:
    """Open a case every fourth time (the series' case counter), otherwise pick a shared case (its
    document counter), and register one document into it."""
    from records.diarium.services.cases import case_open
    from records.diarium.services.registration import document_register

    if n % 4 == 0:
        case = case_open(series=series, title=f"Ärende {index}-{n}", actor=user, opened_at=today)
    else:
        case = rnd.choice(shared)
    document_register(case=case, direction="incoming", date=today, sender="Bänk",
                      description=f"Handling {index}-{n}", reason="other", actor=user, content=f"Innehåll {index}-{n}")


def _registrar(index: int, args, series_id: int, user_id: int, shared_ids: list[int], barrier) -> tuple:
    """One registrar: its own database connection, `args.per_registrar` registrations, every tenth
    rolled back on purpose after its numbers were taken."""
    from django.db import connections, transaction

    from accounts.models import User
    from records.diarium.services.numbering import numbers_deferred, registration_unit
    from records.models import Case, Series

    rnd = random.Random(index)
    mine: list[tuple[float, bool]] = []  # (seconds, opened a case)
    counts = {"committed": 0, "rolled_back": 0, "cases_opened": 0}
    try:
        series = Series.objects.get(pk=series_id)
        user = User.objects.get(pk=user_id)
        shared = list(Case.objects.filter(pk__in=shared_ids))
        today = dt.date(2026, 6, 1)
        barrier.wait(timeout=120)
        began = time.monotonic()
        cpu_at_start = _machine_cpu() if index == 0 else None
        for n in range(args.per_registrar):
            rollback = n % 10 == 8  # n = 8, 28, … also open a case: both kinds of counter give back
            started = time.perf_counter()
            try:
                if rollback:
                    # A caller's transaction that goes on after the unit has taken its numbers, and
                    # fails: the numbers must come back (the next registrar gets them).
                    with transaction.atomic():
                        with numbers_deferred():
                            _register(n, index, series, user, shared, rnd, today)
                        raise Rollback
                # One registration unit, as the services that open a case and register into it use: the
                # case and document numbers are taken together, at the end, in the same round trip as
                # the COMMIT (registration_unit opens the transaction).
                with registration_unit():
                    _register(n, index, series, user, shared, rnd, today)
                counts["committed"] += 1
                counts["cases_opened"] += n % 4 == 0
            except Rollback:
                counts["rolled_back"] += 1
            mine.append((time.perf_counter() - started, n % 4 == 0))
        return mine, counts, None, (began, time.monotonic(), cpu_at_start)
    except BaseException as exc:  # noqa: BLE001 - reported by the caller
        return mine, counts, repr(exc), None
    finally:
        connections.close_all()


def _worker(first: int, count: int, args, ids: tuple, barrier, out) -> None:
    """One worker process (like one gunicorn worker) running `count` registrars as threads."""
    results: list = []
    lock = threading.Lock()

    def run(i: int) -> None:
        result = _registrar(i, args, *ids, barrier)
        with lock:
            results.append(result)

    threads = [threading.Thread(target=run, args=(first + i,)) for i in range(count)]
    cpu = time.process_time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.put((results, time.process_time() - cpu))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--registrars", type=int, default=50)
    parser.add_argument("--per-registrar", type=int, default=40)
    parser.add_argument("--cases", type=int, default=5, help="shared cases the registrars register into")
    parser.add_argument("--processes", type=int, default=5,
                        help="worker processes the registrars are spread over, as a web server's workers "
                             "(1 = every registrar a thread of this process, which then measures the GIL)")
    args = parser.parse_args()

    with bench_database(os.environ.get("TEST_DATABASE_NAME", "uppsikt_bench_numbering")) as connection:
        from django.db import connections
        from django.db.models import Count, Max

        from accounts.models import User
        from moderation.queue.stats import percentile
        from records.diarium.services.cases import case_open
        from records.models import Case, Document, NumberCounter, Series

        vendor = connection.vendor
        if vendor != "postgresql":
            print(f"Varning: databasen är {vendor}; budgeten gäller PostgreSQL.", file=sys.stderr)
        series = Series.objects.create(code="KS", name="Kommunstyrelsen")
        user = User.objects.create(username="registrator")
        today = dt.date(2026, 6, 1)
        shared = [case_open(series=series, title=f"Delat ärende {i}", actor=user, opened_at=today)
                  for i in range(args.cases)]
        ids = (series.pk, user.pk, [c.pk for c in shared])
        connections.close_all()  # every process opens its own connections

        load_before = os.getloadavg()[0]
        processes = max(1, min(args.processes, args.registrars))
        ctx = multiprocessing.get_context("fork")
        barrier = ctx.Barrier(args.registrars)
        out = ctx.Queue()
        split = [args.registrars // processes + (1 if i < args.registrars % processes else 0)
                 for i in range(processes)]
        started = time.perf_counter()
        workers = []
        first = 0
        for count in split:
            workers.append(ctx.Process(target=_worker, args=(first, count, args, ids, barrier, out)))
            first += count
        for w in workers:
            w.start()
        batches = [out.get() for _ in workers]
        machine_after = _machine_cpu()
        results = [r for rs, _cpu in batches for r in rs]
        python_cpu = sum(cpu for _rs, cpu in batches)
        for w in workers:
            w.join()
        by_kind: list[tuple[float, bool]] = []
        stats = {"committed": 0, "rolled_back": 0, "cases_opened": 0}
        errors = [err for _m, _c, err, _t in results if err]
        for mine, counts, _err, _t in results:
            by_kind.extend(mine)
            for key, value in counts.items():
                stats[key] += value
        if errors:
            print(f"FEL: {len(errors)} registratorer misslyckades: {errors[:3]!r}")
            return 1

        problems: list[str] = []
        case_seqs = sorted(Case.objects.filter(series=series, year=2026).values_list("sequence", flat=True))
        if case_seqs != list(range(1, len(case_seqs) + 1)):
            problems.append("ärendenumren har luckor eller dubbletter")
        case_counter = NumberCounter.objects.get(series=series, year=2026, scope="case").last_value
        if case_counter != len(case_seqs):
            problems.append(f"ärenderäknaren {case_counter} != {len(case_seqs)} ärenden")
        if len(case_seqs) != args.cases + stats["cases_opened"]:
            problems.append("antalet ärenden stämmer inte")
        per_case = Document.objects.values("case_id").annotate(n=Count("id"), top=Max("sequence"))
        for row in per_case:
            seqs = sorted(Document.objects.filter(case_id=row["case_id"]).values_list("sequence", flat=True))
            if seqs != list(range(1, row["n"] + 1)):
                problems.append(f"ärende {row['case_id']}: handlingsnumren har luckor eller dubbletter")
            counter = NumberCounter.objects.get(scope=NumberCounter.document_scope(row["case_id"])).last_value
            if counter != row["n"]:
                problems.append(f"ärende {row['case_id']}: räknaren {counter} != {row['n']} (nummer förlorat)")
        total = Document.objects.count()
        if total != stats["committed"]:
            problems.append(f"{total} handlingar i databasen, {stats['committed']} registrerade")
        if Document.objects.values("number").distinct().count() != total:
            problems.append("dubbletter bland diarienumren")

        ms = [seconds * 1000 for seconds, _new in by_kind]
        print(f"Databas: {vendor} · {args.registrars} samtidiga registratorer × {args.per_registrar} registreringar "
              f"({processes} processer, {max(split)} trådar var; belastning före start "
              f"{load_before:.1f} på {os.cpu_count()} kärnor)")
        print(f"Diarieförda: {stats['committed']} (varav {stats['cases_opened']} i nya ärenden), "
              f"avbrutna med rollback: {stats['rolled_back']}")
        # From the barrier (all registrars ready) to the last one done: process start-up is not registering.
        spans = [t for *_r, t in results]
        elapsed = max(end for _b, end, _c in spans) - min(began for began, _e, _c in spans)
        machine_before = next(c for _b, _e, c in spans if c is not None)
        machine = machine_after - machine_before
        print(f"Tid: {elapsed:.2f} s · genomströmning: {stats['committed'] / elapsed:.0f} registreringar/s "
              f"(uppstart av processerna {time.perf_counter() - started - elapsed:.1f} s, ej medräknad)")
        attempts = stats["committed"] + stats["rolled_back"]
        print(f"CPU per registrering: {machine / attempts * 1000:.1f} ms på hela maskinen, varav Python "
              f"{python_cpu / attempts * 1000:.1f} ms och resten databasen och systemet; {os.cpu_count()} kärnor "
              f"{machine / elapsed / os.cpu_count():.0%} belagda")
        p95 = percentile(ms, 0.95)
        rate = stats["committed"] / elapsed
        print(f"Latens per registrering: {_latency(ms)}")
        for label, new in (("i nytt ärende (ärenderäknaren)", True), ("i befintligt ärende", False)):
            kind = [seconds * 1000 for seconds, is_new in by_kind if is_new == new]
            if kind:
                print(f"  {label}: {_latency(kind)}")
        budget = [("p95 < 250 ms", p95 < 250), ("max < 1000 ms", max(ms) < 1000),
                  ("≥ 300 registreringar/s", rate >= 300)]
        print("Budget: " + ", ".join(f"{name} {'OK' if ok else 'ÖVER'}" for name, ok in budget))
        print(f"Ärenden: {len(case_seqs)} (1..{case_counter}); handlingar per delat ärende: "
              f"{sorted(r['n'] for r in per_case if r['n'] > 1)}")
        if problems:
            print("FEL: " + "; ".join(problems))
            return 1
        print("OK: alla nummer unika, inga luckor, inga nummer förlorade vid rollback.")
        return 0


if __name__ == "__main__":
    sys.exit(main())

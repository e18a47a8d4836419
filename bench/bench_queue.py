"""Benchmark of the review queue page at 10,000 and 1,000,000 items.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_queue.py

Budget (DESIGN.md): under 150 ms server time with 1,000,000 items; a fixed number of queries,
whatever the page size. Runs in a throw-away database (test_… / uppsikt_bench_queue) created and
dropped here. Items are made with one INSERT … SELECT generate_series (90 % decided, the rest spread
over the open states, 10 % of the open ones flagged). Measured: the queue view rendered through
Django's test Client as `moderator` (if the UI's "queue" URL exists), and the read model alone
(queue_queryset page + tab_counts); median of 20 runs; query counts for page sizes 25 and 100;
EXPLAIN ANALYZE of the page query.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from _django_bench import bench_database

BUDGET_MS = 150.0


def fill(connection, channel_id: int, author_id: int, n: int, start: int) -> None:
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO moderation_item (channel_id, external_id, kind, direction, author_id, text, links,
                attachments, url, raw, search_text, platform_created_at, received_at, state, priority, flag_count,
                report_count, secret, harmless, version, hidden_on_platform, consent_basis, retention_class_code)
            SELECT %s, 'b-' || g, 'comment', 'incoming', %s,
                   'Kommentar nummer ' || g || ' om badhuset och snöröjningen', '[]', '[]', '', '{}',
                   'kommentar nummer ' || g, now() - (g || ' seconds')::interval,
                   now() - (g || ' seconds')::interval,
                   CASE WHEN g %% 10 <> 0 THEN 'decided'
                        WHEN g %% 50 = 0 THEN 'held' WHEN g %% 30 = 0 THEN 'escalated'
                        WHEN g %% 70 = 0 THEN 'reopened' ELSE 'new' END,
                   CASE WHEN g %% 100 = 0 THEN 0 WHEN g %% 20 = 0 THEN 2 ELSE 9 END,
                   CASE WHEN g %% 20 = 0 THEN 1 ELSE 0 END, 0, false, false, 1, false, '', ''
            FROM generate_series(%s, %s) AS g
            """,
            [channel_id, author_id, start, start + n - 1],
        )
        cur.execute(
            """
            INSERT INTO moderation_flag (item_id, source, rule_id, detail, spans, matched_terms, created_at)
            SELECT i.id, 'detector', (SELECT id FROM moderation_rule WHERE code = 'profanity'),
                   'Svordomar: hittade ord ur ordlistan ”jävl*”', '[]', '["jävl*"]', now()
            FROM moderation_item i WHERE i.flag_count = 1 AND i.state <> 'decided'
              AND NOT EXISTS (SELECT 1 FROM moderation_flag f WHERE f.item_id = i.id)
            """
        )
        cur.execute("ANALYZE moderation_item; ANALYZE moderation_flag")


def median_ms(fn, runs: int = 20) -> float:
    fn()  # warm
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    import os

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("bench_queue: kräver PostgreSQL (DATABASE_URL=postgres://…); budgeten gäller PostgreSQL.")
        sys.exit(2)
    with bench_database("uppsikt_bench_queue") as connection:
        from django.db import reset_queries
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.urls import NoReverseMatch, reverse

        from accounts.models import Unit, User
        from accounts.roles import sync_roles
        from moderation.models import Author, Channel
        from moderation.queue import queue_queryset, tab_counts

        sync_roles()
        unit = Unit.objects.create(code="kommunledning", name="Kommunledning")
        user = User.objects.create_user("moderator", password="x")
        from accounts.services import unit_set_members, user_set_roles

        user_set_roles(user=user, roles=["moderator"], actor=None)
        unit_set_members(unit=unit, users=[user])
        user = User.objects.get(pk=user.pk)
        channel = Channel.objects.create(platform="facebook", external_id="1", name="Bench", slug="bench", unit=unit)
        author = Author.objects.create(channel=channel, external_id="a", display_name="Anna")
        try:
            url = reverse("queue")
        except NoReverseMatch:
            url = None
        from django.test.utils import override_settings

        # no collectstatic in a bench: plain static storage so templates render
        static = override_settings(STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}})
        static.enable()
        client = Client()
        client.force_login(user)
        done = 0
        sys.stdout.reconfigure(line_buffering=True)
        print(f"{'items':>10} {'what':<34} {'median ms':>10} {'queries':>8}")
        for size in sorted(args.sizes):
            fill(connection, channel.pk, author.pk, size - done, done + 1)
            done = size

            def page(n):
                rows = list(queue_queryset(user, {"tab": "new"})[:n])
                for r in rows:
                    _ = (r.channel.unit.name, r.author and r.author.display_name, [f.rule for f in r.open_flags])
                return rows

            def counts():
                return tab_counts(user, {"tab": "new"})

            for n in (25, 100):
                page(n)  # warm the user's role and unit caches
                with CaptureQueriesContext(connection) as ctx:
                    page(n)
                ms = median_ms(lambda n=n: page(n), args.runs)
                print(f"{size:>10} {'queue_queryset page ' + str(n):<34} {ms:>10.1f} {len(ctx.captured_queries):>8}")
            with CaptureQueriesContext(connection) as ctx:
                counts()
            ms = median_ms(counts, args.runs)
            print(f"{size:>10} {'tab_counts':<34} {ms:>10.1f} {len(ctx.captured_queries):>8}")
            if url:
                qcounts = []
                for per_page in (25, 100):
                    client.get(url, {"per_page": per_page})  # warm: session, user, roles
                    with CaptureQueriesContext(connection) as ctx:
                        r = client.get(url, {"per_page": per_page})
                    qcounts.append(len(ctx.captured_queries))
                    assert r.status_code == 200, r.status_code
                    ms = median_ms(lambda p=per_page: client.get(url, {"per_page": p}), args.runs)
                    flag = "OK" if ms < BUDGET_MS or size < 1_000_000 else "ÖVER BUDGET"
                    print(f"{size:>10} {'queue view, per_page ' + str(per_page):<34} {ms:>10.1f} "
                          f"{len(ctx.captured_queries):>8}  {flag}")
                print(f"{'':>10} query count fixed across page sizes: {qcounts[0] == qcounts[1]} {qcounts}")
            else:
                print("  (the queue view is not there yet: measured the read model only)")
            reset_queries()
        sql, params = queue_queryset(user, {"tab": "new"}, prefetch=False)[:25].query.sql_with_params()
        with connection.cursor() as cur:
            cur.execute("EXPLAIN ANALYZE " + sql, params)
            print("\nEXPLAIN ANALYZE (page of 25, tab new):")
            for (line,) in cur.fetchall():
                print("  " + line)
        print(f"\nBudget: < {BUDGET_MS:.0f} ms server time at 1,000,000 items; fixed query count.")


if __name__ == "__main__":
    main()

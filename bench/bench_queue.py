"""Benchmark of the review queue page (the real view) at 10,000 and 1,000,000 items.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_queue.py

Budget (DESIGN.md): under 150 ms server time with 1,000,000 items; a fixed number of queries,
whatever the page size. Runs in a throw-away PostgreSQL database (uppsikt_bench_queue) created and
dropped here (`--keep` keeps it and reuses the rows on the next run, for profiling).

Data: 5 units with 4 channels each; the `moderator` belongs to 4 of the 5 units (sees 16 of 20
channels, ~all). Items are made with one INSERT … SELECT generate_series per size: 90 % decided,
the rest spread over the open states; texts from a small vocabulary (each word in about 1 in 5 items;
"vattentornet" in 1 in 200); 12 % of the items flagged (rule and source vary; flags of decided items
resolved); then VACUUM ANALYZE, the steady state autovacuum keeps.

Measured, through Django's test Client as `moderator` (middleware, session, context processors,
template rendering: the server's whole work): the default tab, a channel filter, a rule filter and
a full-text search, each with 25 and 100 rows; median and p90 of `--runs` requests, and the
number of queries per request (which must not depend on the page size). Then EXPLAIN ANALYZE of
the page query and of the tab-count query for each case at the largest size. `--profile` prints a
cProfile of one request per case.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BUDGET_MS = 150.0
DB_NAME = "uppsikt_bench_queue"
UNITS = 5
CHANNELS_PER_UNIT = 4
# Words for the texts (each in about 1 in 5 items); "vattentornet" in 1 in 200.
VOCAB = ["badhuset", "snöröjningen", "skolan", "biblioteket", "bussarna", "parkeringen", "äldreboendet",
         "fritidsgården", "gatubelysningen", "återvinningen"]


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    # UPPSIKT_BENCH_DB: another name when several checkouts bench on one server at once.
    os.environ["TEST_DATABASE_NAME"] = os.environ.get("UPPSIKT_BENCH_DB", DB_NAME)
    import django

    django.setup()


def fill(connection, channel_ids: list[int], author_ids: list[int], start: int, stop: int) -> None:
    """Items start..stop (inclusive), spread over channels, authors, states and priorities by hashes
    of the number (so no two properties correlate); the flagged ones get a flag each."""
    vocab = "ARRAY[" + ",".join(f"'{w}'" for w in VOCAB) + "]"
    with connection.cursor() as cur:
        cur.execute(
            f"""
            INSERT INTO moderation_item (channel_id, external_id, kind, direction, author_id, text, links,
                attachments, url, raw, search_text, platform_created_at, received_at, state, priority, flag_count,
                report_count, secret, harmless, version, hidden_on_platform, consent_basis, retention_class_code,
                decided_at)
            SELECT (%(channels)s)[1 + h.c %% %(nch)s], 'b-' || g, 'comment', 'incoming',
                   (%(authors)s)[1 + h.a %% %(nau)s], t.text, '[]', '[]', '', '{{}}', lower(t.text),
                   now() - (g || ' seconds')::interval, now() - (g || ' seconds')::interval,
                   CASE WHEN h.s < 900 THEN 'decided' WHEN h.s < 960 THEN 'new' WHEN h.s < 970 THEN 'in_review'
                        WHEN h.s < 980 THEN 'held' WHEN h.s < 990 THEN 'escalated' ELSE 'reopened' END,
                   CASE WHEN h.p < 2 THEN 0 WHEN h.p < 7 THEN 1 WHEN h.p < 12 THEN 2 ELSE 9 END,
                   CASE WHEN h.p < 12 THEN 1 ELSE 0 END, CASE WHEN h.p BETWEEN 2 AND 6 THEN 1 ELSE 0 END,
                   false, false, 1, false, '', '',
                   CASE WHEN h.s < 900 THEN now() - (g || ' seconds')::interval + interval '1 hour' END
            FROM generate_series(%(start)s, %(stop)s) AS g,
                 LATERAL (SELECT abs(hashint4(g)) %% 1000 AS s, abs(hashint4(g + 1)) %% 100 AS p,
                                 abs(hashint4(g + 2)) AS c, abs(hashint4(g + 3)) AS a,
                                 abs(hashint4(g + 4)) %% 10 AS w1, abs(hashint4(g + 5)) %% 10 AS w2,
                                 abs(hashint4(g + 6)) %% 200 AS v) AS h,
                 LATERAL (SELECT 'Kommentar nummer ' || g || ' om ' || ({vocab})[1 + h.w1]
                                 || ' och ' || ({vocab})[1 + h.w2]
                                 || CASE WHEN h.v = 0 THEN ' vid vattentornet' ELSE '' END
                                 || ', jävla ' || md5(g::text) AS text) AS t
            """,  # noqa: S608 - constants only
            {"channels": channel_ids, "authors": author_ids, "nch": len(channel_ids), "nau": len(author_ids),
             "start": start, "stop": stop},
        )
        cur.execute(
            """
            WITH rules AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n, count(*) OVER () AS total
                           FROM moderation_rule)
            INSERT INTO moderation_flag (item_id, source, rule_id, detail, spans, matched_terms, created_at,
                                         resolved_at)
            SELECT i.id, CASE WHEN i.report_count > 0 THEN 'report' ELSE 'detector' END, r.id,
                   'Svordomar: hittade ord ur ordlistan ”jävl*”',
                   jsonb_build_array(jsonb_build_object('start', position('jävla' in i.text) - 1,
                                                        'end', position('jävla' in i.text) + 4, 'term', 'jävla')),
                   '["jävl*"]', i.received_at, CASE WHEN i.state = 'decided' THEN i.decided_at END
            FROM moderation_item i JOIN rules r ON r.n = abs(hashint8(i.id + 7)) %% r.total
            WHERE i.flag_count = 1 AND i.id BETWEEN %(start)s AND %(stop)s
            """,
            {"start": start, "stop": stop},
        )
    # As autovacuum leaves a table in steady state (visibility map set, statistics current).
    connection.ensure_connection()
    autocommit = connection.connection.autocommit
    connection.connection.autocommit = True
    try:
        with connection.connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE moderation_item")
            cur.execute("VACUUM ANALYZE moderation_flag")
    finally:
        connection.connection.autocommit = autocommit


def mark_secret(n: int) -> int:
    """Register `n` items (the first ones of the "new" tab, so the measured pages show them) as
    documents, half with the sender and half with the content marked secret: the page then masks
    rows and accounts by these markings (moderation/queue/secrecy.py). Idempotent."""
    import datetime as dt

    from moderation.models import Item
    from records.models import Case, Document, LegalGround, SecrecyMarking, Series

    if n <= 0 or SecrecyMarking.objects.exists():
        return SecrecyMarking.objects.count()
    series, _ = Series.objects.get_or_create(code="KS", defaults={"name": "Kommunstyrelsen"})
    case, _ = Case.objects.get_or_create(series=series, year=2026, sequence=1,
                                         defaults={"number": "KS 2026/1", "title": "Bänk"})
    ground, _ = LegalGround.objects.get_or_create(code="OSL 21 kap. 3 §", defaults={"title": "Skyddad identitet"})
    first = Item.objects.filter(state="new").order_by("priority", "received_at", "id")
    ids = list(first.values_list("pk", flat=True)[:n])
    docs = Document.objects.bulk_create([
        Document(case=case, sequence=k + 1, number=f"KS 2026/1-{k + 1}", date=dt.date(2026, 1, 1),
                 description="Kommentar", source_type="moderation.item", source_id=str(pk), content="x")
        for k, pk in enumerate(ids)])
    SecrecyMarking.objects.bulk_create([
        SecrecyMarking(document=d, part="sender" if k % 2 else "content", legal_ground=ground)
        for k, d in enumerate(docs)])
    from django.db import connection

    with connection.cursor() as cur:  # statistics as autovacuum keeps them (the planner relies on them)
        cur.execute("ANALYZE records_document")
        cur.execute("ANALYZE records_secrecymarking")
    return len(docs)


class QueryCounter:
    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


def timed(fn, runs: int) -> tuple[float, float]:
    fn()  # warm
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.9))]


def explain(connection, sql: str, params) -> list[str]:
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return [line for (line,) in cur.fetchall()]


def main() -> None:  # noqa: C901, PLR0915 - a script
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the database (and reuse its rows next time)")
    parser.add_argument("--profile", action="store_true", help="cProfile one request per case")
    parser.add_argument("--no-explain", action="store_true")
    parser.add_argument("--secret", type=int, default=1000,
                        help="documents registered from first-page items with a secret sender or content")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("bench_queue: kräver PostgreSQL (DATABASE_URL=postgres://…); budgeten gäller PostgreSQL.")
        sys.exit(2)
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment, teardown_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.keep)
    try:
        from accounts.models import Unit, User
        from accounts.roles import sync_roles
        from accounts.services import unit_set_members, user_set_roles
        from moderation.models import Author, Channel, Item
        from moderation.queue.rows import queue_queryset, tab_counts, with_row_data

        sync_roles()
        units = [Unit.objects.get_or_create(code=f"enhet-{u}", defaults={"name": f"Enhet {u}"})[0]
                 for u in range(UNITS)]
        user = User.objects.filter(username="moderator").first()
        if user is None:
            user = User.objects.create_user("moderator", password="x", first_name="Mona", last_name="Moderator")
            user_set_roles(user=user, roles=["moderator"], actor=None)
            for unit in units[:-1]:
                unit_set_members(unit=unit, users=[user])
        user = User.objects.get(pk=user.pk)
        channels = []
        for u, unit in enumerate(units):
            for c in range(CHANNELS_PER_UNIT):
                channels.append(Channel.objects.get_or_create(
                    slug=f"kanal-{u}-{c}", defaults={"platform": ["facebook", "instagram", "youtube", "linkedin"][c],
                                                     "external_id": f"{u}{c}", "name": f"Kanal {u}-{c}",
                                                     "unit": unit})[0])
        authors = [Author.objects.get_or_create(channel=channels[a % len(channels)], external_id=f"a{a}",
                                                defaults={"display_name": f"Avsändare {a}"})[0] for a in range(200)]
        url = "/granskning/"
        # No collectstatic in a bench: plain static storage so templates render.
        override_settings(STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
        import warnings

        warnings.filterwarnings("ignore", message="No directory at")
        client = Client()
        client.force_login(user)
        cases = [
            ("standardflik (nya)", {}),
            ("kanalfilter", {"channel": channels[5].slug}),
            ("regelfilter (hot)", {"rule": "threat"}),
            ("fritextsökning", {"q": "vattentornet"}),
        ]
        sys.stdout.reconfigure(line_buffering=True)
        done = Item.objects.count()
        print(f"moderator sees {Channel.objects.visible_to(user).count()} of {len(channels)} channels")
        print(f"{'items':>10} {'case':<22} {'rows':>4} {'median ms':>10} {'p90 ms':>8} {'queries':>8}  budget")
        over = False
        for size in sorted(args.sizes):
            if done < size:
                t = time.perf_counter()
                fill(connection, [c.pk for c in channels], [a.pk for a in authors], done + 1, size)
                print(f"{'':>10} (filled {size - done:,} items in {time.perf_counter() - t:.0f} s)")
                done = size
            if size == max(args.sizes):
                print(f"{'':>10} ({mark_secret(args.secret):,} secrecy markings on documents from queue items)")
            elif done > size:
                print(f"{'':>10} (database has {done:,} items; skipping {size:,})")
                continue
            for label, filters in cases:
                counts = []
                for per_page in (25, 100):
                    params = {**filters, "per_page": per_page}
                    client.get(url, params)  # warm: session, user, roles
                    counter = QueryCounter()
                    with connection.execute_wrapper(counter):
                        r = client.get(url, params)
                    assert r.status_code == 200, r.status_code
                    rows = len(r.context["page"].object_list) if r.context else -1
                    counts.append(counter.n)
                    med, p90 = timed(lambda p=params: client.get(url, p), args.runs)
                    ok = med < BUDGET_MS
                    over |= size >= 1_000_000 and not ok
                    print(f"{size:>10} {label:<22} {rows:>4} {med:>10.1f} {p90:>8.1f} {counter.n:>8}  "
                          f"{'OK' if ok else 'ÖVER'}")
                    if args.profile and per_page == 100:
                        prof = cProfile.Profile()
                        prof.enable()
                        client.get(url, params)
                        prof.disable()
                        out = io.StringIO()
                        pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(35)
                        print(out.getvalue())
                print(f"{'':>10} {'':<22} query count fixed across page sizes: "
                      f"{'yes' if counts[0] == counts[1] else 'NO'} {counts}")
        if not args.no_explain:
            # As the view does: the channel ids it has read for its filter form scope the queries.
            ids = list(Channel.objects.visible_to(user).values_list("id", flat=True))
            for label, filters in cases:
                params = {"tab": "new", **filters}
                # The view's query for a page's rows: the page's ids as a subquery (see page_rows).
                qs = queue_queryset(user, params, prefetch=False, channel_ids=ids)
                rows = with_row_data(Item.objects.filter(pk__in=qs.values_list("pk", flat=True)[:25]))
                sql, p = rows.order_by(*qs.query.order_by).query.sql_with_params()
                print(f"\nEXPLAIN ANALYZE, page query (25 rows), {label} ({done:,} items):")
                for line in explain(connection, sql, p):
                    print("  " + line)
                captured = []

                def capture(execute, sql, params, many, context, captured=captured):
                    captured.append((sql, params))
                    return execute(sql, params, many, context)

                with connection.execute_wrapper(capture):
                    tab_counts(user, params, channel_ids=ids)
                print(f"\nEXPLAIN ANALYZE, tab counts, {label}:")
                for line in explain(connection, *captured[-1]):
                    print("  " + line)
        print(f"\nBudget: < {BUDGET_MS:.0f} ms median server time at 1,000,000 items; fixed query count. "
              f"{'ÖVER BUDGET' if over else 'Within budget.'}")
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()

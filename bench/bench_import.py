"""Benchmark of ``import_items`` (screening included) against a bare ``bulk_create`` of the same rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_import.py [--n 20000]

Budget (DESIGN.md): on PostgreSQL the import reaches at least 50 % of the bare bulk_create rate.
Both run in a throw-away test database, each into its own fresh channel; the bare baseline creates the
same Item rows (text, search text, author, timestamps, raw payload) and one ItemVersion per item — what
the import must store at the least — with ``bulk_create`` in batches of 1,000, without screening.
The detectors of the demo (rules seeded by migration) plus a 1,000-word list are active during the import.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from _django_bench import bench_database

WORDS = ["idiot", "jävla", "fan", "köp billigt", "reklam"] + [f"ord{n}" for n in range(995)]


def lines(n: int) -> list[dict]:
    rows = []
    for i in range(n):
        text = (f"Hej kommunen! Fråga {i}: när öppnar badhuset efter renoveringen? Ring mig på 070-123 45 67 "
                f"eller läs https://example.org/{i}. " + ("Du är en idiot. " if i % 10 == 0 else ""))
        rows.append({"external_id": f"imp-{i}", "kind": "comment", "direction": "incoming", "text": text,
                     "author": {"id": f"a{i % 500}", "name": f"Person {i % 500}"},
                     "created_at": "2026-03-01T10:00:00+01:00", "extra": {"n": i}})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20_000)
    args = parser.parse_args()
    with bench_database("uppsikt_bench_import") as connection:
        import datetime as dt

        from django.core.management import call_command
        from django.db import transaction

        from accounts.models import Unit
        from moderation.models import Author, Channel, Detector, Item, ItemVersion, Rule

        unit = Unit.objects.create(code="bench", name="Bench")
        rule = Rule.objects.filter(code="profanity").first()
        if rule is not None:
            Detector.objects.create(name="Bench words", kind="words", rule=rule, action="flag",
                                    terms="\n".join(WORDS), active=True)
        data = lines(args.n)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "items.jsonl"
            path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in data) + "\n", encoding="utf-8")

            bare_channel = Channel.objects.create(platform="facebook", name="Bare", slug="bench-bare", unit=unit)
            started = time.perf_counter()
            with transaction.atomic():
                authors = {}
                for r in data:
                    authors.setdefault(r["author"]["id"], r["author"]["name"])
                Author.objects.bulk_create([Author(channel=bare_channel, external_id=k, display_name=v)
                                            for k, v in authors.items()], batch_size=1000)
                by_ext = dict(Author.objects.filter(channel=bare_channel).values_list("external_id", "pk"))
                created = dt.datetime.fromisoformat("2026-03-01T10:00:00+01:00")
                for start in range(0, len(data), 1000):
                    chunk = data[start:start + 1000]
                    items = Item.objects.bulk_create([
                        Item(channel=bare_channel, external_id=r["external_id"], kind=r["kind"],
                             direction=r["direction"], text=r["text"], search_text=r["text"].casefold(),
                             author_id=by_ext[r["author"]["id"]], platform_created_at=created, raw=r)
                        for r in chunk])
                    ItemVersion.objects.bulk_create([ItemVersion(item=i, number=1, text=i.text) for i in items])
            bare = time.perf_counter() - started

            Channel.objects.create(platform="facebook", name="Import", slug="bench-import", unit=unit)
            started = time.perf_counter()
            call_command("import_items", str(path), "--channel", "bench-import", "--quiet-progress",
                         stdout=open("/dev/null", "w"))  # noqa: SIM115
            imported = time.perf_counter() - started
            assert Item.objects.filter(channel__slug="bench-import").count() == args.n
        ratio = bare / imported
        print(f"database: {connection.vendor}, rows: {args.n}")
        print(f"bare bulk_create:          {args.n / bare:9.0f} rows/s ({bare:.2f} s)")
        print(f"import_items (screening):  {args.n / imported:9.0f} rows/s ({imported:.2f} s)")
        print(f"ratio import/bare:         {ratio:9.1%}  (budget ≥ 50 %: {'OK' if ratio >= 0.5 else 'OVER BUDGET'})")


if __name__ == "__main__":
    main()

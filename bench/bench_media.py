"""Benchmark of media capture: storage per 1,000 items with pictures, download throughput from a CDN over
HTTP, and the evidence sheet's render time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_media.py [--n 1000]

Runs in a throw-away test database and a temporary MEDIA_ROOT. The CDN is the tests' fake platform on
127.0.0.1 (explicitly allowed), serving distinct photo-like JPEGs (smooth gradients with detail, 720×540,
quality 85: the size of a comment picture on Facebook's CDN) and, for one in ten items, a 200 kB MP4. The
downloads run through the real worker path (claim, guarded HTTP, hash, sniff, store, UPDATE), one at a
time as one worker does. Evidence sheets are rendered for items with a picture and a thread of three.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from _django_bench import bench_database

os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="uppsikt-bench-media-")
os.environ["UPPSIKT_MEDIA_ALLOWED_HOSTS"] = "127.0.0.1"


def photo(seed: int) -> bytes:
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed)
    image = Image.linear_gradient("L").resize((720, 540)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y = rng.randrange(720), rng.randrange(540)
        draw.ellipse((x, y, x + rng.randrange(20, 160), y + rng.randrange(20, 160)),
                     fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    noise = Image.effect_noise((720, 540), 24).convert("RGB")
    image = Image.blend(image.filter(ImageFilter.GaussianBlur(2)), noise, 0.15)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--sheets", type=int, default=20)
    args = parser.parse_args()
    with bench_database("uppsikt_bench_media") as connection:
        from django.conf import settings
        from django.db import connection as db

        from accounts.models import Unit
        from moderation.media.evidence import evidence_sheet_create
        from moderation.media.models import Attachment, FetchStatus
        from moderation.media.services import attachment_fetch
        from moderation.models import Channel, Item
        from moderation.queue.services.ingest import items_ingest_bulk
        from tests.fakeplatform import FakePlatform
        from tests.media_fixtures import mp4_bytes

        unit = Unit.objects.create(code="bench", name="Bench")
        channel = Channel.objects.create(platform="facebook", external_id="1", name="Bench", slug="bench", unit=unit)
        media_root = Path(settings.MEDIA_ROOT)
        with FakePlatform() as cdn:
            t0 = time.perf_counter()
            urls = []
            for n in range(args.n):
                refs = [{"kind": "photo", "url": cdn.add_media(f"p{n}.jpg", photo(n))}]
                if n % 10 == 0:
                    video = mp4_bytes(200_000) + n.to_bytes(4, "big")  # distinct files, as real videos are
                    refs.append({"kind": "video", "url": cdn.add_media(f"v{n}.mp4", video, "video/mp4")})
                urls.append(refs)
            print(f"generated {args.n} pictures in {time.perf_counter() - t0:.1f} s")
            rows = [{"external_id": f"c{n}", "kind": "comment", "direction": "incoming", "text": f"Kommentar {n}",
                     "author_external_id": f"a{n % 50}", "author_name": "Anna", "attachments": refs}
                    for n, refs in enumerate(urls)]
            t0 = time.perf_counter()
            for start in range(0, len(rows), 500):
                items_ingest_bulk(channel=channel, rows=rows[start:start + 500])
            print(f"ingested {args.n} items with {Attachment.objects.count()} attachment rows in "
                  f"{time.perf_counter() - t0:.1f} s")

            ids = list(Attachment.objects.order_by("id").values_list("pk", flat=True))
            t0 = time.perf_counter()
            outcomes = [attachment_fetch(attachment_id=pk) for pk in ids]
            elapsed = time.perf_counter() - t0
            stored = Attachment.objects.filter(status=FetchStatus.STORED)
            total = sum(stored.values_list("size", flat=True))
            assert outcomes.count("stored") == len(ids), {o: outcomes.count(o) for o in set(outcomes)}
            print(f"downloads: {len(ids)} files, {total / 1e6:.1f} MB in {elapsed:.1f} s = "
                  f"{len(ids) / elapsed:.0f} files/s, {total / 1e6 / elapsed:.1f} MB/s (one worker, HTTP on loopback)")

            files = folder_bytes(media_root / "media")
            table = ""
            if db.vendor == "postgresql":
                with db.cursor() as cursor:
                    cursor.execute("SELECT pg_total_relation_size('moderation_attachment')")
                    table = f", attachment table {cursor.fetchone()[0] / 1e6:.2f} MB (with indexes)"
            per_k = files / args.n * 1000
            print(f"storage: {files / 1e6:.1f} MB of files for {args.n} items{table}; "
                  f"{per_k / 1e6:.1f} MB per 1,000 items with pictures (1 photo each, a video in one of ten)")

            moderator = _moderator(unit)
            items = list(Item.objects.order_by("id")[:args.sheets])
            for parent, child in zip(items[::2], items[1::2], strict=False):
                Item.objects.filter(pk=child.pk).update(parent=parent, root_post=parent)
            times, sizes = [], []
            for item in items:
                sheet = evidence_sheet_create(item=Item.objects.get(pk=item.pk), actor=moderator)
                times.append(sheet.render_ms)
                sizes.append(sheet.pdf_size + sheet.png_size)
            times.sort()
            print(f"evidence sheet: render (PDF/A + PNG) median {statistics.median(times):.0f} ms, "
                  f"p95 {times[int(len(times) * 0.95) - 1]:.0f} ms, max {times[-1]} ms over {len(times)} sheets; "
                  f"{statistics.mean(sizes) / 1e3:.0f} kB per sheet (PDF + PNG)")
        del connection


def _moderator(unit):
    from accounts.models import User

    user = User.objects.create_user(username="bench-moderator", password="x" * 20)
    unit.members.add(user)
    return user


if __name__ == "__main__":
    main()

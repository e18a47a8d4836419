"""Benchmark of the Meta webhook: deliveries accepted per second (signature checked, stored raw, 200) through
the real view, and deliveries processed per second (parsed, items ingested and screened).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_webhook.py [--n 2000]

Runs in a throw-away test database. Accepting uses Django's test Client in this process (the whole
middleware stack and the view, no network); the processing task is not run during that phase (the
"dummy" task backend), then every stored delivery is processed in turn, as the worker would.
"""

from __future__ import annotations

import argparse
import os
import time

from _django_bench import bench_database

os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    args = parser.parse_args()
    with bench_database("uppsikt_bench_webhook") as connection:
        from django.test import Client

        from accounts.models import Unit
        from moderation.models import Channel, Item, WebhookDelivery, WebhookStatus
        from moderation.platforms.ingest import webhook_delivery_process
        from tests.fakeplatform import builders as b

        unit = Unit.objects.create(code="bench", name="Bench")
        channel = Channel(platform="facebook", external_id=b.PAGE_ID, name="Bench", slug="bench-facebook", unit=unit)
        channel.set_secret("app_secret", "bench-secret")
        channel.save()
        bodies = []
        for n in range(args.n):
            change = b.facebook_comment_change(comment_id=f"{b.PAGE_ID}_{n}",
                                               message=f"Hej kommunen, fråga nummer {n}: när öppnar badhuset? " * 3)
            body = b.encode(b.delivery("page", [b.entry(b.PAGE_ID, change)]))
            bodies.append((body, b.sign(body, "bench-secret")))
        client = Client()
        started = time.perf_counter()
        for body, signature in bodies:
            response = client.post("/hooks/meta/bench-facebook/", data=body, content_type="application/json",
                                   HTTP_X_HUB_SIGNATURE_256=signature)
            assert response.status_code == 200, response.content
        accepted = time.perf_counter() - started
        ids = list(WebhookDelivery.objects.filter(status=WebhookStatus.RECEIVED).values_list("pk", flat=True))
        started = time.perf_counter()
        for pk in ids:
            webhook_delivery_process(delivery_id=pk)
        processed = time.perf_counter() - started
        assert Item.objects.count() == args.n
        print(f"database: {connection.vendor}, deliveries: {args.n} (one comment each, ~{len(bodies[0][0])} bytes)")
        for label, seconds in (("accepted (verified, stored raw, 200)", accepted),
                               ("processed (parsed, ingested, screened)", processed)):
            print(f"{label:40} {args.n / seconds:8.0f} /s  ({seconds * 1000 / args.n:.2f} ms each)")


if __name__ == "__main__":
    main()

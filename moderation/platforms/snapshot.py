"""The twice-yearly snapshot of a channel (SKR's advice: document the account and its content regularly):
the channel's own posts of the half-year and their comments, as one text document with JSON metadata,
registered on the records side (retention class SM-6, kept).

``channel_snapshot(channel=…, period_end=…)`` is idempotent per channel and period: the document's source is
``("moderation.platforms.snapshot", "<channel id>:<period end>")`` and a second call returns the existing document.
The document goes into one open case per channel ("Ögonblicksbilder av kanalen …") in the series named by
``UPPSIKT_SNAPSHOT_SERIES`` (default "KS"; else the first active series). Secret items appear with their
content left out; purged items are not included.
"""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from moderation.models import Channel, Direction, Item, ItemKind

SOURCE_TYPE = "moderation.platforms.snapshot"
RETENTION_CLASS = "SM-6"
SECRET_OMITTED = "[sekretessmarkerat innehåll utelämnat]"


def period_bounds(period_end: dt.date) -> tuple[dt.date, dt.date]:
    """The half-year that ends on ``period_end`` (30 June or 31 December)."""
    if (period_end.month, period_end.day) == (6, 30):
        return dt.date(period_end.year, 1, 1), period_end
    if (period_end.month, period_end.day) == (12, 31):
        return dt.date(period_end.year, 7, 1), period_end
    raise ValueError("A snapshot period ends on 30 June or 31 December.")


def last_completed_period_end(today: dt.date) -> dt.date:
    """The end of the latest half-year that is over on ``today``."""
    if today.month >= 7:
        return dt.date(today.year, 6, 30)
    return dt.date(today.year - 1, 12, 31)


def source_id(channel: Channel, period_end: dt.date) -> str:
    return f"{channel.pk}:{period_end.isoformat()}"


def snapshot_exists(*, channel: Channel, period_end: dt.date) -> bool:
    from records.models import Document

    return Document.objects.filter(source_type=SOURCE_TYPE, source_id=source_id(channel, period_end),
                                   voided=False).exists()


def _aware(day: dt.date, end: bool = False) -> dt.datetime:
    moment = dt.datetime.combine(day + dt.timedelta(days=1) if end else day, dt.time.min)
    return timezone.make_aware(moment)


def _entry(item: Item) -> dict:
    return {
        "id": item.pk,
        "external_id": item.external_id,
        "kind": item.kind,
        "direction": item.direction,
        # A secret sender or content (the item's own marking, or one on a document registered from
        # it or its account) is left out: the snapshot is a document of its own, without markings.
        "author": str(item.author) if item.author_id else None,
        "created_at": (item.platform_created_at or item.received_at).isoformat(),
        "text": SECRET_OMITTED if item.content_secret else item.text,
        "url": None if item.content_secret or (item.author_id and item.author.sender_secret) else (item.url or None),
        "removed_on_platform_at": item.removed_on_platform_at.isoformat() if item.removed_on_platform_at else None,
        "hidden_on_platform": item.hidden_on_platform,
    }


def snapshot_build(*, channel: Channel, period_end: dt.date) -> tuple[str, dict]:
    """The text and metadata of the snapshot (nothing is written)."""
    start, end = period_bounds(period_end)
    posts = list(
        Item.objects.filter(channel=channel, kind=ItemKind.POST, direction=Direction.OUTGOING, purged_at__isnull=True,
                            received_at__gte=_aware(start), received_at__lt=_aware(end, end=True))
        .select_related("author").order_by("received_at", "id")
    )
    comments: dict[int, list[Item]] = {}
    for item in (Item.objects.filter(root_post__in=posts, purged_at__isnull=True).exclude(pk__in=[p.pk for p in posts])
                 .select_related("author").order_by("received_at", "id")):
        comments.setdefault(item.root_post_id, []).append(item)
    lines = [
        f"Ögonblicksbild av {channel.name} ({channel.get_platform_display()})",
        f"Kanal: {channel.url or channel.slug} · period {start.isoformat()}–{end.isoformat()}",
        f"Tagen {timezone.localtime():%Y-%m-%d %H:%M} · {len(posts)} inlägg, "
        f"{sum(len(v) for v in comments.values())} kommentarer",
        "",
    ]
    from moderation.queue.secrecy import items_load_secrecy

    items_load_secrecy([*posts, *(c for cs in comments.values() for c in cs)])
    data = []
    for post in posts:
        entry = _entry(post)
        entry["comments"] = [_entry(c) for c in comments.get(post.pk, [])]
        data.append(entry)
        lines.append(f"== Inlägg {entry['created_at']} ({post.external_id})")
        lines.append(entry["text"])
        for c in entry["comments"]:
            who = c["author"] or ("kommunen" if c["direction"] == Direction.OUTGOING else "okänd")
            removed = " [borttagen på plattformen]" if c["removed_on_platform_at"] else ""
            lines.append(f"  -- {c['created_at']} {who}{removed}: {c['text']}")
        lines.append("")
    meta = {
        "kind": "channel_snapshot",
        "retention_class": RETENTION_CLASS,
        "channel": {"slug": channel.slug, "name": channel.name, "platform": channel.platform,
                    "external_id": channel.external_id, "url": channel.url},
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "taken_at": timezone.now().isoformat(),
        "posts": data,
    }
    return "\n".join(lines), json.loads(json.dumps(meta, default=str))


def _series():
    from records.models import Series

    code = getattr(settings, "UPPSIKT_SNAPSHOT_SERIES", "KS")
    return (Series.objects.filter(code=code, active=True).first()
            or Series.objects.filter(active=True).order_by("code").first())


def channel_snapshot(*, channel: Channel, actor=None, period_end: dt.date | None = None) -> dict:
    """Register the channel's snapshot for the half-year ending ``period_end`` (default: the latest completed
    one). Returns {"document": number, "created": bool} or {"skipped": reason}."""
    from records.diarium.services.cases import case_open
    from records.diarium.services.registration import document_register
    from records.models import Case, CaseStatus, Document

    period_end = period_end or last_completed_period_end(timezone.localdate())
    sid = source_id(channel, period_end)
    existing = Document.objects.filter(source_type=SOURCE_TYPE, source_id=sid, voided=False).first()
    if existing:
        return {"document": existing.number, "created": False}
    series = _series()
    if series is None:
        return {"skipped": "Ingen aktiv diarieserie för ögonblicksbilder."}
    text, meta = snapshot_build(channel=channel, period_end=period_end)
    title = f"Ögonblicksbilder av kanalen {channel.name}"[:500]
    with transaction.atomic():
        case = Case.objects.filter(series=series, title=title, status=CaseStatus.OPEN).order_by("-opened_at").first()
        if case is None:
            case = case_open(series=series, title=title, unit=channel.unit, actor=actor)
        document = document_register(
            case=case, direction="outgoing", date=period_end, sender=channel.name,
            description=f"Ögonblicksbild av {channel.name} {meta['period']['start']}–{meta['period']['end']}",
            reason="special_interest", actor=actor, content=text, content_meta=meta,
            source_type=SOURCE_TYPE, source_id=sid, sender_is_private_person=False,
        )
    return {"document": document.number, "created": True}

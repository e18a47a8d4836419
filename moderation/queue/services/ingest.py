"""Getting items into Uppsikt: one at a time (webhooks, polling) or in batches (import_items).

Every item is stored before anything else happens to it; a platform edit adds a version (the
original text is never overwritten); screening runs on arrival and on edit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from moderation.models import (
    Author,
    Channel,
    Direction,
    Flag,
    FlagSource,
    Item,
    ItemKind,
    ItemState,
    ItemVersion,
    PendingEvent,
)
from moderation.queue.workflow import can_transition
from moderation.screening import services as screening_services

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
# PendingEvent.verb for a child that arrived before its parent.
AWAIT_PARENT = "parent"  # PendingEvent.verb has 10 characters


def search_text_for(text: str) -> str:
    """The copy of the text that SQLite searches with LIKE (PostgreSQL uses its full-text index)."""
    return " ".join((text or "").casefold().split())


def _author(channel: Channel, external_id: str | None, name: str | None) -> Author | None:
    if not external_id:
        return None
    author, created = Author.objects.get_or_create(
        channel=channel, external_id=external_id, defaults={"display_name": (name or "")[:300]}
    )
    if not created and name and author.display_name != name[:300]:
        author.display_name = name[:300]
        author.save(update_fields=["display_name"])
    return author


def _link_parent(item: Item, parent_external_id: str | None, post_external_id: str | None) -> bool:
    """Set parent/root from items we have; when the parent is missing remember it (PendingEvent)
    so the child is linked when the parent arrives. Returns True if the item changed."""
    changed = False
    parent = None
    if parent_external_id and parent_external_id != item.external_id:
        parent = Item.objects.filter(channel_id=item.channel_id, external_id=parent_external_id).first()
        if parent is None:
            if not PendingEvent.objects.filter(channel_id=item.channel_id, external_id=parent_external_id,
                                               verb=AWAIT_PARENT, applied_at__isnull=True,
                                               event__child_id=item.pk).exists():
                PendingEvent.objects.create(channel_id=item.channel_id, external_id=parent_external_id,
                                            verb=AWAIT_PARENT, event={"child_id": item.pk}, item=item)
        elif item.parent_id != parent.pk:
            item.parent = parent
            changed = True
    root = None
    if parent is not None:
        root = Item.objects.filter(pk=parent.root_post_id).first() if parent.root_post_id else parent
    elif post_external_id and post_external_id != item.external_id:
        root = Item.objects.filter(channel_id=item.channel_id, external_id=post_external_id).first()
    if root is not None and item.root_post_id != root.pk:
        item.root_post = root
        changed = True
    return changed


def _adopt_waiting_children(item: Item) -> int:
    """Link children that arrived before this item (their PendingEvent rows)."""
    waiting = list(PendingEvent.objects.filter(channel_id=item.channel_id, external_id=item.external_id,
                                               verb=AWAIT_PARENT, applied_at__isnull=True))
    if not waiting:
        return 0
    ids = [w.event.get("child_id") for w in waiting if w.event.get("child_id")]
    root_id = item.root_post_id or item.pk
    n = Item.objects.filter(pk__in=ids, parent__isnull=True).update(parent_id=item.pk, root_post_id=root_id)
    # grandchildren that pointed only at the child keep their own root; give replies of these children the root
    Item.objects.filter(parent_id__in=ids, root_post__isnull=True).update(root_post_id=root_id)
    PendingEvent.objects.filter(pk__in=[w.pk for w in waiting]).update(applied_at=timezone.now())
    return n


def item_ingest(
    *,
    channel: Channel,
    external_id: str,
    kind: str,
    direction: str,
    text: str,
    author_external_id: str | None = None,
    author_name: str | None = None,
    created_at: dt.datetime | None = None,
    parent_external_id: str | None = None,
    post_external_id: str | None = None,
    url: str | None = None,
    links: list | None = None,
    attachments: list | None = None,
    raw: dict | None = None,
) -> tuple[Item, str]:
    """Store one item from a platform; returns (item, "created" | "updated" | "unchanged").

    Guarantees: one row per (channel, external_id); the author is found or created; the parent and
    thread root are linked when we have them, and a child that arrived first is linked when its
    parent comes; a changed text adds an ItemVersion (version 1 is the original, nothing is ever
    overwritten there) and re-screens; an edit of a kept item reopens it and drops "harmless";
    new items are screened and get their queue priority. Outgoing items that nothing flags need no
    review and are stored as decided.
    """
    text = text or ""
    links = list(links or [])
    attachments = list(attachments or [])
    with transaction.atomic():
        author = _author(channel, author_external_id, author_name) if direction == Direction.INCOMING or \
            author_external_id else None
        item = Item.objects.select_for_update().filter(channel=channel, external_id=external_id).first()
        if item is None:
            try:
                with transaction.atomic():
                    item = _create(channel=channel, external_id=external_id, kind=kind, direction=direction,
                                   text=text, author=author, created_at=created_at, url=url, links=links,
                                   attachments=attachments, raw=raw)
            except IntegrityError:  # created concurrently: treat as an update of that row
                item = Item.objects.select_for_update().get(channel=channel, external_id=external_id)
            else:
                if _link_parent(item, parent_external_id, post_external_id):
                    item.save(update_fields=["parent", "root_post"])
                _adopt_waiting_children(item)
                flags = screening_services.item_screen(item=item)
                if direction == Direction.INCOMING and item.author_id:
                    from moderation.queue.services.sanctions import item_apply_restriction

                    # a suspended or pre-moderated author: held whatever the screening said
                    item_apply_restriction(item=item)
                if not flags and direction == Direction.OUTGOING:
                    Item.objects.filter(pk=item.pk, state=ItemState.NEW).update(state=ItemState.DECIDED)
                    item.state = ItemState.DECIDED
                return item, CREATED
        return _update(item, text=text, author=author, created_at=created_at, url=url, links=links,
                       attachments=attachments, raw=raw, parent_external_id=parent_external_id,
                       post_external_id=post_external_id)


def _create(*, channel, external_id, kind, direction, text, author, created_at, url, links, attachments,
            raw) -> Item:
    now = timezone.now()
    item = Item.objects.create(
        channel=channel, external_id=external_id, kind=kind or ItemKind.COMMENT, direction=direction,
        author=author, text=text, search_text=search_text_for(text), url=url or "", links=links,
        attachments=attachments, raw=raw or {}, platform_created_at=created_at, received_at=now,
    )
    # the raw payload of the original is on the item itself
    version = ItemVersion.objects.create(item=item, number=1, text=text, links=links, attachments=attachments,
                                         raw={}, platform_edited_at=created_at, received_at=now)
    if attachments:
        from moderation.media.services import attachments_record

        attachments_record(item=item, version=version, refs=attachments)
    return item


def _update(item: Item, *, text, author, created_at, url, links, attachments, raw, parent_external_id,
            post_external_id) -> tuple[Item, str]:
    fields: set[str] = set()
    if _link_parent(item, parent_external_id, post_external_id):
        fields |= {"parent", "root_post"}
    if url and item.url != url:
        item.url = url
        fields.add("url")
    if author is not None and item.author_id is None:
        item.author = author
        fields.add("author")
    changed = text != item.text or links != (item.links or []) or attachments != (item.attachments or [])
    if not changed:
        if fields:
            item.save(update_fields=sorted(fields))
        return item, UNCHANGED
    now = timezone.now()
    number = (item.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    if number == 1:  # an item from before versions were kept: keep its original first
        ItemVersion.objects.create(item=item, number=1, text=item.text, links=item.links,
                                   attachments=item.attachments, raw={}, platform_edited_at=item.platform_created_at,
                                   received_at=item.received_at)
        number = 2
    version = ItemVersion.objects.create(item=item, number=number, text=text, links=links, attachments=attachments,
                                         raw=raw or {}, platform_edited_at=created_at or now, received_at=now)
    if attachments and attachments != (item.attachments or []):
        # new or changed pictures belong to the version they came with; unchanged ones stay with theirs
        from moderation.media.services import attachments_record

        attachments_record(item=item, version=version, refs=attachments)
    item.text, item.links, item.attachments = text, links, attachments
    item.search_text = search_text_for(text)
    item.version += 1
    fields |= {"text", "links", "attachments", "search_text", "version"}
    if raw:
        item.raw = {**(item.raw or {}), "last_edit": raw}
        fields.add("raw")
    kept = (item.state == ItemState.DECIDED and item.first_removed_at is None and not item.hidden_on_platform
            and item.direction == Direction.INCOMING)
    if kept and can_transition(item, ItemState.REOPENED):
        item.state = ItemState.REOPENED
        item.harmless = False
        item.decided_at = None
        fields |= {"state", "harmless", "decided_at"}
    item.save(update_fields=sorted(fields))
    screening_services.item_screen(item=item)
    return item, UPDATED


def item_mark_removed_on_platform(*, item: Item, by_author: bool, at: dt.datetime | None = None) -> Item:
    """The platform says the item is gone. Our copy stays (it is an allmän handling); we record when
    and whether the author removed it. Open flags stay: a moderator may still need to act (a threat
    deleted by its author is still a threat)."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = Item.objects.select_for_update().get(pk=item.pk)
        fields = []
        if by_author and locked.removed_by_author_at is None:
            locked.removed_by_author_at = at
            fields.append("removed_by_author_at")
        if locked.removed_on_platform_at is None:
            locked.removed_on_platform_at = at
            fields.append("removed_on_platform_at")
        if fields:
            locked.version += 1
            locked.save(update_fields=[*fields, "version"])
    return locked


def item_set_hidden_on_platform(*, item: Item, hidden: bool) -> Item:
    """Record that the item is (no longer) hidden on the platform (a platform event or a done action)."""
    with transaction.atomic():
        locked = Item.objects.select_for_update().get(pk=item.pk)
        if locked.hidden_on_platform != hidden:
            locked.hidden_on_platform = hidden
            locked.version += 1
            locked.save(update_fields=["hidden_on_platform", "version"])
    return locked


# --- bulk ---------------------------------------------------------------------------------------------


@dataclass
class IngestSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    flags: int = 0
    held: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)  # (external_id, message)

    def add(self, other: IngestSummary) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.flags += other.flags
        self.held += other.held
        self.errors.extend(other.errors)


ROW_KEYS = ("external_id", "kind", "direction", "text", "author_external_id", "author_name", "created_at",
            "parent_external_id", "post_external_id", "url", "links", "attachments", "raw")


def items_ingest_bulk(*, channel: Channel, rows: list[dict]) -> IngestSummary:
    """Ingest a batch of rows (the keyword arguments of item_ingest) with a few queries per batch:
    bulk inserts for new authors, items (with history), versions and flags, and one screening pass
    per item with the channel's Screener built once. Rows for items we already have go through
    item_ingest one by one (an unchanged one costs nothing but the lookup). Guarantees as item_ingest.
    """
    summary = IngestSummary()
    if not rows:
        return summary
    # Later duplicates within the batch are applied afterwards as edits.
    first: dict[str, dict] = {}
    later: list[dict] = []
    for row in rows:
        if row["external_id"] in first:
            later.append(row)
        else:
            first[row["external_id"]] = row
    existing = set(Item.objects.filter(channel=channel, external_id__in=list(first)).values_list("external_id",
                                                                                                flat=True))
    new_rows = [r for ext, r in first.items() if ext not in existing]
    old_rows = [r for ext, r in first.items() if ext in existing] + later
    if new_rows:
        try:
            with transaction.atomic():
                _bulk_create(channel, new_rows, summary)
        except IntegrityError:
            # someone else created some of them meanwhile: fall back to one by one
            old_rows = new_rows + old_rows
    for row in old_rows:
        item, result = item_ingest(channel=channel, **{k: row.get(k) for k in ROW_KEYS if k in row})
        setattr(summary, result, getattr(summary, result) + 1)
    return summary


def _bulk_create(channel: Channel, rows: list[dict], summary: IngestSummary) -> None:
    now = timezone.now()
    compiled = screening_services.compiled_for(channel)

    # authors
    wanted = {r["author_external_id"]: r.get("author_name") or "" for r in rows if r.get("author_external_id")}
    authors = {a.external_id: a for a in Author.objects.filter(channel=channel, external_id__in=list(wanted))}
    missing = [Author(channel=channel, external_id=ext, display_name=name[:300], created_at=now)
               for ext, name in wanted.items() if ext not in authors]
    if missing:
        for a in bulk_create_with_history(missing, Author):
            authors[a.external_id] = a
        if any(a.pk is None for a in missing):  # backends that do not return keys
            authors = {a.external_id: a for a in Author.objects.filter(channel=channel,
                                                                        external_id__in=list(wanted))}

    # parents and roots we already have
    refs = {r.get("parent_external_id") for r in rows} | {r.get("post_external_id") for r in rows}
    refs.discard(None)
    refs.discard("")
    known = {i.external_id: i for i in Item.objects.filter(channel=channel, external_id__in=list(refs)).only(
        "id", "external_id", "root_post_id")}

    # repeat detector: recent times of these authors' stored items
    recent: dict[int, list[dt.datetime]] = {}
    if compiled.repeat:
        window = max(d.window_minutes for d in compiled.repeat)
        times = [r.get("created_at") or now for r in rows]
        lo, hi = min(times) - dt.timedelta(minutes=window), max(times)
        author_ids = [a.pk for a in authors.values()]
        for aid, pc, rc in Item.objects.filter(author_id__in=author_ids).filter(
            Q(platform_created_at__range=(lo, hi)) | Q(platform_created_at__isnull=True, received_at__range=(lo, hi))
        ).values_list("author_id", "platform_created_at", "received_at"):
            recent.setdefault(aid, []).append(pc or rc)

    # suspended and pre-moderated authors (one query): their new items are held
    from moderation.queue.services.sanctions import author_restriction, restriction_detail

    restricted = author_restriction(author_ids=[a.pk for a in authors.values()])

    items: list[Item] = []
    flags_per_item: list[list[Flag]] = []
    holds: list[int] = []
    for idx, r in enumerate(rows):
        text = r.get("text") or ""
        author = authors.get(r.get("author_external_id")) if r.get("author_external_id") else None
        item = Item(
            channel=channel, external_id=r["external_id"], kind=r.get("kind") or ItemKind.COMMENT,
            direction=r.get("direction") or Direction.INCOMING, author=author, text=text,
            search_text=search_text_for(text), url=r.get("url") or "", links=list(r.get("links") or []),
            attachments=list(r.get("attachments") or []), raw=r.get("raw") or {},
            platform_created_at=r.get("created_at"), received_at=now,
        )
        parent = known.get(r.get("parent_external_id") or "")
        if parent is not None:
            item.parent_id = parent.pk
            item.root_post_id = parent.root_post_id or parent.pk
        elif r.get("post_external_id") in known:
            item.root_post_id = known[r["post_external_id"]].pk
        hits = compiled.screener.screen(text) if text else []
        flags = screening_services.flags_from_hits(item, hits, compiled)
        if compiled.repeat and author is not None:
            times = recent.setdefault(author.pk, [])
            flags += screening_services.repeat_flags(item, compiled, recent=times)
            times.append(item.platform_created_at or now)
        restriction = restricted.get(author.pk) if author is not None and \
            item.direction == Direction.INCOMING else None
        if restriction is not None:
            flags.append(Flag(item=item, source=FlagSource.STAFF, detail=restriction_detail(restriction), held=True))
        if flags:
            if screening_services.apply_flags_to_item(item, flags):
                holds.append(idx)
            elif restriction is not None and can_transition(item, ItemState.HELD):
                item.state = ItemState.HELD
                holds.append(idx)
        elif item.direction == Direction.OUTGOING:
            item.state = ItemState.DECIDED
        items.append(item)
        flags_per_item.append(flags)

    items = bulk_create_with_history(items, Item)
    if any(i.pk is None for i in items):
        by_ext = dict(Item.objects.filter(channel=channel, external_id__in=[r["external_id"] for r in rows])
                      .values_list("external_id", "id"))
        for i in items:
            i.pk = i.id = by_ext[i.external_id]
    by_ext_obj = {i.external_id: i for i in items}

    # parents within the batch, and children that waited for one of these items
    relink = []
    pending = []
    for r, item in zip(rows, items, strict=True):
        pext = r.get("parent_external_id")
        if pext and item.parent_id is None:
            parent = by_ext_obj.get(pext)
            if parent is not None:
                item.parent_id = parent.pk
                relink.append(item)
            else:
                pending.append(PendingEvent(channel=channel, external_id=pext, verb=AWAIT_PARENT,
                                            event={"child_id": item.pk}, item_id=item.pk, received_at=now))
        elif not item.root_post_id and r.get("post_external_id") in by_ext_obj and \
                r["post_external_id"] != item.external_id:
            item.root_post_id = by_ext_obj[r["post_external_id"]].pk
            relink.append(item)
    if relink:
        by_pk = {i.pk: i for i in items}
        for item in relink:
            if item.parent_id:
                parent = by_pk.get(item.parent_id) or known_by_pk(known, item.parent_id)
                root = parent.root_post_id if parent is not None and parent.root_post_id else item.parent_id
                # follow in-batch chains to the top
                seen = 0
                while root in by_pk and by_pk[root].parent_id and seen < 50:
                    nxt = by_pk[root]
                    root = nxt.root_post_id or nxt.parent_id
                    seen += 1
                item.root_post_id = root
        Item.objects.bulk_update(relink, ["parent", "root_post"], batch_size=500)
    if pending:
        PendingEvent.objects.bulk_create(pending)
    waiting = list(PendingEvent.objects.filter(channel=channel, verb=AWAIT_PARENT, applied_at__isnull=True,
                                               external_id__in=list(by_ext_obj)))
    for w in waiting:
        parent = by_ext_obj[w.external_id]
        child_id = w.event.get("child_id")
        if child_id:
            Item.objects.filter(pk=child_id, parent__isnull=True).update(
                parent_id=parent.pk, root_post_id=parent.root_post_id or parent.pk)
    if waiting:
        PendingEvent.objects.filter(pk__in=[w.pk for w in waiting]).update(applied_at=now)

    versions = ItemVersion.objects.bulk_create([
        ItemVersion(item_id=i.pk, number=1, text=i.text, links=i.links, attachments=i.attachments, raw={},
                    platform_edited_at=i.platform_created_at, received_at=now)
        for i in items
    ])
    with_media = [(v.item_id, v.pk, v.attachments) for v in versions if v.attachments]
    if with_media:
        from moderation.media.services import attachments_record_bulk

        if any(pk is None for _i, pk, _a in with_media):  # backends that do not return keys
            ids = dict(ItemVersion.objects.filter(item_id__in=[i for i, _v, _a in with_media], number=1)
                       .values_list("item_id", "pk"))
            with_media = [(i, ids[i], a) for i, _v, a in with_media]
        attachments_record_bulk(entries=with_media)
    all_flags = []
    for item, flags in zip(items, flags_per_item, strict=True):
        for f in flags:
            f.item = item
            all_flags.append(f)
    if all_flags:
        bulk_create_with_history(all_flags, Flag)
    for idx in holds:
        screening_services.hold_on_platform(item=items[idx])
    summary.created += len(items)
    summary.flags += len(all_flags)
    summary.held += len(holds)


def known_by_pk(known: dict[str, Item], pk: int) -> Item | None:
    for i in known.values():
        if i.pk == pk:
            return i
    return None

"""What a request for public documents may name here (imported by ModerationConfig.ready).

Every item is an allmän handling from the moment it reaches the municipality's account, registered
or kept in order (TF 2 kap., both policies): a request may name an item ("item"), one of its
earlier versions ("item_version") or a public report ("report"). Records reaches them only through
these sources (records never imports moderation).

Secrecy follows the information: an item marked secret has its content secret, and the secrecy
markings of the document it is registered as apply to the item too (sender and content).
A version is held against purging through its item (versions are purged with it).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from moderation.models import Item, ItemVersion, PublicReport
from records import registry
from records.models import Document

ITEM, VERSION, REPORT = "moderation.item", "moderation.itemversion", "moderation.publicreport"
_DOC_PART = {"sender": "sender", "content": "content"}


def _ints(ids) -> list[int]:
    return [int(i) for i in ids if str(i).isdecimal()]


def _registered(item_ids: list[int]) -> dict[int, Document]:
    docs = Document.objects.filter(source_type=ITEM, source_id__in=[str(i) for i in item_ids], voided=False)
    return {int(d.source_id): d for d in docs.with_secrecy()}


def _secret_parts(item: Item, doc: Document | None) -> dict[str, str]:
    parts: dict[str, str] = {}
    if doc is not None:
        for marking in doc.active_markings():
            if marking.part in _DOC_PART:
                parts[_DOC_PART[marking.part]] = marking.legal_ground.code
    if item.secret:
        parts.setdefault("content", "")
    return parts


def _attachments(raw) -> tuple[dict, ...]:
    result = []
    for index, attachment in enumerate(raw or []):
        kind = (attachment or {}).get("type") or (attachment or {}).get("kind") or "bilaga"
        result.append({"index": index, "label": f"Bilaga {index + 1} ({kind})"})
    return tuple(result)


def _item_label(item: Item) -> str:
    return f"{item.get_kind_display()} {item.pk} på {item.channel.slug}"


def _item_record(item: Item, doc: Document | None) -> registry.DisclosureRecord:
    author = item.author
    return registry.DisclosureRecord(
        type=ITEM, id=str(item.pk), label=_item_label(item), kind=str(item.get_kind_display()),
        date=item.platform_created_at or item.received_at, direction=item.direction,
        sender=(author.display_name or author.username) if author else item.channel.name,
        text=item.text,
        meta=(("Kanal", f"{item.channel.name} ({item.get_kind_display().lower()})"),
              ("Mottagen", f"{timezone.localtime(item.received_at):%Y-%m-%d %H:%M}")),
        secret_parts=_secret_parts(item, doc), attachments=_attachments(item.attachments),
        registered_as=doc.number if doc else "", purged=item.purged_at is not None, hold=(ITEM, str(item.pk)),
        url=item.url or None,
    )


def load_items(ids: list[str]) -> dict[str, registry.DisclosureRecord]:
    items = list(Item.objects.filter(pk__in=_ints(ids)).select_related("channel", "author"))
    docs = _registered([i.pk for i in items])
    return {str(i.pk): _item_record(i, docs.get(i.pk)) for i in items}


def load_versions(ids: list[str]) -> dict[str, registry.DisclosureRecord]:
    versions = list(ItemVersion.objects.filter(pk__in=_ints(ids)).select_related(
        "item__channel", "item__author"))
    docs = _registered([v.item_id for v in versions])
    result = {}
    for version in versions:
        item = version.item
        base = _item_record(item, docs.get(item.pk))
        result[str(version.pk)] = registry.DisclosureRecord(
            type=VERSION, id=str(version.pk),
            label=f"Version {version.number} av {base.label[0].lower()}{base.label[1:]}",
            kind=f"{base.kind} (version {version.number})", date=version.platform_edited_at or version.received_at,
            direction=base.direction, sender=base.sender, text=version.text, meta=base.meta,
            secret_parts=base.secret_parts, attachments=_attachments(version.attachments),
            registered_as=base.registered_as, purged=base.purged, hold=(ITEM, str(item.pk)), url=base.url,
        )
    return result


def load_reports(ids: list[str]) -> dict[str, registry.DisclosureRecord]:
    result = {}
    for report in PublicReport.objects.filter(pk__in=_ints(ids)).select_related("channel"):
        parts = (report.reporter_message, f"Anmält innehåll: {report.text}" if report.text else "",
                 f"Adress: {report.url}" if report.url else "")
        body = "\n\n".join(p for p in parts if p)
        result[str(report.pk)] = registry.DisclosureRecord(
            type=REPORT, id=str(report.pk), label=f"Anmälan {report.pk}", kind="Anmälan", date=report.created_at,
            direction="incoming", sender=report.reporter_contact, text=body,
            meta=(("Inkom via", str(report.get_via_display())),
                  ("Kanal", report.channel.name if report.channel_id else "—")),
            purged=not (report.text or report.reporter_message or report.reporter_contact or report.url),
            hold=(REPORT, str(report.pk)),
        )
    return result


def search_items(query: str, limit: int) -> list[registry.DisclosureRecord]:
    """By id, by address on the platform, or by a piece of the text (not purged items only)."""
    query = (query or "").strip()
    qs = Item.objects.filter(purged_at__isnull=True)
    if query.isdecimal():
        qs = qs.filter(Q(pk=int(query)) | Q(external_id=query))
    elif query.startswith(("http://", "https://")):
        qs = qs.filter(url=query)
    elif query:
        qs = qs.filter(search_text__contains=query.casefold())
    ids = [str(pk) for pk in qs.order_by("-received_at").values_list("pk", flat=True)[:limit]]
    found = load_items(ids)
    return [found[i] for i in ids if i in found]


def search_reports(query: str, limit: int) -> list[registry.DisclosureRecord]:
    query = (query or "").strip()
    if not query.isdecimal():
        return []
    ids = [str(pk) for pk in PublicReport.objects.filter(pk=int(query)).values_list("pk", flat=True)[:limit]]
    return list(load_reports(ids).values())


registry.register_disclosure_source(registry.DisclosureSource(
    type=ITEM, key="item", label="Inlägg/kommentar", load=load_items, search=search_items))
registry.register_disclosure_source(registry.DisclosureSource(
    type=VERSION, key="item_version", label="Version av inlägg/kommentar", load=load_versions))
registry.register_disclosure_source(registry.DisclosureSource(
    type=REPORT, key="report", label="Anmälan", load=load_reports, search=search_reports))

"""Where moderation fills the records app's registry when it starts (imported by ModerationConfig.ready).

`records` never imports `moderation` (DESIGN.md, Architecture): instead moderation tells records'
registry what can be registered: "moderation.item" (a post, comment, reply or message). Retention
targets and data-subject searches are registered by moderation/retention_hooks.py.
"""

from __future__ import annotations

from records import registry

SOURCE_TYPE = "moderation.item"


def item_snapshot(item_id: str) -> dict:
    """A frozen copy of the item for registration: its latest text and every version, sender,
    direction, platform time, url, channel and kind. Secret items give the same data: records
    decides who sees it."""
    from moderation.models import Item

    item = Item.objects.select_related("channel", "channel__unit", "author").get(pk=int(item_id))
    versions = [
        {"number": v.number, "text": v.text,
         "platform_edited_at": v.platform_edited_at.isoformat() if v.platform_edited_at else None,
         "received_at": v.received_at.isoformat()}
        for v in item.versions.order_by("number")
    ]
    if len(versions) > 1:
        parts = [item.text, "", "Tidigare versioner:"]
        parts += [f"Version {v['number']} ({v['received_at'][:16]}): {v['text']}" for v in versions[:-1]]
        text = "\n".join(parts)
    else:
        text = item.text
    files = item_files(item_id)
    if files:
        text = "\n".join([text, "", "Sparade filer (kontrollsumma SHA-256):"]
                         + [f"{n}. {f.label}: {f.sha256}" for n, f in enumerate(files, start=1)])
    author = item.author
    return {
        "text": text,
        "files": files,
        "sender_name": (author.display_name or author.username) if author else item.channel.name,
        "sender_id": author.external_id if author else item.channel.external_id,
        "direction": item.direction,
        "date": item.platform_created_at or item.received_at,
        "url": item.url,
        "channel": f"{item.channel.name} ({item.channel.slug})",
        "kind": item.kind,
        "meta": {
            "item_id": item.pk,
            "external_id": item.external_id,
            "channel_slug": item.channel.slug,
            "platform": item.channel.platform,
            "unit": item.channel.unit.code,
            "received_at": item.received_at.isoformat(),
            "platform_created_at": item.platform_created_at.isoformat() if item.platform_created_at else None,
            "versions": versions,
            "links": item.links,
            "attachments": item.attachments,
            "stored_files": [{"key": f.key, "kind": f.kind, "label": f.label, "content_type": f.content_type,
                              "size": f.size, "sha256": f.sha256, "version": f.version} for f in files],
            "secret": item.secret,
            "removed_at": item.first_removed_at.isoformat() if item.first_removed_at else None,
            "parent_external_id": item.parent.external_id if item.parent_id and item.parent else None,
        },
    }


def item_files(item_id: str) -> list[registry.SourceFile]:
    """The item's stored files: its current pictures and other attachments (stored ones), then its rendered
    evidence sheets (PDF/A and PNG). Attachments not stored (yet) are listed in the snapshot's meta only."""
    from django.core.files.storage import default_storage

    from moderation.media.evidence import sheet_files
    from moderation.media.models import EvidenceSheet, EvidenceStatus
    from moderation.media.services import current_attachments
    from moderation.media.sniff import describe
    from moderation.models import Item

    item = Item.objects.get(pk=int(item_id))
    files: list[registry.SourceFile] = []
    for n, row in enumerate(current_attachments(item), start=1):
        if not row.is_stored:
            continue
        files.append(registry.SourceFile(
            key=f"attachment-{row.pk}", kind=row.kind, label=f"{row.get_kind_display()} {n}, "
            f"{describe(row.content_type, row.size)}", content_type=row.content_type, size=row.size or 0,
            sha256=row.sha256, open=(lambda name=row.file.name: default_storage.open(name, "rb")),
            version=row.version.number))
    for sheet in (EvidenceSheet.objects.filter(item=item, status=EvidenceStatus.RENDERED)
                  .select_related("version").order_by("rendered_at", "id")):
        files += sheet_files(sheet)
    return files


def item_url(item_id: str) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("item_detail", args=[int(item_id)])
    except NoReverseMatch:
        return None


def item_mark_registered(item_id: str, document) -> None:
    """Records keeps the link (Document.source_type/source_id); nothing to store on the item."""
    return None


def register() -> None:
    registry.register_source(registry.SourceAdapter(
        type=SOURCE_TYPE, label="Inlägg/kommentar", snapshot=item_snapshot, url=item_url,
        mark_registered=item_mark_registered, files=item_files,
    ))


register()

"""Where moderation fills the records app's registry when it starts (imported by ModerationConfig.ready).

`records` never imports `moderation` (DESIGN.md, Architecture): instead moderation tells records'
registry what can be registered: "moderation.item" (a post, comment, reply or message) and
"moderation.policereport" (a police report, registered as an outgoing document to the police when it
is submitted). Retention targets and data-subject searches are registered by
moderation/retention_hooks.py.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from records import registry

SOURCE_TYPE = "moderation.item"
POLICE_SOURCE_TYPE = "moderation.policereport"
POLICE_RECIPIENT = "Polisen"


def author_kind(author, channels_external_ids: set[str] | None = None) -> str:
    """What kind of party a platform account is, as far as the platform says: one of the
    municipality's own accounts is an authority; a LinkedIn organisation URN an organisation and a
    member URN a private person; anything else is unknown (Facebook, Instagram and YouTube do not say
    whether a commenter is a person or a page): the registrar may set the kind on the document."""
    from moderation.models import Channel

    external_id = author.external_id or ""
    own = channels_external_ids
    if own is None:
        own = set(Channel.objects.exclude(external_id="").values_list("external_id", flat=True))
    if external_id in own:
        return "authority"
    if external_id.startswith(("urn:li:organization:", "urn:li:company:")):
        return "organisation"
    if external_id.startswith(("urn:li:person:", "urn:li:member:")):
        return "private_person"
    return "unknown"


def _party(item) -> tuple[str, str, str]:
    """(name, platform id, kind) of the other party: the author of an incoming item; for an outgoing
    item (the municipality's own reply or post) the author it replies to, never the municipality's
    own channel — a post to the whole page has no named recipient."""
    if item.direction == "outgoing":
        parent = item.parent
        author = parent.author if parent is not None and parent.author_id else None
        if author is None or author.external_id == item.channel.external_id:
            return "", "", "unknown"
    else:
        author = item.author
        if author is None:
            return item.channel.name, item.channel.external_id, "authority"
    return (author.display_name or author.username or author.external_id), author.external_id, author_kind(author)


def item_snapshot(item_id: str) -> dict:
    """A frozen copy of the item for registration: its latest text and every version, the other party
    (sender of an incoming item, recipient of an outgoing one) and its kind, direction, platform time,
    url, channel and kind. Secret items give the same data: records decides who sees it."""
    from moderation.models import Item

    item = Item.objects.select_related("channel", "channel__unit", "author", "parent__author").get(pk=int(item_id))
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
    name, party_id, kind = _party(item)
    return {
        "text": text,
        "files": files,
        "sender_name": name,
        "sender_id": party_id,
        "sender_kind": kind,
        "direction": item.direction,
        "date": item.platform_created_at or item.received_at,
        "url": item.url,
        "channel": f"{item.channel.name} ({item.channel.slug})",
        # What the register and its documents say: the kind in Swedish ("Kommentar"), never the code.
        "kind": str(item.get_kind_display()),
        "meta": {
            "item_id": item.pk,
            "item_kind": item.kind,
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


def police_report_snapshot(report_id: str) -> dict:
    """A frozen copy of a police report for registration: an outgoing document to the police holding
    what was reported (each item's channel, time, link and text), the reported account and the note."""
    from moderation.models import PoliceReport

    report = PoliceReport.objects.select_related("author", "author__channel").get(pk=int(report_id))
    items = list(report.items.select_related("channel", "author").order_by("received_at"))
    when = report.reported_at or timezone.localdate()
    lines = [f"Polisanmälan från {settings.UPPSIKT_ORGANISATION_NAME}", f"Anmäld: {when:%Y-%m-%d}"]
    if report.police_reference:
        lines.append(f"Polisens diarienummer: {report.police_reference}")
    if report.author is not None:
        author = report.author
        lines.append(f"Konto som anmäls: {author.display_name or author.username} ({author.external_id}, "
                     f"{author.channel.get_platform_display()})")
    lines += ["", "Anmälda inlägg:"]
    for item in items:
        stamp = timezone.localtime(item.platform_created_at or item.received_at)
        lines += [f"- {item.get_kind_display()} på {item.channel.name}, {stamp:%Y-%m-%d %H:%M}"
                  + (f", {item.url}" if item.url else ""), f"  {item.text}"]
    if report.note:
        lines += ["", "Anteckning:", report.note]
    channels = sorted({i.channel.name for i in items})
    return {
        "text": "\n".join(lines),
        "sender_name": POLICE_RECIPIENT,
        "sender_id": "",
        "sender_kind": "authority",
        "direction": "outgoing",
        "date": when,
        "url": "",
        "channel": ", ".join(channels),
        "kind": "polisanmälan",
        "meta": {"police_report_id": report.pk, "police_reference": report.police_reference,
                 "items": [i.pk for i in items], "reported_at": when.isoformat()},
    }


def police_report_url(report_id: str) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("police_detail", args=[int(report_id)])
    except NoReverseMatch:
        return None


def register() -> None:
    registry.register_source(registry.SourceAdapter(
        type=SOURCE_TYPE, label="Inlägg/kommentar", snapshot=item_snapshot, url=item_url,
        files=item_files,
    ))
    registry.register_source(registry.SourceAdapter(
        type=POLICE_SOURCE_TYPE, label="Polisanmälan", snapshot=police_report_snapshot, url=police_report_url,
    ))


register()

"""Moderation's side of retention and data-subject requests (imported by ModerationConfig.ready).

Registers with records' registry what the information management plan covers here (items,
authors, public reports: how to find them, how to scrub them, their fingerprint and which holds
cover them), the class rules for them (records.retention.services.plan.register_rules), and the
data-subject searches over items, item versions, authors, staff notes, sanctions (warnings, strikes,
blocks), police reports and public reports, with the source (GDPR art. 15.1 g) and the recipients
(art. 15.1 c) of each.

What is a public record here (allmän handling, TF 2 kap. 4 §): every item from the moment it reaches
the municipality's account (inkommen, or upprättad when the municipality writes it), registered or
kept in order (OSL 5 kap. 1 §); the account data that comes with the items and the sanctions decided
about the account (SM-5); public reports (SM-4); police reports. Not a public record: the staff's
internal notes about an account (`Author.staff_notes`): memoranda made only to prepare the work, never
sent and not taken for archiving (TF 2 kap. 12 §). They are erased on request (GDPR art. 17.1); the
public records only when their retention class allows (art. 17.3 b, arkivlagen 10 §).

Scrubbing an item removes its content everywhere it was copied: the item's fields (text, links,
attachments, url, raw payload, search text, consent), its versions (ItemVersion), its stored
attachments and evidence sheets (rows now, files after commit) and consent links, the flags'
spans, matched terms and explanation, the platform actions' payloads and results, the raw webhook
bodies and pending events that carry its id, the decision notes and sanction reasons about it, and
the django-simple-history rows of the item and its flags. Set-based SQL per batch (a fixed number of
UPDATE/DELETE statements, the ids as one array parameter), idempotent.

Which holds cover what is written once per kind (`item_held_q`, `author_held_q`, `report_held_q`);
the purge's SQL and the erasure both use them.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import connection
from django.db.models import CharField, Max, Q, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from moderation import retention_rows
from moderation.models import (
    Author,
    Decision,
    Flag,
    Item,
    ItemVersion,
    PendingEvent,
    PlatformAction,
    PoliceReport,
    PublicReport,
    Sanction,
    WebhookDelivery,
)
from moderation.reports.personal_data import report_emails_scrub, search_report_emails
from records import registry
from records.gdpr.services import candidate_q, identifier_matches
from records.models import Document, RetentionTrigger
from records.retention.services.holds import any_of, document_held_q, int_keys
from records.retention.services.plan import Assignment, register_rules, to_date
from records.retention.services.sql import history_delete, sql_in
from records.retention.services.targets import PURGED_MARK

ITEM, AUTHOR, REPORT, CHANNEL = "moderation.item", "moderation.author", "moderation.publicreport", "moderation.channel"
VERSION, NOTE, SANCTION, POLICE = ("moderation.itemversion", "moderation.authornote", "moderation.sanction",
                                   "moderation.policereport")

# Who runs each platform: they receive what the municipality does on it (art. 15.1 c).
PLATFORM_OPERATORS = {
    "facebook": "Meta Platforms Ireland Ltd (Facebook)",
    "instagram": "Meta Platforms Ireland Ltd (Instagram)",
    "youtube": "Google Ireland Ltd (YouTube)",
    "linkedin": "LinkedIn Ireland Unlimited Company (LinkedIn)",
}


def _ints(ids) -> list[int]:
    return [int(i) for i in ids]


# --- items ------------------------------------------------------------------------------------


def _registered_documents(ids: list[int]) -> dict[int, Document]:
    docs = Document.objects.filter(source_type=ITEM, source_id__in=[str(i) for i in ids], voided=False)
    return {int(d.source_id): d for d in docs.select_related("case", "retention_class")}


def item_rules(ids: list[str]) -> dict[str, Assignment]:
    """Registered items follow their document (SM-2 removed, SM-3 secret, ÄR-1 kept with the case);
    secret items SM-3 from the decision; every other item is kept in order, SM-1 from arrival."""
    from records.retention.services.plan import _document_class

    ids_i = _ints(ids)
    docs = _registered_documents(ids_i)
    result = {}
    for pk, secret, received, decided in Item.objects.filter(pk__in=ids_i).values_list(
            "pk", "secret", "received_at", "decided_at"):
        dates = {RetentionTrigger.ARRIVAL: to_date(received), RetentionTrigger.DECISION: to_date(decided or received)}
        doc = docs.get(pk)
        if doc is not None:
            code = doc.retention_class.code if doc.retention_class else _document_class(doc)
            dates = {RetentionTrigger.ARRIVAL: doc.date, RetentionTrigger.DECISION: to_date(doc.registered_at),
                     RetentionTrigger.CASE_CLOSED: doc.case.closed_at}
        elif secret:
            code = "SM-3"
        else:
            code = "SM-1"
        result[str(pk)] = Assignment(code, dates)
    return result


ITEM_FINGERPRINT_FIELDS = ("text", "version", "state", "secret", "retention_class_code", "retention_due",
                           "removed_by_author_at")
AUTHOR_FINGERPRINT_FIELDS = ("display_name", "username", "is_blocked", "retention_class_code", "retention_due")
REPORT_FINGERPRINT_FIELDS = ("text", "reporter_contact", "status", "retention_class_code", "retention_due")


def item_held_q(keys: set[tuple[str, str]]) -> Q | None:
    """THE rule for items: held when the item, its author, its channel, the document registered from
    it or that document's case is held. None when no hold covers any item. Holds are few, so their
    ids are literal lists."""
    parts = []
    item_ids = set(int_keys(keys, ITEM))
    doc_q = document_held_q(keys, via_source=False)
    if doc_q is not None:
        registered = Document.objects.filter(doc_q, source_type=ITEM, voided=False).values_list("source_id", flat=True)
        item_ids |= {int(i) for i in registered if str(i).isdecimal()}
    if item_ids:
        parts.append(Q(pk__in=sorted(item_ids)))
    if channels := int_keys(keys, CHANNEL):
        parts.append(Q(channel_id__in=channels))
    if authors := int_keys(keys, AUTHOR):
        parts.append(Q(author_id__in=authors))
    return any_of(parts)


def author_held_q(keys: set[tuple[str, str]]) -> Q | None:
    """An account record is held by a hold on it or on its channel."""
    parts = []
    if authors := int_keys(keys, AUTHOR):
        parts.append(Q(pk__in=authors))
    if channels := int_keys(keys, CHANNEL):
        parts.append(Q(channel_id__in=channels))
    return any_of(parts)


def report_held_q(keys: set[tuple[str, str]]) -> Q | None:
    """A public report is held by a hold on it, its channel or the item it reports."""
    parts = []
    if reports := int_keys(keys, REPORT):
        parts.append(Q(pk__in=reports))
    if channels := int_keys(keys, CHANNEL):
        parts.append(Q(channel_id__in=channels))
    items = item_held_q(keys)
    if items is not None:
        parts.append(Q(item_id__in=Subquery(Item.objects.filter(items).values("pk"))))
    return any_of(parts)


def item_registered(ids: list[str]) -> dict[str, str]:
    return {str(pk): doc.number for pk, doc in _registered_documents(_ints(ids)).items()}


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _scrub_webhooks(ids_i: list[int]) -> None:
    """Blank the raw webhook bodies that carry one of these items' ids, matched by (channel, external
    id) and limited to the items' channels and to deliveries since the oldest item arrived (less a
    day). PostgreSQL: one UPDATE that splits each candidate body into JSON tokens and hash-joins them
    with the items; SQLite (small data): the bodies of that window are scanned in Python."""
    if connection.vendor == "postgresql":
        where, params = sql_in("i.id", ids_i)
        hooks, items = _table(WebhookDelivery), _table(Item)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {hooks} SET body = ''::bytea, headers = '{{}}'::jsonb WHERE id IN ("  # noqa: S608
                f"SELECT w.id FROM (SELECT i.channel_id, min(i.received_at) - interval '1 day' AS since "
                f"FROM {items} i WHERE {where} GROUP BY i.channel_id) win "
                f"JOIN {hooks} w ON w.channel_id = win.channel_id AND w.received_at >= win.since "
                "CROSS JOIN LATERAL regexp_split_to_table(encode(w.body, 'escape'), "
                "'[[:space:]\"{}\\[\\],]+') AS tok "
                f"JOIN {items} i ON i.channel_id = w.channel_id AND i.external_id = tok "
                f"WHERE octet_length(w.body) > 0 AND {where})",
                [*params, *params],
            )
        return
    pairs = list(Item.objects.filter(pk__in=ids_i).values_list("channel_id", "external_id", "received_at"))
    by_channel: dict[int, set[bytes]] = defaultdict(set)
    since: dict[int, object] = {}
    for channel_id, external_id, received in pairs:
        if external_id:
            by_channel[channel_id].add(external_id.encode("utf-8"))
            since[channel_id] = min(since.get(channel_id, received), received)
    hit = []
    for channel_id, exts in by_channel.items():
        qs = WebhookDelivery.objects.filter(channel_id=channel_id,
                                            received_at__gte=since[channel_id] - timezone.timedelta(days=1))
        for pk, body in qs.values_list("pk", "body").iterator(chunk_size=500):
            data = bytes(body or b"")
            if data and any(ext in data for ext in exts):
                hit.append(pk)
    if hit:
        WebhookDelivery.objects.filter(pk__in=hit).update(body=b"", headers={})


def _scrub_media(cursor, by_item: str, params: list) -> None:
    """Delete the items' attachments, evidence sheets and consent links; their files go after commit
    (a shared picture only when no other item's attachment still refers to it)."""
    from django.db import transaction

    from moderation.consent.models import ConsentItem
    from moderation.media.models import Attachment, EvidenceSheet
    from moderation.media.storage import files_delete, names_unreferenced

    cursor.execute(f"SELECT file FROM {_table(Attachment)} WHERE {by_item} AND file <> ''", params)  # noqa: S608
    blobs = [r[0] for r in cursor.fetchall()]
    cursor.execute(f"SELECT pdf, png FROM {_table(EvidenceSheet)} WHERE {by_item}", params)  # noqa: S608
    sheets = [name for row in cursor.fetchall() for name in row if name]
    for model in (Attachment, EvidenceSheet, ConsentItem):
        cursor.execute(f"DELETE FROM {_table(model)} WHERE {by_item}", params)  # noqa: S608
    if blobs or sheets:
        transaction.on_commit(lambda: files_delete([*names_unreferenced(blobs), *sheets]))


def scrub_items(ids: list[str], context: registry.ScrubContext) -> int:
    """Set-based: a fixed number of statements per batch whatever its size, each with the ids as ONE
    array parameter. Removes the content from the item (text, links, attachments, url, raw, search
    text, consent, author, claim), deletes its versions, blanks its flags' spans/terms/explanation
    (their history rows deleted), the platform actions' payloads and results, the pending platform
    events and webhook bodies carrying it, the decision notes and the sanction reasons that may quote
    it (in their history rows too), and deletes the item's history rows."""
    ids_i = _ints(ids)
    if not ids_i:
        return 0
    now = context.at or timezone.now()
    _scrub_webhooks(ids_i)
    item_in, p = sql_in("id", ids_i)
    by_item, pi = sql_in("item_id", ids_i)
    mark = PURGED_MARK
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_table(Item)} SET text = '', links = '[]', attachments = '[]', url = '', raw = '{{}}', "  # noqa: S608
            f"search_text = '', consent_basis = '', author_id = NULL, claimed_by_id = NULL, purged_at = %s "
            f"WHERE {item_in}", [now, *p])
        n = cursor.rowcount
        _scrub_media(cursor, by_item, pi)
        cursor.execute(f"DELETE FROM {_table(ItemVersion)} WHERE {by_item}", pi)  # noqa: S608
        cursor.execute(f"UPDATE {_table(Flag)} SET spans = '[]', matched_terms = '[]', detail = %s "  # noqa: S608
                       f"WHERE {by_item} RETURNING id", [mark, *pi])
        flag_ids = [r[0] for r in cursor.fetchall()]
        cursor.execute(f"UPDATE {_table(PlatformAction)} SET payload = '{{}}', result = '{{}}' WHERE {by_item}", pi)  # noqa: S608
        pending, items = _table(PendingEvent), _table(Item)
        cursor.execute(
            f"DELETE FROM {pending} WHERE EXISTS (SELECT 1 FROM {items} i WHERE {sql_in('i.id', ids_i)[0]} "  # noqa: S608
            f"AND i.channel_id = {pending}.channel_id AND i.external_id = {pending}.external_id)", p)
        # Rows tied to the item (a child waiting for its parent, an event made into or applied to the item).
        cursor.execute(f"DELETE FROM {pending} WHERE {by_item}", pi)  # noqa: S608
        cursor.execute(f"SELECT id FROM {_table(Decision)} WHERE {by_item}", pi)  # noqa: S608
        decision_ids = [r[0] for r in cursor.fetchall()]
        if decision_ids:
            dec_in, pd = sql_in("id", decision_ids)
            for table in (_table(Decision), _table(Decision.history.model)):
                cursor.execute(f"UPDATE {table} SET note = %s WHERE {dec_in} AND note <> ''", [mark, *pd])  # noqa: S608
            sanction_where, ps = sql_in("decision_id", decision_ids)
            sanction_where = f"({by_item} OR {sanction_where})"
            ps = [*pi, *ps]
        else:
            sanction_where, ps = by_item, pi
        cursor.execute(f"SELECT id FROM {_table(Sanction)} WHERE {sanction_where}", ps)  # noqa: S608
        sanction_ids = [r[0] for r in cursor.fetchall()]
        if sanction_ids:
            san_in, pz = sql_in("id", sanction_ids)
            for table in (_table(Sanction), _table(Sanction.history.model)):
                cursor.execute(f"UPDATE {table} SET reason = %s WHERE {san_in} AND reason <> ''", [mark, *pz])  # noqa: S608
        if flag_ids:
            flag_in, pf = sql_in("id", flag_ids)
            cursor.execute(f"DELETE FROM {_table(Flag.history.model)} WHERE {flag_in}", pf)  # noqa: S608
        cursor.execute(f"DELETE FROM {_table(Item.history.model)} WHERE {item_in}", p)  # noqa: S608
    return n


# --- authors ----------------------------------------------------------------------------------


def author_rules(ids: list[str]) -> dict[str, Assignment]:
    ids_i = _ints(ids)
    last = dict(Item.objects.filter(author_id__in=ids_i).values("author_id").annotate(m=Max("received_at"))
                .values_list("author_id", "m"))
    return {
        str(pk): Assignment("SM-5", {RetentionTrigger.LAST_ACTIVITY: to_date(last.get(pk) or created),
                                     RetentionTrigger.ARRIVAL: to_date(created)})
        for pk, created in Author.objects.filter(pk__in=ids_i).values_list("pk", "created_at")
    }


def scrub_authors(ids: list[str], context: registry.ScrubContext) -> int:
    """The account record (SM-5): name, username, profile, staff notes; the reasons written for its
    warnings, strikes and blocks (in their history too). `external_id` is unique per channel, so it
    becomes "gallrad-<id>" (one UPDATE for the batch)."""
    ids_i = _ints(ids)
    n = Author.objects.filter(pk__in=ids_i).update(
        external_id=Concat(Value("gallrad-"), Cast("pk", CharField())), display_name="", username="",
        profile_url="", staff_notes="", retention_due=None,
    )
    Sanction.objects.filter(author_id__in=ids_i).exclude(reason="").update(reason=PURGED_MARK)
    Sanction.history.model.objects.filter(author_id__in=ids_i).exclude(reason="").update(reason=PURGED_MARK)
    history_delete(Author, ids_i)
    return n


def erase_author_notes(ids: list[str], context: registry.ScrubContext) -> int:
    """Staff notes are not public records (TF 2 kap. 12 §): erased on request, history included."""
    ids_i = _ints(ids)
    n = Author.objects.filter(pk__in=ids_i).exclude(staff_notes="").update(staff_notes="")
    Author.history.model.objects.filter(id__in=ids_i).exclude(staff_notes="").update(staff_notes="")
    return n


# --- public reports ------------------------------------------------------------------------------


def report_rules(ids: list[str]) -> dict[str, Assignment]:
    return {str(pk): Assignment("SM-4", {RetentionTrigger.ARRIVAL: to_date(created)})
            for pk, created in PublicReport.objects.filter(pk__in=_ints(ids)).values_list("pk", "created_at")}


def scrub_reports(ids: list[str], context: registry.ScrubContext) -> int:
    ids_i = _ints(ids)
    n = PublicReport.objects.filter(pk__in=ids_i).update(
        url="", text="", reporter_contact="", reporter_message="", ip_hash="", retention_due=None,
    )
    report_emails_scrub(ids_i)
    history_delete(PublicReport, ids_i)
    return n


# --- data-subject searches -----------------------------------------------------------------------


def _operator(platform: str, label: str) -> str:
    return PLATFORM_OPERATORS.get(platform, label)


def _account_q(query: registry.SubjectQuery) -> Q:
    q = Q(pk__in=[])
    if query.platform_account:
        q |= Q(external_id=query.platform_account) | Q(username__iexact=query.platform_account)
    if query.name:
        q |= Q(display_name__iexact=query.name)
    return q


def _subject_author_ids(query: registry.SubjectQuery) -> set[int]:
    return set(Author.objects.filter(_account_q(query)).values_list("pk", flat=True))


def _by_authors(author_ids: set[int], field: str = "author_id") -> Q:
    return Q(**{f"{field}__in": sorted(author_ids)}) if author_ids else Q(pk__in=[])


def _platform_recipients(field: str, ids: list[int]) -> dict[int, list[str]]:
    """What the municipality's platform actions disclosed to the platform's operator, per item or
    sanction: "Meta Platforms Ireland Ltd (Facebook): Dölj, 2026-03-02"."""
    found: dict[int, list[str]] = defaultdict(list)
    if not ids:
        return found
    rows = PlatformAction.objects.filter(**{f"{field}__in": ids}, status="done").select_related("channel")
    for action in rows.order_by("finished_at", "pk"):
        when = timezone.localdate(action.finished_at).isoformat() if action.finished_at else ""
        found[getattr(action, field)].append(
            f"{_operator(action.channel.platform, action.channel.get_platform_display())}: "
            f"{action.get_kind_display()} {when}".strip())
    return found


def _item_source(item: Item, mine: bool) -> str:
    where = f"{item.channel.get_platform_display()}, kommunens konto ”{item.channel.name}”"
    if item.direction == "outgoing":
        return f"Upprättat av kommunen på {where}"
    if mine:
        return f"Ditt konto på {where}"
    return f"Någon annans inlägg på {where}, där du nämns"


def _thread_names(items: list[Item]) -> dict[int, list[str]]:
    """Other authors' names in each item's thread (masked in the extract)."""
    roots = {i.root_post_id or i.pk for i in items}
    names: dict[int, set[str]] = defaultdict(set)
    for root, name, username in Item.objects.filter(root_post_id__in=roots).exclude(author=None).values_list(
            "root_post_id", "author__display_name", "author__username"):
        names[root] |= {name, username}
    for pk, name, username in Item.objects.filter(pk__in=roots).exclude(author=None).values_list(
            "pk", "author__display_name", "author__username"):
        names[pk] |= {name, username}
    return {i.pk: sorted(n for n in names[i.root_post_id or i.pk] if n) for i in items}


def search_items(query: registry.SubjectQuery) -> list[registry.SubjectHit]:
    """Items the subject wrote (by account or name) or that name them, and earlier texts of items kept
    in the history. Every one is a public record (inkommen or upprättad), registered or kept in order."""
    author_ids = _subject_author_ids(query)
    qs = Item.objects.filter(purged_at__isnull=True).filter(
        candidate_q(["text"], query) | _by_authors(author_ids)).select_related("author", "channel").order_by("pk")
    items = list(qs)
    ids = [i.pk for i in items]
    docs = _registered_documents(ids)
    names = _thread_names(items)
    recipients = _platform_recipients("item_id", ids)
    files = _subject_files([i.pk for i in items])
    hits = {}
    for item in items:
        mine = item.author_id in author_ids
        why = ["avsändare"] if mine else []
        why += identifier_matches(item.text, query)
        if not why:
            continue
        own = {item.author.display_name, item.author.username} if mine and item.author else set()
        hits[str(item.pk)] = registry.SubjectHit(
            type=ITEM, id=str(item.pk), label=f"{item.get_kind_display()} {item.pk} ({item.channel.slug})",
            why=", ".join(dict.fromkeys(why)), registered=item.pk in docs, source=_item_source(item, mine),
            recipients=tuple(recipients.get(item.pk, ())),
            extra={"text": item.text, "date": item.received_at, "class": item.retention_class_code,
                   "due": item.retention_due, "secret": item.secret,
                   "other_names": [n for n in names.get(item.pk, []) if n not in own],
                   "files": files.get(item.pk, [])},
        )
    # History: an earlier text of an item that no longer names the subject.
    hist = Item.history.model.objects.filter(candidate_q(["text"], query), purged_at__isnull=True)
    for row in hist.exclude(id__in=[int(k) for k in hits]).only("id", "text", "received_at", "secret")[:5000]:
        if str(row.id) not in hits and identifier_matches(row.text, query):
            hits[str(row.id)] = registry.SubjectHit(
                type=ITEM, id=str(row.id), label=f"Inlägg {row.id}", why="historik (tidigare version)",
                source="Kommunens historik över inlägget",
                extra={"text": row.text, "date": row.received_at, "secret": row.secret},
            )
    return list(hits.values())


def search_versions(query: registry.SubjectQuery) -> list[registry.SubjectHit]:
    """Earlier versions of items (edited on the platform): of the subject's own items, or naming them.
    A version is part of its item's record and follows the item's class and holds."""
    author_ids = _subject_author_ids(query)
    qs = ItemVersion.objects.filter(item__purged_at__isnull=True).filter(
        _by_authors(author_ids, "item__author_id") | candidate_q(["text"], query)).select_related("item__channel")
    hits = []
    for version in qs.order_by("pk"):
        item = version.item
        mine = item.author_id in author_ids
        why = (["version av ditt inlägg"] if mine else []) + identifier_matches(version.text, query)
        if not why:
            continue
        hits.append(registry.SubjectHit(
            type=VERSION, id=str(version.pk),
            label=f"Version {version.number} av inlägg {item.pk} ({item.channel.slug})",
            why=", ".join(dict.fromkeys(why)), part_of=(ITEM, str(item.pk)), source=_item_source(item, mine),
            extra={"text": version.text, "date": version.received_at, "class": item.retention_class_code,
                   "due": item.retention_due, "secret": item.secret},
        ))
    return hits


def _subject_files(item_ids: list[int]) -> dict[int, list[registry.SourceFile]]:
    """The stored pictures and files of these items, every version (one query), for the register extract.
    Evidence sheets are left out: they show other people's posts, which cannot be masked in a picture."""
    from django.core.files.storage import default_storage

    from moderation.media.models import Attachment, FetchStatus
    from moderation.media.sniff import describe

    found: dict[int, list[registry.SourceFile]] = defaultdict(list)
    rows = (Attachment.objects.filter(item_id__in=item_ids, status=FetchStatus.STORED).select_related("version")
            .order_by("item_id", "version__number", "position", "id"))
    for row in rows:
        found[row.item_id].append(registry.SourceFile(
            key=f"attachment-{row.pk}", kind=row.kind,
            label=f"{row.get_kind_display()} (version {row.version.number}), {describe(row.content_type, row.size)}",
            content_type=row.content_type, size=row.size or 0, sha256=row.sha256,
            open=(lambda name=row.file.name: default_storage.open(name, "rb")), version=row.version.number))
    return found


def _pk_in_authors(author_ids):
    from django.db.models import Q

    return Q(author_id__in=list(author_ids)) if author_ids else Q(pk__in=[])


def search_authors(query: registry.SubjectQuery) -> list[registry.SubjectHit]:
    hits = {}
    blocks = defaultdict(list)
    for sanction_id, author_id in Sanction.objects.filter(kind="block").filter(
            _by_authors(_subject_author_ids(query))).values_list("pk", "author_id"):
        blocks[author_id].append(sanction_id)
    by_sanction = _platform_recipients("sanction_id", [s for ids in blocks.values() for s in ids])
    for a in Author.objects.filter(_account_q(query)).select_related("channel"):
        recipients = [r for s in blocks.get(a.pk, []) for r in by_sanction.get(s, [])]
        hits[str(a.pk)] = registry.SubjectHit(
            type=AUTHOR, id=str(a.pk), label=f"Konto {a.pk} ({a.channel.slug})", why="plattformskonto/namn",
            source=f"{a.channel.get_platform_display()}: ditt kontos namn och id följer med det du skriver till "
                   f"kommunens konto ”{a.channel.name}”",
            recipients=tuple(recipients),
            extra={"text": "", "date": a.created_at, "class": a.retention_class_code, "due": a.retention_due},
        )
    hist = Author.history.model.objects.filter(_account_q(query)).exclude(id__in=[int(k) for k in hits])
    for row in hist.only("id", "created_at"):
        if str(row.id) not in hits:
            hits[str(row.id)] = registry.SubjectHit(
                type=AUTHOR, id=str(row.id), label=f"Konto {row.id}", why="historik (tidigare namn)",
                source="Kommunens historik över kontot", extra={"text": "", "date": row.created_at},
            )
    return list(hits.values())


def search_author_notes(query: registry.SubjectQuery) -> list[registry.SubjectHit]:
    """Staff notes about the subject's accounts, or naming them: NOT public records (TF 2 kap. 12 §)."""
    author_ids = _subject_author_ids(query)
    qs = Author.objects.exclude(staff_notes="").filter(_by_authors(author_ids, "pk")
                                                       | candidate_q(["staff_notes"], query))
    hits = []
    for a in qs.select_related("channel"):
        why = (["anteckning om ditt konto"] if a.pk in author_ids else []) + identifier_matches(a.staff_notes, query)
        if why:
            hits.append(registry.SubjectHit(
                type=NOTE, id=str(a.pk), label=f"Intern anteckning om konto {a.pk} ({a.channel.slug})",
                why=", ".join(dict.fromkeys(why)), public_record=False,
                source="Kommunens medarbetare (moderering)", extra={"text": a.staff_notes, "date": None},
            ))
    return hits


def search_sanctions(query: registry.SubjectQuery) -> list[registry.SubjectHit]:
    """Warnings, strikes, blocks and police-report markings against the subject's accounts: part of
    the account record (class SM-5)."""
    author_ids = _subject_author_ids(query)
    sanctions = list(Sanction.objects.filter(_by_authors(author_ids)).select_related("channel", "author"))
    platform = _platform_recipients("sanction_id", [s.pk for s in sanctions])
    hits = []
    for s in sanctions:
        recipients = list(platform.get(s.pk, []))
        if s.kind == "police_report":
            recipients.append("Polismyndigheten")
        hits.append(registry.SubjectHit(
            type=SANCTION, id=str(s.pk), label=f"{s.get_kind_display()} {s.pk} ({s.channel.slug})",
            why="åtgärd mot ditt konto", part_of=(AUTHOR, str(s.author_id)),
            source="Kommunens beslut enligt de publicerade reglerna för kommunens konton",
            recipients=tuple(recipients),
            extra={"text": s.reason, "date": s.created_at, "class": s.author.retention_class_code,
                   "due": s.author.retention_due},
        ))
    return hits


def search_police_reports(query: registry.SubjectQuery) -> list[registry.SubjectHit]:
    """Police reports about the subject's accounts or items, or naming them (threats and other crimes
    are reported to the police: the police are the recipient)."""
    author_ids = _subject_author_ids(query)
    qs = PoliceReport.objects.filter(
        _by_authors(author_ids) | _by_authors(author_ids, "items__author_id") | candidate_q(["note"], query)
    ).distinct().order_by("pk")
    docs = _police_documents([r.pk for r in qs])
    hits = []
    for report in qs:
        why = (["polisanmälan om ditt konto"] if report.author_id in author_ids else [])
        why += identifier_matches(report.note, query)
        if not why and not report.items.filter(author_id__in=author_ids).exists():
            continue
        recipients = ()
        if report.reported_at or report.status != "draft":
            when = f" {report.reported_at.isoformat()}" if report.reported_at else ""
            recipients = (f"Polismyndigheten (anmäld{when})",)
        hits.append(registry.SubjectHit(
            type=POLICE, id=str(report.pk), label=f"Polisanmälan {report.pk}",
            why=", ".join(dict.fromkeys(why or ["polisanmälan om dina inlägg"])),
            source="Upprättad av kommunen utifrån inlägg på kommunens konton", recipients=recipients,
            registered=report.pk in docs,
            extra={"text": report.note, "date": report.created_at,
                   "document": docs[report.pk].number if report.pk in docs else None},
        ))
    return hits


_REPORT_SOURCES = {
    "form": "Anmälningsformuläret på kommunens webbplats (/anmal/)",
    "email": "E-post till kommunen",
    "private_message": "Privat meddelande till kommunens konto",
    "staff": "Inlagd av kommunens personal",
}


def search_reports(query: registry.SubjectQuery) -> list[registry.SubjectHit]:
    fields = ["reporter_contact", "reporter_message", "text"]
    hits = {}
    for r in PublicReport.objects.filter(candidate_q(fields, query)):
        why = identifier_matches(f"{r.reporter_contact}\n{r.reporter_message}\n{r.text}", query)
        if why:
            hits[str(r.pk)] = registry.SubjectHit(
                type=REPORT, id=str(r.pk), label=f"Anmälan {r.pk}", why=", ".join(why),
                source=_REPORT_SOURCES.get(r.via, r.get_via_display()),
                extra={"text": f"{r.reporter_message}\n{r.text}".strip(), "date": r.created_at,
                       "class": r.retention_class_code, "due": r.retention_due},
            )
    hist = PublicReport.history.model.objects.filter(candidate_q(fields, query)).exclude(id__in=[int(k) for k in hits])
    for row in hist:
        if str(row.id) not in hits and identifier_matches(
                f"{row.reporter_contact}\n{row.reporter_message}\n{row.text}", query):
            hits[str(row.id)] = registry.SubjectHit(
                type=REPORT, id=str(row.id), label=f"Anmälan {row.id}", why="historik (tidigare version)",
                source="Kommunens historik över anmälan", extra={"text": "", "date": row.created_at},
            )
    return list(hits.values())


# --- registration ------------------------------------------------------------------------------

registry.register_retention_target(registry.RetentionTarget(
    type=ITEM, label="Inlägg/kommentar", queryset=lambda: Item.objects.filter(purged_at__isnull=True),
    scrub=scrub_items, due_field="retention_due", class_field="retention_class_code",
    held_q=item_held_q, fingerprint_fields=ITEM_FINGERPRINT_FIELDS, registered=item_registered,
    describe=retention_rows.describe_items,
))
registry.register_retention_target(registry.RetentionTarget(
    type=AUTHOR, label="Avsändare (konto)", queryset=lambda: Author.objects.exclude(external_id__startswith="gallrad-"),
    scrub=scrub_authors, due_field="retention_due", class_field="retention_class_code",
    held_q=author_held_q, fingerprint_fields=AUTHOR_FINGERPRINT_FIELDS, describe=retention_rows.describe_authors,
))
registry.register_retention_target(registry.RetentionTarget(
    type=REPORT, label="Anmälan", queryset=lambda: PublicReport.objects.all(),
    scrub=scrub_reports, due_field="retention_due", class_field="retention_class_code",
    held_q=report_held_q, fingerprint_fields=REPORT_FINGERPRINT_FIELDS, describe=retention_rows.describe_reports,
))
register_rules(ITEM, item_rules)
register_rules(AUTHOR, author_rules)
register_rules(REPORT, report_rules)
for _search in (
    registry.SubjectSearch(type=ITEM, label="Inlägg och kommentarer", search=search_items),
    registry.SubjectSearch(type=VERSION, label="Tidigare versioner av inlägg", search=search_versions),
    registry.SubjectSearch(type=AUTHOR, label="Avsändare (konton)", search=search_authors),
    registry.SubjectSearch(type=NOTE, label="Interna anteckningar om konton", search=search_author_notes,
                           erase=erase_author_notes),
    registry.SubjectSearch(type=SANCTION, label="Varningar, prickar och blockeringar", search=search_sanctions),
    registry.SubjectSearch(type=POLICE, label="Polisanmälningar", search=search_police_reports),
    registry.SubjectSearch(type=REPORT, label="Anmälningar", search=search_reports),
    registry.SubjectSearch(type="moderation.reportemail", label="Anmälningar via e-post", search=search_report_emails),
):
    registry.register_subject_search(_search)


# --- police reports ------------------------------------------------------------------------------
# A police report is registered as an outgoing document to the police when submitted
# (moderation.queue.services.sanctions.police_report_update). The report in moderation then follows
# its document's class (as registered items do); a report never registered follows PA-1.

CLASS_POLICE = "PA-1"


def _police_documents(ids: list[int]) -> dict[int, Document]:
    docs = Document.objects.filter(source_type=POLICE, source_id__in=[str(i) for i in ids], voided=False)
    return {int(d.source_id): d for d in docs.select_related("case", "retention_class")}


def police_rules(ids: list[str]) -> dict[str, Assignment]:
    from records.retention.services.plan import _document_class

    ids_i = _ints(ids)
    docs = _police_documents(ids_i)
    result = {}
    for pk, reported, created in PoliceReport.objects.filter(pk__in=ids_i).values_list("pk", "reported_at",
                                                                                        "created_at"):
        start = reported or to_date(created)
        dates = {RetentionTrigger.ARRIVAL: start, RetentionTrigger.DECISION: start}
        doc = docs.get(pk)
        if doc is not None:
            code = doc.retention_class.code if doc.retention_class else _document_class(doc)
            dates[RetentionTrigger.CASE_CLOSED] = doc.case.closed_at
        else:
            code = CLASS_POLICE
        result[str(pk)] = Assignment(code, dates)
    return result


POLICE_FINGERPRINT_FIELDS = ("note", "police_reference", "status", "author_id", "retention_class_code",
                             "retention_due")


def police_held_q(keys: set[tuple[str, str]]) -> Q | None:
    """A report is held by a hold on it, on its author, on any item it reports, or on the document
    it was registered as (or that document's case)."""
    parts = []
    if reports := int_keys(keys, POLICE):
        parts.append(Q(pk__in=reports))
    if authors := int_keys(keys, AUTHOR):
        parts.append(Q(author_id__in=authors))
    items = item_held_q(keys)
    if items is not None:
        parts.append(Q(items__in=Subquery(Item.objects.filter(items).values("pk"))))
    doc_q = document_held_q(keys, via_source=False)
    if doc_q is not None:
        registered = Document.objects.filter(doc_q, source_type=POLICE, voided=False).values_list("source_id",
                                                                                                 flat=True)
        if ids := sorted({int(i) for i in registered if str(i).isdecimal()}):
            parts.append(Q(pk__in=ids))
    return any_of(parts)


def police_registered(ids: list[str]) -> dict[str, str]:
    return {str(pk): doc.number for pk, doc in _police_documents(_ints(ids)).items()}


def scrub_police_reports(ids: list[str], context: registry.ScrubContext) -> int:
    """Blank the note and the police's reference, drop the links to the author and the items, delete the
    history (its m2m rows go with it). The registered document, if any, is purged by its own class."""
    ids_i = _ints(ids)
    PoliceReport.items.through.objects.filter(policereport_id__in=ids_i).delete()
    n = PoliceReport.objects.filter(pk__in=ids_i).update(
        note="", police_reference="", author=None, retention_due=None, purged_at=context.at or timezone.now())
    Sanction.objects.filter(police_report_id__in=ids_i).exclude(reason="").update(reason=PURGED_MARK)
    history_delete(PoliceReport, ids_i)
    return n


registry.register_retention_target(registry.RetentionTarget(
    type=POLICE, label="Polisanmälan", queryset=lambda: PoliceReport.objects.filter(purged_at__isnull=True),
    scrub=scrub_police_reports, due_field="retention_due", class_field="retention_class_code",
    fingerprint_fields=POLICE_FINGERPRINT_FIELDS, held_q=police_held_q, registered=police_registered,
    describe=retention_rows.describe_police_reports,
))
register_rules(POLICE, police_rules)

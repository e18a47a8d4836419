"""Moderation's side of retention and data-subject requests (imported by ModerationConfig.ready).

Registers with records' registry what the information management plan covers here (items,
authors, public reports: how to find them, how to scrub them, their fingerprint and which holds
cover them), the class rules for them (records.retention.services.plan.register_rules), and the
data-subject searches over items, authors, reports and their history.

Scrubbing an item removes its content everywhere it was copied: the item's fields (text, links,
attachments, url, raw payload, search text, consent), its versions (ItemVersion), the flags'
spans, matched terms and explanation, the platform actions' payloads and results, the raw webhook
bodies and pending events that carry its id, the decision notes and sanction reasons about it, and
the django-simple-history rows of the item and its flags. Set-based SQL per batch (a fixed number of
UPDATE/DELETE statements, the ids as one array parameter), idempotent. Items take the purge
service's set-based path (fingerprint and holds in SQL: ITEM_FINGERPRINT_FIELDS, item_held_q).
"""

from __future__ import annotations

from collections import defaultdict

from django.db import connection
from django.db.models import Max, Q
from django.utils import timezone

from moderation.models import (
    Author,
    Decision,
    Flag,
    Item,
    ItemVersion,
    PendingEvent,
    PlatformAction,
    PublicReport,
    Sanction,
    WebhookDelivery,
)
from moderation.reports.personal_data import report_emails_scrub, search_report_emails
from records import registry
from records.gdpr.services import candidate_q, identifier_matches
from records.models import Document, RetentionTrigger
from records.retention.services.plan import Assignment, register_rules, to_date
from records.retention.services.purge import PURGED_MARK, fingerprint_of, history_delete, sql_fingerprints, sql_in

ITEM, AUTHOR, REPORT = "moderation.item", "moderation.author", "moderation.publicreport"


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


def item_fingerprint(ids: list[str]) -> dict[str, str]:
    """Computed in SQL, the same expression the purge service uses at draft and execution."""
    return sql_fingerprints(Item, ITEM_FINGERPRINT_FIELDS, _ints(ids))


def item_hold_keys(ids: list[str]) -> dict[str, list[tuple[str, str]]]:
    ids_i = _ints(ids)
    keys: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for pk, author_id, channel_id in Item.objects.filter(pk__in=ids_i).values_list("pk", "author_id", "channel_id"):
        keys[str(pk)].append(("moderation.channel", str(channel_id)))
        if author_id:
            keys[str(pk)].append((AUTHOR, str(author_id)))
    for pk, doc in _registered_documents(ids_i).items():
        keys[str(pk)] += [("records.document", str(doc.pk)), ("records.case", str(doc.case_id))]
    return keys


def _digits(keys: set[tuple[str, str]], kind: str) -> list[int]:
    return [int(i) for t, i in keys if t == kind and str(i).isdigit()]


def item_held_q(keys: set[tuple[str, str]]) -> Q | None:
    """The items the active holds cover (the same rule as item_hold_keys), as a Q for SQL; None when
    no hold covers any item. Holds are few, so their ids are literal lists."""
    item_ids = set(_digits(keys, ITEM))
    docs = [i for t, i in keys if t == "records.document"]
    cases = [i for t, i in keys if t == "records.case"]
    if docs or cases:
        registered = Document.objects.filter(source_type=ITEM, voided=False).filter(
            Q(pk__in=docs) | Q(case_id__in=cases)).values_list("source_id", flat=True)
        item_ids |= {int(i) for i in registered if str(i).isdigit()}
    parts = []
    if item_ids:
        parts.append(Q(pk__in=sorted(item_ids)))
    if channels := _digits(keys, "moderation.channel"):
        parts.append(Q(channel_id__in=channels))
    if authors := _digits(keys, AUTHOR):
        parts.append(Q(author_id__in=authors))
    if not parts:
        return None
    q = parts[0]
    for part in parts[1:]:
        q |= part
    return q


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
        cursor.execute(f"DELETE FROM {_table(ItemVersion)} WHERE {by_item}", pi)  # noqa: S608
        cursor.execute(f"UPDATE {_table(Flag)} SET spans = '[]', matched_terms = '[]', detail = %s "  # noqa: S608
                       f"WHERE {by_item} RETURNING id", [mark, *pi])
        flag_ids = [r[0] for r in cursor.fetchall()]
        cursor.execute(f"UPDATE {_table(PlatformAction)} SET payload = '{{}}', result = '{{}}' WHERE {by_item}", pi)  # noqa: S608
        pending, items = _table(PendingEvent), _table(Item)
        cursor.execute(
            f"DELETE FROM {pending} WHERE EXISTS (SELECT 1 FROM {items} i WHERE {sql_in('i.id', ids_i)[0]} "  # noqa: S608
            f"AND i.channel_id = {pending}.channel_id AND i.external_id = {pending}.external_id)", p)
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


def author_fingerprint(ids: list[str]) -> dict[str, str]:
    rows = Author.objects.filter(pk__in=_ints(ids)).values_list(
        "pk", "display_name", "username", "is_blocked", "retention_class_code", "retention_due")
    return {str(r[0]): fingerprint_of(r[1:]) for r in rows}


def scrub_authors(ids: list[str], context: registry.ScrubContext) -> int:
    ids_i = _ints(ids)
    n = 0
    for pk in ids_i:  # external_id is unique per channel: each gets its own placeholder
        n += Author.objects.filter(pk=pk).update(
            external_id=f"gallrad-{pk}", display_name="", username="", profile_url="", staff_notes="",
            retention_due=None,
        )
    history_delete(Author, ids_i)
    return n


# --- public reports ------------------------------------------------------------------------------


def report_rules(ids: list[str]) -> dict[str, Assignment]:
    return {str(pk): Assignment("SM-4", {RetentionTrigger.ARRIVAL: to_date(created)})
            for pk, created in PublicReport.objects.filter(pk__in=_ints(ids)).values_list("pk", "created_at")}


def report_fingerprint(ids: list[str]) -> dict[str, str]:
    rows = PublicReport.objects.filter(pk__in=_ints(ids)).values_list(
        "pk", "text", "reporter_contact", "status", "retention_class_code", "retention_due")
    return {str(r[0]): fingerprint_of(r[1:]) for r in rows}


def report_hold_keys(ids: list[str]) -> dict[str, list[tuple[str, str]]]:
    keys: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for pk, channel_id, item_id in PublicReport.objects.filter(pk__in=_ints(ids)).values_list(
            "pk", "channel_id", "item_id"):
        if channel_id:
            keys[str(pk)].append(("moderation.channel", str(channel_id)))
        if item_id:
            keys[str(pk)].append((ITEM, str(item_id)))
    return keys


def scrub_reports(ids: list[str], context: registry.ScrubContext) -> int:
    ids_i = _ints(ids)
    n = PublicReport.objects.filter(pk__in=ids_i).update(
        url="", text="", reporter_contact="", reporter_message="", ip_hash="", retention_due=None,
    )
    report_emails_scrub(ids_i)
    history_delete(PublicReport, ids_i)
    return n


# --- data-subject searches -----------------------------------------------------------------------


def _held(target_type: str, pk) -> object:
    from records.retention.services.holds import hold_end

    return hold_end(target_type, pk)


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


def _account_q(query: registry.SubjectQuery):
    from django.db.models import Q

    q = Q(pk__in=[])
    if query.platform_account:
        q |= Q(external_id=query.platform_account) | Q(username__iexact=query.platform_account)
    if query.name:
        q |= Q(display_name__iexact=query.name)
    return q


def search_items(query: registry.SubjectQuery) -> list[registry.SubjectHit]:
    author_ids = set(Author.objects.filter(_account_q(query)).values_list("pk", flat=True))
    qs = Item.objects.filter(purged_at__isnull=True).filter(
        candidate_q(["text"], query) | _pk_in_authors(author_ids)).select_related("author", "channel")
    items = list(qs[:2000])
    docs = _registered_documents([i.pk for i in items])
    names = _thread_names(items)
    hits = {}
    for item in items:
        why = ["avsändare"] if item.author_id in author_ids else []
        why += identifier_matches(item.text, query)
        if not why:
            continue
        mine = item.author_id in author_ids and item.author
        own = {item.author.display_name, item.author.username} if mine else set()
        hits[str(item.pk)] = registry.SubjectHit(
            type=ITEM, id=str(item.pk), label=f"{item.get_kind_display()} {item.pk} ({item.channel.slug})",
            why=", ".join(dict.fromkeys(why)), registered=item.pk in docs, held_until=_held(ITEM, item.pk),
            extra={"text": item.text, "date": item.received_at, "class": item.retention_class_code,
                   "due": item.retention_due, "other_names": [n for n in names.get(item.pk, []) if n not in own]},
        )
    # History: an earlier version of an item's text may still hold the subject's data.
    hist = Item.history.model.objects.filter(candidate_q(["text"], query), purged_at__isnull=True)
    for row in hist.exclude(id__in=[int(k) for k in hits]).only("id", "text", "received_at", "kind")[:2000]:
        if str(row.id) not in hits and identifier_matches(row.text, query):
            hits[str(row.id)] = registry.SubjectHit(
                type=ITEM, id=str(row.id), label=f"Inlägg {row.id}", why="historik (tidigare version)",
                held_until=_held(ITEM, row.id), extra={"text": "", "date": row.received_at},
            )
    return list(hits.values())


def _pk_in_authors(author_ids):
    from django.db.models import Q

    return Q(author_id__in=list(author_ids)) if author_ids else Q(pk__in=[])


def search_authors(query: registry.SubjectQuery) -> list[registry.SubjectHit]:
    hits = {}
    for a in Author.objects.filter(_account_q(query)).select_related("channel"):
        hits[str(a.pk)] = registry.SubjectHit(
            type=AUTHOR, id=str(a.pk), label=f"Konto {a.pk} ({a.channel.slug})", why="plattformskonto/namn",
            held_until=_held(AUTHOR, a.pk),
            extra={"text": "", "date": a.created_at, "class": a.retention_class_code, "due": a.retention_due},
        )
    hist = Author.history.model.objects.filter(_account_q(query)).exclude(id__in=[int(k) for k in hits])
    for row in hist.only("id", "created_at"):
        if str(row.id) not in hits:
            hits[str(row.id)] = registry.SubjectHit(
                type=AUTHOR, id=str(row.id), label=f"Konto {row.id}", why="historik (tidigare namn)",
                held_until=_held(AUTHOR, row.id), extra={"text": "", "date": row.created_at},
            )
    return list(hits.values())


def search_reports(query: registry.SubjectQuery) -> list[registry.SubjectHit]:
    fields = ["reporter_contact", "reporter_message", "text"]
    hits = {}
    for r in PublicReport.objects.filter(candidate_q(fields, query)):
        why = identifier_matches(f"{r.reporter_contact}\n{r.reporter_message}\n{r.text}", query)
        if why:
            hits[str(r.pk)] = registry.SubjectHit(
                type=REPORT, id=str(r.pk), label=f"Anmälan {r.pk}", why=", ".join(why),
                extra={"text": f"{r.reporter_message}\n{r.text}".strip(), "date": r.created_at,
                       "class": r.retention_class_code, "due": r.retention_due},
            )
    hist = PublicReport.history.model.objects.filter(candidate_q(fields, query)).exclude(id__in=[int(k) for k in hits])
    for row in hist:
        if str(row.id) not in hits and identifier_matches(
                f"{row.reporter_contact}\n{row.reporter_message}\n{row.text}", query):
            hits[str(row.id)] = registry.SubjectHit(
                type=REPORT, id=str(row.id), label=f"Anmälan {row.id}", why="historik (tidigare version)",
                extra={"text": "", "date": row.created_at},
            )
    return list(hits.values())


# --- registration ------------------------------------------------------------------------------

registry.register_retention_target(registry.RetentionTarget(
    type=ITEM, label="Inlägg/kommentar", queryset=lambda: Item.objects.filter(purged_at__isnull=True),
    scrub=scrub_items, due_field="retention_due", class_field="retention_class_code",
    fingerprint=item_fingerprint, hold_keys=item_hold_keys,
    fingerprint_fields=ITEM_FINGERPRINT_FIELDS, held_q=item_held_q,
))
registry.register_retention_target(registry.RetentionTarget(
    type=AUTHOR, label="Avsändare (konto)", queryset=lambda: Author.objects.exclude(external_id__startswith="gallrad-"),
    scrub=scrub_authors, due_field="retention_due", class_field="retention_class_code",
    fingerprint=author_fingerprint,
    hold_keys=lambda ids: {str(pk): [("moderation.channel", str(c))]
                           for pk, c in Author.objects.filter(pk__in=_ints(ids)).values_list("pk", "channel_id")},
))
registry.register_retention_target(registry.RetentionTarget(
    type=REPORT, label="Anmälan", queryset=lambda: PublicReport.objects.all(),
    scrub=scrub_reports, due_field="retention_due", class_field="retention_class_code",
    fingerprint=report_fingerprint, hold_keys=report_hold_keys,
))
register_rules(ITEM, item_rules)
register_rules(AUTHOR, author_rules)
register_rules(REPORT, report_rules)
registry.register_subject_search(registry.SubjectSearch(type=ITEM, label="Inlägg och kommentarer",
                                                        search=search_items))
registry.register_subject_search(registry.SubjectSearch(type=AUTHOR, label="Avsändare (konton)",
                                                        search=search_authors))
registry.register_subject_search(registry.SubjectSearch(type=REPORT, label="Anmälningar", search=search_reports))
registry.register_subject_search(registry.SubjectSearch(type="moderation.reportemail", label="Anmälningar via e-post",
                                                        search=search_report_emails))

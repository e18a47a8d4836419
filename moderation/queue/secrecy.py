"""Secrecy that follows the information from a registered document back to its source.

A registrar marks a part of a document secret (OSL 5 kap. 2 §, e.g. the sender under OSL 21 kap.
3 §, or the content under OSL 26 kap. 1 §). The same information sits in the item the document was
registered from: its text, versions, flags (spans, matched terms, the explanation naming them), url
and payload, and, for a secret sender, in the account (name, user name, platform id, profile). This
module answers, in a constant number of queries for any number of rows, which items and accounts
carry secret information, and lets views mask it for users without the right to see it and audit
every delivery to users with it.

- content secret: the item's own `secret` flag (a moderator's "confidential" decision) or a marking
  on the content of a document registered from it;
- sender secret: a marking on the sender of a document registered from ANY item by the same
  account. The account is one identity: once its name is secret for one document it is masked
  everywhere (queue, item page, thread, account page, API, admin, history, snapshot).

Who may see it: holders of both `moderation.view_secret_item` and `records.view_secret`
(registrars). `Author.__str__` masks a secret sender by default; a view that has checked the
user's right calls `author_reveal`, which audits and unmasks that one instance.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import CharField, Exists, IntegerField, OuterRef, Q, QuerySet
from django.db.models.functions import Cast

from records import registry
from records.secrecy.services import (
    may_view_secret,
    secret_viewed_audit,
    source_marking_exists,
    source_secrecy,
    sources_with_secret_part,
)

ITEM = "moderation.item"
AUTHOR = "moderation.author"
MASK_SENDER = "[skyddad avsändare]"
MASK_CONTENT = "[sekretess]"
# Fields of an item that carry its content, and those that identify its sender on the platform
# (the comment's address and the payload name the account).
SENDER_ITEM_FIELDS = ("url", "raw")
AUTHOR_IDENTITY_FIELDS = ("display_name", "username", "external_id", "profile_url", "staff_notes")


def may_view_secret_items(user) -> bool:
    """Secret information in items and accounts: registrars (both permissions), nobody else."""
    return bool(may_view_secret(user) and user.has_perm("moderation.view_secret_item"))


# --- SQL building blocks (no query of their own) ---------------------------------------------------


def content_marked_exists() -> Exists:
    """For an Item queryset: a document registered from the row has its content secret."""
    return source_marking_exists(ITEM, Cast(OuterRef("pk"), output_field=CharField()), ["content"])


def content_secret_q() -> Q:
    return Q(secret=True) | Q(content_marked_exists())


def secret_sender_item_ids() -> QuerySet:
    """Ids of the items whose own document has its sender secret (one column, for `__in`)."""
    return sources_with_secret_part(ITEM, "sender").values(
        item_id=Cast("document__source_id", output_field=IntegerField()))


def secret_sender_author_ids() -> QuerySet:
    """Ids of the accounts that wrote an item whose document has its sender secret."""
    from moderation.models import Item

    return Item.objects.filter(pk__in=secret_sender_item_ids(), author_id__isnull=False).values("author_id")


def searchable_items(queryset: QuerySet, user) -> QuerySet:
    """Items whose text the user may search: secret content is searched only for those who may see
    it (a hit count would otherwise confirm a word, OSL 5 kap. 2 §)."""
    if may_view_secret_items(user):
        return queryset
    return queryset.filter(secret=False).exclude(content_marked_exists())


def searchable_authors(queryset: QuerySet, user) -> QuerySet:
    """Accounts the user may find by name or id: not those whose sender is secret."""
    if may_view_secret_items(user):
        return queryset
    return queryset.exclude(pk__in=secret_sender_author_ids())


# --- loading the flags onto instances (a constant number of queries) -------------------------------


def _authors_of(items: Iterable) -> list:
    return [i.author for i in items if getattr(i, "author_id", None) and i.author is not None]


def authors_load_secrecy(authors: Iterable) -> list:
    """Set `_sender_secret` on each account, in one query (none when all are loaded already)."""
    authors = [a for a in authors if a is not None and a.pk is not None]
    missing = [a for a in authors if "_sender_secret" not in a.__dict__]
    if missing:
        from moderation.models import Item

        secret = set(Item.objects.filter(pk__in=secret_sender_item_ids(),
                                         author_id__in=[a.pk for a in missing])
                     .values_list("author_id", flat=True).distinct())
        for author in missing:
            author._sender_secret = author.pk in secret
    return authors


def items_load_secrecy(items: Iterable) -> list:
    """Set `_source_parts` (parts marked on documents registered from the item) on each item and
    `_sender_secret` on their accounts: at most two queries, whatever the number of items."""
    items = [i for i in items if i is not None]
    missing = [i for i in items if i.pk is not None and "_source_parts" not in i.__dict__]
    if missing:
        parts = source_secrecy(ITEM, [i.pk for i in missing])
        for item in missing:
            item._source_parts = frozenset(parts.get(str(item.pk), ()))
    authors_load_secrecy(_authors_of(items))
    return items


def item_secret_parts(item) -> set[str]:
    """The parts of this item under secrecy: "content" and/or "sender"."""
    items_load_secrecy([item])
    parts = set(item.__dict__.get("_source_parts", ()))
    if item.secret:
        parts.add("content")
    if item.author_id and item.author is not None and item.author.sender_secret:
        parts.add("sender")
    return parts


# --- per user ------------------------------------------------------------------------------------


def item_masked_parts(item, user) -> set[str]:
    """The parts of the item this user may not see (empty for those who may)."""
    if may_view_secret_items(user):
        return set()
    return item_secret_parts(item)


def item_reveal(item, user, *, request=None, surface: str) -> set[str]:
    """What this view may show of the item's secret parts; audits a delivery of secret parts to a
    permitted user (one event per item and call). Returns the parts that stay masked. Reveals the
    account on the instance when the sender is shown."""
    secret = item_secret_parts(item)
    if not secret:
        return set()
    if not may_view_secret_items(user):
        return secret
    if "sender" in secret and item.author is not None:
        item.author._revealed = True
    secret_viewed_audit(user=user, target=item, parts=secret, surface=surface, request=request)
    return set()


def author_reveal(author, user, *, request=None, surface: str) -> bool:
    """True when the account's identity may be shown to the user (audited when it is secret)."""
    if author is None or not author.sender_secret:
        return True
    if not may_view_secret_items(user):
        return False
    author._revealed = True
    secret_viewed_audit(user=user, target=author, parts={"sender"}, surface=surface, request=request)
    return True


# --- what records asks of moderation (registry) -----------------------------------------------------


def _item_own_parts(ids: list[str]) -> dict[str, set[str]]:
    from moderation.models import Item

    ints = [int(i) for i in ids if str(i).isdecimal()]
    result: dict[str, set[str]] = {}
    secret_authors = set(secret_sender_author_ids().values_list("author_id", flat=True).distinct()) if ints else set()
    for pk, secret, author_id in Item.objects.filter(pk__in=ints).values_list("pk", "secret", "author_id"):
        parts = {"content"} if secret else set()
        if author_id in secret_authors:
            parts.add("sender")
        result[str(pk)] = parts
    return result


def _author_own_parts(ids: list[str]) -> dict[str, set[str]]:
    ints = [int(i) for i in ids if str(i).isdecimal()]
    secret = set(secret_sender_author_ids().filter(author_id__in=ints).values_list("author_id", flat=True))
    return {str(pk): {"sender"} for pk in secret}


def same_sender_items(source_id: str | None, sender: str) -> list[registry.SenderMatch]:
    """Other items (not purged) by the account that wrote item `source_id`, or by an account whose
    name or user name is `sender` (at least three characters): three queries."""
    from django.urls import reverse

    from moderation.models import Author, Item

    own = int(source_id) if source_id and str(source_id).isdecimal() else None
    own_author = Item.objects.filter(pk=own).values_list("author_id", flat=True).first() if own else None
    name = (sender or "").strip()
    by_name = set()
    if len(name) >= 3:
        by_name = set(Author.objects.filter(Q(display_name__iexact=name) | Q(username__iexact=name))
                      .values_list("pk", flat=True)[:50])
    author_ids = by_name | ({own_author} if own_author else set())
    if not author_ids:
        return []
    items = (Item.objects.filter(author_id__in=author_ids, purged_at__isnull=True).exclude(pk=own or 0)
             .select_related("channel").order_by("-received_at")[:200])
    return [
        registry.SenderMatch(
            type=ITEM, id=str(i.pk), url=reverse("item_detail", args=[i.pk]),
            label=f"{i.get_kind_display()} {i.pk} ({i.channel.slug}), {i.received_at:%Y-%m-%d}",
            why="samma konto" if i.author_id == own_author else "samma namn",
        )
        for i in items
    ]


# Records about an item or an account carry its secrecy with them: a version holds the item's text,
# a staff note, a sanction or a police report confirms the account whose sender is secret, a public
# report quotes the item. Whatever the records side finds of them is masked as the item or account is.
VERSION, NOTE, SANCTION, POLICE, REPORT = ("moderation.itemversion", "moderation.authornote", "moderation.sanction",
                                           "moderation.policereport", "moderation.publicreport")
_ACCOUNT_RECORD = {"sender", "content"}


def _via_items(pairs) -> dict[str, set[str]]:
    """{id: parts} for records that point at items: [(record id, item id)]."""
    from records.secrecy.services import target_secrecy

    pairs = [(str(rid), str(iid)) for rid, iid in pairs if iid is not None]
    parts = target_secrecy(ITEM, {iid for _rid, iid in pairs})
    result: dict[str, set[str]] = {}
    for rid, iid in pairs:
        if parts.get(iid):
            result.setdefault(rid, set()).update(parts[iid])
    return result


def _via_authors(pairs) -> dict[str, set[str]]:
    """{id: parts} for records about accounts: [(record id, author id)]; a secret sender makes the
    whole record secret (its existence confirms the account)."""
    pairs = [(str(rid), aid) for rid, aid in pairs if aid is not None]
    secret = set(secret_sender_author_ids().filter(author_id__in={aid for _r, aid in pairs})
                 .values_list("author_id", flat=True))
    return {rid: set(_ACCOUNT_RECORD) for rid, aid in pairs if aid in secret}


def _ints(ids) -> list[int]:
    return [int(i) for i in ids if str(i).isdecimal()]


def _version_parts(ids: list[str]) -> dict[str, set[str]]:
    from moderation.models import ItemVersion

    return _via_items(ItemVersion.objects.filter(pk__in=_ints(ids)).values_list("pk", "item_id"))


def _note_parts(ids: list[str]) -> dict[str, set[str]]:
    return _via_authors((i, int(i)) for i in _ints(ids))


def _sanction_parts(ids: list[str]) -> dict[str, set[str]]:
    from moderation.models import Sanction

    return _via_authors(Sanction.objects.filter(pk__in=_ints(ids)).values_list("pk", "author_id"))


def _police_parts(ids: list[str]) -> dict[str, set[str]]:
    from moderation.models import PoliceReport

    rows = PoliceReport.objects.filter(pk__in=_ints(ids))
    result = _via_authors(rows.values_list("pk", "author_id"))
    for rid, parts in _via_items(rows.values_list("pk", "items")).items():
        result.setdefault(rid, set()).update(parts | {"content"})
    return result


def _report_parts(ids: list[str]) -> dict[str, set[str]]:
    from moderation.models import PublicReport

    found = _via_items(PublicReport.objects.filter(pk__in=_ints(ids)).values_list("pk", "item_id"))
    return {rid: parts | {"content"} for rid, parts in found.items()}


def register() -> None:
    registry.register_secrecy(registry.SecrecyHook(type=ITEM, own_parts=_item_own_parts,
                                                   same_sender=same_sender_items))
    registry.register_secrecy(registry.SecrecyHook(type=AUTHOR, own_parts=_author_own_parts))
    for kind, parts in ((VERSION, _version_parts), (NOTE, _note_parts), (SANCTION, _sanction_parts),
                        (POLICE, _police_parts), (REPORT, _report_parts)):
        registry.register_secrecy(registry.SecrecyHook(type=kind, own_parts=parts))


# --- notifications -----------------------------------------------------------------------------------


def notification_item_summary(item) -> str:
    """What a notification (e-mail, chat, push) may say about an item. A notification leaves
    Uppsikt, its permission checks and its audit log, so it never carries a secret part, whoever it
    is for: the kind, the channel and the number always; the author and an excerpt only when they are
    not secret. Every notification about items is built with this (none exists yet)."""
    items_load_secrecy([item])
    parts = item_secret_parts(item)
    head = f"{item.get_kind_display()} {item.pk} på {item.channel.name}"
    if parts:
        return f"{head} (innehåller sekretessbelagda uppgifter: öppna inlägget i Uppsikt)"
    who = f" från {item.author}" if item.author_id and item.author is not None else ""
    text = " ".join((item.text or "").split())
    excerpt = text if len(text) <= 120 else text[:119] + "…"
    return f"{head}{who}: {excerpt}"

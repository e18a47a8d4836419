"""What `records` knows about the outside world: a small registry other apps fill at startup.

`records` never imports `moderation` (imports run moderation → records → accounts). Instead
`moderation` registers, in its `AppConfig.ready()`, what can be registered (diarieförs) as a
document, what the retention plan covers and where a data-subject search looks, the way models
register with the admin::

    from records import registry

    registry.register_source(registry.SourceAdapter(type="moderation.item", label="Inlägg/kommentar", ...))
    registry.register_retention_target(registry.RetentionTarget(type="moderation.item", ...))
    registry.register_subject_search(registry.SubjectSearch(type="moderation.item", ...))
    registry.register_secrecy(registry.SecrecyHook(type="moderation.item", own_parts=..., same_sender=...))
    registry.register_disclosure_source(registry.DisclosureSource(type="moderation.item", key="item", ...))

Records services then call `registry.source("moderation.item").snapshot(item_id)` etc. Types are
"app_label.model_name" strings, the same strings stored in `Document.source_type`,
`PurgeLine.target_type`, `Tombstone.target_type` and `LegalHold.target_type`; ids are strings.

This module is deliberately dependency-free (no Django import at run time) so it can be imported
from anywhere, including settings-free unit tests. Registering the same type again replaces the
earlier entry, which keeps `ready()` idempotent (test runners and autoreloaders may call it twice).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - typing only
    from django.db.models import QuerySet

__all__ = [
    "DisclosureRecord",
    "DisclosureSource",
    "RetentionTarget",
    "SourceFile",
    "ScrubContext",
    "SourceAdapter",
    "SubjectHit",
    "SubjectQuery",
    "SubjectSearch",
    "SecrecyHook",
    "SenderMatch",
    "clear",
    "disclosure_source",
    "disclosure_sources",
    "register_disclosure_source",
    "register_retention_target",
    "register_source",
    "register_secrecy",
    "register_subject_search",
    "retention_target",
    "retention_targets",
    "secrecy_hook",
    "secrecy_hooks",
    "source",
    "sources",
    "subject_search",
    "subject_searches",
    "unregister",
]


# --- sources of documents -----------------------------------------------------------------------


@dataclass(frozen=True)
class SourceFile:
    """A stored file that belongs to a source: a picture or video of a post (``kind`` "photo", "video",
    "sticker", "link_preview", "animated_gif", "file") or a rendering of it ("evidence_pdf",
    "evidence_png", "consent_form").

    - ``key``: stable within the source ("attachment-12", "evidence-3-pdf"); a document keeps one copy per key.
    - ``label``: Swedish, for people ("Bild 1, JPEG, 34 kB").
    - ``content_type`` (sniffed from the bytes), ``size`` and ``sha256`` describe exactly the bytes ``open()``
      returns (a binary file object; the caller closes it).
    - ``version``: the source version the file belongs to, when the source has versions.

    Disclosure code lists a source's files with ``registry.source(type).files(id)`` (an item released
    directly) or ``document.files.all()`` (records.DocumentFile: the copies frozen with a registered
    document), and masks by leaving out whole files.
    """

    key: str
    kind: str
    label: str
    content_type: str
    size: int
    sha256: str
    open: Callable[[], Any] = field(compare=False, repr=False)
    version: int | None = None



@dataclass(frozen=True)
class SourceAdapter:
    """Something that can be registered as a document (handling), e.g. a moderation item.

    - ``type``: "moderation.item"; stored in ``Document.source_type``.
    - ``label``: Swedish, shown to registrars ("Inlägg/kommentar").
    - ``snapshot(id)``: a frozen copy of what is registered, a dict with the keys
      ``text, sender_name, sender_id, direction ("incoming"|"outgoing"), date (date or datetime),
      url, channel, kind, meta`` (``meta``: a dict of anything else worth keeping, JSON-serialisable)
      and optionally ``sender_kind`` (records.SenderKind: "private_person", "organisation",
      "authority", "unknown"). ``sender_name`` is the other party: the sender of an incoming
      document, the recipient of an outgoing one (never the municipality's own account).
      The registration service stores it in ``Document.content``/``content_meta`` and never asks
      again: the document must not change when the source does (or is purged).
    - ``url(id)``: a link to the source's page in Uppsikt (or None).
    - ``mark_registered(id, document)`` (optional): tells the source it is now registered (the service
      calls it inside its transaction, once the document has its number, so both commit or neither
      does). Leave it None when the source keeps nothing: records keeps the link
      (Document.source_type/source_id), and without it the number and the COMMIT share a round trip.
    - ``files(id)`` (optional): the source's stored files now, as ``SourceFile`` (pictures, evidence
      sheets). The snapshot may also carry ``"files": [SourceFile, ...]``: registration copies them into
      the document (``records.DocumentFile``) and the snapshot's text should list their SHA-256 so that
      ``Document.content_sha256`` covers them.
    """

    type: str
    label: str
    snapshot: Callable[[str], dict]
    url: Callable[[str], str | None]
    mark_registered: Callable[[str, object], None] | None = None
    files: Callable[[str], list[SourceFile]] | None = None


# --- retention (gallring) -----------------------------------------------------------------------


@dataclass(frozen=True)
class ScrubContext:
    """Why and on whose authority a scrub runs; passed to `RetentionTarget.scrub`.

    ``reason`` is "purge" (a purge list, Arkivlagen) or "erasure" (an approved GDPR art. 17
    request). Exactly one of ``purge_list_id`` / ``subject_request_id`` is set.
    """

    reason: str
    actor: Any = None  # accounts.User or None for the scheduled task
    purge_list_id: int | None = None
    subject_request_id: int | None = None
    at: datetime | None = None


@dataclass(frozen=True)
class RetentionTarget:
    """A kind of object the information management plan covers, e.g. "moderation.item".

    - ``queryset()``: all objects of this kind (the retention service filters it by
      ``<due_field>__lte`` a cutoff, ``<class_field>`` not null and not already purged).
    - ``scrub(ids, context)``: removes the personal data and content of these objects (what
      purging means for this kind: delete the rows or blank their fields, history included),
      returns how many were scrubbed. Called in batches inside the purge service's transaction;
      must be idempotent (a crashed run is resumed). Files are deleted only after the commit
      (``records.retention.services.files.delete_after_commit``).
    - ``due_field`` / ``class_field``: the names of the date field holding the purge due date and
      of the field naming the retention class on the model of ``queryset()``: a FK to
      ``records.RetentionClass`` or a CharField holding its ``code`` (moderation uses the code,
      having no FK across apps); the retention service accepts both.
    - ``held_q(keys)``: THE rule of which objects the active legal holds cover, as a ``Q`` over the
      model (``keys`` is the set of (type, id) of every hold in force); None when no hold covers any
      object of this kind. It is the only implementation of "is this on hold": the purge draft and
      execution put it in their SQL, and `records.retention.services.holds` (erasure, the pages)
      runs it as a query for a handful of ids. A hold on an author or a channel covers their items,
      a hold on a case its documents, and so on (see each target's function).
    - ``fingerprint(ids)`` (optional): {id: 64-hex hash of the state that matters}; taken when a
      purge list is drafted and compared at execution (a changed target is refused).
    - ``fingerprint_fields`` (optional; integer primary keys): the set-based path. The purge service
      then computes fingerprints in SQL (SHA-256 over these fields) when it drafts and when it
      executes, so draft and execution are a few statements per batch, not per-row Python.
      ``fingerprint`` must agree with it (it is used one object at a time).
    - ``registered(ids)`` (optional): {id: diarienummer} of those objects that are, or were copied
      into, a registered document (diarieförd handling); the GDPR erasure names the number.
    - ``describe(ids, user, request)`` (optional): {id: TargetSummary} for the purge list's rows, so
      the archivist sees what is destroyed: a text excerpt with the parts the user may not see
      masked by the owning app's secrecy helpers, its dates and a link. A constant number of queries.
    """

    type: str
    label: str
    queryset: Callable[[], QuerySet]
    scrub: Callable[[list[str], ScrubContext], int]
    due_field: str
    class_field: str
    held_q: Callable[[set[tuple[str, str]]], Any] | None = None
    fingerprint: Callable[[list[str]], dict[str, str]] | None = None
    fingerprint_fields: tuple[str, ...] = ()
    registered: Callable[[list[str]], dict[str, str]] | None = None
    describe: Callable[[list[str], Any, Any], dict[str, TargetSummary]] | None = None


@dataclass(frozen=True)
class TargetSummary:
    """What a purge-list row shows of its object: ``excerpt`` (already masked for the user; ``masked``
    says a secret part was withheld), ``dates`` as (label, date) pairs, and ``url`` of its page."""

    excerpt: str = ""
    dates: tuple[tuple[str, Any], ...] = ()
    url: str = ""
    masked: bool = False


# --- data-subject search (GDPR art. 15 and 17) ---------------------------------------------------


@dataclass(frozen=True)
class SubjectQuery:
    """What the data subject gave to be found by; empty strings are not searched."""

    platform_account: str = ""
    name: str = ""
    email: str = ""
    phone: str = ""
    personnummer: str = ""

    def is_empty(self) -> bool:
        return not any((self.platform_account, self.name, self.email, self.phone, self.personnummer))


@dataclass(frozen=True)
class SubjectHit:
    """One object that holds personal data of the subject.

    - ``label`` is non-personal (a number or reference); ``why`` says what matched ("namn",
      "plattformskonto", "personnummer i texten").
    - ``registered``: it is (or was copied into) a registered document (diarieförd handling).
    - ``public_record``: it is an allmän handling (TF 2 kap. 4 §: kept by the municipality and
      received or drawn up), registered or kept in order (OSL 5 kap. 1 §); GDPR art. 17.3 b keeps
      it from erasure until its retention class allows it to be purged (arkivlagen 10 §). False only
      for what is not a public record (staff notes that are memoranda, TF 2 kap. 12 §).
    - ``part_of``: (type, id) of the record this entry belongs to (an item version belongs to its
      item, a warning to the account record): erasure follows that record's class and holds.
    - ``source`` (art. 15.1 g) and ``recipients`` (art. 15.1 c): Swedish phrases for the extract.
    - ``held_until`` is filled by the GDPR service (``date.max`` for an open-ended hold).
    """

    type: str
    id: str
    label: str
    why: str
    held_until: date | None = None
    registered: bool = False
    url: str | None = None
    extra: dict = field(default_factory=dict, compare=False)
    public_record: bool = True
    part_of: tuple[str, str] | None = None
    source: str = ""
    recipients: tuple[str, ...] = ()


@dataclass(frozen=True)
class SubjectSearch:
    """A place a data-subject search looks: ``search(query) -> [SubjectHit]``.

    ``erase(ids, context)`` (optional) removes what the search finds when it is NOT a public record
    (``SubjectHit.public_record`` False); public records are erased only through their
    ``RetentionTarget.scrub`` and only when their class allows it.
    """

    type: str
    label: str
    search: Callable[[SubjectQuery], list[SubjectHit]]
    erase: Callable[[list[str], ScrubContext], int] | None = None


# --- secrecy that follows the information ----------------------------------------------------------


@dataclass(frozen=True)
class SenderMatch:
    """Another source that carries the same sender as a document (same account or same name).

    ``registered`` is true when a live document was registered from it (records then marks that
    document instead of registering the source again)."""

    type: str
    id: str
    label: str
    url: str | None = None
    why: str = ""


@dataclass(frozen=True)
class SecrecyHook:
    """What records cannot know about a kind of object outside it (e.g. "moderation.item").

    - ``own_parts(ids)``: {id: parts} the object's own secrecy, marked outside records (an item a
      moderator marked confidential: {"content"}; an item or account whose sender is secret:
      {"sender"}); records adds the markings of documents registered from it.
    - ``same_sender(source_id, sender)`` (optional): other objects of this type carrying the same
      sender as the document registered from ``source_id`` (None for a document not registered from
      this type) or named ``sender``; used to extend a sender marking in one step.
    """

    type: str
    own_parts: Callable[[list[str]], dict[str, set[str]]]
    same_sender: Callable[[str | None, str], list[SenderMatch]] | None = None


# --- disclosure (begäran om allmän handling, TF 2 kap.) --------------------------------------------


@dataclass(frozen=True)
class DisclosureRecord:
    """One public record as a request for public documents sees it (registered or kept in order).

    - ``label``: non-personal ("Kommentar 812 på exempelstad-facebook"); stored on the request.
    - ``kind``: Swedish ("Kommentar"); ``date``, ``direction`` ("incoming"|"outgoing").
    - ``sender``: the sender or recipient as recorded ("" when none); the part "sender".
    - ``text``: the content the review masks (the part "content"); masks are code-point offsets.
    - ``description``: a register description where the record has one (documents), else "".
    - ``meta``: further public facts printed on the released copy, e.g. (("Kanal", "..."),).
    - ``secret_parts``: {part: legal ground code} of secrecy in force on the information ("" when the
      ground is not known); the review must mask such a part or give reasons for releasing it.
    - ``attachments``: ({"index": 0, "label": "Bild (image/jpeg)"}, ...): each can be withheld whole
      (the part "attachment" with its index). The media helper fills them.
    - ``registered_as``: the document number when the record is registered ("" when kept in order).
    - ``hold``: the (type, id) a legal hold must cover so this record is not purged (a version is
      held through its item).
    """

    type: str
    id: str
    label: str
    kind: str
    date: date | datetime | None
    direction: str
    sender: str
    text: str
    description: str = ""
    public_description: str = ""
    meta: tuple[tuple[str, str], ...] = ()
    secret_parts: dict[str, str] = field(default_factory=dict)
    attachments: tuple[dict, ...] = ()
    registered_as: str = ""
    purged: bool = False
    hold: tuple[str, str] = ("", "")
    url: str | None = None


@dataclass(frozen=True)
class DisclosureSource:
    """A kind of public record a request may name (TF 2 kap.: registered or kept in order).

    - ``type``: "moderation.item"; ``key``: the name in the API's target ({"item": 812}).
    - ``load(ids)``: {id: DisclosureRecord} for the ids that exist (one batch, no query per id).
    - ``search(query, limit)`` (optional): records matching an id, a URL or a piece of text, for the
      registrar looking for what was asked for.
    - ``attachment_file(id, index)`` (optional): (filename, content type, bytes) of one attachment,
      so a released copy can carry it; None where the source has no stored copy.
    """

    type: str
    key: str
    label: str
    load: Callable[[list[str]], dict[str, DisclosureRecord]]
    search: Callable[[str, int], list[DisclosureRecord]] | None = None
    attachment_file: Callable[[str, int], tuple[str, str, bytes] | None] | None = None


# --- the registry itself ------------------------------------------------------------------------

_sources: dict[str, SourceAdapter] = {}
_retention_targets: dict[str, RetentionTarget] = {}
_subject_searches: dict[str, SubjectSearch] = {}
_secrecy_hooks: dict[str, SecrecyHook] = {}
_disclosure_sources: dict[str, DisclosureSource] = {}


def register_source(adapter: SourceAdapter) -> SourceAdapter:
    _sources[adapter.type] = adapter
    return adapter


def source(type: str) -> SourceAdapter:
    """The adapter for a source type; LookupError when nothing registered it."""
    try:
        return _sources[type]
    except KeyError:
        raise LookupError(f"Okänd källtyp för diarieföring: {type!r}") from None


def sources() -> list[SourceAdapter]:
    return list(_sources.values())


def register_retention_target(target: RetentionTarget) -> RetentionTarget:
    _retention_targets[target.type] = target
    return target


def retention_target(type: str) -> RetentionTarget:
    try:
        return _retention_targets[type]
    except KeyError:
        raise LookupError(f"Okänd gallringstyp: {type!r}") from None


def retention_targets() -> list[RetentionTarget]:
    return list(_retention_targets.values())


def register_subject_search(search: SubjectSearch) -> SubjectSearch:
    _subject_searches[search.type] = search
    return search


def subject_searches() -> list[SubjectSearch]:
    return list(_subject_searches.values())


def register_secrecy(hook: SecrecyHook) -> SecrecyHook:
    _secrecy_hooks[hook.type] = hook
    return hook


def secrecy_hook(type: str) -> SecrecyHook | None:
    return _secrecy_hooks.get(type)


def secrecy_hooks() -> list[SecrecyHook]:
    return list(_secrecy_hooks.values())


def subject_search(type: str) -> SubjectSearch | None:
    return _subject_searches.get(type)
def register_disclosure_source(source: DisclosureSource) -> DisclosureSource:
    _disclosure_sources[source.type] = source
    return source


def disclosure_source(type: str) -> DisclosureSource:
    try:
        return _disclosure_sources[type]
    except KeyError:
        raise LookupError(f"Okänd typ av allmän handling: {type!r}") from None


def disclosure_sources() -> list[DisclosureSource]:
    return list(_disclosure_sources.values())


def unregister(type: str) -> None:
    """Remove every registration of a type (for tests that register fakes)."""
    _sources.pop(type, None)
    _retention_targets.pop(type, None)
    _subject_searches.pop(type, None)
    _secrecy_hooks.pop(type, None)
    _disclosure_sources.pop(type, None)


def clear() -> None:
    """Forget everything (tests only; the apps register again only when restarted)."""
    _sources.clear()
    _retention_targets.clear()
    _subject_searches.clear()
    _secrecy_hooks.clear()
    _disclosure_sources.clear()

"""What `records` knows about the outside world: a small registry other apps fill at startup.

`records` never imports `moderation` (imports run moderation → records → accounts). Instead
`moderation` registers, in its `AppConfig.ready()`, what can be registered (diarieförs) as a
document, what the retention plan covers and where a data-subject search looks, the way models
register with the admin::

    from records import registry

    registry.register_source(registry.SourceAdapter(type="moderation.item", label="Inlägg/kommentar", ...))
    registry.register_retention_target(registry.RetentionTarget(type="moderation.item", ...))
    registry.register_subject_search(registry.SubjectSearch(type="moderation.item", ...))

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
    "RetentionTarget",
    "SourceFile",
    "ScrubContext",
    "SourceAdapter",
    "SubjectHit",
    "SubjectQuery",
    "SubjectSearch",
    "clear",
    "register_retention_target",
    "register_source",
    "register_subject_search",
    "retention_target",
    "retention_targets",
    "source",
    "sources",
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
      url, channel, kind, meta`` (``meta``: a dict of anything else worth keeping, JSON-serialisable).
      The registration service stores it in ``Document.content``/``content_meta`` and never asks
      again: the document must not change when the source does (or is purged).
    - ``url(id)``: a link to the source's page in Uppsikt (or None).
    - ``mark_registered(id, document)``: tells the source it is now registered (the service calls
      it inside its transaction, so both commit or neither does).
    - ``files(id)`` (optional): the source's stored files now, as ``SourceFile`` (pictures, evidence
      sheets). The snapshot may also carry ``"files": [SourceFile, ...]``: registration copies them into
      the document (``records.DocumentFile``) and the snapshot's text should list their SHA-256 so that
      ``Document.content_sha256`` covers them.
    """

    type: str
    label: str
    snapshot: Callable[[str], dict]
    url: Callable[[str], str | None]
    mark_registered: Callable[[str, object], None]
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
      must be idempotent (a crashed run is resumed).
    - ``due_field`` / ``class_field``: the names of the date field holding the purge due date and
      of the field naming the retention class on the model of ``queryset()``: a FK to
      ``records.RetentionClass`` or a CharField holding its ``code`` (moderation uses the code,
      having no FK across apps); the retention service accepts both.
    - ``fingerprint(ids)`` (optional): {id: 64-hex hash of the state that matters}; taken when a
      purge list is approved and compared at execution (a changed target is refused).
    - ``hold_keys(ids)`` (optional): {id: [(type, id), ...]} other targets whose legal hold also
      covers this one (an item is held by a hold on its author or its channel).
    - ``fingerprint_fields`` + ``held_q`` (optional, together; integer primary keys): the set-based
      path. The purge service then computes fingerprints in SQL (SHA-256 over these fields) when it
      drafts and when it executes, and ``held_q(hold_keys)`` returns a ``Q`` over the model that is
      true for held objects, so draft and execution are a few statements per batch, not per-row
      Python. ``fingerprint``/``hold_keys`` must agree with them (they are used one object at a time).
    """

    type: str
    label: str
    queryset: Callable[[], QuerySet]
    scrub: Callable[[list[str], ScrubContext], int]
    due_field: str
    class_field: str
    fingerprint: Callable[[list[str]], dict[str, str]] | None = None
    hold_keys: Callable[[list[str]], dict[str, list[tuple[str, str]]]] | None = None
    fingerprint_fields: tuple[str, ...] = ()
    held_q: Callable[[set[tuple[str, str]]], Any] | None = None


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

    ``label`` is non-personal (a number or reference); ``why`` says what matched ("namn",
    "plattformskonto", "personnummer i texten"); ``registered`` means it is (in) a registered
    document, which GDPR art. 17.3 b keeps from erasure; ``held_until`` is the end of a legal hold
    (``date.max`` for an open-ended hold, None when not held).
    """

    type: str
    id: str
    label: str
    why: str
    held_until: date | None = None
    registered: bool = False
    url: str | None = None
    extra: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class SubjectSearch:
    """A place a data-subject search looks: ``search(query) -> [SubjectHit]``."""

    type: str
    label: str
    search: Callable[[SubjectQuery], list[SubjectHit]]


# --- the registry itself ------------------------------------------------------------------------

_sources: dict[str, SourceAdapter] = {}
_retention_targets: dict[str, RetentionTarget] = {}
_subject_searches: dict[str, SubjectSearch] = {}


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


def unregister(type: str) -> None:
    """Remove every registration of a type (for tests that register fakes)."""
    _sources.pop(type, None)
    _retention_targets.pop(type, None)
    _subject_searches.pop(type, None)


def clear() -> None:
    """Forget everything (tests only; the apps register again only when restarted)."""
    _sources.clear()
    _retention_targets.clear()
    _subject_searches.clear()

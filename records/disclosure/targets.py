"""What a request may name: registered documents (records' own) and every source other apps register.

TF 2 kap.: any public record may be requested, registered or kept in order. Registered documents
are a built-in source here; items, their versions and public reports are registered by moderation
(`moderation.disclosure_hooks`) through `records.registry`, so records never imports moderation.
Records are loaded in batches, one query set per type (`load`), never one per target.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from accounts.errors import DomainError
from records import registry
from records.models import Document

DOCUMENT = "records.document"
PART_LABELS = {
    "sender": "avsändare/mottagare",
    "description": "beskrivning",
    "content": "innehåll",
    "attachment": "bilaga",
}


def _document_record(doc: Document) -> registry.DisclosureRecord:
    return registry.DisclosureRecord(
        type=DOCUMENT, id=str(doc.pk), label=doc.number, kind="Diarieförd handling", date=doc.date,
        direction=doc.direction, sender=doc.sender, text=doc.content, description=doc.description,
        public_description=doc.public_description,
        meta=(("Diarienummer", doc.number), ("Ärende", doc.case.number)),
        secret_parts={m.part: m.legal_ground.code for m in doc.active_markings()},
        registered_as=doc.number, purged=doc.purged_at is not None or doc.voided, hold=(DOCUMENT, str(doc.pk)),
    )


def _load_documents(ids: list[str]) -> dict[str, registry.DisclosureRecord]:
    pks = [int(i) for i in ids if str(i).isdecimal()]
    docs = Document.objects.filter(pk__in=pks).select_related("case").with_secrecy()
    return {str(d.pk): _document_record(d) for d in docs}


def _search_documents(query: str, limit: int) -> list[registry.DisclosureRecord]:
    query = (query or "").strip()
    if not query:
        return []
    qs = Document.objects.public()
    exact = list(qs.filter(number=query).values_list("pk", flat=True)[:1])
    ids = exact or list(qs.filter(number__icontains=query).order_by("number").values_list("pk", flat=True)[:limit])
    found = _load_documents([str(i) for i in ids])
    return [found[str(i)] for i in ids if str(i) in found]


DOCUMENT_SOURCE = registry.DisclosureSource(type=DOCUMENT, key="document", label="Diarieförd handling",
                                            load=_load_documents, search=_search_documents)


def sources() -> list[registry.DisclosureSource]:
    return [DOCUMENT_SOURCE, *registry.disclosure_sources()]


def source(target_type: str) -> registry.DisclosureSource:
    if target_type == DOCUMENT:
        return DOCUMENT_SOURCE
    try:
        return registry.disclosure_source(target_type)
    except LookupError as exc:
        raise DomainError(f"Okänd typ av allmän handling: {target_type}.") from exc


def source_by_key(key: str) -> registry.DisclosureSource:
    for candidate in sources():
        if candidate.key == key:
            return candidate
    raise DomainError(f"Okänd typ av allmän handling: {key}. Ange en av {', '.join(s.key for s in sources())}.")


def load(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], registry.DisclosureRecord]:
    """{(type, id): record} for the targets that exist; one batch per type."""
    by_type: dict[str, list[str]] = defaultdict(list)
    for target_type, target_id in pairs:
        by_type[target_type].append(str(target_id))
    found: dict[tuple[str, str], registry.DisclosureRecord] = {}
    for target_type, ids in by_type.items():
        for pk, record in source(target_type).load(ids).items():
            found[(target_type, pk)] = record
    return found


def load_one(target_type: str, target_id) -> registry.DisclosureRecord:
    record = load([(target_type, str(target_id))]).get((target_type, str(target_id)))
    if record is None:
        raise DomainError(f"{source(target_type).label} {target_id} finns inte.")
    return record


def parts_of(record: registry.DisclosureRecord) -> list[str]:
    """The parts of a record that can be withheld whole (attachments by index besides)."""
    parts = ["sender"] if record.sender else []
    if record.description:
        parts.append("description")
    return [*parts, "content"]


def search(query: str, limit: int = 10, types: Iterable[str] | None = None) -> list[registry.DisclosureRecord]:
    wanted = set(types) if types else None
    found: list[registry.DisclosureRecord] = []
    for candidate in sources():
        if candidate.search is None or (wanted is not None and candidate.type not in wanted):
            continue
        found += candidate.search(query, limit)
    return found[:limit]

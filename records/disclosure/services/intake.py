"""Intake: a request arrives, names what it asks for, and the targets are held at once.

- No name and no purpose are needed (TF 2 kap. 18 §). The reference `BAH-<year>-<nnnn>` comes
  from the diarium's gap-free allocator in the creating transaction.
- Any public record can be named, registered or kept in order (TF 2 kap.): documents, items,
  item versions, public reports (records.disclosure.targets).
- JO 3434-2016: from the moment a request names a record, the record is held against purging
  (a LegalHold with source "disclosure_request") until the request is closed and no appeal is
  possible; the purge service refuses held targets when a list is drafted and when it is executed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from accounts.errors import DomainError, TransitionNotAllowed
from records import registry
from records.diarium.services.numbering import number_allocate
from records.disclosure import targets as tg
from records.disclosure.models import DisclosureChannel, DisclosureItem, DisclosureRequest
from records.disclosure.notifications import notify_disclosure_received
from records.disclosure.services._common import REVIEWABLE, S, audit, human_actor, locked
from records.models import Document, LegalHoldSource, Series
from records.retention.services.holds import legal_hold_place
from records.workdays import add_working_days

REFERENCE_SERIES_CODE = "BAH"
REFERENCE_SCOPE = "bah"
Target = tuple[str, str]


def disclosure_deadline(received_at: datetime) -> datetime:
    """Arrival + the configured number of Swedish working days, keeping the local clock time
    (the municipality's measure of "skyndsamt", TF 2 kap. 15–16 §§)."""
    days = int(getattr(settings, "UPPSIKT_DISCLOSURE_DEADLINE_WORKDAYS", 1))
    return add_working_days(timezone.localtime(received_at), days)


def disclosure_overdue(queryset: models.QuerySet | None = None, now: datetime | None = None) -> models.QuerySet:
    """Requests whose deadline has passed while still unreviewed or in review."""
    qs = DisclosureRequest.objects.all() if queryset is None else queryset
    return qs.filter(status__in=REVIEWABLE, deadline_at__lt=now or timezone.now())


def disclosure_is_overdue(request: DisclosureRequest, now: datetime | None = None) -> bool:
    return (request.status in REVIEWABLE and request.deadline_at is not None
            and request.deadline_at < (now or timezone.now()))


def _reference_series() -> Series:
    series = Series.objects.filter(code=REFERENCE_SERIES_CODE).first()
    if series is not None:
        return series
    try:
        with transaction.atomic():
            return Series.objects.create(
                code=REFERENCE_SERIES_CODE, name="Begäranden om allmän handling (referensserie)",
                number_format="BAH-{year}-{number:04d}", active=False,
            )
    except IntegrityError:  # another request created it at the same moment
        return Series.objects.get(code=REFERENCE_SERIES_CODE)


def _allocate_reference(year: int) -> str:
    number = number_allocate(series=_reference_series(), year=year, scope=REFERENCE_SCOPE)
    return f"{REFERENCE_SERIES_CODE}-{year}-{number:04d}"


def _requestable(record: registry.DisclosureRecord) -> None:
    if record.purged:
        raise TransitionNotAllowed(f"{record.label} är gallrad eller makulerad och finns inte längre att lämna ut.")


def disclosure_hold_targets(*, request: DisclosureRequest, items: Iterable[DisclosureItem], actor,
                            records: dict | None = None) -> int:
    """Hold every target of `items` for this request (JO 3434-2016); a target already held by an
    active hold of this request is not held twice. Returns the number of holds placed."""
    items = [i for i in items if i.target_id]
    records = records if records is not None else tg.load((i.target_type, i.target_id) for i in items)
    held = set(request.holds.filter(released_at__isnull=True).values_list("target_type", "target_id"))
    placed = 0
    for item in items:
        record = records.get((item.target_type, item.target_id))
        if record is None or record.purged or record.hold in held:
            continue
        legal_hold_place(
            target_type=record.hold[0], target_id=record.hold[1], actor=actor,
            source=LegalHoldSource.DISCLOSURE_REQUEST, disclosure_request=request,
            reason=f"Begärd i {request.reference} (TF 2 kap.): spärrad tills begäran är avslutad och inget "
                   "överklagande längre är möjligt (JO 3434-2016).",
        )
        held.add(record.hold)
        placed += 1
    return placed


def _add_targets(request: DisclosureRequest, pairs: list[Target], actor) -> list[DisclosureItem]:
    records = tg.load(pairs)
    created = []
    for pair in pairs:
        record = records.get(pair)
        if record is None:
            raise DomainError(f"{tg.source(pair[0]).label} {pair[1]} finns inte.")
        _requestable(record)
        created.append(DisclosureItem.objects.create(
            request=request, target_type=pair[0], target_id=pair[1], label=record.label[:200],
            document_id=int(pair[1]) if pair[0] == tg.DOCUMENT else None,
        ))
    disclosure_hold_targets(request=request, items=created, actor=actor, records=records)
    return created


def _default_unit(pairs: list[Target], actor):
    doc_ids = [int(i) for t, i in pairs if t == tg.DOCUMENT]
    if doc_ids:
        unit_id = Document.objects.filter(pk__in=doc_ids, case__unit__isnull=False).values_list(
            "case__unit_id", flat=True).first()
        if unit_id:
            return unit_id
    human = human_actor(actor)
    return human.units.values_list("pk", flat=True).order_by("pk").first() if human is not None else None


@transaction.atomic
def disclosure_request_create(
    *,
    request_text: str,
    channel_in: str,
    requester_name: str = "",
    requester_contact: str = "",
    documents: Iterable[Document] = (),
    targets: Iterable[Target] = (),
    received_at: datetime | None = None,
    actor=None,
    unit=None,
) -> DisclosureRequest:
    """Register a request for public documents and hold what it names.

    Anonymous requests are valid (TF 2 kap. 18 §). Allocates the reference gap-free, sets the
    deadline from the arrival time, adds one target per named record (each once: documents and
    `targets` as (type, id) pairs) and places a legal hold on each at once (JO 3434-2016). The
    unit (whose deciding body decides for the authority) is `unit`, else the first named
    document's case unit, else the actor's unit. `actor` is None for requests from the public.
    """
    request_text = (request_text or "").strip()
    pairs = list(dict.fromkeys([(tg.DOCUMENT, str(d.pk)) for d in documents]
                               + [(str(t), str(i)) for t, i in targets]))
    if not request_text and not pairs:
        raise DomainError("Ange vilka handlingar begäran gäller.")
    if channel_in not in DisclosureChannel.values:
        raise DomainError("Okänd kanal för begäran.")
    received_at = received_at or timezone.now()
    labels = [r.label for r in tg.load(pairs).values()]
    request = DisclosureRequest.objects.create(
        reference=_allocate_reference(timezone.localtime(received_at).year),
        received_at=received_at, channel_in=channel_in,
        requester_name=(requester_name or "").strip(), requester_contact=(requester_contact or "").strip(),
        request_text=request_text or "Begärda handlingar: " + ", ".join(labels),
        deadline_at=disclosure_deadline(received_at), status=S.RECEIVED,
        unit_id=getattr(unit, "pk", unit) or _default_unit(pairs, actor), handled_by=human_actor(actor),
    )
    created = _add_targets(request, pairs, actor)
    audit(actor=actor, request=request, event="received", channel=channel_in, anonymous=not request.requester_name,
          targets=[i.label for i in created], holds=request.holds.count())
    notify_disclosure_received(request=request, actor=actor)
    return request


@transaction.atomic
def disclosure_target_add(*, request: DisclosureRequest, target_type: str, target_id, actor) -> DisclosureItem:
    """Add one named record to a request still under review, and hold it (JO 3434-2016)."""
    locked(request)
    if request.status not in REVIEWABLE:
        raise TransitionNotAllowed("Begäran är redan prövad: nya handlingar kräver en ny begäran.")
    pair = (str(target_type), str(target_id))
    if request.items.filter(target_type=pair[0], target_id=pair[1]).exists():
        raise DomainError(f"{tg.load_one(*pair).label} finns redan i begäran.")
    item = _add_targets(request, [pair], actor)[0]
    audit(actor=actor, request=request, event="target_added", item=item.pk, target=item.label)
    return item


@transaction.atomic
def disclosure_item_add(*, request: DisclosureRequest, document: Document | None = None, description: str = "",
                        actor) -> DisclosureItem:
    """Add a document (held at once), or — until the record is identified — a description of it."""
    if document is not None:
        return disclosure_target_add(request=request, target_type=tg.DOCUMENT, target_id=document.pk,
                                     actor=actor)
    locked(request)
    if request.status not in REVIEWABLE:
        raise TransitionNotAllowed("Begäran är redan prövad: nya handlingar kräver en ny begäran.")
    if not description.strip():
        raise DomainError("Ange handlingen eller beskriv vad som begärs.")
    item = DisclosureItem.objects.create(request=request, description=description.strip()[:500])
    audit(actor=actor, request=request, event="item_described", item=item.pk)
    return item

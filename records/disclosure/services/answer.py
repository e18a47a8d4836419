"""The answer to the requester: released copies and the notice of any refusal.

- A released copy holds only what the review released: masked spans are removed from the text
  (records.pdf.apply_masks), withheld parts are left out and named, in the PDF, the text and the
  JSON alike (TF 2 kap. 15–16 §§).
- A refusal, whole or partial, is told to the requester with the offer of the authority's written
  decision (OSL 6 kap. 3 §): the cover letter of every delivery carries that notice, and
  `disclosure_answer` records an answer given another way (letter, e-mail, phone, on site) and
  stores the notice as a letter.
- Secrecy marked after the review is never released by accident: a part marked since, and not
  reviewed, is withheld at delivery and recorded as a masked part with its ground, so it is named
  in the notice and the decision like any other partial refusal.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.errors import DomainError
from records import registry
from records.disclosure import letters
from records.disclosure import targets as tg
from records.disclosure.models import (
    AnswerMeans,
    DisclosureDecisionLetter,
    DisclosureItem,
    DisclosureOutcome,
    DisclosureRequest,
    LetterKind,
)
from records.disclosure.services._common import (
    REFUSED_OUTCOMES,
    RELEASED_OUTCOMES,
    S,
    actor_name,
    audit,
    ground_titles,
    human_actor,
    items_of,
    local_day_start,
    locked,
    recipient_of,
)
from records.pdf import MASK_MARKER, apply_masks, render_decision_pdf, render_text_pdf
from records.workflow import assert_action, transition

WITHHELD = "[sekretess – lämnas inte ut]"


@dataclass(frozen=True)
class DeliveredDocument:
    """What one released copy contains: only released parts, masked spans removed."""

    number: str
    outcome: str
    legal_ground: str | None
    meta: list[tuple[str, str]]
    text: str
    masked_spans: int
    withheld_parts: list[str]
    attachments: list[tuple[str, str, bytes]]

    @property
    def filename(self) -> str:
        return re.sub(r"[^A-Za-z0-9.-]+", "_", self.number).strip("_") or "handling"


def _withheld(item: DisclosureItem) -> set[str]:
    return {m["part"] if m["part"] != "attachment" else f"attachment:{m['index']}"
            for m in item.masked_parts or [] if "start" not in m}


def _late_markings(item: DisclosureItem, record: registry.DisclosureRecord, actor) -> list[str]:
    """Parts marked secret after the review (neither masked nor released on reasons): withhold them
    and record them as masks with the marking's ground, turning a release into a partial refusal."""
    masked = {m["part"] for m in item.masked_parts or []}
    late = sorted(set(record.secret_parts) - masked - set(item.released_secret_parts or []))
    if not late:
        return []
    item.masked_parts = [m for m in item.masked_parts or [] if m["part"] not in late] + [
        {"part": p, "legal_ground": record.secret_parts[p] or "sekretessmarkering"} for p in late]
    item.mask_spans = [[m["start"], m["end"]] for m in item.masked_parts if "start" in m]
    item.outcome = DisclosureOutcome.RELEASE_MASKED
    item.save(update_fields=["masked_parts", "mask_spans", "outcome"])
    return late


def _copy(item: DisclosureItem, record: registry.DisclosureRecord, titles: dict[str, str]) -> DeliveredDocument:
    withheld = _withheld(item)
    sender = WITHHELD if "sender" in withheld else (record.sender or "—")
    meta = list(record.meta) or [("Handling", record.label)]
    meta += [("Slag", record.kind), ("Inkom/upprättad", _day(record.date)),
             ("Riktning", "Inkommen" if record.direction == "incoming" else "Upprättad"),
             ("Avsändare/mottagare", sender)]
    if record.description:
        meta.append(("Beskrivning", (record.public_description or WITHHELD) if "description" in withheld
                     else record.description))
    if record.registered_as and record.type != tg.DOCUMENT:
        meta.append(("Diarieförd som", record.registered_as))
    meta.append(("Utlämnande", str(DisclosureOutcome(item.outcome).label)))
    if item.outcome == DisclosureOutcome.RELEASE_MASKED:
        meta.append(("Maskerat", letters.masked_parts_text(item, titles)))
    if "content" in withheld:
        text = "Innehållet omfattas av sekretess och lämnas inte ut."
    else:
        text = apply_masks(record.text or "", [tuple(s) for s in item.mask_spans or []])
    files = []
    source = tg.source(record.type)
    for attachment in record.attachments:
        mark = "lämnas inte ut" if f"attachment:{attachment['index']}" in withheld else "lämnas ut"
        meta.append((attachment["label"], mark))
        if mark == "lämnas ut" and source.attachment_file is not None:
            found = source.attachment_file(record.id, attachment["index"])
            if found:
                files.append(found)
    return DeliveredDocument(
        number=record.label, outcome=item.outcome,
        legal_ground=item.legal_ground.code if item.legal_ground_id else None,
        meta=meta, text=str(text), masked_spans=len(item.mask_spans or []), withheld_parts=sorted(withheld),
        attachments=files,
    )


def _day(value) -> str:
    if value is None:
        return "—"
    if hasattr(value, "hour"):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.isoformat()


def disclosure_delivery_documents(request: DisclosureRequest) -> list[DeliveredDocument]:
    """The released copies of a request (no writes; also the workbench's preview)."""
    items = [i for i in items_of(request) if i.outcome in RELEASED_OUTCOMES and i.target_id]
    records = tg.load((i.target_type, i.target_id) for i in items)
    titles = ground_titles(items)
    return [_copy(i, records[(i.target_type, i.target_id)], titles)
            for i in items if (i.target_type, i.target_id) in records]


def disclosure_refusal_notice(request: DisclosureRequest) -> str:
    """The notice of OSL 6 kap. 3 § ("" when nothing was refused or masked)."""
    items = items_of(request)
    return letters.notice_text(request, items, ground_titles(items))


def _document_pdf(request: DisclosureRequest, doc: DeliveredDocument) -> bytes:
    return render_text_pdf(title=f"Handling {doc.number}", meta=doc.meta, body=doc.text or "—",
                           footer=f"{letters.organisation()} · utlämnad kopia · {request.reference}",
                           created=timezone.localdate())


def _cover_pdf(request: DisclosureRequest, docs: list[DeliveredDocument], actor) -> bytes:
    items = items_of(request)
    titles = ground_titles(items)
    released = [f"{d.number}: {DisclosureOutcome(d.outcome).label}" for d in docs]
    sections = [("Utlämnade handlingar", released)]
    notice = letters.notice_paragraphs(request, items, titles)
    if notice:
        sections.append(("Det som inte lämnas ut", notice))
    return render_decision_pdf(
        sender_org=letters.organisation(), recipient=recipient_of(request), date=timezone.localdate(),
        reference_rows=[("Referens", request.reference)], heading="Utlämnande av allmänna handlingar",
        intro=[f"Här är kopior av de allmänna handlingar du begärt (referens {request.reference}). Maskerade "
               f"avsnitt är borttagna ur kopiorna och ersatta med {MASK_MARKER}."],
        sections=sections, signature=f"{actor_name(actor)}\n{letters.organisation()}",
    )


def _zip(request: DisclosureRequest, docs: list[DeliveredDocument]) -> bytes:
    buffer = io.BytesIO()
    stamp = timezone.localtime().timetuple()[:6]
    entries = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for doc in docs:
            pdf = _document_pdf(request, doc)
            archive.writestr(zipfile.ZipInfo(f"{doc.filename}.pdf", stamp), pdf)
            archive.writestr(zipfile.ZipInfo(f"{doc.filename}.txt", stamp), doc.text.encode("utf-8"))
            for n, (name, _type, data) in enumerate(doc.attachments, 1):
                archive.writestr(zipfile.ZipInfo(f"{doc.filename}-bilaga{n}-{name}", stamp), data)
            entries.append({"number": doc.number, "outcome": doc.outcome, "legal_ground": doc.legal_ground,
                            "masked_spans": doc.masked_spans, "withheld_parts": doc.withheld_parts,
                            "pdf": f"{doc.filename}.pdf", "text": f"{doc.filename}.txt",
                            "sha256": hashlib.sha256(pdf).hexdigest(), "metadata": dict(doc.meta)})
        refused = [i for i in items_of(request) if i.outcome == DisclosureOutcome.REFUSE]
        metadata = {
            "reference": request.reference, "organisation": letters.organisation(),
            "received_at": request.received_at.isoformat(), "delivered_at": timezone.now().isoformat(),
            "documents": entries,
            "not_released": [{"number": i.label, "outcome": i.outcome,
                              "legal_ground": i.legal_ground.code if i.legal_ground_id else None} for i in refused],
            "notice": disclosure_refusal_notice(request),
        }
        archive.writestr(zipfile.ZipInfo("metadata.json", stamp),
                         json.dumps(metadata, ensure_ascii=False, indent=2).encode("utf-8"))
    return buffer.getvalue()


def _pdf_bundle(request: DisclosureRequest, docs: list[DeliveredDocument], actor) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for part in [_cover_pdf(request, docs, actor)] + [_document_pdf(request, d) for d in docs]:
        writer.append(io.BytesIO(part))
    writer.add_metadata({"/Title": f"Utlämnade handlingar {request.reference}", "/Producer": "Uppsikt"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _mark_answered(request: DisclosureRequest, *, means: str, when) -> None:
    """decided → answered; a refusal in the answer is the notice of OSL 6 kap. 3 §."""
    fields = []
    if request.status == S.DECIDED:
        transition(request, S.ANSWERED)
        request.answered_at, request.answer_means = when, means
        fields += ["status", "answered_at", "answer_means"]
    if request.refusal_notified_at is None and request.items.filter(outcome__in=REFUSED_OUTCOMES).exists():
        request.refusal_notified_at = when
        fields.append("refusal_notified_at")
    if fields:
        request.save(update_fields=fields)


@transaction.atomic
def disclosure_deliver(*, request: DisclosureRequest, actor, format: str = "pdf") -> bytes:  # noqa: A002
    """The released copies, as one PDF (a cover letter, then each record) or as a ZIP (one PDF and one
    UTF-8 text per record, released attachments, metadata.json with outcomes, grounds, masked span
    counts and each PDF's SHA-256). The cover letter carries the notice of any refusal with the
    offer of the authority's decision (OSL 6 kap. 3 §), so a first delivery is the answer."""
    locked(request)
    if format not in {"pdf", "zip"}:
        raise DomainError("Välj PDF eller ZIP.")
    assert_action(request, "deliver", actor)
    items = [i for i in items_of(request) if i.outcome in RELEASED_OUTCOMES and i.target_id]
    records = tg.load((i.target_type, i.target_id) for i in items)
    late = {i.label: p for i in items if (p := _late_markings(i, records[(i.target_type, i.target_id)], actor))}
    docs = disclosure_delivery_documents(request)
    data = _zip(request, docs) if format == "zip" else _pdf_bundle(request, docs, actor)
    now = timezone.now()
    _mark_answered(request, means=AnswerMeans.COPIES, when=now)
    if request.delivered_at is None:
        request.delivered_at = now
        request.save(update_fields=["delivered_at"])
    audit(actor=actor, request=request, event="delivered", format=format, targets=[d.number for d in docs],
          masked_spans=sum(d.masked_spans for d in docs), withheld_after_review=late,
          sha256=hashlib.sha256(data).hexdigest())
    return data


def _store_letter(request: DisclosureRequest, kind: str, pdf: bytes, actor, document=None, suffix: str = ""):
    letter = DisclosureDecisionLetter(request=request, kind=kind, created_by=human_actor(actor),
                                      created_at=timezone.now(), sha256=hashlib.sha256(pdf).hexdigest(),
                                      document=document)
    letter.pdf.save(f"{request.reference}-{suffix or kind}.pdf", ContentFile(pdf), save=False)
    letter.save()
    return letter


@transaction.atomic
def disclosure_answer(*, request: DisclosureRequest, actor, means: str, answered_on: date | None = None
                      ) -> DisclosureRequest:
    """Record that the requester got the outcome another way than copies through Uppsikt (a letter,
    an e-mail, a phone call, on site). When anything was refused the notice of OSL 6 kap. 3 §
    (what was refused, on which ground, and the offer of the authority's decision) is stored as a
    letter to send or to keep as the record of what was said."""
    locked(request)
    if means not in AnswerMeans.values:
        raise DomainError("Ange hur sökanden fick beskedet.")
    answered_on = answered_on or timezone.localdate()
    if answered_on > timezone.localdate() or answered_on < timezone.localtime(request.received_at).date():
        raise DomainError("Dagen för beskedet måste ligga mellan dagen begäran kom in och i dag.")
    assert_action(request, "answer", actor)
    items = items_of(request)
    titles = ground_titles(items)
    notice = letters.notice_paragraphs(request, items, titles)
    letter = None
    if notice:
        pdf = render_decision_pdf(
            sender_org=letters.organisation(), recipient=recipient_of(request), date=answered_on,
            reference_rows=[("Referens", request.reference)],
            heading="Besked om din begäran att ta del av allmänna handlingar", intro=[], sections=[("Besked", notice)],
            signature=f"{actor_name(actor)}\n{letters.organisation()}",
        )
        letter = _store_letter(request, LetterKind.REFUSAL_NOTICE, pdf, actor, suffix="besked")
    when = timezone.now() if answered_on == timezone.localdate() else local_day_start(answered_on)
    _mark_answered(request, means=means, when=when)
    audit(actor=actor, request=request, event="answered", means=means, on=answered_on.isoformat(),
          notice_letter=letter.pk if letter else None)
    return request

"""The secrecy review (sekretessprövning), one target at a time, and the end of the review.

- Outcomes: release; release with masking (TF 2 kap. 15 §: what cannot be released in full is
  released in its other parts) — a partial refusal, each withheld part named with its OSL ground;
  refuse, with its OSL ground.
- Secrecy follows the information: a part under a secrecy marking in force is never released by
  default. The review masks it, or the registrar states why it can be released (a marking is a
  note; the review decides, OSL 6 kap. 2 §); a silent withholding is impossible.
- Masks are exact: a span is [start, end) in code points of the record's text, or a whole part
  (sender, description, content, an attachment by index); records.pdf.apply_masks removes the
  masked characters from every released copy.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from accounts.errors import DomainError, TransitionNotAllowed
from records import registry
from records.disclosure import targets as tg
from records.disclosure.models import DisclosureItem, DisclosureOutcome, DisclosureRequest
from records.disclosure.services._common import REFUSED_OUTCOMES, REVIEWABLE, S, audit, locked
from records.models import LegalGround
from records.workflow import assert_action, transition

OUTCOMES = (DisclosureOutcome.RELEASE, DisclosureOutcome.RELEASE_MASKED, DisclosureOutcome.REFUSE)


def _ground(value, default: LegalGround | None) -> LegalGround | None:
    if value in (None, ""):
        return default
    if isinstance(value, LegalGround):
        ground = value
    else:
        ground = LegalGround.objects.filter(code=str(value).strip()).first() or (
            LegalGround.objects.filter(pk=int(value)).first() if str(value).isdecimal() else None)
    if ground is None:
        raise DomainError(f"Okänt lagrum: {value}. Ange ett lagrum ur förteckningen, t.ex. ”OSL 26 kap. 1 §”.")
    if not ground.active:
        raise DomainError(f"Lagrummet {ground.code} är inte längre aktivt.")
    return ground


def _occurrences(text: str, needle: str) -> list[list[int]]:
    spans, start = [], text.find(needle)
    while needle and start >= 0:
        spans.append([start, start + len(needle)])
        start = text.find(needle, start + len(needle))
    return spans


def _span_entries(entry: dict, text: str) -> list[list[int]]:
    if entry.get("text") not in (None, ""):
        spans = _occurrences(text, str(entry["text"]))
        if not spans:
            raise DomainError("Den markerade texten finns inte i handlingen (den måste stå exakt som i originalet).")
        return spans
    try:
        start, end = int(entry["start"]), int(entry["end"])
    except (KeyError, TypeError, ValueError) as exc:
        raise DomainError("Ett maskerat avsnitt anges med start och slut (teckenpositioner) eller med text.") from exc
    if not 0 <= start < end <= len(text):
        raise DomainError(f"Ett maskerat avsnitt ligger utanför texten (0–{len(text)}) eller är tomt.")
    return [[start, end]]


def _merge(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Overlapping or touching spans become one; their grounds are joined."""
    merged: list[list] = []
    for start, end, code in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            if code not in merged[-1][2].split("; "):
                merged[-1][2] = f"{merged[-1][2]}; {code}"
        else:
            merged.append([start, end, code])
    return [tuple(m) for m in merged]


def normalise_masked_parts(parts: Sequence, record: registry.DisclosureRecord,
                           default: LegalGround | None) -> list[dict]:
    """Check and normalise masks against the record; every mask gets a legal ground (its own or
    `default`). Accepts "sender" or {"part": "sender"}; {"part": "content", "start", "end"} or
    {"part": "content", "text": "…"} (every occurrence); {"part": "attachment", "index": n}."""
    whole: dict[str, dict] = {}
    spans: list[tuple[int, int, str]] = []
    allowed = tg.parts_of(record)
    for raw in parts or []:
        entry = {"part": raw} if isinstance(raw, str) else dict(raw or {})
        part = entry.get("part") or ("content" if ("start" in entry or "text" in entry) else "")
        ground = _ground(entry.get("legal_ground"), default)
        if ground is None:
            raise DomainError("Ange lagrum (bestämmelse i OSL) för den maskerade delen "
                              f"({tg.PART_LABELS.get(part, part)}).")
        if part == "attachment":
            index = entry.get("index")
            if not isinstance(index, int) or not any(a.get("index") == index for a in record.attachments):
                raise DomainError("Bilagan finns inte i handlingen.")
            whole[f"attachment:{index}"] = {"part": "attachment", "index": index, "legal_ground": ground.code}
        elif part == "content" and ("start" in entry or "text" in entry):
            spans += [(s, e, ground.code) for s, e in _span_entries(entry, record.text or "")]
        elif part in allowed:
            whole[part] = {"part": part, "legal_ground": ground.code}
        else:
            raise DomainError(f"Okänd del att maskera: {part!r}. Välj bland {', '.join(allowed)} eller en bilaga.")
    if "content" in whole:
        spans = []  # the whole content is withheld; spans inside it say nothing more
    merged = [{"part": "content", "start": s, "end": e, "legal_ground": c} for s, e, c in _merge(spans)]
    return [*whole.values(), *merged]


def covered_parts(masked: list[dict]) -> set[str]:
    """Parts a mask touches (a span in the content covers the content's marking: the registrar
    reviewed that text and released the rest)."""
    return {m["part"] for m in masked}


def _check_secret_parts(record, masked: list[dict], reasoning: str) -> list[str]:
    """Secret parts left unmasked need a stated reason (returned as released); else refused."""
    uncovered = sorted(set(record.secret_parts) - covered_parts(masked))
    if uncovered and not reasoning.strip():
        names = ", ".join(f"{tg.PART_LABELS.get(p, p)} ({record.secret_parts[p] or 'sekretessmarkerad'})"
                          for p in uncovered)
        raise TransitionNotAllowed(
            f"{record.label}: {names} är sekretessmarkerad men inte maskerad. Maskera delen eller ange i "
            "motiveringen varför uppgiften ändå kan lämnas ut (sekretessprövning, OSL 6 kap. 2 §)."
        )
    return uncovered


@transaction.atomic
def disclosure_review(
    *,
    item: DisclosureItem,
    outcome: str,
    actor,
    legal_ground: LegalGround | str | None = None,
    masked_parts: Sequence = (),
    mask_spans: Sequence = (),
    reasoning: str = "",
    note: str = "",
) -> DisclosureItem:
    """Record the secrecy review of one target of a request still under review.

    release: nothing is withheld (parts marked secret need `reasoning`). release_masked: at least
    one mask, each with a ground (its own or `legal_ground`). refuse: needs `legal_ground`.
    `mask_spans` ([start, end] pairs in the content) is shorthand for content masks. The request
    moves to "in review"; a request whose review is ended is never re-reviewed (a decision is
    never edited; an overturned appeal reopens it).
    """
    request = locked(item.request)
    if request.status not in REVIEWABLE:
        raise TransitionNotAllowed(f"Prövningen av begäran {request.reference} är avslutad och kan inte ändras.")
    if outcome not in OUTCOMES:
        raise DomainError("Välj lämnas ut, lämnas ut med maskering eller lämnas inte ut.")
    if not item.target_id:
        raise DomainError("Ange först vilken handling som begärs.")
    record = tg.load_one(item.target_type, item.target_id)
    if record.purged:
        raise TransitionNotAllowed(f"{record.label} är gallrad och kan inte lämnas ut.")
    ground = _ground(legal_ground, None)
    reasoning = (reasoning or "").strip()
    masks = [*(masked_parts or []), *({"part": "content", "start": s, "end": e} for s, e in (mask_spans or []))]
    released_secret: list[str] = []
    if outcome == DisclosureOutcome.REFUSE:
        if ground is None:
            raise DomainError("Ange lagrum (bestämmelse i OSL) för avslaget.")
        if masks:
            raise DomainError("Vid avslag lämnas inget ut: ange inga maskerade delar.")
        normalised: list[dict] = []
    else:
        normalised = normalise_masked_parts(masks, record, ground) if outcome != DisclosureOutcome.RELEASE else []
        if outcome == DisclosureOutcome.RELEASE and masks:
            raise DomainError("Att lämna ut med maskering är ett eget utfall: välj ”lämnas ut med maskering”.")
        if outcome == DisclosureOutcome.RELEASE_MASKED and not normalised:
            raise DomainError("Markera minst en del eller ett avsnitt som ska maskeras.")
        released_secret = _check_secret_parts(record, normalised, reasoning)
        if ground is None and normalised:
            ground = _ground(normalised[0]["legal_ground"].split("; ")[0], None)
    item.outcome = outcome
    item.legal_ground = ground if outcome in REFUSED_OUTCOMES else None
    item.masked_parts = normalised
    item.mask_spans = [[m["start"], m["end"]] for m in normalised if "start" in m]
    item.released_secret_parts = released_secret
    item.reasoning, item.note = reasoning, (note or "").strip()
    item.reviewed_by, item.reviewed_at = actor, timezone.now()
    item.label = record.label[:200]
    item.save()
    if request.status == S.RECEIVED:
        transition(request, S.IN_REVIEW)
        request.handled_by = request.handled_by or actor
        request.save(update_fields=["status", "handled_by"])
    audit(actor=actor, request=request, event="reviewed", item=item.pk, target=item.label, outcome=outcome,
          legal_ground=ground.code if ground and outcome in REFUSED_OUTCOMES else None,
          masked_parts=[m["part"] for m in normalised], released_secret_parts=released_secret)
    return item


@transaction.atomic
def disclosure_decide(*, request: DisclosureRequest, actor) -> DisclosureRequest:
    """End the official's review: every target has an outcome. What is released can then be
    delivered; a refusal (whole or partial) must be told to the requester with the offer of the
    authority's decision (OSL 6 kap. 3 §) before the request can be closed. The holds placed at
    intake stay (JO 3434-2016)."""
    locked(request)
    assert_action(request, "decide", actor)
    transition(request, S.DECIDED)
    request.decided_at = timezone.now()
    request.handled_by = request.handled_by or actor
    request.save(update_fields=["status", "decided_at", "handled_by"])
    audit(actor=actor, request=request, event="decided",
          outcomes={i.label or str(i.pk): i.outcome for i in request.items.all()})
    return request

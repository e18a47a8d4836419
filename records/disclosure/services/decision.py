"""The authority's decision (myndighetens beslut), its registration, the appeal window and appeals.

- OSL 6 kap. 3 §: after an official's refusal (whole or partial) the requester may at any time ask
  for the authority's written decision, and it must be issued — also after the request was
  closed: asking reopens the request and holds its records again (JO 3434-2016).
- The decision states every target's outcome with its provisions, the reasoning
  (förvaltningslagen 32 §), the deciding body and the delegation it acts under (configured per
  unit), and how to appeal (förvaltningslagen 33 §; TF 2 kap. 19 §, OSL 6 kap. 7–8 §§: to the
  kammarrätt, lodged with the authority within three weeks of receiving it, förvaltningslagen 44 §).
- The decision is registered (diariefört) as an outgoing document: in the request's own case
  (opened in the configured series the first time, with the request registered as its incoming
  document) or in the configured collection case; its number comes from the diarium's allocator.
- The appeal window runs from the day the requester received the decision, which the registrar
  records; until then it counts as open. An appeal keeps the records held until the judgment has
  gained legal force (recorded with `disclosure_appeal_close`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.errors import DomainError, TransitionNotAllowed
from records.diarium.services.cases import case_open, case_reopen
from records.diarium.services.registration import document_register
from records.disclosure import guards, letters
from records.disclosure.models import (
    AppealStatus,
    CloseReason,
    DisclosureDecisionLetter,
    DisclosureOutcome,
    DisclosureRequest,
    LetterKind,
)
from records.disclosure.services._common import (
    REFUSED_OUTCOMES,
    S,
    actor_name,
    audit,
    ground_titles,
    items_of,
    locked,
    recipient_of,
    require_text,
)
from records.disclosure.services.answer import _store_letter
from records.disclosure.services.close import release_holds
from records.disclosure.services.intake import disclosure_hold_targets
from records.models import Case, CaseStatus, Direction, Document, RegistrationReason
from records.pdf import render_decision_pdf
from records.workflow import assert_action, transition

REQUEST_SOURCE = "records.disclosurerequest"
DECISION_HEADING = "Beslut om utlämnande av allmänna handlingar"


def disclosure_appeal_window_end(request: DisclosureRequest) -> date | None:
    """The last day an appeal can arrive in time (three weeks from receipt, förvaltningslagen 44 §,
    and a week's margin); None while the day of receipt is not recorded."""
    return guards.appeal_window_end(request)


def disclosure_decision_letter(request: DisclosureRequest) -> DisclosureDecisionLetter | None:
    return request.letters.filter(kind=LetterKind.REFUSAL_DECISION).order_by("-created_at", "-id").first()


@transaction.atomic
def disclosure_decision_request(*, request: DisclosureRequest, actor, requested_on: date | None = None
                                ) -> DisclosureRequest:
    """Record that the requester asked for the authority's decision (any time, OSL 6 kap. 3 §). On a
    closed request this reopens it and holds its records again until no appeal is possible."""
    locked(request)
    requested_on = requested_on or timezone.localdate()
    if requested_on > timezone.localdate():
        raise DomainError("Dagen då sökanden begärde beslutet kan inte ligga i framtiden.")
    assert_action(request, "request_decision", actor)
    reopened = request.status == S.CLOSED
    transition(request, S.DECISION_REQUESTED)
    request.decision_requested_on = requested_on
    if reopened:  # the earlier closing stays in the history
        request.closed_at, request.close_reason, request.close_note = None, "", ""
    request.save(update_fields=["status", "decision_requested_on", "closed_at", "close_reason", "close_note"])
    holds = disclosure_hold_targets(request=request, items=items_of(request), actor=actor) if reopened else 0
    audit(actor=actor, request=request, event="decision_requested", on=requested_on.isoformat(), reopened=reopened,
          holds=holds)
    return request


def _case_for(request: DisclosureRequest, setting, actor) -> Case:
    """The case the decision is registered in (see the module docstring); opened or reopened here."""
    if setting.case_id is not None:
        case = setting.case
        if case.status != CaseStatus.OPEN:
            raise TransitionNotAllowed(f"Samlingsärendet {case.number} är avslutat: öppna det eller välj ett annat "
                                       "under Beslutsinstans.")
    elif request.case_id is not None:
        case = request.case
        if case.status == CaseStatus.CLOSED:
            case = case_reopen(case=case, actor=actor)
        elif case.status != CaseStatus.OPEN:
            raise TransitionNotAllowed(f"Ärendet {case.number} är levererat till e-arkivet och kan inte ta emot "
                                       "fler handlingar.")
    else:
        case = case_open(series=setting.series, title=f"Begäran om allmän handling {request.reference}",
                         unit=request.unit, actor=actor)
    if request.case_id != case.pk:
        request.case = case
        request.save(update_fields=["case"])
    return case


def _register_request(request: DisclosureRequest, case: Case, actor) -> None:
    """The request itself is an incoming document of its case (registered once)."""
    if Document.objects.from_source(REQUEST_SOURCE, request.pk).filter(voided=False).exists():
        return
    document_register(
        case=case, direction=Direction.INCOMING, date=timezone.localtime(request.received_at).date(),
        sender=request.requester_name,
        description=f"Begäran om att ta del av allmänna handlingar ({request.reference})",
        reason=RegistrationReason.ADDS_TO_CASE, actor=actor, content=request.request_text,
        content_meta={"disclosure_request": request.reference}, source_type=REQUEST_SOURCE, source_id=str(request.pk),
        sender_is_private_person=True,
    )


@transaction.atomic
def disclosure_decision_issue(*, request: DisclosureRequest, actor, reasoning: str,
                              requested_on: date | None = None) -> DisclosureDecisionLetter:
    """Issue the authority's decision on a request whose requester asked for it (asking is recorded
    first when it was not). Writes the decision letter (PDF), registers it as an outgoing document in
    the request's case, and moves the request to "decision issued"; the records stay held."""
    locked(request)
    if request.status != S.DECISION_REQUESTED:
        disclosure_decision_request(request=request, actor=actor, requested_on=requested_on)
    reasoning = require_text(reasoning, "Ange skälen för beslutet (förvaltningslagen 32 §).")
    assert_action(request, "issue_decision", actor)
    setting = guards.decision_setting_for(request)
    case = _case_for(request, setting, actor)
    _register_request(request, case, actor)
    if request.appeal_status in (AppealStatus.UPHELD, AppealStatus.OVERTURNED):
        transition(request, AppealStatus.NONE, field="appeal_status")
    items = items_of(request)
    titles = ground_titles(items)
    decider = actor_name(actor)
    sections = letters.decision_sections(request=request, items=items, titles=titles, setting=setting,
                                         decider=decider, reasoning=reasoning)
    refused = [i for i in items if i.outcome in REFUSED_OUTCOMES]
    outcome = "avslag" if all(i.outcome == DisclosureOutcome.REFUSE for i in items) else "delvis avslag"
    document = document_register(
        case=case, direction=Direction.OUTGOING, date=timezone.localdate(), sender=request.requester_name,
        description=f"Beslut om utlämnande av allmänna handlingar, {outcome} ({request.reference})",
        reason=RegistrationReason.ADDS_TO_CASE, actor=actor, content=letters.sections_text(DECISION_HEADING, sections),
        sender_is_private_person=True,
        content_meta={"disclosure_request": request.reference, "kind": LetterKind.REFUSAL_DECISION},
    )
    pdf = render_decision_pdf(
        sender_org=letters.organisation(), recipient=recipient_of(request), date=timezone.localdate(),
        reference_rows=[("Diarienummer", document.number), ("Er begäran", request.reference)],
        heading=DECISION_HEADING, intro=[], sections=[(s.heading, s.paragraphs) for s in sections],
        signature=f"{decider}\n{setting.delegate_title}\n{setting.deciding_body}",
    )
    letter = _store_letter(request, LetterKind.REFUSAL_DECISION, pdf, actor, document=document, suffix="beslut")
    transition(request, S.DECISION_ISSUED)
    request.decision_issued_at, request.decision_notified_on = timezone.now(), None
    request.save(update_fields=["status", "decision_issued_at", "decision_notified_on", "appeal_status"])
    audit(actor=actor, request=request, event="decision_issued", letter=letter.pk, document=document.number,
          sha256=letter.sha256, refused=[i.label for i in refused], deciding_body=setting.deciding_body)
    return letter


@transaction.atomic
def disclosure_decision_notified(*, request: DisclosureRequest, actor, notified_on: date) -> DisclosureRequest:
    """Record the day the requester received the decision: the three weeks of förvaltningslagen 44 §
    run from it (`disclosure_appeal_window_end`)."""
    locked(request)
    if not isinstance(notified_on, date):
        raise DomainError("Ange dagen då sökanden fick del av beslutet.")
    issued = timezone.localtime(request.decision_issued_at).date() if request.decision_issued_at else None
    if notified_on > timezone.localdate() or (issued and notified_on < issued):
        raise DomainError("Dagen då sökanden fick beslutet ska ligga mellan beslutsdagen och i dag.")
    assert_action(request, "decision_notified", actor)
    transition(request, S.APPEAL_WINDOW)
    request.decision_notified_on = notified_on
    request.save(update_fields=["status", "decision_notified_on"])
    audit(actor=actor, request=request, event="decision_notified", on=notified_on.isoformat(),
          appeal_window_end=disclosure_appeal_window_end(request).isoformat())
    return request


@transaction.atomic
def disclosure_appeal_register(*, request: DisclosureRequest, received_at: datetime, actor) -> DisclosureRequest:
    """Register an appeal of the authority's decision (TF 2 kap. 19 §). The records stay held until
    the judgment has gained legal force. A late appeal is registered too (the authority then
    dismisses it, förvaltningslagen 45 §); the audit notes that it came late."""
    locked(request)
    assert_action(request, "appeal", actor, field="appeal_status")
    end = disclosure_appeal_window_end(request)
    late = end is not None and timezone.localtime(received_at).date() > end - timedelta(days=guards.APPEAL_MARGIN_DAYS)
    transition(request, AppealStatus.PENDING, field="appeal_status")
    request.appeal_received_at = received_at
    request.save(update_fields=["appeal_status", "appeal_received_at"])
    audit(actor=actor, request=request, event="appeal_registered", late=late)
    return request


@transaction.atomic
def disclosure_appeal_close(*, request: DisclosureRequest, outcome: str, actor) -> DisclosureRequest:
    """Record the court's judgment once it has gained legal force. "upheld": the decision stands, the
    request is closed and its holds released. "overturned": the refused and masked targets go back
    to review so the registrar can release them as the court ruled (the records stay held)."""
    locked(request)
    if outcome not in (AppealStatus.UPHELD, AppealStatus.OVERTURNED):
        raise DomainError("Ange om beslutet står fast eller har ändrats.")
    assert_action(request, "uphold" if outcome == AppealStatus.UPHELD else "overturn", actor, field="appeal_status")
    transition(request, outcome, field="appeal_status")
    released = 0
    if outcome == AppealStatus.UPHELD:
        transition(request, S.CLOSED)
        request.closed_at, request.close_reason = timezone.now(), CloseReason.COMPLETED
        request.close_note = "Domstolens avgörande har vunnit laga kraft: myndighetens beslut står fast."
        released = release_holds(request=request, actor=actor, reason=request.close_note)
    else:
        transition(request, S.IN_REVIEW)
        request.items.filter(outcome__in=REFUSED_OUTCOMES).update(
            outcome=DisclosureOutcome.PENDING, masked_parts=[], mask_spans=[], released_secret_parts=[])
        request.refusal_notified_at = request.answered_at = None
        request.decision_requested_on = request.decision_notified_on = None
        request.decided_at = None
    request.save()
    audit(actor=actor, request=request, event="appeal_closed", outcome=outcome, holds_released=released)
    return request

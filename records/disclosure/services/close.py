"""Closing a request, and releasing its holds.

A request is closed with a recorded reason and explanation. It is refused (records.disclosure.
guards.closable) while an appeal is pending, while the appeal window of the authority's decision is
open, and until every refusal has been told to the requester with the offer of the authority's
decision (OSL 6 kap. 3 §). "Handled" needs the answer to have been given; a request that was
never answered can be closed only as withdrawn, a duplicate or for another stated reason. Closing
releases the holds (JO 3434-2016: held until the request is closed and no appeal is possible) and
closes the request's own case. An official's refusal never gains legal force: the requester may
still ask for the authority's decision, which reopens the request (decision.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from accounts.errors import DomainError, TransitionNotAllowed
from records.disclosure.models import CloseReason, DisclosureRequest
from records.disclosure.services._common import S, audit, locked, require_text
from records.retention.services.holds import legal_hold_release
from records.workflow import assert_action, transition

ANSWERED = frozenset({S.ANSWERED, S.APPEAL_WINDOW})


def release_holds(*, request: DisclosureRequest, actor, reason: str, sources: Iterable[str] | None = None) -> int:
    """Release this request's active holds (each kept with who, when and why)."""
    holds = request.holds.filter(released_at__isnull=True)
    if sources is not None:
        holds = holds.filter(source__in=list(sources))
    count = 0
    for hold in holds:
        legal_hold_release(hold=hold, actor=actor, reason=reason)
        count += 1
    return count


def _close_own_case(request: DisclosureRequest, actor) -> None:
    from records.diarium.services.cases import case_close
    from records.disclosure.guards import decision_setting_for
    from records.models import CaseStatus

    setting = decision_setting_for(request)
    case = request.case
    if case is not None and case.status == CaseStatus.OPEN and (setting is None or setting.case_id != case.pk):
        case_close(case=case, actor=actor)


@transaction.atomic
def disclosure_close(*, request: DisclosureRequest, actor, reason: str, note: str) -> DisclosureRequest:
    """Close a request (see the module docstring for when the law allows it)."""
    locked(request)
    if reason not in CloseReason.values:
        raise DomainError("Välj skäl för att avsluta begäran.")
    note = require_text(note, "Skriv varför begäran avslutas.")
    assert_action(request, "close", actor)
    if reason == CloseReason.COMPLETED and request.status not in ANSWERED:
        raise TransitionNotAllowed("Begäran kan avslutas som handlagd först när sökanden har fått besked: lämna ut "
                                   "kopiorna eller registrera beskedet. Avslutas den av annat skäl, välj det skälet.")
    transition(request, S.CLOSED)
    request.closed_at, request.close_reason, request.close_note = timezone.now(), reason, note
    request.save(update_fields=["status", "closed_at", "close_reason", "close_note"])
    released = release_holds(request=request, actor=actor,
                             reason=f"Begäran {request.reference} är avslutad ({CloseReason(reason).label.lower()}) "
                                    "och inget överklagande är möjligt.")
    _close_own_case(request, actor)
    audit(actor=actor, request=request, event="closed", reason=reason, holds_released=released)
    return request

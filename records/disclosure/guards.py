"""What the law asks before a request for public documents may move on: the guards of its workflow.

Each guard answers a Swedish reason naming the rule when the action is not possible now, else
None (records.workflow calls them with the request and the user). Reads only: no writes here.

- Closing (OSL 6 kap. 3 §, TF 2 kap. 19 §, förvaltningslagen 44 §, JO 3434-2016): refused while an
  appeal is pending, while the appeal window of the authority's decision is open, and until every
  refusal — whole or partial (a masked release withholds parts, so it is a partial refusal) — has
  been told to the requester with the offer of the authority's written decision.
- The authority's decision exists only where something was refused, and needs a deciding body and
  delegation configured for the request's unit (förvaltningslagen 32 §: the decision says who took it).
- An appeal can be registered only against the authority's decision (TF 2 kap. 19 §; an official's
  refusal cannot be appealed and never gains legal force).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from django.utils.formats import date_format

from records.disclosure.models import (
    AppealStatus,
    DisclosureDecisionSetting,
    DisclosureOutcome,
    DisclosureRequest,
    DisclosureStatus,
)

# Förvaltningslagen 44 §: an appeal must reach the authority within three weeks from the day the
# requester received the decision. A week's margin covers an appeal posted on the last day and one
# lodged in time with the kammarrätt itself (förvaltningslagen 45 § 2 st.), which is forwarded to us.
APPEAL_WEEKS = 3
APPEAL_MARGIN_DAYS = 7
REFUSED = (DisclosureOutcome.REFUSE, DisclosureOutcome.RELEASE_MASKED)
RELEASED = (DisclosureOutcome.RELEASE, DisclosureOutcome.RELEASE_MASKED)


def appeal_window_end(request: DisclosureRequest) -> date | None:
    """The last day an appeal of the authority's decision can arrive (margin included); None until
    the day the requester received the decision is recorded (the window cannot be computed, so it
    counts as open)."""
    if request.decision_notified_on is None:
        return None
    return request.decision_notified_on + timedelta(weeks=APPEAL_WEEKS, days=APPEAL_MARGIN_DAYS)


def decision_setting_for(request: DisclosureRequest) -> DisclosureDecisionSetting | None:
    """The unit's deciding body and delegation, else the default (the row without a unit). Uses the
    value `prefetch_decision_settings` put on the request, so a list costs one query, not one a row."""
    if hasattr(request, "prefetched_decision_setting"):
        return request.prefetched_decision_setting
    qs = DisclosureDecisionSetting.objects.select_related("series", "case")
    found = qs.filter(unit_id=request.unit_id).first() if request.unit_id else None
    return found or qs.filter(unit__isnull=True).first()


def prefetch_decision_settings(requests) -> None:
    settings = {s.unit_id: s for s in DisclosureDecisionSetting.objects.select_related("series", "case")}
    for request in requests:
        request.prefetched_decision_setting = settings.get(request.unit_id) or settings.get(None)


def _outcomes(request: DisclosureRequest) -> list[str]:
    # items.all() uses a prefetch when the caller made one (the API list), else one query.
    return [i.outcome for i in request.items.all()]


def has_refusal_outcome(request: DisclosureRequest) -> bool:
    return any(o in REFUSED for o in _outcomes(request))


def all_reviewed(request: DisclosureRequest, user) -> str | None:
    outcomes = _outcomes(request)
    if not outcomes:
        return "Begäran saknar begärda handlingar att pröva: lägg till dem först."
    pending = sum(1 for o in outcomes if o == DisclosureOutcome.PENDING)
    if pending:
        return (f"Alla begärda handlingar måste prövas innan prövningen avslutas ({pending} av {len(outcomes)} "
                "återstår).")
    return None


def has_release(request: DisclosureRequest, user) -> str | None:
    if any(o in RELEASED for o in _outcomes(request)):
        return None
    return "Inget lämnas ut i denna begäran: det finns inga kopior att lämna ut."


def has_refusal(request: DisclosureRequest, user) -> str | None:
    if has_refusal_outcome(request):
        return None
    return ("Inget har avslagits eller maskerats: det finns inget avslag för myndigheten att pröva "
            "(OSL 6 kap. 3 §).")


def decision_configured(request: DisclosureRequest, user) -> str | None:
    setting = decision_setting_for(request)
    if setting is None:
        return ("Ingen beslutsinstans är angiven för utlämnande: ange beslutsinstans och delegation under "
                "Begäran om handling → Beslutsinstans innan myndighetens beslut fattas (förvaltningslagen 32 §).")
    if setting.case_id is None and setting.series_id is None:
        return ("Beslutet ska diarieföras men ingen diarieserie eller samlingsärende är vald för "
                f"{setting.deciding_body}: välj en under Begäran om handling → Beslutsinstans.")
    return has_refusal(request, user)


def closable(request: DisclosureRequest, user) -> str | None:
    if request.appeal_status == AppealStatus.PENDING:
        return ("Ett överklagande väntar på domstolens avgörande (TF 2 kap. 19 §): handlingarna ska finnas kvar "
                "och begäran kan inte avslutas (JO 3434-2016).")
    if request.status == DisclosureStatus.APPEAL_WINDOW:
        end = appeal_window_end(request)
        if end is not None and timezone.localdate() <= end:
            return (f"Tiden för att överklaga myndighetens beslut löper till och med {date_format(end, 'j F Y')} "
                    "(tre veckor från att sökanden fick beslutet, förvaltningslagen 44 §, och en veckas marginal): "
                    "begäran kan inte avslutas än.")
    # A refusal exists for the requester once the review is ended (decided); a request still under
    # review can be closed (withdrawn, a duplicate) without one ever having been made.
    reviewing = request.status in (DisclosureStatus.RECEIVED, DisclosureStatus.IN_REVIEW)
    if (not reviewing and has_refusal_outcome(request) and request.refusal_notified_at is None
            and request.decision_issued_at is None):
        return ("Sökanden har inte fått besked om avslaget med upplysning om att myndighetens skriftliga, "
                "överklagbara beslut kan begäras (OSL 6 kap. 3 §): registrera beskedet innan begäran avslutas.")
    return None


def appealable(request: DisclosureRequest, user) -> str | None:
    if request.status in (DisclosureStatus.DECISION_ISSUED, DisclosureStatus.APPEAL_WINDOW):
        return None
    return ("Det finns inget beslut av myndigheten att överklaga: bara myndighetens skriftliga beslut kan "
            "överklagas (TF 2 kap. 19 §, OSL 6 kap. 7 §).")

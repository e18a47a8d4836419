"""Cases (ärenden): open, close, reopen; their numbers come from numbering (taken at the end of the unit)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.errors import DomainError
from accounts.models import AuditAction
from accounts.services import audit_record
from records.diarium.services.numbering import pending_case, registration_unit
from records.models import Case, CaseStatus, Series
from records.workflow import assert_action, transition


def case_open(
    *,
    series: Series,
    title: str,
    public_title: str = "",
    unit=None,
    responsible=None,
    classification_code: str = "",
    actor,
    opened_at: date | None = None,
) -> Case:
    """Open a new case with the next number of its series in the year it is opened.

    Guarantees: the number is taken at the end of the registration unit (numbering.numbers_deferred),
    in this transaction: rolled back with it, no gap. Inside a caller's unit the returned case has its
    number only once that unit ends.
    """
    title = (title or "").strip()
    if not title:
        raise DomainError("Ange en ärendemening.")
    if not series.active:
        raise DomainError(f"Diarieserien {series.code} är inte aktiv.")
    opened_at = opened_at or timezone.localdate()
    with registration_unit():
        case = Case(
            series=series,
            year=opened_at.year,
            title=title[:500],
            public_title=(public_title or "").strip()[:500],
            unit=unit if unit is not None else series.unit,
            responsible=responsible,
            classification_code=classification_code or "",
            opened_at=opened_at,
        )
        case.skip_history_when_saving = True  # the history row is written with the number
        case.save()
        del case.skip_history_when_saving
        pending_case(case, actor=actor, detail={"operation": "case_open"}, action=AuditAction.CASE_OPENED)
    return case


def case_close(*, case: Case, actor) -> Case:
    """Close an open case (avsluta)."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        assert_action(case, "close", actor)
        transition(case, CaseStatus.CLOSED)
        case.closed_at = timezone.localdate()
        case.save(update_fields=["status", "closed_at"])
        audit_record(actor=actor, action=AuditAction.CASE_CLOSED, target=case, detail={"operation": "case_close"})
    return case


def case_reopen(*, case: Case, actor) -> Case:
    """Reopen a closed case (not one delivered to the e-archive)."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        assert_action(case, "reopen", actor)
        transition(case, CaseStatus.OPEN)
        case.closed_at = None
        case.save(update_fields=["status", "closed_at"])
        audit_record(actor=actor, action=AuditAction.CASE_REOPENED, target=case,
                     detail={"operation": "case_reopen"})
    return case


def running_case_current(reason: str, on: date | None = None) -> Case | None:
    """The running case for a registration reason if it exists and is usable now (open, this year); no writes."""
    from records.models import RegistrationSetting

    year = (on or timezone.localdate()).year
    setting = RegistrationSetting.objects.filter(reason=reason).select_related("running_case").first()
    case = setting.running_case if setting else None
    if case is not None and case.status == CaseStatus.OPEN and case.year == year:
        return case
    return None


def running_case_for(*, reason: str, actor, on: date | None = None) -> Case:
    """The running case registrations for `reason` go to: the setting's case while it is open and of this
    year, else a new one opened in the setting's series with its title for the year (e.g. "Raderade
    kommentarer på kommunens sociala medier 2027"), remembered on the setting.

    Guarantees: two registrars at the turn of the year get the same new case (the setting row is locked
    while it is chosen); DomainError when the reason has no running case configured.
    """
    from records.models import RegistrationSetting

    today = on or timezone.localdate()
    found = running_case_current(reason, today)
    if found is not None:
        return found
    with transaction.atomic():
        setting = (RegistrationSetting.objects.select_for_update(of=("self",))
                   .select_related("running_case", "default_series").filter(reason=reason).first())
        if setting is None or not setting.running_case_title or setting.default_series is None:
            raise DomainError("Skälet har inget löpande ärende: välj ett ärende eller öppna ett nytt.")
        case = setting.running_case
        if case is not None and case.status == CaseStatus.OPEN and case.year == today.year:
            return case  # another registrar opened it while we waited for the lock
        case = case_open(series=setting.default_series, title=setting.running_title(today.year), actor=actor,
                         opened_at=today)
        setting.running_case = case
        setting.save(update_fields=["running_case"])
    return case

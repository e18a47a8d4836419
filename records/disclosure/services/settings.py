"""The deciding body and delegation per unit (förvaltningslagen 32 §: a decision says who took it)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from accounts.errors import DomainError
from accounts.models import AuditAction
from accounts.services import audit_record
from records.disclosure.models import DisclosureDecisionSetting

FIELDS = ("unit", "deciding_body", "delegation", "delegate_title", "appeal_court", "series", "case")


def disclosure_setting_save(*, setting: DisclosureDecisionSetting | None, actor, unit, deciding_body: str,
                            delegation: str = "", delegate_title: str = "registrator",
                            appeal_court: str = "kammarrätten", series=None, case=None) -> DisclosureDecisionSetting:
    """Create or change one unit's (or the default) deciding body. Guarantees: a deciding body is
    named; the decision can be registered (a series or a collection case); at most one row per unit
    and one default; audited, and the history keeps every version."""
    deciding_body = (deciding_body or "").strip()
    if not deciding_body:
        raise DomainError("Ange beslutsinstans, t.ex. Kommunstyrelsen.")
    if series is None and case is None:
        raise DomainError("Välj en diarieserie eller ett samlingsärende: myndighetens beslut ska diarieföras.")
    setting = setting or DisclosureDecisionSetting()
    values = {"unit": unit, "deciding_body": deciding_body, "delegation": (delegation or "").strip(),
              "delegate_title": (delegate_title or "").strip() or "registrator",
              "appeal_court": (appeal_court or "").strip() or "kammarrätten", "series": series, "case": case}
    for name, value in values.items():
        setattr(setting, name, value)
    try:
        with transaction.atomic():
            setting.save()
            audit_record(actor=actor, action=AuditAction.SETTING_CHANGED, target=setting,
                         detail={"operation": "disclosure_setting_save", "unit": getattr(unit, "code", None)})
    except IntegrityError as exc:
        raise DomainError("Det finns redan en beslutsinstans för den enheten: ändra den i stället.") from exc
    return setting

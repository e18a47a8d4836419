"""Helpers shared by the disclosure services (not public API)."""

from __future__ import annotations

from django.utils import timezone

from accounts.errors import DomainError
from accounts.models import AuditAction
from accounts.services import audit_record
from records.disclosure.models import DisclosureItem, DisclosureOutcome, DisclosureRequest, DisclosureStatus
from records.models import LegalGround

S = DisclosureStatus
REVIEWABLE = frozenset({S.RECEIVED, S.IN_REVIEW})
REFUSED_OUTCOMES = frozenset({DisclosureOutcome.REFUSE, DisclosureOutcome.RELEASE_MASKED})
RELEASED_OUTCOMES = frozenset({DisclosureOutcome.RELEASE, DisclosureOutcome.RELEASE_MASKED})


def audit(*, actor, request: DisclosureRequest, event: str, **detail) -> None:
    """One "disclosure" audit event: numbers, labels and codes only, never content or requester data."""
    audit_record(actor=actor, action=AuditAction.DISCLOSURE, target=request, detail={"event": event, **detail})


def locked(request: DisclosureRequest) -> DisclosureRequest:
    """Re-read the request under a row lock (PostgreSQL; a no-op on SQLite), updating it in place."""
    fresh = DisclosureRequest.objects.select_for_update().get(pk=request.pk)
    request.__dict__.update({f.attname: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields})
    return request


def items_of(request: DisclosureRequest) -> list[DisclosureItem]:
    return list(request.items.select_related("legal_ground", "document").order_by("id"))


def refused_items(request: DisclosureRequest) -> list[DisclosureItem]:
    return [i for i in items_of(request) if i.outcome in REFUSED_OUTCOMES]


def ground_titles(items: list[DisclosureItem]) -> dict[str, str]:
    """{code: title} of every ground the items cite (one query)."""
    codes = {i.legal_ground.code for i in items if i.legal_ground_id}
    codes |= {e.get("legal_ground") for i in items for e in (i.masked_parts or []) if e.get("legal_ground")}
    return dict(LegalGround.objects.filter(code__in=codes).values_list("code", "title"))


def human_actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def actor_name(actor) -> str:
    actor = human_actor(actor)
    return (actor.get_full_name() or actor.get_username()) if actor is not None else "systemet"


def recipient_of(request: DisclosureRequest) -> str | None:
    return "\n".join(p for p in (request.requester_name, request.requester_contact) if p) or None


def local_day_start(day):
    """A date as an aware datetime at the start of that local day (for "it happened on" fields)."""
    from datetime import datetime, time

    return timezone.make_aware(datetime.combine(day, time(0, 0)))


def require_text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message)
    return value

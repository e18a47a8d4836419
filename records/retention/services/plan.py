"""The information management plan applied: which retention class each object has, and when it is due.

- `retention_assign(*, target_type, ids=None, objects=None)` applies the rules (kind, state,
  registration, channel) and computes `retention_due` from the class's trigger.
- `retention_reassign(...)` is the archivist's override of one object (audited, with history).
- `retention_recompute(...)` fills missing classes and recomputes due dates in batches.

Rules for records' own types (documents, cases, disclosure and subject requests) live here; the
rules for moderation's types are registered by `moderation.retention_hooks` with
`register_rules()` (records never imports moderation). Writes use `QuerySet.update()` so a
nightly recompute of a million items does not write a million history rows; the archivist's
override saves the object so its history shows the change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import models, transaction
from django.utils import timezone

from accounts.errors import DomainError
from accounts.models import AuditAction
from accounts.services import audit_record
from records import registry
from records.models import (
    Case,
    CaseStatus,
    DisclosureRequest,
    Document,
    RegistrationReason,
    RetentionAction,
    RetentionClass,
    RetentionTrigger,
    SubjectRequest,
)

__all__ = [
    "Assignment",
    "all_targets",
    "register_rules",
    "retention_assign",
    "retention_reassign",
    "retention_recompute",
    "target_for",
    "target_model",
    "to_date",
]


@dataclass(frozen=True)
class Assignment:
    """What the rules say about one object: its class code and the dates each trigger runs from."""

    class_code: str
    dates: dict[str, date | None] = field(default_factory=dict)


RuleFn = Callable[[list[str]], dict[str, Assignment]]
_rules: dict[str, RuleFn] = {}


def register_rules(target_type: str, fn: RuleFn) -> None:
    """Register the class rules for a type (moderation registers items, authors and reports)."""
    _rules[target_type] = fn


def to_date(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


# --- records' own types --------------------------------------------------------------------------

CLASS_KEEP_CASE = "ÄR-1"
CLASS_REMOVED = "SM-2"
CLASS_SECRET = "SM-3"
CLASS_DISCLOSURE = "BAH-1"
CLASS_SUBJECT = "GDPR-1"
PURGEABLE_REASONS = (RegistrationReason.REMOVED_INAPPROPRIATE, RegistrationReason.CONFIDENTIAL)


def _document_class(doc: Document) -> str:
    if doc.reason == RegistrationReason.REMOVED_INAPPROPRIATE:
        return CLASS_REMOVED
    if doc.reason == RegistrationReason.CONFIDENTIAL:
        return CLASS_SECRET
    return CLASS_KEEP_CASE


def _document_rules(ids: list[str]) -> dict[str, Assignment]:
    result = {}
    for doc in Document.objects.filter(pk__in=ids).select_related("case"):
        result[str(doc.pk)] = Assignment(_document_class(doc), {
            RetentionTrigger.ARRIVAL: doc.date,
            RetentionTrigger.DECISION: to_date(doc.registered_at),
            RetentionTrigger.CASE_CLOSED: doc.case.closed_at,
        })
    return result


def _case_rules(ids: list[str]) -> dict[str, Assignment]:
    reasons: dict[int, set[str]] = defaultdict(set)
    for case_id, reason in Document.objects.filter(case_id__in=ids, voided=False).values_list("case_id", "reason"):
        reasons[case_id].add(reason)
    result = {}
    for case in Case.objects.filter(pk__in=ids):
        found = reasons.get(case.pk, set())
        # A case made only of removed/secret items is a collection case (samlingsärende) that is
        # purged with them; any other document makes it a case to keep.
        code = CLASS_REMOVED if found and found <= set(PURGEABLE_REASONS) else CLASS_KEEP_CASE
        result[str(case.pk)] = Assignment(code, {
            RetentionTrigger.ARRIVAL: case.opened_at,
            RetentionTrigger.CASE_CLOSED: case.closed_at if case.status != CaseStatus.OPEN else None,
        })
    return result


def _disclosure_rules(ids: list[str]) -> dict[str, Assignment]:
    return {
        str(r.pk): Assignment(CLASS_DISCLOSURE, {
            RetentionTrigger.ARRIVAL: to_date(r.received_at), RetentionTrigger.DECISION: to_date(r.decided_at),
        })
        for r in DisclosureRequest.objects.filter(pk__in=ids)
    }


def _subject_rules(ids: list[str]) -> dict[str, Assignment]:
    return {
        str(r.pk): Assignment(CLASS_SUBJECT, {
            RetentionTrigger.ARRIVAL: to_date(r.received_at), RetentionTrigger.DECISION: to_date(r.answered_at),
        })
        for r in SubjectRequest.objects.filter(pk__in=ids)
    }


register_rules("records.document", _document_rules)
register_rules("records.case", _case_rules)
register_rules("records.disclosurerequest", _disclosure_rules)
register_rules("records.subjectrequest", _subject_rules)


def all_targets() -> list[registry.RetentionTarget]:
    """Every kind of object the plan covers: records' own and those registered by other apps."""
    from records.retention.services.purge import builtin_targets

    found = {t.type: t for t in builtin_targets()}
    for target in registry.retention_targets():
        found[target.type] = target
    return list(found.values())


def target_for(target_type: str) -> registry.RetentionTarget:
    for target in all_targets():
        if target.type == target_type:
            return target
    raise DomainError(f"Okänd objekttyp för gallring: {target_type}")


def target_model(target: registry.RetentionTarget) -> type[models.Model]:
    return target.queryset().model


def _class_is_fk(model, class_field: str) -> bool:
    return isinstance(model._meta.get_field(class_field), models.ForeignKey)


def _classes_by_code() -> dict[str, RetentionClass]:
    return {c.code: c for c in RetentionClass.objects.all()}


def _due(cls: RetentionClass, dates: dict[str, date | None]) -> date | None:
    if cls.action == RetentionAction.KEEP or cls.trigger == RetentionTrigger.MANUAL:
        return None
    return cls.due_date(to_date(dates.get(cls.trigger)))


def _write(target, values: dict[str, tuple[RetentionClass, date | None]]) -> int:
    """Set class and due on many objects, grouped so each group is one UPDATE (no history rows)."""
    model = target_model(target)
    fk = _class_is_fk(model, target.class_field)
    groups: dict[tuple[int, date | None], list[str]] = defaultdict(list)
    classes = {}
    for pk, (cls, due) in values.items():
        groups[(cls.pk, due)].append(pk)
        classes[cls.pk] = cls
    written = 0
    for (class_pk, due), pks in groups.items():
        cls = classes[class_pk]
        written += model._default_manager.filter(pk__in=pks).update(
            **{target.class_field: cls if fk else cls.code, target.due_field: due}
        )
    return written


@transaction.atomic
def retention_assign(*, target_type: str, ids: Iterable | None = None, objects: Iterable | None = None) -> int:
    """Apply the plan's rules to these objects: set their class and computed due date.

    Guarantees: only objects of `target_type`; a rule naming a class that no longer exists or is
    inactive leaves the object unchanged; returns the number of objects written.
    """
    pks = [str(o.pk) for o in objects] if objects is not None else [str(i) for i in (ids or [])]
    if not pks:
        return 0
    target = target_for(target_type)
    rules = _rules.get(target_type)
    if rules is None:
        return 0
    classes = _classes_by_code()
    values = {}
    for pk, assignment in rules(pks).items():
        cls = classes.get(assignment.class_code)
        if cls is None or not cls.active:
            continue
        values[pk] = (cls, _due(cls, assignment.dates))
    return _write(target, values)


def _current_class(obj, target) -> RetentionClass | None:
    value = getattr(obj, target.class_field)
    if isinstance(value, RetentionClass) or value is None:
        return value
    return RetentionClass.objects.filter(code=value).first() if value else None


@transaction.atomic
def retention_reassign(*, target_type: str, target_id, retention_class: RetentionClass, actor, reason: str):
    """An archivist moves one object to another class; the due date is recomputed from the rules'
    trigger dates. Saved through the model (a history row with the reason) and audited."""
    if not (reason or "").strip():
        raise DomainError("Ange skäl för den ändrade gallringsklassen.")
    if not retention_class.active:
        raise DomainError("Gallringsklassen är inte aktiv.")
    if target_type not in (retention_class.applies_to or []):
        raise DomainError(f"Gallringsklass {retention_class.code} gäller inte för den här objekttypen.")
    target = target_for(target_type)
    model = target_model(target)
    obj = model._default_manager.select_for_update().filter(pk=target_id).first()
    if obj is None:
        raise DomainError("Objektet finns inte.")
    if getattr(obj, "purged_at", None):
        raise DomainError("Objektet är redan gallrat.")
    before = _current_class(obj, target)
    rules = _rules.get(target_type)
    dates = rules([str(obj.pk)]).get(str(obj.pk)).dates if rules else {}
    due = _due(retention_class, dates or {})
    fk = _class_is_fk(model, target.class_field)
    setattr(obj, target.class_field, retention_class if fk else retention_class.code)
    setattr(obj, target.due_field, due)
    obj._change_reason = f"Gallringsklass ändrad till {retention_class.code}"[:100]
    obj.save()
    audit_record(actor=actor, action=AuditAction.RETENTION_CHANGED, target=obj, detail={
        "event": "retention_reassign", "from": before.code if before else "", "to": retention_class.code,
        "due": due.isoformat() if due else None, "reason": reason[:500],
    })
    return obj


def retention_recompute(*, target_type: str | None = None, batch_size: int = 1000, progress=None) -> dict[str, int]:
    """Fill missing classes by the rules and recompute every due date from the current class.

    Batches of `batch_size` ids (keyset pagination, each batch its own transaction): memory stays
    flat. An archivist's class override is kept: only the due date is recomputed for objects that
    already have a class (its trigger date may have moved: a case closed, an author wrote again).
    """
    counts: dict[str, int] = {}
    targets = [target_for(target_type)] if target_type else all_targets()
    classes = _classes_by_code()
    by_pk = {c.pk: c for c in classes.values()}
    for target in targets:
        rules = _rules.get(target.type)
        if rules is None:
            continue
        model = target_model(target)
        fk = _class_is_fk(model, target.class_field)
        class_attr = model._meta.get_field(target.class_field).attname
        qs = target.queryset().order_by("pk")
        last = None
        written = 0
        while True:
            page = qs.filter(pk__gt=last) if last is not None else qs
            rows = list(page.values_list("pk", class_attr)[:batch_size])
            if not rows:
                break
            last = rows[-1][0]
            assigned = rules([str(pk) for pk, _c in rows])
            values = {}
            for pk, current in rows:
                assignment = assigned.get(str(pk))
                if assignment is None:
                    continue
                cls = (by_pk.get(current) if fk else classes.get(current)) if current else None
                if cls is None:
                    cls = classes.get(assignment.class_code)
                    if cls is None or not cls.active:
                        continue
                values[str(pk)] = (cls, _due(cls, assignment.dates))
            with transaction.atomic():
                written += _write(target, values)
            if progress:
                progress(target.type, written)
        counts[target.type] = written
    return counts

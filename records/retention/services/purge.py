"""Purge lists (gallringslistor), four eyes: draft → propose → approve (another archivist) → execute.

Modelled on Open Archiefbeheer's destruction lists: a list is drafted from what is due, an
archivist proposes it, a second archivist approves it, and execution (`execution.py`) removes the
content and personal data of each line, leaving a Tombstone. Arkivlagen (1990:782) 10 §: nothing is
destroyed except under a gallringsbeslut (the retention class); every purge is logged.

Every target kind takes the same set-based path: the draft is ONE `INSERT … SELECT` per kind
(class, due date, holds and the fingerprint computed in SQL), and execution re-checks every line
in SQL before anything is removed. The fingerprint is taken when the list is drafted (which is what
the approver sees); a target that changed afterwards is refused at execution.
"""

from __future__ import annotations

import csv
import io
import logging
from datetime import date

from django.db import connection, models, transaction
from django.db.models import Case as CaseWhen
from django.db.models import CharField, Exists, F, IntegerField, Max, OuterRef, Sum, Value
from django.db.models import When as CaseBranch
from django.db.models.functions import Cast, Concat, Substr
from django.utils import timezone

from accounts.errors import DomainError, TransitionNotAllowed
from accounts.models import AuditAction
from accounts.services import audit_record
from records.models import (
    PurgeBatch,
    PurgeLine,
    PurgeLineStatus,
    PurgeList,
    PurgeListStatus,
    RetentionAction,
    RetentionClass,
)
from records.retention.notifications import notify_purge_list_proposed
from records.retention.services.holds import active_hold_keys
from records.retention.services.sql import (
    analyze,
    fingerprint_expression,
    fingerprint_of,
    history_delete,
    quote,
    relaxed_commit,
    sql_fingerprints,
    sql_in,
)
from records.retention.services.targets import PURGED_MARK, builtin_targets
from records.workflow import assert_action, transition

log = logging.getLogger("uppsikt.purge")

__all__ = [
    "PURGED_MARK",
    "builtin_targets",
    "fingerprint_of",
    "history_delete",
    "purge_line_change_class",
    "purge_line_exclude",
    "purge_list_approve",
    "purge_list_cancel",
    "purge_list_counts",
    "purge_list_draft",
    "purge_list_execute",
    "purge_list_propose",
    "purge_list_return",
    "purge_log_csv",
    "purge_log_pdf",
    "scrub_targets",
    "sql_fingerprints",
    "sql_in",
    "target_fingerprints",
]


def target_fingerprints(target, ids: list[str]) -> dict[str, str]:
    """Fingerprints of these targets, the way the purge service takes them (in SQL)."""
    from records.retention.services.plan import target_model

    return sql_fingerprints(target_model(target), target.fingerprint_fields, ids)


# --- target metadata -----------------------------------------------------------------------------

_DATE_FIELDS = ("received_at", "date", "opened_at", "created_at")
_LABEL_FIELDS = ("number", "reference")


def model_info(model) -> tuple[str | None, str | None]:
    """(the field holding the object's original date, the field holding its number or reference)."""
    names = {f.name for f in model._meta.concrete_fields}
    date_field = next((f for f in _DATE_FIELDS if f in names), None)
    label_field = next((f for f in _LABEL_FIELDS if f in names), None)
    return date_field, label_field


def class_attr(model, class_field: str) -> tuple[str, bool]:
    f = model._meta.get_field(class_field)
    return f.attname, isinstance(f, models.ForeignKey)


def _contains_secret(target, model, qs) -> bool:
    if target.type == "records.document":
        from records.retention.services.targets import document_is_secret_q

        return qs.filter(document_is_secret_q()).exists()
    if "secret" in {f.name for f in model._meta.concrete_fields}:
        return qs.filter(secret=True).exists()
    return False


def _next_reference(today: date) -> str:
    prefix = f"GL-{today.year}-"
    last = PurgeList.objects.filter(reference__startswith=prefix).aggregate(m=Max("reference"))["m"]
    n = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{n:03d}"


OPEN_LIST_STATUSES = (PurgeListStatus.DRAFT, PurgeListStatus.PROPOSED, PurgeListStatus.APPROVED,
                      PurgeListStatus.EXECUTING)


# --- draft ---------------------------------------------------------------------------------------


def purge_list_draft(*, cutoff: date | None = None, actor=None, batch_size: int = 5000,
                     target_types: list[str] | None = None) -> PurgeList | None:
    """Draft a purge list of everything due on `cutoff` (today) whose class says purge, that is not
    on hold and not already pending on an open list. Returns None when nothing is due.

    One `INSERT … SELECT` per kind of target (flat memory whatever the size); the list and its lines
    are written in one transaction so a half-drafted list is never seen. `batch_size` is kept for
    callers; the database does the batching.
    """
    from records.retention.services.plan import all_targets, target_model

    cutoff = cutoff or timezone.localdate()
    today = timezone.localdate()
    purge_classes = [c for c in RetentionClass.objects.all() if c.action == RetentionAction.PURGE]
    keys = active_hold_keys(today)
    with transaction.atomic():
        relaxed_commit()
        purge_list = PurgeList.objects.create(
            reference=_next_reference(today), cutoff_date=cutoff,
            drafted_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        total = 0
        secret = False
        for target in all_targets():
            if target_types and target.type not in target_types:
                continue
            n, is_secret = _draft_target(target, target_model(target), purge_list, cutoff, purge_classes, keys)
            total += n
            secret = secret or is_secret
        if total == 0:
            purge_list.delete()
            return None
        if total > 10000:
            analyze(PurgeLine)
        purge_list.contains_secret = secret
        purge_list.line_count = total
        purge_list.save(update_fields=["contains_secret", "line_count"])
        audit_record(actor=actor, action=AuditAction.PURGE, target=purge_list,
                     detail={"event": "drafted", "lines": total, "cutoff": cutoff.isoformat()})
    return purge_list


def _draft_target(target, model, purge_list: PurgeList, cutoff: date, purge_classes: list[RetentionClass],
                  keys: set) -> tuple[int, bool]:
    """Draft one kind's lines with ONE `INSERT … SELECT` (fingerprints, class and label computed in
    SQL; held targets and targets already pending on an open list left out). Returns (lines, secret)."""
    attr, fk = class_attr(model, target.class_field)
    by_key = {(c.pk if fk else c.code): c for c in purge_classes}
    if not by_key:
        return 0, False
    _date_field, label_field = model_info(model)
    qs = target.queryset().filter(**{f"{target.due_field}__lte": cutoff, f"{attr}__in": list(by_key)})
    held = target.held_q(keys) if (keys and target.held_q is not None) else None
    if held is not None:
        qs = qs.exclude(held)
    pending = PurgeLine.objects.filter(
        target_type=target.type, target_id=Cast(OuterRef("pk"), CharField()), status=PurgeLineStatus.PENDING,
        purge_list__status__in=OPEN_LIST_STATUSES,
    )
    qs = qs.exclude(Exists(pending))
    secret = _contains_secret(target, model, qs)
    if fk:
        cls = F(attr)
    else:
        cls = CaseWhen(*[CaseBranch(**{attr: key}, then=Value(c.pk)) for key, c in by_key.items()],
                       output_field=IntegerField())
    label = (Substr(Cast(label_field, CharField()), 1, 200) if label_field
             else Concat(Value(f"{target.label} "), Cast("pk", CharField()), output_field=CharField()))
    select = qs.order_by("pk").annotate(
        pl_tid=Cast("pk", CharField()), pl_label=label, pl_cls=cls, pl_due=F(target.due_field),
        pl_fp=fingerprint_expression(target.fingerprint_fields),
    ).values("pl_tid", "pl_label", "pl_cls", "pl_due", "pl_fp")
    sql, params = select.query.sql_with_params()
    cols = ["purge_list_id", "target_type", "target_id", "label", "retention_class_id", "due_date", "fingerprint",
            "excluded", "exclude_reason", "change_reason", "status", "error"]
    insert = (
        f"INSERT INTO {quote(PurgeLine._meta.db_table)} ({', '.join(quote(c) for c in cols)}) "  # noqa: S608
        f"SELECT %s, %s, s.{quote('pl_tid')}, s.{quote('pl_label')}, s.{quote('pl_cls')}, s.{quote('pl_due')}, "
        f"s.{quote('pl_fp')}, %s, '', '', %s, '' FROM ({sql}) s"
    )
    with connection.cursor() as cursor:
        cursor.execute(insert, [purge_list.pk, target.type, False, PurgeLineStatus.PENDING, *params])
        n = cursor.rowcount
    return n, bool(secret and n)


# --- the list's workflow (records.workflow holds the table) -------------------------------------


def purge_list_cancel(*, purge_list: PurgeList, actor, reason: str = "") -> PurgeList:
    with transaction.atomic():
        pl = PurgeList.objects.select_for_update().get(pk=purge_list.pk)
        assert_action(pl, "cancel", actor)
        transition(pl, PurgeListStatus.CANCELLED)
        pl.note = (pl.note + "\n" + reason).strip() if reason else pl.note
        pl.save()
        audit_record(actor=actor, action=AuditAction.PURGE, target=pl, detail={"event": "cancelled"})
    return pl


@transaction.atomic
def purge_list_propose(*, purge_list: PurgeList, actor) -> PurgeList:
    """An archivist proposes the drafted list for approval; they can then no longer approve it."""
    pl = PurgeList.objects.select_for_update().get(pk=purge_list.pk)
    assert_action(pl, "propose", actor)
    transition(pl, PurgeListStatus.PROPOSED)
    pl.proposed_by = actor
    pl.proposed_at = timezone.now()
    pl.save()
    audit_record(actor=actor, action=AuditAction.PURGE, target=pl, detail={"event": "proposed"})
    notify_purge_list_proposed(purge_list=pl, actor=actor)
    return pl


@transaction.atomic
def purge_list_return(*, purge_list: PurgeList, actor) -> PurgeList:
    """A proposed list goes back to draft (to be edited; proposing it again records the proposer anew)."""
    pl = PurgeList.objects.select_for_update().get(pk=purge_list.pk)
    assert_action(pl, "return", actor)
    transition(pl, PurgeListStatus.DRAFT)
    pl.proposed_by = None
    pl.proposed_at = None
    pl.save()
    audit_record(actor=actor, action=AuditAction.PURGE, target=pl, detail={"event": "returned"})
    return pl


def _assert_editable(pl: PurgeList) -> None:
    if pl.status not in (PurgeListStatus.DRAFT, PurgeListStatus.PROPOSED):
        raise TransitionNotAllowed("Rader kan bara ändras innan listan godkänts.")


@transaction.atomic
def purge_line_exclude(*, line: PurgeLine, actor, reason: str) -> PurgeLine:
    """Take a line off the list (it is kept, marked skipped, with the reason)."""
    line = PurgeLine.objects.select_for_update(of=("self",)).select_related("purge_list").get(pk=line.pk)
    _assert_editable(line.purge_list)
    if not (reason or "").strip():
        raise DomainError("Ange skäl för att undanta raden.")
    line.excluded = True
    line.exclude_reason = reason.strip()
    transition(line, PurgeLineStatus.SKIPPED)
    line.save()
    audit_record(actor=actor, action=AuditAction.PURGE, target=line.purge_list,
                 detail={"event": "line_excluded", "line": line.pk, "target": f"{line.target_type}:{line.target_id}"})
    return line


@transaction.atomic
def purge_line_change_class(*, line: PurgeLine, retention_class: RetentionClass, actor, reason: str) -> PurgeLine:
    """Move a line's target to another class (the target itself is reassigned, audited). If the new
    class keeps it, or it is not due by the list's cutoff under the new class, the line is skipped."""
    from records.retention.services.plan import retention_reassign, target_for

    line = PurgeLine.objects.select_for_update(of=("self",)).select_related("purge_list").get(pk=line.pk)
    _assert_editable(line.purge_list)
    obj = retention_reassign(target_type=line.target_type, target_id=line.target_id,
                             retention_class=retention_class, actor=actor, reason=reason)
    target = target_for(line.target_type)
    due = getattr(obj, target.due_field)
    line.changed_class_to = retention_class
    line.change_reason = reason.strip()
    if retention_class.action == RetentionAction.KEEP or due is None or due > line.purge_list.cutoff_date:
        line.excluded = True
        transition(line, PurgeLineStatus.SKIPPED)
        line.exclude_reason = f"Ny gallringsklass {retention_class.code}: {reason.strip()}"
    else:
        line.due_date = due
        line.fingerprint = target_fingerprints(target, [str(line.target_id)]).get(str(line.target_id), "")
    line.save()
    return line


@transaction.atomic
def purge_list_approve(*, purge_list: PurgeList, actor) -> PurgeList:
    """A SECOND archivist approves the proposed list (four eyes; the database refuses it too)."""
    pl = PurgeList.objects.select_for_update().get(pk=purge_list.pk)
    assert_action(pl, "approve", actor)
    transition(pl, PurgeListStatus.APPROVED)
    pl.approved_by = actor
    pl.approved_at = timezone.now()
    pl.save()
    audit_record(actor=actor, action=AuditAction.PURGE, target=pl, detail={"event": "approved"})
    return pl


# --- progress ------------------------------------------------------------------------------------


def purge_list_counts(pl: PurgeList) -> dict[str, int]:
    """{done, refused, skipped, pending, total} without scanning the lines: done and refused are the
    sums of the committed batches (written with the lines), skipped lines sit in a partial index."""
    sums = PurgeBatch.objects.filter(purge_list=pl).aggregate(done=Sum("done"), refused=Sum("refused"))
    done, refused = sums["done"] or 0, sums["refused"] or 0
    skipped = PurgeLine.objects.filter(purge_list=pl, status=PurgeLineStatus.SKIPPED).count()
    total = pl.line_count or PurgeLine.objects.filter(purge_list=pl).count()
    return {"done": done, "refused": refused, "skipped": skipped,
            "pending": max(total - done - refused - skipped, 0), "total": total}


_counts = purge_list_counts  # the name the pages used


def purge_list_execute(**kwargs) -> dict:
    from records.retention.services.execution import purge_list_execute as run

    return run(**kwargs)


def scrub_targets(**kwargs) -> int:
    from records.retention.services.execution import scrub_targets as run

    return run(**kwargs)


# --- the purge log -------------------------------------------------------------------------------

LOG_HEADER = ["Gallringslista", "Objekttyp", "Objekt-id", "Beteckning", "Gallringsklass", "Gallras tidigast",
              "Status", "Verkställd", "Anmärkning"]


def purge_log_rows(purge_list: PurgeList, *, omit_descriptions: bool = False):
    """Lines of an executed (or executing) list, streamed in id order (keyset, flat memory)."""
    last = 0
    while True:
        lines = list(PurgeLine.objects.filter(purge_list=purge_list, pk__gt=last)
                     .select_related("retention_class", "changed_class_to").order_by("pk")[:2000])
        if not lines:
            return
        last = lines[-1].pk
        for line in lines:
            cls = line.changed_class_to or line.retention_class
            yield [
                purge_list.reference, line.target_type, line.target_id,
                "" if omit_descriptions else line.label, cls.code, line.due_date.isoformat(),
                line.get_status_display(), line.executed_at.isoformat(timespec="seconds") if line.executed_at else "",
                line.error or line.exclude_reason,
            ]


def purge_log_csv(purge_list: PurgeList, *, omit_descriptions: bool = False) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(LOG_HEADER)
    for row in purge_log_rows(purge_list, omit_descriptions=omit_descriptions):
        writer.writerow(row)
    return buffer.getvalue()


def purge_log_pdf(purge_list: PurgeList, *, omit_descriptions: bool = False, organisation: str = "") -> bytes:
    from records.pdf import render_text_pdf

    counts = purge_list_counts(purge_list)
    meta = [
        ("Gallringslista", purge_list.reference),
        ("Status", purge_list.get_status_display()),
        ("Gallringsdatum", purge_list.cutoff_date.isoformat()),
        ("Föreslagen av", purge_list.proposed_by.get_username() if purge_list.proposed_by else "–"),
        ("Godkänd av", purge_list.approved_by.get_username() if purge_list.approved_by else "–"),
        ("Verkställd", purge_list.executed_at.isoformat(timespec="minutes") if purge_list.executed_at else "–"),
        ("Gallrade", str(counts["done"])),
        ("Vägrade", str(counts["refused"])),
        ("Undantagna", str(counts["skipped"])),
    ]
    if omit_descriptions:
        meta.append(("Anmärkning", "Beskrivningar utelämnade: listan innehåller sekretessbelagda uppgifter."))
    body_lines = [" · ".join(r[1:]) for r in purge_log_rows(purge_list, omit_descriptions=omit_descriptions)]
    return render_text_pdf(title=f"Gallringslogg {purge_list.reference}", meta=meta, body="\n".join(body_lines),
                           footer=f"{organisation} · {purge_list.reference}", created=purge_list.executed_at)

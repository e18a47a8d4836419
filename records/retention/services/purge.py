"""Purge lists (gallringslistor), four eyes: draft → propose → approve (another archivist) → execute.

Modelled on Open Archiefbeheer's destruction lists: a list is drafted from what is due, an
archivist proposes it, a second archivist approves it, and execution removes the content and
personal data of each line, leaving a Tombstone. Execution runs in batches, each in its own
transaction, is resumable (lines keep their status; a rerun continues with the pending ones) and
idempotent, and re-checks every line: not yet due, on hold, class changed or fingerprint changed
→ the line is refused with the reason, never purged.

The fingerprint is taken when the list is drafted (which is what the approver sees); a target
that changed afterwards, before or after approval, is refused at execution.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
from collections import defaultdict
from datetime import date
from typing import Any

from django.db import connection, models, transaction
from django.db.models import (
    BooleanField,
    CharField,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    TextField,
    Value,
)
from django.db.models import Case as CaseWhen
from django.db.models import When as CaseBranch
from django.db.models.functions import Cast, Coalesce, Concat, Substr, TruncDate
from django.utils import timezone

from accounts.errors import DomainError, TransitionNotAllowed
from accounts.models import AuditAction
from accounts.services import audit_record
from records import registry
from records.models import (
    Case,
    DisclosureDecisionLetter,
    DisclosureItem,
    DisclosureRequest,
    Document,
    PurgeLine,
    PurgeLineStatus,
    PurgeList,
    PurgeListStatus,
    RetentionAction,
    RetentionClass,
    SecrecyMarking,
    SubjectRequest,
    SubjectRequestHit,
    Tombstone,
    TombstoneReason,
)
from records.retention.journal import purge_journal_close, purge_journal_record_batch
from records.retention.notifications import notify_purge_list_proposed
from records.retention.services.holds import active_hold_keys, held_ids
from records.workflow import assert_action, assert_bulk_transition, transition

log = logging.getLogger("uppsikt.purge")

__all__ = [
    "builtin_targets",
    "purge_line_change_class",
    "purge_line_exclude",
    "purge_list_approve",
    "purge_list_cancel",
    "purge_list_draft",
    "purge_list_execute",
    "purge_list_propose",
    "purge_log_csv",
    "purge_log_pdf",
    "scrub_targets",
    "sql_fingerprints",
    "sql_in",
    "target_fingerprints",
]

PURGED_MARK = "[gallrad]"



# --- helpers shared with the moderation hooks and the GDPR erasure ------------------------------


def history_delete(model: type[models.Model], ids: list) -> int:
    """Delete django-simple-history's rows of these objects (the content lives there too)."""
    history = getattr(model, "history", None)
    if history is None:
        return 0
    deleted, _ = history.model.objects.filter(id__in=ids).delete()
    return deleted


def fingerprint_of(values: Any) -> str:
    return hashlib.sha256(json.dumps(values, default=str, sort_keys=True).encode("utf-8")).hexdigest()


def sql_in(column: str, ids: list) -> tuple[str, list]:
    """`column IN (ids)` with ONE parameter, whatever the number of ids: `= ANY(%s)` with an array
    on PostgreSQL, `IN (SELECT value FROM json_each(%s))` on SQLite (no 5,000-placeholder IN lists)."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(ids)]
    return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(list(ids))]  # noqa: S608


class _Sha256Hex(Func):
    """Hex SHA-256 of a text in SQL: PostgreSQL's built-in sha256() (no pgcrypto), SQLite's SHA256
    (registered by Django's backend)."""

    function = "SHA256"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection,
                              template="encode(sha256(convert_to(%(expressions)s, 'UTF8')), 'hex')", **extra_context)


class _Joined(Func):
    """`a || b || c …` flat (Concat nests one pair per argument, too deep for SQLite's parser)."""

    template = "(%(expressions)s)"
    arg_joiner = " || "
    output_field = TextField()


def fingerprint_expression(fields: tuple[str, ...]):
    """The SQL fingerprint of a row: SHA-256 (64 hex) over these fields, NULL-safe, separated."""
    parts: list = []
    for name in fields:
        parts += [Coalesce(Cast(name, TextField()), Value("")), Value("|")]
    return _Sha256Hex(_Joined(*parts))


def sql_fingerprints(model: type[models.Model], fields: tuple[str, ...], ids: list) -> dict[str, str]:
    """{id: fingerprint} computed in the database (the same expression the purge service uses)."""
    rows = model._default_manager.filter(pk__in=list(ids)).annotate(
        fp_=fingerprint_expression(fields)).values_list("pk", "fp_")
    return {str(pk): fp for pk, fp in rows}


def _set_based(target) -> bool:
    return bool(target.fingerprint_fields) and target.held_q is not None


def target_fingerprints(target, ids: list[str]) -> dict[str, str]:
    """Fingerprints of these targets, the way the purge service takes them."""
    from records.retention.services.plan import target_model

    if _set_based(target):
        return sql_fingerprints(target_model(target), target.fingerprint_fields, ids)
    return target.fingerprint(ids) if target.fingerprint else {}


def delete_files(letters) -> None:
    for letter in letters:
        if letter.pdf:
            letter.pdf.delete(save=False)


# --- records' own targets -----------------------------------------------------------------------


def _scrub_documents(ids: list[str], context: registry.ScrubContext) -> int:
    now = context.at or timezone.now()
    n = Document.objects.filter(pk__in=ids).update(
        sender="", description=PURGED_MARK, public_description="", content="", content_meta={}, content_sha256="",
        void_reason="", purged_at=now,
    )
    history_delete(Document, ids)
    return n


def _scrub_cases(ids: list[str], context: registry.ScrubContext) -> int:
    now = context.at or timezone.now()
    n = Case.objects.filter(pk__in=ids).update(title=PURGED_MARK, public_title="", purged_at=now)
    history_delete(Case, ids)
    return n


def _scrub_disclosure(ids: list[str], context: registry.ScrubContext) -> int:
    now = context.at or timezone.now()
    n = DisclosureRequest.objects.filter(pk__in=ids).update(
        requester_name="", requester_contact="", request_text=PURGED_MARK, purged_at=now,
    )
    item_ids = list(DisclosureItem.objects.filter(request_id__in=ids).values_list("pk", flat=True))
    DisclosureItem.objects.filter(pk__in=item_ids).update(description="", note="")
    history_delete(DisclosureItem, item_ids)
    letters = DisclosureDecisionLetter.objects.filter(request_id__in=ids)
    delete_files(letters)
    letters.delete()
    history_delete(DisclosureRequest, ids)
    return n


def _scrub_subject(ids: list[str], context: registry.ScrubContext) -> int:
    now = context.at or timezone.now()
    n = SubjectRequest.objects.filter(pk__in=ids).update(
        requester_name="", requester_contact="", identifiers={}, note="", purged_at=now,
    )
    SubjectRequestHit.objects.filter(request_id__in=ids).delete()
    letters = DisclosureDecisionLetter.objects.filter(subject_request_id__in=ids)
    delete_files(letters)
    letters.delete()
    history_delete(SubjectRequest, ids)
    return n


def _fp(model, fields):
    def fingerprint(ids: list[str]) -> dict[str, str]:
        rows = model._default_manager.filter(pk__in=ids).values_list("pk", *fields)
        return {str(row[0]): fingerprint_of(row[1:]) for row in rows}

    return fingerprint


def _document_hold_keys(ids: list[str]) -> dict[str, list[tuple[str, str]]]:
    return {str(pk): [("records.case", str(case_id))]
            for pk, case_id in Document.objects.filter(pk__in=ids).values_list("pk", "case_id")}


def builtin_targets() -> list[registry.RetentionTarget]:
    """The records app's own kinds of object the plan covers."""
    return [
        registry.RetentionTarget(
            type="records.document", label="Handling",
            queryset=lambda: Document.objects.filter(purged_at__isnull=True),
            scrub=_scrub_documents, due_field="retention_due", class_field="retention_class",
            fingerprint=_fp(Document, ["sender", "description", "content_sha256", "voided", "retention_class_id",
                                       "retention_due"]),
            hold_keys=_document_hold_keys,
        ),
        registry.RetentionTarget(
            type="records.case", label="Ärende",
            queryset=lambda: Case.objects.filter(purged_at__isnull=True),
            scrub=_scrub_cases, due_field="retention_due", class_field="retention_class",
            fingerprint=_fp(Case, ["title", "status", "closed_at", "retention_class_id", "retention_due"]),
        ),
        registry.RetentionTarget(
            type="records.disclosurerequest", label="Begäran om allmän handling",
            queryset=lambda: DisclosureRequest.objects.filter(purged_at__isnull=True),
            scrub=_scrub_disclosure, due_field="retention_due", class_field="retention_class",
            fingerprint=_fp(DisclosureRequest, ["status", "appeal_status", "retention_class_id", "retention_due"]),
        ),
        registry.RetentionTarget(
            type="records.subjectrequest", label="Begäran enligt dataskyddsförordningen",
            queryset=lambda: SubjectRequest.objects.filter(purged_at__isnull=True),
            scrub=_scrub_subject, due_field="retention_due", class_field="retention_class",
            fingerprint=_fp(SubjectRequest, ["status", "retention_class_id", "retention_due"]),
        ),
    ]


# --- target metadata -----------------------------------------------------------------------------

_DATE_FIELDS = ("received_at", "date", "opened_at", "created_at")
_LABEL_FIELDS = ("number", "reference")


def _model_info(model) -> tuple[str | None, str | None]:
    names = {f.name for f in model._meta.concrete_fields}
    date_field = next((f for f in _DATE_FIELDS if f in names), None)
    label_field = next((f for f in _LABEL_FIELDS if f in names), None)
    return date_field, label_field


def _class_attr(model, class_field: str) -> tuple[str, bool]:
    f = model._meta.get_field(class_field)
    return f.attname, isinstance(f, models.ForeignKey)


def _secret_ids(target, model, ids: list) -> set[str]:
    if target.type == "records.document":
        return {str(d) for d in SecrecyMarking.objects.active().filter(document_id__in=ids)
                .values_list("document_id", flat=True)}
    if "secret" in {f.name for f in model._meta.concrete_fields}:
        return {str(pk) for pk in model._default_manager.filter(pk__in=ids, secret=True).values_list("pk", flat=True)}
    return set()


def _next_reference(today: date) -> str:
    prefix = f"GL-{today.year}-"
    last = PurgeList.objects.filter(reference__startswith=prefix).aggregate(m=Max("reference"))["m"]
    n = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{n:03d}"


def _open_list_statuses() -> list[str]:
    return [PurgeListStatus.DRAFT, PurgeListStatus.PROPOSED, PurgeListStatus.APPROVED, PurgeListStatus.EXECUTING]


# --- draft ---------------------------------------------------------------------------------------


def purge_list_draft(*, cutoff: date | None = None, actor=None, batch_size: int = 5000,
                     target_types: list[str] | None = None) -> PurgeList | None:
    """Draft a purge list of everything due on `cutoff` (today) whose class says purge, that is not
    on hold and not already on an open list. Returns None when nothing is due.

    Memory stays flat (keyset pagination over ids); the list and its lines are written in one
    transaction so a half-drafted list is never seen.
    """
    from records.retention.services.plan import all_targets, target_model

    cutoff = cutoff or timezone.localdate()
    today = timezone.localdate()
    purge_classes = [c for c in RetentionClass.objects.all() if c.action == RetentionAction.PURGE]
    keys = active_hold_keys(today)
    with transaction.atomic():
        purge_list = PurgeList.objects.create(
            reference=_next_reference(today), cutoff_date=cutoff,
            drafted_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        total = 0
        secret = False
        for target in all_targets():
            if target_types and target.type not in target_types:
                continue
            model = target_model(target)
            class_attr, fk = _class_attr(model, target.class_field)
            by_key = {(c.pk if fk else c.code): c for c in purge_classes}
            date_field, label_field = _model_info(model)
            qs = target.queryset().filter(**{f"{target.due_field}__lte": cutoff,
                                             f"{class_attr}__in": list(by_key)}).order_by("pk")
            if _set_based(target):
                n, is_secret = _draft_set_based(target, model, purge_list, qs, by_key, class_attr, fk, label_field,
                                                keys)
                total += n
                secret = secret or is_secret
                continue
            fields = ["pk", class_attr, target.due_field] + ([label_field] if label_field else [])
            last = None
            while True:
                page = qs.filter(pk__gt=last) if last is not None else qs
                rows = list(page.values_list(*fields)[:batch_size])
                if not rows:
                    break
                if connection.vendor == "postgresql":
                    # A batch lost in a server crash is rolled back whole (WAL is atomic) and simply
                    # redone by the rerun, so its commit need not wait for the disk.
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL synchronous_commit TO OFF")
                last = rows[-1][0]
                ids = [str(r[0]) for r in rows]
                skip = held_ids(target, ids, today, keys)
                skip |= set(PurgeLine.objects.filter(
                    target_type=target.type, target_id__in=ids, status=PurgeLineStatus.PENDING,
                    purge_list__status__in=_open_list_statuses(),
                ).values_list("target_id", flat=True))
                keep = [r for r in rows if str(r[0]) not in skip]
                if not keep:
                    continue
                prints = target.fingerprint([str(r[0]) for r in keep]) if target.fingerprint else {}
                lines = [
                    PurgeLine(
                        purge_list=purge_list, target_type=target.type, target_id=str(r[0]),
                        label=(str(r[3]) if label_field else f"{target.label} {r[0]}")[:200],
                        retention_class=by_key[r[1]], due_date=r[2], fingerprint=prints.get(str(r[0]), ""),
                    )
                    for r in keep
                ]
                PurgeLine.objects.bulk_create(lines, batch_size=batch_size)
                total += len(lines)
                if not secret and _secret_ids(target, model, [r[0] for r in keep]):
                    secret = True
        if total == 0:
            purge_list.delete()
            return None
        purge_list.contains_secret = secret
        purge_list.save(update_fields=["contains_secret"])
        audit_record(actor=actor, action=AuditAction.PURGE, target=purge_list,
                     detail={"event": "drafted", "lines": total, "cutoff": cutoff.isoformat()})
    return purge_list


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _analyze(*models_: type[models.Model]) -> None:
    """Refresh PostgreSQL's statistics of tables a purge has just filled or is about to work through
    (a million fresh lines with stale statistics make the planner scan them all once per batch)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models_:
            cursor.execute(f"ANALYZE {_q(model._meta.db_table)}")


def _draft_set_based(target, model, purge_list: PurgeList, qs, by_key: dict, class_attr: str, fk: bool,
                     label_field: str | None, keys: set) -> tuple[int, bool]:
    """Draft one target's lines with ONE `INSERT … SELECT` (fingerprints, class and label computed in
    SQL; held targets and targets already pending on an open list left out). Returns (lines, secret)."""
    if not by_key:
        return 0, False
    held = target.held_q(keys) if keys else None
    if held is not None:
        qs = qs.exclude(held)
    pending = PurgeLine.objects.filter(
        target_type=target.type, target_id=Cast(OuterRef("pk"), CharField()), status=PurgeLineStatus.PENDING,
        purge_list__status__in=_open_list_statuses(),
    )
    qs = qs.exclude(Exists(pending))
    secret = "secret" in {f.name for f in model._meta.concrete_fields} and qs.filter(secret=True).exists()
    if fk:
        cls = F(class_attr)
    else:
        cls = CaseWhen(*[CaseBranch(**{class_attr: key}, then=Value(c.pk)) for key, c in by_key.items()],
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
        f"INSERT INTO {_q(PurgeLine._meta.db_table)} ({', '.join(_q(c) for c in cols)}) "  # noqa: S608
        f"SELECT %s, %s, s.{_q('pl_tid')}, s.{_q('pl_label')}, s.{_q('pl_cls')}, s.{_q('pl_due')}, "
        f"s.{_q('pl_fp')}, %s, '', '', %s, '' FROM ({sql}) s"
    )
    with connection.cursor() as cursor:
        cursor.execute(insert, [purge_list.pk, target.type, False, PurgeLineStatus.PENDING, *params])
        n = cursor.rowcount
    if n > 10000:
        _analyze(PurgeLine)
    return n, bool(secret and n)


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
        if target.fingerprint or _set_based(target):
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


# --- execute -------------------------------------------------------------------------------------


def _check_and_scrub(target, lines: list[PurgeLine], context: registry.ScrubContext, today: date,
                     keys: set) -> tuple[list[PurgeLine], dict[str, list[int]]]:
    """Re-check these lines against the live targets; scrub the good ones. Returns the lines done
    and {reason: [line ids]} refused."""
    from records.retention.services.plan import target_model

    model = target_model(target)
    class_attr, fk = _class_attr(model, target.class_field)
    date_field, _label = _model_info(model)
    ids = [line.target_id for line in lines]
    fields = ["pk", class_attr, target.due_field] + ([date_field] if date_field else [])
    live = {str(r[0]): r for r in target.queryset().filter(pk__in=ids).values_list(*fields)}
    held = held_ids(target, list(live), today, keys)
    prints = target.fingerprint(list(live)) if target.fingerprint else {}
    tombstoned = set(Tombstone.objects.filter(target_type=target.type, target_id__in=ids)
                     .values_list("target_id", flat=True))
    refused: dict[str, list[int]] = defaultdict(list)
    good: list[PurgeLine] = []
    already: list[PurgeLine] = []
    for line in lines:
        cls = line.changed_class_to or line.retention_class
        row = live.get(line.target_id)
        if row is None:
            if line.target_id in tombstoned:
                already.append(line)  # purged by an earlier, interrupted run or an erasure
            else:
                refused["Objektet finns inte längre."].append(line.pk)
            continue
        current = row[1]
        if current != (cls.pk if fk else cls.code) or cls.action != RetentionAction.PURGE:
            refused["Gallringsklassen har ändrats sedan listan upprättades."].append(line.pk)
        elif row[2] is None or row[2] > today:
            refused["Gallringsfristen har inte löpt ut."].append(line.pk)
        elif line.target_id in held:
            refused["Spärr mot gallring."].append(line.pk)
        elif line.fingerprint and prints.get(line.target_id, line.fingerprint) != line.fingerprint:
            refused["Objektet har ändrats sedan listan godkändes."].append(line.pk)
        else:
            good.append(line)
    if good:
        target.scrub([line.target_id for line in good], context)
        Tombstone.objects.bulk_create([
            Tombstone(
                target_type=target.type, target_id=line.target_id, number_or_reference=line.label[:70],
                retention_class_code=(line.changed_class_to or line.retention_class).code,
                created_date=_as_date(live[line.target_id][3]) if date_field else None,
                purged_at=context.at, purge_list_id=context.purge_list_id,
                basis_reference=line.purge_list.reference, reason=TombstoneReason.PURGE,
            )
            for line in good
        ], ignore_conflicts=True)
    return good + already, refused


_VERDICTS = {
    "gone": "Objektet finns inte längre.",
    "class": "Gallringsklassen har ändrats sedan listan upprättades.",
    "due": "Gallringsfristen har inte löpt ut.",
    "held": "Spärr mot gallring.",
    "changed": "Objektet har ändrats sedan listan godkändes.",
}


def _execute_set_based(target, pl: PurgeList, line_ids: list[int], target_ids: list[str],
                       context: registry.ScrubContext, today: date, keys: set) -> None:
    """One batch of one set-based target (these pending lines, locked by the caller; the ids travel
    as one array parameter each): re-check every line in ONE query (class, due, hold, fingerprint in
    SQL), refuse the bad ones with their reason, write the tombstones with ONE `INSERT … SELECT`,
    scrub the rest through the target's hook and mark the lines done with ONE UPDATE. Same rules
    as `_check_and_scrub`."""
    from records.retention.services.plan import target_model

    model = target_model(target)
    class_attr, fk = _class_attr(model, target.class_field)
    date_field, _label = _model_info(model)
    held = target.held_q(keys) if keys else None
    table = _q(model._meta.db_table)
    id_where, id_params = sql_in(f"{table}.{_q(model._meta.pk.column)}", [int(i) for i in target_ids])
    live = (
        target.queryset().extra(where=[id_where], params=id_params)  # noqa: S610 - identifiers only, ids a parameter
        .order_by().annotate(
            t_sid=Cast("pk", CharField()), t_cls=F(class_attr), t_due=F(target.due_field),
            t_fp=fingerprint_expression(target.fingerprint_fields),
            t_held=ExpressionWrapper(held, output_field=BooleanField()) if held is not None else Value(False),
            t_created=TruncDate(date_field) if date_field else Value(None, output_field=DateField()),
        ).values("t_sid", "t_cls", "t_due", "t_fp", "t_held", "t_created")
    )
    live_sql, live_params = live.query.sql_with_params()
    stone_sql, stone_params = live.values("t_sid", "t_created").query.sql_with_params()
    line_t, class_t, stone_t = (_q(m._meta.db_table) for m in (PurgeLine, RetentionClass, Tombstone))
    class_key = "c.id" if fk else "c.code"
    line_where, line_params = sql_in("l.id", line_ids)
    def frame(join: str, sub: str) -> str:
        return (f"FROM {line_t} l JOIN {class_t} c ON c.id = COALESCE(l.changed_class_to_id, l.retention_class_id) "
                f"{join} ({sub}) t ON t.t_sid = l.target_id WHERE {line_where} AND l.status = %s")

    frame_params = [*live_params, *line_params, PurgeLineStatus.PENDING]
    verdict_sql = (
        "SELECT v.id, v.verdict FROM (SELECT l.id AS id, CASE "  # noqa: S608
        f"WHEN t.t_sid IS NULL THEN CASE WHEN EXISTS (SELECT 1 FROM {stone_t} x WHERE x.target_type = l.target_type "
        "AND x.target_id = l.target_id) THEN 'already' ELSE 'gone' END "
        f"WHEN c.action <> %s OR t.t_cls IS NULL OR t.t_cls <> {class_key} THEN 'class' "
        "WHEN t.t_due IS NULL OR t.t_due > %s THEN 'due' "
        "WHEN t.t_held THEN 'held' "
        "WHEN l.fingerprint <> '' AND t.t_fp <> l.fingerprint THEN 'changed' "
        "ELSE 'ok' END AS verdict " + frame("LEFT JOIN", live_sql) + ") v WHERE v.verdict <> 'ok'"
    )
    at = context.at
    with connection.cursor() as cursor:
        cursor.execute(verdict_sql, [RetentionAction.PURGE, today, *frame_params])
        verdicts: dict[str, list[int]] = defaultdict(list)
        for line_id, verdict in cursor.fetchall():
            verdicts[verdict].append(line_id)
        for verdict, ids in verdicts.items():
            if verdict == "already":  # purged by an earlier, interrupted run or an erasure
                PurgeLine.objects.filter(pk__in=ids).update(status=PurgeLineStatus.DONE, executed_at=at)
            else:
                PurgeLine.objects.filter(pk__in=ids).update(status=PurgeLineStatus.REFUSED, error=_VERDICTS[verdict],
                                                            executed_at=at)
        cursor.execute(
            f"INSERT INTO {stone_t} (target_type, target_id, number_or_reference, retention_class_code, created_date, "  # noqa: S608
            "purged_at, purge_list_id, subject_request_id, basis_reference, reason) "
            "SELECT l.target_type, l.target_id, SUBSTR(l.label, 1, 70), c.code, t.t_created, %s, %s, NULL, %s, %s "
            + frame("JOIN", stone_sql)
            + " ON CONFLICT (target_type, target_id) DO NOTHING",
            [at, pl.pk, pl.reference, TombstoneReason.PURGE, *stone_params, *line_params, PurgeLineStatus.PENDING],
        )
        cursor.execute(f"SELECT l.target_id FROM {line_t} l WHERE {line_where} AND l.status = %s",  # noqa: S608
                       [*line_params, PurgeLineStatus.PENDING])
        ids = [r[0] for r in cursor.fetchall()]
        if ids:
            target.scrub(ids, context)
            cursor.execute(f"UPDATE {line_t} SET status = %s, executed_at = %s "  # noqa: S608
                           f"WHERE {sql_in('id', line_ids)[0]} AND status = %s",
                           [PurgeLineStatus.DONE, at, *line_params, PurgeLineStatus.PENDING])


def _as_date(value):
    from records.retention.services.plan import to_date

    return to_date(value)


def purge_list_execute(*, purge_list: PurgeList, actor, batch_size: int = 5000, progress=None) -> dict:
    """Execute an approved list: in batches of `batch_size` lines, EACH in its own transaction.

    Guarantees: resumable (a crash leaves the list "executing" with its pending lines; a rerun
    continues with them), idempotent (a line is done once; an executed list does nothing), flat
    memory (keyset pagination over line ids), and every line re-checked (due, class, hold,
    fingerprint) before anything is removed. `progress(done, total)` is called after each batch.
    Returns {"done", "refused", "skipped", "total", "status"}.
    """
    from records.retention.services.plan import target_for

    with transaction.atomic():
        pl = PurgeList.objects.select_for_update().get(pk=purge_list.pk)
        if pl.status == PurgeListStatus.APPROVED:
            transition(pl, PurgeListStatus.EXECUTING)
            pl.executed_by = actor if getattr(actor, "is_authenticated", False) else None
            pl.save()
            audit_record(actor=actor, action=AuditAction.PURGE, target=pl, detail={"event": "execution_started"})
        elif pl.status not in (PurgeListStatus.EXECUTING, PurgeListStatus.EXECUTED):
            raise TransitionNotAllowed("Gallringslistan måste vara godkänd av en andra arkivarie innan den verkställs.")
    total = PurgeLine.objects.filter(purge_list=pl).exclude(status=PurgeLineStatus.SKIPPED).count()
    done_before = PurgeLine.objects.filter(purge_list=pl).exclude(
        status__in=[PurgeLineStatus.PENDING, PurgeLineStatus.SKIPPED]).count()
    processed = done_before
    if pl.status == PurgeListStatus.EXECUTING:
        if total - done_before > 10000:
            _analyze(PurgeLine, Tombstone)
        today = timezone.localdate()
        keys = active_hold_keys(today)
        last = 0
        while True:
            with transaction.atomic():
                rows = list(
                    PurgeLine.objects.select_for_update()
                    .filter(purge_list=pl, status=PurgeLineStatus.PENDING, pk__gt=last).order_by("pk")
                    .values_list("pk", "target_type", "target_id")[:batch_size]
                )
                if not rows:
                    break
                if connection.vendor == "postgresql":
                    # A batch lost in a server crash is rolled back whole (WAL is atomic) and simply
                    # redone by the rerun, so its commit need not wait for the disk.
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL synchronous_commit TO OFF")
                last = rows[-1][0]
                at = timezone.now()
                context = registry.ScrubContext(reason="purge", actor=actor, purge_list_id=pl.pk, at=at)
                by_type: dict[str, list[int]] = defaultdict(list)
                targets_by_type: dict[str, list[str]] = defaultdict(list)
                for pk, target_type, target_id in rows:
                    by_type[target_type].append(pk)
                    targets_by_type[target_type].append(target_id)
                for target_type, line_ids in by_type.items():
                    try:
                        target = target_for(target_type)
                    except DomainError:
                        assert_bulk_transition(PurgeLine, [PurgeLineStatus.PENDING], PurgeLineStatus.REFUSED)
                        PurgeLine.objects.filter(pk__in=line_ids).update(
                            status=PurgeLineStatus.REFUSED, error="Okänd objekttyp.")
                        continue
                    if _set_based(target):
                        _execute_set_based(target, pl, line_ids, targets_by_type[target_type], context, today, keys)
                        continue
                    group = list(PurgeLine.objects.select_related("retention_class", "changed_class_to", "purge_list")
                                 .filter(pk__in=line_ids).order_by("pk"))
                    good, refused = _check_and_scrub(target, group, context, today, keys)
                    if good:
                        PurgeLine.objects.filter(pk__in=[x.pk for x in good]).update(
                            status=PurgeLineStatus.DONE, executed_at=at)
                    for reason, ids in refused.items():
                        PurgeLine.objects.filter(pk__in=ids).update(status=PurgeLineStatus.REFUSED, error=reason,
                                                                    executed_at=at)
            purge_journal_record_batch(purge_list=pl, line_ids=[r[0] for r in rows])
            processed += len(rows)
            if progress:
                progress(processed, total)
        with transaction.atomic():
            pl = PurgeList.objects.select_for_update().get(pk=pl.pk)
            if pl.status == PurgeListStatus.EXECUTING and not pl.lines.filter(status=PurgeLineStatus.PENDING).exists():
                transition(pl, PurgeListStatus.EXECUTED)
                pl.executed_at = timezone.now()
                if pl.executed_by_id is None and getattr(actor, "is_authenticated", False):
                    pl.executed_by = actor
                pl.save()
                audit_record(actor=actor, action=AuditAction.PURGE, target=pl,
                             detail={"event": "executed", **_counts(pl)})
        if pl.status == PurgeListStatus.EXECUTED:
            purge_journal_close(purge_list=pl)
    return {**_counts(pl), "total": total, "status": pl.status}


def _counts(pl: PurgeList) -> dict[str, int]:
    counts = dict.fromkeys(PurgeLineStatus.values, 0)
    for status, n in PurgeLine.objects.filter(purge_list=pl).values_list("status").annotate(n=models.Count("id")):
        counts[status] = n
    return {"done": counts["done"], "refused": counts["refused"], "skipped": counts["skipped"],
            "pending": counts["pending"]}


def scrub_targets(*, target_type: str, ids: list[str], context: registry.ScrubContext, labels: dict[str, str],
                  class_codes: dict[str, str], basis_reference: str, reason: str) -> int:
    """Scrub objects outside a purge list (an approved erasure) and leave tombstones."""
    from records.retention.services.plan import target_for, target_model

    target = target_for(target_type)
    model = target_model(target)
    date_field, _label = _model_info(model)
    dates = dict(model._default_manager.filter(pk__in=ids).values_list("pk", date_field)) if date_field else {}
    n = target.scrub(ids, context)
    Tombstone.objects.bulk_create([
        Tombstone(target_type=target_type, target_id=str(i), number_or_reference=labels.get(str(i), "")[:70],
                  retention_class_code=class_codes.get(str(i), ""),
                  created_date=_as_date(dates.get(int(i)) if str(i).isdigit() else None),
                  purged_at=context.at or timezone.now(), subject_request_id=context.subject_request_id,
                  basis_reference=basis_reference, reason=reason)
        for i in ids
    ], ignore_conflicts=True)
    return n


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

    counts = _counts(purge_list)
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

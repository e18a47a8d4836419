"""Registration (diarieföring): the registrar's inbox and registering documents.

OSL 5 kap. 1 §: documents that contain secret information are always registered; only
non-secret ones may be merely kept in order. So a proposal flagged `secret` cannot be declined,
and accepting it requires the content to be marked secret.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.errors import Conflict, DomainError, TransitionNotAllowed
from accounts.models import AuditAction
from accounts.services import audit_record
from records import registry
from records.diarium.services.cases import case_open, running_case_for
from records.diarium.services.numbering import after_numbers, pending_document, registration_unit, unit_case
from records.models import (
    Case,
    CaseStatus,
    Direction,
    Document,
    LegalGround,
    ProposalStatus,
    RegistrationProposal,
    RegistrationReason,
    RegistrationSetting,
    SecrecyPart,
    SenderKind,
    Series,
)
from records.secrecy.services import secrecy_mark
from records.workflow import assert_action, transition

SecretParts = dict[str, Any]  # part -> LegalGround | (LegalGround, expires_on) | {"legal_ground", "expires_on"}


def content_hash(content: str) -> str:
    """SHA-256 (hex) of the content in UTF-8: what `Document.content_sha256` holds."""
    return hashlib.sha256((content or "").encode("utf-8")).hexdigest()


def _actor(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _check_reason(reason: str) -> str:
    if reason not in RegistrationReason.values:
        raise DomainError(f"Okänt skäl för diarieföring: {reason!r}.")
    return reason


def _normalise_secret_parts(secret_parts: SecretParts | None) -> list[tuple[str, LegalGround, date | None]]:
    result = []
    for part, value in (secret_parts or {}).items():
        if value is None or value == "":
            continue
        expires_on = None
        if isinstance(value, dict):
            ground, expires_on = value.get("legal_ground"), value.get("expires_on")
        elif isinstance(value, tuple | list):
            ground, expires_on = value[0], (value[1] if len(value) > 1 else None)
        else:
            ground = value
        if not isinstance(ground, LegalGround):
            ground = LegalGround.objects.filter(pk=ground).first() if str(ground).isdecimal() else (
                LegalGround.objects.filter(code=ground).first()
            )
            if ground is None:
                raise DomainError("Okänt lagrum för sekretessmarkeringen.")
        if part not in SecrecyPart.values:
            raise DomainError(f"Okänd del: {part!r}.")
        result.append((part, ground, expires_on))
    return result


def _sender_kind(kind: str | None, private: bool | None, direction: str, sender: str) -> str:
    """The sender's kind: as given; else from the old yes/no "private person"; else unknown (the
    postlista then hides the name without calling anyone a private person)."""
    if kind:
        if kind not in SenderKind.values:
            raise DomainError(f"Okänd art av avsändare/mottagare: {kind!r}.")
        return kind
    if private is not None:
        return SenderKind.PRIVATE_PERSON if private else SenderKind.ORGANISATION
    return SenderKind.UNKNOWN


def _json_safe(value):
    return json.loads(json.dumps(value, default=str))


# --- registering --------------------------------------------------------------------------------


def document_register(
    *,
    case: Case,
    direction: str,
    date: date,
    sender: str,
    description: str,
    public_description: str = "",
    reason: str,
    actor,
    content: str = "",
    content_meta: dict | None = None,
    source_type: str = "",
    source_id: str = "",
    sender_is_private_person: bool | None = None,
    sender_kind: str | None = None,
    secret_parts: SecretParts | None = None,
) -> Document:
    """Register one document in an open case.

    Guarantees, all in one transaction: the content snapshot and its SHA-256 are frozen (they never
    change afterwards); the secret parts are marked with their legal grounds; the next document number
    of the case is taken as the last step (numbering.numbers_deferred: no gap, none consumed on
    rollback, the counter locked only until commit), with the history row and one audit event.
    A source can hold only one live (not voided) registration: a second raises Conflict.
    """
    _check_reason(reason)
    if direction not in Direction.values:
        raise DomainError("Ange om handlingen är inkommen eller upprättad.")
    description = (description or "").strip()
    if not description:
        raise DomainError("Ange en beskrivning av handlingen.")
    if date is None:
        raise DomainError("Ange datum då handlingen kom in eller upprättades.")
    if isinstance(date, datetime):
        date = timezone.localtime(date).date() if timezone.is_aware(date) else date.date()
    marks = _normalise_secret_parts(secret_parts)
    source_id = str(source_id or "")
    # Inside a unit no savepoint of our own: the unit is all or nothing (a round trip less each way).
    with registration_unit():
        case = unit_case(case.pk) or Case.objects.select_related("series").get(pk=case.pk)
        if case.status != CaseStatus.OPEN:
            raise TransitionNotAllowed(f"Ärendet {case.number} är avslutat. Öppna det igen för att diarieföra i det.")
        if source_type and Document.objects.from_source(source_type, source_id).filter(voided=False).exists():
            raise Conflict("Källan är redan diarieförd.")
        document = Document(
            case=case,
            direction=direction,
            date=date,
            sender=(sender or "").strip()[:300],
            sender_kind=_sender_kind(sender_kind, sender_is_private_person, direction, sender),
            description=description[:500],
            public_description=(public_description or "").strip()[:500],
            reason=reason,
            source_type=source_type or "",
            source_id=source_id if source_type else "",
            content=content or "",
            content_meta=_json_safe(content_meta or {}),
            content_sha256=content_hash(content or ""),
            registered_by=_actor(actor),
            registered_at=timezone.now(),
        )
        document.skip_history_when_saving = True  # the history row is written with the number
        try:
            if source_type:  # a concurrent registration of the same source meets the unique constraint
                with transaction.atomic():
                    document.save()
            else:
                document.save()
        except IntegrityError as exc:
            raise Conflict("Källan är redan diarieförd.") from exc
        del document.skip_history_when_saving
        if marks:  # after the number: the markings' audit rows name the document by it

            def mark_secret() -> None:
                for part, ground, expires_on in marks:
                    secrecy_mark(document=document, part=part, legal_ground=ground, actor=actor,
                                 expires_on=expires_on)

            after_numbers(mark_secret)
        pending_document(document, actor=actor, action=AuditAction.DOCUMENT_REGISTERED, detail={
            "operation": "document_register", "reason": reason, "secret_parts": sorted(p for p, _g, _e in marks)})
    return document


def _source_snapshot(source_type: str, source_id: str) -> tuple[registry.SourceAdapter, dict]:
    try:
        adapter = registry.source(source_type)
    except LookupError as exc:
        raise DomainError(f"Okänd källtyp för diarieföring: {source_type}.") from exc
    try:
        snapshot = adapter.snapshot(str(source_id))
    except (ObjectDoesNotExist, ValueError):
        snapshot = None
    if not snapshot:
        raise DomainError("Källan finns inte längre och kan inte diarieföras.")
    return adapter, snapshot


def snapshot_defaults(source_type: str, source_id: str, reason: str = "") -> dict:
    """Defaults for the register form from a source's snapshot (no writes)."""
    adapter, snap = _source_snapshot(source_type, source_id)
    return _defaults(adapter, snap, source_id, reason)


def _defaults(adapter: registry.SourceAdapter, snap: dict, source_id: str, reason: str) -> dict:
    when = snap.get("date")
    if isinstance(when, datetime):
        when = timezone.localtime(when).date() if timezone.is_aware(when) else when.date()
    kind = snap.get("kind") or adapter.label
    channel = snap.get("channel") or ""
    description = f"{str(kind).capitalize()} på {channel}".strip() if channel else str(adapter.label)
    if reason:
        description = f"{description} – {RegistrationReason(reason).label.lower()}"
    return {
        "label": adapter.label,
        "url": adapter.url(str(source_id)),
        "text": snap.get("text") or "",
        "sender": snap.get("sender_name") or "",
        "sender_kind": snap.get("sender_kind") or SenderKind.UNKNOWN,
        "direction": snap.get("direction") or Direction.INCOMING,
        "date": when or timezone.localdate(),
        "channel": channel,
        "kind": snap.get("kind") or "",
        "description": description[:500],
        "case_title": f"{adapter.label}, {channel}".strip(", ")[:500],
    }


def document_register_from_source(
    *,
    source_type: str,
    source_id: str,
    case: Case | None = None,
    new_case_title: str | None = None,
    series: Series | None = None,
    reason: str,
    actor,
    description: str | None = None,
    public_description: str | None = None,
    secret_parts: SecretParts | None = None,
    new_case: dict | None = None,
    sender_kind: str | None = None,
    running: bool = False,
) -> Document:
    """Register a source item (e.g. a moderation item) via `records.registry`.

    Takes the snapshot from the source's adapter, stores it as the frozen content, registers into
    `case` or a new case (`new_case_title` in `series`, or `new_case` = {series, title,
    public_title, unit, responsible, classification_code}), and tells the source it is registered
    (`mark_registered`), all in one transaction and one numbering unit (a new case and its document
    take their numbers together at the end). The sender's kind comes from the source (the author's
    platform account) unless the registrar says otherwise (`sender_kind`). With `running` it goes to the
    running case for the reason (running_case_for: opened when the year turns). The source's files
    (`snapshot["files"]`: pictures, evidence sheets) are copied into the document and frozen with it
    (records.DocumentFile).
    """
    _check_reason(reason)
    source_id = str(source_id)
    adapter, snap = _source_snapshot(source_type, source_id)
    defaults = _defaults(adapter, snap, source_id, reason)
    with registration_unit():
        if case is None and running:
            case = running_case_for(reason=reason, actor=actor)
        if case is None:
            spec = dict(new_case or {})
            spec.setdefault("series", series)
            spec.setdefault("title", new_case_title or defaults["case_title"])
            if spec.get("series") is None:
                raise DomainError("Välj ett ärende eller en diarieserie för ett nytt ärende.")
            case = case_open(
                series=spec["series"], title=spec.get("title") or defaults["case_title"],
                public_title=spec.get("public_title") or "", unit=spec.get("unit"),
                responsible=spec.get("responsible"), classification_code=spec.get("classification_code") or "",
                actor=actor,
            )
        meta = {
            "source_label": adapter.label,
            "sender_id": snap.get("sender_id") or "",
            "url": snap.get("url") or "",
            "channel": snap.get("channel") or "",
            "kind": snap.get("kind") or "",
            "source_date": snap.get("date"),
            "meta": snap.get("meta") or {},
        }
        document = document_register(
            case=case,
            direction=snap.get("direction") or Direction.INCOMING,
            date=defaults["date"],
            sender=snap.get("sender_name") or "",
            description=description or defaults["description"],
            public_description=public_description or "",
            reason=reason,
            actor=actor,
            content=snap.get("text") or "",
            content_meta=meta,
            source_type=source_type,
            source_id=source_id,
            sender_kind=sender_kind or snap.get("sender_kind") or None,
            sender_is_private_person=snap.get("sender_is_private_person"),
            secret_parts=secret_parts,
        )
        if snap.get("files"):
            from records.diarium.services.files import document_files_copy

            document_files_copy(document=document, files=snap["files"])
        if adapter.mark_registered is not None:
            after_numbers(lambda: adapter.mark_registered(source_id, document))
    return document


# --- the inbox ----------------------------------------------------------------------------------


def proposal_create(
    *,
    source_type: str,
    source_id: str,
    reason: str,
    suggested_description: str = "",
    proposed_by=None,
    secret: bool = False,
) -> RegistrationProposal | Document:
    """Propose a source for registration (moderation calls this when it removes an item, etc.).

    Guarantees: idempotent — a pending proposal for the same source and reason is returned (and
    flagged secret if this call says so); a source already registered (live document) returns
    that document unless the call is `secret` and the content is not yet marked secret. When the
    administrator's `RegistrationSetting(reason).auto_register` is on (and a default series is
    set), the source is registered at once — into the reason's running case when one is configured,
    else into a new case — and the Document is returned; secret
    proposals always go to the registrar, who must choose the legal ground (OSL 5 kap. 1 §: they
    are always registered, never merely kept in order).
    """
    _check_reason(reason)
    source_id = str(source_id)
    with transaction.atomic():
        existing_doc = (
            Document.objects.from_source(source_type, source_id).filter(voided=False).with_secrecy().first()
        )
        if existing_doc is not None and (not secret or SecrecyPart.CONTENT in existing_doc.secret_parts()):
            return existing_doc
        pending = (
            RegistrationProposal.objects.select_for_update()
            .filter(source_type=source_type, source_id=source_id, reason=reason, status=ProposalStatus.PENDING)
            .first()
        )
        if pending is not None:
            if secret and not pending.secret:
                pending.secret = True
                pending.save(update_fields=["secret"])
            return pending
        setting = RegistrationSetting.objects.filter(reason=reason).select_related("default_series").first()
        if (
            existing_doc is None and not secret and setting is not None and setting.auto_register
            and setting.default_series is not None
        ):
            # Into the reason's running case when one is configured, else a new case in the series.
            return document_register_from_source(
                source_type=source_type, source_id=source_id, series=setting.default_series, reason=reason,
                actor=proposed_by, description=suggested_description or None,
                running=bool(setting.running_case_title),
            )
        try:
            with transaction.atomic():
                proposal = RegistrationProposal.objects.create(
                    source_type=source_type,
                    source_id=source_id,
                    reason=reason,
                    suggested_description=(suggested_description or "")[:500],
                    proposed_by=_actor(proposed_by),
                    secret=bool(secret),
                )
        except IntegrityError:
            proposal = RegistrationProposal.objects.get(
                source_type=source_type, source_id=source_id, reason=reason, status=ProposalStatus.PENDING
            )
    return proposal


def _lock_pending(proposal: RegistrationProposal) -> RegistrationProposal:
    proposal = RegistrationProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.PENDING:
        raise TransitionNotAllowed(
            f"Förslaget är redan behandlat ({ProposalStatus(proposal.status).label.lower()})."
        )
    return proposal


def proposal_accept(
    *,
    proposal: RegistrationProposal,
    actor,
    case: Case | None = None,
    new_case: dict | None = None,
    description: str | None = None,
    public_description: str | None = None,
    secret_parts: SecretParts | None = None,
    sender_kind: str | None = None,
    running: bool = False,
) -> Document:
    """Register the proposed source into `case`, the running case for its reason (`running`), or a new
    case (`new_case` = {series, title, …}).

    Guarantees: the proposal moves to "accepted" and points at the document, in the same
    transaction as the registration (the number is taken last, numbering.numbers_deferred); a secret
    proposal must mark the content secret; when the source is already registered (another proposal
    for it was accepted) the markings are added to that document instead of registering it twice.
    """
    marks = _normalise_secret_parts(secret_parts)
    with registration_unit():
        proposal = _lock_pending(proposal)
        existing = (
            Document.objects.from_source(proposal.source_type, proposal.source_id)
            .filter(voided=False).with_secrecy().first()
        )
        already_secret = existing.secret_parts() if existing is not None else set()
        if proposal.secret and SecrecyPart.CONTENT not in {p for p, _g, _e in marks} | already_secret:
            raise DomainError(
                "Förslaget innehåller sekretessbelagda uppgifter: markera innehållet som sekretess med lagrum "
                "(OSL 5 kap. 1 §)."
            )
        if existing is not None:
            document = existing
            for part, ground, expires_on in marks:
                if part not in already_secret:
                    secrecy_mark(document=document, part=part, legal_ground=ground, actor=actor,
                                 expires_on=expires_on)
            document = Document.objects.get(pk=document.pk)  # without the stale marking prefetch
        else:
            if case is None and not new_case and not running:
                raise DomainError("Välj ett befintligt ärende eller ange ett nytt.")
            document = document_register_from_source(
                source_type=proposal.source_type, source_id=proposal.source_id, case=case, new_case=new_case,
                reason=proposal.reason, actor=actor,
                description=description or proposal.suggested_description or None,
                public_description=public_description, secret_parts=secret_parts, sender_kind=sender_kind,
                running=running,
            )
        transition(proposal, ProposalStatus.ACCEPTED)
        proposal.decided_by = _actor(actor)
        proposal.decided_at = timezone.now()
        proposal.document = document
        proposal.save(update_fields=["status", "decided_by", "decided_at", "document"])
    return document


def proposals_accept_bulk(
    *,
    proposals: list[RegistrationProposal],
    actor,
    case: Case | None = None,
    running: bool = False,
    new_case: dict | None = None,
) -> list[Document]:
    """Register several proposals into one case — `case`, the running case of their (one) reason, or one
    new case — in one transaction.

    Guarantees: all or nothing (one refused proposal rolls every registration back); the documents get
    consecutive numbers in the order the proposals are given (one numbering unit: the case's counter is
    locked once, at the end); a proposal marked secret is refused here (each needs its legal ground,
    OSL 5 kap. 1 §: register it on its own page).
    """
    if not proposals:
        raise DomainError("Markera minst ett förslag att diarieföra.")
    if len({p.pk for p in proposals}) != len(proposals):
        raise DomainError("Samma förslag är markerat två gånger.")
    secret = [p for p in proposals if p.secret]
    if secret:
        raise DomainError(f"{len(secret)} av förslagen innehåller sekretessbelagda uppgifter och måste diarieföras "
                          "ett i taget med lagrum för sekretessen (OSL 5 kap. 1 §).")
    reasons = {p.reason for p in proposals}
    if running and len(reasons) > 1:
        raise DomainError("De markerade förslagen har olika skäl och därmed olika löpande ärenden: välj ett ärende.")
    if case is None and not running and not new_case:
        raise DomainError("Välj ett ärende för förslagen.")
    documents = []
    with registration_unit():
        if running:
            case = running_case_for(reason=next(iter(reasons)), actor=actor)
        elif case is None:
            spec = dict(new_case)
            case = case_open(series=spec["series"], title=spec.get("title") or "", public_title=spec.get(
                "public_title") or "", actor=actor)
        for proposal in proposals:
            documents.append(proposal_accept(proposal=proposal, actor=actor, case=case))
    return documents


def proposal_decline(*, proposal: RegistrationProposal, actor, reason: str) -> RegistrationProposal:
    """Decline a proposal: the source is kept in order (hålls ordnad), not registered.

    Refused for secret proposals (OSL 5 kap. 1 §: secret information is always registered).
    """
    reason = (reason or "").strip()
    with transaction.atomic():
        proposal = _lock_pending(proposal)
        assert_action(proposal, "decline", actor)
        if not reason:
            raise DomainError("Ange skäl för att avböja förslaget.")
        transition(proposal, ProposalStatus.DECLINED)
        proposal.decided_by = _actor(actor)
        proposal.decided_at = timezone.now()
        proposal.decline_reason = reason
        proposal.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
        audit_record(actor=actor, action=AuditAction.PROPOSAL_DECLINED, target=proposal,
                     detail={"operation": "proposal_decline"})
    return proposal


# --- after registration -------------------------------------------------------------------------


def document_void(*, document: Document, actor, reason: str) -> Document:
    """Void (makulera) a mistaken registration: never deleted, its number stays taken."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Ange skäl för makuleringen.")
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        if document.voided:
            raise TransitionNotAllowed(f"Handlingen {document.number} är redan makulerad.")
        document.voided = True
        document.voided_at = timezone.now()
        document.voided_by = _actor(actor)
        document.void_reason = reason
        document.save(update_fields=["voided", "voided_at", "voided_by", "void_reason"])
        audit_record(actor=actor, action=AuditAction.DOCUMENT_VOIDED, target=document,
                     detail={"operation": "document_void"})
    return document


def document_update_description(
    *, document: Document, actor, description: str, public_description: str = ""
) -> Document:
    """Change the registered description (the content snapshot never changes)."""
    description = (description or "").strip()
    if not description:
        raise DomainError("Ange en beskrivning av handlingen.")
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        if document.voided:
            raise TransitionNotAllowed(f"Handlingen {document.number} är makulerad och kan inte ändras.")
        document.description = description[:500]
        document.public_description = (public_description or "").strip()[:500]
        document.save(update_fields=["description", "public_description"])
        audit_record(actor=actor, action=AuditAction.DOCUMENT_CHANGED, target=document,
                     detail={"operation": "document_update_description"})
    return document

"""Secrecy (sekretess) per part of a document, and the ONE way to read a document.

Every surface that shows a document (views, API, search, postlista, exports, disclosure) reads it
through `document_view`, `documents_for_list` or `public_view`; they replace the secret parts with
None (and say `masked: True`) for users without `records.view_secret`, and audit every delivery of
secret parts to users who may see them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from accounts.errors import Conflict, DomainError
from accounts.models import AuditAction
from accounts.services import audit_record
from records.models import Document, LegalGround, SecrecyMarking, SecrecyPart

MASK_SECRET = "[skyddad uppgift]"
MASK_PRIVATE = "[privatperson]"
MISSING_DESCRIPTION = "[beskrivning saknas]"

# The dict keys `document_view` returns for each secret part.
PART_KEYS: dict[str, tuple[str, ...]] = {
    SecrecyPart.SENDER: ("sender",),
    # The public description is what may be shown instead of a secret description: never masked.
    SecrecyPart.DESCRIPTION: ("description",),
    SecrecyPart.CONTENT: ("content", "content_meta", "content_sha256"),
}


def may_view_secret(user) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and user.has_perm("records.view_secret")
    )


def _part_value(part: str) -> str:
    valid = {p.value for p in SecrecyPart}
    if part not in valid:
        raise DomainError(f"Okänd del: {part!r}. Välj avsändare, beskrivning eller innehåll.")
    return part


def secrecy_mark(
    *, document: Document, part: str, legal_ground: LegalGround, actor, expires_on: date | None = None
) -> SecrecyMarking:
    """Mark one part of a document secret on a legal ground (OSL 5 kap. 2 §).

    Guarantees: at most one marking in force per part (a second one is refused with a message);
    the marking and its audit event are written in the caller's transaction. The audit detail
    holds the part and the legal ground, never the secret value.
    """
    part = _part_value(part)
    if legal_ground is None:
        raise DomainError("Ange lagrum för sekretessmarkeringen.")
    if not legal_ground.active:
        raise DomainError(f"Lagrummet {legal_ground.code} är inte aktivt.")
    today = timezone.localdate()
    if expires_on is not None and expires_on <= today:
        raise DomainError("Dagen då sekretessen upphör måste ligga i framtiden.")
    with transaction.atomic():
        existing = (
            SecrecyMarking.objects.select_for_update()
            .filter(document=document, part=part, lifted_at__isnull=True)
            .first()
        )
        if existing is not None:
            if existing.is_active(today):
                raise Conflict(f"{SecrecyPart(part).label} är redan sekretessmarkerad ({existing.legal_ground.code}).")
            # An expired marking still blocks the unique constraint: close it as expired first.
            existing.lifted_at = timezone.now()
            existing.lifted_by = actor if getattr(actor, "is_authenticated", False) else None
            existing.lift_reason = "Sekretesstiden har löpt ut."
            existing.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
        marking = SecrecyMarking.objects.create(
            document=document,
            part=part,
            legal_ground=legal_ground,
            marked_by=actor if getattr(actor, "is_authenticated", False) else None,
            expires_on=expires_on,
        )
        audit_record(
            actor=actor, action=AuditAction.SECRECY_MARKED, target=document,
            detail={"operation": "secrecy_mark", "part": part, "legal_ground": legal_ground.code,
                    "expires_on": expires_on.isoformat() if expires_on else None},
        )
    return marking


def secrecy_lift(*, marking: SecrecyMarking, actor, reason: str) -> SecrecyMarking:
    """Lift a marking (the part becomes public); the marking stays, with who, when and why."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Ange skäl för att häva sekretessmarkeringen.")
    with transaction.atomic():
        marking = SecrecyMarking.objects.select_for_update().get(pk=marking.pk)
        if marking.lifted_at is not None:
            raise Conflict("Sekretessmarkeringen är redan hävd.")
        marking.lifted_at = timezone.now()
        marking.lifted_by = actor if getattr(actor, "is_authenticated", False) else None
        marking.lift_reason = reason
        marking.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
        audit_record(
            actor=actor, action=AuditAction.SECRECY_LIFTED, target=marking.document,
            detail={"operation": "secrecy_lift", "part": marking.part, "legal_ground": marking.legal_ground.code},
        )
    return marking


def _secrecy_list(document: Document) -> list[dict]:
    return [
        {
            "id": m.pk,
            "part": m.part,
            "part_label": str(SecrecyPart(m.part).label),
            "legal_ground": m.legal_ground.code,
            "legal_ground_title": m.legal_ground.title,
            "expires_on": m.expires_on,
            "marked_at": m.marked_at,
        }
        for m in sorted(document.active_markings(), key=lambda m: m.part)
    ]


def _base(document: Document) -> dict:
    case = document.case
    return {
        "id": document.pk,
        "number": document.number,
        "case_id": document.case_id,
        "case_number": case.number,
        "case_title": case.display_title,
        "sequence": document.sequence,
        "direction": document.direction,
        "direction_label": document.get_direction_display(),
        "date": document.date,
        "sender": document.sender,
        "sender_is_private_person": document.sender_is_private_person,
        "sender_kind": document.sender_kind,
        "sender_kind_label": document.get_sender_kind_display(),
        "description": document.description,
        "public_description": document.public_description,
        "reason": document.reason,
        "reason_label": document.get_reason_display(),
        "source_type": document.source_type,
        "source_id": document.source_id,
        "content": document.content,
        "content_meta": document.content_meta,
        "content_sha256": document.content_sha256,
        "registered_by": document.registered_by.get_username() if document.registered_by_id else "",
        "registered_at": document.registered_at,
        "voided": document.voided,
        "voided_at": document.voided_at,
        "void_reason": document.void_reason,
        "purged": document.is_purged,
        "document": document,
    }


def _view(document: Document, allowed: bool) -> tuple[dict, bool]:
    """(the dict, whether secret parts were delivered)."""
    data = _base(document)
    secret = document.secret_parts()
    data["secrecy"] = _secrecy_list(document)
    data["secret_parts"] = sorted(secret)
    masked_parts: list[str] = []
    if not allowed:
        for part in secret:
            for key in PART_KEYS.get(part, ()):
                data[key] = None
            masked_parts.append(part)
        # The case title may repeat a secret description: show the public title only.
        if secret and not document.case.public_title and "description" in secret:
            data["case_title"] = None
    data["masked"] = bool(masked_parts)
    data["masked_parts"] = sorted(masked_parts)
    # What a list shows as the description: the public one when the internal one is masked.
    if data["description"] is None:
        data["display_description"] = document.public_description or MISSING_DESCRIPTION
    else:
        data["display_description"] = data["description"]
    return data, bool(secret) and allowed


def _audit_secret_viewed(*, user, documents: list[Document], request=None, surface: str = "") -> None:
    for document in documents:
        audit_record(
            actor=user, action=AuditAction.SECRET_VIEWED, target=document, request=request,
            detail={"parts": sorted(document.secret_parts()), "surface": surface or "view"},
        )


def secret_viewed_audit(*, user, target, parts: Iterable[str], surface: str, request=None) -> None:
    """Log one delivery of secret information about `target` (any object, or a (type, id, label)
    tuple) to a user allowed to see it: DESIGN 3, "every view of it is logged". The detail names the
    parts and the surface, never the secret value."""
    audit_record(actor=user, action=AuditAction.SECRET_VIEWED, target=target, request=request,
                 detail={"parts": sorted(parts), "surface": surface})


# --- secrecy that follows the information outside the document ------------------------------------
#
# A marking is made on a document, but the same information sits in the source it was registered
# from (a comment, its versions, its flags, its author's account). Records never imports the
# sources' apps: it answers "which parts of which sources are secret" by their (type, id), the
# same strings stored in Document.source_type/source_id, and the sources' apps mask accordingly.


def active_markings() -> QuerySet:
    """Markings in force today, on any document (voided or not: secrecy follows the information,
    not the registration)."""
    return SecrecyMarking.objects.active()


def source_secrecy(source_type: str, source_ids: Iterable) -> dict[str, set[str]]:
    """{source_id: secret parts} for the documents registered from these sources, in ONE query.

    Sources without a marking in force are left out. Served by the document index on
    (source_type, source_id) and the marking's document foreign key.
    """
    ids = sorted({str(i) for i in source_ids})
    if not ids:
        return {}
    result: dict[str, set[str]] = {}
    rows = active_markings().filter(document__source_type=source_type, document__source_id__in=ids)
    for source_id, part in rows.values_list("document__source_id", "part"):
        result.setdefault(source_id, set()).add(part)
    return result


def source_marking_exists(source_type: str, source_id, parts: Iterable[str]) -> Exists:
    """An `Exists` for annotations and filters over another app's rows: true when a document
    registered from the source has a marking in force on one of `parts`.

    `source_id` is an expression giving the source id as text for the outer row (e.g.
    `Cast(OuterRef("pk"), CharField())`) or a queryset of such ids (`.values(...)` of one column).
    """
    markings = active_markings().filter(part__in=list(parts), document__source_type=source_type)
    if isinstance(source_id, QuerySet):
        return Exists(markings.filter(document__source_id__in=source_id))
    return Exists(markings.filter(document__source_id=source_id))


def sources_with_secret_part(source_type: str, part: str) -> QuerySet:
    """The ids (text) of the sources of this type whose documents have `part` secret: a queryset
    of one column for `__in` filters (e.g. the accounts whose sender is secret)."""
    return (active_markings().filter(part=part, document__source_type=source_type)
            .values("document__source_id"))


def target_secrecy(target_type: str, ids: Iterable) -> dict[str, set[str]]:
    """{id: secret parts} for any kind of object: a document's own markings, or for a source (an
    item, an account) the markings of documents registered from it plus what its own app marks
    (`registry.SecrecyHook.own_parts`). A constant number of queries whatever the number of ids."""
    from records import registry

    ids = [str(i) for i in ids]
    if not ids:
        return {}
    if target_type == "records.document":
        result: dict[str, set[str]] = {}
        rows = active_markings().filter(document_id__in=[int(i) for i in ids if i.isdecimal()])
        for document_id, part in rows.values_list("document_id", "part"):
            result.setdefault(str(document_id), set()).add(part)
        return result
    result = source_secrecy(target_type, ids)
    hook = registry.secrecy_hook(target_type)
    if hook is not None:
        for key, parts in hook.own_parts(ids).items():
            if parts:
                result.setdefault(str(key), set()).update(parts)
    return result


def document_view(document: Document, user, *, audit_request=None, surface: str = "") -> dict:
    """Every field of a document as the user may see it.

    Secret parts (markings in force) are None and `masked` is True when the user lacks
    `records.view_secret`. When a user with the permission receives secret parts, one
    `secret_viewed` audit event is written per call (pass the request for the IP address).
    """
    allowed = may_view_secret(user)
    data, delivered_secret = _view(document, allowed)
    if delivered_secret:
        _audit_secret_viewed(user=user, documents=[document], request=audit_request, surface=surface)
    return data


def prefetch_secrecy(documents: list[Document]) -> list[Document]:
    """Load the active markings of many documents in one query (into `active_secrecy_markings`)."""
    missing = [d for d in documents if not hasattr(d, "active_secrecy_markings")]
    if missing:
        prefetch_related_objects(missing, Prefetch(
            "secrecy_markings", queryset=SecrecyMarking.objects.active().select_related("legal_ground"),
            to_attr="active_secrecy_markings",
        ))
    return documents


def documents_for_list(documents: Iterable[Document], user, *, audit_request=None, surface: str = "list") -> list[dict]:
    """`document_view` for many documents without N+1.

    Pass a queryset (it is given `select_related("case", "registered_by")` and the active-marking
    prefetch) or a list of documents already prefetched with `Document.objects.with_secrecy()`.
    Audits one `secret_viewed` per secret document delivered to a permitted user.
    """
    if hasattr(documents, "model") and hasattr(documents, "prefetch_related"):
        documents = documents.select_related("case", "registered_by").with_secrecy()
    else:
        documents = list(documents)
        prefetch_secrecy(documents)
    allowed = may_view_secret(user)
    rows: list[dict] = []
    delivered: list[Document] = []
    for document in documents:
        data, delivered_secret = _view(document, allowed)
        rows.append(data)
        if delivered_secret:
            delivered.append(document)
    if delivered:
        _audit_secret_viewed(user=user, documents=delivered, request=audit_request, surface=surface)
    return rows


def public_view(document: Document) -> dict:
    """What the public postlista shows of one document (no user, no audit).

    Secret parts are masked with a marker string; a private person's name is replaced by
    "[privatperson]" when settings.UPPSIKT_HIDE_PRIVATE_SENDERS (default True); a masked
    description falls back to the public description or "[beskrivning saknas]", never to the
    internal one. Content is never part of the public view.
    """
    secret = document.secret_parts()
    hide_private = getattr(settings, "UPPSIKT_HIDE_PRIVATE_SENDERS", True)
    if "sender" in secret:
        sender = MASK_SECRET
    elif marker := document.public_name_marker(hide_private):  # private person or unknown, never an organisation
        sender = marker
    else:
        sender = document.sender
    if "description" in secret:
        description = document.public_description or MISSING_DESCRIPTION
    else:
        description = document.public_description or document.description
    case = document.case
    if case.public_title:
        case_title = case.public_title
    elif "description" in secret or document.secret_parts():
        case_title = ""
    else:
        case_title = case.title
    return {
        "id": document.pk,
        "number": document.number,
        "case_number": case.number,
        "case_title": case_title,
        "date": document.date,
        "direction": document.direction,
        "direction_label": document.get_direction_display(),
        "sender": sender,
        "sender_masked": sender != document.sender,
        "description": description,
        "masked": bool(secret),
    }


def public_documents():
    """The postlista's queryset: registered, not voided, not purged, markings prefetched."""
    return Document.objects.public().select_related("case").with_secrecy().order_by("-date", "-id")


# --- extending a sender marking to the same sender elsewhere --------------------------------------


class SenderRelatives:
    """Where else the sender of a document appears: live documents not yet marked (same sender
    text, or registered from a source by the same account) and sources not yet registered."""

    def __init__(self, documents: list[Document], sources: list) -> None:
        self.documents = documents
        self.sources = sources

    def __bool__(self) -> bool:
        return bool(self.documents or self.sources)

    @property
    def count(self) -> int:
        return len(self.documents) + len(self.sources)


def sender_marking(document: Document) -> SecrecyMarking | None:
    return next((m for m in document.active_markings() if m.part == SecrecyPart.SENDER), None)


def sender_relatives(*, document: Document) -> SenderRelatives:
    """The other documents and sources that carry the same sender as `document` (whose sender is
    marked secret), for the registrar to extend the marking to (`secrecy_extend_to_sender`).

    A few queries whatever the number of matches: documents by the sender text (case-insensitive)
    and by source, each source kind's own lookup (`registry.SecrecyHook.same_sender`). Empty when
    the document's sender is not marked secret.
    """
    from records import registry

    if sender_marking(document) is None:
        return SenderRelatives([], [])
    sender = (document.sender or "").strip()
    candidates = Document.objects.filter(voided=False, purged_at__isnull=True).exclude(pk=document.pk)
    found: dict[int, Document] = {}
    if len(sender) >= 3:
        # iexact folds only ASCII on SQLite: the usual spellings of a name are asked for as well.
        same = Q(pk__in=[])
        for variant in {sender, sender.lower(), sender.upper(), sender.title()}:
            same |= Q(sender__iexact=variant)
        found.update({d.pk: d for d in candidates.filter(same)[:200]})
    unregistered = []
    for hook in registry.secrecy_hooks():
        if hook.same_sender is None:
            continue
        own_id = document.source_id if document.source_type == hook.type else None
        matches = hook.same_sender(own_id, sender)
        if not matches:
            continue
        registered = {d.source_id: d for d in candidates.filter(source_type=hook.type,
                                                                  source_id__in=[m.id for m in matches])}
        found.update({d.pk: d for d in registered.values()})
        unregistered += [m for m in matches if m.id not in registered]
    documents = prefetch_secrecy(sorted(found.values(), key=lambda d: (d.date, d.pk)))
    documents = [d for d in documents if SecrecyPart.SENDER not in d.secret_parts()]
    return SenderRelatives(documents, unregistered)


def secrecy_extend_to_sender(
    *, document: Document, actor, documents: Iterable = (), sources: Iterable[tuple[str, str]] = (),
) -> dict:
    """Extend the secret-sender marking of `document` to other documents and sources carrying the
    same sender, in one step (OSL 5 kap. 2 §: the same information is masked wherever it appears).

    Guarantees, in one transaction: each chosen document gets a sender marking on the same legal
    ground and with the same end date; each chosen source not yet registered is registered into the
    document's case with its sender marked (OSL 5 kap. 1 §: information under secrecy is registered),
    reason "confidential"; only relatives of the document (`sender_relatives`) are accepted, anything
    else is refused whole; one audit event names the counts and numbers, never the sender.
    """
    from records.diarium.services.registration import document_register_from_source

    document = Document.objects.with_secrecy().select_related("case").get(pk=document.pk)
    marking = sender_marking(document)
    if marking is None:
        raise DomainError("Avsändaren är inte sekretessmarkerad: markera den först.")
    relatives = sender_relatives(document=document)
    allowed_docs = {d.pk: d for d in relatives.documents}
    allowed_sources = {(m.type, str(m.id)) for m in relatives.sources}
    chosen_docs = [int(getattr(d, "pk", d)) for d in documents]
    chosen_sources = [(str(t), str(i)) for t, i in sources]
    if not chosen_docs and not chosen_sources:
        raise DomainError("Välj minst en handling eller ett inlägg att sekretessmarkera.")
    if any(pk not in allowed_docs for pk in chosen_docs) or any(s not in allowed_sources for s in chosen_sources):
        raise DomainError("Ett val har inte samma avsändare eller är redan markerat: ladda om sidan och välj igen.")
    marked, registered = [], []
    with transaction.atomic():
        for pk in dict.fromkeys(chosen_docs):
            secrecy_mark(document=allowed_docs[pk], part=SecrecyPart.SENDER, legal_ground=marking.legal_ground,
                         expires_on=marking.expires_on, actor=actor)
            marked.append(allowed_docs[pk].number)
        for source_type, source_id in dict.fromkeys(chosen_sources):
            new = document_register_from_source(
                source_type=source_type, source_id=source_id, case=document.case, reason="confidential",
                actor=actor, public_description=document.public_description or "Handling med skyddad avsändare",
                secret_parts={SecrecyPart.SENDER: (marking.legal_ground, marking.expires_on)},
            )
            registered.append(new.number)
        audit_record(actor=actor, action=AuditAction.SECRECY_EXTENDED, target=document, detail={
            "operation": "secrecy_extend_to_sender", "legal_ground": marking.legal_ground.code,
            "marked": marked, "registered": registered,
        })
    return {"marked": marked, "registered": registered}


def notification_document_summary(document: Document) -> str:
    """What a notification may say about a document: the postlista's view (secret parts masked,
    private persons' names hidden, never the content), whoever it is for. A notification leaves
    Uppsikt and its audit log; every notification about documents is built with this."""
    view = public_view(document)
    return f"{view['number']} {view['direction_label'].lower()} {view['date']:%Y-%m-%d}: {view['description']}" + (
        f" (från {view['sender']})" if view["sender"] else "")

"""Every status in records and every allowed transition — the one file to read.

Each status field has a table of actions. An action names the statuses it leaves from, the status
it leads to, the Swedish label of its button and the permission it needs; a `guard` adds what the
law or the four-eyes rule asks beyond status and permission (it answers a Swedish reason when the
action is not possible now, else None). Services call `assert_action()` (or, for transitions the
system makes itself, `assert_transition()`) and then `transition()`, which is the only place a
status is written; views, templates and the API show and allow what `available_actions()` returns.
A refusal raises `accounts.errors.TransitionNotAllowed` with a Swedish message (the API answers 409).

    Case (ärende)            open ──close──▶ closed ──deliver (the archive's receipt)──▶ delivered
                               ▲──reopen──────┘
    RegistrationProposal     pending ──accept──▶ accepted
                                 └────decline──▶ declined   (never for secret information, OSL 5:1)
    DisclosureRequest        received ──review──▶ in_review ──decide──▶ decided ──deliver──▶ delivered
                               every open status ──close──▶ closed;  decided/delivered/closed ──reopen──▶ in_review
    DisclosureRequest.appeal  none ──appeal──▶ pending ──uphold──▶ upheld | ──overturn──▶ overturned
    PurgeList (gallringslista) draft ──propose──▶ proposed ──approve (another archivist)──▶ approved
                               proposed ──return──▶ draft;  approved ──execute──▶ executing ──finish──▶ executed
                               draft/proposed/approved ──cancel──▶ cancelled
    PurgeLine                pending ──purge──▶ done | ──refuse──▶ refused | ──exclude──▶ skipped
    SubjectRequest (GDPR)    received ──search──▶ searching ──answer──▶ answered
                               received/searching/answered ──propose_erasure──▶ erasure_proposed
                               erasure_proposed ──approve_erasure (another archivist)──▶ erasure_approved
                               every open status ──close──▶ closed
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.errors import TransitionNotAllowed
from records.models import (
    AppealStatus,
    Case,
    CaseStatus,
    DisclosureRequest,
    DisclosureStatus,
    ProposalStatus,
    PurgeLine,
    PurgeLineStatus,
    PurgeList,
    PurgeListStatus,
    RegistrationProposal,
    SubjectRequest,
    SubjectRequestStatus,
)

Guard = Callable[[Any, Any], str | None]


@dataclass(frozen=True)
class Action:
    name: str
    label: Any
    sources: frozenset[str]
    target: str
    permission: str | None = None
    guard: Guard | None = None
    system: bool = False  # made by the system (a worker, a service), never offered as a button


@dataclass(frozen=True)
class Flow:
    model: type[models.Model]
    field: str
    choices: type[models.TextChoices]
    noun: Callable[[Any], str]
    actions: tuple[Action, ...]
    by_name: dict[str, Action] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {a.name: a for a in self.actions})

    def targets(self, status: str) -> frozenset[str]:
        return frozenset(a.target for a in self.actions if status in a.sources)

    def label(self, status: str) -> str:
        try:
            return str(self.choices(status).label)
        except ValueError:
            return status


def _four_eyes(attr: str, message) -> Guard:
    def guard(obj, user) -> str | None:
        acted = getattr(obj, f"{attr}_id", None)
        return str(message) if acted is not None and acted == getattr(user, "pk", None) else None
    return guard


def _proposal_declinable(proposal, user) -> str | None:
    if proposal.secret:
        return str(_("Ett förslag med sekretessbelagd information kan inte avböjas: sekretessbelagda uppgifter "
                     "ska alltid registreras (OSL 5 kap. 1 §)."))
    return None


def _case_deliverable(case, user) -> str | None:
    """The archive's receipt can be recorded once a package of the case was handed over, for a case the
    plan says to keep (arkivlagen: what is kept is delivered; what is purged is not)."""
    if not case.archive_deliveries.awaiting_receipt().exists():
        return str(_("Skapa först ett arkivpaket av ärendet och lämna det till e-arkivet."))
    if case.retention_class is None or case.retention_class.action != "keep":
        return str(_("Ärendet ska inte bevaras enligt informationshanteringsplanen och levereras därför inte "
                     "till e-arkivet."))
    return None


def _purge_list_has_lines(pl, user) -> str | None:
    if not pl.lines.filter(excluded=False).exists():
        return str(_("Listan har inga rader kvar att gallra."))
    return None


C, P, D, A = CaseStatus, ProposalStatus, DisclosureStatus, AppealStatus
PL, PLine, SR = PurgeListStatus, PurgeLineStatus, SubjectRequestStatus
_D_OPEN = frozenset({D.RECEIVED, D.IN_REVIEW, D.DECIDED, D.DELIVERED})
_SR_OPEN = frozenset({SR.RECEIVED, SR.SEARCHING, SR.ANSWERED, SR.ERASURE_PROPOSED, SR.ERASURE_APPROVED})

FLOWS: tuple[Flow, ...] = (
    Flow(Case, "status", CaseStatus, lambda c: f"Ärendet {c.number}", (
        Action("close", _("Avsluta ärendet"), frozenset({C.OPEN}), C.CLOSED, "records.change_case"),
        Action("reopen", _("Öppna ärendet igen"), frozenset({C.CLOSED}), C.OPEN, "records.change_case"),
        Action("deliver", _("Registrera arkivets kvittens"), frozenset({C.CLOSED}), C.DELIVERED,
               "records.change_archivedelivery", guard=_case_deliverable),
    )),
    Flow(RegistrationProposal, "status", ProposalStatus, lambda p: "Förslaget till diarieföring", (
        Action("accept", _("Diarieför"), frozenset({P.PENDING}), P.ACCEPTED, "records.register_document"),
        Action("decline", _("Avböj"), frozenset({P.PENDING}), P.DECLINED, "records.register_document",
               guard=_proposal_declinable),
    )),
    Flow(DisclosureRequest, "status", DisclosureStatus, lambda r: f"Begäran {r.reference}", (
        Action("review", _("Pröva"), frozenset({D.RECEIVED}), D.IN_REVIEW, "records.change_disclosurerequest",
               system=True),
        Action("decide", _("Fatta beslut"), frozenset({D.IN_REVIEW}), D.DECIDED, "records.change_disclosurerequest"),
        Action("deliver", _("Lämna ut"), frozenset({D.DECIDED}), D.DELIVERED, "records.change_disclosurerequest"),
        Action("close", _("Avsluta"), _D_OPEN, D.CLOSED, "records.change_disclosurerequest"),
        Action("reopen", _("Pröva på nytt"), frozenset({D.DECIDED, D.DELIVERED, D.CLOSED}), D.IN_REVIEW,
               "records.change_disclosurerequest", system=True),
    )),
    Flow(DisclosureRequest, "appeal_status", AppealStatus, lambda r: f"Överklagandet av {r.reference}", (
        Action("appeal", _("Registrera överklagande"), frozenset({A.NONE}), A.PENDING,
               "records.change_disclosurerequest"),
        Action("uphold", _("Beslutet står fast"), frozenset({A.PENDING}), A.UPHELD, "records.change_disclosurerequest"),
        Action("overturn", _("Beslutet ändrat"), frozenset({A.PENDING}), A.OVERTURNED,
               "records.change_disclosurerequest"),
    )),
    Flow(PurgeList, "status", PurgeListStatus, lambda pl: f"Gallringslistan {pl.reference}", (
        Action("propose", _("Föreslå för godkännande"), frozenset({PL.DRAFT}), PL.PROPOSED, "records.change_purgelist",
               guard=_purge_list_has_lines),
        Action("return", _("Tillbaka till utkast"), frozenset({PL.PROPOSED}), PL.DRAFT, "records.change_purgelist"),
        Action("approve", _("Godkänn"), frozenset({PL.PROPOSED}), PL.APPROVED, "records.approve_purgelist",
               guard=_four_eyes("proposed_by", _("Den som föreslagit gallringslistan får inte själv godkänna "
                                                "den (fyraögonsprincipen)."))),
        Action("execute", _("Verkställ"), frozenset({PL.APPROVED}), PL.EXECUTING, "records.execute_purgelist"),
        Action("finish", _("Verkställd"), frozenset({PL.EXECUTING}), PL.EXECUTED, system=True),
        Action("cancel", _("Avbryt listan"), frozenset({PL.DRAFT, PL.PROPOSED, PL.APPROVED}), PL.CANCELLED,
               "records.change_purgelist"),
    )),
    Flow(PurgeLine, "status", PurgeLineStatus, lambda line: "Raden", (
        Action("purge", _("Gallra"), frozenset({PLine.PENDING}), PLine.DONE, system=True),
        Action("refuse", _("Vägra"), frozenset({PLine.PENDING}), PLine.REFUSED, system=True),
        Action("exclude", _("Undanta"), frozenset({PLine.PENDING}), PLine.SKIPPED, "records.change_purgelist"),
    )),
    Flow(SubjectRequest, "status", SubjectRequestStatus, lambda r: f"Begäran {r.reference}", (
        Action("search", _("Sök"), frozenset({SR.RECEIVED}), SR.SEARCHING, "records.change_subjectrequest",
               system=True),
        Action("answer", _("Besvara"), frozenset({SR.RECEIVED, SR.SEARCHING}), SR.ANSWERED,
               "records.change_subjectrequest", system=True),
        Action("propose_erasure", _("Föreslå radering"), frozenset({SR.RECEIVED, SR.SEARCHING, SR.ANSWERED,
                                                                     SR.ERASURE_PROPOSED}),
               SR.ERASURE_PROPOSED, "records.change_subjectrequest"),
        Action("approve_erasure", _("Godkänn radering"), frozenset({SR.ERASURE_PROPOSED}), SR.ERASURE_APPROVED,
               "records.approve_subjectrequest",
               guard=_four_eyes("handled_by", _("Den som handlagt begäran får inte själv godkänna raderingen "
                                               "(fyraögonsprincipen)."))),
        Action("close", _("Avsluta"), _SR_OPEN, SR.CLOSED, "records.change_subjectrequest"),
    )),
)

_BY_MODEL: dict[tuple[type[models.Model], str], Flow] = {(f.model, f.field): f for f in FLOWS}


def flow_for(obj_or_model, field: str = "status") -> Flow:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    try:
        return _BY_MODEL[(model, field)]
    except KeyError:
        raise LookupError(f"No records workflow for {model.__name__}.{field}") from None


def _refuse(flow: Flow, obj, current: str, target: str) -> TransitionNotAllowed:
    return TransitionNotAllowed(
        f"{flow.noun(obj)} kan inte gå från ”{flow.label(current)}” till ”{flow.label(target)}”.")


def assert_transition(obj, to_status: str, *, field: str = "status") -> None:
    """Raise TransitionNotAllowed unless the table allows obj's `field` to move to `to_status`."""
    flow = flow_for(obj, field)
    current = getattr(obj, field)
    if to_status not in flow.targets(current):
        raise _refuse(flow, obj, current, to_status)


def transition(obj, to_status: str, *, field: str = "status") -> None:
    """The one place a records status is written (the caller saves the object)."""
    assert_transition(obj, to_status, field=field)
    setattr(obj, field, to_status)


def action_refusal(obj, name: str, user, *, field: str = "status") -> str | None:
    """Why `user` may not take action `name` on obj now, or None when they may."""
    flow = flow_for(obj, field)
    action = flow.by_name[name]
    current = getattr(obj, field)
    if current not in action.sources:
        return str(_refuse(flow, obj, current, action.target).message)
    if user is not None and action.permission and not user.has_perm(action.permission):
        return str(_("Du saknar behörighet för den här åtgärden."))
    if action.guard is not None:
        return action.guard(obj, user)
    return None


def assert_action(obj, name: str, user, *, field: str = "status") -> Action:
    """Raise TransitionNotAllowed unless `user` may take action `name` on obj now; returns the action.
    A user of None is the system (a worker or a command), which needs no permission."""
    reason = action_refusal(obj, name, user, field=field)
    if reason:
        raise TransitionNotAllowed(reason)
    return flow_for(obj, field).by_name[name]


def available_actions(obj, user, *, field: str = "status") -> list[Action]:
    """The actions `user` may take on obj now (what pages show as buttons and the API allows)."""
    flow = flow_for(obj, field)
    return [a for a in flow.actions if not a.system and action_refusal(obj, a.name, user, field=field) is None]


def available_names(obj, user, *, field: str = "status") -> set[str]:
    return {a.name for a in available_actions(obj, user, field=field)}


def assert_bulk_transition(model: type[models.Model], sources: Iterable[str], to_status: str,
                           *, field: str = "status") -> None:
    """For set-based writes (a batch of purge lines): every source status must allow the target."""
    flow = flow_for(model, field)
    for source in sources:
        if to_status not in flow.targets(source):
            raise TransitionNotAllowed(f"Kan inte gå från ”{flow.label(source)}” till ”{flow.label(to_status)}”.")

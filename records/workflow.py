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
    DisclosureRequest (TF 2 kap., OSL 6 kap. 3 §; the guards are in records.disclosure.guards)
                             received ──review──▶ in_review ──decide──▶ decided ──answer──▶ answered
                               (decide needs every target reviewed: from received it only explains why not)
                               decided/answered/closed ──request_decision──▶ decision_requested
                               decision_requested ──issue_decision──▶ decision_issued
                               decision_issued ──decision_notified──▶ appeal_window
                               received/in_review/decided/answered/appeal_window ──close──▶ closed
                               (close needs every refusal notified, no appeal window open, no appeal pending)
                               deliver (copies) leaves the status as it is, except decided ──▶ answered
                               decision_issued/appeal_window ──finish (final judgment)──▶ closed
                               decision_issued/appeal_window/closed ──reopen (judgment overturned)──▶ in_review
    DisclosureRequest.appeal  none ──appeal──▶ pending ──uphold──▶ upheld | ──overturn──▶ overturned
                               upheld/overturned ──renew (a new decision)──▶ none
    PurgeList (gallringslista) draft ──propose──▶ proposed ──approve (another archivist)──▶ approved
                               proposed ──return──▶ draft;  approved ──execute──▶ executing ──finish──▶ executed
                               executing ──execute──▶ executing (resume after a stopped worker)
                               draft/proposed/approved ──cancel──▶ cancelled
    PurgeLine                pending ──purge──▶ done | ──refuse──▶ refused | ──exclude──▶ skipped
    SubjectRequest (GDPR)    received ──begin──▶ searching ──answer──▶ answered
                               received/searching/answered ──propose_erasure──▶ erasure_proposed
                               erasure_proposed ──approve_erasure (another archivist)──▶ erasure_approved
                               every open status ──close──▶ closed
                               open: search, extract, extend (art. 12.3, once, within the first month)
                               leave the status as it is
    SubjectRequestHit.outcome pending ──erase──▶ erased | ──refuse_registered──▶ refused_registered
                               | ──refuse_record──▶ refused_record | ──refuse_hold──▶ refused_hold
                               | ──schedule──▶ scheduled ──purge──▶ purged | ──gone──▶ gone | ──keep──▶ kept
                               (decided by the second archivist's approval, art. 17.3 b; purged by a purge list)

An action whose target is None changes no status; it is in the table so that its permission and
guard are written once and pages and the API offer it through `available_actions()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.errors import TransitionNotAllowed
from records.disclosure import guards as disclosure_guards
from records.models import (
    AppealStatus,
    Case,
    CaseStatus,
    DisclosureRequest,
    DisclosureStatus,
    HitOutcome,
    ProposalStatus,
    PurgeLine,
    PurgeLineStatus,
    PurgeList,
    PurgeListStatus,
    RegistrationProposal,
    SubjectRequest,
    SubjectRequestHit,
    SubjectRequestStatus,
)

Guard = Callable[[Any, Any], str | None]


@dataclass(frozen=True)
class Action:
    name: str
    label: Any
    sources: frozenset[str]
    target: str | None  # None: the action leaves the status as it is (e.g. delivering another copy)
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
        return frozenset(a.target for a in self.actions if status in a.sources and a.target is not None)

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


def _wants_erasure(request, user) -> str | None:
    if not request.wants_erasure:
        return str(_("Begäran gäller inte radering (GDPR art. 17)."))
    return None


def _not_purged(request, user) -> str | None:
    if request.purged_at:
        return str(_("Begäran är gallrad."))
    return None


def _extendable(request, user) -> str | None:
    """Art. 12.3: the one-month deadline may be extended ONCE by two further months, and the person
    must be told within the first month."""
    from django.utils import timezone

    from records.workdays import add_months

    if request.purged_at:
        return str(_("Begäran är gallrad."))
    if request.extended_at is not None:
        return str(_("Tidsfristen är redan förlängd: den kan förlängas en gång, med högst två månader "
                     "(GDPR art. 12.3)."))
    received = timezone.localdate(request.received_at)
    if timezone.localdate() > add_months(received, 1):
        return str(_("Tidsfristen kan bara förlängas inom en månad från att begäran kom in; den registrerade ska "
                     "underrättas inom den tiden (GDPR art. 12.3)."))
    return None


C, P, D, A = CaseStatus, ProposalStatus, DisclosureStatus, AppealStatus
PL, PLine, SR, H = PurgeListStatus, PurgeLineStatus, SubjectRequestStatus, HitOutcome
_DISC = "records.change_disclosurerequest"
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
        Action("review", _("Pröva"), frozenset({D.RECEIVED}), D.IN_REVIEW, _DISC, system=True),
        Action("decide", _("Avsluta prövningen"), frozenset({D.RECEIVED, D.IN_REVIEW}), D.DECIDED, _DISC,
               guard=disclosure_guards.all_reviewed),
        Action("answer", _("Registrera besked till sökanden"), frozenset({D.DECIDED}), D.ANSWERED, _DISC),
        Action("deliver", _("Lämna ut kopior"), frozenset({D.DECIDED, D.ANSWERED, D.DECISION_REQUESTED,
                                                           D.DECISION_ISSUED, D.APPEAL_WINDOW}), None, _DISC,
               guard=disclosure_guards.has_release),
        Action("request_decision", _("Sökanden begär myndighetens beslut"),
               frozenset({D.DECIDED, D.ANSWERED, D.CLOSED}), D.DECISION_REQUESTED, _DISC,
               guard=disclosure_guards.has_refusal),
        Action("issue_decision", _("Fatta myndighetens beslut"), frozenset({D.DECISION_REQUESTED}),
               D.DECISION_ISSUED, _DISC, guard=disclosure_guards.decision_configured),
        Action("decision_notified", _("Registrera när sökanden fick beslutet"), frozenset({D.DECISION_ISSUED}),
               D.APPEAL_WINDOW, _DISC),
        Action("close", _("Avsluta begäran"), frozenset({D.RECEIVED, D.IN_REVIEW, D.DECIDED, D.ANSWERED,
                                                          D.APPEAL_WINDOW}), D.CLOSED, _DISC,
               guard=disclosure_guards.closable),
        Action("finish", _("Domen har vunnit laga kraft"), frozenset({D.DECISION_ISSUED, D.APPEAL_WINDOW}),
               D.CLOSED, system=True),
        Action("reopen", _("Pröva på nytt"), frozenset({D.DECISION_ISSUED, D.APPEAL_WINDOW, D.CLOSED}),
               D.IN_REVIEW, system=True),
    )),
    Flow(DisclosureRequest, "appeal_status", AppealStatus, lambda r: f"Överklagandet av {r.reference}", (
        Action("appeal", _("Registrera överklagande"), frozenset({A.NONE}), A.PENDING, _DISC,
               guard=disclosure_guards.appealable),
        Action("uphold", _("Beslutet står fast"), frozenset({A.PENDING}), A.UPHELD, _DISC),
        Action("overturn", _("Beslutet ändrat"), frozenset({A.PENDING}), A.OVERTURNED, _DISC),
        Action("renew", _("Nytt beslut"), frozenset({A.UPHELD, A.OVERTURNED}), A.NONE, system=True),
    )),
    Flow(PurgeList, "status", PurgeListStatus, lambda pl: f"Gallringslistan {pl.reference}", (
        Action("propose", _("Föreslå gallringslistan"), frozenset({PL.DRAFT}), PL.PROPOSED, "records.change_purgelist",
               guard=_purge_list_has_lines),
        Action("return", _("Tillbaka till utkast"), frozenset({PL.PROPOSED}), PL.DRAFT, "records.change_purgelist"),
        Action("approve", _("Godkänn gallringslistan"), frozenset({PL.PROPOSED}), PL.APPROVED,
               "records.approve_purgelist",
               guard=_four_eyes("proposed_by", _("Den som föreslagit gallringslistan får inte själv godkänna "
                                                "den (fyraögonsprincipen)."))),
        # THE rule of who may execute a purge list (pages, API, command and tasks all ask it):
        # approved by a second archivist, or already executing (resumed), and execute_purgelist.
        Action("execute", _("Verkställ gallringen"), frozenset({PL.APPROVED, PL.EXECUTING}), PL.EXECUTING,
               "records.execute_purgelist"),
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
        Action("begin", _("Påbörja"), frozenset({SR.RECEIVED}), SR.SEARCHING, "records.change_subjectrequest",
               system=True),
        Action("search", _("Sök i alla register"), _SR_OPEN - {SR.ERASURE_APPROVED}, None,
               "records.change_subjectrequest", guard=_not_purged),
        Action("extract", _("Registerutdrag (art. 15)"), _SR_OPEN, None, "records.change_subjectrequest",
               guard=_not_purged),
        Action("answer", _("Besvara"), frozenset({SR.RECEIVED, SR.SEARCHING}), SR.ANSWERED,
               "records.change_subjectrequest", system=True),
        Action("extend", _("Förläng tidsfristen (art. 12.3)"), _SR_OPEN, None, "records.change_subjectrequest",
               guard=_extendable),
        Action("propose_erasure", _("Föreslå radering"), frozenset({SR.RECEIVED, SR.SEARCHING, SR.ANSWERED,
                                                                     SR.ERASURE_PROPOSED}),
               SR.ERASURE_PROPOSED, "records.change_subjectrequest", guard=_wants_erasure),
        Action("approve_erasure", _("Godkänn radering"), frozenset({SR.ERASURE_PROPOSED}), SR.ERASURE_APPROVED,
               "records.approve_subjectrequest",
               guard=_four_eyes("handled_by", _("Den som handlagt begäran får inte själv godkänna raderingen "
                                               "(fyraögonsprincipen)."))),
        Action("close", _("Avsluta"), _SR_OPEN, SR.CLOSED, "records.change_subjectrequest"),
    )),
    Flow(SubjectRequestHit, "outcome", HitOutcome, lambda h: "Träffen", tuple(
        Action(name, label, frozenset({H.PENDING}), target, system=True) for name, label, target in (
            ("erase", _("Radera"), H.ERASED),
            ("refuse_registered", _("Vägra: diarieförd"), H.REFUSED_REGISTERED),
            ("refuse_record", _("Vägra: hålls ordnad"), H.REFUSED_RECORD),
            ("refuse_hold", _("Vägra: spärrad"), H.REFUSED_HOLD),
            ("schedule", _("Gallra på förfallodagen"), H.SCHEDULED),
            ("gone", _("Fanns inte längre"), H.GONE),
            ("keep", _("Behåll"), H.KEPT),
        )
    ) + (Action("purge", _("Gallrad"), frozenset({H.SCHEDULED}), H.PURGED, system=True),)),
)

_BY_MODEL: dict[tuple[type[models.Model], str], Flow] = {(f.model, f.field): f for f in FLOWS}


def flow_for(obj_or_model, field: str = "status") -> Flow:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    try:
        return _BY_MODEL[(model, field)]
    except KeyError:
        raise LookupError(f"No records workflow for {model.__name__}.{field}") from None


def _refuse(flow: Flow, obj, current: str, target: str | None, action: Action | None = None) -> TransitionNotAllowed:
    if target is None and action is not None:
        return TransitionNotAllowed(
            f"{flow.noun(obj)}: ”{action.label}” går inte när status är ”{flow.label(current)}”.")
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
        return str(_refuse(flow, obj, current, action.target, action).message)
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

"""Decisions on items: keep, hide, remove, escalate, reply, refer; reversals; bulk.

A decision is never edited: a reversal is a new decision. Removal stores the content first (it is
already stored on arrival: asserted here), then queues the platform call in the same transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.errors import Conflict, DomainError
from accounts.services import audit_record
from moderation.models import (
    Decision,
    DecisionAction,
    DecisionRule,
    Item,
    ItemState,
    ItemVersion,
    Platform,
    PlatformAction,
    ReferTarget,
    ReplyPurpose,
    ReplyTemplate,
    Rule,
    RuleConsequence,
    SanctionKind,
)
from moderation.platforms.services import platform_action_enqueue, platform_supports
from moderation.queue.notifications import notify_escalation
from moderation.queue.services.claims import assert_may_moderate, claim_conflict_message, holds_live_claim
from moderation.queue.workflow import assert_transition

log = logging.getLogger("uppsikt.moderation")

ACTIONS = ("keep", "hide", "remove", "escalate", "reply", "refer")
NOTE_REQUIRED = ("remove", "escalate")
ESCALATION_ROLES = ("registrar", "moderator", "administrator")
# refer_target as the brief names it (the routed rules) or as the model stores it
_REFER = {
    "political_debate": ReferTarget.PARTIES, ReferTarget.PARTIES: ReferTarget.PARTIES,
    "individual_matter": ReferTarget.E_SERVICE, ReferTarget.E_SERVICE: ReferTarget.E_SERVICE,
    ReferTarget.SWITCHBOARD: ReferTarget.SWITCHBOARD,
}
_REFER_PURPOSE = {
    ReferTarget.PARTIES: ReplyPurpose.POLITICAL_DEBATE,
    ReferTarget.E_SERVICE: ReplyPurpose.INDIVIDUAL_MATTER,
    ReferTarget.SWITCHBOARD: ReplyPurpose.INDIVIDUAL_MATTER,
}
NOT_RESTORABLE = ("En borttagen kommentar kan inte återställas på {platform}: innehållet finns kvar i Uppsikt "
                  "men måste publiceras på nytt för hand om det ska synas igen.")


def decision_suggests_police_report(decision: Decision) -> bool:
    """True when a rule the decision relied on is one whose violation is reported to the police (threats)."""
    return any(r.rule.consequence == RuleConsequence.POLICE_REPORT or r.rule.code == "threat"
               for r in decision.decision_rules.select_related("rule"))


# Flags that make keeping an item a matter to explain: threats, crime, identity numbers.
SERIOUS_RULE_CODES = ("threat", "crime")
SERIOUS_DETECTOR_KINDS = ("identity_number",)
KEEP_NOTE_REQUIRED = ("Inlägget är flaggat för hot, brott eller personnummer: skriv en anteckning om varför "
                      "det får vara kvar.")


def is_serious_flag(flag) -> bool:
    """A flag for a threat, a crime (or any rule reported to the police) or an identity number."""
    rule, detector = flag.rule, flag.detector
    if rule is not None and (rule.code in SERIOUS_RULE_CODES or rule.consequence == RuleConsequence.POLICE_REPORT):
        return True
    return detector is not None and detector.kind in SERIOUS_DETECTOR_KINDS


def item_has_serious_flag(item: Item) -> bool:
    """One query: does the item have an open serious flag (see is_serious_flag)?"""
    return item.flags.filter(resolved_at__isnull=True).filter(
        Q(rule__code__in=SERIOUS_RULE_CODES) | Q(rule__consequence=RuleConsequence.POLICE_REPORT)
        | Q(detector__kind__in=SERIOUS_DETECTOR_KINDS)).exists()


def _rules(rules: Iterable) -> list[Rule]:
    wanted = list(rules or ())
    objs = [r for r in wanted if isinstance(r, Rule)]
    codes = [str(r) for r in wanted if not isinstance(r, Rule)]
    if codes:
        found = {r.code: r for r in Rule.objects.filter(code__in=codes, active=True)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise DomainError(f"Okänd regel: {', '.join(unknown)}.")
        objs += [found[c] for c in codes]
    seen, out = set(), []
    for r in objs:
        if r.pk not in seen:
            seen.add(r.pk)
            out.append(r)
    return out


def _propose_registration(*, item: Item, reason: str, actor, description: str, secret: bool = False):
    """Ask records to register the item (it may register at once, per RegistrationSetting)."""
    from records.diarium.services.registration import proposal_create

    return proposal_create(source_type="moderation.item", source_id=str(item.pk), reason=reason,
                           suggested_description=description[:500], proposed_by=actor, secret=secret)


def _describe(item: Item, what: str) -> str:
    return f"{item.get_kind_display()} på {item.channel.name} ({item.channel.get_platform_display()}): {what}"


def _assert_stored(item: Item) -> None:
    """Nothing is deleted on a platform before its content is stored: the item row and a version
    holding its current text must exist (they do from ingest; an old row gets its version now)."""
    latest = item.versions.order_by("-number").first()
    if latest is None:
        ItemVersion.objects.create(item=item, number=1, text=item.text, links=item.links,
                                   attachments=item.attachments, raw={}, platform_edited_at=item.platform_created_at,
                                   received_at=item.received_at)
    elif latest.text != item.text:
        raise DomainError("Inläggets innehåll är inte sparat i sin senaste version; ta inte bort det ännu.")


def item_decide(
    *,
    item: Item,
    action: str,
    actor,
    rules: Iterable = (),
    note: str = "",
    expected_version: int | None = None,
    mark_harmless: bool = False,
    escalate_to=None,
    escalate_to_role: str = "",
    reply_text: str = "",
    reply_template: ReplyTemplate | None = None,
    refer_target: str = "",
    confidential: bool = False,
) -> Decision:
    """Decide on an item. Guarantees, all in one transaction:

    - optimistic locking: refused with Conflict when `expected_version` is given and the item has
      changed since (its `version` differs); every decision bumps `version`;
    - refused while someone else holds a live claim; the decider's claim is released;
    - a note is required for remove and escalate; the rules relied on are snapshotted (DecisionRule);
    - open flags are resolved by the decision (not on escalate: the colleague needs them);
    - remove: the content is already stored (asserted), and every attachment too (else refused with the
      reason: nothing is deleted before it is stored); an evidence sheet is requested (the delete waits
      for it), then a delete is queued (PlatformAction),
      `first_removed_at` set, a strike added when a violation rule is given (which may propose a
      block), and the item proposed for registration (reason removed_inappropriate);
    - confidential (or the rule "confidential"): removed at once, the item marked secret and
      proposed for registration as secret (reason confidential);
    - hide / reply queue a hide / reply; refer replies with the routed template (political debate →
      the parties; individual matter → e-service/switchboard, and proposed for registration);
    - keeping an item with an open serious flag (threat, crime, identity number) requires a note;
    - keep may mark the item harmless (repeated reports then do not requeue it); keeping a held item
      shows it again on the platform;
    - escalate moves the item to "escalated", to a named colleague or a role;
    - a threat rule: `decision.suggests_police_report` is True.
    """
    if action not in ACTIONS:
        raise DomainError(f"Okänt beslut: {action}. Välj bland {', '.join(ACTIONS)}.")
    assert_may_moderate(item=item, actor=actor)
    rule_objs = _rules(rules)
    codes = {r.code for r in rule_objs}
    confidential = bool(confidential or "confidential" in codes)
    if confidential and action != "remove":
        raise DomainError("Sekretessbelagda uppgifter ska tas bort: välj beslutet ”Ta bort”.")
    note = (note or "").strip()
    if action in NOTE_REQUIRED and not note:
        raise DomainError("Skriv en motivering: den krävs för att ta bort eller eskalera.")
    if action == "keep" and not note and item_has_serious_flag(item):
        raise DomainError(KEEP_NOTE_REQUIRED, code="note_required")
    if action == "escalate":
        if escalate_to is None and not escalate_to_role:
            escalate_to_role = "registrar"
        if escalate_to_role and escalate_to_role not in ESCALATION_ROLES:
            raise DomainError(f"Okänd roll att eskalera till: {escalate_to_role}.")
        if escalate_to is not None and escalate_to.pk == actor.pk:
            raise DomainError("Du kan inte eskalera till dig själv.")
    refer = None
    if action == "refer":
        if not refer_target:
            refer_target = ("political_debate" if "political_debate" in codes
                            else "individual_matter" if "individual_matter" in codes else "")
        refer = _REFER.get(refer_target)
        if refer is None:
            raise DomainError("Ange vart inlägget hänvisas: politisk debatt (partierna) eller enskilt ärende.")
    if action == "reply" and not (reply_text or "").strip() and reply_template is None:
        raise DomainError("Skriv ett svar eller välj en svarsmall.")

    with transaction.atomic():
        locked = Item.objects.select_for_update(of=("self",)).select_related("channel", "author").get(pk=item.pk)
        if expected_version is not None and int(expected_version) != locked.version:
            raise Conflict("Inlägget har ändrats sedan du öppnade det (det kan ha redigerats, anmälts eller "
                           "beslutats av någon annan). Ladda om sidan och fatta beslutet igen.",
                           code="stale_version")
        if holds_live_claim(locked, actor):
            locked = Item.objects.select_related("claimed_by").get(pk=item.pk)
            raise Conflict(claim_conflict_message(locked))
        to_state = ItemState.ESCALATED if action == "escalate" else ItemState.DECIDED
        assert_transition(locked, to_state)
        now = timezone.now()
        channel = locked.channel
        platform = channel.platform

        # what the platform must do
        platform_kind = ""
        payload: dict = {}
        message = ""
        if action == "remove":
            _assert_stored(locked)
            if locked.removed_on_platform_at is None:
                from moderation.media.services import removal_refusal

                refusal = removal_refusal(locked)
                if refusal:
                    raise DomainError(refusal, code="attachments_not_stored")
                platform_kind = "delete"
        elif action == "hide":
            platform_kind = "hide"
        elif action in ("reply", "refer"):
            template = reply_template
            if action == "refer" and template is None and not (reply_text or "").strip():
                template = ReplyTemplate.objects.active().filter(purpose=_REFER_PURPOSE[refer]).first()
                if template is None:
                    raise DomainError("Det finns ingen aktiv svarsmall för hänvisningen; skriv svaret själv.")
            message = (reply_text or "").strip() or (template.text_sv if template else "")
            reply_template = template
            platform_kind = "reply"
            payload = {"message": message}
            if action == "refer" and not platform_supports(platform, "reply"):
                platform_kind = ""  # YouTube cannot reply through the API: refer by hand
        elif (action == "keep" and (locked.hidden_on_platform or locked.state == ItemState.HELD)
              and platform_supports(platform, "unhide")):
            platform_kind = "unhide"

        decision = Decision.objects.create(
            item=locked, action=action, actor=actor, created_at=now, note=note,
            mark_harmless=bool(mark_harmless and action == "keep"),
            escalate_to=escalate_to if action == "escalate" else None,
            escalate_to_role=escalate_to_role if action == "escalate" and escalate_to is None else "",
            reply_text=message, reply_template=reply_template, refer_target=refer or "",
            platform_action_needed=platform_kind or ("manual" if action in ("remove", "refer") and
                                                     locked.removed_on_platform_at is None and
                                                     not platform_supports(platform, "delete" if action == "remove"
                                                                           else "reply") else ""),
            item_version=locked.version, time_to_decision=now - locked.received_at,
        )
        if rule_objs:
            DecisionRule.objects.bulk_create([DecisionRule.snapshot(decision, r) for r in rule_objs])

        if action != "escalate":
            locked.flags.filter(resolved_at__isnull=True).update(resolved_at=now, resolved_by_decision=decision)

        fields = ["state", "version", "claimed_by", "claim_expires_at"]
        locked.state = to_state
        locked.version += 1
        locked.claimed_by = None
        locked.claim_expires_at = None
        if to_state == ItemState.DECIDED:
            locked.decided_at = now
            fields.append("decided_at")
        if action == "keep":
            locked.harmless = bool(mark_harmless)
            fields.append("harmless")
        if action == "remove" and locked.first_removed_at is None:
            locked.first_removed_at = now
            fields.append("first_removed_at")
        if confidential:
            locked.secret = True
            fields.append("secret")
        locked.save(update_fields=fields)

        if platform_kind:
            if platform_kind == "unhide":
                # a hold's hide that has not run yet must not run after the unhide
                PlatformAction.objects.filter(item=locked, kind="hide", status="pending").update(status="cancelled")
            platform_action_enqueue(channel=channel, kind=platform_kind, item=locked, decision=decision,
                                    payload=payload or None)

        if action == "remove":
            from moderation.media.evidence import evidence_sheet_request
            from moderation.media.models import EvidenceReason

            # what the public saw, before anything is deleted: the delete waits for the sheet
            evidence_sheet_request(item=locked, actor=actor, reason=EvidenceReason.REMOVAL, decision=decision)
            violations = [r for r in rule_objs if r.is_violation]
            if violations and locked.author_id is not None:
                from moderation.queue.services.sanctions import strike_add

                strike_add(author=locked.author, channel=channel, actor=actor, item=locked, decision=decision,
                           reason="Borttaget inlägg: " + ", ".join(r.title_sv for r in violations))
            if confidential:
                _propose_registration(item=locked, reason="confidential", actor=actor, secret=True,
                                      description=_describe(locked, "sekretessbelagda uppgifter, borttaget"))
            else:
                what = ", ".join(r.title_sv for r in violations) or "olämpligt innehåll"
                _propose_registration(item=locked, reason="removed_inappropriate", actor=actor,
                                      description=_describe(locked, f"borttaget ({what})"))
        if action == "refer" and refer in (ReferTarget.E_SERVICE, ReferTarget.SWITCHBOARD):
            _propose_registration(item=locked, reason="individual_matter", actor=actor,
                                  description=_describe(locked, "enskilt ärende, hänvisat"))

        audit_record(actor=actor, action=f"moderation.item_{action}", target=locked,
                     detail={"decision": decision.pk, "rules": sorted(codes), "platform_action": platform_kind,
                             "secret": locked.secret})
        if action == "escalate":
            notify_escalation(decision=decision, item=locked, actor=actor)
    decision.suggests_police_report = any(r.consequence == RuleConsequence.POLICE_REPORT or r.code == "threat"
                                          for r in rule_objs)
    decision.platform_message = ""
    _copy_item(locked, item)
    return decision


def _copy_item(src: Item, dst: Item) -> None:
    if src is dst:
        return
    for f in ("state", "version", "claimed_by_id", "claim_expires_at", "decided_at", "harmless",
              "first_removed_at", "secret", "hidden_on_platform", "priority", "flag_count", "report_count"):
        setattr(dst, f, getattr(src, f))
    dst._state.fields_cache.pop("claimed_by", None)


REVERSIBLE_ACTIONS = (DecisionAction.REMOVE, DecisionAction.HIDE)


def action_reversible(action: str) -> bool:
    """Whether a decision with this action can be undone by decision_reverse (the queue offers "Ångra")."""
    return action in REVERSIBLE_ACTIONS


def decision_reverse(*, decision: Decision, actor, note: str) -> Decision:
    """Undo a mistaken removal or hiding with a NEW decision that `reverses` the old one.

    A hidden item is shown again on the platform (where its API can); a removed one is restored in
    Uppsikt, its strike stops counting, and on YouTube (removal = rejection) it is published again;
    elsewhere a deleted comment cannot be restored on the platform, and `decision.platform_message`
    says so. The original decision is never changed.
    """
    note = (note or "").strip()
    if not note:
        raise DomainError("Skriv varför beslutet upphävs.")
    if not action_reversible(decision.action):
        raise DomainError("Bara beslut om att ta bort eller dölja kan upphävas. Fatta annars ett nytt beslut.")
    item = decision.item
    assert_may_moderate(item=item, actor=actor)
    with transaction.atomic():
        locked = Item.objects.select_for_update(of=("self",)).select_related("channel").get(pk=item.pk)
        if Decision.objects.filter(reverses=decision).exists():
            raise Conflict("Beslutet är redan upphävt.")
        later = Decision.objects.filter(item=locked, created_at__gt=decision.created_at).exclude(
            action__in=[DecisionAction.ESCALATE]).exists()
        if later:
            raise Conflict("Ett senare beslut har fattats om inlägget; upphäv det i stället.")
        now = timezone.now()
        channel = locked.channel
        platform_kind = ""
        message = ""
        if decision.action == DecisionAction.HIDE:
            action = DecisionAction.UNHIDE
            if platform_supports(channel.platform, "unhide"):
                platform_kind = "unhide"
        else:
            action = DecisionAction.RESTORE
            if channel.platform == Platform.YOUTUBE and platform_supports(channel.platform, "unhide"):
                platform_kind = "unhide"  # a rejected YouTube comment can be published again
            else:
                message = NOT_RESTORABLE.format(platform=channel.get_platform_display())
            # the strike from the mistaken removal no longer counts
            decision.sanctions.filter(kind=SanctionKind.STRIKE, expires_at__isnull=True).update(expires_at=now)
            decision.sanctions.filter(kind=SanctionKind.BLOCK, proposed=True, confirmed_at__isnull=True).update(
                expires_at=now, proposed=False)
        new = Decision.objects.create(
            item=locked, action=action, actor=actor, created_at=now, note=note, reverses=decision,
            platform_action_needed=platform_kind or ("manual" if message else ""), item_version=locked.version,
        )
        locked.version += 1
        locked.save(update_fields=["version"])
        if decision.action == DecisionAction.REMOVE:
            # cancel a delete that has not run yet
            PlatformAction.objects.filter(decision=decision, kind="delete", status="pending").update(
                status="cancelled")
        if platform_kind:
            platform_action_enqueue(channel=channel, kind=platform_kind, item=locked, decision=new)
        audit_record(actor=actor, action="moderation.decision_reverse", target=locked,
                     detail={"decision": new.pk, "reverses": decision.pk})
    new.platform_message = message
    new.suggests_police_report = False
    return new


def items_decide_bulk(*, items, action: str, actor, rules: Iterable = (), note: str = "") -> dict:
    """The same decision over a selection; each item in its own savepoint, so one refusal does not
    stop the rest. A removal or hiding without rules given relies on the rules of each item's open
    flags (so a quick removal from the queue still counts its strike and names what was broken).
    Returns {"done": [{"id", "decision"}], "refused": [{"id", "reason"}]}."""
    done, refused = [], []
    rules = list(rules or ())
    for item in items:
        item_rules = rules
        if not item_rules and action in ("remove", "hide"):
            item_rules = list(Rule.objects.filter(active=True, flags__item=item, flags__resolved_at__isnull=True)
                              .distinct())
        try:
            with transaction.atomic():
                decision = item_decide(item=item, action=action, actor=actor, rules=item_rules, note=note)
        except DomainError as exc:
            refused.append({"id": item.pk, "reason": exc.message})
        else:
            done.append({"id": item.pk, "decision": decision.pk})
    return {"done": done, "refused": refused}

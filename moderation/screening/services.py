"""Screening items against the administrators' detectors, on arrival, on edit and after a change.

The engine (moderation.screening) is pure and fast; this module turns its hits into Flags that
say which detector fired, on which words and where, and applies the detector's action (flag, or
hold = hide on the platform until a moderator has looked).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from dataclasses import dataclass, field, replace

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from accounts.errors import DomainError
from moderation.models import (
    Detector,
    DetectorAction,
    DetectorKind,
    Direction,
    Flag,
    FlagSource,
    Item,
    ItemState,
    Priority,
    ScreeningRun,
)
from moderation.queue.notifications import notify_item_urgent
from moderation.queue.workflow import can_transition
from moderation.screening import Hit, Screener

# --- compiled detectors, cached per process ----------------------------------------------------------


@dataclass
class Compiled:
    """What screening one channel needs: the engine, the detector rows by id, the repeat detectors."""

    screener: Screener
    detectors: dict[int, Detector] = field(default_factory=dict)
    repeat: list[Detector] = field(default_factory=list)


_cache: dict[tuple, Compiled] = {}
_lock = threading.Lock()


def detectors_version() -> tuple:
    """Changes whenever any detector (or its channel list) changes: max(updated_at) and counts."""
    agg = Detector.objects.aggregate(m=Max("updated_at"), n=Count("id", distinct=True))
    through = Detector.channels.through.objects.count()
    return (agg["m"], agg["n"], through)


def _compile(channel) -> Compiled:
    detectors = list(Detector.objects.for_channel(channel).select_related("rule"))
    _refresh_stale(detectors)
    specs = [d.spec() for d in detectors]
    return Compiled(
        screener=Screener([s for s in specs if s is not None]),
        detectors={d.pk: d for d in detectors},
        repeat=[d for d in detectors if d.kind == DetectorKind.REPEAT],
    )


def _refresh_stale(detectors: list[Detector]) -> None:
    """Rows saved before expansion and measurement existed (or by a bulk update): word lists without
    their Swedish forms are expanded, and holding detectors never measured are measured, once, and
    stored (without touching ``updated_at``), so that the hold rule and the forms hold everywhere."""
    from moderation.screening.morphology import available

    for d in detectors:
        if d.kind == DetectorKind.WORDS and not d.expansion_key and available():
            detector_expand(detector=d)
            Detector.objects.filter(pk=d.pk).update(expanded_forms=d.expanded_forms, expansion_key=d.expansion_key)
    unmeasured = [d for d in detectors if d.action == DetectorAction.HOLD and d.measured_at is None
                  and d.measured_precision is None]
    if unmeasured:
        whole, _tune, _heldout = detectors_evaluate(detectors=unmeasured)
        scores = {spec.id: score for spec, score, _hold in whole.detectors}
        for d in unmeasured:
            _store_measure(d, scores.get(d.pk))


def compiled_for(channel, *, version: tuple | None = None) -> Compiled:
    key = (channel.pk, version if version is not None else detectors_version())
    found = _cache.get(key)
    if found is None:
        with _lock:
            # drop stale versions of this channel's entry
            for old in [k for k in _cache if k[0] == channel.pk]:
                _cache.pop(old, None)
            found = _cache[key] = _compile(channel)
    return found


def screener_for(channel) -> Screener:
    """The compiled Screener for a channel's active detectors; cached per process and rebuilt
    whenever any Detector changes (keyed on max(updated_at) and counts)."""
    return compiled_for(channel).screener


def screener_cache_clear() -> None:
    _cache.clear()


# --- hits → flags -------------------------------------------------------------------------------------

_KIND_WHAT = {
    DetectorKind.WORDS: "ord ur ordlistan",
    DetectorKind.PATTERN: "mönster",
    DetectorKind.IDENTITY_NUMBER: "personnummer eller samordningsnummer med giltig kontrollsiffra",
    DetectorKind.PHONE: "telefonnummer",
    DetectorKind.EMAIL: "e-postadress",
    DetectorKind.LINK: "länk",
    DetectorKind.LINK_DOMAIN: "länk till blockerad domän",
}


def _detail(detector: Detector, hits: list[Hit]) -> str:
    rule = detector.rule
    if detector.kind == DetectorKind.IDENTITY_NUMBER:
        kinds = sorted({h.term for h in hits})
        found = f"{len(hits)} st. ({', '.join(kinds)})"
    elif detector.kind in (DetectorKind.PHONE, DetectorKind.EMAIL):
        found = f"{len(hits)} st."
    else:
        terms = []
        for h in hits:
            if h.term not in terms:
                terms.append(h.term)
        found = ", ".join(f"”{t}”" for t in terms[:8]) + (" …" if len(terms) > 8 else "")
    action = " Inlägget döljs på plattformen i väntan på granskning." if detector.holds else ""
    text = (f"{detector.name}: hittade {_KIND_WHAT.get(detector.kind, detector.kind)} {found} "
            f"– regel ”{rule.title_sv}”.{action}")
    return text[:500]


def _terms(hits: list[Hit]) -> list[str]:
    """The configured terms that fired (for identity numbers, phones and e-mail: the kind, never the value)."""
    out: list[str] = []
    for h in hits:
        if h.term not in out:
            out.append(h.term)
    return out


def flags_from_hits(item: Item, hits: list[Hit], compiled: Compiled) -> list[Flag]:
    """Unsaved Flags, one per detector that fired (spans: every place it fired)."""
    by_detector: dict[int, list[Hit]] = {}
    for h in hits:
        by_detector.setdefault(h.detector_id, []).append(h)
    flags = []
    now = timezone.now()
    for detector_id, dhits in by_detector.items():
        detector = compiled.detectors.get(detector_id)
        if detector is None:
            continue
        flags.append(Flag(
            item=item, source=FlagSource.DETECTOR, rule=detector.rule, detector=detector,
            detail=_detail(detector, dhits),
            spans=[{"start": h.start, "end": h.end, "term": h.term} for h in dhits],
            matched_terms=_terms(dhits), created_at=now,
        ))
    return flags


def _when(item: Item) -> dt.datetime:
    return item.platform_created_at or item.received_at


def repeat_flags(item: Item, compiled: Compiled, *, recent: list[dt.datetime] | None = None) -> list[Flag]:
    """Flags for the repeat detectors: the author wrote `threshold` items (this one included) within
    `window_minutes`. `recent` (times of the author's other items) spares the query in bulk."""
    if not compiled.repeat or item.author_id is None or item.direction != Direction.INCOMING:
        return []
    at = _when(item)
    flags = []
    for detector in compiled.repeat:
        start = at - dt.timedelta(minutes=detector.window_minutes)
        if recent is None:
            count = Item.objects.filter(author_id=item.author_id).filter(
                Q(platform_created_at__range=(start, at))
                | Q(platform_created_at__isnull=True, received_at__range=(start, at))
            ).exclude(pk=item.pk).count() + 1
        else:
            count = sum(1 for t in recent if start <= t <= at) + 1
        if count >= detector.threshold:
            flags.append(Flag(
                item=item, source=FlagSource.DETECTOR, rule=detector.rule, detector=detector,
                detail=(f"{detector.name}: avsändaren har skrivit {count} inlägg inom {detector.window_minutes} "
                        f"minuter (gräns {detector.threshold}) – regel ”{detector.rule.title_sv}”.")[:500],
                spans=[], matched_terms=[], created_at=timezone.now(),
            ))
    return flags


def priority_for(flags: list[Flag], current: int = Priority.NONE) -> int:
    """Threats, confidential information and identity numbers first (rule severity 0), then reports, then flags."""
    best = current
    for f in flags:
        if f.rule is not None and f.rule.severity <= 0:
            p = Priority.URGENT
        elif f.source == FlagSource.REPORT:
            p = Priority.REPORTED
        else:
            p = Priority.FLAGGED
        best = min(best, p)
    return best


def apply_flags_to_item(item: Item, flags: list[Flag], *, hold_ok: bool = True) -> bool:
    """Set priority/flag_count/state on the (possibly unsaved) item; returns True when it must be held
    (a detector that holds and may hold fired: its flags are marked ``held``)."""
    if not flags:
        return False
    item.flag_count += len(flags)
    item.priority = priority_for(flags, item.priority)
    # only detectors measured precise enough hold (DESIGN.md, budgets); the others flag
    holding = [f for f in flags if f.detector is not None and f.detector.holds] if hold_ok else []
    if item.state in (ItemState.DECIDED,) and can_transition(item, ItemState.REOPENED):
        item.state = ItemState.REOPENED
        item.harmless = False
    if holding and can_transition(item, ItemState.HELD):
        item.state = ItemState.HELD
        for f in holding:
            f.held = True
        return True
    return False


def _existing_keys(item: Item, *, open_only: bool) -> set:
    qs = item.flags.filter(source=FlagSource.DETECTOR)
    if open_only:
        qs = qs.filter(resolved_at__isnull=True)
    return {(f["detector_id"], tuple(sorted(f["matched_terms"] or []))) for f in qs.values("detector_id",
                                                                                           "matched_terms")}


def item_screen(*, item: Item, screener: Screener | None = None, rescreen: bool = False,
                compiled: Compiled | None = None) -> list[Flag]:
    """Screen the item's current text; create a Flag per detector that fired (with detector, rule,
    a Swedish detail saying why, spans and matched terms), raise the priority, and for a "hold"
    detector hold the item and queue a hide on the platform (where the platform can hide).

    Guarantees: never an unexplained flag; a detector that already has an open flag with the same
    terms on this item is not flagged twice (on `rescreen`, any earlier flag with the same terms
    counts, so re-screening unchanged text adds nothing). Returns the new flags.
    """
    compiled = compiled or compiled_for(item.channel)
    engine = screener or compiled.screener
    hits = engine.screen(item.text or "")
    flags = flags_from_hits(item, hits, compiled) + repeat_flags(item, compiled)
    if not flags:
        return []
    seen = _existing_keys(item, open_only=not rescreen)
    flags = [f for f in flags if (f.detector_id, tuple(sorted(f.matched_terms))) not in seen]
    if not flags:
        return []
    with transaction.atomic():
        from simple_history.utils import bulk_create_with_history

        locked = Item.objects.select_for_update().get(pk=item.pk)
        for attr in ("state", "priority", "flag_count", "harmless", "version", "hidden_on_platform"):
            setattr(item, attr, getattr(locked, attr))
        if item.state == ItemState.DECIDED and item.harmless and rescreen:
            return []
        hold = apply_flags_to_item(item, flags)
        item.version += 1
        item.save(update_fields=["state", "priority", "flag_count", "harmless", "version"])
        bulk_create_with_history(flags, Flag)
        if hold:
            hold_on_platform(item=item)
        notify_item_urgent(item=item, flags=flags, held=hold)
    return flags


def hold_on_platform(*, item: Item) -> None:
    """Queue a hide for a held item when its platform can hide (LinkedIn cannot: then it only waits)."""
    from moderation.platforms.services import platform_action_enqueue, platform_supports

    if item.hidden_on_platform or not platform_supports(item.channel.platform, "hide"):
        return
    platform_action_enqueue(channel=item.channel, kind="hide", item=item, payload={"reason": "hold"})


# --- re-screening after a detector change -------------------------------------------------------------


def rescreen_queryset():
    """Open items, and kept (decided, not removed, not hidden, not harmless) ones."""
    open_q = Q(state__in=[s for s in ItemState.values if s != ItemState.DECIDED])
    kept_q = Q(state=ItemState.DECIDED, first_removed_at__isnull=True, hidden_on_platform=False, harmless=False,
               direction=Direction.INCOMING)
    return Item.objects.filter(purged_at__isnull=True, removed_by_author_at__isnull=True).filter(open_q | kept_q)


def detectors_rescreen(*, actor=None, batch_size: int = 500) -> ScreeningRun:
    """Re-screen open and kept items in batches with the current detectors; flag new matches and
    put kept items that now match back in the queue (state reopened). Progress in a ScreeningRun."""
    qs = rescreen_queryset()
    run = ScreeningRun.objects.create(triggered_by=actor if getattr(actor, "is_authenticated", False) else None,
                                      items_total=qs.count())
    version = detectors_version()
    last_pk = 0
    while True:
        batch = list(qs.filter(pk__gt=last_pk).select_related("channel").order_by("pk")[:batch_size])
        if not batch:
            break
        created = 0
        for item in batch:
            compiled = compiled_for(item.channel, version=version)
            created += len(item_screen(item=item, compiled=compiled, rescreen=True))
        last_pk = batch[-1].pk
        ScreeningRun.objects.filter(pk=run.pk).update(items_done=run.items_done + len(batch),
                                                       flags_created=run.flags_created + created)
        run.items_done += len(batch)
        run.flags_created += created
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at"])
    return run


def detector_changed(*, detector: Detector | None = None, actor=None) -> None:
    """Call after a detector is saved (admin, config UI): forgets the compiled detectors and
    enqueues a re-screen when the transaction commits (the task runs outside the request)."""
    screener_cache_clear()
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None

    def _enqueue():
        from moderation.screening.tasks import detectors_rescreen_task

        detectors_rescreen_task.enqueue(actor_id)

    transaction.on_commit(_enqueue)


# --- configuration: expansion, measurement, the hold rule ---------------------------------------------


def detector_expand(*, detector: Detector) -> bool:
    """Fill ``expanded_forms`` with the Swedish dictionary's inflections and compounds of the
    detector's words (``moderation.screening.morphology``), unless they are current for these terms
    and this dictionary. Does not save. Returns True when the forms were (re)computed."""
    from moderation.screening.morphology import dictionary_key, expand_terms

    if detector.kind != DetectorKind.WORDS:
        changed = bool(detector.expanded_forms)
        detector.expanded_forms, detector.expansion_key = {}, ""
        return changed
    terms = detector.spec().terms
    key = hashlib.sha256(("\n".join(terms) + "\x00" + dictionary_key()).encode()).hexdigest()
    if key == detector.expansion_key:
        return False
    detector.expanded_forms = expand_terms(terms)
    detector.expansion_key = key
    return True


def detector_measure(*, detector: Detector):
    """Precision and recall of one detector, as configured (saved or not), on the labelled corpus:
    an ``evaluation.Score``; None for kinds the engine does not run (repeat)."""
    from moderation.screening.evaluation import evaluate, load_corpus

    spec = detector.spec()
    if spec is None:
        return None
    spec = replace(spec, id=detector.pk or 0)
    report = evaluate([spec], load_corpus())
    return report.detectors[0][1]


def _store_measure(detector: Detector, score) -> None:
    detector.measured_precision = score.precision if score is not None else None
    detector.measured_recall = score.recall if score is not None else None
    detector.measured_hits = score.hits if score is not None else 0
    detector.measured_at = timezone.now()


def hold_refusal(detector: Detector) -> str | None:
    """The Swedish reason why this (measured) detector may not hold, or None when it may."""
    from moderation.screening.evaluation import HOLD_MIN_HITS

    if detector.action != DetectorAction.HOLD or detector.may_hold:
        return None
    if detector.measured_hits < HOLD_MIN_HITS:
        return (f"Granskningen kan inte dölja inlägg: den gav bara {detector.measured_hits} träffar i "
                f"utvärderingskorpusen och behöver minst {HOLD_MIN_HITS} för att precisionen ska kunna mätas. "
                "Välj åtgärden ”Flagga”.")
    precision = f"{detector.measured_precision:.3f}".replace(".", ",")
    return (f"Granskningen kan inte dölja inlägg: dess uppmätta precision är {precision} men att dölja kräver "
            "minst 0,99 (högst ett fel per hundra träffar). Välj åtgärden ”Flagga” eller gör listan mer "
            "träffsäker.")


def detector_save(*, detector: Detector, actor=None, save_m2m=None) -> Detector:
    """Save a detector from the configuration UI, the admin or the demo. Guarantees:

    - a word list gets its Swedish forms (``detector_expand``) so screening stays one pass;
    - its precision and recall on the labelled corpus are measured and stored;
    - it may hold only with measured precision ≥ 0.99 on at least ``HOLD_MIN_HITS`` hits, else
      ``DomainError`` with a Swedish reason (nothing is saved);
    - compiled matchers are forgotten and stored items re-screened (``detector_changed``).
    """
    detector_expand(detector=detector)
    _store_measure(detector, detector_measure(detector=detector))
    reason = hold_refusal(detector)
    if reason:
        raise DomainError(reason, code="hold_not_allowed")
    with transaction.atomic():
        detector.save()
        if save_m2m is not None:
            save_m2m()
        detector_changed(detector=detector, actor=actor)
    return detector


def detectors_evaluate(*, detectors=None, store: bool = True):
    """Evaluate the live configuration (the active detectors, as administrators edited them) on the
    labelled corpus: returns ``(whole, tune, heldout)`` reports; with ``store`` each detector's
    measured precision and recall are saved (a stale word expansion is redone first). The split
    reports use the hold decisions measured on the whole corpus."""
    from moderation.screening import Screener
    from moderation.screening.evaluation import evaluate, load_corpus

    rows = list(detectors if detectors is not None else Detector.objects.active())
    for d in rows:
        if detector_expand(detector=d) and store:
            Detector.objects.filter(pk=d.pk).update(expanded_forms=d.expanded_forms, expansion_key=d.expansion_key)
    specs = [s for s in (d.spec() for d in rows) if s is not None]
    screener = Screener(specs)
    whole = evaluate(specs, load_corpus(), screener=screener)
    allowed = {spec.id: hold for spec, _score, hold in whole.detectors}
    tune = evaluate(specs, load_corpus(split="tune"), split="tune", screener=screener, hold_allowed=allowed)
    heldout = evaluate(specs, load_corpus(split="heldout"), split="heldout", screener=screener,
                       hold_allowed=allowed)
    if store:
        now = timezone.now()
        for spec, score, _hold in whole.detectors:
            Detector.objects.filter(pk=spec.id).update(
                measured_precision=score.precision, measured_recall=score.recall, measured_hits=score.hits,
                measured_at=now)
    return whole, tune, heldout


def detector_stats(*, days: int = 30) -> dict[int, dict[str, int]]:
    """Per detector, over the last ``days``: items flagged, items held, and false holds (held items a
    moderator kept). One aggregate query."""
    since = timezone.now() - dt.timedelta(days=days)
    rows = (Flag.objects.filter(source=FlagSource.DETECTOR, detector__isnull=False, created_at__gte=since)
            .order_by().values("detector_id")
            .annotate(n_flagged=Count("item", distinct=True),
                      n_held=Count("item", filter=Q(held=True), distinct=True),
                      n_false=Count("item", filter=Q(held=True, resolved_by_decision__action="keep"),
                                    distinct=True)))
    return {r["detector_id"]: {"flagged": r["n_flagged"], "held": r["n_held"], "false_holds": r["n_false"]}
            for r in rows}

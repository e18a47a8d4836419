"""Screening items against the administrators' detectors, on arrival, on edit and after a change.

The engine (moderation.screening) is pure and fast; this module turns its hits into Flags that
say which detector fired, on which words and where, and applies the detector's action (flag, or
hold = hide on the platform until a moderator has looked).
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

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
    specs = [d.spec() for d in detectors]
    return Compiled(
        screener=Screener([s for s in specs if s is not None]),
        detectors={d.pk: d for d in detectors},
        repeat=[d for d in detectors if d.kind == DetectorKind.REPEAT],
    )


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
    action = " Inlägget döljs på plattformen i väntan på granskning." if detector.action == DetectorAction.HOLD else ""
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
    """Set priority/flag_count/state on the (possibly unsaved) item; returns True when it must be held."""
    if not flags:
        return False
    item.flag_count += len(flags)
    item.priority = priority_for(flags, item.priority)
    hold = hold_ok and any(f.detector is not None and f.detector.action == DetectorAction.HOLD for f in flags)
    if item.state in (ItemState.DECIDED,) and can_transition(item, ItemState.REOPENED):
        item.state = ItemState.REOPENED
        item.harmless = False
    if hold and can_transition(item, ItemState.HELD):
        item.state = ItemState.HELD
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

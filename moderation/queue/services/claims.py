"""Claiming: two moderators never work the same item. A claim expires; a stale one lapses."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.errors import Conflict, NotPermitted
from moderation.models import Item, ItemState
from moderation.queue.workflow import assert_transition


def _name(user) -> str:
    if user is None:
        return "någon annan"
    return user.get_full_name() or user.get_username()


def claim_conflict_message(item: Item) -> str:
    until = timezone.localtime(item.claim_expires_at).strftime("%H:%M") if item.claim_expires_at else "?"
    return f"Inlägget hanteras av {_name(item.claimed_by)} till {until}."


def assert_may_moderate(*, item: Item, actor) -> None:
    """The actor holds moderation.moderate_item and sees the item's channel (own units)."""
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm("moderation.moderate_item"):
        raise NotPermitted("Du har inte behörighet att moderera inlägg.")
    if not Item.objects.visible_to(actor).filter(pk=item.pk).exists():
        raise NotPermitted("Inlägget hör till en kanal som din enhet inte ansvarar för.")


def holds_live_claim(item: Item, actor, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return bool(item.claimed_by_id and item.claimed_by_id != getattr(actor, "pk", None)
                and item.claim_expires_at and item.claim_expires_at > now)


def item_claim(*, item: Item, actor, minutes: int | None = None) -> Item:
    """Reserve the item for `actor` for `minutes` (UPPSIKT_CLAIM_MINUTES).

    Guarantees: atomic on SQLite and PostgreSQL (one conditional UPDATE … WHERE nobody holds a live
    claim; of two concurrent claims exactly one wins); refused with Conflict("Inlägget hanteras av
    <namn> till HH:MM") while someone else holds a live claim; a stale claim lapses; the holder may
    renew; a new or reopened item moves to "in review". A claim is coordination, not a change of
    the item: it does not bump `version`.
    """
    assert_may_moderate(item=item, actor=actor)
    minutes = settings.UPPSIKT_CLAIM_MINUTES if minutes is None else minutes
    now = timezone.now()
    with transaction.atomic():
        won = Item.objects.filter(pk=item.pk).filter(
            Q(claimed_by__isnull=True) | Q(claim_expires_at__lt=now) | Q(claim_expires_at__isnull=True)
            | Q(claimed_by=actor)
        ).update(claimed_by=actor, claim_expires_at=now + dt.timedelta(minutes=minutes))
        fresh = Item.objects.select_related("claimed_by", "channel").get(pk=item.pk)
        if not won:
            raise Conflict(claim_conflict_message(fresh))
        if fresh.state in (ItemState.NEW, ItemState.REOPENED):
            assert_transition(fresh, ItemState.IN_REVIEW)
            Item.objects.filter(pk=item.pk, state=fresh.state).update(state=ItemState.IN_REVIEW)
            fresh.state = ItemState.IN_REVIEW
    _copy(fresh, item)
    return item


def item_release(*, item: Item, actor, force: bool = False) -> Item:
    """Give the claim back. Only the holder (or `force`, for an expired claim or an administrator
    tidying up) may; an item still in review with no decision goes back to "new"."""
    now = timezone.now()
    with transaction.atomic():
        fresh = Item.objects.select_for_update().get(pk=item.pk)
        if fresh.claimed_by_id and fresh.claimed_by_id != actor.pk and not force and \
                fresh.claim_expires_at and fresh.claim_expires_at > now:
            fresh = Item.objects.select_related("claimed_by").get(pk=item.pk)
            raise Conflict(claim_conflict_message(fresh))
        update = {"claimed_by": None, "claim_expires_at": None}
        if fresh.state == ItemState.IN_REVIEW:
            assert_transition(fresh, ItemState.NEW)
            update["state"] = ItemState.NEW
        Item.objects.filter(pk=item.pk).update(**update)
        fresh = Item.objects.select_related("channel").get(pk=item.pk)
    _copy(fresh, item)
    return item


def _copy(src: Item, dst: Item) -> None:
    for f in ("claimed_by_id", "claim_expires_at", "state", "version"):
        setattr(dst, f, getattr(src, f))
    if "claimed_by" in src._state.fields_cache:
        dst.claimed_by = src.claimed_by
    elif "claimed_by" in dst._state.fields_cache:
        del dst._state.fields_cache["claimed_by"]

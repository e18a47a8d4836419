"""Statuses of downloads (Attachment.status) and evidence sheets (EvidenceSheet.status): the only places
they may move, and the one function that moves them."""

from __future__ import annotations

from accounts.errors import TransitionNotAllowed
from moderation.media.models import EvidenceStatus, FetchStatus

S, E = FetchStatus, EvidenceStatus

FETCH_TRANSITIONS: dict[str, frozenset[str]] = {
    S.PENDING: frozenset({S.FETCHING, S.REFUSED}),
    S.FETCHING: frozenset({S.STORED, S.RETRYING, S.FAILED, S.REFUSED, S.TOO_LARGE, S.PENDING}),
    S.RETRYING: frozenset({S.FETCHING, S.PENDING}),
    S.FAILED: frozenset({S.PENDING}),
    S.REFUSED: frozenset({S.PENDING}),
    S.TOO_LARGE: frozenset({S.PENDING}),
    S.STORED: frozenset(),
}

EVIDENCE_TRANSITIONS: dict[str, frozenset[str]] = {
    E.PENDING: frozenset({E.RENDERED, E.RETRYING, E.FAILED}),
    E.RETRYING: frozenset({E.RENDERED, E.RETRYING, E.FAILED}),
    E.FAILED: frozenset({E.PENDING}),
    E.RENDERED: frozenset(),
}

_LABELS = {**dict(FetchStatus.choices), **dict(EvidenceStatus.choices)}


def can_transition(obj, to: str) -> bool:
    table = FETCH_TRANSITIONS if hasattr(obj, "platform_url") else EVIDENCE_TRANSITIONS
    return to in table.get(obj.status, frozenset())


def assert_transition(obj, to: str) -> None:
    """Raise TransitionNotAllowed (Swedish) unless ``obj`` (an Attachment or EvidenceSheet) may move to ``to``."""
    if not can_transition(obj, to):
        raise TransitionNotAllowed(f"Kan inte gå från ”{_LABELS.get(obj.status, obj.status)}” till "
                                   f"”{_LABELS.get(to, to)}”.")


def transition(obj, to: str) -> None:
    """Move ``obj`` to ``to`` (in memory; the caller saves): the only place these statuses are written."""
    assert_transition(obj, to)
    obj.status = to


def available_actions(attachment, user) -> list[str]:
    """What staff may do with a download: "refetch" once the worker has given up or while it waits."""
    if not user.has_perm("moderation.moderate_item"):
        return []
    if attachment.status in (S.FAILED, S.REFUSED, S.TOO_LARGE, S.RETRYING):
        return ["refetch"]
    return []

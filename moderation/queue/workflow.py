"""The review queue's states and the transitions between them (modelled on Amsterdam/signals'
workflow: one explicit table, one guard).

    new ──claim──▶ in_review ──decide──▶ decided ──edit / new report──▶ reopened
     │  ╲                │                  ▲                               │
     │   ╲hold           │escalate          │                               │ claim/decide
     ▼    ▼              ▼                  │                               ▼
    held ──────────▶ escalated ─────────────┘                          in_review …

Every service that changes `Item.state` calls `assert_transition(item, to_state)` first; a refused
transition raises `accounts.errors.TransitionNotAllowed` with a Swedish message.
"""

from __future__ import annotations

from accounts.errors import TransitionNotAllowed
from moderation.models import ItemState

NEW = ItemState.NEW
IN_REVIEW = ItemState.IN_REVIEW
HELD = ItemState.HELD
ESCALATED = ItemState.ESCALATED
DECIDED = ItemState.DECIDED
REOPENED = ItemState.REOPENED

# from state -> the states it may move to
TRANSITIONS: dict[str, frozenset[str]] = {
    NEW: frozenset({IN_REVIEW, HELD, ESCALATED, DECIDED}),
    IN_REVIEW: frozenset({NEW, HELD, ESCALATED, DECIDED}),  # → new: claim released
    HELD: frozenset({IN_REVIEW, ESCALATED, DECIDED}),
    ESCALATED: frozenset({IN_REVIEW, DECIDED}),
    DECIDED: frozenset({REOPENED}),
    REOPENED: frozenset({IN_REVIEW, HELD, ESCALATED, DECIDED}),
}

# Open states: a moderator can still decide on the item.
DECIDABLE = frozenset({NEW, IN_REVIEW, HELD, ESCALATED, REOPENED})


def allowed_transitions(state: str) -> frozenset[str]:
    return TRANSITIONS.get(state, frozenset())


def can_transition(item_or_state, to_state: str) -> bool:
    state = getattr(item_or_state, "state", item_or_state)
    return to_state in allowed_transitions(state)


def assert_transition(item, to_state: str) -> None:
    """Raise TransitionNotAllowed unless `item.state` → `to_state` is in TRANSITIONS."""
    if can_transition(item, to_state):
        return
    current = ItemState(item.state).label
    target = ItemState(to_state).label
    if item.state == DECIDED and to_state != REOPENED:
        message = (f"Inlägget är redan beslutat och kan inte bli ”{target}”. "
                   "Fatta ett nytt beslut som upphäver det tidigare, eller vänta tills det återöppnas.")
    else:
        message = f"Inlägget kan inte gå från ”{current}” till ”{target}”."
    raise TransitionNotAllowed(message)

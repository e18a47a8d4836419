"""The e-mail outbox's states and transitions — the one table, the one guard.

    pending ──claim──▶ sending ──sent──▶ sent
       │                 │──retry──▶ failed ──claim──▶ sending …
       │                 └──give up──▶ dead ──retry (administrator)──▶ pending
       └──cancel (no address, user inactive)──▶ cancelled ◀── failed

Services call `assert_transition()` then `transition()` (or, for the compare-and-set claim, use
`CLAIMABLE` in their conditional UPDATE); a refused transition raises TransitionNotAllowed.
"""

from __future__ import annotations

from accounts.errors import TransitionNotAllowed
from accounts.notifications.models import DeliveryStatus, EmailDelivery

PENDING, SENDING, SENT = DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.SENT
FAILED, DEAD, CANCELLED = DeliveryStatus.FAILED, DeliveryStatus.DEAD, DeliveryStatus.CANCELLED

TRANSITIONS: dict[str, frozenset[str]] = {
    PENDING: frozenset({SENDING, CANCELLED}),
    SENDING: frozenset({SENT, FAILED, DEAD}),
    FAILED: frozenset({SENDING, CANCELLED, DEAD}),
    DEAD: frozenset({PENDING}),
    SENT: frozenset(),
    CANCELLED: frozenset(),
}
# The states a worker may claim a row from (when it is due).
CLAIMABLE = (PENDING, FAILED)

# Actions staff can take on a row (the admin's buttons): name → (from states, to state, label).
ACTIONS = {
    "retry": (frozenset({DEAD}), PENDING, "Försök igen"),
    "cancel": (frozenset({PENDING, FAILED}), CANCELLED, "Stoppa"),
}


def can_transition(delivery_or_state, to_state: str) -> bool:
    state = getattr(delivery_or_state, "status", delivery_or_state)
    return to_state in TRANSITIONS.get(state, frozenset())


def assert_transition(delivery: EmailDelivery, to_state: str) -> None:
    if not can_transition(delivery, to_state):
        raise TransitionNotAllowed(
            f"Utskicket kan inte gå från ”{DeliveryStatus(delivery.status).label}” till "
            f"”{DeliveryStatus(to_state).label}”.")


def transition(delivery: EmailDelivery, to_state: str) -> None:
    """The only place an EmailDelivery's status is set (the caller saves)."""
    assert_transition(delivery, to_state)
    delivery.status = to_state


def available_actions(delivery: EmailDelivery, user) -> list[tuple[str, str]]:
    if not user.has_perm("accounts.change_emaildelivery"):
        return []
    return [(name, label) for name, (sources, _to, label) in ACTIONS.items() if delivery.status in sources]

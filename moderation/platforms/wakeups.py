"""Wake-ups: how the lower layers ask for background work without importing the task layer.

The platform package is layered (connectors → services/credentials → ingest/polling/outbox/tokens → tasks →
webhooks/views); ``tasks`` imports the layers below it, so nothing below may import ``tasks``. A module that
has just written work down (an outbox row, a delivery to replay, credentials that release waiting actions)
calls ``wake(name, …)`` after its commit; ``tasks`` registers the enqueue for each name when it is imported
(``ModerationConfig.ready`` imports it in every process). A wake-up is only a hint: the rows are the work, and
``run_scheduled``'s sweeps pick up whatever a lost or unregistered wake-up left behind.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

ACTION = "platform_action"  # kwargs: action_id
ACTIONS_SWEEP = "platform_actions_sweep"  # no kwargs
DELIVERY = "webhook_delivery"  # kwargs: delivery_id

_handlers: dict[str, Callable[..., object]] = {}


def register(name: str, handler: Callable[..., object]) -> None:
    """Make ``wake(name, **kwargs)`` call ``handler(**kwargs)`` (the last registration wins)."""
    _handlers[name] = handler


def wake(name: str, **kwargs: object) -> bool:
    """Ask for the background work ``name``; never raises. False when it could not be asked for (the sweeps
    will find the work later)."""
    handler = _handlers.get(name)
    if handler is None:
        logger.warning("no wake-up registered for %s; the scheduled sweep will pick the work up", name)
        return False
    try:
        handler(**kwargs)
    except Exception:  # noqa: BLE001 - a wake-up is a hint; the stored row is the work
        logger.warning("could not wake %s (%s)", name, kwargs, exc_info=True)
        return False
    return True

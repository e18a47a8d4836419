"""Moderation's domain operations (keyword-only `<entity>_<verb>` functions; see each module)."""

from moderation.services.claims import item_claim, item_release
from moderation.services.decisions import decision_reverse, item_decide, items_decide_bulk
from moderation.services.ingest import (
    IngestSummary,
    item_ingest,
    item_mark_removed_on_platform,
    item_set_hidden_on_platform,
    items_ingest_bulk,
)
from moderation.services.platform import platform_action_enqueue, platform_supports
from moderation.services.reports import public_report_rate_limited, public_report_submit, public_report_triage
from moderation.services.sanctions import (
    author_unblock,
    block_confirm,
    police_report_create,
    police_report_update,
    sanction_warn,
    strikes_count,
)
from moderation.services.screening import detector_changed, detectors_rescreen, item_screen, screener_for
from moderation.services.stats import queue_size_series, time_to_removal_stats

__all__ = [
    "IngestSummary",
    "author_unblock",
    "block_confirm",
    "decision_reverse",
    "detector_changed",
    "detectors_rescreen",
    "item_claim",
    "item_decide",
    "item_ingest",
    "item_mark_removed_on_platform",
    "item_release",
    "item_screen",
    "item_set_hidden_on_platform",
    "items_decide_bulk",
    "items_ingest_bulk",
    "platform_action_enqueue",
    "platform_supports",
    "police_report_create",
    "police_report_update",
    "public_report_rate_limited",
    "public_report_submit",
    "public_report_triage",
    "queue_size_series",
    "sanction_warn",
    "screener_for",
    "strikes_count",
    "time_to_removal_stats",
]

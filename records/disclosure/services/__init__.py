"""Requests for public documents (begäran om allmän handling): the services.

Lifecycle (the table is `records.workflow`; the law in each module's docstring):

    intake.py    a request arrives, names records (any public record: documents, items, item
                 versions, public reports) and every named record is held at once (JO 3434-2016)
    review.py    the secrecy review per target (release / release with masking / refuse) and its end
    answer.py    released copies and the notice of any refusal with the offer of the authority's
                 decision (OSL 6 kap. 3 §)
    decision.py  the authority's decision at any time the requester asks (also after closing),
                 registered in the diarium; the appeal window (förvaltningslagen 44 §) and appeals
    close.py     closing with a reason, refused while the law still needs the records
"""

from records.disclosure.guards import APPEAL_MARGIN_DAYS, APPEAL_WEEKS
from records.disclosure.services._common import REFUSED_OUTCOMES, RELEASED_OUTCOMES, REVIEWABLE
from records.disclosure.services.answer import (
    DeliveredDocument,
    disclosure_answer,
    disclosure_deliver,
    disclosure_delivery_documents,
    disclosure_refusal_notice,
)
from records.disclosure.services.close import disclosure_close, release_holds
from records.disclosure.services.decision import (
    disclosure_appeal_close,
    disclosure_appeal_register,
    disclosure_appeal_window_end,
    disclosure_decision_issue,
    disclosure_decision_letter,
    disclosure_decision_notified,
    disclosure_decision_request,
)
from records.disclosure.services.intake import (
    REFERENCE_SERIES_CODE,
    disclosure_deadline,
    disclosure_hold_targets,
    disclosure_is_overdue,
    disclosure_item_add,
    disclosure_overdue,
    disclosure_request_create,
    disclosure_target_add,
)
from records.disclosure.services.review import disclosure_decide, disclosure_review, normalise_masked_parts
from records.disclosure.services.settings import disclosure_setting_save

__all__ = [
    "APPEAL_MARGIN_DAYS",
    "APPEAL_WEEKS",
    "REFERENCE_SERIES_CODE",
    "REFUSED_OUTCOMES",
    "RELEASED_OUTCOMES",
    "REVIEWABLE",
    "DeliveredDocument",
    "disclosure_answer",
    "disclosure_appeal_close",
    "disclosure_appeal_register",
    "disclosure_appeal_window_end",
    "disclosure_close",
    "disclosure_deadline",
    "disclosure_decide",
    "disclosure_decision_issue",
    "disclosure_decision_letter",
    "disclosure_decision_notified",
    "disclosure_decision_request",
    "disclosure_deliver",
    "disclosure_delivery_documents",
    "disclosure_hold_targets",
    "disclosure_is_overdue",
    "disclosure_item_add",
    "disclosure_overdue",
    "disclosure_refusal_notice",
    "disclosure_request_create",
    "disclosure_review",
    "disclosure_setting_save",
    "disclosure_target_add",
    "normalise_masked_parts",
    "release_holds",
]

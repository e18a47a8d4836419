"""The diarium's operations: numbering, cases, registration, search (see each module)."""

from records.diarium.services.cases import case_close, case_open, case_reopen, running_case_current, running_case_for
from records.diarium.services.numbering import number_allocate
from records.diarium.services.registration import (
    content_hash,
    document_register,
    document_register_from_source,
    document_update_description,
    document_void,
    proposal_accept,
    proposal_create,
    proposal_decline,
    proposals_accept_bulk,
    snapshot_defaults,
)

__all__ = [
    "case_close",
    "case_open",
    "case_reopen",
    "content_hash",
    "document_register",
    "document_register_from_source",
    "document_update_description",
    "document_void",
    "number_allocate",
    "proposal_accept",
    "proposal_create",
    "proposal_decline",
    "proposals_accept_bulk",
    "running_case_current",
    "running_case_for",
    "snapshot_defaults",
]

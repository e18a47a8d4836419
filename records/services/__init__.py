"""Records services (diarium): numbering, cases, registration, secrecy, search.

Import from here: `from records.services import document_register, proposal_create, ...`.
Disclosure, retention and GDPR services live in their own modules of this package.
"""

from records.services.cases import case_assert_transition, case_close, case_open, case_reopen
from records.services.numbering import number_allocate
from records.services.registration import (
    content_hash,
    document_register,
    document_register_from_source,
    document_update_description,
    document_void,
    proposal_accept,
    proposal_create,
    proposal_decline,
    snapshot_defaults,
)
from records.services.secrecy import (
    MASK_PRIVATE,
    MASK_SECRET,
    MISSING_DESCRIPTION,
    document_view,
    documents_for_list,
    may_view_secret,
    public_documents,
    public_view,
    secrecy_lift,
    secrecy_mark,
)

__all__ = [
    "MASK_PRIVATE",
    "MASK_SECRET",
    "MISSING_DESCRIPTION",
    "case_assert_transition",
    "case_close",
    "case_open",
    "case_reopen",
    "content_hash",
    "document_register",
    "document_register_from_source",
    "document_update_description",
    "document_view",
    "document_void",
    "documents_for_list",
    "may_view_secret",
    "number_allocate",
    "proposal_accept",
    "proposal_create",
    "proposal_decline",
    "public_documents",
    "public_view",
    "secrecy_lift",
    "secrecy_mark",
    "snapshot_defaults",
]

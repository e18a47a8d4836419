"""The diarium's models: series and their counters, cases, documents, registration proposals."""

from records.diarium.models.documents import (
    DEFAULT_NUMBER_FORMAT,
    SECRET_PART_FIELDS,
    Case,
    CaseQuerySet,
    CaseStatus,
    Direction,
    Document,
    DocumentQuerySet,
    NumberCounter,
    RegistrationReason,
    SenderKind,
    Series,
)
from records.diarium.models.files import DocumentFile
from records.diarium.models.proposals import ProposalStatus, RegistrationProposal, RegistrationSetting

__all__ = [
    "DEFAULT_NUMBER_FORMAT",
    "SECRET_PART_FIELDS",
    "Case",
    "CaseQuerySet",
    "CaseStatus",
    "Direction",
    "Document",
    "DocumentFile",
    "DocumentQuerySet",
    "NumberCounter",
    "ProposalStatus",
    "RegistrationProposal",
    "RegistrationReason",
    "RegistrationSetting",
    "SenderKind",
    "Series",
]

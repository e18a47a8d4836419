"""The records models, split by topic; import them from here (`from records.models import Document`).

- diarium: Series, NumberCounter, Case, Document (numbering, registration)
- secrecy: LegalGround, SecrecyMarking
- registration: RegistrationProposal, RegistrationSetting
- disclosure: DisclosureRequest, DisclosureItem, DisclosureDecisionLetter, DisclosureDecisionSetting (TF 2 kap.)
- retention: RetentionClass, PurgeList, PurgeLine, Tombstone, LegalHold (gallring)
- gdpr: SubjectRequest, SubjectRequestHit (art. 15, 17)
- archive: ArchiveDelivery (packages handed to the e-archive and its receipts)
"""

from records.archive.models import ArchiveDelivery
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
from records.disclosure.models import (
    AnswerMeans,
    AppealStatus,
    CloseReason,
    DisclosureChannel,
    DisclosureDecisionLetter,
    DisclosureDecisionSetting,
    DisclosureItem,
    DisclosureOutcome,
    DisclosureRequest,
    DisclosureStatus,
    LetterKind,
)
from records.gdpr.models import HitOutcome, SubjectRequest, SubjectRequestHit, SubjectRequestKind, SubjectRequestStatus
from records.retention.models import (
    LegalHold,
    LegalHoldSource,
    LegalHoldTarget,
    PurgeBatch,
    PurgeLine,
    PurgeLineStatus,
    PurgeList,
    PurgeListStatus,
    RetentionAction,
    RetentionClass,
    RetentionTrigger,
    Tombstone,
    TombstoneReason,
)
from records.secrecy.models import LegalGround, SecrecyMarking, SecrecyPart

__all__ = [
    "ArchiveDelivery",
    "DEFAULT_NUMBER_FORMAT",
    "SECRET_PART_FIELDS",
    "AnswerMeans",
    "AppealStatus",
    "Case",
    "CaseQuerySet",
    "CaseStatus",
    "CloseReason",
    "Direction",
    "DisclosureChannel",
    "DisclosureDecisionLetter",
    "DisclosureDecisionSetting",
    "DisclosureItem",
    "DisclosureOutcome",
    "DisclosureRequest",
    "DisclosureStatus",
    "Document",
    "DocumentFile",
    "DocumentQuerySet",
    "HitOutcome",
    "LegalGround",
    "LegalHold",
    "LegalHoldSource",
    "LegalHoldTarget",
    "LetterKind",
    "NumberCounter",
    "ProposalStatus",
    "PurgeBatch",
    "PurgeLine",
    "PurgeLineStatus",
    "PurgeList",
    "PurgeListStatus",
    "RegistrationProposal",
    "RegistrationReason",
    "SenderKind",
    "RegistrationSetting",
    "RetentionAction",
    "RetentionClass",
    "RetentionTrigger",
    "SecrecyMarking",
    "SecrecyPart",
    "Series",
    "SubjectRequest",
    "SubjectRequestHit",
    "SubjectRequestKind",
    "SubjectRequestStatus",
    "Tombstone",
    "TombstoneReason",
]

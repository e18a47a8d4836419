"""Plain data for an archive export (no Django imports).

The Django side fills these frozen dataclasses from its models and decides what may be
written: the builders in :mod:`records.archive.erms`, :mod:`records.archive.mets` and
:mod:`records.archive.sip` write exactly what they are given. Where secret information must
not leave the system, the caller passes it already masked (``AgentData.masked=True``, a
masked title, masked ``content_text``); the builders never see the secret and so cannot leak
it. The one thing they add is that a masked agent never gets a name, whatever ``name`` holds.

This module also locates the schema folder used for validation (:func:`schemas_dir`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Literal

__all__ = [
    "REPO_ROOT",
    "AgentData",
    "CaseData",
    "DisposalData",
    "DocumentData",
    "FileEntry",
    "PackageInfo",
    "RestrictionData",
    "SchemasNotFoundError",
    "schemas_dir",
]

AgentRole = Literal["sender", "recipient", "responsible"]
RestrictedPart = Literal["sender", "description", "content"]
Direction = Literal["incoming", "outgoing"]
DisposalAction = Literal["keep", "purge"]


@dataclass(frozen=True)
class AgentData:
    """A sender, recipient or responsible officer of a document.

    ``masked=True`` means the identity is under secrecy: the ERMS gets an agent element with
    a placeholder name and no other details (pass ``name=None``; a name given anyway is not
    written).
    """

    role: AgentRole
    name: str | None
    masked: bool = False


@dataclass(frozen=True)
class RestrictionData:
    """A secrecy marking (sekretessmarkering) on one part of a case or document."""

    part: RestrictedPart
    regulation: str  # the legal ground, e.g. "OSL 26 kap. 1 §"
    marked_at: datetime
    expires_on: date | None = None


@dataclass(frozen=True)
class DisposalData:
    """What the information management plan says: keep (bevaras) or purge (gallras), and when."""

    action: DisposalAction
    retention_class_code: str
    due: date | None
    decision_reference: str  # the gallringsbeslut / plan reference


@dataclass(frozen=True)
class DocumentFileData:
    """A file frozen with a document (a picture of the registered post, an evidence sheet), written to the
    representation beside the document's text. ``sha256`` is that of ``data``; ``write_package`` checks it."""

    label: str
    mimetype: str
    data: bytes
    sha256: str
    extension: str  # ".jpg", ".pdf", …


@dataclass(frozen=True)
class DocumentData:
    """One registered document (handling), e.g. ``KS 2026/12-3``.

    ``content_text`` is the text written to the package (masked by the caller where needed)
    and ``content_sha256`` is the SHA-256 (hex) of exactly that text encoded as UTF-8:
    :func:`records.archive.sip.write_package` checks it, so a masked copy can never travel
    with the checksum of the unmasked original.
    """

    number: str
    running_number: int
    title: str
    public_title: str
    direction: Direction
    date: date  # the day it came in (incoming) or was drawn up (outgoing)
    registered_at: datetime
    agents: list[AgentData]
    restrictions: list[RestrictionData]
    content_text: str
    content_sha256: str
    reason: str  # why it was registered
    disposal: DisposalData | None = None
    files: tuple[DocumentFileData, ...] = ()


@dataclass(frozen=True)
class CaseData:
    """One case (ärende), e.g. ``KS 2026/12``, with its documents."""

    number: str
    title: str
    public_title: str
    opened: date
    closed: date | None
    unit: str
    responsible: str | None
    classification: str | None
    status: str
    restrictions: list[RestrictionData] = field(default_factory=list)
    disposal: DisposalData | None = None
    documents: list[DocumentData] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class PackageInfo:
    """Who delivers the package, from which system, when, and under which identifier (keywords only).

    ``created_at`` is used for every date the package records about itself (METS CREATEDATE,
    file CREATED, the ERMS maintenance event), which keeps the output deterministic.
    ``package_id`` (a UUID string) names the package folder and is the METS OBJID; when it is
    empty the sanitized case number is used instead.
    """

    organisation_name: str
    organisation_id: str  # organisationsnummer, e.g. "212000-0000"
    system_name: str = "Uppsikt"
    system_version: str
    created_at: datetime
    package_id: str


@dataclass(frozen=True)
class FileEntry:
    """One file of a package as METS records it. ``path`` is relative to the package root."""

    path: str
    mimetype: str
    size: int
    sha256: str  # hex
    created: datetime
    format_name: str | None = None
    format_version: str | None = None


# --- schemas --------------------------------------------------------------------------------

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMAS_ENV = "UPPSIKT_SCHEMAS_DIR"


class SchemasNotFoundError(FileNotFoundError):
    """The folder with the ERMS and METS schemas is not where it was looked for."""


def schemas_dir(path: str | os.PathLike[str] | None = None, *, require: bool = True) -> Path:
    """The schema folder: ``path`` if given, else ``$UPPSIKT_SCHEMAS_DIR``, else ``<repo>/../shared/schemas``.

    The schemas are reference data kept outside the project (never copied into it). With
    ``require=True`` a missing folder raises :class:`SchemasNotFoundError`.
    """
    if path is not None:
        candidate = Path(path)
    elif os.environ.get(SCHEMAS_ENV):
        candidate = Path(os.environ[SCHEMAS_ENV])
    else:
        candidate = REPO_ROOT.parent / "shared" / "schemas"
    candidate = candidate.expanduser().resolve()
    if require and not (candidate / "erms" / "ERMS_v3.xsd").is_file():
        raise SchemasNotFoundError(
            f"schemas folder {candidate} not found (or it lacks erms/ERMS_v3.xsd); set {SCHEMAS_ENV}"
        )
    return candidate

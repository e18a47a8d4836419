"""E-archive export of a case: E-ARK SIP (FGS Paketstruktur 2.0) with CITS ERMS 3 (FGS Ärendehantering 2.0).

Pure Python and lxml, no Django: the Django side builds :class:`CaseData` and
:class:`PackageInfo` from its models (masking what must not leave) and calls
:func:`write_package`; :func:`validate_package` is the self-check.
"""

from .erms import build_erms, validate_erms
from .mets import build_mets, validate_mets
from .model import (
    AgentData,
    CaseData,
    DisposalData,
    DocumentData,
    DocumentFileData,
    FileEntry,
    PackageInfo,
    RestrictionData,
    SchemasNotFoundError,
    schemas_dir,
)
from .sip import package_name, pdf_renderer, validate_package, verify_package, write_package

__all__ = [
    "AgentData",
    "CaseData",
    "DisposalData",
    "DocumentData",
    "DocumentFileData",
    "FileEntry",
    "PackageInfo",
    "RestrictionData",
    "SchemasNotFoundError",
    "build_erms",
    "build_mets",
    "package_name",
    "pdf_renderer",
    "schemas_dir",
    "validate_erms",
    "validate_mets",
    "validate_package",
    "verify_package",
    "write_package",
]

"""Value types shared by the screening engine and its callers (no Django here)."""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("words", "pattern", "identity_number", "phone", "email", "link", "link_domain")
ACTIONS = ("flag", "hold")


@dataclass(frozen=True)
class DetectorSpec:
    """One detector as the engine sees it (built from a Detector row).

    ``terms``: for ``words`` the word list (an entry ending in ``*`` is a prefix, ``"jävl*"``);
    for ``pattern`` the regular expressions (matched case-insensitively on the original text);
    for ``link_domain`` the blocked domains (subdomains included).
    ``allow``: for ``words`` exceptions that are never flagged (place names such as ``"Fittja"``,
    ``"Kukkola"``; a trailing ``*`` makes an exception a prefix); for ``link``/``link_domain``
    domains that are never flagged (subdomains included).
    """

    id: int
    kind: str
    rule: str
    action: str = "flag"
    terms: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()
    name: str = ""


@dataclass(frozen=True)
class Hit:
    """One finding. ``start``/``end`` index the ORIGINAL text (end exclusive)."""

    detector_id: int
    rule: str
    kind: str
    action: str
    start: int
    end: int
    matched: str
    term: str

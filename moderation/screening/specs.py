"""Value types shared by the screening engine and its callers (no Django here)."""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("words", "pattern", "identity_number", "phone", "email", "link", "link_domain")
ACTIONS = ("flag", "hold")


@dataclass(frozen=True)
class DetectorSpec:
    """One detector as the engine sees it (built from a Detector row).

    ``terms``: for ``words`` the word list (see ``terms``: whole tokens; ``porr*`` a prefix,
    ``*jävel`` a compound end, ``=fan`` exactly, phrases, ``(a|b)`` alternatives);
    for ``pattern`` the regular expressions (matched case-insensitively on the original text);
    for ``link_domain`` the blocked domains (subdomains included).
    ``allow``: for ``words`` exceptions that are never flagged (place names such as ``"Fittja"``,
    ``"Kukkola"``; a trailing ``*`` makes an exception a prefix); for ``link``/``link_domain``
    domains that are never flagged (subdomains included). ``kuk: Kukkola`` scopes an exception to
    one term.
    ``forms``: for ``words``, extra forms per configured term (``(term, (form, ...))``), e.g. the
    inflections and compounds ``morphology.expand_terms`` found in the Swedish dictionary; each is
    matched like the term and reported as the term.
    """

    id: int
    kind: str
    rule: str
    action: str = "flag"
    terms: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()
    name: str = ""
    forms: tuple[tuple[str, tuple[str, ...]], ...] = ()


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

"""Screening of comments against the configured detectors (pure Python, no Django).

    from moderation.screening import DetectorSpec, Screener
    screener = Screener([DetectorSpec(id=1, kind="words", rule="profanity", terms=("jävl*", "hora"))])
    screener.screen("Din j-vla h.o.r.a")   # -> [Hit(...), Hit(...)] with offsets into the text

See ``normalize`` for the matching rules, ``patterns`` for how regexes are combined, ``identity``
and ``contacts`` for identity numbers, phone numbers, e-mail addresses and links.
"""

from .contacts import find_emails, find_links, find_phone_numbers
from .engine import Screener
from .identity import find_identity_numbers, identity_kind, is_valid_personnummer, is_valid_samordningsnummer
from .normalize import normalize
from .specs import ACTIONS, KINDS, DetectorSpec, Hit

__all__ = [
    "ACTIONS",
    "KINDS",
    "DetectorSpec",
    "Hit",
    "Screener",
    "find_emails",
    "find_identity_numbers",
    "find_links",
    "find_phone_numbers",
    "identity_kind",
    "is_valid_personnummer",
    "is_valid_samordningsnummer",
    "normalize",
]

"""What a configured word-list line means (pure Python, no dictionary needed).

One line of a word detector's list is a *term*:

* ``fitta`` — the whole token "fitta" and, when the detector's lists are expanded with the Swedish
  dictionary (``morphology``), its inflected forms and the compounds the dictionary knows
  (fittan, fittor, fittorna, bitterfitta …). Never a part of another word: "fitta" does not fire
  in "Fittja", "fan" not in "fann" or "fanfar".
* ``=fan`` — exactly this word, no inflected forms added.
* ``porr*`` — an explicit prefix: every token that starts with "porr" (porrfilm, porrig).
* ``*jävel`` — an explicit compound end: every token that ends with "jävel" (skattejävel) and,
  after expansion, with its inflected forms (skattejävlar).
* ``dra åt helvete`` — a phrase: the tokens in this order, each a whole token, with any separators
  between them. Phrases are not inflected; write the variants:
* ``ska (döda|mörda) (dig|er|honom)`` — alternatives in parentheses, expanded when the detector is
  compiled (at most ``MAX_VARIANTS`` phrases per line); an empty alternative makes a word optional:
  ``jag (ska|tänker) (|fan) döda dig``.

An exception (the detector's ``allow`` list) is a term too (``Fittja``, ``Kukkola``, ``ett fan``);
``kuk: Kukkola, Kuksu`` makes the exceptions apply to that term (and its forms) only, a line
without ``:`` applies to every term of the detector.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import product

__all__ = ["EXACT", "PREFIX", "SUFFIX", "Entry", "parse_term", "parse_allow", "expandable", "term_key", "MAX_VARIANTS"]

EXACT = 0
PREFIX = 1
SUFFIX = 8
MAX_VARIANTS = 5000
_GROUP = re.compile(r"\(([^()]*)\)")
_PLAIN_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


@dataclass(frozen=True)
class Entry:
    """One concrete text to match for a configured ``term`` (the line as written)."""

    term: str
    text: str
    mode: int  # EXACT, PREFIX or SUFFIX


def _split_markers(body: str) -> tuple[str, int] | None:
    body = body.strip()
    if body.startswith("="):
        body = body[1:].strip()
    mode = EXACT
    if body.endswith("*"):
        mode = PREFIX
        body = body.rstrip("*").strip()
    if body.startswith("*"):
        if mode == PREFIX:
            return None
        mode = SUFFIX
        body = body.lstrip("*").strip()
    return body, mode


def _variants(body: str) -> list[str] | None:
    """The phrases an alternatives line stands for, or None when there are too many."""
    pieces: list[list[str]] = []
    pos = 0
    for m in _GROUP.finditer(body):
        pieces.append([body[pos : m.start()]])
        pieces.append([alt.strip() for alt in m.group(1).split("|")])
        pos = m.end()
    pieces.append([body[pos:]])
    total = 1
    for p in pieces:
        total *= len(p)
        if total > MAX_VARIANTS:
            return None
    return [" ".join("".join(parts).split()) for parts in product(*pieces)]


def parse_term(raw: str) -> tuple[list[Entry], str | None]:
    """The entries of one configured line, and an error message (Swedish) or None."""
    term = (raw or "").strip()
    if not term:
        return [], None
    split = _split_markers(term)
    if split is None:
        return [], "en asterisk får stå i början eller i slutet, inte båda"
    body, mode = split
    if "(" in body or ")" in body:
        if body.count("(") != body.count(")") or _GROUP.sub("", body).count("("):
            return [], "parenteserna går inte ihop"
        texts = _variants(body)
        if texts is None:
            return [], f"fler än {MAX_VARIANTS} varianter"
    else:
        texts = [body]
    return [Entry(term, t, mode) for t in dict.fromkeys(texts) if t.strip()], None


def term_key(term: str) -> str:
    """How a per-term exception names its term: the line without "=", in lower case."""
    return " ".join((term or "").strip().lstrip("=").split()).lower()


def parse_allow(lines) -> list[tuple[str, frozenset[str] | None]]:
    """``(exception, scope)`` pairs: ``scope`` is the set of terms the exception applies to, or None
    for all terms of the detector."""
    out: list[tuple[str, frozenset[str] | None]] = []
    for line in lines:
        line = (line or "").strip()
        if not line:
            continue
        if ":" in line:
            head, _, tail = line.partition(":")
            scope = frozenset(term_key(t) for t in head.split(",") if t.strip())
            out.extend((exc.strip(), scope or None) for exc in tail.split(",") if exc.strip())
        else:
            out.append((line, None))
    return out


def expandable(term: str) -> bool:
    """True for a line the dictionary may add forms to: one plain word, optionally a compound end
    (``*jävel``); not ``=exact``, not a prefix, not a phrase."""
    t = (term or "").strip()
    if t.startswith("=") or t.endswith("*"):
        return False
    t = t.lstrip("*")
    return bool(_PLAIN_WORD.fullmatch(t))

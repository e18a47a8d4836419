"""The screening engine: all detectors compiled once, one text screened in tens of microseconds.

* Word detectors share ONE Aho-Corasick automaton over the normal form (see ``normalize``): a
  word is stored as ``" word "`` (``" word"`` for a prefix entry ``word*``), so the automaton only
  reports whole tokens and its cost does not depend on the size of the lists. Each entry also
  carries wildcard variants (rule 10) and the exceptions of its detector; values carry detector
  and configured term.
* Pattern detectors: one ``PatternSet`` (literal gating + one alternation, see ``patterns``).
* identity_number / phone / email / link / link_domain: each has a cheap pre-check
  (digits in the text, "@", a scheme, "www." or ".<tld>") before its regex runs.

Offsets of every hit point into the original text.
"""

from __future__ import annotations

from collections.abc import Iterable

import ahocorasick

from .contacts import clean_domain, domain_in, find_emails, find_links, find_phone_numbers
from .identity import find_identity_numbers
from .normalize import ALNUM, Prepared, candidates, prepare, term_core, wildcard_variants
from .patterns import PatternSet
from .specs import DetectorSpec, Hit

__all__ = ["Screener"]

PREFIX = 1
ALLOW = 2
WILDCARD = 4

_LINK_KINDS = ("link", "link_domain")


class Screener:
    """Compile ``specs`` once; ``screen(text)`` returns the hits sorted by position."""

    def __init__(self, specs: Iterable[DetectorSpec]):
        self.specs: list[DetectorSpec] = list(specs)
        self.errors: list[tuple[int, str, str]] = []  # (detector id, term, message)
        pattern_items = [(s, p) for s in self.specs if s.kind == "pattern" for p in s.terms if p]
        self._patterns = PatternSet(pattern_items) if pattern_items else None
        if self._patterns is not None:
            self.errors.extend((owner.id, pat, msg) for owner, pat, msg in self._patterns.errors)
        words = [(i, s) for i, s in enumerate(self.specs) if s.kind == "words"]
        self._has_words = bool(words)
        literals = self._patterns.literals if self._patterns is not None else {}
        self._ac = self._build_automaton(words, literals) if (words or literals) else None
        self._identity = [s for s in self.specs if s.kind == "identity_number"]
        self._phone = [s for s in self.specs if s.kind == "phone"]
        self._email = [s for s in self.specs if s.kind == "email"]
        self._links = [
            (
                s,
                frozenset(d for d in map(clean_domain, s.allow) if d),
                frozenset(d for d in map(clean_domain, s.terms) if d) if s.kind == "link_domain" else None,
            )
            for s in self.specs
            if s.kind in _LINK_KINDS
        ]
        self._needs_digits = bool(self._identity or self._phone)
        self._needs_prep = self._ac is not None or self._patterns is not None or self._needs_digits

    # ------------------------------------------------------------------ compile
    def _build_automaton(self, words: list[tuple[int, DetectorSpec]], literals: dict[str, list[int]]):
        """ONE automaton over the normal form. Values: ``(key length, word entries, indices of
        the patterns gated by this literal or None, is a one-character token)``."""
        table: dict[str, dict[tuple[int, int], str]] = {}

        def add(key: str, spec_index: int, term: str, flags: int) -> None:
            table.setdefault(key, {}).setdefault((spec_index, flags), term)

        for i, spec in words:
            for group, base in ((spec.terms, 0), (spec.allow, ALLOW)):
                for raw in group:
                    term = (raw or "").strip()
                    flags = base
                    body = term
                    if body.endswith("*"):
                        flags |= PREFIX
                        body = body.rstrip("*")
                    core = term_core(body)
                    if not core:
                        if term:
                            self.errors.append((spec.id, term, "nothing left to match after normalising"))
                        continue
                    tail = "" if flags & PREFIX else " "
                    add(" " + core + tail, i, term, flags)
                    if not flags & ALLOW:
                        for variant in wildcard_variants(core):
                            add(" " + variant + tail, i, term, flags | WILDCARD)
        singles = {" " + chr(c) + " " for c in ALNUM} if words else set()
        ac = ahocorasick.Automaton()
        for key in set(table) | set(literals) | singles:
            entries = tuple((si, term, fl) for (si, fl), term in table.get(key, {}).items())
            gated = tuple(literals[key]) if key in literals else None
            ac.add_word(key, (len(key), entries, gated, key in singles))
        ac.make_automaton()
        return ac

    # ------------------------------------------------------------------ screen
    def screen(self, text: str) -> list[Hit]:
        if not text:
            return []
        hits: list[Hit] = []
        prep = prepare(text) if self._needs_prep else None
        triggered: set[int] | tuple = ()
        if self._ac is not None:
            triggered = self._screen_words(text, prep, hits)
        if self._patterns is not None:
            for spec, pat, s, e in self._patterns.find(text, prep, triggered):
                hits.append(Hit(spec.id, spec.rule, spec.kind, spec.action, s, e, text[s:e], pat))
        if self._needs_digits and prep.digit_count() >= 8:
            if self._identity:
                found = find_identity_numbers(text)
                for spec in self._identity:
                    for s, e, kind in found:
                        hits.append(Hit(spec.id, spec.rule, spec.kind, spec.action, s, e, text[s:e], kind))
            if self._phone:
                found = find_phone_numbers(text)
                for spec in self._phone:
                    for s, e in found:
                        hits.append(Hit(spec.id, spec.rule, spec.kind, spec.action, s, e, text[s:e], "phone"))
        emails = None
        if self._email:
            emails = find_emails(text)
            for spec in self._email:
                for s, e in emails:
                    hits.append(Hit(spec.id, spec.rule, spec.kind, spec.action, s, e, text[s:e], "email"))
        if self._links:
            links = find_links(text, emails)
            if links:
                for spec, allow, blocked in self._links:
                    for s, e, host in links:
                        if allow and domain_in(host, allow):
                            continue
                        if blocked is None:
                            term = host
                        else:
                            term = domain_in(host, blocked)
                            if term is None:
                                continue
                        hits.append(Hit(spec.id, spec.rule, spec.kind, spec.action, s, e, text[s:e], term))
        if len(hits) > 1:
            hits.sort(key=_hit_order)
        return hits

    def _screen_words(self, text: str, prep: Prepared, hits: list[Hit]):
        """Word hits into ``hits``; returns the indices of literal-gated patterns to run."""
        ac = self._ac
        form = prep.form
        found = allows = triggered = None
        last_single = -9
        adjacent_singles = False
        for end, (klen, entries, gated, single) in ac.iter(form):
            if gated is not None:
                if triggered is None:
                    triggered = set(gated)
                else:
                    triggered.update(gated)
            if single:
                if end - last_single == 2:
                    adjacent_singles = True
                last_single = end
            if entries:
                s = end - klen + 2
                for si, term, flags in entries:
                    e = form.find(" ", end) if flags & PREFIX else end
                    if flags & ALLOW:
                        if allows is None:
                            allows = []
                        allows.append((si, s, e))
                    else:
                        if found is None:
                            found = []
                        found.append((si, s, e, term, flags))
        if not self._has_words:
            return triggered or ()
        best: dict[tuple[int, int, int], tuple[str, int]] = {}
        if found:
            for si, s, e, term, flags in found:
                if allows and any(a == si and as_ <= s and e <= ae for a, as_, ae in allows):
                    continue
                os_, oe = prep.form_span_to_original(s, e)
                _keep(best, (si, os_, oe), term, flags)
        # obfuscations that the normal form splits apart (rules 6, 9, 10 of normalize)
        for cs, ce, forms in candidates(prep, adjacent_singles or not prep.is_bytes):
            c_found = None
            c_allow = None
            for cform in forms:
                for _end, (_klen, entries, _gated, _single) in ac.iter(cform):
                    for si, term, flags in entries:
                        if flags & ALLOW:
                            c_allow = c_allow or set()
                            c_allow.add(si)
                        else:
                            c_found = c_found or []
                            c_found.append((si, term, flags))
            if not c_found and not c_allow:
                continue
            os_, oe = prep.leeted_span_to_original(cs, ce)
            if c_allow and best:
                # the joined token is an exception ("Kuk-kola"): drop that detector's hits inside it
                for key in [k for k in best if k[0] in c_allow and os_ <= k[1] and k[2] <= oe]:
                    del best[key]
            if c_found:
                for si, term, flags in c_found:
                    if not (c_allow and si in c_allow):
                        _keep(best, (si, os_, oe), term, flags)
        if best:
            specs = self.specs
            for (si, s, e), (term, _flags) in best.items():
                spec = specs[si]
                hits.append(Hit(spec.id, spec.rule, spec.kind, spec.action, s, e, text[s:e], term))
        return triggered or ()


def _hit_order(h: Hit):
    return (h.start, h.end, h.detector_id)


def _keep(best: dict, key: tuple[int, int, int], term: str, flags: int) -> None:
    """One hit per detector and span; an exact entry beats a prefix entry beats a wildcard one."""
    old = best.get(key)
    if old is None or (flags & (PREFIX | WILDCARD)) < (old[1] & (PREFIX | WILDCARD)):
        best[key] = (term, flags)

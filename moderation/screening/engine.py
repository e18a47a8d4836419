"""The screening engine: all detectors compiled once, then one text screened in tens of µs.

* ONE Aho-Corasick automaton over the normal form (see ``normalize``) serves every word detector:
  a word is stored as ``" word "`` (``" word"`` for a prefix entry ``word*``), so the automaton
  only reports whole tokens and its cost does not grow with the lists. Values carry the detector
  and the configured term; each word also has wildcard variants (rule 10), exceptions are stored
  the same way. The same automaton holds the required literals of the pattern detectors (which
  patterns can match at all, see ``patterns``) and markers for one-character tokens (which tell
  whether rule 9, "h o r a", needs to be looked at).
* Pattern detectors: one ``PatternSet`` (literal gating, character-count gating, start gates).
* identity_number / phone: only when the text has at least 8 digits; e-mail and links: each
  regex starts with a rare character ("@", bracketed "at", ":", ".", "w") so ``re`` skips ahead.

``Screener.screen`` returns the hits sorted by (start, end, detector id); every offset points into
the original text. ``Screener.errors`` lists what could not be compiled (detector id, term,
message): invalid regexes, words that normalise to nothing, unknown kinds.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

import ahocorasick

from .contacts import clean_domain, domain_in, find_emails, find_links, find_phone_numbers
from .identity import find_identity_numbers
from .normalize import ALNUM, Prepared, candidates, prepare, term_core, wildcard_variants
from .patterns import PatternSet
from .specs import KINDS, DetectorSpec, Hit

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
        for spec in self.specs:
            if spec.kind not in KINDS:
                self.errors.append((spec.id, spec.kind, "unknown detector kind, ignored"))
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
        # obfuscations that the normal form splits apart (rules 6, 9, 10 of normalize), all
        # candidate forms in one automaton pass ("\x01" keeps keys from spanning two forms)
        cands = candidates(prep, adjacent_singles or not prep.is_bytes)
        if cands:
            owners: list[int] = []
            starts: list[int] = []
            pieces: list[str] = []
            pos = 0
            for n, (_cs, _ce, forms) in enumerate(cands):
                for cform in forms:
                    owners.append(n)
                    starts.append(pos)
                    pieces.append(cform)
                    pos += len(cform) + 1
            c_found: dict[int, list] = {}
            c_allow: dict[int, set] = {}
            for end, (_klen, entries, _gated, _single) in ac.iter("\x01".join(pieces)):
                if not entries:
                    continue
                n = owners[bisect_right(starts, end) - 1]
                for si, term, flags in entries:
                    if flags & ALLOW:
                        c_allow.setdefault(n, set()).add(si)
                    else:
                        c_found.setdefault(n, []).append((si, term, flags))
            for n in sorted(set(c_found) | set(c_allow)):
                cs, ce, _forms = cands[n]
                os_, oe = prep.leeted_span_to_original(cs, ce)
                allowed = c_allow.get(n)
                if allowed and best:
                    # the joined token is an exception ("Kuk-kola"): drop those detectors' hits in it
                    for key in [k for k in best if k[0] in allowed and os_ <= k[1] and k[2] <= oe]:
                        del best[key]
                for si, term, flags in c_found.get(n, ()):
                    if not (allowed and si in allowed):
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

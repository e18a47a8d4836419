"""The screening engine: all detectors compiled once, then one text screened in tens of µs.

* ONE Aho-Corasick automaton over the normal form (see ``normalize``) serves every word detector:
  a word is stored as ``" word "`` (``" word"`` for a prefix entry ``word*``, ``"word "`` for a
  compound end ``*word``), so the automaton only reports whole tokens and its cost does not grow
  with the lists. Every configured line contributes all its concrete forms (``terms``: phrase
  alternatives; ``DetectorSpec.forms``: the dictionary's inflections), and every hit is verified
  letter run by letter run against the form's uncollapsed shape (``normalize.shape_ok``). Values carry the detector
  and the configured term; each word also has wildcard variants (rule 10), exceptions are stored
  the same way. The same automaton holds the required literals of the pattern detectors (which
  patterns can match at all, see ``patterns``) and markers for one-character tokens (which tell
  whether rule 9, "h o r a", needs to be looked at).
* Pattern detectors: one ``PatternSet`` (literal gating, character-count gating, start gates).
* identity_number / phone: only when the text has at least 8 digits (a valid identity number is
  never also reported as a phone number); e-mail and links: each
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
from .normalize import ALNUM, Prepared, candidates, prepare, shape_ok, term_core, term_shape, wildcard_variants
from .patterns import PatternSet
from .specs import KINDS, DetectorSpec, Hit
from .terms import PREFIX, SUFFIX, parse_allow, parse_term, term_key

__all__ = ["Screener"]

ALLOW = 2
WILDCARD = 4
MODES = PREFIX | SUFFIX
# A text with more word hits than this is flagged anyway; the rest are not collected, so that an
# adversarial 300,000-character item of obfuscated words is screened in a fraction of a second.
MAX_WORD_HITS = 1000

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
    def _word_entries(self, spec: DetectorSpec):
        """(text, term key, label, mode, scope-or-None, is_allow) for every concrete form of a word
        detector: the key (``terms.term_key``) is what per-term exceptions name, the label what a hit
        reports (the line as configured; for a line with alternatives, the phrase that matched)."""
        forms = dict(spec.forms)
        for raw in spec.terms:
            entries, error = parse_term(raw)
            if error:
                self.errors.append((spec.id, raw, error))
                continue
            term = (raw or "").strip()
            key = term_key(term)
            several = len(entries) > 1
            for entry in entries:
                # a line with alternatives reports the phrase that matched, a word its line
                yield entry.text, key, entry.text if several else term, entry.mode, None, False
            for form in forms.get(term, ()):
                extra, _err = parse_term(form)
                for entry in extra:
                    yield entry.text, key, term, entry.mode, None, False
        for exc, scope in parse_allow(spec.allow):
            entries, error = parse_term(exc)
            if error:
                self.errors.append((spec.id, exc, error))
                continue
            for entry in entries:
                yield entry.text, "", exc, entry.mode, scope, True

    def _build_automaton(self, words: list[tuple[int, DetectorSpec]], literals: dict[str, list[int]]):
        """ONE automaton over the normal form. Values: ``(key length, word entries, indices of
        the patterns gated by this literal or None, is a one-character token)``; a word entry is
        ``(detector index, term key, flags, shape, scope, label)`` and is verified against the text's
        shape."""
        table: dict[str, dict[tuple, tuple]] = {}

        def add(key: str, entry: tuple) -> None:
            table.setdefault(key, {}).setdefault(entry[:5], entry)

        for i, spec in words:
            for text, tkey, label, mode, scope, is_allow in self._word_entries(spec):
                core = term_core(text)
                if not core:
                    self.errors.append((spec.id, label, "nothing left to match after normalising"))
                    continue
                shape = term_shape(text)
                flags = mode | (ALLOW if is_allow else 0)
                head = "" if mode & SUFFIX else " "
                tail = "" if mode & PREFIX else " "
                add(head + core + tail, (i, tkey, flags, shape, scope, label))
                if not is_allow:
                    for variant in wildcard_variants(core):
                        add(head + variant + tail, (i, tkey, flags | WILDCARD, shape, scope, label))
        singles = {" " + chr(c) + " " for c in ALNUM} if words else set()
        ac = ahocorasick.Automaton()
        for key in set(table) | set(literals) | singles:
            entries = tuple(table.get(key, {}).values())
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
            ids = find_identity_numbers(text)
            for spec in self._identity:
                for s, e, kind in ids:
                    hits.append(Hit(spec.id, spec.rule, spec.kind, spec.action, s, e, text[s:e], kind))
            if self._phone:
                # a valid personnummer is an identity number, not a phone number ("0203845623")
                found = [(s, e) for s, e in find_phone_numbers(text)
                         if not any(s < ie and is_ < e for is_, ie, _k in ids)]
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
        nfound = 0
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
            if entries and nfound < MAX_WORD_HITS:
                nfound += len(entries)
                s = end - klen + 2
                for entry in entries:
                    flags = entry[2]
                    e = form.find(" ", end) if flags & PREFIX else end
                    s_ = form.rfind(" ", 0, s) + 1 if flags & SUFFIX else s
                    if flags & ALLOW:
                        if allows is None:
                            allows = []
                        allows.append((entry, s_, e))
                    else:
                        if found is None:
                            found = []
                        found.append((entry, s_, e))
        if not self._has_words:
            return triggered or ()
        best: dict[tuple[int, int, int], tuple[str, int]] = {}
        if found:
            shapes: dict[tuple[int, int], str] = {}
            ok_allows = [(si, s, e, scope) for (si, _k, fl, shape, scope, _l), s, e in allows or ()
                         if shape_ok(shape, _form_shape(prep, s, e, shapes), fl & MODES)]
            for (si, tkey, flags, shape, _scope, label), s, e in found:
                if not shape_ok(shape, _form_shape(prep, s, e, shapes), flags & MODES):
                    continue
                if ok_allows and _allowed(ok_allows, si, s, e, tkey):
                    continue
                os_, oe = prep.form_span_to_original(s, e)
                _keep(best, (si, os_, oe), (label, tkey), flags)
        # obfuscations that the normal form splits apart (rules 6, 9, 10 of normalize), all
        # candidate forms in one automaton pass ("\x01" keeps keys from spanning two forms)
        cands = (candidates(prep, adjacent_singles or not prep.is_bytes, MAX_WORD_HITS)
                 if nfound < MAX_WORD_HITS else None)
        if cands:
            owners: list[int] = []
            starts: list[int] = []
            pieces: list[str] = []
            piece_shapes: list[str] = []
            pos = 0
            for n, (_cs, _ce, forms) in enumerate(cands):
                for cform, cshape in forms:
                    owners.append(n)
                    starts.append(pos)
                    pieces.append(cform)
                    piece_shapes.append(cshape)
                    pos += len(cform) + 1
            c_found: dict[int, list] = {}
            c_allow: dict[int, list] = {}
            for end, (_klen, entries, _gated, _single) in ac.iter("\x01".join(pieces)):
                if not entries:
                    continue
                p = bisect_right(starts, end) - 1
                n = owners[p]
                for si, tkey, flags, shape, scope, label in entries:
                    if not shape_ok(shape, piece_shapes[p], flags & MODES):
                        continue
                    if flags & ALLOW:
                        c_allow.setdefault(n, []).append((si, scope))
                    else:
                        c_found.setdefault(n, []).append((si, (label, tkey), flags))
            for n in sorted(set(c_found) | set(c_allow)):
                cs, ce, _forms = cands[n]
                os_, oe = prep.leeted_span_to_original(cs, ce)
                allowed = c_allow.get(n)
                if allowed and best:
                    # the joined token is an exception ("Kuk-kola"): drop those detectors' hits in it
                    for key in [k for k, (t, _f) in best.items()
                                if os_ <= k[1] and k[2] <= oe and _in_scope(allowed, k[0], t[1])]:
                        del best[key]
                for si, term, flags in c_found.get(n, ()):
                    if not (allowed and _in_scope(allowed, si, term[1])):
                        _keep(best, (si, os_, oe), term, flags)
        if best:
            specs = self.specs
            for (si, s, e), ((label, _key), _flags) in best.items():
                spec = specs[si]
                hits.append(Hit(spec.id, spec.rule, spec.kind, spec.action, s, e, text[s:e], label))
        return triggered or ()


def _form_shape(prep: Prepared, s: int, e: int, cache: dict) -> str:
    """The uncollapsed shape (see ``normalize.term_shape``) of ``prep.form[s:e]`` (whole tokens)."""
    key = (s, e)
    shape = cache.get(key)
    if shape is None:
        padded = prep.padded
        ps = prep.form_to_padded(s)
        pe = prep.form_to_padded(e - 1) + 1
        last = padded[pe - 1]
        while pe < len(padded) and padded[pe] == last:
            pe += 1
        shape = cache[key] = " ".join(padded[ps:pe].split())
    return shape


def _in_scope(allowed: list, si: int, term: str) -> bool:
    return any(a == si and (scope is None or term in scope) for a, scope in allowed)


def _allowed(allows: list, si: int, s: int, e: int, term: str) -> bool:
    """Is the hit ``form[s:e]`` of detector ``si`` for ``term`` inside one of its exceptions?"""
    return any(a == si and as_ <= s and e <= ae and (scope is None or term in scope) for a, as_, ae, scope in allows)


def _hit_order(h: Hit):
    return (h.start, h.end, h.detector_id)


def _keep(best: dict, key: tuple[int, int, int], term: str, flags: int) -> None:
    """One hit per detector and span; an exact entry beats a prefix entry beats a wildcard one."""
    old = best.get(key)
    rank = flags & (PREFIX | WILDCARD | SUFFIX)
    if old is None or rank < (old[1] & (PREFIX | WILDCARD | SUFFIX)):
        best[key] = (term, flags)

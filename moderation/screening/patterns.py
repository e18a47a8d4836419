"""All regular expressions of all pattern detectors, screened in (nearly) one go.

Every pattern is matched case-insensitively on the ORIGINAL text and reports all its
non-overlapping matches, exactly as ``re.finditer(pattern, text, re.I)`` would; patterns never
hide each other's matches. To keep that fast for a hundred patterns:

* Patterns with a *required literal* (a run of at least three ordinary characters that every match
  must contain, or a set of such runs one of which it must contain, e.g. ``köp`` in
  ``\\bköp\\s+billig\\w*`` or ``{bitcoin, krypto}`` in ``(bitcoin|krypto)\\s*vinst``) are gated:
  the literals are looked up in one Aho-Corasick pass over the case-folded text (the same folding
  as for word matching, rules 1-5 of ``normalize``) and only patterns whose literal occurs are run.
  Folding only ever merges characters that ``re.IGNORECASE`` also merges or that the pattern would
  not match anyway, so gating never loses a match; literals are cut at characters outside
  latin-1 (and at ``µ``, NUL and the soft hyphen) to keep that true.
* The other patterns are combined into ONE alternation with a named group per pattern. A text
  without a match of the alternation has no match of any of them (the common case: one regex
  pass); otherwise those patterns run from the first match onwards. Patterns that cannot be part of
  the alternation (back-references, inline global flags, duplicate group names) run on their own.
* Patterns that do not compile are skipped and listed in ``errors``.
"""

from __future__ import annotations

import re

import ahocorasick

from .normalize import fold

try:  # Python 3.11+
    from re import _constants as _C
    from re import _parser as _P
except ImportError:  # pragma: no cover
    import sre_constants as _C  # type: ignore[no-redef]
    import sre_parse as _P  # type: ignore[no-redef]

__all__ = ["PatternSet", "required_literals"]

MIN_LITERAL = 3
FLAGS = re.IGNORECASE
_UNSAFE = frozenset("\x00\xad\xb5")
_ZERO_WIDTH = {_C.AT, _C.ASSERT, _C.ASSERT_NOT}
_REPEATS = {_C.MAX_REPEAT, _C.MIN_REPEAT} | ({_C.POSSESSIVE_REPEAT} if hasattr(_C, "POSSESSIVE_REPEAT") else set())


def _score(alts: list[str]) -> tuple[int, int]:
    return min(len(a) for a in alts), -len(alts)


def _pure_literal(seq) -> str | None:
    out = []
    for op, av in seq:
        if op is _C.LITERAL:
            out.append(chr(av))
        elif op not in _ZERO_WIDTH:
            return None
    return "".join(out)


def _required(seq) -> list[str] | None:
    best: list[str] | None = None
    run: list[str] = []

    def consider(cand):
        nonlocal best
        if cand and (best is None or _score(cand) > _score(best)):
            best = cand

    def flush():
        if run:
            consider(["".join(run)])
            run.clear()

    for op, av in seq:
        if op is _C.LITERAL:
            ch = chr(av)
            if ord(ch) > 255 or ch in _UNSAFE:
                flush()
            else:
                run.append(ch)
            continue
        if op in _ZERO_WIDTH:
            continue
        if op is _C.SUBPATTERN:
            lit = _pure_literal(av[-1])
            if lit is not None and all(ord(c) < 256 and c not in _UNSAFE for c in lit):
                run.append(lit)
                continue
            flush()
            consider(_required(av[-1]))
            continue
        flush()
        if op is getattr(_C, "ATOMIC_GROUP", None):
            consider(_required(av))
        elif op in _REPEATS:
            if av[0] >= 1:
                consider(_required(av[2]))
        elif op is _C.BRANCH:
            alts = [_required(a) for a in av[1]]
            if alts and all(alts):
                consider([x for a in alts for x in a])
    flush()
    return best


def required_literals(pattern: str) -> list[str] | None:
    """Literal strings one of which every match of ``pattern`` contains (at least MIN_LITERAL
    characters each), or None."""
    try:
        tree = _P.parse(pattern, FLAGS)
    except Exception:  # noqa: BLE001 - anything the parser rejects simply is not gated
        return None
    lits = _required(tree)
    if not lits or min(len(x) for x in lits) < MIN_LITERAL:
        return None
    return lits


def _has_groupref(seq) -> bool:
    for op, av in seq:
        if op in (_C.GROUPREF, getattr(_C, "GROUPREF_EXISTS", None)):
            return True
        items = av if isinstance(av, (list, tuple)) else (av,)
        for item in items:
            if isinstance(item, _P.SubPattern) and _has_groupref(item):
                return True
            if isinstance(item, (list, tuple)):
                for sub in item:
                    if isinstance(sub, _P.SubPattern) and _has_groupref(sub):
                        return True
    return False


def _folded(s: str) -> str:
    f = fold(s)[0]
    return f.decode("latin-1") if isinstance(f, bytes) else f


class PatternSet:
    """``items``: ``(owner, pattern)`` pairs; ``find`` returns ``(owner, pattern, start, end)``."""

    def __init__(self, items):
        self.errors: list[tuple[object, str, str]] = []
        self.patterns: list[tuple[object, str, re.Pattern]] = []
        gate: dict[str, list[int]] = {}
        ungated: list[int] = []
        for owner, pattern in items:
            try:
                compiled = re.compile(pattern, FLAGS)
            except (re.error, TypeError, ValueError, OverflowError, RecursionError) as exc:
                self.errors.append((owner, pattern, str(exc)))
                continue
            k = len(self.patterns)
            self.patterns.append((owner, pattern, compiled))
            lits = required_literals(pattern)
            if lits:
                for lit in {_folded(x) for x in lits}:
                    gate.setdefault(lit, []).append(k)
            else:
                ungated.append(k)
        self.gate = None
        if gate:
            self.gate = ahocorasick.Automaton()
            for lit, ks in gate.items():
                self.gate.add_word(lit, tuple(ks))
            self.gate.make_automaton()
        self.gated_all = tuple(sorted({k for ks in gate.values() for k in ks}))
        self.ungated = tuple(ungated)
        self.combined: re.Pattern | None = None
        self.solo: tuple[int, ...] = ()
        if ungated:
            joinable = []
            solo = []
            for k in ungated:
                pat = self.patterns[k][1]
                try:
                    tree = _P.parse(pat, FLAGS)
                    ok = not _has_groupref(tree) and not pat.lstrip().startswith("(?")
                except Exception:  # noqa: BLE001
                    ok = False
                (joinable if ok else solo).append(k)
            if joinable:
                try:
                    self.combined = re.compile(
                        "|".join(f"(?P<p{k}>{self.patterns[k][1]})" for k in joinable), FLAGS
                    )
                except (re.error, RecursionError, OverflowError):
                    solo.extend(joinable)
                    joinable = []
            self.joined = tuple(joinable)
            self.solo = tuple(sorted(solo))
        else:
            self.joined = ()

    def __len__(self) -> int:
        return len(self.patterns)

    def find(self, text: str, folded: str | None) -> list[tuple[object, str, int, int]]:
        """All matches in ``text``. ``folded``: ``text`` folded by ``normalize.fold`` (as str), or
        None when folding was not exact (then every gated pattern runs)."""
        out = []
        patterns = self.patterns
        if self.gate is not None:
            if folded is None:
                run = self.gated_all
            else:
                hit: set[int] = set()
                for _end, ks in self.gate.iter(folded):
                    hit.update(ks)
                run = sorted(hit) if hit else ()
            for k in run:
                owner, pat, rx = patterns[k]
                for m in rx.finditer(text):
                    if m.end() > m.start():
                        out.append((owner, pat, m.start(), m.end()))
        if self.combined is not None:
            first = self.combined.search(text)
            if first is not None:
                pos = first.start()
                for k in self.joined:
                    owner, pat, rx = patterns[k]
                    for m in rx.finditer(text, pos):
                        if m.end() > m.start():
                            out.append((owner, pat, m.start(), m.end()))
        for k in self.solo:
            owner, pat, rx = patterns[k]
            for m in rx.finditer(text):
                if m.end() > m.start():
                    out.append((owner, pat, m.start(), m.end()))
        return out

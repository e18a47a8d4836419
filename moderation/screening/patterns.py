"""All regular expressions of all pattern detectors, screened with as few regex passes as possible.

Every pattern is matched case-insensitively on the ORIGINAL text and reports all its
non-overlapping matches, exactly as ``re.finditer(pattern, text, re.I)`` would; patterns never
hide each other's matches. A Python regex costs a few microseconds per 300 characters even when
it finds nothing (``re`` tries it at every position), so a hundred patterns are never all run.
Instead every pattern gets *necessary conditions* that are checked cheaply, and only patterns
that pass them run:

1. A *required literal*: a run of ordinary characters that every match must contain, or a set of
   runs one of which it must contain (``billig`` in ``\\bköp\\s+billig\\w*``, ``{klicka, tryck}``
   in ``(klicka|tryck)\\s+här``). The literals, in the normal form of ``normalize`` (at least
   three characters there), are added to the word automaton, so the ONE Aho-Corasick pass that
   finds words also reports which patterns can match. Literals are cut at characters where that
   would not be safe (digits and other leet characters, characters outside latin-1, ``µ``, NUL,
   soft hyphen), so gating never loses a match. (When a text contained decomposed å/ä/ö, all
   literal-gated patterns run.)
2. *Character counts* for patterns without such a literal: the minimum number of digits
   (``\\d{4}[ -]?\\d{4}[ -]?\\d{4}[ -]?\\d{4}`` needs 16), of given punctuation or symbol characters
   (``[!?]{5,}`` needs five of ``!?``; ``(?:\\$|€|£)\\s*\\d{4,}`` one of ``$€£``), the longest run of
   digits (``\\d{10,14}`` needs 10 in a row) and of letters/digits (``\\b[a-zåäö]{28,}\\b``
   needs a 28-character token) that every match contains, compared with the same counts of the
   text (``str.count`` and the folded text).
3. A *start gate*: a second regex that matches wherever the pattern matches, starting at the same
   place, but begins with a class of characters without case variants, so that ``re`` skips
   straight to the candidate positions (``\\b\\d{4}…`` → ``\\d(?<!\\w.)…``; leading assertions
   dropped or moved behind the first character; ``\\bSE\\d{2}`` → ``[sS](?<!\\w.)(?i:E\\d{2})``).
   The pattern itself then only runs from the gate's first match on.

Patterns that do not compile are skipped and listed in ``errors``.

One alternation of all patterns (``(?P<p0>…)|(?P<p1>…)|…``) was measured and rejected: ``re`` tries
every alternative at every position, which cost more than the patterns one by one (and an
alternation reports only one pattern per position).
"""

from __future__ import annotations

import re

from .normalize import _FOLD1, prepare

try:  # Python 3.11+
    from re import _constants as _C
    from re import _parser as _P
except ImportError:  # pragma: no cover
    import sre_constants as _C  # type: ignore[no-redef]
    import sre_parse as _P  # type: ignore[no-redef]

__all__ = ["PatternSet", "required_literals", "count_conditions", "gate_regex"]

MIN_LITERAL = 3
FLAGS = re.IGNORECASE
_ZERO_WIDTH = {_C.AT, _C.ASSERT, _C.ASSERT_NOT}
_REPEATS = {_C.MAX_REPEAT, _C.MIN_REPEAT} | ({_C.POSSESSIVE_REPEAT} if hasattr(_C, "POSSESSIVE_REPEAT") else set())
_ATOMIC = getattr(_C, "ATOMIC_GROUP", None)
# folded characters a literal may not contain: leet characters (mapped only in some tokens),
# dropped characters and "µ" (re.I equates it with Greek mu, folding does not)
_UNSAFE_FOLDED = frozenset("0123456789@$\xa4\x00\xb5")


def _parse(pattern: str):
    try:
        return _P.parse(pattern, FLAGS)
    except Exception:  # noqa: BLE001 - whatever the parser rejects is simply not analysed
        return None


# --------------------------------------------------------------------------- 1. literals


def _safe(ch: str) -> bool:
    return ord(ch) < 256 and _FOLD1[ord(ch)] not in _UNSAFE_FOLDED


def literal_form(raw: str) -> str:
    """A literal as the word automaton sees it (normal form, without the padding)."""
    return prepare(raw).form.strip(" ")


def _score(forms: list[str]) -> tuple[int, int]:
    return min(len(f) for f in forms), -len(forms)


def _pure_literal(seq) -> str | None:
    out = []
    for op, av in seq:
        if op is _C.LITERAL:
            out.append(chr(av))
        elif op not in _ZERO_WIDTH:
            return None
    return "".join(out)


def _required(seq) -> list[str] | None:
    """Normal-form literals one of which every match of ``seq`` contains (best choice), or None."""
    best: list[str] | None = None
    run: list[str] = []

    def consider(cand):
        nonlocal best
        if cand and all(cand) and (best is None or _score(cand) > _score(best)):
            best = cand

    def flush():
        if run:
            consider([literal_form("".join(run))])
            run.clear()

    for op, av in seq:
        if op is _C.LITERAL:
            ch = chr(av)
            if _safe(ch):
                run.append(ch)
            else:
                flush()
            continue
        if op in _ZERO_WIDTH:
            continue
        if op is _C.SUBPATTERN:
            lit = _pure_literal(av[-1])
            if lit and all(_safe(c) for c in lit):
                run.append(lit)
                continue
            flush()
            consider(_required(av[-1]))
            continue
        flush()
        if op is _ATOMIC:
            consider(_required(av))
        elif op in _REPEATS:
            if av[0] >= 1:
                consider(_required(av[2]))
        elif op is _C.BRANCH:
            alts = [_required(a) for a in av[1]]
            if alts and all(alts):
                consider(sorted({x for a in alts for x in a}))
    flush()
    return best


def required_literals(pattern: str) -> list[str] | None:
    """Normal-form literals (at least MIN_LITERAL characters) one of which every match of
    ``pattern`` contains, or None."""
    tree = _parse(pattern)
    if tree is None:
        return None
    lits = _required(tree)
    if not lits or min(len(x) for x in lits) < MIN_LITERAL:
        return None
    return lits


# --------------------------------------------------------------------------- 2. counts

DIGITS = "D"  # number of digits
RUN = "R"  # longest run of letters/digits
DRUN = "N"  # longest run of digits


def _plain_char(code: int) -> str | None:
    """A character whose count is an exact, useful feature: no letter, digit or space and without
    case variants."""
    c = chr(code)
    if c.isalnum() or c.isspace() or c.lower() != c or c.upper() != c:
        return None
    return c


def _class_codes(items):
    """The code points of a positive class without categories, or None."""
    codes: list[int] = []
    for op, av in items:
        if op is _C.LITERAL:
            codes.append(av)
        elif op is _C.RANGE and av[1] - av[0] <= 2000:
            codes.extend(range(av[0], av[1] + 1))
        else:
            return None
    return codes


def _digit_item(op, av) -> bool:
    """Matches exactly one character, always an ASCII or Unicode digit."""
    if op is _C.LITERAL:
        return "0" <= chr(av) <= "9"
    if op is _C.IN and av and av[0][0] is not _C.NEGATE:
        if all(o is _C.CATEGORY and a is _C.CATEGORY_DIGIT for o, a in av):
            return True
        codes = _class_codes(av)
        return bool(codes) and all(48 <= c <= 57 for c in codes)
    return False


def _alnum_item(op, av) -> bool:
    """Matches exactly one character, always a letter or digit."""
    if op is _C.LITERAL:
        return chr(av).isalnum()
    if op is _C.IN and av and av[0][0] is not _C.NEGATE:
        rest = [(o, a) for o, a in av if not (o is _C.CATEGORY and a is _C.CATEGORY_DIGIT)]
        codes = _class_codes(rest)
        return codes is not None and all(chr(c).isalnum() for c in codes)
    return False


def _plain_set(op, av) -> frozenset | None:
    """Matches exactly one character out of a small set of plain characters."""
    if op is _C.LITERAL:
        c = _plain_char(av)
        return frozenset(c) if c else None
    if op is _C.IN and av and av[0][0] is not _C.NEGATE:
        codes = _class_codes(av)
        if codes and len(codes) <= 16 and all(_plain_char(c) for c in codes):
            return frozenset(chr(c) for c in codes)
    return None


def _add(total: dict, key, n: int) -> None:
    if key is RUN or key is DRUN:
        total[key] = max(total.get(key, 0), n)
    else:
        total[key] = min(total.get(key, 0) + n, 1 << 20)


def _counts(seq) -> dict:
    """Minimum feature counts of every match of ``seq``."""
    total: dict = {}
    run = drun = 0
    for op, av in seq:
        if op in _ZERO_WIDTH:
            continue
        # runs of letters/digits and of digits along the sequence
        single = None
        times = 1
        if op in _REPEATS and len(av[2]) == 1:
            single, times = av[2][0], av[0]
        elif op in (_C.LITERAL, _C.IN):
            single = (op, av)
        if single is not None and _alnum_item(*single):
            run += times
            if _digit_item(*single):
                drun += times
            else:
                _add(total, DRUN, drun)
                drun = 0
        else:
            _add(total, RUN, run)
            _add(total, DRUN, drun)
            run = drun = 0
        # counted characters
        if op is _C.LITERAL or op is _C.IN:
            if _digit_item(op, av):
                _add(total, DIGITS, 1)
            else:
                ps = _plain_set(op, av)
                if ps:
                    _add(total, ps, 1)
        elif op is _C.SUBPATTERN:
            for k, v in _counts(av[-1]).items():
                _add(total, k, v)
        elif op is _ATOMIC:
            for k, v in _counts(av).items():
                _add(total, k, v)
        elif op in _REPEATS:
            mn, _mx, body = av
            if mn >= 1:
                for k, v in _counts(body).items():
                    _add(total, k, v if k is RUN or k is DRUN else v * mn)
        elif op is _C.BRANCH:
            alts = [_counts(a) for a in av[1]]
            if not alts:
                continue
            common = set(alts[0]).intersection(*alts[1:])
            for k in common:
                _add(total, k, min(a[k] for a in alts))
            # "one of these characters": union of each alternative's single-character sets
            sets = []
            for a in alts:
                best = [k for k in a if isinstance(k, frozenset)]
                if not best:
                    sets = None
                    break
                sets.append(min(best, key=len))
            if sets:
                union = frozenset().union(*sets)
                if union not in common:
                    _add(total, union, 1)
        # ANY, NOT_LITERAL, GROUPREF...: nothing required
    _add(total, RUN, run)
    _add(total, DRUN, drun)
    return total


def count_conditions(pattern: str) -> dict | None:
    """Minimum counts (``DIGITS``, ``RUN``, ``DRUN`` or a frozenset of characters → n) that every
    match of ``pattern`` needs, or None if there is none worth checking."""
    tree = _parse(pattern)
    if tree is None:
        return None
    counts = {k: v for k, v in _counts(tree).items() if v > 0 and not ((k is RUN or k is DRUN) and v < 2)}
    return counts or None


# --------------------------------------------------------------------------- 3. start gates


class _Unsupported(Exception):
    pass


def _esc(code: int) -> str:
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


_CATS = {
    _C.CATEGORY_DIGIT: r"\d",
    _C.CATEGORY_NOT_DIGIT: r"\D",
    _C.CATEGORY_SPACE: r"\s",
    _C.CATEGORY_NOT_SPACE: r"\S",
    _C.CATEGORY_WORD: r"\w",
    _C.CATEGORY_NOT_WORD: r"\W",
}


def _un_class(items) -> str:
    neg = bool(items) and items[0][0] is _C.NEGATE
    parts = []
    for op, av in items[1:] if neg else items:
        if op is _C.LITERAL:
            parts.append(_esc(av))
        elif op is _C.RANGE:
            parts.append(_esc(av[0]) + "-" + _esc(av[1]))
        elif op is _C.CATEGORY and av in _CATS:
            parts.append(_CATS[av])
        else:
            raise _Unsupported(op)
    return "[" + ("^" if neg else "") + "".join(parts) + "]"


def _un(seq) -> str:
    """A regex that matches at least wherever ``seq`` matches (assertions dropped, groups made
    non-capturing, possessive/lazy repeats made greedy); raises _Unsupported for back-references."""
    out = []
    for op, av in seq:
        if op is _C.LITERAL:
            out.append(_esc(av))
        elif op is _C.NOT_LITERAL:
            out.append("[^" + _esc(av) + "]")
        elif op is _C.ANY:
            out.append(r"[\s\S]")
        elif op is _C.IN:
            out.append(_un_class(av))
        elif op is _C.CATEGORY and av in _CATS:
            out.append(_CATS[av])
        elif op in _ZERO_WIDTH:
            continue
        elif op is _C.SUBPATTERN:
            out.append("(?:" + _un(av[-1]) + ")")
        elif op is _ATOMIC:
            out.append("(?:" + _un(av) + ")")
        elif op is _C.BRANCH:
            out.append("(?:" + "|".join(_un(a) for a in av[1]) + ")")
        elif op in _REPEATS:
            mn, mx, body = av
            q = f"{{{mn},}}" if mx is _C.MAXREPEAT or mx >= _C.MAXREPEAT else f"{{{mn},{mx}}}"
            out.append("(?:" + _un(body) + ")" + q)
        else:
            raise _Unsupported(op)
    return "".join(out)


# every character that re.IGNORECASE equates with a latin-1 letter (checked against _sre)
_CASE_EXTRA = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f", "å": "\u212b", "ß": "\u1e9e", "ÿ": "\u0178"}
_MAX_GATE_CLASS = 8


def _case_closure(code: int) -> set[int] | None:
    c = chr(code)
    if c.lower() == c and c.upper() == c:
        return {code}
    if code > 255 or c == "µ":
        return None
    low = c.lower()
    out = {ord(low)} | {ord(x) for x in (c.upper(), low.upper()) if len(x) == 1}
    out |= {ord(x) for x in _CASE_EXTRA.get(low, "")}
    return out


def _first_class(op, av) -> str | None:
    """The first item as a class without case variants (cased letters expanded), or None when
    that is impossible or too broad to help."""
    codes: set[int] = set()
    cats = []
    if op is _C.LITERAL:
        items = [(op, av)]
    elif op is _C.IN and av and av[0][0] is not _C.NEGATE:
        items = av
    else:
        return None
    for iop, iav in items:
        if iop is _C.CATEGORY:
            if iav is _C.CATEGORY_DIGIT:
                cats.append(r"\d")
            elif iav is _C.CATEGORY_SPACE:
                cats.append(r"\s")
            else:
                return None
            continue
        rng = [iav] if iop is _C.LITERAL else range(iav[0], iav[1] + 1) if iop is _C.RANGE else None
        if rng is None or len(rng) > 5000:
            return None
        for x in rng:
            closure = _case_closure(x)
            if closure is None:
                return None
            codes |= closure
    cased = [x for x in codes if chr(x).lower() != chr(x) or chr(x).upper() != chr(x)]
    if len(cased) > _MAX_GATE_CLASS:
        return None
    return "[" + "".join(_esc(x) for x in sorted(codes)) + "".join(cats) + "]"


def _word_kind(op, av) -> str | None:
    """ "w" if the item only matches word characters, "n" if only other characters, else None."""
    items = [(op, av)] if op is _C.LITERAL else av
    kinds = set()
    for iop, iav in items:
        if iop is _C.CATEGORY:
            kinds.add("w" if iav is _C.CATEGORY_DIGIT else "n" if iav is _C.CATEGORY_SPACE else "?")
            continue
        rng = [iav] if iop is _C.LITERAL else range(iav[0], iav[1] + 1)
        kinds |= {"w" if (chr(x).isalnum() or x == 95) else "n" for x in rng}
    return kinds.pop() if len(kinds) == 1 and "?" not in kinds else None


def gate_regex(pattern: str) -> str | None:
    """A regex (compiled without flags) that matches wherever ``pattern`` (compiled with re.I)
    matches, starting at the same position, and that begins with a narrow class of characters
    without case variants. None if there is no such regex."""
    tree = _parse(pattern)
    if tree is None:
        return None
    items = list(tree)
    boundary = False
    for _ in range(32):
        if not items:
            return None
        op, av = items[0]
        if op in _ZERO_WIDTH:
            if op is _C.AT and av is _C.AT_BOUNDARY:
                boundary = True
            items = items[1:]
            continue
        if op is _C.SUBPATTERN and not av[1] and not av[2]:
            items = list(av[-1]) + items[1:]
            continue
        if op in _REPEATS and av[0] >= 1:
            mn, mx, body = av
            more = [] if mx == 1 else [(_C.MAX_REPEAT, (mn - 1, mx if mx is _C.MAXREPEAT else mx - 1, body))]
            items = list(body) + more + items[1:]
            continue
        break
    else:
        return None
    op, av = items[0]
    first = _first_class(op, av)
    if first is None:
        return None
    try:
        rest = _un(items[1:])
    except _Unsupported:
        return None
    look = ""
    if boundary:
        kind = _word_kind(op, av)
        if kind == "w":
            look = r"(?<!\w[\s\S])"
        elif kind == "n":
            look = r"(?<=\w[\s\S])"
    return first + look + ("(?i:" + rest + ")" if rest else "")


# --------------------------------------------------------------------------- the set


def _cost(item) -> int:
    """Cheapest checks first: digits (counted once), characters, digit runs, token lengths."""
    key = item[0]
    return 0 if key is DIGITS else 2 if key is DRUN else 3 if key is RUN else 1


class PatternSet:
    """``items``: ``(owner, pattern)`` pairs. ``literals`` maps each normal-form literal to the
    indices of the patterns it gates; the caller finds them (in its word automaton) and passes
    the triggered indices to ``find``."""

    def __init__(self, items):
        self.errors: list[tuple[object, str, str]] = []
        self.patterns: list[tuple[object, str, re.Pattern]] = []
        self.gates: list[re.Pattern | None] = []
        self.literals: dict[str, list[int]] = {}
        counted: list[tuple[int, tuple]] = []
        always: list[int] = []
        for owner, pattern in items:
            try:
                compiled = re.compile(pattern, FLAGS)
            except (re.error, TypeError, ValueError, OverflowError, RecursionError) as exc:
                self.errors.append((owner, pattern, str(exc)))
                continue
            k = len(self.patterns)
            self.patterns.append((owner, pattern, compiled))
            gate_rx = None
            src = gate_regex(pattern)
            if src is not None:
                try:
                    gate_rx = re.compile(src)
                except (re.error, RecursionError, OverflowError):  # pragma: no cover - defensive
                    gate_rx = None
            self.gates.append(gate_rx)
            lits = required_literals(pattern)
            if lits:
                for lit in lits:
                    self.literals.setdefault(lit, []).append(k)
                continue
            conds = count_conditions(pattern)
            if conds:
                counted.append((k, tuple(sorted(conds.items(), key=_cost))))
            else:
                always.append(k)
        self.literal_gated = tuple(sorted({k for ks in self.literals.values() for k in ks}))
        self.counted = tuple(counted)
        self.always = tuple(always)

    def __len__(self) -> int:
        return len(self.patterns)

    def find(self, text: str, prep, triggered) -> list[tuple[object, str, int, int]]:
        """All matches in ``text``. ``prep`` is ``normalize.prepare(text)``; ``triggered`` the
        indices of literal-gated patterns whose literal occurs in ``prep.form`` (ignored, and all
        of them run, when ``prep.exact`` is false)."""
        run: list[int] = list(triggered) if prep.exact else list(self.literal_gated)
        if self.counted:
            have: dict = {}
            for k, conds in self.counted:
                for key, need in conds:
                    n = have.get(key)
                    if n is None:
                        if key is DIGITS:
                            n = prep.digit_count()
                        elif key is RUN:
                            n = prep.longest_token()
                        elif key is DRUN:
                            n = prep.longest_digit_run()
                        else:
                            n = sum(map(text.count, key))
                        have[key] = n
                    if n < need:
                        break
                else:
                    run.append(k)
        run.extend(self.always)
        out = []
        if len(run) > 1:
            run.sort()
        patterns = self.patterns
        gates = self.gates
        for k in run:
            owner, pat, rx = patterns[k]
            pos = 0
            g = gates[k]
            if g is not None:
                gm = g.search(text)
                if gm is None:
                    continue
                pos = gm.start()
            for m in rx.finditer(text, pos):
                if m.end() > m.start():
                    out.append((owner, pat, m.start(), m.end()))
        return out

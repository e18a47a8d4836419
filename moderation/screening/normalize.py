"""Normalisation of (Swedish) text for word matching.

The same rules are applied to the texts that are screened and to the configured words, so both
sides always agree. In order:

1. Decomposed Swedish letters are composed: "a"+U+030A → "å", "a"+U+0308 → "ä", "o"+U+0308 → "ö".
2. Invisible characters are removed: zero-width space, non-joiner and joiner (U+200B–U+200D), word
   joiner (U+2060), zero-width no-break space / BOM (U+FEFF), soft hyphen (U+00AD), NUL, every other
   format character (Unicode category Cf, e.g. bidi controls) and every combining mark (Mn/Me,
   e.g. variation selectors, a stray U+0301).
3. Case is folded with ``str.lower`` ("İ" → "i"; "ß" stays "ß").
4. Diacritics are stripped except on å, ä and ö: é → e, ü → u, ñ → n (NFKD with the marks
   dropped), ł → l, đ → d; ø → ö, æ → ä and œ → ö; compatibility forms are folded: fullwidth "ｈｏｒａ", mathematical
   "𝐡𝐨𝐫𝐚", circled "ⓗⓞⓡⓐ", "ſ" → "s", "ı" → "i".
5. Look-alike letters become Latin: Cyrillic а в е ё к м н о р с т у х ѕ і ј һ ԁ ӏ ..., Greek α β ε ι κ
   ν ο ρ τ υ χ ω ... (capitals by their capital shape: Greek Η → h, Ν → n, Cyrillic В → b, Н → h).
   "€" counts as a leet character, dashes become "-", bullets "·", typographic apostrophes "'".
6. Leetspeak, only inside tokens that contain a letter: 0→o 1→i 3→e 4→a 5→s 7→t @→a $→s €→e
   ("h0ra" → "hora", "1d10t" → "idiot"). Tokens without a letter ("2026", "070-123 45 67",
   "12 000") are untouched; a leading "@" (a mention) is not a letter. A token containing "1" is
   also tried with 1→l.
7. Every character that is not a letter or digit is a separator; tokens are joined by one space.
8. Runs of the same letter collapse to one: "jääääävla" → "jävla", "fiiitta" → "fita",
   "Kukkola" → "kukola" (digits do not collapse). Configured words are collapsed the same way for
   the automaton, and every hit is then checked letter run by letter run against the configured
   word (``shape_ok``), so collapsing never changes what a term means: "porr" needs a double r
   ("porten" is not "porr"), "xxx" three x ("4 x 5" is not "xxx"), and a doubled consonant the term
   lacks is another word ("fann" is not "fan"); three or more of a letter ("faaan") and a doubled
   vowel ("jäävla") are emphasis and match.

The result is the *normal form* that ``normalize()`` returns, with a map back to the original text.

Word matching compares whole tokens of the normal form: a configured word must start and end on
token boundaries ("kuk" never fires inside "Kukkola", "fitta" never inside "Fittja", "hora" never
inside "horisont"); a trailing "*" only requires the start ("jävl*" fires on "jävlarna"), a
leading "*" only the end ("*jävel" fires on "skattejävel"); see ``terms`` for the whole syntax. An entry
of several words ("dra åt helvete") matches across any separators, and so do separators inside
an entry ("f*n" is the two tokens "f n"). Exceptions (``allow``, a trailing "*" again meaning a
prefix) are normalised the same way and suppress every hit of their detector that lies inside
them; an exception that matches a token re-joined by rule 10 ("Kuk-kola" for "Kukkola") also
suppresses the hits inside that token.

Obfuscations that the normal form splits into several tokens are re-joined and tried as extra
candidates:

9. Runs of single characters between separators: "h.o.r.a", "h-o-r-a", "h*o*r*a", "H O R A",
   "h.0.r.a". With only whitespace between them at least three characters are needed ("C P" is
   not joined, "i a" neither); with one of the in-word separators - * _ . ' ´ ` ~ · | ^ two are
   enough ("C.P" → "cp"). Each gap is at most three characters long.
10. A token whose letters are split by single in-word separators ("j-vla", "jä-vla", "f.itta",
   "h*ra", "k*k"): the separators are dropped ("jä-vla" → "jävla") and, in turn, each separator is
   read as one missing vowel ("j-vla" → "j?vla"). Every configured word is therefore also stored
   with each of its vowels after the first letter replaced by "?" ("jävla" → "j?vla", "jävl?").
   Only "*" may stand for the vowel of a three-letter word ("k*k", "f*n"); the other separators
   need four letters or more, so "F.N." is not read as "fan". Tokens with more than four
   separators or more than 20 characters are only tried with the separators dropped; common
   abbreviations ("t.ex", "bl.a", "s.k", "p.g.a", "o.s.v", ... see ``ABBREVIATIONS``) not at all.

The span of a hit is always the whole original token, or the whole run, or for an entry of
several words from the first to the last token: "h.o.r.a" highlights all 7 characters,
"jääääävla" all 9, "jävlarna" (for "jävl*") all 8.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from bisect import bisect_right
from itertools import groupby

import ahocorasick

__all__ = ["normalize", "prepare", "fold", "term_core", "term_shape", "shape_ok", "candidates", "Prepared", "VOWELS"]

SENTINEL = "\x00"
VOWELS = frozenset("aeiouyåäö")
INWORD_SEPS = "-*_.'´`~·|^"
RUN_SEPS = frozenset(" \t" + INWORD_SEPS)
EURO = "\xa4"  # "€" is folded to "¤" (latin-1) so that the fast bytes path can carry it
LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", EURO: "e"}
MAX_WILDCARD_SEPS = 4
MAX_WILDCARD_LEN = 20
MAX_CANDIDATE_LEN = 60


# --------------------------------------------------------------------------- character tables


def _strip_marks(s: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))


def _fold_latin1(c: str) -> str:
    """Fold one latin-1 character to one latin-1 character (rules 2-4)."""
    if c in "\x00\xad":
        return SENTINEL
    low = c.lower()
    if low in "åäö":
        return low
    if low == "ø":
        return "ö"
    if low == "æ":
        return "ä"
    bare = _strip_marks(low)
    if len(bare) == 1 and ord(bare) < 256 and bare.isalnum():
        return bare.lower()
    return low


_FOLD1 = [_fold_latin1(chr(i)) for i in range(256)]
T_LOW_B = bytes(ord(c) for c in _FOLD1)
T_LOW_S = {i: c for i, c in enumerate(_FOLD1) if c != chr(i)}
ALNUM = frozenset(i for i in range(1, 256) if chr(i).isalnum())
LETTERS = frozenset(i for i in ALNUM if chr(i).isalpha() and T_LOW_B[i] == i)
T_SEP_B = bytes(i if i in ALNUM else 32 for i in range(256))
T_SEP_S = {i: " " for i in range(256) if i not in ALNUM}
LEET_B = bytes.maketrans(b"".join(k.encode("latin-1") for k in LEET), b"".join(v.encode() for v in LEET.values()))
LEET_S = str.maketrans(LEET)
LEET_L_S = str.maketrans({**LEET, "1": "l"})

_HOMO_UPPER = {
    # Greek and Cyrillic capitals read by their capital shape
    "Α": "a", "Β": "b", "Ε": "e", "Ζ": "z", "Η": "h", "Ι": "i", "Κ": "k", "Μ": "m", "Ν": "n", "Ο": "o",
    "Ρ": "p", "Τ": "t", "Υ": "y", "Χ": "x", "Ϲ": "c",
    "А": "a", "В": "b", "Е": "e", "Ё": "e", "К": "k", "М": "m", "Н": "h", "О": "o", "Р": "p", "С": "c",
    "Т": "t", "У": "y", "Х": "x", "Ѕ": "s", "І": "i", "Ї": "i", "Ј": "j", "Һ": "h", "Ԁ": "d", "Ӏ": "l",
    "Ԛ": "q", "Ԝ": "w",
}  # fmt: skip
_HOMO = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "һ": "h", "ԁ": "d", "ӏ": "l",
    "ԛ": "q", "ԝ": "w", "ь": "b", "п": "n", "г": "r", "ѵ": "v", "ѡ": "w", "ꙇ": "i",
    # Greek
    "α": "a", "β": "b", "γ": "y", "ε": "e", "ζ": "z", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
    "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ϲ": "c", "ς": "c", "μ": "u",
    # Latin letters without a decomposition
    "ı": "i", "ł": "l", "đ": "d", "ħ": "h", "ŧ": "t", "ƀ": "b", "ɑ": "a", "ɡ": "g", "ɩ": "i", "ʀ": "r",
    "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ɢ": "g", "ʜ": "h", "ɪ": "i", "ᴊ": "j", "ᴋ": "k",
    "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ꞯ": "q", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v",
    "ᴡ": "w", "ʏ": "y", "ᴢ": "z", "œ": "ö",
}  # fmt: skip
_PUNCT = {
    "€": EURO,
    "•": "·", "‧": "·", "∙": "·", "⋅": "·", "・": "·", "●": "·", "◦": "·",
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-", "⁃": "-",
    "’": "'", "‘": "'", "‛": "'", "′": "'", "ʼ": "'", "ˈ": "'",
    "∗": "*", "⁎": "*", "✱": "*", "✲": "*", "★": "*", "☆": "*",
}  # fmt: skip


def _compute_exotic(c: str) -> str:
    """Fold one character outside latin-1 to exactly one character (rules 2-5)."""
    if c in _HOMO_UPPER:
        return _HOMO_UPPER[c]
    if unicodedata.category(c) in ("Mn", "Me", "Cf"):
        return SENTINEL
    if c in _PUNCT:
        return _PUNCT[c]
    if c == "\u0130":  # "İ".lower() is two characters
        return "i"
    low = c.lower()
    if len(low) != 1:
        low = c
    if low in _HOMO:
        return _HOMO[low]
    for form in (unicodedata.normalize("NFKC", low), _strip_marks(low)):
        if len(form) == 1:
            if ord(form) < 256:
                return _FOLD1[ord(form.lower())] if len(form.lower()) == 1 else form
            if form in _HOMO_UPPER:
                return _HOMO_UPPER[form]
            flow = form.lower()
            if len(flow) == 1 and flow in _HOMO:
                return _HOMO[flow]
    if low.isalnum():
        return low
    return " "


_EXOTIC: dict[str, str] = {}


def _exotic_sub(m: re.Match) -> str:
    c = m.group()
    r = _EXOTIC.get(c)
    if r is None:
        r = _EXOTIC[c] = _compute_exotic(c)
    return r


_NON_LATIN1 = re.compile("[^\x00-\xff]")
_COMPOSE = {"a\u030a": "å", "A\u030a": "Å", "a\u0308": "ä", "A\u0308": "Ä", "o\u0308": "ö", "O\u0308": "Ö"}
_COMPOSE_RE = re.compile("[aAoO][\u0308\u030a]")


def _compose_sub(m: re.Match) -> str:
    c = _COMPOSE.get(m.group())
    return c + SENTINEL if c else m.group()


_SENT_B = re.compile(b"\x00")
_NON_DIGITS_B = bytes(i for i in range(256) if not 48 <= i <= 57)
_DIGITS_ONLY_B = bytes(i if 48 <= i <= 57 else 32 for i in range(256))
_SENT_S = re.compile("\x00")


def fold(text: str):
    """Rules 1-5, one character to one character except that invisible characters are dropped.

    Returns ``(folded, dropped, exact)``: ``folded`` is ``bytes`` (latin-1) when the text fits in
    latin-1 after folding (the fast path), else ``str``; ``dropped`` lists the original indices that
    were removed (sorted); ``exact`` is False when decomposed letters were composed.
    """
    exact = True
    try:
        b = text.encode("latin-1")
    except UnicodeEncodeError:
        t = text
        if "\u0308" in t or "\u030a" in t:
            t2 = _COMPOSE_RE.sub(_compose_sub, t)
            exact = t2 == t
            t = t2
        t = _NON_LATIN1.sub(_exotic_sub, t)
        try:
            b = t.encode("latin-1")
        except UnicodeEncodeError:
            s = t.translate(T_LOW_S)
            if SENTINEL in s:
                return s.replace(SENTINEL, ""), [m.start() for m in _SENT_S.finditer(s)], exact
            return s, [], exact
    b = b.translate(T_LOW_B)
    if 0 in b:
        return b.replace(b"\x00", b""), [m.start() for m in _SENT_B.finditer(b)], exact
    return b, [], exact


# --------------------------------------------------------------------------- regexes, twice


def _cls(codes) -> str:
    """A regex character class (str syntax, latin-1 only, valid for bytes patterns too)."""
    codes = sorted(codes)
    parts, i = [], 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        parts.append(f"\\x{codes[i]:02x}" if i == j else f"\\x{codes[i]:02x}-\\x{codes[j]:02x}")
        i = j + 1
    return "[" + "".join(parts) + "]"


class _Rx:
    """The regexes of rules 6, 9 and 10 for one string type (bytes on the fast path, str else)."""

    def __init__(self, is_bytes: bool):
        if is_bytes:
            an, letter = _cls(ALNUM), _cls(LETTERS)
            enc = lambda p: p.encode("latin-1")  # noqa: E731
        else:
            an, letter = r"[^\W_]", r"[^\W\d_]"
            enc = lambda p: p  # noqa: E731
        seps = "[" + re.escape(INWORD_SEPS) + "]"
        self.is_bytes = is_bytes
        self.sep = T_SEP_B if is_bytes else T_SEP_S
        self.leet_tr = LEET_B if is_bytes else LEET_S
        # cheap test: a leet character next to a letter (first item is a rare character class)
        self.leet_pre = re.compile(enc(r"[0-9@$" + EURO + r"](?:(?<=" + letter + r".)|(?=" + letter + r"))"))
        self.has_letter = re.compile(enc(letter))
        self.has_one = enc("1")
        self.at = enc("@")
        # rule 10: an in-word separator between two letters/digits, and the token around it
        self.sep_pos = re.compile(enc(seps + "(?<=" + an + ".)(?=" + an + ")"))
        self.sep_token = re.compile(enc("(?:" + an + "+" + seps + ")+" + an + "+"))


_RX_B = _Rx(True)
_RX_S = _Rx(False)
_SINGLE_RUN = re.compile(r" ((?:[^ ] {1,3})+[^ ])(?= )")
_COLLAPSE = re.compile("(" + _cls(LETTERS) + r")\1+")
_HAS_LETTER = re.compile(r"[^\W\d_]")
_LETTER_CHARS = frozenset(chr(c) for c in LETTERS)

_DOUBLES = ahocorasick.Automaton()  # runs of a letter or of spaces
_LDOUBLES = ahocorasick.Automaton()  # runs of a letter
for _code in sorted(LETTERS):
    _DOUBLES.add_word(chr(_code) * 2, _code)
    _LDOUBLES.add_word(chr(_code) * 2, _code)
_DOUBLES.add_word("  ", 32)
_DOUBLES.make_automaton()
_LDOUBLES.make_automaton()


_LEET_TOKEN_B = frozenset(ALNUM | {ord(c) for c in "@$" + EURO})
_LEET_TOKEN_S = "@$" + EURO


def _apply_leet(s, rx: _Rx, extra: list):
    """Rule 6 on the tokens around each leet character that touches a letter."""
    is_bytes = rx.is_bytes
    n = len(s)
    parts = []
    last = 0
    done = -1
    for m in rx.leet_pre.finditer(s):
        p = m.start()
        if p < done:
            continue
        a, b = p, p + 1
        if is_bytes:
            while a > 0 and s[a - 1] in _LEET_TOKEN_B:
                a -= 1
            while b < n and s[b] in _LEET_TOKEN_B:
                b += 1
        else:
            while a > 0 and (s[a - 1].isalnum() or s[a - 1] in _LEET_TOKEN_S):
                a -= 1
            while b < n and (s[b].isalnum() or s[b] in _LEET_TOKEN_S):
                b += 1
        done = b
        tok = s[a:b]
        core = tok.lstrip(rx.at)
        if not core or not rx.has_letter.search(core):
            continue
        lead = len(tok) - len(core)
        if rx.has_one in core:  # 1 → l as well
            raw = core.decode("latin-1") if is_bytes else core
            extra.append((a + lead, b, raw.translate(LEET_L_S)))
        parts.append(s[last : a + lead])
        parts.append(core.translate(rx.leet_tr))
        last = b
    if not parts:
        return s
    parts.append(s[last:])
    return (b"" if is_bytes else "").join(parts)


# --------------------------------------------------------------------------- the pipeline


class Prepared:
    """Everything screening needs from one text.

    Coordinates: ``folded`` and ``leeted`` share one system (the original minus ``dropped``);
    ``padded`` is ``" " + leeted with every separator as a space + " "`` (shifted by one);
    ``form`` is ``padded`` with ``collapsed`` positions removed (runs of a letter or of spaces).
    ``form`` is computed on a fast path; ``padded`` and ``collapsed`` only when offsets are needed.
    """

    __slots__ = (
        "folded", "leeted", "form", "dropped", "exact", "extra", "is_bytes",
        "_digits", "_padded", "_collapsed", "_ckeys", "_dkeys",
    )  # fmt: skip

    def __init__(self, folded, leeted, form, dropped, exact, extra, is_bytes):
        self.folded = folded
        self.leeted = leeted
        self.form = form
        self.dropped = dropped
        self.exact = exact
        self.extra = extra
        self.is_bytes = is_bytes
        self._digits = None
        self._padded = None
        self._collapsed = None
        self._ckeys = None
        self._dkeys = None

    @property
    def padded(self) -> str:
        if self._padded is None:
            w = self.leeted.translate(_RX_B.sep if self.is_bytes else _RX_S.sep)
            self._padded = " " + (w.decode("latin-1") if self.is_bytes else w) + " "
        return self._padded

    @property
    def collapsed(self) -> list[int]:
        """Positions of ``padded`` that are not in ``form``."""
        if self._collapsed is None:
            self._collapsed = [e for e, _ in _DOUBLES.iter(self.padded)]
        return self._collapsed

    def digit_count(self) -> float:
        """At least the number of characters of the original text that ``\\d`` matches (infinite
        when the text has characters outside latin-1 that folding kept)."""
        n = self._digits
        if n is None:
            n = self._digits = len(self.folded.translate(None, _NON_DIGITS_B)) if self.is_bytes else float("inf")
        return n

    def longest_token(self) -> float:
        """At least the length of the longest run of letters/digits in the original text."""
        if not self.is_bytes:
            return float("inf")
        return max(map(len, self.leeted.translate(_RX_B.sep).split()), default=0)

    def longest_digit_run(self) -> float:
        """At least the length of the longest run of digits in the original text."""
        if not self.is_bytes:
            return float("inf")
        return max(map(len, self.folded.translate(_DIGITS_ONLY_B).split()), default=0)

    def folded_str(self) -> str:
        return self.folded.decode("latin-1") if self.is_bytes else self.folded

    # -- offsets
    def form_to_padded(self, pos: int) -> int:
        keys = self._ckeys
        if keys is None:
            keys = self._ckeys = _shift_keys(self.collapsed)
        return pos + bisect_right(keys, pos) if keys else pos

    def leeted_to_original(self, pos: int) -> int:
        if not self.dropped:
            return pos
        keys = self._dkeys
        if keys is None:
            keys = self._dkeys = _shift_keys(self.dropped)
        return pos + bisect_right(keys, pos)

    def form_span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map ``form[start:end]`` (whole tokens) to the original text, covering whole tokens."""
        ps = self.form_to_padded(start)
        pl = self.form_to_padded(end - 1)
        pe = self.padded.find(" ", pl)
        return self.leeted_to_original(ps - 1), self.leeted_to_original(pe - 2) + 1

    def leeted_span_to_original(self, start: int, end: int) -> tuple[int, int]:
        return self.leeted_to_original(start), self.leeted_to_original(end - 1) + 1


def _shift_keys(deleted: list[int]) -> list[int]:
    return [d - k for k, d in enumerate(deleted)]


def prepare(text: str) -> Prepared:
    folded, dropped, exact = fold(text)
    is_bytes = folded.__class__ is bytes
    rx = _RX_B if is_bytes else _RX_S
    extra = None
    if rx.leet_pre.search(folded):
        extra = []
        leeted = _apply_leet(folded, rx, extra)
    else:
        leeted = folded
    # separators → one space (split/join), then runs of a letter → one letter
    if is_bytes:
        form = " " + b" ".join(leeted.translate(T_SEP_B).split()).decode("latin-1") + " "
    else:
        form = " " + " ".join(leeted.translate(T_SEP_S).split()) + " "
    if form == "  ":
        form = " "
    dels = [e for e, _ in _LDOUBLES.iter(form)]
    if dels:
        form = "".join([form[a:b] for a, b in zip([0, *[d + 1 for d in dels]], [*dels, len(form)], strict=True)])
    return Prepared(folded, leeted, form, dropped, exact, extra, is_bytes)


def normalize(text: str) -> tuple[str, list[int]]:
    """The normal form of ``text`` (rules 1-8) and, for each of its characters, the index of the
    original character it comes from (a space stands for a whole run of separators and points at
    the first of them; a collapsed run points at its first letter)."""
    p = prepare(text)
    form = p.form
    ckeys = _shift_keys(p.collapsed)
    dkeys = _shift_keys(p.dropped)
    out = []
    for i in range(1, len(form) - 1):
        b = i + bisect_right(ckeys, i) - 1
        out.append(b + bisect_right(dkeys, b))
    return form[1:-1], out


def term_core(term: str) -> str:
    """Normal form of one configured word (without the trailing ``*``)."""
    return prepare(term).form.strip(" ")


def term_shape(term: str) -> str:
    """Rules 1-7 without rule 8: what a configured word (or a matched stretch of text) says letter
    by letter, tokens joined by one space. Matching compares collapsed forms (so "jääävla" finds
    "jävla") and then the shapes (``shape_ok``), so that collapsing never changes what a term means."""
    return " ".join(prepare(term).padded.split())


def _runs(s: str) -> list[tuple[str, int]]:
    return [(c, len(list(g))) for c, g in groupby(s)]


@functools.lru_cache(maxsize=65536)
def shape_ok(term: str, text: str, mode: int = 0) -> bool:
    """Does the text's shape spell the term's shape, letter run by letter run?

    A run in the text may be as long as the term's, longer when the term doubles the letter
    ("porr" → "porrr"), three or more letters for emphasis ("faaan", "jääääävla") and a doubled
    vowel ("jäävla"); never shorter ("porten" is not "porr", "x" is not "xxx") and never a doubled
    consonant the term does not have ("fann" is not "fan"). ``mode`` 1 (prefix): the text may
    continue after the term and its last run may be longer; 8 (suffix, a compound end): the text
    may begin before it and its first run may be longer. "?" (a separator read as a vowel, rule 10)
    matches any run."""
    tr = _runs(term)
    xr = _runs(text)
    n = len(tr)
    if mode == 1:
        xr = xr[:n]
    elif mode == 8:
        xr = xr[-n:] if n <= len(xr) else xr
    if len(xr) != n:
        return False
    for i in range(n):
        c, k = tr[i]
        x, m = xr[i]
        if x == "?" or c == "?":
            continue
        if x != c:
            return False
        if m == k:
            continue
        if m < k:
            return False
        if (mode == 1 and i == n - 1) or (mode == 8 and i == 0):
            continue
        if not (k >= 2 or m >= 3 or c in VOWELS or not c.isalpha()):
            return False
    return True


_LEET_CHARS = re.compile("[0-9@$" + EURO + "]")


def _collapse_letters(raw: str) -> str:
    if _COLLAPSE.search(raw) is None:
        return raw
    return "".join([k if k in _LETTER_CHARS else "".join(g) for k, g in groupby(raw)])


def _cand_form(raw: str) -> tuple[str, str]:
    """(the padded, collapsed form the automaton sees, the uncollapsed shape that is verified)."""
    if _LEET_CHARS.search(raw) and _HAS_LETTER.search(raw):
        raw = raw.translate(LEET_S)
    return " " + _collapse_letters(raw) + " ", raw


# common Swedish abbreviations: never obfuscations, skipped by rule 10
# fmt: off
ABBREVIATIONS = frozenset((
    "t.ex", "bl.a", "s.k", "p.g.a", "o.s.v", "m.m", "m.fl", "t.o.m", "fr.o.m", "d.v.s", "e.d", "o.d",
    "f.d", "f.ö", "i.o.m", "s.a.s", "t.v", "t.h", "p.s", "e.kr", "f.kr", "fr.a", "o.dyl", "m.a.o",
    "t.ex.vis",
))
# fmt: on
_ABBREVIATIONS_B = frozenset(a.encode("latin-1") for a in ABBREVIATIONS)
_INWORD_B = INWORD_SEPS.encode("latin-1")
_INWORD_SET_B = frozenset(_INWORD_B)
_INWORD_DEL_S = str.maketrans("", "", INWORD_SEPS)
_STAR = (42, "*")
_CLASSES_B = bytes(97 if i in ALNUM else 45 if i in _INWORD_SET_B else 32 for i in range(256))


def candidates(p: Prepared, runs: bool = True, limit: int = 1 << 30) -> list[tuple[int, int, list[tuple[str, str]]]]:
    """Extra candidates of rules 6 (1→l), 9 (only if ``runs``) and 10: ``(start, end, forms)``
    with start/end in the leeted coordinates and each form a pair (padded with spaces like
    ``Prepared.form``, the uncollapsed shape; see ``term_shape``)."""
    out: dict[tuple[int, int], list[tuple[str, str]]] = {}
    leeted = p.leeted
    is_bytes = p.is_bytes
    # rule 6: 1 → l
    if p.extra:
        for s, e, raw in p.extra:
            out.setdefault((s, e), []).append(_cand_form(raw))
    # rule 9: runs of single characters
    if runs:
        for m in _SINGLE_RUN.finditer(p.padded):
            if len(out) >= limit:
                break
            s, e = m.start(1) - 1, m.end(1) - 1
            seg = leeted[s:e]
            if is_bytes:
                seg = seg.decode("latin-1")
            chars, ok, hard = [], True, False
            gap = 0
            for ch in seg:
                if ch.isalnum():
                    chars.append(ch)
                    gap = 0
                elif ch in RUN_SEPS:
                    gap += 1
                    if gap > 3:
                        ok = False
                        break
                    if ch not in " \t":
                        hard = True
                else:
                    ok = False
                    break
            if not ok or len(chars) < (2 if hard else 3):
                continue
            raw = "".join(chars)
            if _HAS_LETTER.search(raw):
                out.setdefault((s, e), []).append(_cand_form(raw))
    # rule 10: in-word separators
    rx = _RX_B if is_bytes else _RX_S
    classes = None
    done_until = -1
    for m in rx.sep_pos.finditer(leeted):
        pos = m.start()
        if pos < done_until:
            continue
        if len(out) >= limit:
            break
        if is_bytes:
            # start of the run of letters/digits/in-word separators around pos (C speed)
            if classes is None:
                classes = leeted.translate(_CLASSES_B)
            start = classes.rfind(b" ", 0, pos) + 1
            double = classes.rfind(b"--", start, pos)
            if double >= 0:
                start = double + 2
            while classes[start] == 45:  # "-"
                start += 1
        else:
            start = pos
            while start > 0:
                c = leeted[start - 1]
                if c.isalnum() or (c in INWORD_SEPS and start >= 2 and leeted[start - 2].isalnum()):
                    start -= 1
                else:
                    break
        tm = rx.sep_token.match(leeted, start)
        if tm is None or tm.end() <= pos:
            done_until = pos + 1
            continue
        end = tm.end()
        done_until = end
        tok = tm.group()
        if len(tok) > MAX_CANDIDATE_LEN:
            continue
        if is_bytes:
            if tok in _ABBREVIATIONS_B or not rx.has_letter.search(tok):
                continue
            stripped = tok.translate(None, _INWORD_B).decode("latin-1")
            seps = [i for i, c in enumerate(tok) if c in _INWORD_SET_B]
        else:
            if tok in ABBREVIATIONS or not rx.has_letter.search(tok):
                continue
            stripped = tok.translate(_INWORD_DEL_S)
            seps = [i for i, c in enumerate(tok) if c in INWORD_SEPS]
        forms = out.setdefault((start, end), [])
        forms.append(_cand_form(stripped))
        if len(seps) <= MAX_WILDCARD_SEPS and len(tok) <= MAX_WILDCARD_LEN:
            for i in seps:
                if is_bytes:
                    raw = (tok[:i].translate(None, _INWORD_B) + b"?" + tok[i + 1 :].translate(None, _INWORD_B)).decode(
                        "latin-1"
                    )
                else:
                    raw = tok[:i].translate(_INWORD_DEL_S) + "?" + tok[i + 1 :].translate(_INWORD_DEL_S)
                if tok[i] in _STAR or len(raw) >= 4:
                    forms.append(_cand_form(raw))
    return [(s, e, forms) for (s, e), forms in out.items()]


def wildcard_variants(core: str) -> list[str]:
    """Rule 10, stored side: ``core`` with each vowel after the first letter replaced by "?"."""
    if " " in core or len(core) < 3:
        return []
    return [core[:i] + "?" + core[i + 1 :] for i in range(1, len(core)) if core[i] in VOWELS]

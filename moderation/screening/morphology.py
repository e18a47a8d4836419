"""Swedish inflection and compounds for word lists, from Debian's ``hunspell-sv`` dictionary.

Run when a detector is saved (not when text is screened): every plain word of a list gets the
forms the dictionary generates for it and the compounds the dictionary lists with it, so that
screening stays one Aho-Corasick pass over fixed strings.

* Inflections: the word's dictionary entries (or, for an inflected word such as "jävlar", the entry
  it is a form of, found with ``spylls``' lookup) with every suffix and prefix its affix flags allow:
  fitta → fittan, fittas, fittor, fittorna, fittornas, fittors, fittans. Forms that may only stand
  inside a compound (the ``ONLYINCOMPOUND`` flag) are left out.
* Compounds: the dictionary marks vulgar words, and the compounds made of them, ``NOSUGGEST``.
  A lower-case ``NOSUGGEST`` entry that ends with the word (bitterfitta, apjävel, hästkuk) or
  starts with it, or with its compound stem (the word less a final vowel, or plus "s"), followed by
  another dictionary word (fitthår, horunge, kukhuvud, porrfilm), is taken with its inflections.
  The marker keeps out ordinary compounds that merely start with the same letters (fanfar,
  fantast, horisont).
* A compound end (``*jävel``) gets the inflections of its word, each a compound end (``*jävlar``).
* A compound the dictionary does not list as one word (skattejävel) is split by ``spylls`` and its
  last part inflected (skattejävlar).

``expand_terms`` returns ``{term: [forms]}`` (forms not including the term itself). The dictionary
(``/usr/share/hunspell/sv_SE.{aff,dic}``, or ``UPPSIKT_HUNSPELL_SV``) is read once per process
(about a second); when it is missing, nothing is added and ``available()`` says so.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import threading
from collections.abc import Iterable
from pathlib import Path

from .terms import expandable

__all__ = ["expand_terms", "forms_of", "available", "dictionary_key", "DICTIONARY"]

log = logging.getLogger(__name__)

DICTIONARY = os.environ.get("UPPSIKT_HUNSPELL_SV", "/usr/share/hunspell/sv_SE")
_lock = threading.Lock()
_state: dict = {}


def available() -> bool:
    """True when the Swedish hunspell dictionary can be read."""
    return Path(DICTIONARY + ".dic").is_file() and Path(DICTIONARY + ".aff").is_file()


def dictionary_key() -> str:
    """Identifies the dictionary in use (its size and modification time), or "" when there is none:
    stored expansions made with another dictionary are redone."""
    if not available():
        return ""
    st = Path(DICTIONARY + ".dic").stat()
    return hashlib.sha256(f"{DICTIONARY}:{st.st_size}:{int(st.st_mtime)}".encode()).hexdigest()[:12]


def _load():
    with _lock:
        if "dic" not in _state:
            from spylls.hunspell import Dictionary

            d = Dictionary.from_files(DICTIONARY)
            stems: dict[str, list] = {}
            for w in d.dic.words:
                stems.setdefault(w.stem, []).append(w)
            marked = [w for w in d.dic.words if d.aff.NOSUGGEST in w.flags and w.stem.islower() and w.stem.isalpha()]
            _state.update(dic=d, stems=stems, marked=marked)
    return _state


def _apply(stem: str, affix, *, suffix: bool) -> str | None:
    strip = affix.strip or ""
    if not affix.cond_regexp.search(stem):
        return None
    if suffix:
        if strip and not stem.endswith(strip):
            return None
        base = stem[: len(stem) - len(strip)] if strip else stem
        return base + (affix.add or "")
    if strip and not stem.startswith(strip):
        return None
    return (affix.add or "") + stem[len(strip) :]


def _word_forms(aff, word) -> set[str]:
    """Every form of one dictionary entry that may stand alone."""
    bad = {f for f in (aff.ONLYINCOMPOUND, aff.NEEDAFFIX, aff.FORBIDDENWORD) if f}
    stem = word.stem
    out: set[str] = set()
    if not (word.flags & bad):
        out.add(stem)
    suffixed: list[tuple[str, object]] = []
    for flag in word.flags:
        for sfx in aff.SFX.get(flag, ()):
            form = _apply(stem, sfx, suffix=True)
            if form is None or (sfx.flags & bad):
                continue
            out.add(form)
            suffixed.append((form, sfx))
            for flag2 in sfx.flags:
                for sfx2 in aff.SFX.get(flag2, ()):
                    form2 = _apply(form, sfx2, suffix=True)
                    if form2 is not None and not (sfx2.flags & bad):
                        out.add(form2)
    for flag in word.flags:
        for pfx in aff.PFX.get(flag, ()):
            form = _apply(stem, pfx, suffix=False)
            if form is None or (pfx.flags & bad):
                continue
            out.add(form)
            if pfx.crossproduct:
                for sform, sfx in suffixed:
                    if sfx.crossproduct:
                        both = _apply(sform, pfx, suffix=False)
                        if both:
                            out.add(both)
    return {f for f in out if f and "-" not in f}


def _entries(state, word: str) -> tuple[str, list]:
    """(prefix, entries): the dictionary entries ``word`` is a form of, with the part of a compound
    the dictionary does not list that comes before the last word ("skatte" of "skattejävel")."""
    stems = state["stems"]
    found = stems.get(word, []) + (stems.get(word.lower(), []) if word.lower() != word else [])
    if found:
        return "", found
    d = state["dic"]
    entries: list = []
    prefix = ""
    for form in d.lookuper.good_forms(word):
        parts = getattr(form, "parts", None)
        if parts:
            last = parts[-1]
            if last.in_dictionary is not None and not entries:
                prefix = word[: len(word) - len(last.text)]
                entries.append(last.in_dictionary)
        elif form.in_dictionary is not None and not prefix:
            entries.append(form.in_dictionary)
    return prefix, entries


def _compounds(state, stem: str) -> list:
    """NOSUGGEST-marked dictionary entries made of ``stem`` and another word."""
    stems = state["stems"]
    bases = {stem, stem + "s"}
    if len(stem) > 3 and stem[-1] in "aeo":
        bases.add(stem[:-1])
    out = []
    for w in state["marked"]:
        s = w.stem
        if s == stem or len(s) < len(stem) + 3:
            continue
        if s.endswith(stem):
            out.append(w)
            continue
        for base in bases:
            if s.startswith(base):
                rest = s[len(base) :]
                if len(rest) >= 3 and (rest in stems or rest.capitalize() in stems):
                    out.append(w)
                    break
    return out


@functools.lru_cache(maxsize=4096)
def forms_of(term: str) -> tuple[str, ...]:
    """The extra forms of one configured term (see the module docstring), sorted; () when the term
    is not a plain word or the dictionary is missing."""
    if not expandable(term) or not available():
        return ()
    try:
        state = _load()
    except Exception:  # noqa: BLE001 - a broken dictionary must not stop a detector from saving
        log.exception("the Swedish dictionary could not be read")
        return ()
    aff = state["dic"].aff
    t = term.strip()
    compound_end = t.startswith("*")
    word = t.lstrip("*")
    prefix, entries = _entries(state, word)
    forms: set[str] = set()
    for entry in entries:
        forms |= {prefix + f for f in _word_forms(aff, entry)}
        if not compound_end and not prefix and entry.stem.islower():
            for comp in _compounds(state, entry.stem):
                forms |= _word_forms(aff, comp)
    low = word.lower()
    forms = {f.lower() for f in forms} - {low}
    if compound_end:
        return tuple(sorted("*" + f for f in forms))
    return tuple(sorted(forms))


def expand_terms(terms: Iterable[str]) -> dict[str, list[str]]:
    """``{term: [extra forms]}`` for the plain words among ``terms`` (others are left out)."""
    out: dict[str, list[str]] = {}
    for raw in terms:
        term = (raw or "").strip()
        if term and term not in out:
            forms = forms_of(term)
            if forms:
                out[term] = list(forms)
    return out

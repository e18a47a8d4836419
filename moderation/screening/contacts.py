"""Phone numbers, e-mail addresses and links in Swedish texts (run on the original text).

Phone numbers (Swedish only):
* mobile ``07X-XXX XX XX`` in common spellings (``070-123 45 67``, ``070 123 45 67``,
  ``0701234567``, ``070-1234567``), ``+46 70 123 45 67``, ``+46701234567``, ``0046 70 …``,
  ``+46 (0)70-123 45 67``;
* landline: area code ``0`` + 1-3 digits, then the subscriber number in groups of digits
  (``08-123 456 78``, ``013-20 60 00``, ``0240-860 00``, ``(08) 123 456 78``);
* the national number (with its leading 0) has 8-10 digits, mobile numbers exactly 10; when a
  hyphen or slash is used the part before it must be the area code (2-4 digits), which rules out
  ``811218-9876``-like numbers; date shapes (``01-02-2026``) are rejected; a number may not be
  glued to a letter, a digit or ``+ - / . ,`` before it, nor continue after it. Years
  (``2026``), amounts (``12 000 kr``) and ISO dates (``2026-11-21``) never start with ``0`` + digit
  and so are never phone numbers.

E-mail: ``namn@exempel.se`` and the obfuscated ``namn (at) exempel.se``, ``namn[at]exempel.se``,
``namn [snabel-a] exempel [punkt] se``.

Every regular expression here runs in time linear in the text: repetitions that could meet again
are bounded (a host has at most 8 labels), so "www.www.www.…" of any length is not quadratic.

Links: anything with a scheme (``https://…``), anything starting with ``www.``, and bare domains
(``exempel.se/sida``) whose top-level domain is a common one (see ``TLDS``), so that ``t.ex.`` or
``bl.a.`` are not links. The domain part of an e-mail address is not a link.
"""

from __future__ import annotations

import re

__all__ = ["find_phone_numbers", "find_emails", "find_links", "domain_in", "clean_domain", "TLDS"]

# --------------------------------------------------------------------------- phone

_PHONE = re.compile(
    r"""
    (?: \+46 [ \-]? (?:\(0\)[ \-]?)? [1-9] (?:[ \-]?[0-9]){6,8}
      | 0046 [ \-]? (?:\(0\)[ \-]?)? [1-9] (?:[ \-]?[0-9]){6,8}
      | \(0[1-9][0-9]{0,2}\) [ ]? [0-9] (?:[ \-]?[0-9]){4,7}
      | 0[1-9][0-9]{0,2} (?:[ ]?[\-/][ ]?|[ ])? [0-9] (?:[ \-]?[0-9]){4,7}
    )
    (?![0-9])
    """,
    re.X,
)  # every alternative starts with a literal, so re skips straight to "+", "0" and "("
_GLUE_BEFORE = frozenset("+-/.,")
_DATE_GROUPS = {(2, 2, 4), (2, 2, 2), (4, 2, 2)}


def _phone_ok(s: str) -> bool:
    international = s.startswith("+") or s.startswith("0046")
    core = s.replace("(0)", "", 1) if international else s
    digits = "".join(ch for ch in core if ch.isdigit())
    if international:
        digits = "0" + digits[4:] if digits.startswith("0046") else "0" + digits[2:]
    else:
        cut = min((i for i in (s.find("-"), s.find("/")) if i >= 0), default=-1)
        if cut >= 0:
            head = sum(ch.isdigit() for ch in s[:cut])
            if not 2 <= head <= 4:
                return False
            groups = tuple(len(g.strip()) for g in s.split("-"))
            if groups in _DATE_GROUPS:
                return False
    if len(digits) < 8 or len(digits) > 10 or digits[1] == "0":
        return False
    return not (digits.startswith("07") and len(digits) != 10)


def find_phone_numbers(text: str) -> list[tuple[int, int]]:
    """Swedish phone numbers in ``text``: ``[(start, end), ...]``. When digits follow a number
    after a space or hyphen ("070-123 45 67 8"), trailing groups are dropped until the rest is a
    valid number, if it ever is."""
    found = []
    for m in _PHONE.finditer(text):
        start = m.start()
        if start > 0:
            prev = text[start - 1]
            if prev.isalnum() or prev in _GLUE_BEFORE:
                continue
        s = m.group()
        while True:
            if _phone_ok(s):
                found.append((start, start + len(s)))
                break
            cut = max(s.rfind(" "), s.rfind("-"))
            if cut <= 0:
                break
            s = s[:cut].rstrip(" -/")
    return found


# --------------------------------------------------------------------------- e-mail

_LOCAL_CHARS = re.compile(r"[\w.+\-]")
_DOMAIN_AFTER_AT = re.compile(r"[^\W_][\w\-]*(?:\.[\w\-]+)*\.[^\W\d_]{2,24}(?![\w\-])")
_AT_OBFUSCATED_PRE = re.compile(r"[\(\[\{<]\s*(?:at|snabel-?a|@)\s*[\)\]\}>]", re.I)
_EMAIL_OBFUSCATED = re.compile(
    r"""
    (?<![\w.+\-])[\w.+\-]*\w
    \s* [\(\[\{<] \s* (?:at|snabel-?a|@) \s* [\)\]\}>] \s*
    [^\W_][\w\-]*
    (?: (?: \.(?=[^\W_]) | \s* [\(\[\{<] \s* (?:dot|punkt) \s* [\)\]\}>] \s* ) [\w\-]+ )+
    """,
    re.X | re.I,
)


def find_emails(text: str) -> list[tuple[int, int]]:
    """E-mail addresses (also obfuscated ones) in ``text``: ``[(start, end), ...]``."""
    found = []
    if "@" in text:
        pos = text.find("@")
        while pos >= 0:
            start = pos
            while start > 0 and _LOCAL_CHARS.match(text[start - 1]):
                start -= 1
            while start < pos and text[start] == ".":
                start += 1
            m = _DOMAIN_AFTER_AT.match(text, pos + 1)
            if m and start < pos:
                found.append((start, m.end()))
                pos = text.find("@", m.end())
            else:
                pos = text.find("@", pos + 1)
    if _AT_OBFUSCATED_PRE.search(text):
        for m in _EMAIL_OBFUSCATED.finditer(text):
            if not any(s <= m.start() < e for s, e in found):
                found.append((m.start(), m.end()))
        found.sort()
    return found


# --------------------------------------------------------------------------- links

# fmt: off
TLDS = frozenset((
    "se", "nu", "com", "net", "org", "info", "io", "eu", "biz", "co", "me", "tv", "app", "dev", "xyz",
    "online", "site", "shop", "store", "top", "link", "click", "live", "club", "ly", "gl", "gg", "ru",
    "cn", "de", "dk", "no", "fi", "uk", "fr", "es", "nl", "pl", "ee", "lv", "lt", "ch", "us", "ca", "au",
    "tk", "ml", "ga", "cf", "pw", "cc", "ws", "ai", "sh", "page", "blog", "news", "today", "life",
    "world", "website", "space", "pro", "mobi", "edu", "gov", "int",
))
# fmt: on
# cheap test: a scheme, "www." or "." + letters at the end of a word (checked against TLDS in
# Python). Compiled without re.I and starting with a class of rare characters, so that re skips
# straight to ":", "." and "w".
_LINK_PRE = re.compile(r"[:.wW](?:(?<=:)//|(?<=[wW])[wW][wW]\.|(?<=\.)(?P<tld>[a-zA-Z]{2,12})(?![^\W_]|-))")
_URL = re.compile(
    r"""
    (?P<scheme>(?:https?|ftp)://)?
    (?P<host>(?:[^\W_](?:[\w\-]{0,61}[^\W_])?\.){1,8}(?P<tld>[^\W\d_]{2,24}|xn--[\w\-]{1,59}))
    (?P<port>:[0-9]{1,5})?
    (?P<path>[/?#][^\s<>"'`]*)?
    """,
    re.X | re.I,
)
_TRAILING = ".,;:!?)]}'\"»”"
MAX_HOST = 8 * 64 + 16
_PATH_TAIL = re.compile(r"[^\s<>\"'`]*")
MAX_FOUND = 1000  # a text with more links is flagged anyway (bounds the work on adversarial input)
_WS = " \t\n\r\f\v\xa0"


def clean_domain(domain: str) -> str:
    """A configured domain as compared: lower case, no scheme, path, port, ``*.`` or ``www.``."""
    d = domain.strip().lower()
    if "://" in d:
        d = d.split("://", 1)[1]
    d = d.split("/", 1)[0].split("?", 1)[0].split(":", 1)[0].strip(".")
    if d.startswith("*."):
        d = d[2:]
    if d.startswith("www."):
        d = d[4:]
    return d


def domain_in(host: str, domains) -> str | None:
    """The entry of ``domains`` that ``host`` equals or is a subdomain of, else None."""
    if host in domains:
        return host
    i = host.find(".")
    while i >= 0:
        parent = host[i + 1 :]
        if parent in domains:
            return parent
        i = host.find(".", i + 1)
    return None


def _token_bounds(text: str, pos: int) -> tuple[int, int]:
    start = pos
    while start > 0 and text[start - 1] not in _WS:
        start -= 1
    end = pos
    n = len(text)
    while end < n and text[end] not in _WS:
        end += 1
    return start, end


def find_links(text: str, emails: list[tuple[int, int]] | None = None) -> list[tuple[int, int, str]]:
    """Links and bare domains in ``text``: ``[(start, end, host), ...]`` with ``host`` in lower
    case. Domains inside e-mail addresses (``emails``, found here when not given) are skipped."""
    found: list[tuple[int, int, str]] = []
    done_until = -1
    t_start = t_end = -1
    for pm in _LINK_PRE.finditer(text):
        if pm.start() < done_until:
            continue
        if len(found) >= MAX_FOUND:
            break
        tld = pm.group("tld")
        if tld is not None and tld.lower() not in TLDS:
            continue
        if pm.start() >= t_end:  # bounds once per token: a token may hold many markers
            t_start, t_end = _token_bounds(text, pm.start())
        # a host has at most 8 labels of at most 63 characters: a link lies within MAX_HOST of its
        # marker (its path may go on to the end of the token), so a huge token is searched only
        # around each marker and never from every position
        window_start = max(t_start, pm.start() - MAX_HOST, done_until)
        limit = min(t_end, pm.end() + MAX_HOST)
        done_until = limit
        for m in _URL.finditer(text, window_start, limit):
            s = m.start()
            if s > 0 and (text[s - 1].isalnum() or text[s - 1] in "@.-_"):
                continue
            host = m.group("host").lower()
            if not m.group("scheme") and not host.startswith("www.") and m.group("tld").lower() not in TLDS:
                continue
            if m.group("scheme") is None and m.end("host") < len(text) and text[m.end("host")] == "@":
                continue
            e = m.end()
            if m.group("path") is not None and e == limit < t_end:
                e = _PATH_TAIL.match(text, e, t_end).end()
            done_until = max(done_until, e)
            if m.group("path"):
                while e > m.end("host") and text[e - 1] in _TRAILING:
                    if text[e - 1] == ")" and text.count("(", s, e) >= text.count(")", s, e):
                        break
                    e -= 1
            found.append((s, e, host))
    if found:
        if emails is None:
            emails = find_emails(text)
        if emails:
            found = [f for f in found if not any(s < f[1] and f[0] < e for s, e in emails)]
    return found

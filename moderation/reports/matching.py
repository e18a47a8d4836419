"""Finding what a report points at in free text (an e-mail, a private message): its links, and the
pieces of text it quotes. Pure functions, linear in the input, with bounded output — the text comes
from the public and may be anything.
"""

from __future__ import annotations

import re

from moderation.queue.services.ingest import search_text_for

MAX_SCAN_CHARS = 100_000  # a report is read this far; the rest stays in the stored source
MAX_LINKS = 20
QUOTE_MIN_CHARS = 20
QUOTE_MIN_WORDS = 4
QUOTE_MAX_CHARS = 300
MAX_QUOTES = 8

# No nested quantifiers: each pattern is one pass over the text.
_LINK = re.compile(r"https?://[^\s<>\"'()\[\]{}]{1,2000}", re.IGNORECASE)
_QUOTED = re.compile(r"[\"“”„«»]([^\"“”„«»\n]{%d,600})[\"“”„«»]" % QUOTE_MIN_CHARS)
_REPLY_HEADER = re.compile(r"^(?:On .{1,200} wrote:|Den .{1,200} skrev .{0,200}:|-{2,} ?(?:Original|Ursprungligt).*)$",
                           re.IGNORECASE)


def links_in(text: str) -> list[str]:
    """The http(s) links in the text, in order, without trailing punctuation; at most MAX_LINKS."""
    found: list[str] = []
    for match in _LINK.finditer((text or "")[:MAX_SCAN_CHARS]):
        link = match.group(0).rstrip(".,;:!?")
        if link not in found:
            found.append(link)
        if len(found) >= MAX_LINKS:
            break
    return found


def _clip(text: str) -> str:
    """Normalised (as Item.search_text) and cut to QUOTE_MAX_CHARS at a word boundary."""
    cleaned = search_text_for(text)
    if len(cleaned) > QUOTE_MAX_CHARS:
        cleaned = cleaned[:QUOTE_MAX_CHARS].rsplit(" ", 1)[0]
    return cleaned


def quote_candidates(text: str) -> list[str]:
    """Pieces of the text that may be quoted from an item, most distinctive first: text in quotation
    marks, lines quoted with ">" (a forwarded or replied-to message), then the message's own lines.
    Each normalised like Item.search_text, at least QUOTE_MIN_CHARS characters and QUOTE_MIN_WORDS
    words, at most QUOTE_MAX_CHARS; at most MAX_QUOTES of them. Links are left out (matched as links)."""
    text = _LINK.sub(" ", (text or "")[:MAX_SCAN_CHARS])
    quoted = [m.group(1) for m in _QUOTED.finditer(text)]
    cited, own = [], []
    block: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(">"):
            block.append(stripped.lstrip("> "))
            continue
        if block:
            cited.append(" ".join(block))
            block = []
        if stripped and not (len(stripped) < 300 and _REPLY_HEADER.match(stripped)):
            own.append(stripped)
    if block:
        cited.append(" ".join(block))
    candidates: list[str] = []
    for piece in [*quoted, *cited, *sorted(own, key=len, reverse=True)]:
        clipped = _clip(piece)
        if len(clipped) >= QUOTE_MIN_CHARS and len(clipped.split()) >= QUOTE_MIN_WORDS and clipped not in candidates:
            candidates.append(clipped)
        if len(candidates) >= MAX_QUOTES:
            break
    return candidates

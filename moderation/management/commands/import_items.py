"""Import items from a JSON Lines file (DESIGN.md "Fixed points"):

    python manage.py import_items FILE --channel SLUG [--batch-size 1000]

One item a line: {"external_id", "kind", "direction", "text", "author": {"id", "name"}, "created_at"
(ISO 8601 with offset), "parent_id"?, "url"?, …}; unknown keys are kept in the raw payload. The file
is streamed (constant memory, also for a line of any length: a line longer than
UPPSIKT_IMPORT_MAX_LINE_BYTES / --max-line-bytes is reported as too long and skipped without ever being
held whole); a bad line — not UTF-8, not JSON, a NUL character or a lone surrogate (e.g. "\\ud800") in any
string, nested too deep — is reported with its number and never stops the rest; re-importing changes
nothing. Exit code 0 when the run completed, even with invalid lines.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from moderation.models import Channel, Direction, ItemKind
from moderation.platforms.connectors.events import ATTACHMENT_KINDS, AttachmentRef
from moderation.queue.services.ingest import IngestSummary, items_ingest_bulk

KNOWN = {"external_id", "kind", "direction", "text", "author", "created_at", "parent_id", "url", "post_id", "links",
         "attachments"}


READ_CHUNK = 64 * 1024


def read_lines(fh, max_bytes: int):
    """(number, bytes or None) for each line of a binary file; None for a line longer than `max_bytes`,
    which is read past in chunks and never held whole (memory stays under max_bytes + READ_CHUNK)."""
    number = 0
    while True:
        line = fh.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while True:
                rest = fh.readline(READ_CHUNK)
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, None
            continue
        yield number, line


def _printable(where: str) -> str:
    """A JSON path fit for the report (a key may itself hold the NUL or the surrogate)."""
    if not where:
        return "raden"
    return where.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\u0000")


def _check_text(value, path: str = "") -> None:
    """ValueError for a NUL character or a lone surrogate anywhere in the parsed line (keys included):
    neither can be stored (PostgreSQL refuses NUL in text; a lone surrogate is no character at all)."""
    stack = [(value, path)]
    while stack:
        current, where = stack.pop()
        if isinstance(current, str):
            if "\x00" in current:
                raise ValueError(f"NUL-tecken (\\u0000) i {_printable(where)}")
            try:
                current.encode("utf-8")  # C speed; only a surrogate cannot be encoded
            except UnicodeEncodeError:
                raise ValueError(f"ensamt surrogattecken (t.ex. \\ud800) i {_printable(where)}: "
                                 "ingen giltig text") from None
        elif isinstance(current, dict):
            for key, item in current.items():
                stack.append((key, where or "en nyckel"))
                stack.append((item, f"{where}.{key}" if where else str(key)))
        elif isinstance(current, list):
            stack.extend((item, f"{where}[{i}]") for i, item in enumerate(current))


def parse_attachments(value: object) -> list[dict] | None:
    """``"attachments": [{"kind", "url", "platform_id"?, "content_type"?}]`` → the stored form; ValueError
    (Swedish) for anything else. The pictures are fetched later by the worker, from allowed hosts only."""
    if value in (None, []):
        return None
    if not isinstance(value, list):
        raise ValueError("attachments måste vara en lista med objekt {\"kind\", \"url\"}")
    refs = []
    for n, entry in enumerate(value, start=1):
        if not isinstance(entry, dict):
            raise ValueError(f"bilaga {n} är inget objekt")
        kind, url = entry.get("kind"), entry.get("url")
        if kind not in ATTACHMENT_KINDS:
            raise ValueError(f"bilaga {n}: okänd kind {kind!r} ({', '.join(ATTACHMENT_KINDS)})")
        if not (isinstance(url, str) and url.startswith(("http://", "https://")) and len(url) <= 4000):
            raise ValueError(f"bilaga {n}: url måste börja med http:// eller https://")
        platform_id = entry.get("platform_id")
        content_type = entry.get("content_type")
        refs.append(AttachmentRef(kind=kind, url=url, platform_id=str(platform_id) if platform_id else None,
                                  content_type=content_type if isinstance(content_type, str) else None).as_json())
    return refs


def parse_line(line: str) -> dict:
    """One line → item_ingest keyword arguments; ValueError with a Swedish message if invalid."""
    if "\x00" in line:
        raise ValueError(f"NUL-tecken på raden (kolumn {line.index(chr(0)) + 1})")
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"ogiltig JSON ({exc.msg}, kolumn {exc.colno})") from None
    except RecursionError:
        raise ValueError("JSON-värdet är för djupt nästlat") from None
    _check_text(data)
    if not isinstance(data, dict):
        raise ValueError("raden är inget JSON-objekt")
    ext = data.get("external_id")
    if not isinstance(ext, str | int) or not str(ext).strip():
        raise ValueError("external_id saknas")
    kind = data.get("kind", "comment")
    if kind not in ItemKind.values:
        raise ValueError(f"okänd kind {kind!r} (post, comment, reply eller message)")
    direction = data.get("direction", "incoming")
    if direction not in Direction.values:
        raise ValueError(f"okänd direction {direction!r} (incoming eller outgoing)")
    text = data.get("text", "")
    if not isinstance(text, str):
        raise ValueError("text måste vara en sträng")
    author = data.get("author") or {}
    if not isinstance(author, dict):
        raise ValueError("author måste vara ett objekt {\"id\", \"name\"}")
    created = data.get("created_at")
    created_at = None
    if created:
        try:
            created_at = dt.datetime.fromisoformat(str(created).replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"created_at {created!r} är ingen ISO 8601-tid") from None
        if created_at.tzinfo is None:
            raise ValueError("created_at saknar tidszon (t.ex. +01:00)")
    url = data.get("url") or ""
    if url and not (isinstance(url, str) and url.startswith(("http://", "https://"))):
        raise ValueError("url måste börja med http:// eller https://")
    if len(str(ext)) > 200:
        raise ValueError("external_id är längre än 200 tecken")
    raw = {k: v for k, v in data.items() if k not in KNOWN}
    parent = data.get("parent_id")
    return {
        "external_id": str(ext),
        "kind": kind,
        "direction": direction,
        "text": text,
        "author_external_id": str(author["id"]) if author.get("id") not in (None, "") else None,
        "author_name": str(author.get("name") or "") or None,
        "created_at": created_at,
        "parent_external_id": str(parent) if parent not in (None, "") else None,
        "post_external_id": str(data["post_id"]) if data.get("post_id") else None,
        "url": url or None,
        "links": data.get("links") if isinstance(data.get("links"), list) else None,
        "attachments": parse_attachments(data.get("attachments")),
        "raw": raw,
    }


class Progress:
    """A small progress line on stderr (no tqdm): lines read, rate, and the share of the file."""

    def __init__(self, stream, total_bytes: int):
        self.stream = stream
        self.total = max(total_bytes, 1)
        self.start = time.monotonic()
        self.last = 0.0
        self.tty = getattr(stream, "isatty", lambda: False)()

    def update(self, lines: int, position: int, *, final: bool = False) -> None:
        now = time.monotonic()
        if not final and now - self.last < (0.2 if self.tty else 5.0):
            return
        self.last = now
        elapsed = max(now - self.start, 1e-6)
        share = min(position / self.total, 1.0)
        width = 30
        bar = "#" * int(share * width) + "-" * (width - int(share * width))
        line = f"[{bar}] {share:6.1%}  {lines} rader  {lines / elapsed:,.0f} rader/s".replace(",", " ")
        if self.tty:
            self.stream.write("\r" + line + ("\n" if final else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


class Command(BaseCommand):
    help = "Importerar inlägg från en JSON Lines-fil till en kanal (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON Lines-fil, ett inlägg per rad")
        parser.add_argument("--channel", required=True, help="Kanalens kortnamn (slug)")
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument("--quiet-progress", action="store_true", help="Ingen förloppsindikator")
        parser.add_argument("--max-line-bytes", type=int, default=None,
                            help="Längsta rad som läses (byte); standard UPPSIKT_IMPORT_MAX_LINE_BYTES (1 MiB)")

    def handle(self, *args, file, channel, batch_size, quiet_progress=False, max_line_bytes=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Filen finns inte: {path}")
        try:
            target = Channel.objects.get(slug=channel)
        except Channel.DoesNotExist:
            raise CommandError(f"Kanalen finns inte: {channel}") from None
        batch_size = max(1, batch_size)
        summary = IngestSummary()
        invalid: list[tuple[int, str]] = []
        progress = None if quiet_progress else Progress(sys.stderr, path.stat().st_size)
        batch: list[dict] = []
        lines = 0
        started = time.monotonic()
        max_bytes = max(1, max_line_bytes or settings.UPPSIKT_IMPORT_MAX_LINE_BYTES)
        with path.open("rb") as fh:
            for number, raw_line in read_lines(fh, max_bytes):
                lines = number
                if raw_line is None:
                    invalid.append((number, f"raden är längre än {max_bytes} byte och lästes inte"))
                    continue
                try:
                    line = raw_line.decode("utf-8").strip()
                except UnicodeDecodeError:
                    invalid.append((number, "inte UTF-8"))
                    continue
                if not line:
                    continue
                try:
                    batch.append(parse_line(line))
                except ValueError as exc:
                    invalid.append((number, str(exc)))
                    continue
                if len(batch) >= batch_size:
                    summary.add(items_ingest_bulk(channel=target, rows=batch))
                    batch = []
                if progress:
                    progress.update(number, fh.tell())
            if batch:
                summary.add(items_ingest_bulk(channel=target, rows=batch))
            if progress:
                progress.update(lines, fh.tell(), final=True)
        elapsed = time.monotonic() - started
        w = self.stdout.write
        w(f"Import till {target.slug} klar på {elapsed:.1f} s ({lines} rader).")
        w(f"  nya: {summary.created}")
        w(f"  uppdaterade (ny version): {summary.updated}")
        w(f"  oförändrade: {summary.unchanged}")
        w(f"  flaggor: {summary.flags}, vilande (dolda): {summary.held}")
        w(f"  ogiltiga rader: {len(invalid)}")
        for number, message in invalid[:200]:
            w(f"    rad {number}: {message}")
        if len(invalid) > 200:
            w(f"    … och {len(invalid) - 200} till")
        for ext, message in summary.errors:
            w(f"    {ext}: {message}")

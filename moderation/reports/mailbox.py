"""Reports by e-mail: the municipality's mailbox read over IMAP (Ludvika: "anmäl till info@ …").

`mailbox_fetch()` (the scheduled job every two minutes, or `manage.py report_mailbox_fetch`) reads the
unseen messages addressed to UPPSIKT_REPORT_ADDRESS in the mailbox of UPPSIKT_REPORT_IMAP_URL:

    imaps://user:password@imap.kommun.se:993/INBOX          TLS from the start (port 993 by default)
    imap://user:password@imap.kommun.se/INBOX               STARTTLS, required (port 143 by default)
    imap://user:password@127.0.0.1:1143/INBOX?security=none  plain, only to this machine (tests)

Each message becomes a PublicReport (via e-mail) matched to its item when it quotes a link or a
distinctive piece of text, with the raw message kept as its source (`ReportEmail`, the .eml in Django's
storage). Guarantees:
- a message is flagged \\Seen only after its report and .eml are committed; nothing is ever deleted or
  moved, so a failure leaves it unseen and the next run takes it again;
- idempotent by Message-ID (or the raw bytes when there is none): a copy, or a second run, adds nothing;
- messages larger than UPPSIKT_REPORT_MAX_BYTES and automatic ones (bounces, out-of-office replies) are
  not reports: they get the keyword `UppsiktHoppad` (skipped from then on), stay unseen for a person to
  read, and are logged;
- the body is read this far (matching.MAX_SCAN_CHARS) with linear, bounded parsing; the text kept on the
  report is at most REPORT_TEXT_CHARS characters (the whole message stays in the .eml).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import imaplib
import logging
import re
import ssl
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from html import unescape
from html.parser import HTMLParser
from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from moderation.models import PublicReport, ReportEmail, ReportVia
from moderation.reports.matching import MAX_SCAN_CHARS
from moderation.reports.services import item_match_message, public_report_submit

log = logging.getLogger("uppsikt.reports.mailbox")

SKIPPED_KEYWORD = "UppsiktHoppad"
REPORT_TEXT_CHARS = 20_000
LOCAL_HOSTS = {"127.0.0.1", "::1", "localhost"}


class MailboxError(Exception):
    """The mailbox could not be read (connection, TLS, login, mailbox name); the message is Swedish."""


@dataclass(frozen=True)
class MailboxConfig:
    host: str
    port: int
    user: str
    password: str = field(repr=False)
    mailbox: str = "INBOX"
    security: str = "ssl"  # ssl | starttls | none


def mailbox_config(url: str | None = None) -> MailboxConfig:
    """Parse an imaps:// or imap:// URL (see the module); ImproperlyConfigured with a Swedish reason."""
    url = (url if url is not None else settings.UPPSIKT_REPORT_IMAP_URL).strip()
    if not url:
        raise ImproperlyConfigured("UPPSIKT_REPORT_IMAP_URL är inte satt: ingen brevlåda att läsa anmälningar från.")
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps") or not parts.hostname or not parts.username:
        raise ImproperlyConfigured("UPPSIKT_REPORT_IMAP_URL ska se ut som imaps://användare:lösenord@värd:993/INBOX.")
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    security = "ssl" if parts.scheme == "imaps" else query.get("security", "starttls")
    if security not in ("ssl", "starttls", "none"):
        raise ImproperlyConfigured(f"Okänd säkerhet för IMAP: {security!r} (starttls eller none).")
    if security == "none" and parts.hostname not in LOCAL_HOSTS:
        raise ImproperlyConfigured("IMAP utan kryptering är bara tillåtet mot den egna maskinen (127.0.0.1).")
    try:
        port = parts.port or (993 if security == "ssl" else 143)
    except ValueError as exc:
        raise ImproperlyConfigured("UPPSIKT_REPORT_IMAP_URL har ett ogiltigt portnummer.") from exc
    return MailboxConfig(host=parts.hostname, port=port, user=unquote(parts.username),
                         password=unquote(parts.password or ""), mailbox=unquote(parts.path.lstrip("/")) or "INBOX",
                         security=security)


def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=settings.UPPSIKT_REPORT_IMAP_CAFILE or None)


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _login(conn: imaplib.IMAP4, config: MailboxConfig) -> None:
    """AUTHENTICATE PLAIN (UTF-8: a Swedish password with å, ä, ö works) where offered, else LOGIN."""
    if "AUTH=PLAIN" in conn.capabilities:
        secret = f"\0{config.user}\0{config.password}".encode()
        conn.authenticate("PLAIN", lambda _challenge: secret)
    else:
        conn.login(config.user, config.password)


def mailbox_connect(config: MailboxConfig) -> imaplib.IMAP4:
    """Connected, logged in and with the mailbox selected (read-write: \\Seen is set after storing)."""
    timeout = settings.UPPSIKT_REPORT_IMAP_TIMEOUT
    try:
        if config.security == "ssl":
            conn = imaplib.IMAP4_SSL(config.host, config.port, ssl_context=_tls_context(), timeout=timeout)
        else:
            conn = imaplib.IMAP4(config.host, config.port, timeout=timeout)
            if config.security == "starttls":
                conn.starttls(ssl_context=_tls_context())
        _login(conn, config)
        typ, data = conn.select(_quoted(config.mailbox))
    except ssl.SSLError as exc:
        raise MailboxError(f"TLS mot {config.host}:{config.port} misslyckades: {exc.reason or exc}") from exc
    except imaplib.IMAP4.error as exc:
        raise MailboxError(f"IMAP-servern {config.host} nekade: {exc}") from exc
    except OSError as exc:
        raise MailboxError(f"Kunde inte ansluta till {config.host}:{config.port}: {exc}") from exc
    if typ != "OK":
        conn.logout()
        raise MailboxError(f"Brevlådan {config.mailbox!r} finns inte eller kan inte öppnas.")
    return conn


# --- reading one message -------------------------------------------------------------------------


class _HtmlText(HTMLParser):
    """Text and link targets of an HTML body (script and style left out); one linear pass."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith(("http://", "https://")) and len(self.links) < 20:
                self.links.append(href)
        elif tag in ("br", "p", "div", "li", "tr", "blockquote"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _HtmlText()
    parser.feed(html[:MAX_SCAN_CHARS * 2])
    parser.close()
    text = re.sub(r"[ \t\r\f\v]+", " ", unescape("".join(parser.parts)))
    links = "\n".join(link for link in parser.links if link not in text)
    return (text.strip() + ("\n" + links if links else "")).strip()


def body_text(message) -> str:
    """The message's text: the plain part, else the HTML part as text (with its links)."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, AssertionError):
        content = (part.get_payload(decode=True) or b"").decode("utf-8", "replace")
    if not isinstance(content, str):
        return ""
    if part.get_content_type() == "text/html":
        content = html_to_text(content)
    return content.replace("\r\n", "\n")


def message_key(message, raw: bytes) -> tuple[str, str]:
    """(key, Message-ID): SHA-256 of the Message-ID, or of the raw bytes when it has none."""
    message_id = " ".join(str(message.get("Message-ID", "") or "").split())[:998]
    basis = ("mid:" + message_id.strip("<>").lower()).encode() if message_id else b"raw:" + raw
    return hashlib.sha256(basis).hexdigest(), message_id


def _sent_at(message) -> dt.datetime | None:
    try:
        value = parsedate_to_datetime(str(message.get("Date", "")))
    except (TypeError, ValueError, IndexError):
        return None
    if value is None:
        return None
    return value if timezone.is_aware(value) else value.replace(tzinfo=dt.UTC)


def is_automatic(message) -> bool:
    """Bounces and automatic replies (RFC 3834 Auto-Submitted, delivery reports) are not reports."""
    auto = str(message.get("Auto-Submitted", "no")).strip().lower()
    return auto not in ("", "no") or message.get_content_type() == "multipart/report"


def report_email_receive(*, raw: bytes, mailbox: str = "", uid: str = "") -> tuple[PublicReport, bool]:
    """Store one e-mail as a report with its source; returns (report, created).

    Guarantees: idempotent by Message-ID (a second copy returns the first report); the report, the
    ReportEmail row and the .eml file are stored together or not at all (a file written for a failed
    transaction is removed); the report is matched to its item by link or quote (item_match_message)."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    key, message_id = message_key(message, raw)
    existing = ReportEmail.objects.filter(message_key=key).select_related("report").first()
    if existing is not None:
        return existing.report, False
    name, address = parseaddr(str(message.get("From", "") or ""))
    subject = " ".join(str(message.get("Subject", "") or "").split())[:998]
    body = body_text(message)
    item, link, _quote = item_match_message(text=f"{subject}\n{body}")
    text = body.strip()[:REPORT_TEXT_CHARS] or subject or "(E-postmeddelandet saknar text.)"
    record = ReportEmail(message_key=key, message_id=message_id, sender_address=address[:320],
                         sender_name=name[:200], subject=subject, sent_at=_sent_at(message), mailbox=mailbox[:200],
                         uid=str(uid)[:40], size=len(raw), sha256=hashlib.sha256(raw).hexdigest())
    record.eml.save(f"{key}.eml", ContentFile(raw), save=False)
    try:
        with transaction.atomic():
            report = public_report_submit(
                text=text, url=link, contact=(f"{name} <{address}>" if name and address else address or name)[:300],
                message=f"Ämne: {subject}" if subject else "", via=ReportVia.EMAIL, item=item)
            record.report = report
            record.save()
    except IntegrityError:
        record.eml.delete(save=False)
        existing = ReportEmail.objects.filter(message_key=key).select_related("report").first()
        if existing is None:
            raise
        return existing.report, False
    except Exception:
        record.eml.delete(save=False)
        raise
    log.info("report %s from e-mail (matched item %s)", report.pk, report.item_id)
    return report, True


# --- the intake ----------------------------------------------------------------------------------


@dataclass
class IntakeSummary:
    seen: int = 0
    created: int = 0
    duplicates: int = 0
    skipped: int = 0
    errors: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def _search(conn: imaplib.IMAP4) -> list[bytes]:
    criteria = ["UNSEEN", "UNKEYWORD", SKIPPED_KEYWORD]
    address = settings.UPPSIKT_REPORT_ADDRESS.strip()
    if address:
        q = _quoted(address)
        criteria += ["OR", "OR", "OR", "TO", q, "CC", q, "HEADER", "Delivered-To", q, "HEADER", "X-Original-To", q]
    typ, data = conn.uid("SEARCH", *criteria)
    if typ != "OK":
        raise MailboxError(f"Sökningen i brevlådan misslyckades: {data!r}")
    return sorted((data[0] or b"").split(), key=int)


def _size(conn: imaplib.IMAP4, uid: bytes) -> int:
    typ, data = conn.uid("FETCH", uid, "(RFC822.SIZE)")
    match = re.search(rb"RFC822\.SIZE (\d+)", data[0] if data and isinstance(data[0], bytes) else b"")
    return int(match.group(1)) if typ == "OK" and match else 0


def _raw(conn: imaplib.IMAP4, uid: bytes) -> bytes | None:
    typ, data = conn.uid("FETCH", uid, "(BODY.PEEK[])")  # PEEK: \Seen only once stored
    for part in data or []:
        if isinstance(part, tuple) and len(part) == 2:
            return part[1]
    return None


def _addressed_to_us(message) -> bool:
    address = settings.UPPSIKT_REPORT_ADDRESS.strip().lower()
    if not address:
        return True
    headers = [str(v) for h in ("To", "Cc", "Delivered-To", "X-Original-To") for v in message.get_all(h, [])]
    return any(addr.lower() == address for _name, addr in getaddresses(headers))


def _skip(conn: imaplib.IMAP4, uid: bytes, why: str) -> None:
    conn.uid("STORE", uid, "+FLAGS", f"({SKIPPED_KEYWORD})")
    log.warning("report mailbox: message uid %s skipped (%s); left unseen for a person", uid.decode(), why)


def mailbox_fetch(*, config: MailboxConfig | None = None, limit: int = 200) -> IntakeSummary:
    """Read up to `limit` unseen messages to the report address into reports (see the module)."""
    config = config or mailbox_config()
    summary = IntakeSummary()
    conn = mailbox_connect(config)
    try:
        for uid in _search(conn)[:limit]:
            summary.seen += 1
            if _size(conn, uid) > settings.UPPSIKT_REPORT_MAX_BYTES:
                _skip(conn, uid, "för stort")
                summary.skipped += 1
                continue
            raw = _raw(conn, uid)
            if raw is None:
                summary.errors += 1
                continue
            message = BytesParser(policy=policy.default).parsebytes(raw, headersonly=True)
            if is_automatic(message) or not _addressed_to_us(message):
                _skip(conn, uid, "automatiskt meddelande" if is_automatic(message) else "inte till anmälningsadressen")
                summary.skipped += 1
                continue
            try:
                _report, created = report_email_receive(raw=raw, mailbox=config.mailbox, uid=uid.decode())
            except Exception:  # noqa: BLE001 - one bad message must not stop the others; it stays unseen
                log.exception("report mailbox: message uid %s could not be stored", uid.decode())
                summary.errors += 1
                continue
            conn.uid("STORE", uid, "+FLAGS", "(\\Seen)")
            summary.created += created
            summary.duplicates += not created
    finally:
        try:
            conn.logout()
        except (imaplib.IMAP4.error, OSError):
            pass
    return summary

"""Reports of inappropriate content from the public (/anmal/, e-mail, private message) or staff."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.urls import Resolver404, resolve
from django.utils import timezone

from accounts.errors import DomainError
from accounts.services import audit_record
from moderation.models import (
    Channel,
    Flag,
    FlagSource,
    Item,
    ItemKind,
    ItemState,
    Priority,
    PublicReport,
    ReportStatus,
    ReportVia,
    Rule,
)
from moderation.queue.notifications import notify_item_urgent
from moderation.queue.services.ingest import search_text_for
from moderation.queue.workflow import can_transition
from moderation.reports.matching import QUOTE_MAX_CHARS, QUOTE_MIN_CHARS, links_in, quote_candidates

_TOKEN = re.compile(r"[A-Za-z0-9_\-:.]{5,200}")
QUOTE_WINDOW_DAYS = 365  # quotes are looked for among the items of the last year


def ip_hash_for(ip: str | None) -> str:
    """A salted SHA-256 of the address (HMAC with the server's secret): never the address itself."""
    if not ip:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()


def public_report_rate_limited(*, ip_hash: str, window_minutes: int = 10, limit: int = 5) -> bool:
    """True when this address has sent `limit` reports or more within the window."""
    if not ip_hash:
        return False
    since = timezone.now() - dt.timedelta(minutes=window_minutes)
    return PublicReport.objects.filter(ip_hash=ip_hash, created_at__gte=since).count() >= limit


def _url_tokens(url: str) -> list[str]:
    """Candidate platform ids in a URL: path segments, query values and their parts
    (Facebook "postid_commentid", YouTube ?v=…&lc=…, LinkedIn URNs)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return []
    tokens: list[str] = []
    pieces = [p for p in parts.path.split("/") if p] + [v for _k, v in parse_qsl(parts.query)]
    for piece in pieces:
        for tok in _TOKEN.findall(piece):
            tokens.append(tok)
            tokens.extend(t for t in re.split(r"[_:]", tok) if len(t) >= 5)
    seen: list[str] = []
    for t in tokens:
        if t not in seen:
            seen.append(t)
    return seen[:40]


def _active_items():
    channels = list(Channel.objects.active().values_list("id", flat=True))
    return Item.objects.filter(channel_id__in=channels, purged_at__isnull=True).select_related("channel")


def _phrase_prefilter(qs, phrase: str):
    """On PostgreSQL narrow by the full-text GIN index (a phrase query; the first and last word are left
    out, a quote may cut them); the caller's exact check on search_text then decides. SQLite: as is."""
    if connection.vendor != "postgresql":
        return qs
    inner = " ".join(phrase.split()[1:-1])
    if not inner:
        return qs
    from django.contrib.postgres.search import SearchQuery, SearchVector

    return qs.annotate(_fts=SearchVector("text", config="swedish")).filter(
        _fts=SearchQuery(inner, search_type="phrase", config="swedish"))


def _uppsikt_item(url: str) -> int | None:
    """The item number when the link is to an item's page in Uppsikt itself (a colleague's forward)."""
    try:
        parts = urlsplit(url.strip())
        base = urlsplit(settings.UPPSIKT_BASE_URL)
    except ValueError:
        return None
    if parts.netloc and parts.netloc != base.netloc:
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    return int(match.kwargs["pk"]) if match.url_name == "item_detail" else None


def item_match(*, url: str = "", text: str = "") -> Item | None:
    """The item a report points at, in an active channel: by an external id in the URL, by the
    item's URL (on the platform or in Uppsikt), or by its exact text. The most recent match wins."""
    base = _active_items()
    if url:
        own = _uppsikt_item(url)
        if own is not None:
            return base.filter(pk=own).first()
        tokens = _url_tokens(url)
        if tokens:
            found = base.filter(external_id__in=tokens).order_by("-received_at").first()
            if found is not None:
                return found
        found = base.filter(url=url.strip()).order_by("-received_at").first()
        if found is not None:
            return found
    cleaned = search_text_for(text)
    if len(cleaned) >= 10:
        return _phrase_prefilter(base, cleaned[:QUOTE_MAX_CHARS]).filter(search_text=cleaned).order_by(
            "-received_at").first()
    return None


def item_match_quote(*, quote: str, exclude: Item | None = None) -> Item | None:
    """The one item received within QUOTE_WINDOW_DAYS whose text contains `quote` (normalised like
    search_text); None when there is none or more than one (the quote is not distinctive).

    Efficient and safe: at most two rows are read; on PostgreSQL the GIN full-text index narrows the
    rows first; the substring test is a parameterised LIKE with %, _ and \\ escaped (no pattern from
    the public reaches the database as a pattern)."""
    quote = search_text_for(quote)[:QUOTE_MAX_CHARS]
    if len(quote) < QUOTE_MIN_CHARS:
        return None
    since = timezone.now() - dt.timedelta(days=QUOTE_WINDOW_DAYS)
    qs = _phrase_prefilter(_active_items().filter(received_at__gte=since), quote).filter(search_text__contains=quote)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    hits = list(qs.order_by("-received_at")[:2])
    return hits[0] if len(hits) == 1 else None


def item_match_message(*, text: str, exclude: Item | None = None) -> tuple[Item | None, str, str]:
    """What a free-text report (an e-mail, a private message) points at: (item, the link, the quote).
    Links first (platform permalinks, ids in them, Uppsikt's item pages), then quoted text (in quotation
    marks, ">"-quoted lines, then the message's own lines), each tried in order; (None, first link, "")
    when nothing matches."""
    links = links_in(text)
    for link in links:
        item = item_match(url=link)
        if item is not None and (exclude is None or item.pk != exclude.pk):
            return item, link, ""
    for quote in quote_candidates(text):
        item = item_match_quote(quote=quote, exclude=exclude)
        if item is not None:
            return item, links[0] if links else "", quote
    return None, links[0] if links else "", ""


def _flag_item_for_report(*, item: Item, report: PublicReport, rule: Rule | None, actor=None) -> Flag:
    item = Item.objects.select_for_update().get(pk=item.pk)
    via = report.get_via_display()
    what = f"regel ”{rule.title_sv}”" if rule else "ingen regel angiven"
    harmless = item.state == ItemState.DECIDED and item.harmless
    detail = f"Anmälan {report.pk} ({via}): {what}."
    if harmless:
        detail += " Inlägget är markerat som ofarligt och läggs inte tillbaka i kön."
    now = timezone.now()
    flag = Flag.objects.create(item=item, source=FlagSource.REPORT, rule=rule, report=report, detail=detail[:500],
                               created_by=actor if getattr(actor, "is_authenticated", False) else None,
                               created_at=now, resolved_at=now if harmless else None)
    item.report_count += 1
    item.flag_count += 1
    fields = ["report_count", "flag_count", "version"]
    if not harmless:
        urgent = rule is not None and rule.severity <= 0
        item.priority = min(item.priority, Priority.URGENT if urgent else Priority.REPORTED)
        fields.append("priority")
        kept = item.state == ItemState.DECIDED and item.first_removed_at is None
        if kept and can_transition(item, ItemState.REOPENED):
            item.state = ItemState.REOPENED
            item.decided_at = None
            fields += ["state", "decided_at"]
    item.version += 1
    item.save(update_fields=fields)
    if not harmless:
        notify_item_urgent(item=item, flags=[flag], held=False)
    return flag


def public_report_submit(*, text: str, url: str = "", rule: Rule | None = None, contact: str = "",
                         message: str = "", via: str = ReportVia.FORM, ip: str | None = None,
                         actor=None, item: Item | None = None, source_item: Item | None = None) -> PublicReport:
    """Store a report. When it matches an item (URL or exact text, active channels; or `item`, already
    matched by the caller) it becomes a report flag on that item: report_count+1, priority raised, a
    kept item that is not marked harmless goes back to the queue (reopened); status "matched".
    Otherwise status "new" for triage. The address is stored only as a salted hash (`ip_hash`);
    `source_item` is the private message the report was made from."""
    text = (text or "").strip()
    url = (url or "").strip()
    if not text and not url:
        raise DomainError("Ange en länk till innehållet eller klistra in texten.")
    if via not in ReportVia.values:
        raise DomainError(f"Okänt sätt att anmäla: {via}")
    if isinstance(rule, str):
        rule = Rule.objects.filter(code=rule, active=True).first()
    with transaction.atomic():
        if item is None:
            item = item_match(url=url, text=text)
        report = PublicReport.objects.create(
            url=url[:1000], text=text, rule=rule, reporter_contact=(contact or "")[:300],
            reporter_message=message or "", via=via,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            ip_hash=ip_hash_for(ip), status=ReportStatus.MATCHED if item else ReportStatus.NEW,
            channel=item.channel if item else None, item=item, source_item=source_item,
        )
        if item is not None:
            _flag_item_for_report(item=item, report=report, rule=rule, actor=actor)
        if actor is not None and getattr(actor, "is_authenticated", False):
            audit_record(actor=actor, action="moderation.report_create", target=report,
                         detail={"via": via, "matched": item is not None})
    return report


def public_report_triage(*, report: PublicReport, item: Item | None = None, status: str, actor) -> PublicReport:
    """A moderator connects a report to an item (it becomes a flag there) or closes it."""
    if status not in ReportStatus.values:
        raise DomainError(f"Okänd status: {status}")
    with transaction.atomic():
        report = PublicReport.objects.select_for_update().get(pk=report.pk)
        if item is not None:
            if not Item.objects.visible_to(actor).filter(pk=item.pk).exists():
                raise DomainError("Inlägget hör till en kanal som din enhet inte ansvarar för.")
            if report.item_id != item.pk:
                report.item = item
                report.channel = item.channel
                _flag_item_for_report(item=item, report=report, rule=report.rule, actor=actor)
            if status == ReportStatus.NEW:
                status = ReportStatus.MATCHED
        report.status = status
        report.save()
        audit_record(actor=actor, action="moderation.report_triage", target=report,
                     detail={"status": status, "item": item.pk if item else None})
    return report


def public_report_from_message(*, item: Item, actor) -> PublicReport:
    """A moderator turns a private message (an item of kind "message", from Facebook or Instagram) into
    a report: its text is the report, its author the reporter, and it is matched to the item the
    message points at (a link or a quote, as for e-mail; never the message itself), else left "new"
    for triage. One report per message: asking again returns the first. A secret message is refused (its
    text would reach every reader of reports). Audited."""
    from accounts.errors import NotPermitted

    if item.kind != ItemKind.MESSAGE:
        raise DomainError("Bara privata meddelanden kan göras om till en anmälan.")
    if not Item.objects.visible_to(actor).filter(pk=item.pk).exists() or not item.content_visible_to(actor):
        raise NotPermitted("Meddelandet hör till en kanal du inte ansvarar för.")
    if item.secret:  # the report's text is readable by every role that reads reports
        raise DomainError("Meddelandet är sekretessmarkerat och kan inte göras om till en anmälan; koppla "
                          "anmälan till inlägget för hand under Anmälningar.")
    with transaction.atomic():
        message = Item.objects.select_for_update(of=("self",)).select_related("author", "channel").get(pk=item.pk)
        existing = PublicReport.objects.filter(source_item=message).first()
        if existing is not None:
            return existing
        target, link, _quote = item_match_message(text=message.text, exclude=message)
        author = message.author
        contact = f"{author.display_name} ({message.channel.get_platform_display()})" if author else ""
        return public_report_submit(
            text=message.text or "(Meddelandet saknar text.)", url=link, contact=contact[:300],
            via=ReportVia.PRIVATE_MESSAGE, actor=actor, item=target, source_item=message,
        )

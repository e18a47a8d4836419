"""Every staff page of the demo, and every PDF it links to, as each role in Swedish: no known English
words and no raw internal codes (status or kind values that have a Swedish label) in visible text.

The demo is seeded with `seed_demo`; each role crawls the pages reachable from the start page by
links (GET only, a few pages per URL shape so one list of a hundred items does not take all the
time). A finding names the page, the word and its context, so a failure says what to fix. A link
that answers 403 to the role that was shown it is a finding too (show only what the user may open).
"""

from __future__ import annotations

import io
import re
from collections import Counter, deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test import Client
from lxml import html as lxml_html

from accounts.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.timeout(900)]

ROLES = ("moderator", "registrar", "archivist", "admin", "auditor")
ENGLISH = ("Comment", "Post", "Reply", "Message", "None", "True", "False", "pending", "approved", "rejected",
           "declined", "Other", "Unknown", "Delete", "Save", "Cancel", "Submit", "Search", "Edit", "Error", "null",
           "undefined", "Yes", "No", "Open", "Closed", "Draft", "Created", "Updated", "Description", "Status:")
# Values that are also ordinary Swedish words or names shown as such.
CODE_ALLOWLIST = {"sms", "e-post", "post", "facebook", "instagram", "linkedin", "youtube", "x", "tiktok",
                  "manual", "form", "email", "phone", "pattern", "organisation", "sent"}
SKIP_PREFIXES = ("/admin/", "/api/", "/static/", "/media/", "/i18n/", "/konto/logga-ut", "/__", "/healthz",
                 "/metrics")
PER_SHAPE = 2
MAX_PAGES = 300


def _codes() -> set[str]:
    """The internal values of every TextChoices field of the apps whose Swedish label differs."""
    found: set[str] = set()
    for model in apps.get_models():
        if model._meta.app_label not in {"accounts", "moderation", "records"}:
            continue
        for f in model._meta.get_fields():
            if not isinstance(f, models.CharField) or not f.choices:
                continue
            for value, label in f.flatchoices:
                value, label = str(value), str(label)
                if not value or value.lower() == label.lower() or value.lower() in CODE_ALLOWLIST:
                    continue
                if re.fullmatch(r"[a-z][a-z0-9_.]*", value) and ("_" in value or len(value) >= 4):
                    found.add(value)
    return found


def _shape(path: str) -> str:
    return re.sub(r"\d+", "#", path)


def _visible_text(content: bytes) -> str:
    doc = lxml_html.fromstring(content)
    # English versions of texts (rules, reply templates) are marked lang="en" and are meant to be English.
    for bad in doc.xpath("//script|//style|//code|//pre|//template|//*[@data-raw]|//*[starts-with(@lang, 'en')]"):
        bad.drop_tree()
    parts = [doc.text_content()]
    for attr in ("title", "aria-label", "placeholder", "alt"):
        parts += doc.xpath(f"//@{attr}")
    parts += doc.xpath("//input[@type='submit' or @type='button']/@value")
    return "\n".join(str(p) for p in parts)


def _links(content: bytes) -> list[str]:
    doc = lxml_html.fromstring(content)
    return [str(h) for h in doc.xpath("//a/@href")]


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _scan(text: str, where: str, patterns: list[tuple[str, re.Pattern]]) -> list[str]:
    # Addresses, e-mail and file names carry codes legitimately (URLs, slugs).
    text = re.sub(r"https?://\S+|\S+@\S+|\S+\.(?:pdf|csv|json|xml|zip)\b", " ", text)
    findings = []
    for word, pattern in patterns:
        for m in pattern.finditer(text):
            context = " ".join(text[max(0, m.start() - 40): m.end() + 40].split())
            findings.append(f"{where}: {word!r} in “{context}”")
            break
    return findings


def _crawl(client: Client, role: str, patterns) -> tuple[list[str], Counter]:
    queue = deque(["/"])
    seen: set[str] = {"/"}
    shapes: Counter = Counter()
    stats: Counter = Counter()
    findings: list[str] = []
    while queue and stats["pages"] < MAX_PAGES:
        url = queue.popleft()
        r = client.get(url)
        stats[r.status_code] += 1
        if r.status_code == 403:
            # A page linked from a page the role may open answers 403: the link should not be shown.
            findings.append(f"{role} {url}: länk som ger 403")
        if r.status_code >= 500:
            findings.append(f"{role} {url}: status {r.status_code}")
            continue
        if r.status_code != 200:
            continue
        ctype = r.get("Content-Type", "")
        body = b"".join(r.streaming_content) if r.streaming else r.content
        if ctype.startswith("application/pdf"):
            stats["pdfs"] += 1
            findings += _scan(_pdf_text(body), f"{role} PDF {url}", patterns)
            continue
        if not ctype.startswith("text/html"):
            continue
        stats["pages"] += 1
        findings += _scan(_visible_text(body), f"{role} {url}", patterns)
        for href in _links(body):
            href, _frag = urldefrag(href)
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path in seen or path.startswith(SKIP_PREFIXES):
                continue
            seen.add(path)
            # Filtered views (tabs, status filters) count once per path and set of parameters.
            keys = sorted(k.split("=")[0] for k in parts.query.split("&")) if parts.query else []
            shape = _shape(parts.path) + ("?" + "&".join(keys) if keys else "")
            if shapes[shape] >= PER_SHAPE:
                continue
            shapes[shape] += 1
            queue.append(path)
    return findings, stats


def test_every_demo_page_and_pdf_is_swedish_for_every_role(monkeypatch, settings):
    monkeypatch.setenv("UPPSIKT_DEMO_PASSWORD", "Demo-losenord-2026")
    call_command("seed_demo", stdout=io.StringIO())
    patterns = [(w, re.compile(rf"(?<![\w-]){re.escape(w)}(?![\w-])")) for w in ENGLISH]
    patterns += [(c, re.compile(rf"(?<![\w./-]){re.escape(c)}(?![\w/-])")) for c in sorted(_codes())]
    findings: list[str] = []
    totals: Counter = Counter()
    for role in ROLES:
        client = Client()
        client.force_login(User.objects.get(username=role))
        found, stats = _crawl(client, role, patterns)
        findings += found
        totals.update(stats)
        print(role, dict(stats))
    assert totals["pages"] >= 60, totals
    # The kind of a registered comment is Swedish in the register (it reached a journalist's PDF as "Comment").
    from records.models import Document

    registered = Document.objects.filter(source_type="moderation.item").values_list("description", flat=True)
    assert registered and not [d for d in registered if d.startswith(("Comment", "Post", "Reply", "Message"))]
    assert not findings, f"{len(findings)} fynd:\n" + "\n".join(findings)

"""Reports from wherever the public sends them (issue 13, item 9): e-mail to the report address read over IMAP
from a real dovecot on 127.0.0.1 (plain, STARTTLS and IMAPS with a certificate made at test time), matched by
link or quote, the e-mail kept as the report's source; private messages turned into reports; the sender's
address masked, in the GDPR search and scrubbed; /konton/ says how to report."""

from __future__ import annotations

import datetime as dt
import time
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from accounts.models import AuditEvent
from moderation.models import (
    Flag,
    FlagSource,
    ItemKind,
    Platform,
    PublicReport,
    ReportEmail,
    ReportStatus,
    ReportVia,
)
from moderation.reports.mailbox import (
    SKIPPED_KEYWORD,
    MailboxError,
    html_to_text,
    mailbox_config,
    mailbox_fetch,
    report_email_receive,
)
from moderation.reports.matching import links_in, quote_candidates
from moderation.reports.personal_data import mask_contact
from moderation.reports.services import item_match_quote, public_report_from_message
from records.gdpr.services import (
    subject_request_approve_erasure,
    subject_request_create,
    subject_request_propose_erasure,
    subject_request_search,
)
from tests.factories import AuthorFactory, ChannelFactory, ItemFactory
from tests.imap_fixtures import *  # noqa: F403 - fixtures

pytestmark = pytest.mark.django_db

ADDRESS = "info@exempelstad.example"
THREAT = "Jag vet var du bor och jag kommer att hitta dig i kväll"
PERMALINK = "https://www.facebook.com/exempelstad/posts/999?comment_id=1234567890123"


@pytest.fixture(autouse=True)
def _mail_settings(settings, tmp_path):
    settings.UPPSIKT_REPORT_ADDRESS = ADDRESS
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def channel(unit):
    return ChannelFactory(platform=Platform.FACEBOOK, unit=unit, name="Exempelstad", slug="exempelstad-facebook")


@pytest.fixture
def threat_item(channel):
    item = ItemFactory(channel=channel, external_id="1234567890123", text=f"{THREAT}!!",
                       search_text=f"{THREAT.casefold()}!!", received_at=dt.datetime.now(dt.UTC))
    return item


def mail(body: str = "", *, subject: str = "Anmälan av kommentar på er Facebooksida", to: str = ADDRESS,
         sender: str = "Anna Åberg <anna.aberg@example.se>", html: str | None = None, message_id: str | None = None,
         **headers) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    msg["Date"] = "Tue, 03 Mar 2026 14:05:00 +0100"
    msg["Message-ID"] = message_id or make_msgid(domain="example.se")
    for key, value in headers.items():
        msg[key.replace("_", "-")] = value
    if body:
        msg.set_content(body)
    if html is not None:
        if body:
            msg.add_alternative(html, subtype="html")
        else:
            msg.set_content(html, subtype="html")
    return bytes(msg)


# --- the intake against dovecot ---------------------------------------------------------------------


def test_mailbox_fetch_starttls_permalink_creates_matched_report_with_eml(dovecot, threat_item, settings):
    settings.UPPSIKT_REPORT_IMAP_CAFILE = dovecot.cafile
    raw = mail(f"Hej!\n\nDen här kommentaren är ett hot mot en av era anställda:\n{PERMALINK}\n\nMvh Anna")
    uid = dovecot.append(raw)
    summary = mailbox_fetch(config=dovecot.config("starttls"))
    assert summary.as_dict() == {"seen": 1, "created": 1, "duplicates": 0, "skipped": 0, "errors": 0}
    report = PublicReport.objects.get()
    assert (report.via, report.status, report.item, report.url) == (ReportVia.EMAIL, ReportStatus.MATCHED,
                                                                    threat_item, PERMALINK)
    assert report.reporter_contact == "Anna Åberg <anna.aberg@example.se>"
    assert report.reporter_message == "Ämne: Anmälan av kommentar på er Facebooksida"
    assert "Den här kommentaren är ett hot" in report.text
    source = report.email
    assert (source.sender_address, source.sender_name) == ("anna.aberg@example.se", "Anna Åberg")
    assert source.sent_at == dt.datetime(2026, 3, 3, 13, 5, tzinfo=dt.UTC)
    stored = source.eml.read()  # as the server holds it: CRLF line ends
    assert stored.replace(b"\r\n", b"\n") == raw and source.size == len(stored)
    assert Flag.objects.get(item=threat_item).source == FlagSource.REPORT
    assert "\\Seen" in dovecot.flags(uid)
    assert dovecot.count() == 1  # never deleted


def test_mailbox_fetch_imaps_quoted_text_matches_distinctive_item(dovecot, threat_item, settings):
    settings.UPPSIKT_REPORT_IMAP_CAFILE = dovecot.cafile
    ItemFactory(channel=threat_item.channel, text="Jag vet var biblioteket ligger, men när öppnar det?")
    body = f"Någon skrev så här i kommentarerna i går:\n\n> {THREAT}\n\nKan ni ta bort det?"
    dovecot.append(mail(body))
    assert mailbox_fetch(config=dovecot.config("ssl")).created == 1
    assert PublicReport.objects.get().item == threat_item


def test_mailbox_fetch_html_only_mail_link_in_anchor_matches(dovecot, threat_item):
    html = f'<p>Se <a href="{PERMALINK}">den här kommentaren</a>.</p><script>alert(1)</script>'
    dovecot.append(mail(html=html))
    mailbox_fetch(config=dovecot.config("none"))
    report = PublicReport.objects.get()
    assert report.item == threat_item and "alert" not in report.text and "den här kommentaren" in report.text


def test_mailbox_fetch_twice_and_copy_of_same_message_one_report(dovecot, threat_item):
    message_id = make_msgid(domain="example.se")
    first = dovecot.append(mail(PERMALINK, message_id=message_id))
    config = dovecot.config("none")
    assert mailbox_fetch(config=config).created == 1
    assert mailbox_fetch(config=config).seen == 0
    copy = dovecot.append(mail(PERMALINK, message_id=message_id))  # the same message once more (a Cc copy)
    assert mailbox_fetch(config=config).as_dict() == {"seen": 1, "created": 0, "duplicates": 1, "skipped": 0,
                                                      "errors": 0}
    assert PublicReport.objects.count() == 1 and ReportEmail.objects.count() == 1
    assert "\\Seen" in dovecot.flags(first) and "\\Seen" in dovecot.flags(copy)


def test_mailbox_fetch_mail_to_other_address_left_alone(dovecot, threat_item):
    uid = dovecot.append(mail(PERMALINK, to="ekonomi@exempelstad.example"))
    cc = dovecot.append(mail(PERMALINK, to="ekonomi@exempelstad.example", Cc=ADDRESS))
    assert mailbox_fetch(config=dovecot.config("none")).as_dict()["created"] == 1  # only the Cc one
    assert dovecot.flags(uid) == set() and "\\Seen" in dovecot.flags(cc)


def test_mailbox_fetch_auto_reply_skipped_and_left_unseen(dovecot, threat_item):
    uid = dovecot.append(mail("Jag är på semester till 1 augusti.", subject="Frånvaro", Auto_Submitted="auto-replied"))
    summary = mailbox_fetch(config=dovecot.config("none"))
    assert (summary.skipped, PublicReport.objects.count()) == (1, 0)
    assert dovecot.flags(uid) == {SKIPPED_KEYWORD}
    assert mailbox_fetch(config=dovecot.config("none")).seen == 0  # not looked at again


def test_mailbox_fetch_too_large_skipped_for_a_person(dovecot, threat_item, settings):
    settings.UPPSIKT_REPORT_MAX_BYTES = 2000
    uid = dovecot.append(mail("x" * 5000))
    assert mailbox_fetch(config=dovecot.config("none")).skipped == 1
    assert dovecot.flags(uid) == {SKIPPED_KEYWORD} and PublicReport.objects.count() == 0


def test_mailbox_fetch_store_failure_left_unseen_taken_next_run(dovecot, threat_item, monkeypatch):
    from moderation.reports import mailbox

    uid = dovecot.append(mail(PERMALINK))
    real = mailbox.report_email_receive

    def broken(**kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(mailbox, "report_email_receive", broken)
    assert mailbox_fetch(config=dovecot.config("none")).errors == 1
    assert dovecot.flags(uid) == set() and PublicReport.objects.count() == 0
    monkeypatch.setattr(mailbox, "report_email_receive", real)
    assert mailbox_fetch(config=dovecot.config("none")).created == 1
    assert "\\Seen" in dovecot.flags(uid)


def test_mailbox_fetch_wrong_password_swedish_error(dovecot):
    from dataclasses import replace

    with pytest.raises(MailboxError, match="nekade"):
        mailbox_fetch(config=replace(dovecot.config("none"), password="fel"))


def test_mailbox_fetch_starttls_untrusted_certificate_refused(dovecot):
    with pytest.raises(MailboxError, match="TLS"):
        mailbox_fetch(config=dovecot.config("starttls"))  # no CA for the self-signed certificate


def test_mailbox_fetch_task_and_command_read_configured_mailbox(dovecot, threat_item, settings, capsys):
    from moderation.reports.tasks import report_mailbox_fetch_task

    settings.UPPSIKT_REPORT_IMAP_URL = dovecot.url("none")
    dovecot.append(mail(PERMALINK))
    assert report_mailbox_fetch_task.enqueue().return_value["created"] == 1
    dovecot.append(mail(PERMALINK))
    call_command("report_mailbox_fetch")
    assert "nya anmälningar 1" in capsys.readouterr().out


def test_report_mailbox_job_without_configuration_does_nothing(settings):
    from config.scheduling import job

    settings.UPPSIKT_REPORT_IMAP_URL = ""
    assert job("report_mailbox_fetch").run(None) == "ingen brevlåda konfigurerad"


# --- configuration -----------------------------------------------------------------------------------


def test_mailbox_config_schemes_ports_and_security():
    c = mailbox_config("imaps://anmalan:p%40ss@imap.kommun.se/Anm%C3%A4lningar")
    assert (c.host, c.port, c.security, c.password, c.mailbox) == ("imap.kommun.se", 993, "ssl", "p@ss", "Anmälningar")
    c = mailbox_config("imap://anmalan:x@imap.kommun.se")
    assert (c.port, c.security, c.mailbox) == (143, "starttls", "INBOX")


@pytest.mark.parametrize("url", ["", "pop3://a:b@h/INBOX", "imap://a:b@imap.kommun.se/INBOX?security=none",
                                 "imap://imap.kommun.se/INBOX", "imap://a:b@h:99999/"])
def test_mailbox_config_bad_url_refused(url):
    with pytest.raises(ImproperlyConfigured):
        mailbox_config(url)


# --- one message --------------------------------------------------------------------------------------


def test_report_email_receive_no_match_stays_new_for_triage(channel):
    report, created = report_email_receive(raw=mail("Någon skriver elaka saker om mig på er sida, gör något!"))
    assert created and report.status == ReportStatus.NEW and report.item is None


def test_report_email_receive_empty_message_kept(channel):
    report, _ = report_email_receive(raw=mail("", subject=""))
    assert report.text == "(E-postmeddelandet saknar text.)" and report.email.eml.size > 0


def test_report_email_receive_without_message_id_keyed_by_bytes(channel):
    raw = mail("Hej").replace(b"Message-ID:", b"X-Old-ID:")
    first, created = report_email_receive(raw=raw)
    again, created_again = report_email_receive(raw=raw)
    assert created and not created_again and first == again


def test_report_email_receive_link_to_uppsikt_item_page_matches(threat_item, settings):
    settings.UPPSIKT_BASE_URL = "https://uppsikt.exempelstad.example"
    link = f"https://uppsikt.exempelstad.example/granskning/inlagg/{threat_item.pk}/"
    report, _ = report_email_receive(raw=mail(f"Vidarebefordrar: {link}"))
    assert report.item == threat_item


# --- matching -----------------------------------------------------------------------------------------


def test_links_in_strips_punctuation_and_bounds():
    assert links_in(f"Se {PERMALINK}. Och (https://example.se/a).") == [PERMALINK, "https://example.se/a"]
    assert len(links_in(" ".join(f"https://e.se/{i}" for i in range(100)))) == 20


def test_quote_candidates_quotes_cited_lines_then_own_lines():
    text = ('Hej!\nHan skrev ”du ska få se vad som händer med dig” under inlägget.\n'
            'Den 3 mars 2026 skrev Kalle <k@e.se>:\n> jag vet var du bor\n> och när du går hem\n')
    got = quote_candidates(text)
    assert got[0] == "du ska få se vad som händer med dig"
    assert got[1] == "jag vet var du bor och när du går hem"
    assert all("skrev kalle" not in c for c in got)


def test_item_match_quote_not_distinctive_none(channel):
    for _ in range(2):
        ItemFactory(channel=channel, text="tack för en fin dag på stranden i går", received_at=dt.datetime.now(dt.UTC))
    assert item_match_quote(quote="tack för en fin dag på stranden") is None


def test_item_match_quote_like_wildcards_are_literal(threat_item):
    assert item_match_quote(quote="%%%%%%%%%%%%%%%%%%%%%%%% ____ ____ ____") is None
    assert item_match_quote(quote="jag vet var du bor och jag kommer") == threat_item


def test_item_match_quote_old_or_purged_items_not_searched(channel):
    ItemFactory(channel=channel, text=THREAT, received_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=400))
    ItemFactory(channel=channel, text=THREAT, received_at=dt.datetime.now(dt.UTC),
                purged_at=dt.datetime.now(dt.UTC))
    assert item_match_quote(quote=THREAT) is None


def test_quote_candidates_huge_hostile_input_bounded_time():
    hostile = ("”" + "a" * 599 + "\n") * 2000 + ("> " + "b " * 5000 + "\n") * 50 + "https://" + "x" * 100_000
    started = time.perf_counter()
    got = quote_candidates(hostile)
    links_in(hostile)
    assert time.perf_counter() - started < 1.0 and len(got) <= 8 and all(len(c) <= 300 for c in got)


def test_html_to_text_drops_scripts_keeps_links():
    text = html_to_text('<style>p{}</style><p>Hej &amp; tack</p><a href="https://e.se/x">här</a>')
    assert text.startswith("Hej & tack") and "https://e.se/x" in text and "p{}" not in text


# --- private messages -------------------------------------------------------------------------------


@pytest.fixture
def pm(channel):
    author = AuthorFactory(channel=channel, display_name="Bertil Berg")
    return ItemFactory(channel=channel, kind=ItemKind.MESSAGE, author=author,
                       text=f"Hej, jag vill anmäla den här kommentaren: {PERMALINK}")


def test_report_from_message_links_to_pointed_item_once(pm, threat_item, users):
    report = public_report_from_message(item=pm, actor=users["moderator"])
    assert (report.via, report.item, report.source_item, report.status) == (
        ReportVia.PRIVATE_MESSAGE, threat_item, pm, ReportStatus.MATCHED)
    assert report.reporter_contact == "Bertil Berg (Facebook)"
    assert public_report_from_message(item=pm, actor=users["moderator"]) == report
    assert PublicReport.objects.count() == 1 and threat_item.flags.count() == 1


def test_report_from_message_comment_refused(threat_item, users):
    from accounts.errors import DomainError

    with pytest.raises(DomainError, match="privata meddelanden"):
        public_report_from_message(item=threat_item, actor=users["moderator"])


def test_report_from_message_view_button_and_post(client_for, pm, threat_item):
    c = client_for("moderator")
    page = c.get(f"/granskning/inlagg/{pm.pk}/")
    assert page.status_code == 200, page.content
    assert "Gör om till anmälan" in page.content.decode()
    assert "Gör om till anmälan" not in c.get(f"/granskning/inlagg/{threat_item.pk}/").content.decode()
    r = c.post(f"/granskning/inlagg/{pm.pk}/anmalan/")
    assert r.status_code == 302 and r["Location"] == f"/granskning/inlagg/{pm.pk}/"
    assert PublicReport.objects.get().source_item == pm
    assert "Meddelandet är registrerat som anmälan" in c.get(f"/granskning/inlagg/{pm.pk}/").content.decode()


def test_report_from_message_other_unit_404_auditor_403(client_for, pm, users, make_user, other_unit):
    outsider = make_user("moderator", username="moderator_x", units=[other_unit])
    from django.test import Client

    c = Client()
    c.force_login(outsider)
    assert c.post(f"/granskning/inlagg/{pm.pk}/anmalan/").status_code == 404
    assert client_for("auditor").post(f"/granskning/inlagg/{pm.pk}/anmalan/").status_code == 403
    assert PublicReport.objects.count() == 0


# --- the sender's address: masked, downloadable by the right roles, in the GDPR search, scrubbed ---------


@pytest.fixture
def email_report(threat_item):
    report, _ = report_email_receive(raw=mail(PERMALINK))
    return report


def test_mask_contact_keeps_shape_not_identity():
    assert mask_contact("Anna Åberg <anna.aberg@example.se>") == "A… Å… <a…@e….se>"
    assert mask_contact("bertil@kommun.se") == "b…@k….se"
    assert mask_contact("") == ""


@pytest.mark.parametrize(("role", "visible"), [("moderator", True), ("auditor", False), ("administrator", False)])
def test_report_list_and_api_sender_visible_only_to_handlers(client_for, email_report, role, visible):
    c = client_for(role)
    r = c.get("/granskning/anmalningar/?status=all")
    assert r.status_code == 200, r.content
    html = r.content.decode()
    assert ("anna.aberg@example.se" in html) is visible
    assert ("A… Å… &lt;a…@e….se&gt;" in html) is not visible
    assert ("Hämta e-postmeddelandet" in html) is visible
    r = c.get(f"/api/v1/reports/{email_report.pk}/")
    assert r.status_code == 200, r.content
    data = r.json()
    assert (data["contact"] == "Anna Åberg <anna.aberg@example.se>") is visible
    assert (data["email_url"] == f"/granskning/anmalningar/{email_report.pk}/e-post/") is visible


@pytest.mark.parametrize(("role", "status"), [("moderator", 200), ("auditor", 403), ("administrator", 403),
                                              ("registrar", 403), ("norole", 403)])
def test_report_source_download_permission_checked(client_for, email_report, role, status):
    r = client_for(role).get(f"/granskning/anmalningar/{email_report.pk}/e-post/")
    assert r.status_code == status, r.content[:200]
    if status == 200:
        assert r["Content-Type"] == "message/rfc822" and b"anna.aberg@example.se" in b"".join(r.streaming_content)
        assert AuditEvent.objects.filter(action="export", target_id=str(email_report.pk)).exists()


def test_report_source_download_other_unit_404(email_report, make_user, other_unit):
    from django.test import Client

    c = Client()
    c.force_login(make_user("moderator", username="moderator_x", units=[other_unit]))
    assert c.get(f"/granskning/anmalningar/{email_report.pk}/e-post/").status_code == 404


def test_gdpr_search_finds_report_by_sender_and_erasure_scrubs_email(email_report, users, make_user):
    archivist2 = make_user("archivist", username="archivist2")
    path = email_report.email.eml.path
    request = subject_request_create(kind="erasure", requester_name="Anna Åberg", requester_contact="",
                                     identifiers={"email": "anna.aberg@example.se"}, actor=users["archivist"])
    hits = subject_request_search(request=request, actor=users["archivist"])
    hit = next(h for h in hits if h.target_type == "moderation.publicreport")
    assert hit.target_id == str(email_report.pk) and "avsändare av e-post" in hit.why
    # A report is an allmän handling: erasure reaches it only once its retention class allows purging
    # (GDPR art. 17.3 b, arkivlagen 10 §), so the report here is already due under its class.
    from django.utils import timezone

    PublicReport.objects.filter(pk=email_report.pk).update(retention_class_code="SM-4",
                                                          retention_due=timezone.localdate())
    hits = subject_request_search(request=request, actor=users["archivist"])
    hit = next(h for h in hits if h.target_type == "moderation.publicreport")
    subject_request_propose_erasure(request=request, hits=[hit], actor=users["archivist"])
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        subject_request_approve_erasure(request=request, actor=archivist2)
    source = ReportEmail.objects.get(report=email_report)
    assert (source.sender_address, source.sender_name, source.eml.name) == ("", "", "")
    assert source.scrubbed_at is not None
    import os

    assert not os.path.exists(path)
    assert PublicReport.objects.get(pk=email_report.pk).reporter_contact == ""


# --- /konton/ ---------------------------------------------------------------------------------------


def test_public_accounts_page_says_how_to_report_and_where_else(client, channel, settings):
    ChannelFactory(platform=Platform.YOUTUBE, unit=channel.unit, name="Exempelstad Play", slug="yt")
    settings.UPPSIKT_POLITICIANS_URL = "https://www.exempelstad.example/politik"
    settings.UPPSIKT_ESERVICE_URL = "https://www.exempelstad.example/synpunkter"
    r = client.get("/konton/")
    assert r.status_code == 200
    html = r.content.decode()
    assert f'<a href="mailto:{ADDRESS}">{ADDRESS}</a>' in html
    assert "privat meddelande (PM)" in html and "Exempelstad (Facebook)" in html
    assert "Exempelstad Play (YouTube)." not in html  # YouTube takes no private messages
    assert 'href="https://www.exempelstad.example/synpunkter"' in html
    assert 'href="https://www.exempelstad.example/politik"' in html
    assert "Set-Cookie" not in r.headers and " src=\"http" not in html  # nothing loaded from other sites


def test_public_accounts_page_without_configured_links_omits_section(client, channel, settings):
    settings.UPPSIKT_POLITICIANS_URL = settings.UPPSIKT_ESERVICE_URL = ""
    r = client.get("/konton/")
    assert r.status_code == 200 and "Synpunkter, felanmälan" not in r.content.decode()


def test_report_from_message_secret_message_refused_nothing_copied(channel, users):
    from accounts.errors import DomainError

    secret = ItemFactory(channel=channel, kind=ItemKind.MESSAGE, is_secret=True, text=f"Min adress: {THREAT}")
    with pytest.raises(DomainError, match="sekretessmarkerat"):
        public_report_from_message(item=secret, actor=users["registrar"])
    assert PublicReport.objects.count() == 0

"""The public pages /konton/ and /anmal/: no login, no cookies except CSRF on the form, nothing
from other sites, and a report form that resists spam without third parties."""

import re
import time

import pytest
from django.test import Client

from moderation.models import Flag, FlagSource, PublicReport, ReportStatus, Rule
from moderation.reports.public import started_token
from tests.factories import ChannelFactory, ItemFactory, UnitFactory

pytestmark = pytest.mark.django_db

EXTERNAL_RESOURCE = re.compile(r'<(?:script|img|iframe|link|source|video|audio)\b[^>]*(?:src|href)="(?:https?:)?//',
                               re.IGNORECASE)


@pytest.fixture
def channels():
    social = UnitFactory(code="kommunledning", name="Kommunledningsförvaltningen")
    school = UnitFactory(code="utbildning", name="Utbildningsförvaltningen")
    return [
        ChannelFactory(slug="exempelstad-facebook", name="Exempelstads kommun", unit=social),
        ChannelFactory(slug="exempelstad-youtube", name="Exempelstad TV", unit=social, platform="youtube",
                       url="https://www.youtube.com/@exempelstad"),
        ChannelFactory(slug="skolan-instagram", name="Skolorna i Exempelstad", unit=school, platform="instagram"),
        ChannelFactory(slug="nedlagd", name="Gammalt konto", unit=school, active=False),
    ]


def form_data(**overrides):
    data = {"url": "https://www.facebook.com/exempelstad/posts/123", "text": "", "rule": "", "contact": "",
            "message": "", "website": "", "started": started_token(time.time() - 30)}
    data.update(overrides)
    return data


def test_accounts_page_lists_active_channels_by_unit_and_rules_in_force(channels):
    r = Client().get("/konton/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Kommunledningsförvaltningen" in html and "Utbildningsförvaltningen" in html
    assert "Exempelstad TV" in html and "Gammalt konto" not in html
    hate = Rule.objects.get(code="hate")
    assert hate.title_sv in html and f"version {hate.version}" in html
    assert 'href="/anmal/"' in html and 'href="/postlista/"' in html


def test_accounts_page_sets_no_cookie_and_loads_nothing_from_other_sites(channels):
    r = Client().get("/konton/")
    assert r.cookies == {} and "Set-Cookie" not in r.headers
    assert not EXTERNAL_RESOURCE.search(r.content.decode())


def test_report_form_loads_nothing_from_other_sites_and_sets_only_csrf_cookie(channels):
    r = Client().get("/anmal/")
    assert r.status_code == 200
    assert set(r.cookies) <= {"csrftoken"}
    assert not EXTERNAL_RESOURCE.search(r.content.decode())
    assert 'name="website"' in r.content.decode()  # the honeypot is there (hidden from people)


def test_report_form_creates_report_and_thanks_in_swedish(channels):
    c = Client(enforce_csrf_checks=True)
    c.get("/anmal/")
    rule = Rule.objects.get(code="hate")
    data = form_data(rule=rule.pk, contact="anna@example.se", message="Rasistisk kommentar",
                     csrfmiddlewaretoken=c.cookies["csrftoken"].value)
    r = c.post("/anmal/", data)
    assert r.status_code == 302, r.content
    assert r["Location"] == "/anmal/tack/"
    report = PublicReport.objects.get()
    assert report.via == "form" and report.rule == rule and report.reporter_contact == "anna@example.se"
    assert report.ip_hash and "127.0.0.1" not in report.ip_hash
    thanks = c.get("/anmal/tack/")
    assert "Tack för din anmälan" in thanks.content.decode()


def test_report_form_matching_item_becomes_flag(channels):
    item = ItemFactory(channel=channels[0], external_id="123_456", text="Ni är alla idioter",
                       search_text="ni är alla idioter")
    r = Client().post("/anmal/", form_data(url="https://www.facebook.com/exempelstad/posts/123_456"))
    assert r.status_code == 302, r.content
    report = PublicReport.objects.get()
    assert report.item == item and report.status == ReportStatus.MATCHED
    assert Flag.objects.filter(item=item, source=FlagSource.REPORT).exists()


def test_report_form_honeypot_is_refused_in_swedish(channels, caplog):
    r = Client().post("/anmal/", form_data(website="http://spam.example"))
    assert r.status_code == 400
    assert "Anmälan kunde inte tas emot" in r.content.decode()
    assert not PublicReport.objects.exists()
    assert "honeypot" in caplog.text


def test_report_form_sent_too_fast_is_refused(channels, caplog):
    r = Client().post("/anmal/", form_data(started=started_token()))
    assert r.status_code == 400
    assert "för snabbt" in r.content.decode()
    assert not PublicReport.objects.exists()
    assert "too fast" in caplog.text


def test_report_form_forged_timestamp_is_refused(channels):
    r = Client().post("/anmal/", form_data(started="1700000000"))
    assert r.status_code == 400
    assert "gått ut" in r.content.decode()


def test_report_form_rate_limited_per_address_with_429(channels, caplog):
    c = Client()
    for n in range(5):
        assert c.post("/anmal/", form_data(text=f"Olämplig kommentar nummer {n}", url="")).status_code == 302
    r = c.post("/anmal/", form_data(text="En till", url=""))
    assert r.status_code == 429
    assert "Vänta en stund" in r.content.decode()
    assert PublicReport.objects.count() == 5
    assert "rate limited" in caplog.text
    # Another address is not limited.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post("/anmal/", form_data(text="Från en annan adress", url="")).status_code == 302


def test_report_form_needs_link_or_text(channels):
    r = Client().post("/anmal/", form_data(url="", text=""))
    assert r.status_code == 400
    assert "Ange en länk till innehållet eller skriv av texten." in r.content.decode()


def test_public_pages_have_no_staff_navigation(channels):
    html = Client().get("/konton/").content.decode()
    assert "Huvudmeny" not in html and "/granskning/" not in html

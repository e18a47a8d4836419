"""The moderation pages: queue, item page, decisions, bulk, secrecy, authors, reports, police,
configuration and the dashboard panels. Business rules are modback's (tests/test_moderation_*);
these check that the pages call them and show their answers."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import AuditAction, AuditEvent
from moderation.models import (
    Decision,
    DecisionAction,
    Detector,
    FlagSource,
    Item,
    ItemState,
    PoliceReport,
    Priority,
    PublicReport,
    ReportStatus,
    Rule,
    Sanction,
    SanctionKind,
)
from tests.factories import (
    AuthorFactory,
    ChannelFactory,
    DetectorFactory,
    FlagFactory,
    ItemFactory,
    PublicReportFactory,
    RuleFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel(unit):
    return ChannelFactory(slug="exempelstad-facebook", name="Exempelstad på Facebook", unit=unit)


@pytest.fixture
def other_channel(other_unit):
    return ChannelFactory(slug="skolan-instagram", name="Skolan på Instagram", unit=other_unit, platform="instagram")


@pytest.fixture
def moderator2(make_user, other_unit):
    return make_user("moderator", username="moderator2", units=[other_unit])


def flagged(channel, text="Du är en jävla idiot", **kwargs):
    item = ItemFactory(channel=channel, text=text, search_text=text.casefold(), priority=Priority.FLAGGED,
                       flag_count=1, **kwargs)
    FlagFactory(item=item, spans=[{"start": 9, "end": 14, "term": "jävl*"}])
    return item


# --- queue --------------------------------------------------------------------------------------


def test_queue_as_moderator_lists_own_units_items_with_highlight(client_for, channel, other_channel):
    mine = flagged(channel)
    theirs = flagged(other_channel, text="Annan kanals jävla text")
    r = client_for("moderator").get("/granskning/")
    assert r.status_code == 200, r.content
    html = r.content.decode()
    assert f'data-pk="{mine.pk}"' in html
    assert f'data-pk="{theirs.pk}"' not in html
    assert '<mark class="hit">jävla</mark>' in html
    assert "Automatisk granskning" in html  # flag source shown


def test_queue_filters_by_channel_search_and_rule(client_for, channel, users, unit):
    second = ChannelFactory(slug="exempelstad-youtube", unit=unit, platform="youtube")
    a = flagged(channel, text="Badhuset är stängt jävla skit")
    text = "Fråga om bibliotekets öppettider"
    b = ItemFactory(channel=second, text=text, search_text=text.casefold())
    c = client_for("administrator")
    html = c.get("/granskning/", {"channel": "exempelstad-youtube"}).content.decode()
    assert f'data-pk="{b.pk}"' in html and f'data-pk="{a.pk}"' not in html
    html = c.get("/granskning/", {"q": "bibliotekets"}).content.decode()
    assert f'data-pk="{b.pk}"' in html and f'data-pk="{a.pk}"' not in html
    html = c.get("/granskning/", {"rule": "profanity"}).content.decode()
    assert f'data-pk="{a.pk}"' in html and f'data-pk="{b.pk}"' not in html


def test_queue_tabs_show_counts_per_state(client_for, channel):
    flagged(channel)
    flagged(channel, state=ItemState.HELD)
    ItemFactory(channel=channel, decided=True)
    r = client_for("moderator").get("/granskning/", {"tab": "held"})
    tabs = {t["key"]: t["count"] for t in r.context["tabs"]}
    assert tabs["new"] == 1 and tabs["held"] == 1 and tabs["decided"] == 1
    assert len(r.context["page"].object_list) == 1


def _queries(client, per_page):
    with CaptureQueriesContext(connection) as ctx:
        r = client.get("/granskning/", {"per_page": per_page})
    assert r.status_code == 200
    return len(ctx.captured_queries), len(r.context["page"].object_list)


def test_queue_query_count_is_the_same_for_10_and_100_rows(client_for, channel, unit):
    for n in range(100):
        item = ItemFactory(channel=channel, author=AuthorFactory(channel=channel), text=f"Text {n} jävla",
                           priority=Priority.FLAGGED)
        FlagFactory(item=item)
    c = client_for("moderator")
    c.get("/granskning/")  # warm caches (content types, permissions)
    small, rows_small = _queries(c, 10)
    large, rows_large = _queries(c, 100)
    assert (rows_small, rows_large) == (10, 100)
    assert small == large, f"{small} queries for 10 rows, {large} for 100"


def test_queue_query_count_with_assert_num_queries(client_for, channel, django_assert_num_queries):
    for n in range(12):
        FlagFactory(item=ItemFactory(channel=channel, text=f"Text {n}"))
    c = client_for("moderator")
    c.get("/granskning/")
    count, _rows = _queries(c, 10)
    for n in range(90):
        FlagFactory(item=ItemFactory(channel=channel, text=f"Mer {n}"))
    with django_assert_num_queries(count):
        c.get("/granskning/", {"per_page": 100})


def test_queue_bulk_keep_decides_selected_items(client_for, channel, users):
    a, b = flagged(channel), flagged(channel)
    r = client_for("moderator").post("/granskning/massatgard/", {"items": [a.pk, b.pk], "action": "keep",
                                                                  "next": "/granskning/"})
    assert r.status_code == 302, r.content
    assert Decision.objects.filter(item__in=[a, b], action=DecisionAction.KEEP).count() == 2
    assert set(Item.objects.filter(pk__in=[a.pk, b.pk]).values_list("state", flat=True)) == {ItemState.DECIDED}


def test_queue_bulk_remove_without_note_is_refused(client_for, channel):
    a = flagged(channel)
    c = client_for("moderator")
    r = c.post("/granskning/massatgard/", {"items": [a.pk], "action": "remove"}, follow=True)
    assert "motivering" in r.content.decode().lower()
    assert not Decision.objects.filter(item=a).exists()


def test_queue_bulk_cannot_touch_other_units_items(client_for, other_channel):
    theirs = flagged(other_channel)
    client_for("moderator").post("/granskning/massatgard/", {"items": [theirs.pk], "action": "keep"})
    assert not Decision.objects.filter(item=theirs).exists()


def test_queue_bulk_as_auditor_is_forbidden(client_for, channel):
    a = flagged(channel)
    r = client_for("auditor").post("/granskning/massatgard/", {"items": [a.pk], "action": "keep"})
    assert r.status_code == 403, r.content


# --- item page ----------------------------------------------------------------------------------


def test_item_detail_of_other_unit_is_404_for_moderator2(client, channel, moderator2):
    item = flagged(channel)
    client.force_login(moderator2)
    assert client.get(f"/granskning/inlagg/{item.pk}/").status_code == 404


def test_item_detail_shows_flags_thread_versions_and_history_link(client_for, channel):
    post = ItemFactory(channel=channel, outgoing=True, text="Badhuset öppnar igen.")
    item = flagged(channel, parent=post, root_post=post, kind="reply")
    sibling = ItemFactory(channel=channel, parent=post, root_post=post, text="Äntligen!")
    reply = ItemFactory(channel=channel, parent=item, root_post=post, text="Skärp dig.")
    item.versions.create(number=1, text="Du är en idiot")
    item.versions.create(number=2, text=item.text)
    r = client_for("moderator").get(f"/granskning/inlagg/{item.pk}/")
    html = r.content.decode()
    assert r.status_code == 200
    assert '<mark class="hit">jävla</mark>' in html
    assert "Ordlistan träffade ett svordomsord." in html
    for other in (post, sibling, reply):
        assert f"/granskning/inlagg/{other.pk}/" in html
    assert "Du är en idiot" in html  # the original version stays readable
    assert f"/historik/moderation/item/{item.pk}/" in html


def test_item_claim_by_other_shows_who_holds_it(client_for, channel, users, make_user):
    item = flagged(channel)
    colleague = make_user("moderator", username="kollega")
    until = timezone.now() + dt.timedelta(minutes=10)
    Item.objects.filter(pk=item.pk).update(claimed_by=colleague, claim_expires_at=until, state=ItemState.IN_REVIEW)
    c = client_for("moderator")
    html = c.get(f"/granskning/inlagg/{item.pk}/").content.decode()
    assert "Hanteras av" in html
    r = c.post(f"/granskning/inlagg/{item.pk}/reservera/", HTTP_HX_REQUEST="true")
    assert "Inlägget hanteras av" in r.content.decode()


def test_item_claim_post_claims_for_me(client_for, channel, users):
    item = flagged(channel)
    r = client_for("moderator").post(f"/granskning/inlagg/{item.pk}/reservera/")
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.claimed_by == users["moderator"] and item.state == ItemState.IN_REVIEW


def test_decide_remove_without_note_is_refused_with_message(client_for, channel):
    item = flagged(channel)
    r = client_for("moderator").post(f"/granskning/inlagg/{item.pk}/beslut/",
                                     {"action": "remove", "version": item.version, "rules": []})
    assert r.status_code == 400, r.content
    assert "motivering" in r.content.decode()
    assert not item.decisions.exists()


def test_decide_remove_with_note_records_decision_and_returns_to_queue(client_for, channel):
    item = flagged(channel)
    rule = Rule.objects.get(code="profanity")
    r = client_for("moderator").post(f"/granskning/inlagg/{item.pk}/beslut/", {
        "action": "remove", "version": item.version, "rules": [rule.pk], "note": "Svordomar."})
    assert r.status_code == 302, r.content
    decision = item.decisions.get()
    assert decision.action == DecisionAction.REMOVE and decision.note == "Svordomar."
    assert list(decision.decision_rules.values_list("rule__code", flat=True)) == ["profanity"]


def test_decide_on_stale_version_shows_conflict_not_500(client_for, channel):
    item = flagged(channel)
    stale = item.version
    Item.objects.filter(pk=item.pk).update(version=stale + 1, text="Redigerad text")
    r = client_for("moderator").post(f"/granskning/inlagg/{item.pk}/beslut/",
                                     {"action": "keep", "version": stale})
    assert r.status_code == 409, r.content
    assert not item.decisions.exists()
    assert any(m.level_tag == "error" for m in r.context["messages"])


def test_decide_as_auditor_is_forbidden(client_for, channel):
    item = flagged(channel)
    r = client_for("auditor").post(f"/granskning/inlagg/{item.pk}/beslut/", {"action": "keep"})
    assert r.status_code == 403


def test_decision_reverse_creates_new_decision(client_for, channel, users):
    item = flagged(channel)
    c = client_for("moderator")
    c.post(f"/granskning/inlagg/{item.pk}/beslut/", {"action": "hide", "version": item.version, "note": "x"})
    decision = item.decisions.get()
    r = c.post(f"/granskning/beslut/{decision.pk}/angra/", {"note": "Misstag."})
    assert r.status_code == 302
    assert item.decisions.filter(reverses=decision).exists()


# --- secrecy ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["moderator", "auditor", "administrator"])
def test_secret_item_is_masked_for_roles_without_secret_permission(client_for, channel, role):
    item = ItemFactory(channel=channel, secret=True)
    r = client_for(role).get(f"/granskning/inlagg/{item.pk}/")
    html = r.content.decode()
    assert r.status_code == 200
    assert "[Sekretess]" in html and "diagnos" not in html
    assert not AuditEvent.objects.filter(action=AuditAction.SECRET_VIEWED).exists()
    queue_html = client_for(role).get("/granskning/", {"tab": "new"}).content.decode()
    assert "diagnos" not in queue_html


def test_secret_item_is_shown_to_registrar_and_every_view_audited(client_for, channel, users):
    item = ItemFactory(channel=channel, secret=True)
    c = client_for("registrar")
    for _ in range(2):
        html = c.get(f"/granskning/inlagg/{item.pk}/").content.decode()
        assert "diagnos" in html
    events = AuditEvent.objects.filter(action=AuditAction.SECRET_VIEWED, target_id=str(item.pk))
    assert events.count() == 2
    assert events.first().actor == users["registrar"]
    assert "diagnos" not in str(events.first().detail)


# --- authors ------------------------------------------------------------------------------------


def test_author_page_warn_with_strike_and_notes(client_for, channel):
    author = AuthorFactory(channel=channel)
    flagged(channel, author=author)
    c = client_for("moderator")
    assert c.get(f"/granskning/konto/{author.pk}/").status_code == 200
    c.post(f"/granskning/konto/{author.pk}/warn/", {"reason": "Upprepade svordomar", "strike": "on"})
    assert Sanction.objects.filter(author=author, kind=SanctionKind.STRIKE).count() == 1
    c.post(f"/granskning/konto/{author.pk}/notes/", {"staff_notes": "Känd skribent."})
    author.refresh_from_db()
    assert author.staff_notes == "Känd skribent."


def test_author_block_proposal_confirm_and_unblock(client_for, channel):
    author = AuthorFactory(channel=channel)
    c = client_for("moderator")
    c.post(f"/granskning/konto/{author.pk}/block/", {"reason": "Hot mot personal"})
    proposal = Sanction.objects.get(author=author, kind=SanctionKind.BLOCK, proposed=True)
    html = c.get(f"/granskning/konto/{author.pk}/").content.decode()
    assert "Bekräfta blockering" in html
    c.post(f"/granskning/atgard/{proposal.pk}/bekrafta/")
    author.refresh_from_db()
    assert author.is_blocked
    c.post(f"/granskning/konto/{author.pk}/unblock/", {"reason": "Ursäkt mottagen"})
    author.refresh_from_db()
    assert not author.is_blocked


def test_author_of_other_unit_is_404(client, channel, moderator2):
    author = AuthorFactory(channel=channel)
    client.force_login(moderator2)
    assert client.get(f"/granskning/konto/{author.pk}/").status_code == 404


def test_item_page_shows_strikes_and_block_proposal(client_for, channel, users):
    author = AuthorFactory(channel=channel)
    item = flagged(channel, author=author)
    Sanction.objects.create(author=author, channel=channel, kind=SanctionKind.BLOCK, proposed=True,
                            reason="Tre prickar", counts_as_strike=False)
    html = client_for("moderator").get(f"/granskning/inlagg/{item.pk}/").content.decode()
    assert "Förslag: blockera kontot" in html and "Bekräfta blockering" in html
    assert "prick" in html


# --- reports and police ------------------------------------------------------------------------


def test_reports_staff_entry_and_triage(client_for, channel):
    c = client_for("moderator")
    r = c.post("/granskning/anmalningar/", {"via": "email", "text": "Någon skrev något elakt på er sida",
                                            "url": ""})
    assert r.status_code == 302, r.content
    report = PublicReport.objects.get()
    assert report.via == "email" and report.status == ReportStatus.NEW
    item = flagged(channel)
    c.post(f"/granskning/anmalningar/{report.pk}/hantera/", {"decision": "match", "item": item.pk})
    report.refresh_from_db()
    assert report.item_id == item.pk
    assert item.flags.filter(source=FlagSource.REPORT).exists()
    other = PublicReportFactory(channel=None)
    c.post(f"/granskning/anmalningar/{other.pk}/hantera/", {"decision": "dismiss"})
    other.refresh_from_db()
    assert other.status == ReportStatus.DISMISSED


def test_police_report_from_threat_item(client_for, channel):
    threat = RuleFactory(code="threat")
    item = ItemFactory(channel=channel, text="Jag ska döda dig", priority=Priority.URGENT)
    FlagFactory(item=item, rule=threat, spans=[])
    c = client_for("moderator")
    html = c.get(f"/granskning/inlagg/{item.pk}/").content.decode()
    assert "Föreslagen polisanmälan" in html
    r = c.post("/granskning/polisanmalningar/ny/", {"item": item.pk, "note": "Hot mot handläggare."})
    assert r.status_code == 302, r.content
    report = PoliceReport.objects.get()
    assert list(report.items.all()) == [item]
    r = c.post(f"/granskning/polisanmalningar/{report.pk}/",
               {"status": "submitted", "police_reference": "5000-K1234-26"})
    report.refresh_from_db()
    assert report.status == "submitted" and report.police_reference == "5000-K1234-26" and report.reported_at
    assert "5000-K1234-26" in c.get("/granskning/polisanmalningar/").content.decode()


# --- configuration -----------------------------------------------------------------------------


def test_rule_edit_makes_a_new_version(client_for):
    rule = Rule.objects.get(code="profanity")
    before = rule.version
    data = {f: getattr(rule, f) for f in ("title_sv", "title_en", "description_sv", "description_en", "consequence",
                                          "severity", "order")}
    data.update(title_sv="Svordomar och obscena ord", valid_from=rule.valid_from.strftime("%Y-%m-%dT%H:%M"),
                active="on", published="on", is_violation="on")
    r = client_for("administrator").post(f"/konfiguration/regler/{rule.pk}/", data)
    assert r.status_code == 302, r.content
    rule.refresh_from_db()
    assert rule.version == before + 1 and rule.title_sv == "Svordomar och obscena ord"


def test_admin_adds_word_to_detector_and_matching_items_are_flagged(client_for, channel,
                                                                     django_capture_on_commit_callbacks):
    detector = DetectorFactory(terms="fan", name="Svordomar")
    text = "Vilken bajskorv till politiker"
    item = ItemFactory(channel=channel, text=text, search_text=text.casefold(), state=ItemState.NEW)
    data = {"name": detector.name, "kind": detector.kind, "rule": detector.rule_id, "action": detector.action,
            "terms": "fan\nbajskorv", "allow": "", "threshold": 5, "window_minutes": 10, "active": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        r = client_for("administrator").post(f"/konfiguration/detektorer/{detector.pk}/", data)
    assert r.status_code == 302, r.content
    assert Detector.objects.get(pk=detector.pk).terms.endswith("bajskorv")
    flag = item.flags.get(detector=detector)
    assert flag.spans and "bajskorv" in item.text[flag.spans[0]["start"]:flag.spans[0]["end"]]
    html = client_for("moderator").get("/granskning/").content.decode()
    assert '<mark class="hit">bajskorv</mark>' in html


def test_config_pages_render_for_administrator(client_for, channel):
    c = client_for("administrator")
    DetectorFactory()
    for url in ("/konfiguration/regler/", "/konfiguration/detektorer/", "/konfiguration/detektorer/ny/",
                "/konfiguration/svarsmallar/", "/konfiguration/svarsmallar/ny/", "/konfiguration/kanaler/",
                "/konfiguration/regler/ny/"):
        r = c.get(url)
        assert r.status_code == 200, (url, r.status_code)


def test_reply_template_create(client_for):
    r = client_for("administrator").post("/konfiguration/svarsmallar/ny/", {
        "name": "Politisk debatt", "purpose": "political_debate", "text_sv": "Vänd dig till partierna.",
        "active": "on"})
    assert r.status_code == 302, r.content


# --- dashboard and navigation -----------------------------------------------------------------


def test_dashboard_shows_queue_panel_and_svg_charts_for_moderator(client_for, channel, users):
    item = flagged(channel, received_at=timezone.now() - dt.timedelta(hours=2))
    Decision.objects.create(item=item, action=DecisionAction.REMOVE, actor=users["moderator"], note="x",
                            time_to_decision=dt.timedelta(minutes=30))
    html = client_for("moderator").get("/").content.decode()
    assert "Granskningskön" in html
    assert "<svg" in html and "<title" in html and "<desc" in html
    assert "Visa siffrorna som tabell" in html


def test_navigation_links_for_moderator_and_admin(client_for):
    html = client_for("moderator").get("/").content.decode()
    assert 'href="/granskning/"' in html and 'href="/granskning/polisanmalningar/"' in html
    assert 'href="/konfiguration/detektorer/"' not in html
    html = client_for("administrator").get("/").content.decode()
    assert 'href="/konfiguration/detektorer/"' in html

"""Moderation services: ingest, screening, claims, decisions, sanctions, reports, stats."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from accounts.errors import Conflict, DomainError, NotPermitted
from moderation.models import (
    Decision,
    DetectorAction,
    DetectorKind,
    Flag,
    FlagSource,
    Item,
    ItemState,
    Platform,
    PlatformAction,
    Priority,
    PublicReport,
    ReportStatus,
    Sanction,
    SanctionKind,
)
from moderation.platforms.services import platform_action_enqueue
from moderation.queue.services.claims import item_claim, item_release
from moderation.queue.services.decisions import decision_reverse, item_decide, items_decide_bulk
from moderation.queue.services.ingest import item_ingest, items_ingest_bulk
from moderation.queue.services.sanctions import (
    author_unblock,
    block_confirm,
    police_report_create,
    police_report_update,
    sanction_warn,
    strikes_count,
)
from moderation.queue.stats import time_to_removal_stats
from moderation.reports.services import ip_hash_for, public_report_rate_limited, public_report_submit
from moderation.screening.services import detectors_rescreen, screener_cache_clear
from tests.factories_moderation import ChannelFactory, DetectorFactory, ItemFactory, ReplyTemplateFactory, RuleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_screener():
    screener_cache_clear()
    yield
    screener_cache_clear()


@pytest.fixture
def channel(unit):
    return ChannelFactory(slug="exempelstad-facebook", unit=unit, platform=Platform.FACEBOOK)


@pytest.fixture
def moderator(make_user):
    return make_user("moderator")


@pytest.fixture
def colleague(make_user):
    return make_user("moderator", username="kollega")


@pytest.fixture
def profanity(channel):
    return DetectorFactory(name="Svordomar", kind=DetectorKind.WORDS, rule=RuleFactory(code="profanity"),
                           terms="jävl*\nhora\nfan", allow="Fittja\nKukkola")


def ingest(channel, ext, text, **kw):
    kw.setdefault("kind", "comment")
    kw.setdefault("direction", "incoming")
    kw.setdefault("author_external_id", "a1")
    kw.setdefault("author_name", "Kalle Kommentar")
    return item_ingest(channel=channel, external_id=ext, text=text, **kw)


# --- ingest and screening -------------------------------------------------------------------------


def test_item_ingest_new_item_stores_version_and_flags_with_explanation(channel, profanity):
    item, outcome = ingest(channel, "c1", "Din j-vla h.o.r.a")
    assert outcome == "created"
    assert item.versions.get().number == 1
    flag = item.flags.get()
    assert flag.detector == profanity and flag.rule.code == "profanity"
    assert "Svordomar" in flag.detail and "profanity" not in flag.detail
    assert len(flag.spans) == 2 and {"start", "end", "term"} <= set(flag.spans[0])
    item.refresh_from_db()
    assert item.priority == Priority.FLAGGED and item.flag_count == 1 and item.author.display_name == "Kalle Kommentar"


def test_item_ingest_place_names_not_flagged(channel, profanity):
    item, _ = ingest(channel, "c1", "Bussen från Fittja till Kukkola går varje timme.")
    assert item.flags.count() == 0


def test_item_ingest_same_again_unchanged(channel, profanity):
    ingest(channel, "c1", "Hej")
    item, outcome = ingest(channel, "c1", "Hej")
    assert outcome == "unchanged" and item.versions.count() == 1


def test_item_ingest_edit_adds_version_keeps_original_and_reopens_kept(channel, moderator, profanity):
    item, _ = ingest(channel, "c1", "Bra initiativ!")
    item_decide(item=item, action="keep", actor=moderator, mark_harmless=True)
    item, outcome = ingest(channel, "c1", "Bra initiativ, jävla idioter")
    assert outcome == "updated"
    assert [v.text for v in item.versions.order_by("number")] == ["Bra initiativ!", "Bra initiativ, jävla idioter"]
    item.refresh_from_db()
    assert item.state == ItemState.REOPENED and not item.harmless
    assert item.flags.filter(resolved_at__isnull=True).count() == 1


def test_item_ingest_child_before_parent_linked_when_parent_arrives(channel):
    child, _ = ingest(channel, "reply-1", "Håller med", kind="reply", parent_external_id="post-1")
    assert child.parent_id is None
    parent, _ = ingest(channel, "post-1", "Kommunens inlägg", kind="post", direction="outgoing",
                       author_external_id=None)
    child.refresh_from_db()
    assert child.parent_id == parent.pk and child.root_post_id == parent.pk
    grandchild, _ = ingest(channel, "reply-2", "Jag med", kind="reply", parent_external_id="reply-1")
    assert grandchild.parent_id == child.pk and grandchild.root_post_id == parent.pk


def test_item_ingest_outgoing_without_flags_needs_no_review(channel, profanity):
    item, _ = ingest(channel, "p1", "Välkommen till biblioteket!", kind="post", direction="outgoing",
                     author_external_id=None)
    assert item.state == ItemState.DECIDED


def test_hold_detector_holds_item_and_queues_hide(channel):
    DetectorFactory(name="Personnummer", kind=DetectorKind.IDENTITY_NUMBER, rule=RuleFactory(code="gdpr"),
                    action=DetectorAction.HOLD, terms="")
    item, _ = ingest(channel, "c1", "Min granne har personnummer 811218-9876, ring honom")
    item.refresh_from_db()
    assert item.state == ItemState.HELD and item.priority == Priority.URGENT
    assert PlatformAction.objects.filter(item=item, kind="hide").count() == 1
    assert "811218" not in item.flags.get().detail


def test_repeat_detector_flags_the_fifth_item_in_ten_minutes(channel):
    DetectorFactory(name="Upprepning", kind=DetectorKind.REPEAT, rule=RuleFactory(code="irrelevant"), terms="",
                    threshold=5, window_minutes=10)
    t0 = timezone.now()
    items = [ingest(channel, f"r{n}", f"Köp min bok nummer {n}", created_at=t0 + dt.timedelta(minutes=n))[0]
             for n in range(5)]
    assert [i.flags.count() for i in items] == [0, 0, 0, 0, 1]
    assert "5 inlägg inom 10 minuter" in items[-1].flags.get().detail


def test_items_ingest_bulk_creates_links_screens_and_is_idempotent(channel, profanity):
    rows = [
        {"external_id": "p1", "kind": "post", "direction": "outgoing", "text": "Nytt badhus"},
        {"external_id": "c1", "kind": "comment", "direction": "incoming", "text": "Jävla slöseri",
         "author_external_id": "a1", "author_name": "A", "parent_external_id": "p1"},
        {"external_id": "c2", "kind": "reply", "direction": "incoming", "text": "Håller med",
         "author_external_id": "a2", "author_name": "B", "parent_external_id": "c1"},
        {"external_id": "c3", "kind": "comment", "direction": "incoming", "text": "Väntar på min förälder",
         "author_external_id": "a2", "author_name": "B", "parent_external_id": "p-later"},
    ]
    s = items_ingest_bulk(channel=channel, rows=rows)
    assert (s.created, s.flags) == (4, 1)
    c2 = Item.objects.get(external_id="c2")
    assert c2.parent.external_id == "c1" and c2.root_post.external_id == "p1"
    assert Item.objects.get(external_id="c1").history.count() == 1
    assert Item.objects.get(external_id="p1").state == ItemState.DECIDED
    s2 = items_ingest_bulk(channel=channel, rows=rows)
    assert (s2.created, s2.updated, s2.unchanged) == (0, 0, 4)
    items_ingest_bulk(channel=channel, rows=[{"external_id": "p-later", "kind": "post", "direction": "outgoing",
                                              "text": "Senare"}])
    assert Item.objects.get(external_id="c3").parent.external_id == "p-later"


def test_rescreen_after_adding_a_word_flags_matching_items(channel, profanity, moderator):
    open_item, _ = ingest(channel, "c1", "Vilken bajskorv du är")
    kept, _ = ingest(channel, "c2", "Bajskorv till politiker")
    item_decide(item=kept, action="keep", actor=moderator)
    clean, _ = ingest(channel, "c3", "Tack för informationen")
    assert not open_item.flags.exists()
    profanity.terms += "\nbajskorv"
    profanity.save()
    run = detectors_rescreen(actor=moderator)
    assert run.flags_created == 2 and run.finished_at is not None
    kept.refresh_from_db()
    assert kept.state == ItemState.REOPENED
    assert open_item.flags.get().matched_terms == ["bajskorv"]
    assert not clean.flags.exists()
    assert detectors_rescreen(actor=moderator).flags_created == 0  # nothing twice


# --- claims -----------------------------------------------------------------------------------------


def test_item_claim_moves_new_to_in_review(channel, moderator):
    item = ItemFactory(channel=channel)
    item_claim(item=item, actor=moderator)
    item.refresh_from_db()
    assert item.state == ItemState.IN_REVIEW and item.claimed_by == moderator


def test_item_claim_held_by_other_refused_with_name_and_time(channel, moderator, colleague):
    item = ItemFactory(channel=channel)
    item_claim(item=item, actor=colleague)
    with pytest.raises(Conflict, match=r"hanteras av .* till \d\d:\d\d"):
        item_claim(item=item, actor=moderator)


def test_item_claim_stale_claim_lapses(channel, moderator, colleague):
    item = ItemFactory(channel=channel, claimed_by=colleague,
                       claim_expires_at=timezone.now() - dt.timedelta(minutes=1))
    item_claim(item=item, actor=moderator)
    item.refresh_from_db()
    assert item.claimed_by == moderator


def test_item_release_by_other_refused_by_holder_ok(channel, moderator, colleague):
    item = ItemFactory(channel=channel)
    item_claim(item=item, actor=moderator)
    with pytest.raises(Conflict):
        item_release(item=item, actor=colleague)
    item_release(item=item, actor=moderator)
    item.refresh_from_db()
    assert item.claimed_by is None and item.state == ItemState.NEW


def test_item_claim_other_unit_not_permitted(other_unit, moderator):
    item = ItemFactory(channel=ChannelFactory(unit=other_unit))
    with pytest.raises(NotPermitted):
        item_claim(item=item, actor=moderator)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_item_claim_race_two_connections_one_wins(unit, make_user):
    if connection.vendor != "postgresql":
        import os

        if os.environ.get("UPPSIKT_REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL krävs")
        pytest.skip("needs PostgreSQL")
    a, b = make_user("moderator", username="a"), make_user("moderator", username="b")
    item = ItemFactory(channel=ChannelFactory(unit=unit))
    barrier = threading.Barrier(2)
    results = {}

    def run(user):
        from django.db import connections

        try:
            barrier.wait()
            item_claim(item=Item.objects.get(pk=item.pk), actor=user)
            results[user.username] = "won"
        except Conflict:
            results[user.username] = "lost"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(u,)) for u in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results.values()) == ["lost", "won"]


# --- decisions --------------------------------------------------------------------------------------


def test_item_decide_stale_version_refused(channel, moderator):
    item = ItemFactory(channel=channel)
    with pytest.raises(Conflict, match="har ändrats sedan du öppnade"):
        item_decide(item=item, action="keep", actor=moderator, expected_version=item.version - 1 or 99)


def test_item_decide_remove_without_note_refused(channel, moderator):
    item = ItemFactory(channel=channel)
    with pytest.raises(DomainError, match="motivering"):
        item_decide(item=item, action="remove", actor=moderator, rules=["hate"])
    with pytest.raises(DomainError, match="motivering"):
        item_decide(item=item, action="escalate", actor=moderator)


def test_item_decide_claimed_by_other_refused(channel, moderator, colleague):
    item = ItemFactory(channel=channel)
    item_claim(item=item, actor=colleague)
    with pytest.raises(Conflict, match="hanteras av"):
        item_decide(item=item, action="keep", actor=moderator)


def test_item_decide_remove_stores_deletes_strikes_and_proposes(channel, moderator):
    from records.models import RegistrationProposal

    item, _ = ingest(channel, "c1", "Ni är alla idioter")
    FlagFactory_open = Flag.objects.create(item=item, source=FlagSource.STAFF, detail="Personalen flaggade.")
    item_claim(item=item, actor=moderator)
    item.refresh_from_db()
    decision = item_decide(item=item, action="remove", actor=moderator, rules=["hate"], note="Hets",
                           expected_version=item.version)
    item.refresh_from_db()
    assert item.state == ItemState.DECIDED and item.first_removed_at and item.claimed_by is None
    assert item.versions.exists()
    assert PlatformAction.objects.filter(decision=decision, kind="delete").count() == 1
    assert decision.decision_rules.get().rule_title_sv.startswith("hets")
    assert Sanction.objects.filter(author=item.author, kind=SanctionKind.STRIKE, decision=decision).exists()
    FlagFactory_open.refresh_from_db()
    assert FlagFactory_open.resolved_by_decision == decision
    prop = RegistrationProposal.objects.get(source_type="moderation.item", source_id=str(item.pk))
    assert prop.reason == "removed_inappropriate" and not prop.secret
    assert decision.time_to_decision is not None


def test_item_decide_confidential_marks_secret_and_proposes_secret(channel, moderator):
    from records.models import RegistrationProposal

    item, _ = ingest(channel, "c1", "Min sons diagnos från skolläkaren är …")
    decision = item_decide(item=item, action="remove", actor=moderator, rules=["confidential"], note="Sekretess")
    item.refresh_from_db()
    assert item.secret
    assert PlatformAction.objects.filter(decision=decision, kind="delete").exists()
    prop = RegistrationProposal.objects.get(source_id=str(item.pk))
    assert prop.reason == "confidential" and prop.secret
    with pytest.raises(DomainError):
        item_decide(item=ItemFactory(channel=channel), action="keep", actor=moderator, confidential=True)


def test_item_decide_hide_reply_refer_queue_platform_actions(channel, moderator):
    from records.models import RegistrationProposal

    ReplyTemplateFactory(name="Enskilt", purpose="individual_matter",
                         text_sv="Kontakta oss via e-tjänsten eller växeln 0123-45 67 00.")
    ReplyTemplateFactory(name="Politik", purpose="political_debate", text_sv="Vänd dig till partierna.")
    a, b, c, d = (ItemFactory(channel=channel) for _ in range(4))
    item_decide(item=a, action="hide", actor=moderator, rules=["profanity"])
    item_decide(item=b, action="reply", actor=moderator, reply_text="Badhuset öppnar 1 april.")
    item_decide(item=c, action="refer", actor=moderator, rules=["political_debate"])
    item_decide(item=d, action="refer", actor=moderator, refer_target="individual_matter")
    assert PlatformAction.objects.get(item=a).kind == "hide"
    assert PlatformAction.objects.get(item=b).payload["message"] == "Badhuset öppnar 1 april."
    assert "partierna" in PlatformAction.objects.get(item=c).payload["message"]
    assert "e-tjänsten" in PlatformAction.objects.get(item=d).payload["message"]
    assert RegistrationProposal.objects.get(source_id=str(d.pk)).reason == "individual_matter"
    assert not RegistrationProposal.objects.filter(source_id=str(c.pk)).exists()


def test_item_decide_hide_on_linkedin_refused(unit, moderator):
    item = ItemFactory(channel=ChannelFactory(unit=unit, platform=Platform.LINKEDIN))
    with pytest.raises(DomainError, match="LinkedIn"):
        item_decide(item=item, action="hide", actor=moderator)
    assert not Decision.objects.filter(item=item).exists()


def test_item_decide_threat_suggests_police_report(channel, moderator):
    decision = item_decide(item=ItemFactory(channel=channel), action="remove", actor=moderator, rules=["threat"],
                           note="Hot mot handläggare")
    assert decision.suggests_police_report


def test_item_decide_escalate_to_registrar_keeps_flags_open(channel, moderator):
    item = ItemFactory(channel=channel)
    Flag.objects.create(item=item, source=FlagSource.STAFF, detail="Oklart")
    decision = item_decide(item=item, action="escalate", actor=moderator, note="Är detta sekretess?")
    item.refresh_from_db()
    assert item.state == ItemState.ESCALATED and decision.escalate_to_role == "registrar"
    assert item.flags.filter(resolved_at__isnull=True).count() == 1


def test_item_decide_decided_item_refused(channel, moderator):
    item = ItemFactory(channel=channel)
    item_decide(item=item, action="keep", actor=moderator)
    with pytest.raises(DomainError, match="redan beslutat"):
        item_decide(item=item, action="remove", actor=moderator, note="x")


def test_decision_reverse_is_new_decision_and_lifts_strike(channel, moderator):
    item, _ = ingest(channel, "c1", "Fel borttagen")
    removal = item_decide(item=item, action="remove", actor=moderator, rules=["profanity"], note="Svordom")
    assert strikes_count(author=item.author, channel=channel) == 1
    reversal = decision_reverse(decision=removal, actor=moderator, note="Misstag")
    assert reversal.pk != removal.pk and reversal.reverses == removal and reversal.action == "restore"
    assert "kan inte återställas" in reversal.platform_message
    assert strikes_count(author=item.author, channel=channel) == 0
    with pytest.raises(Conflict):
        decision_reverse(decision=removal, actor=moderator, note="Igen")


def test_decision_reverse_hide_queues_unhide(channel, moderator):
    item = ItemFactory(channel=channel)
    hide = item_decide(item=item, action="hide", actor=moderator)
    reversal = decision_reverse(decision=hide, actor=moderator, note="Ofarligt")
    assert reversal.action == "unhide"
    assert PlatformAction.objects.filter(decision=reversal, kind="unhide").exists()


def test_items_decide_bulk_reports_done_and_refused(channel, moderator, colleague):
    a, b, c = (ItemFactory(channel=channel) for _ in range(3))
    item_claim(item=c, actor=colleague)
    result = items_decide_bulk(items=[a, b, c], action="keep", actor=moderator)
    assert [d["id"] for d in result["done"]] == [a.pk, b.pk]
    assert result["refused"][0]["id"] == c.pk and "hanteras av" in result["refused"][0]["reason"]


def test_items_decide_bulk_remove_without_rules_uses_flag_rules_and_strikes(channel, profanity, moderator):
    item, _ = ingest(channel, "c1", "Din j-vla h.o.r.a")
    result = items_decide_bulk(items=[item], action="remove", actor=moderator, note="Svordom")
    decision = Decision.objects.get(pk=result["done"][0]["decision"])
    assert [r.rule.code for r in decision.decision_rules.all()] == ["profanity"]
    assert strikes_count(author=item.author, channel=channel) == 1


# --- sanctions --------------------------------------------------------------------------------------


def test_strikes_reach_threshold_propose_block_confirm_and_unblock(channel, moderator):
    items = [ingest(channel, f"c{n}", f"Skit {n}", author_external_id="troll")[0] for n in range(3)]
    for n, item in enumerate(items):
        item_decide(item=item, action="remove", actor=moderator, rules=["profanity"], note=f"Svordom {n}")
    author = items[0].author
    assert strikes_count(author=author, channel=channel) == 3
    proposal = Sanction.objects.proposals().get(author=author, kind=SanctionKind.BLOCK)
    confirmed = block_confirm(sanction=proposal, actor=moderator)
    author.refresh_from_db()
    assert author.is_blocked and confirmed.confirmed_by == moderator
    assert PlatformAction.objects.filter(sanction=confirmed, kind="block").exists()
    with pytest.raises(DomainError):
        author_unblock(author=author, channel=channel, actor=moderator, reason="")
    unblock = author_unblock(author=author, channel=channel, actor=moderator, reason="Överenskommelse")
    author.refresh_from_db()
    assert not author.is_blocked and unblock.kind == SanctionKind.UNBLOCK
    assert PlatformAction.objects.filter(sanction=unblock, kind="unblock").exists()


def test_sanction_warn_without_strike_does_not_count(channel, moderator):
    item, _ = ingest(channel, "c1", "Hmm")
    sanction_warn(author=item.author, channel=channel, actor=moderator, item=item, reason="Håll god ton")
    assert strikes_count(author=item.author, channel=channel) == 0
    sanction_warn(author=item.author, channel=channel, actor=moderator, item=item, reason="Igen", strike=True)
    assert strikes_count(author=item.author, channel=channel) == 1


def test_police_report_register(channel, moderator):
    item, _ = ingest(channel, "c1", "Jag ska döda dig")
    report = police_report_create(items=[item], author=item.author, actor=moderator, note="Hot")
    report = police_report_update(report=report, status="submitted", police_reference="5000-K123-26",
                                  actor=moderator)
    assert report.reported_at == timezone.localdate() and report.items.get() == item
    assert Sanction.objects.filter(police_report=report, kind=SanctionKind.POLICE_REPORT).exists()


# --- public reports ---------------------------------------------------------------------------------


def test_public_report_matches_by_url_flags_and_requeues_kept(channel, moderator):
    item, _ = ingest(channel, "100000000000001_555", "Någon är dum",
                     url="https://www.facebook.com/exempelstad/posts/1?comment_id=555")
    item_decide(item=item, action="keep", actor=moderator)
    report = public_report_submit(text="", url="https://www.facebook.com/100000000000001_555", rule=None,
                                  via="form", ip="192.0.2.1")
    item.refresh_from_db()
    assert report.status == ReportStatus.MATCHED and report.item == item
    assert item.state == ItemState.REOPENED and item.report_count == 1 and item.priority == Priority.REPORTED
    assert report.ip_hash == ip_hash_for("192.0.2.1") and "192.0.2.1" not in report.ip_hash
    assert item.flags.get(source=FlagSource.REPORT).detail.startswith("Anmälan")


def test_public_report_harmless_item_not_requeued(channel, moderator):
    item, _ = ingest(channel, "c1", "Kommunen borde sänka skatten nu")
    item_decide(item=item, action="keep", actor=moderator, mark_harmless=True)
    public_report_submit(text="Kommunen borde sänka skatten nu", via="email", actor=moderator)
    item.refresh_from_db()
    assert item.state == ItemState.DECIDED and item.report_count == 1


def test_public_report_no_match_waits_for_triage_and_rate_limit(channel):
    for _ in range(5):
        report = public_report_submit(text="Något jag såg på Instagram igår", via="form", ip="198.51.100.7")
    assert report.status == ReportStatus.NEW and report.item is None
    assert public_report_rate_limited(ip_hash=ip_hash_for("198.51.100.7"))
    assert not public_report_rate_limited(ip_hash=ip_hash_for("198.51.100.8"))
    assert PublicReport.objects.count() == 5


# --- platform and stats -----------------------------------------------------------------------------


def test_platform_action_enqueue_refuses_unsupported(unit):
    yt = ChannelFactory(unit=unit, platform=Platform.YOUTUBE)
    with pytest.raises(DomainError, match="YouTube"):
        platform_action_enqueue(channel=yt, kind="reply", payload={"message": "x"})
    action = platform_action_enqueue(channel=yt, kind="delete", item=ItemFactory(channel=yt))
    assert action.status == "pending" and action.payload["target_id"]


def test_time_to_removal_stats_per_channel_week(channel, moderator):
    item, _ = ingest(channel, "c1", "Bort")
    Item.objects.filter(pk=item.pk).update(received_at=timezone.now() - dt.timedelta(minutes=30))
    item.refresh_from_db()
    item_decide(item=item, action="remove", actor=moderator, rules=["profanity"], note="x")
    PlatformAction.objects.filter(item=item).update(status="done", finished_at=timezone.now())
    [row] = time_to_removal_stats(channels=[channel])
    assert row["channel"] == channel.slug and row["n"] == 1
    assert 1700 < row["median_decision"] < 1900 and row["median_platform"] >= row["median_decision"]


# --- demo -------------------------------------------------------------------------------------------


def test_seed_demo_moderation_hits_every_rule_and_is_idempotent(monkeypatch):
    import io

    from django.core.management import call_command

    from moderation.models import Rule

    monkeypatch.setenv("UPPSIKT_DEMO_PASSWORD", "Demo-losenord-2026")
    call_command("seed_demo", stdout=io.StringIO())
    assert Item.objects.count() >= 200
    flagged_rules = set(Flag.objects.values_list("rule__code", flat=True))
    for code in Rule.objects.filter(is_violation=True).exclude(code="confidential").values_list("code", flat=True):
        assert code in flagged_rules, code
    assert Item.objects.filter(state=ItemState.HELD).exists()
    assert Sanction.objects.filter(kind=SanctionKind.STRIKE).count() == 2
    counts = (Item.objects.count(), Flag.objects.count(), Decision.objects.count(), PublicReport.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Item.objects.count(), Flag.objects.count(), Decision.objects.count(),
            PublicReport.objects.count()) == counts

"""Issue 13.2–13.4 through the URLs: claims only on "Ta" or a decision, rules only suggested,
serious flags need a note to keep, template replies read before they are sent, suspensions,
pre-moderation, warnings, block confirmation with history, the author across channels and the
author filter, the live queue poll, in-place keyboard decisions and undo."""

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from moderation.models import (
    Decision,
    DecisionAction,
    Item,
    ItemState,
    PlatformAction,
    Priority,
    Sanction,
    SanctionKind,
)
from moderation.queue.services.ingest import item_ingest, items_ingest_bulk
from tests.factories import (
    AuthorFactory,
    ChannelFactory,
    FlagFactory,
    ItemFactory,
    ReplyTemplateFactory,
    RuleFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel(unit):
    return ChannelFactory(slug="exempelstad-facebook", name="Exempelstad på Facebook", unit=unit)


def threat_item(channel, **kwargs):
    item = ItemFactory(channel=channel, text="Jag ska komma hem till dig", priority=Priority.URGENT, flag_count=1,
                       **kwargs)
    FlagFactory(item=item, rule=RuleFactory(code="threat"), detail="Hotfulla ord.")
    return item


# --- claims ---------------------------------------------------------------------------------------


def test_item_detail_opening_does_not_claim(client_for, channel):
    item = ItemFactory(channel=channel)
    r = client_for("moderator").get(f"/granskning/inlagg/{item.pk}/")
    assert r.status_code == 200, r.content
    item.refresh_from_db()
    assert item.claimed_by_id is None and item.state == ItemState.NEW
    assert 'hx-trigger="load"' not in r.content.decode()
    assert ">Ta</button>" in r.content.decode()


def test_item_claim_press_ta_claims_and_row_shows_holder_and_minutes(client_for, users, channel):
    item = ItemFactory(channel=channel)
    users["moderator"].first_name, users["moderator"].last_name = "Anna", "Berg"
    users["moderator"].save()
    r = client_for("moderator").post(f"/granskning/inlagg/{item.pk}/reservera/")
    assert r.status_code == 302, r.content
    item.refresh_from_db()
    assert item.claimed_by_id == users["moderator"].pk
    html = client_for("administrator").get("/granskning/?tab=in_review").content.decode()
    assert "Anna Berg granskar, 15 min kvar" in html


# --- decision form: rules and serious flags ----------------------------------------------------------


def test_item_detail_flag_rules_suggested_not_ticked(client_for, channel):
    item = threat_item(channel)
    html = client_for("moderator").get(f"/granskning/inlagg/{item.pk}/").content.decode()
    assert "Förslag från flaggorna" in html
    assert 'name="rules"' in html
    assert "checked" not in html.split('id="suggested-rules"')[1].split("</fieldset>")[0]


def test_item_decide_keep_threat_without_note_refused_in_swedish(client_for, channel):
    item = threat_item(channel)
    r = client_for("moderator").post(f"/granskning/inlagg/{item.pk}/beslut/", {"action": "keep"})
    assert r.status_code == 400, r.content
    assert "flaggat för hot, brott eller personnummer" in r.content.decode()
    item.refresh_from_db()
    assert item.state == ItemState.NEW and not Decision.objects.filter(item=item).exists()


def test_item_decide_keep_threat_with_note_saved(client_for, channel):
    item = threat_item(channel)
    r = client_for("moderator").post(f"/granskning/inlagg/{item.pk}/beslut/",
                                     {"action": "keep", "note": "Citat ur en nyhetsartikel."})
    assert r.status_code == 302, r.content
    assert Decision.objects.get(item=item).action == DecisionAction.KEEP


def test_queue_bulk_keep_threat_without_note_refused_by_service(client_for, channel):
    item = threat_item(channel)
    plain = ItemFactory(channel=channel)
    r = client_for("moderator").post("/granskning/massatgard/", {"items": [item.pk, plain.pk], "action": "keep"},
                                     HTTP_ACCEPT="application/json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert [d["id"] for d in body["done"]] == [plain.pk]
    assert body["refused"][0]["id"] == item.pk and "anteckning" in body["refused"][0]["reason"]


def test_item_decide_keep_identity_number_flag_requires_note(moderator_user_and_item):
    from accounts.errors import DomainError
    from moderation.queue.services.decisions import item_decide

    user, item = moderator_user_and_item
    with pytest.raises(DomainError, match="personnummer"):
        item_decide(item=item, action="keep", actor=user)
    assert item_decide(item=item, action="keep", actor=user, note="Ett påhittat nummer i ett exempel.")


@pytest.fixture
def moderator_user_and_item(users, channel):
    from tests.factories import DetectorFactory

    item = ItemFactory(channel=channel, text="Mitt nummer är 811218-9876")
    detector = DetectorFactory(kind="identity_number", terms="", rule=RuleFactory(code="gdpr"))
    FlagFactory(item=item, rule=detector.rule, detector=detector, detail="Personnummer.")
    return users["moderator"], item


# --- replies -------------------------------------------------------------------------------------------


@override_settings(UPPSIKT_POLITICIANS_URL="https://www.exempelstad.example/politik",
                   UPPSIKT_ESERVICE_URL="https://www.exempelstad.example/e-tjanster")
def test_item_detail_template_text_filled_with_placeholders(client_for, channel):
    author = AuthorFactory(channel=channel, display_name="Lisa Lind")
    item = ItemFactory(channel=channel, author=author)
    ReplyTemplateFactory(name="Hänvisa", text_sv="Hej {namn}! Du skrev på {kanal}. Partierna: {partier} "
                                                 "Synpunkter: {e-tjänst}")
    html = client_for("moderator").get(f"/granskning/inlagg/{item.pk}/").content.decode()
    assert ("Hej Lisa Lind! Du skrev på Exempelstad på Facebook. Partierna: https://www.exempelstad.example/politik"
            " Synpunkter: https://www.exempelstad.example/e-tjanster") in html
    assert "{namn}" not in html


def test_item_decide_template_without_text_shows_reply_first_sends_nothing(client_for, channel):
    author = AuthorFactory(channel=channel, display_name="Lisa Lind")
    item = ItemFactory(channel=channel, author=author)
    template = ReplyTemplateFactory(name="Tack", text_sv="Tack {namn} för din fråga!")
    c = client_for("moderator")
    r = c.post(f"/granskning/inlagg/{item.pk}/beslut/", {"action": "reply", "reply_template": template.pk})
    assert r.status_code == 200, r.content
    html = r.content.decode()
    assert "Tack Lisa Lind för din fråga!</textarea>" in html
    assert "Inget är skickat ännu" in html
    assert not Decision.objects.filter(item=item).exists()
    r = c.post(f"/granskning/inlagg/{item.pk}/beslut/", {"action": "reply", "reply_template": template.pk,
                                                         "reply_text": "Tack Lisa för din fråga!"})
    assert r.status_code == 302, r.content
    assert PlatformAction.objects.get(item=item, kind="reply").payload["message"] == "Tack Lisa för din fråga!"


# --- sanctions -------------------------------------------------------------------------------------------


def test_author_suspend_hides_new_items_until_expiry(client_for, channel):
    author = AuthorFactory(channel=channel, external_id="fb-77")
    r = client_for("moderator").post(f"/granskning/konto/{author.pk}/suspend/", {"days": 3, "reason": "Hot"})
    assert r.status_code == 302, r.content
    s = Sanction.objects.get(author=author, kind=SanctionKind.SUSPENSION)
    assert dt.timedelta(days=2, hours=23) < s.expires_at - timezone.now() <= dt.timedelta(days=3)
    item, _ = item_ingest(channel=channel, external_id="c-1", kind="comment", direction="incoming",
                          text="Badhuset är bra", author_external_id="fb-77")
    item.refresh_from_db()
    assert item.state == ItemState.HELD
    assert "avstängd" in item.flags.get().detail
    assert PlatformAction.objects.filter(item=item, kind="hide").exists()
    # after the suspension has ended, new items are not held
    Sanction.objects.filter(pk=s.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    later, _ = item_ingest(channel=channel, external_id="c-2", kind="comment", direction="incoming",
                           text="Badhuset är bra", author_external_id="fb-77")
    assert later.state == ItemState.NEW


def test_author_premoderate_holds_bulk_imported_items_and_lift_ends_it(client_for, channel):
    author = AuthorFactory(channel=channel, external_id="fb-88")
    c = client_for("moderator")
    assert c.post(f"/granskning/konto/{author.pk}/premoderate/", {"reason": "Upprepade personangrepp"}) \
        .status_code == 302
    items_ingest_bulk(channel=channel, rows=[
        {"external_id": "b-1", "text": "Hej", "author_external_id": "fb-88"},
        {"external_id": "b-2", "text": "Hej", "author_external_id": "someone-else"},
    ])
    assert Item.objects.get(external_id="b-1").state == ItemState.HELD
    assert Item.objects.get(external_id="b-2").state == ItemState.NEW
    assert "förhandsgranskas" in Item.objects.get(external_id="b-1").flags.get().detail
    s = Sanction.objects.get(author=author, kind=SanctionKind.PREMODERATION)
    assert c.post(f"/granskning/konto/{author.pk}/lift/", {"sanction": s.pk, "reason": "Bättring"}).status_code == 302
    item, _ = item_ingest(channel=channel, external_id="c-3", kind="comment", direction="incoming", text="Hej",
                          author_external_id="fb-88")
    assert item.state == ItemState.NEW


def test_author_suspend_without_reason_refused(client_for, channel):
    author = AuthorFactory(channel=channel)
    r = client_for("moderator").post(f"/granskning/konto/{author.pk}/suspend/", {"days": 3, "reason": ""},
                                     follow=True)
    assert r.status_code == 200
    assert not Sanction.objects.filter(author=author).exists()


def test_author_warn_with_message_sent_as_reply_on_facebook(client_for, channel):
    author = AuthorFactory(channel=channel)
    item = ItemFactory(channel=channel, author=author)
    r = client_for("moderator").post(f"/granskning/konto/{author.pk}/warn/",
                                     {"reason": "Svordomar", "message": "Håll god ton, annars stängs du av."},
                                     follow=True)
    assert "meddelandet skickas" in r.content.decode()
    action = PlatformAction.objects.get(item=item, kind="reply")
    assert action.payload["message"] == "Håll god ton, annars stängs du av."
    assert Sanction.objects.get(author=author, kind=SanctionKind.WARNING).reason.startswith("Svordomar")


def test_author_warn_on_youtube_recorded_not_sent(client_for, unit):
    li = ChannelFactory(slug="exempelstad-youtube", platform="youtube", unit=unit)
    author = AuthorFactory(channel=li)
    ItemFactory(channel=li, author=author)
    r = client_for("moderator").post(f"/granskning/konto/{author.pk}/warn/",
                                     {"reason": "Svordomar", "message": "Håll god ton."}, follow=True)
    assert "Plattformen kan inte ta emot meddelandet" in r.content.decode()
    assert not PlatformAction.objects.filter(kind="reply").exists()
    assert "bara registrerad" in Sanction.objects.get(author=author).reason


def test_block_confirm_page_shows_reason_and_history_then_confirms(client_for, channel, users):
    author = AuthorFactory(channel=channel)
    c = client_for("moderator")
    c.post(f"/granskning/konto/{author.pk}/warn/", {"reason": "Första varningen"})
    c.post(f"/granskning/konto/{author.pk}/block/", {"reason": "Hot mot personal"})
    proposal = Sanction.objects.get(author=author, kind=SanctionKind.BLOCK)
    assert f"/granskning/atgard/{proposal.pk}/bekrafta/" in c.get(f"/granskning/konto/{author.pk}/").content.decode()
    r = c.get(f"/granskning/atgard/{proposal.pk}/bekrafta/")
    assert r.status_code == 200, r.content
    html = r.content.decode()
    assert "Hot mot personal" in html and "Första varningen" in html
    author.refresh_from_db()
    assert not author.is_blocked
    assert c.post(f"/granskning/atgard/{proposal.pk}/bekrafta/").status_code == 302
    author.refresh_from_db()
    assert author.is_blocked


def test_block_propose_without_reason_refused(client_for, channel):
    author = AuthorFactory(channel=channel)
    client_for("moderator").post(f"/granskning/konto/{author.pk}/block/", {"reason": " "})
    assert not Sanction.objects.filter(author=author).exists()


def test_block_confirm_page_other_unit_is_404(client, channel, make_user, other_unit):
    author = AuthorFactory(channel=channel)
    proposal = Sanction.objects.create(author=author, channel=channel, kind=SanctionKind.BLOCK, proposed=True,
                                       reason="x", counts_as_strike=False)
    client.force_login(make_user("moderator", username="moderator2", units=[other_unit]))
    assert client.get(f"/granskning/atgard/{proposal.pk}/bekrafta/").status_code == 404


def test_author_detail_shows_same_account_on_other_channels_of_own_units(client_for, channel, unit, other_unit):
    ig = ChannelFactory(slug="exempelstad-instagram2", name="Exempelstad IG", platform="facebook", unit=unit)
    school = ChannelFactory(slug="skolan-fb", name="Skolan FB", platform="facebook", unit=other_unit)
    a = AuthorFactory(channel=channel, external_id="same-1", username="kalle")
    b = AuthorFactory(channel=ig, external_id="other-id", username="kalle")
    hidden = AuthorFactory(channel=school, external_id="same-1", username="kalle")
    ItemFactory(channel=ig, author=b, text="Text på andra kanalen")
    ItemFactory(channel=school, author=hidden, text="Text i annan enhet")
    html = client_for("moderator").get(f"/granskning/konto/{a.pk}/").content.decode()
    assert "Samma konto i andra kanaler" in html
    assert f"/granskning/konto/{b.pk}/" in html
    assert "Text på andra kanalen" in html
    assert f"/granskning/konto/{hidden.pk}/" not in html and "Text i annan enhet" not in html


def test_queue_author_filter_shows_only_that_author(client_for, channel):
    a = AuthorFactory(channel=channel, display_name="Filtrerad Person")
    mine = ItemFactory(channel=channel, author=a)
    other = ItemFactory(channel=channel)
    r = client_for("moderator").get(f"/granskning/?author={a.pk}")
    assert r.status_code == 200, r.content
    html = r.content.decode()
    assert f'data-pk="{mine.pk}"' in html and f'data-pk="{other.pk}"' not in html
    assert "Visar bara inlägg från Filtrerad Person" in html


# --- the live queue -----------------------------------------------------------------------------------


def test_queue_live_reports_gone_claims_and_new_rows_in_one_query(client_for, users, channel):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    shown = [ItemFactory(channel=channel) for _ in range(3)]
    c = client_for("moderator")
    since = timezone.now()
    c.get("/granskning/")  # the session and permissions are warm, as for an open queue page
    with CaptureQueriesContext(connection) as quiet:
        r = c.get("/granskning/live/", {"tab": "new", "shown": ",".join(str(i.pk) for i in shown),
                                        "since": since.isoformat()})
    assert r.status_code == 200, r.content
    assert r.json()["gone"] == [] and r.json()["rows"] == []
    item_queries = [q for q in quiet.captured_queries if '"moderation_item"' in q["sql"]]
    assert len(item_queries) == 1, item_queries
    # a colleague decides one, claims another; a new item arrives
    other = users["administrator"]
    other.first_name, other.last_name = "Anna", "Ek"
    other.save()
    from moderation.queue.services.decisions import item_decide

    item_decide(item=shown[0], action="keep", actor=other)
    Item.objects.filter(pk=shown[1].pk).update(claimed_by=other, claim_expires_at=timezone.now() + dt.timedelta(
        minutes=4, seconds=30))
    fresh = ItemFactory(channel=channel, received_at=timezone.now() + dt.timedelta(seconds=1), text="Helt ny fråga")
    r = c.get("/granskning/live/", {"tab": "new", "shown": ",".join(str(i.pk) for i in shown),
                                    "since": since.isoformat()})
    body = r.json()
    assert body["gone"] == [shown[0].pk]
    assert body["claims"][str(shown[1].pk)] == "Anna Ek granskar, 5 min kvar"
    assert body["claims"][str(shown[2].pk)] == ""
    assert [row["pk"] for row in body["rows"]] == [fresh.pk]
    assert "Helt ny fråga" in body["rows"][0]["html"]


def test_queue_live_other_units_items_never_returned(client_for, channel, other_unit):
    theirs = ItemFactory(channel=ChannelFactory(slug="skolan-x", unit=other_unit),
                         received_at=timezone.now() + dt.timedelta(seconds=1))
    r = client_for("moderator").get("/granskning/live/", {"tab": "new", "since": timezone.now().isoformat()})
    assert r.status_code == 200
    assert theirs.pk not in [row["pk"] for row in r.json()["rows"]]


def test_queue_live_anonymous_redirected_to_login(client):
    r = client.get("/granskning/live/")
    assert r.status_code in (302, 403)


def test_queue_bulk_json_remove_then_undo_by_reversal(client_for, channel):
    item = ItemFactory(channel=channel, text="Du är en idiot")
    c = client_for("moderator")
    r = c.post("/granskning/massatgard/", {"items": [item.pk], "action": "remove", "note": "Personangrepp"},
               HTTP_ACCEPT="application/json")
    assert r.status_code == 200, r.content
    done = r.json()["done"][0]
    assert done["undo"] is True
    r = c.post(f"/granskning/beslut/{done['decision']}/angra/", {"note": "Ångrat i kön direkt efter beslutet."},
               HTTP_ACCEPT="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["ok"] is True
    reversal = Decision.objects.get(reverses_id=done["decision"])
    assert reversal.action == DecisionAction.RESTORE


def test_item_claim_json_conflict_names_holder(client_for, users, channel):
    item = ItemFactory(channel=channel, claimed_by=users["administrator"],
                       claim_expires_at=timezone.now() + dt.timedelta(minutes=10))
    r = client_for("moderator").post(f"/granskning/inlagg/{item.pk}/reservera/", HTTP_ACCEPT="application/json")
    assert r.status_code == 409, r.content
    assert "hanteras av" in r.json()["message"]


def test_queue_row_marks_serious_flag_and_remove_dialog_lists_rules(client_for, channel):
    item = threat_item(channel)
    html = client_for("moderator").get("/granskning/").content.decode()
    row = html.split(f'id="row-{item.pk}"')[0].rsplit("<tr", 1)[1]
    assert 'data-serious="1"' in row and 'data-rules="threat ' in row
    assert 'id="remove-dialog-text"' in html and 'value="threat"' in html


def test_queue_live_row_taken_by_colleague_stays_with_claim_label(client_for, users, channel):
    from moderation.queue.services.claims import item_claim

    item = ItemFactory(channel=channel)
    other = users["administrator"]
    other.first_name, other.last_name = "Anna", "Ek"
    other.save()
    item_claim(item=item, actor=other, minutes=4)
    r = client_for("moderator").get("/granskning/live/", {"tab": "new", "shown": str(item.pk),
                                                        "since": timezone.now().isoformat()})
    body = r.json()
    assert body["gone"] == []
    assert body["claims"][str(item.pk)] == "Anna Ek granskar, 4 min kvar"
    # and a decision by the moderator on the colleague's row is refused, naming the colleague
    r = client_for("moderator").post("/granskning/massatgard/", {"items": [item.pk], "action": "keep"},
                                     HTTP_ACCEPT="application/json")
    assert r.json()["done"] == [] and "Anna Ek" in r.json()["refused"][0]["reason"]

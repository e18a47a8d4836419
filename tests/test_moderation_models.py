"""The moderation data model: seeded rules, constraints, encrypted credentials, scoping, detector specs."""

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction

from accounts.history import HIDDEN, history_rows
from moderation.models import Channel, Decision, Detector, Item, Rule, RuleConsequence
from moderation.platforms import crypto
from moderation.screening import DetectorSpec
from tests.factories import (
    ChannelFactory,
    DecisionFactory,
    DetectorFactory,
    ItemFactory,
    RuleFactory,
)

pytestmark = pytest.mark.django_db

VIOLATIONS = ["defamation", "hate", "violence_porn", "disinformation", "crime", "threat", "copyright", "profanity",
              "gdpr", "confidential", "advertising", "irrelevant", "harmful_link"]
ROUTED = ["political_debate", "individual_matter", "question"]
TOKEN = "EAAG-hemlig-token-1234567890"


# --- rules ---------------------------------------------------------------------------------------


def test_seed_rules_fresh_database_has_every_design_code_in_both_languages():
    rules = {r.code: r for r in Rule.objects.all()}
    assert set(VIOLATIONS + ROUTED) <= set(rules)
    for code in VIOLATIONS + ROUTED:
        rule = rules[code]
        assert rule.title_sv and rule.title_en and rule.description_sv and rule.description_en, code
        assert rule.active and rule.published and rule.version == 1
    assert all(rules[c].is_violation for c in VIOLATIONS)
    assert not any(rules[c].is_violation for c in ROUTED)
    assert all(rules[c].consequence == RuleConsequence.ROUTE for c in ROUTED)


def test_seed_rules_titles_follow_the_policies():
    rule = Rule.objects.get
    assert rule(code="defamation").title_sv == "förtal, personliga angrepp eller förolämpningar"
    assert rule(code="profanity").title_sv == "svordomar eller obscena ord"
    assert rule(code="confidential").title_sv == "sekretessbelagda uppgifter"


def test_seed_rules_urgent_rules_have_severity_zero_and_their_consequence():
    threat, confidential, gdpr = (Rule.objects.get(code=c) for c in ("threat", "confidential", "gdpr"))
    assert threat.consequence == RuleConsequence.POLICE_REPORT
    assert confidential.consequence == RuleConsequence.REMOVE_AND_REGISTER
    assert (threat.severity, confidential.severity, gdpr.severity) == (0, 0, 0)
    assert Rule.objects.get(code="profanity").severity > 0


def test_rule_factory_existing_code_reuses_seeded_rule():
    count = Rule.objects.count()
    assert RuleFactory(code="hate").title_sv.startswith("hets mot folkgrupp")
    assert Rule.objects.count() == count


# --- items ---------------------------------------------------------------------------------------


def test_create_item_same_external_id_in_same_channel_raises_integrity_error():
    item = ItemFactory(external_id="123_456")
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemFactory(channel=item.channel, external_id="123_456")


def test_create_item_same_external_id_in_other_channel_is_allowed():
    item = ItemFactory(external_id="123_456")
    other = ItemFactory(external_id="123_456")
    assert other.channel_id != item.channel_id


def test_item_factory_reply_trait_links_parent_and_root_post():
    reply = ItemFactory(reply=True)
    assert reply.parent.channel_id == reply.channel_id
    assert reply.root_post_id == reply.parent_id
    assert list(reply.parent.replies.all()) == [reply]


def test_in_queue_decided_items_excluded_most_urgent_first():
    channel = ChannelFactory()
    normal = ItemFactory(channel=channel)
    urgent = ItemFactory(channel=channel, secret=True)
    ItemFactory(channel=channel, decided=True)
    assert list(Item.objects.in_queue()) == [urgent, normal]


def test_audit_label_item_carries_no_content():
    item = ItemFactory(secret=True)
    assert item.audit_label == f"Kommentar {item.pk} på {item.channel.slug}"
    assert item.text not in item.audit_label and item.author.display_name not in item.audit_label


def test_history_rows_secret_item_masks_text_for_auditor(users):
    item = ItemFactory(secret=True)
    item.text = "Ändrad hemlig text"
    item.save()
    rows = history_rows(item, users["auditor"])
    texts = [c for row in rows for c in row.changes if c.field == "text"]
    assert texts and all(c.new == HIDDEN for c in texts)
    assert any(c.new == "Ändrad hemlig text" for row in history_rows(item, users["registrar"]) for c in row.changes)


# --- decisions -----------------------------------------------------------------------------------


def test_save_existing_decision_raises_permission_error():
    decision = DecisionFactory(rules=[Rule.objects.get(code="profanity")])
    assert decision.decision_rules.get().rule_title_sv == "svordomar eller obscena ord"
    decision.note = "Ändrad"
    with pytest.raises(PermissionError):
        decision.save()
    assert Decision.objects.get(pk=decision.pk).note == "Inget regelbrott."


# --- credentials ---------------------------------------------------------------------------------


def test_set_secret_round_trip_stores_only_ciphertext():
    channel = ChannelFactory()
    channel.set_secret("access_token", TOKEN)
    channel.save()
    channel.refresh_from_db()
    assert channel.has_secret("access_token") and not channel.has_secret("app_secret")
    assert TOKEN not in channel.encrypted_access_token
    assert channel.get_secret("access_token") == TOKEN
    assert channel.get_secret("app_secret") == ""


def test_set_secret_unknown_name_raises_value_error():
    with pytest.raises(ValueError):
        ChannelFactory().set_secret("password", "x")


def test_decrypt_with_other_key_raises_decryption_error(settings):
    settings.UPPSIKT_FIELD_ENCRYPTION_KEY = Fernet.generate_key().decode()
    token = crypto.encrypt(TOKEN)
    assert crypto.decrypt(token) == TOKEN
    settings.UPPSIKT_FIELD_ENCRYPTION_KEY = Fernet.generate_key().decode()
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token)


def test_decrypt_rotated_keys_old_key_still_decrypts(settings):
    old = Fernet.generate_key().decode()
    settings.UPPSIKT_FIELD_ENCRYPTION_KEY = old
    token = crypto.encrypt(TOKEN)
    settings.UPPSIKT_FIELD_ENCRYPTION_KEY = f"{Fernet.generate_key().decode()},{old}"
    assert crypto.decrypt(token) == TOKEN


def test_encrypt_empty_setting_uses_key_derived_from_secret_key(settings):
    settings.UPPSIKT_FIELD_ENCRYPTION_KEY = ""
    token = crypto.encrypt(TOKEN)
    assert Fernet(crypto.derived_key(settings.SECRET_KEY)).decrypt(token.encode()).decode() == TOKEN


def test_channel_history_secret_never_stored():
    channel = ChannelFactory()
    for name in Channel.SECRET_NAMES:
        channel.set_secret(name, f"{TOKEN}-{name}")
    channel.save()
    historical = channel.history.model
    assert not {f.name for f in historical._meta.fields} & {f"encrypted_{n}" for n in Channel.SECRET_NAMES}
    for row in channel.history.values():
        assert not any(TOKEN in str(v) for v in row.values())


def test_admin_channel_change_page_shows_state_never_secret(client_for):
    channel = ChannelFactory()
    channel.set_secret("access_token", TOKEN)
    channel.save()
    response = client_for("administrator").get(f"/admin/moderation/channel/{channel.pk}/change/")
    html = response.content.decode()
    assert response.status_code == 200
    assert TOKEN not in html and channel.encrypted_access_token not in html
    assert "inte satt" in html and ">satt<" in html.replace(" ", "")


def test_admin_channel_save_blank_secret_keeps_existing_and_new_value_replaces(client_for):
    channel = ChannelFactory()
    channel.set_secret("access_token", TOKEN)
    channel.save()
    data = {
        "name": channel.name, "slug": channel.slug, "platform": channel.platform, "external_id": channel.external_id,
        "unit": channel.unit_id, "url": channel.url, "active": "on", "description": "Ny beskrivning",
        "app_secret": "ny-app-hemlighet", "access_token": "", "verify_token": "",
    }
    response = client_for("administrator").post(f"/admin/moderation/channel/{channel.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    channel.refresh_from_db()
    assert channel.description == "Ny beskrivning"
    assert channel.get_secret("access_token") == TOKEN
    assert channel.get_secret("app_secret") == "ny-app-hemlighet"


# --- visibility ----------------------------------------------------------------------------------


@pytest.fixture
def two_units(unit, other_unit):
    own = ItemFactory(channel=ChannelFactory(unit=unit))
    foreign = ItemFactory(channel=ChannelFactory(unit=other_unit))
    return own, foreign


def test_visible_to_moderator_sees_only_own_units_channels(users, two_units):
    own, foreign = two_units
    moderator = users["moderator"]
    assert list(Channel.objects.visible_to(moderator)) == [own.channel]
    assert list(Item.objects.visible_to(moderator)) == [own]


@pytest.mark.parametrize("role", ["administrator", "registrar", "archivist", "auditor"])
def test_visible_to_other_roles_see_every_channel(users, two_units, role):
    assert Channel.objects.visible_to(users[role]).count() == 2
    assert Item.objects.visible_to(users[role]).count() == 2


def test_visible_to_user_without_role_sees_nothing(users, two_units):
    assert not Channel.objects.visible_to(users["norole"]).exists()
    assert not Item.objects.visible_to(users["norole"]).exists()


def test_roles_secret_content_only_for_registrar():
    holders = set(Group.objects.filter(permissions__codename="view_secret_item").values_list("name", flat=True))
    assert holders == {"registrar"}
    assert Group.objects.filter(name="moderator", permissions__codename="moderate_item").exists()


# --- detectors -----------------------------------------------------------------------------------


def test_detector_spec_words_maps_lines_to_terms_and_allow():
    detector = DetectorFactory(words=True, terms="  jävl*\n\nhora  \n", allow="Fittja\nKukkola\n")
    assert detector.spec() == DetectorSpec(
        id=detector.pk, kind="words", rule="profanity", action="flag", terms=("jävl*", "hora"),
        allow=("Fittja", "Kukkola"), name=detector.name,
    )


def test_detector_spec_pattern_keeps_inner_spaces_and_rule_code():
    spec = DetectorFactory(pattern=True, terms="köp billigt\r\n k[öo]p nu").spec()
    assert (spec.kind, spec.rule, spec.action) == ("pattern", "advertising", "hold")
    assert spec.terms == ("köp billigt", " k[öo]p nu")


def test_detector_spec_repeat_returns_none():
    assert DetectorFactory(kind="repeat", terms="", threshold=5, window_minutes=10).spec() is None


def test_detector_for_channel_empty_channels_apply_everywhere():
    channel, other = ChannelFactory(), ChannelFactory()
    everywhere = DetectorFactory()
    only_other = DetectorFactory(channels=[other])
    DetectorFactory(active=False)
    assert set(Detector.objects.for_channel(channel)) == {everywhere}
    assert set(Detector.objects.for_channel(other)) == {everywhere, only_other}

"""Notifications: who is told what, e-mail through a real SMTP server (aiosmtpd on 127.0.0.1), office hours
and the on-call group, the digest, the outbox's retries, secrecy, and the pages (list, count, settings)."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import (
    DeliveryStatus,
    EmailDelivery,
    EmailMode,
    Notification,
    NotificationKind,
    NotificationPreference,
    OnCallMembership,
)
from accounts.notifications import hours
from accounts.notifications import services as notify
from accounts.notifications.services import (
    email_deliveries_run_due,
    email_delivery_send,
    notification_digests_send,
    notification_emit,
    on_call_set,
)
from moderation.models import DetectorAction, DetectorKind, ItemState, Platform
from moderation.platforms.ingest import webhook_delivery_process
from moderation.platforms.services import notify_channel_failure
from moderation.queue.services.decisions import item_decide
from moderation.queue.services.ingest import item_ingest
from records.disclosure.notifications import appeal_windows_notify, disclosure_overdue_notify
from records.disclosure.services import disclosure_request_create
from records.gdpr.notifications import subject_deadlines_notify
from records.gdpr.services import subject_request_create
from records.retention.services.plan import retention_assign
from records.retention.services.purge import purge_list_draft, purge_list_propose
from tests.factories import (
    ChannelFactory,
    DetectorFactory,
    DisclosureRequestFactory,
    DocumentFactory,
    ItemFactory,
    RuleFactory,
    SubjectRequestFactory,
)
from tests.mail_fixtures import *  # noqa: F403 - fixtures
from tests.platform_fixtures import with_secrets

pytestmark = pytest.mark.django_db

BASE = "https://uppsikt.exempelstad.example"
# What a threat might say: none of it may leave Uppsikt in an e-mail.
THREAT = "Jag ska mörda dig, Karin Lindqvist på Storgatan 12"
SECRET_WORDS = ("mörda", "Lindqvist", "Storgatan")


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.UPPSIKT_BASE_URL = BASE
    settings.DEFAULT_FROM_EMAIL = "uppsikt@exempelstad.example"


@pytest.fixture
def office(monkeypatch):
    """office(True|False): pretend it is (not) office hours for every emission."""

    def set_to(value: bool):
        monkeypatch.setattr(notify, "in_office_hours", lambda at=None: value)

    set_to(True)
    return set_to


@pytest.fixture
def channel(unit):
    return with_secrets(ChannelFactory(platform=Platform.FACEBOOK, unit=unit, name="Exempelstad",
                                       slug="exempelstad-facebook"))


@pytest.fixture
def threat_detector(db):
    return DetectorFactory(name="Hotord", kind=DetectorKind.WORDS, rule=RuleFactory(code="threat"), terms="mörda",
                           action=DetectorAction.HOLD)


@pytest.fixture
def people(users, make_user, other_unit):
    users["moderator_b"] = make_user("moderator", username="moderator_b")
    users["moderator2"] = make_user("moderator", username="moderator2", units=[other_unit])
    users["registrar_b"] = make_user("registrar", username="registrar_b")
    users["archivist2"] = make_user("archivist", username="archivist2")
    return users


def ingest_threat(channel, ext="c1", text=THREAT):
    return item_ingest(channel=channel, external_id=ext, kind="comment", direction="incoming", text=text,
                       author_external_id="a1", author_name="Ett konto")[0]


def subject(message) -> str:
    # Django folds an encoded Subject after "Subject:", which the parser reads with a leading space.
    return str(message["Subject"]).strip()


def body_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def assert_no_secret(message):
    text = subject(message) + body_of(message)
    for word in SECRET_WORDS:
        assert word not in text, (word, text)


# --- urgent items ---------------------------------------------------------------------------------


def test_item_ingest_threat_in_office_hours_emails_unit_moderators_after_commit(
        channel, threat_detector, people, smtp_server, office, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = ingest_threat(channel)
        assert smtp_server.messages == []  # nothing leaves before the commit
    assert item.state == ItemState.HELD
    messages = smtp_server.wait_for(2)
    assert sorted(m["To"] for m in messages) == ["moderator@exempelstad.example", "moderator_b@exempelstad.example"]
    m = messages[0]
    assert m["From"] == "uppsikt@exempelstad.example"
    assert subject(m) == (f"[Uppsikt] Kommentar {item.pk} på Exempelstad (Facebook) är vilande i väntan "
                                 "på granskning: hot")
    assert m["Message-ID"].startswith("<uppsikt-n-") and m["Auto-Submitted"] == "auto-generated"
    assert m.get_content_charset() == "utf-8"
    body = body_of(m)
    assert body.startswith("Hej Test!")
    assert f"Öppna i Uppsikt: {BASE}/granskning/inlagg/{item.pk}/" in body
    assert "Av säkerhetsskäl står aldrig innehållet i inlägg" in body
    assert f"{BASE}/aviseringar/installningar/" in body
    assert_no_secret(m)
    n = Notification.objects.get(recipient=people["moderator"])
    assert n.kind == NotificationKind.ITEM_URGENT and n.read_at is None and n.link == f"/granskning/inlagg/{item.pk}/"
    assert not Notification.objects.filter(recipient=people["moderator2"]).exists()  # another unit
    assert EmailDelivery.objects.filter(status=DeliveryStatus.SENT).count() == 2


def test_item_ingest_harmless_text_notifies_nobody(channel, threat_detector, people, smtp_server, office,
                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ingest_threat(channel, text="När öppnar badhuset igen?")
    assert Notification.objects.count() == 0 and smtp_server.messages == []


def test_item_ingest_identity_number_flag_urgent_notifies(channel, people, smtp_server, office,
                                                          django_capture_on_commit_callbacks):
    DetectorFactory(name="Personnummer", kind=DetectorKind.IDENTITY_NUMBER, rule=RuleFactory(code="gdpr"), terms="",
                    action=DetectorAction.FLAG)
    with django_capture_on_commit_callbacks(execute=True):
        item = ingest_threat(channel, text="Hennes personnummer är 811218-9876, ring henne")
    assert item.state != ItemState.HELD
    m = smtp_server.wait_for(2)[0]
    assert "är brådskande: information som bryter mot dataskyddsförordningen (GDPR)" in subject(m)
    assert "811218" not in subject(m) + body_of(m)


def test_item_ingest_threat_out_of_hours_on_call_mailed_others_in_digest(
        channel, threat_detector, people, smtp_server, office, django_capture_on_commit_callbacks):
    office(False)
    on_call_set(user=people["moderator_b"], on_call=True, actor=people["administrator"])
    with django_capture_on_commit_callbacks(execute=True):
        item = ingest_threat(channel)
    assert [m["To"] for m in smtp_server.wait_for(1)] == ["moderator_b@exempelstad.example"]
    waiting = Notification.objects.get(recipient=people["moderator"])
    assert waiting.email_mode == EmailMode.DIGEST and waiting.digest_pending

    monday = timezone.make_aware(dt.datetime(2026, 5, 4, 7, 30))
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_digests_send(now=monday) == 1
    digest = smtp_server.wait_for(2)[1]
    assert digest["To"] == "moderator@exempelstad.example"
    assert subject(digest) == "[Uppsikt] Sammanfattning: 1 avisering"
    assert f"{BASE}/granskning/inlagg/{item.pk}/" in body_of(digest) and "är vilande" in body_of(digest)
    assert_no_secret(digest)
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_digests_send(now=monday) == 0  # listed once
    assert len(smtp_server.messages) == 2


def test_notification_digests_send_on_a_holiday_waits_for_working_day(people, office):
    office(False)
    notification_emit(kind=NotificationKind.ESCALATION, recipients=[people["moderator"]], title="Test")
    midsummer_eve = timezone.make_aware(dt.datetime(2026, 6, 19, 7, 30))
    assert notification_digests_send(now=midsummer_eve) == 0
    assert Notification.objects.get().digest_pending


# --- escalations ----------------------------------------------------------------------------------


def test_item_decide_escalate_to_role_notifies_registrars_not_escalator(channel, people, smtp_server, office,
                                                                        django_capture_on_commit_callbacks):
    item = ItemFactory(channel=channel, text=THREAT, is_secret=True)
    with django_capture_on_commit_callbacks(execute=True):
        item_decide(item=item, action="escalate", actor=people["moderator"], note=f"Se citatet: {THREAT}",
                    escalate_to_role="registrar")
    messages = smtp_server.wait_for(2)
    assert sorted(m["To"] for m in messages) == ["registrar@exempelstad.example", "registrar_b@exempelstad.example"]
    assert subject(messages[0]) == (f"[Uppsikt] Kommentar {item.pk} på Exempelstad (Facebook) har eskalerats "
                                           "till registratorerna av Test Användare")
    for m in messages:
        assert_no_secret(m)  # neither the secret item's text nor the note


def test_item_decide_escalate_to_colleague_notifies_only_colleague(channel, people, smtp_server, office,
                                                                   django_capture_on_commit_callbacks):
    item = ItemFactory(channel=channel)
    with django_capture_on_commit_callbacks(execute=True):
        item_decide(item=item, action="escalate", actor=people["moderator"], note="Titta på detta",
                    escalate_to=people["moderator_b"])
    assert [m["To"] for m in smtp_server.wait_for(1)] == ["moderator_b@exempelstad.example"]
    assert "har eskalerats till dig av" in subject(smtp_server.messages[0])


# --- records --------------------------------------------------------------------------------------


def test_disclosure_request_create_from_public_notifies_registrars_without_request_text(
        people, smtp_server, office, django_capture_on_commit_callbacks):
    secret = DocumentFactory(secret_content=True, content=THREAT, sender="Karin Lindqvist")
    with django_capture_on_commit_callbacks(execute=True):
        request = disclosure_request_create(request_text=f"Jag vill ha handlingen om {THREAT}", channel_in="email",
                                            requester_contact="journalist@example.se", documents=[secret])
    messages = smtp_server.wait_for(2)
    assert subject(messages[0]).startswith(
        f"[Uppsikt] Ny begäran om allmän handling {request.reference}, ska vara hanterad senast ")
    assert f"{BASE}/diarium/begaran/{request.pk}/" in body_of(messages[0])
    for m in messages:
        assert_no_secret(m)
        assert "journalist@example.se" not in body_of(m)


def test_disclosure_request_create_by_registrar_not_told_themselves(people, office):
    disclosure_request_create(request_text="Alla beslut i januari", channel_in="phone", actor=people["registrar"])
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["registrar_b"]


def test_disclosure_overdue_notify_twice_notifies_once(people, office):
    request = DisclosureRequestFactory(deadline_at=timezone.now() - dt.timedelta(hours=2))
    DisclosureRequestFactory(deadline_at=timezone.now() + dt.timedelta(hours=2))  # not yet due
    assert disclosure_overdue_notify() == 1
    assert disclosure_overdue_notify() == 0
    rows = Notification.objects.filter(kind=NotificationKind.DISCLOSURE_OVERDUE)
    assert rows.count() == 2 and {r.target_id for r in rows} == {str(request.pk)}
    assert "är försenad" in rows[0].title


def test_appeal_windows_notify_closing_in_two_days_notifies_registrars_once(people, office):
    # The window runs three weeks (and a week's margin) from the day the requester received the decision.
    received = timezone.localdate() - dt.timedelta(weeks=3, days=7) + dt.timedelta(days=2)
    request = DisclosureRequestFactory(status="appeal_window", decision_notified_on=received)
    DisclosureRequestFactory(status="appeal_window", decision_notified_on=timezone.localdate() - dt.timedelta(days=60))
    assert appeal_windows_notify() == 1 and appeal_windows_notify() == 0
    n = Notification.objects.filter(kind=NotificationKind.APPEAL_WINDOW, recipient=people["registrar"]).get()
    assert n.title.startswith(f"Överklagandetiden för beslutet i {request.reference} går ut ")
    assert n.email_mode == EmailMode.DIGEST  # the kind's default


def test_subject_request_create_notifies_other_archivists(people, office):
    request = subject_request_create(kind="access", requester_name="Karin Lindqvist", requester_contact="k@l.se",
                                     identifiers={"name": "Karin Lindqvist"}, actor=people["archivist"])
    n = Notification.objects.get()
    assert n.recipient == people["archivist2"] and request.reference in n.title
    assert "Lindqvist" not in n.title + n.body


def test_subject_deadlines_notify_soon_and_overdue_once_each(people, office):
    today = timezone.localdate()
    soon = SubjectRequestFactory(deadline=today + dt.timedelta(days=3))
    late = SubjectRequestFactory(deadline=today - dt.timedelta(days=1))
    SubjectRequestFactory(deadline=today + dt.timedelta(days=20))
    SubjectRequestFactory(deadline=today - dt.timedelta(days=5), answered_at=timezone.now())
    assert subject_deadlines_notify() == 2 and subject_deadlines_notify() == 0
    titles = set(Notification.objects.filter(recipient=people["archivist"]).values_list("title", flat=True))
    assert titles == {f"Dataskyddsbegäran {soon.reference} ska besvaras senast {soon.deadline}",
                      f"Dataskyddsbegäran {late.reference} är försenad: skulle besvarats senast {late.deadline}"}


def test_purge_list_propose_notifies_other_archivists_not_proposer(people, smtp_server, office,
                                                                   django_capture_on_commit_callbacks):
    items = [ItemFactory(received_at=dt.datetime(2025, 1, 10, tzinfo=dt.UTC), text=THREAT) for _ in range(2)]
    retention_assign(target_type="moderation.item", objects=items)
    pl = purge_list_draft(actor=people["archivist"], target_types=["moderation.item"])
    with django_capture_on_commit_callbacks(execute=True):
        purge_list_propose(purge_list=pl, actor=people["archivist"])
    messages = smtp_server.wait_for(1)
    assert [m["To"] for m in messages] == ["archivist2@exempelstad.example"]
    assert subject(messages[0]) == f"[Uppsikt] Gallringslista {pl.reference} (2 rader) väntar på ditt godkännande"
    assert_no_secret(messages[0])


# --- platforms ------------------------------------------------------------------------------------


def test_notify_channel_failure_twice_same_day_notifies_once(channel, people, office):
    notify_channel_failure(channel, "Error validating access token: Session has expired")
    notify_channel_failure(channel, "Error validating access token: Session has expired")
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"administrator", "moderator", "moderator_b"}
    assert Notification.objects.filter(recipient__username="administrator").count() == 1


def test_platform_action_without_token_notifies_channel_failure(people, unit, office):
    from moderation.platforms.outbox import platform_action_execute
    from tests.factories import PlatformActionFactory

    bare = ChannelFactory(platform=Platform.FACEBOOK, unit=unit, name="Utan token", slug="utan-token")
    action = PlatformActionFactory(channel=bare, item=ItemFactory(channel=bare), kind="hide")
    assert platform_action_execute(action_id=action.pk) == "failed"
    n = Notification.objects.get(recipient=people["administrator"])
    assert n.kind == NotificationKind.CHANNEL_FAILURE
    assert n.title == "Kontot Utan token (Facebook) fungerar inte: saknas"
    assert n.link == "/kanaler/utan-token/halsa/"


def test_webhook_delivery_dead_notifies_administrators(channel, people, office):
    from moderation.models import WebhookDelivery

    delivery = WebhookDelivery.objects.create(channel=channel, platform=channel.platform, body=b"{not json",
                                              headers={}, signature_valid=True)
    assert webhook_delivery_process(delivery_id=delivery.pk) == "dead"
    n = Notification.objects.get()
    assert n.recipient == people["administrator"] and n.kind == NotificationKind.DELIVERY_DEAD
    assert n.title == f"Leverans {delivery.pk} från Exempelstad (Facebook) kunde inte behandlas"


# --- emit, preferences, office hours --------------------------------------------------------------


def test_notification_emit_same_dedupe_key_twice_one_notification(people, office):
    for _ in range(2):
        notification_emit(kind=NotificationKind.DISCLOSURE_NEW, recipients=[people["registrar"]] * 2, title="X",
                          dedupe_key="k1")
    assert Notification.objects.count() == 1 and EmailDelivery.objects.count() == 1


def test_notification_emit_external_link_refused(people):
    from accounts.errors import DomainError

    for link in ("https://evil.example/x", "//evil.example/x", "javascript:alert(1)"):
        with pytest.raises(DomainError):
            notification_emit(kind=NotificationKind.ESCALATION, recipients=[people["moderator"]], title="X", link=link)


def test_notification_emit_preference_off_in_app_only(people, office):
    NotificationPreference.objects.create(user=people["moderator"], kind=NotificationKind.ESCALATION,
                                          email_mode=EmailMode.OFF)
    (n,) = notification_emit(kind=NotificationKind.ESCALATION, recipients=[people["moderator"]], title="X")
    assert n.email_mode == EmailMode.OFF and not n.digest_pending and EmailDelivery.objects.count() == 0


def test_notification_emit_user_without_address_or_inactive(people, office):
    people["moderator"].email = ""
    people["moderator"].save()
    people["moderator_b"].is_active = False
    people["moderator_b"].save()
    created = notification_emit(kind=NotificationKind.ESCALATION, title="X",
                                recipients=[people["moderator"], people["moderator_b"]])
    assert [n.recipient for n in created] == [people["moderator"]] and EmailDelivery.objects.count() == 0


def test_notification_emit_out_of_hours_non_urgent_kind_on_call_still_digest(people, office):
    office(False)
    on_call_set(user=people["registrar"], on_call=True, actor=None)
    (n,) = notification_emit(kind=NotificationKind.DISCLOSURE_NEW, recipients=[people["registrar"]], title="X")
    assert n.email_mode == EmailMode.DIGEST


def test_in_office_hours_working_days_and_clock(settings):
    settings.UPPSIKT_OFFICE_HOURS = "08:00-17:00"
    at = lambda *a: timezone.make_aware(dt.datetime(*a))  # noqa: E731
    assert hours.in_office_hours(at(2026, 5, 4, 8, 0))  # Monday
    assert not hours.in_office_hours(at(2026, 5, 4, 17, 0))
    assert not hours.in_office_hours(at(2026, 5, 4, 7, 59))
    assert not hours.in_office_hours(at(2026, 5, 9, 10, 0))  # Saturday
    assert not hours.in_office_hours(at(2026, 6, 19, 10, 0))  # midsommarafton (records' calendar)
    assert not hours.in_office_hours(at(2026, 12, 24, 10, 0))  # julafton


def test_office_hours_bad_setting_refused(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.UPPSIKT_OFFICE_HOURS = "17:00-08:00"
    with pytest.raises(ImproperlyConfigured):
        hours.office_hours()


# --- the outbox ----------------------------------------------------------------------------------


def emit_one(user) -> EmailDelivery:
    notification_emit(kind=NotificationKind.ESCALATION, recipients=[user], title="Kommentar 1 har eskalerats")
    return EmailDelivery.objects.get()


def test_email_delivery_send_temporary_refusal_retried_with_backoff_then_sent_once(people, smtp_server, office):
    row = emit_one(people["moderator"])
    smtp_server.refuse_next(451)
    assert email_delivery_send(delivery_id=row.pk) == "retry"
    row.refresh_from_db()
    assert row.status == DeliveryStatus.FAILED and row.attempts == 1 and "451" in row.last_error
    assert dt.timedelta(seconds=29) < row.next_attempt_at - timezone.now() <= dt.timedelta(seconds=60)
    assert email_deliveries_run_due() == {}  # not yet due
    later = timezone.now() + dt.timedelta(minutes=2)
    assert email_deliveries_run_due(now=later) == {"sent": 1}
    assert email_deliveries_run_due(now=later + dt.timedelta(hours=1)) == {}
    assert email_delivery_send(delivery_id=row.pk, now=later) == "skipped"  # sent is never sent again
    assert len(smtp_server.wait_for(1)) == 1
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENT and row.attempts == 2 and row.sent_at is not None
    assert smtp_server.messages[0]["Message-ID"] == row.message_id


def test_email_delivery_send_permanent_refusal_gives_up_at_once(people, smtp_server, office):
    row = emit_one(people["moderator"])
    smtp_server.refuse_next(550)
    assert email_delivery_send(delivery_id=row.pk) == "dead"
    row.refresh_from_db()
    assert row.status == DeliveryStatus.DEAD and "550" in row.last_error


def test_email_delivery_send_server_down_retries_until_max_then_dead(people, settings, office):
    from tests.mail_fixtures import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    settings.UPPSIKT_NOTIFICATION_MAX_ATTEMPTS = 3
    row = emit_one(people["moderator"])
    now = timezone.now()
    outcomes = []
    for _ in range(3):
        now += dt.timedelta(hours=2)
        outcomes.append(email_delivery_send(delivery_id=row.pk, now=now))
    assert outcomes == ["retry", "retry", "dead"]
    row.refresh_from_db()
    assert row.status == DeliveryStatus.DEAD and "ConnectionRefusedError" in row.last_error


def test_email_deliveries_run_due_worker_died_while_sending_resent(people, smtp_server, office):
    row = emit_one(people["moderator"])
    EmailDelivery.objects.filter(pk=row.pk).update(status=DeliveryStatus.SENDING,
                                                   started_at=timezone.now() - dt.timedelta(minutes=30))
    assert email_deliveries_run_due() == {"sent": 1}
    assert len(smtp_server.wait_for(1)) == 1


def test_email_delivery_send_deactivated_recipient_not_written_to(people, smtp_server, office):
    row = emit_one(people["moderator"])
    people["moderator"].is_active = False
    people["moderator"].save()
    assert email_delivery_send(delivery_id=row.pk) == "dead" and smtp_server.messages == []


def test_email_delivery_act_retry_dead_by_administrator(people, smtp_server, office,
                                                        django_capture_on_commit_callbacks):
    from accounts.errors import DomainError
    from accounts.notifications.services import email_delivery_act

    row = emit_one(people["moderator"])
    EmailDelivery.objects.filter(pk=row.pk).update(status=DeliveryStatus.DEAD, attempts=8)
    row.refresh_from_db()
    with pytest.raises(DomainError):
        email_delivery_act(delivery=row, action="retry", actor=people["moderator"])
    with django_capture_on_commit_callbacks(execute=True):
        email_delivery_act(delivery=row, action="retry", actor=people["administrator"])
    assert len(smtp_server.wait_for(1)) == 1


def test_scheduled_jobs_include_sweeper_digest_and_reminders():
    from config.scheduling import jobs

    names = {j.name for j in jobs()}
    assert {"notification_email_sweep", "notification_digest", "disclosure_reminders",
            "subject_request_deadlines"} <= names


# --- pages ----------------------------------------------------------------------------------------


def test_notification_list_shows_own_unread_and_header_count(client_for, people, office):
    notification_emit(kind=NotificationKind.ESCALATION, recipients=[people["moderator"]],
                      title="Kommentar 7 har eskalerats till dig", link="/granskning/7/")
    notification_emit(kind=NotificationKind.ESCALATION, recipients=[people["moderator_b"]], title="Inte din")
    r = client_for("moderator").get("/aviseringar/")
    assert r.status_code == 200, r.content
    html = r.content.decode()
    assert "Kommentar 7 har eskalerats till dig" in html and "Inte din" not in html
    assert 'class="count-badge">1<' in html and "Du har 1 oläst avisering." in html


def test_notification_open_marks_read_and_follows_link(client_for, people, office):
    (n,) = notification_emit(kind=NotificationKind.ESCALATION, recipients=[people["moderator"]], title="X",
                             link="/granskning/7/")
    r = client_for("moderator").get(f"/aviseringar/{n.pk}/")
    assert r.status_code == 302 and r["Location"] == "/granskning/7/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_notification_open_someone_elses_404(client_for, people, office):
    (n,) = notification_emit(kind=NotificationKind.ESCALATION, recipients=[people["moderator_b"]], title="X")
    c = client_for("moderator")
    assert c.get(f"/aviseringar/{n.pk}/").status_code == 404
    assert c.post(f"/aviseringar/{n.pk}/last/").status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_notification_read_htmx_returns_row_and_count_drops(client_for, people, office):
    (n,) = notification_emit(kind=NotificationKind.ESCALATION, recipients=[people["moderator"]], title="X")
    c = client_for("moderator")
    r = c.post(f"/aviseringar/{n.pk}/last/", HTTP_HX_REQUEST="true")
    assert r.status_code == 200, r.content
    assert f'id="notification-{n.pk}"' in r.content.decode() and "Markera som läst" not in r.content.decode()
    r = c.get("/aviseringar/antal/", HTTP_HX_REQUEST="true", HTTP_X_UPPSIKT_POLL="1")
    assert r.status_code == 200 and "count-badge" not in r.content.decode()


def test_notification_read_all_marks_every_own(client_for, people, office):
    for i in range(3):
        notification_emit(kind=NotificationKind.ESCALATION, recipients=[people["moderator"]], title=f"X{i}")
    (other,) = notification_emit(kind=NotificationKind.ESCALATION, recipients=[people["moderator_b"]], title="Y")
    r = client_for("moderator").post("/aviseringar/alla-lasta/")
    assert r.status_code == 302
    assert not Notification.objects.filter(recipient=people["moderator"], read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_notification_badge_signed_out_stops_polling(client):
    r = client.get("/aviseringar/antal/", HTTP_HX_REQUEST="true", HTTP_X_UPPSIKT_POLL="1")
    assert r.status_code == 286


def test_notification_pages_anonymous_to_login_and_roleless_403(client, client_for):
    r = client.get("/aviseringar/")
    assert r.status_code == 302 and "/konto/logga-in/" in r["Location"]
    assert client_for("norole").get("/aviseringar/").status_code == 403


def test_notification_settings_post_saves_modes(client_for, people):
    c = client_for("registrar")
    r = c.get("/aviseringar/installningar/")
    assert r.status_code == 200 and "Ny begäran om allmän handling" in r.content.decode()
    data = dict.fromkeys(NotificationKind.values, "immediate") | {"appeal_window": "off", "disclosure_new": "digest"}
    r = c.post("/aviseringar/installningar/", data)
    assert r.status_code == 302, r.content
    assert notify.preferences_for(people["registrar"])["disclosure_new"] == "digest"
    assert notify.preferences_for(people["registrar"])["appeal_window"] == "off"
    r = c.post("/aviseringar/installningar/", {**data, "disclosure_new": "sometimes"})
    assert r.status_code == 400


def test_notification_settings_shows_on_call(client_for, people):
    OnCallMembership.objects.create(user=people["moderator"])
    assert "Du ingår i jourgruppen" in client_for("moderator").get("/aviseringar/installningar/").content.decode()


def test_idle_timeout_background_poll_does_not_keep_session_alive(client_for, people, settings):
    from accounts.middleware import _KEY

    c = client_for("moderator")
    c.get("/aviseringar/")
    session = c.session
    session[_KEY] = int(time.time()) - 100
    session.save()
    c.get("/aviseringar/antal/", HTTP_X_UPPSIKT_POLL="1")
    assert c.session[_KEY] == session[_KEY]  # a poll is not activity
    settings.SESSION_IDLE_TIMEOUT = 50
    r = c.get("/aviseringar/antal/", HTTP_X_UPPSIKT_POLL="1")
    assert r.status_code == 286  # signed out, polling stops


def test_seed_demo_every_user_has_example_address_and_moderator_on_call(db):
    call_command("seed_demo", verbosity=0)
    from accounts.models import User

    for user in User.objects.filter(username__in=["moderator", "moderator2", "registrar", "archivist", "archivist2",
                                                  "admin", "auditor"]):
        assert user.email == f"{user.username}@exempelstad.example"
    assert OnCallMembership.objects.filter(user__username="moderator").exists()


# --- API ------------------------------------------------------------------------------------------


def test_notifications_api_own_only_read_and_count(client_for, people, office):
    (mine,) = notification_emit(kind=NotificationKind.ESCALATION, recipients=[people["moderator"]], title="Min")
    notification_emit(kind=NotificationKind.ESCALATION, recipients=[people["moderator"]], title="Min andra")
    (other,) = notification_emit(kind=NotificationKind.ESCALATION, recipients=[people["moderator_b"]], title="Inte")
    c = client_for("moderator")
    r = c.get("/api/v1/notifications/?unread=true")
    assert r.status_code == 200, r.content
    assert sorted(n["title"] for n in r.json()["results"]) == ["Min", "Min andra"]
    assert c.get(f"/api/v1/notifications/{other.pk}/").status_code == 404
    assert c.post(f"/api/v1/notifications/{other.pk}/read/").status_code == 404
    r = c.post(f"/api/v1/notifications/{mine.pk}/read/")
    assert r.status_code == 200 and r.json()["read_at"]
    assert c.get("/api/v1/notifications/unread/").json() == {"unread": 1}
    assert c.post("/api/v1/notifications/read-all/").json() == {"unread": 0}
    other.refresh_from_db()
    assert other.read_at is None


def test_notifications_api_roleless_403_anonymous_refused(client, client_for):
    assert client_for("norole").get("/api/v1/notifications/").status_code == 403
    assert client.get("/api/v1/notifications/").status_code in (401, 403)


def test_notifications_prune_old_read_and_sent_only(people, office):
    from accounts.notifications.services import notifications_prune

    old = timezone.now() - dt.timedelta(days=200)
    (read,) = notification_emit(kind=NotificationKind.ESCALATION, recipients=[people["moderator"]], title="A", now=old)
    (unread,) = notification_emit(kind=NotificationKind.ESCALATION, recipients=[people["moderator_b"]], title="B",
                                  now=old)
    Notification.objects.filter(pk=read.pk).update(read_at=old)
    EmailDelivery.objects.filter(notification=read).update(status=DeliveryStatus.SENT)
    notification_emit(kind=NotificationKind.ESCALATION, recipients=[people["moderator"]], title="C")
    assert notifications_prune() == {"notifications": 1, "emails": 1}
    assert set(Notification.objects.values_list("title", flat=True)) == {"B", "C"}
    assert EmailDelivery.objects.filter(notification=unread).exists()  # waiting mail is kept

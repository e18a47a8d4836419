"""Sign-in: two-factor (TOTP) for local passwords, local passwords switched off, the OpenID
settings' checks and failure paths. The OpenID flow itself runs against a real provider in
tests/browser/test_oidc_browser.py."""

import base64
import hashlib
import hmac
import re
import struct
import time

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import AuditEvent
from accounts.signin.provider import reset_cache
from accounts.signin.services import access_for_groups, group_map_problems

pytestmark = pytest.mark.django_db


def totp(secret_base32: str, *, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238, computed here (not with django-otp) from the key the page shows."""
    key = base64.b32decode(secret_base32.replace(" ", "") + "=" * (-len(secret_base32.replace(" ", "")) % 8))
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return f"{code:0{digits}d}"


def _enrol(client) -> str:
    r = client.get("/konto/tvastegsverifiering/")
    assert r.status_code == 200, r.content
    body = r.content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', body).group(1)
    r = client.post("/konto/tvastegsverifiering/", {"action": "enrol", "otp_token": totp(secret)})
    assert r.status_code == 302, r.content
    return secret


@pytest.fixture
def no_throttle(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def test_two_factor_page_shows_qr_code_as_inline_svg_without_style_or_external_reference(client_for):
    r = client_for("registrar").get("/konto/tvastegsverifiering/")
    assert r.status_code == 200, r.content
    body = r.content.decode()
    svg = re.search(r"<svg.*?</svg>", body, re.S).group(0)
    assert "<path" in svg and "style=" not in svg and "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    assert re.search(r'id="totp-secret">[A-Z2-7]{4}( [A-Z2-7]{1,4})+<', body)
    assert "Slå på tvåstegsverifiering" in body


def test_two_factor_enrol_with_wrong_code_stays_off_and_right_code_turns_it_on(client_for, users, no_throttle):
    client = client_for("registrar")
    body = client.get("/konto/tvastegsverifiering/").content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', body).group(1)
    wrong = f"{(int(totp(secret)) + 1) % 10**6:06d}"
    r = client.post("/konto/tvastegsverifiering/", {"action": "enrol", "otp_token": wrong})
    assert r.status_code == 200
    assert "Fel kod" in r.content.decode()
    r = client.post("/konto/tvastegsverifiering/", {"action": "enrol", "otp_token": "12³456"})
    assert r.status_code == 200
    assert "bara av siffror" in r.content.decode()
    assert not users["registrar"].totpdevice_set.filter(confirmed=True).exists()
    r = client.post("/konto/tvastegsverifiering/", {"action": "enrol", "otp_token": totp(secret)})
    assert r.status_code == 302
    assert users["registrar"].totpdevice_set.filter(confirmed=True).count() == 1
    event = AuditEvent.objects.get(action="two_factor")
    assert event.detail == {"change": "enrolled"} and event.actor_label == "registrar"


def test_login_with_enrolled_device_asks_for_code_and_refuses_wrong_and_replayed_codes(
    client_for, users, password, no_throttle
):
    secret = _enrol(client_for("registrar"))
    enrol_code = totp(secret)
    client = Client()
    r = client.post("/konto/logga-in/", {"username": "registrar", "password": password})
    assert r.status_code == 302 and r["Location"] == "/konto/logga-in/kod/"
    assert client.get("/").status_code == 302  # not signed in before the code
    # The code used at enrolment cannot be used again (replay), a wrong one neither.
    r = client.post("/konto/logga-in/kod/", {"otp_token": enrol_code})
    assert r.status_code == 200 and "Fel kod" in r.content.decode()
    r = client.post("/konto/logga-in/kod/", {"otp_token": "000000" if enrol_code != "000000" else "111111"})
    assert r.status_code == 200
    assert AuditEvent.objects.filter(action="login_failed", detail__step="otp").count() == 2
    r = client.post("/konto/logga-in/kod/", {"otp_token": totp(secret, at=time.time() + 30)})
    assert r.status_code == 302, r.content
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="login", actor_label="registrar").exists()


def test_login_code_step_without_password_step_goes_back_to_login(client):
    r = client.post("/konto/logga-in/kod/", {"otp_token": "123456"})
    assert r.status_code == 302 and r["Location"] == "/konto/logga-in/"


def test_required_two_factor_sends_unenrolled_local_user_to_enrolment_and_api_gets_403(
    settings, users, password, no_throttle
):
    settings.UPPSIKT_REQUIRE_2FA = True
    client = Client()
    r = client.post("/konto/logga-in/", {"username": "moderator", "password": password})
    assert r.status_code == 302
    r = client.get("/")
    assert r.status_code == 302 and r["Location"].startswith("/konto/tvastegsverifiering/")
    r = client.get("/api/v1/units/")
    assert r.status_code == 403, r.content
    assert "Tvåstegsverifiering" in r.json()["detail"]
    secret = _enrol(client)
    assert client.get("/").status_code == 200
    # Required: it cannot be switched off.
    r = client.post("/konto/tvastegsverifiering/", {"action": "remove", "otp_token": totp(secret, at=time.time() + 30)})
    assert users["moderator"].totpdevice_set.filter(confirmed=True).exists()


def test_two_factor_can_be_switched_off_with_a_code_when_optional(client_for, users, no_throttle):
    client = client_for("auditor")
    secret = _enrol(client)
    r = client.post("/konto/tvastegsverifiering/", {"action": "remove", "otp_token": totp(secret, at=time.time() + 30)})
    assert r.status_code == 302
    assert not users["auditor"].totpdevice_set.exists()
    assert AuditEvent.objects.filter(action="two_factor", detail__change="removed").count() == 1


def test_local_login_off_refuses_staff_password_and_hides_form(settings, users, password):
    settings.UPPSIKT_LOCAL_LOGIN = False
    settings.OIDC_RP_CLIENT_ID = "uppsikt"
    settings.OIDC_OP_DISCOVERY = "http://127.0.0.1:9"
    body = Client().get("/konto/logga-in/").content.decode()
    assert "Logga in med kommunens inloggning" in body
    assert 'type="password"' not in body
    r = Client().post("/konto/logga-in/?lokal=1", {"username": "moderator", "password": password})
    assert r.status_code == 200
    assert "Fel användarnamn eller lösenord" in r.content.decode()


def test_oidc_pages_are_404_without_a_provider(client):
    assert client.get("/konto/oidc/logga-in/").status_code == 404
    assert client.get("/konto/oidc/callback/?code=x&state=y").status_code == 404
    assert "kommunens inloggning" not in client.get("/konto/logga-in/").content.decode()


def test_oidc_start_with_unreachable_provider_returns_to_login_with_swedish_message(settings, client):
    settings.OIDC_RP_CLIENT_ID = "uppsikt"
    settings.OIDC_OP_DISCOVERY = "http://127.0.0.1:9"
    reset_cache()
    r = client.get("/konto/oidc/logga-in/", follow=True)
    assert r.redirect_chain[-1][0] == "/konto/logga-in/"
    assert "svarar inte just nu" in r.content.decode()
    reset_cache()


def test_logout_needs_post(client_for):
    assert client_for("moderator").get("/konto/logga-ut/").status_code == 405


def test_group_map_access_is_the_union_of_mapped_groups(settings):
    settings.UPPSIKT_OIDC_GROUP_MAP = {
        "a": {"roles": ["moderator"], "units": ["kommunledning"]},
        "b": {"roles": ["registrar", "moderator"], "units": ["utbildning"]},
    }
    access = access_for_groups(["b", "a", "unknown"])
    assert access.roles == {"moderator", "registrar"}
    assert access.unit_codes == {"kommunledning", "utbildning"}
    assert access.groups == ("a", "b")
    assert access_for_groups(["unknown"]).roles == frozenset()


def test_group_map_problems_name_unknown_roles_and_bad_shapes():
    assert group_map_problems({"g": {"roles": ["moderator"], "units": ["x"]}}) == []
    assert "okända roller" in group_map_problems({"g": {"roles": ["kung"]}})[0]
    assert group_map_problems(["not", "a", "dict"])
    assert group_map_problems({"g": {"roles": "moderator"}})
    assert group_map_problems({"g": {"rolez": []}})


def test_check_reports_bad_group_map(settings, capsys):
    from django.core.management.base import SystemCheckError

    settings.UPPSIKT_OIDC_GROUP_MAP = {"g": {"roles": ["kung"]}}
    with pytest.raises(SystemCheckError, match="uppsikt.E101"):
        call_command("check")


def test_administrator_resets_a_users_two_factor_in_the_admin_and_keys_are_never_shown(client_for, users,
                                                                                       no_throttle):
    _enrol(client_for("registrar"))
    admin = client_for("administrator")
    assert admin.get("/admin/otp_totp/totpdevice/").status_code == 404  # no admin page shows keys
    r = admin.post("/admin/accounts/user/", {"action": "reset_two_factor",
                                             "_selected_action": [users["registrar"].pk]})
    assert r.status_code == 302, r.content
    assert not users["registrar"].totpdevice_set.exists()
    event = AuditEvent.objects.get(action="two_factor", detail__change="removed")
    assert event.actor_label == "administrator" and event.target_id == str(users["registrar"].pk)

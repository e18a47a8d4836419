"""Staff sign-in through a real OpenID provider (oidc-provider under node on 127.0.0.1), driven in
Chromium through Django's live server: the authorization code flow with PKCE, users created on
first sign-in, roles and units from the groups claim on every sign-in, RP-initiated logout."""

import time

import pytest

from accounts.models import AuditEvent, User

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def units(unit, other_unit):
    return unit, other_unit


def _watch_csp(page) -> list[str]:
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    return violations


def _sign_in(page, live_server, *, username="anna", password="Lösen-för-anna-1", expect_form=True) -> float:
    page.goto(f"{live_server.url}/konto/logga-in/")
    started = time.perf_counter()
    page.get_by_role("link", name="Logga in med kommunens inloggning").click()
    page.wait_for_load_state()
    if expect_form:
        assert page.get_by_role("heading", name="Exempelstads inloggning").is_visible(), page.content()
        page.get_by_label("Användarnamn").fill(username)
        page.get_by_label("Lösenord").fill(password)
        page.get_by_role("button", name="Logga in hos IdP").click()
    page.wait_for_url(f"{live_server.url}/**")
    page.wait_for_load_state()
    return time.perf_counter() - started


def _sign_out(page, live_server, openid_provider) -> None:
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url(f"{openid_provider.issuer}/session/end**")
    page.get_by_role("button", name="Ja, logga ut").click()
    page.wait_for_url(f"{live_server.url}/konto/logga-in/**")


def _roles(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def _unit_codes(user) -> set[str]:
    return set(user.units.values_list("code", flat=True))


def test_oidc_sign_in_creates_user_with_roles_and_units_from_groups_and_follows_group_changes(
    page, live_server, openid_provider, units, artifacts_dir
):
    csp = _watch_csp(page)
    page.goto(f"{live_server.url}/konto/logga-in/")
    # Local passwords are switched off: only the municipality's sign-in is offered.
    assert page.get_by_label("Lösenord").count() == 0
    assert page.get_by_role("link", name="Logga in med kommunens inloggning").is_visible()

    seconds = _sign_in(page, live_server)
    print(f"\nOIDC-inloggning (klick → översikten): {seconds * 1000:.0f} ms")
    assert page.get_by_role("heading", name="Översikt", level=1).is_visible(), page.content()
    anna = User.objects.get(username="anna")
    assert anna.oidc_subject == "anna"
    assert not anna.has_usable_password()
    assert (anna.email, anna.first_name, anna.last_name) == ("anna.andersson@exempelstad.example", "Anna", "Andersson")
    assert _roles(anna) == {"moderator", "registrar"}
    assert _unit_codes(anna) == {"kommunledning", "utbildning"}
    change = AuditEvent.objects.get(action="role_changed", target_id=str(anna.pk))
    assert change.detail == {"before": [], "after": ["moderator", "registrar"], "source": "oidc"}
    assert change.actor_label == "identitetsleverantör"
    page.screenshot(path=str(artifacts_dir / "oidc-signed-in.png"), full_page=True)

    # Sign-out ends the provider's session too (RP-initiated logout with id_token_hint).
    _sign_out(page, live_server, openid_provider)
    assert len(openid_provider.events("end_session")) == 1
    assert page.get_by_role("link", name="Logga in med kommunens inloggning").is_visible()
    assert AuditEvent.objects.filter(action="logout", target_id=str(anna.pk)).count() == 1

    # The registrar group is taken away: at the next sign-in (the provider asks for the password
    # again, its session having ended) the role and the unit it gave are gone.
    openid_provider.set_groups("anna", ["uppsikt-kommunikatorer"])
    _sign_in(page, live_server, expect_form=True)
    assert page.get_by_role("heading", name="Översikt", level=1).is_visible()
    assert User.objects.count() == 1
    anna.refresh_from_db()
    assert _roles(anna) == {"moderator"}
    assert _unit_codes(anna) == {"kommunledning"}
    latest = AuditEvent.objects.filter(action="role_changed", target_id=str(anna.pk)).order_by("-id").first()
    assert latest.detail == {"before": ["moderator", "registrar"], "after": ["moderator"], "source": "oidc"}
    units_change = AuditEvent.objects.filter(action="units_changed", target_id=str(anna.pk)).order_by("-id").first()
    assert units_change.detail == {"before": ["kommunledning", "utbildning"], "after": ["kommunledning"],
                                   "source": "oidc"}
    _sign_out(page, live_server, openid_provider)
    assert len(openid_provider.events("end_session")) == 2
    assert not csp, csp


def test_oidc_sign_in_without_mapped_group_is_refused_and_removes_roles(
    page, live_server, openid_provider, units
):
    _sign_in(page, live_server)
    anna = User.objects.get(username="anna")
    assert _roles(anna) == {"moderator", "registrar"}
    _sign_out(page, live_server, openid_provider)

    openid_provider.set_groups("anna", ["some-other-group"])
    _sign_in(page, live_server)
    assert page.url.startswith(f"{live_server.url}/konto/logga-in/")
    assert page.get_by_text("Du har ingen roll i Uppsikt").is_visible()
    anna.refresh_from_db()
    assert _roles(anna) == set()
    assert _unit_codes(anna) == set()
    page.goto(f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}/konto/logga-in/")  # not signed in
    # A refused provider sign-in is not a password guess: django-axes records no failure for it
    # (else one office behind one address would be locked out after a few refusals).
    from axes.models import AccessAttempt

    assert not AccessAttempt.objects.exists()


def test_oidc_sign_in_of_new_user_without_role_creates_no_account(page, live_server, openid_provider, units):
    openid_provider.set_groups("anna", [])
    _sign_in(page, live_server)
    assert page.get_by_text("Du har ingen roll i Uppsikt").is_visible()
    assert not User.objects.filter(username="anna").exists()


def test_break_glass_superuser_signs_in_with_password_when_local_login_is_off(
    page, live_server, openid_provider, users, password
):
    users["administrator"].is_superuser = True
    users["administrator"].save()
    # A non-superuser's password is refused even on the break-glass form.
    page.goto(f"{live_server.url}/konto/logga-in/?lokal=1")
    page.get_by_label("Användarnamn").fill("moderator")
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_text("Fel användarnamn eller lösenord").is_visible()
    page.goto(f"{live_server.url}/konto/logga-in/?lokal=1")
    page.get_by_label("Användarnamn").fill("administrator")
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Översikt", level=1).is_visible()

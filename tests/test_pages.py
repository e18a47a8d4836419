import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_error_page_404_is_swedish_and_leaks_nothing(client_for):
    r = client_for("moderator").get("/finns-inte/hemlig-sokvag/")
    assert r.status_code == 404
    body = r.content.decode()
    assert "Sidan finns inte" in body
    assert "hemlig-sokvag" not in body
    assert "Traceback" not in body


def test_error_page_500_is_swedish_and_leaks_nothing(rf):
    from config.views import server_error

    r = server_error(rf.get("/"))
    assert r.status_code == 500
    assert "Något gick fel" in r.content.decode()


def test_error_page_403_for_admin_as_moderator(client_for):
    r = client_for("moderator").get("/admin/")
    assert r.status_code == 403
    assert "Åtkomst nekad" in r.content.decode()


def test_navigation_shows_only_what_role_allows(client_for):
    body = client_for("moderator").get("/").content.decode()
    assert "Granskningslogg" not in body
    assert 'href="/admin/"' not in body
    body = client_for("administrator").get("/").content.decode()
    assert "Granskningslogg" in body and 'href="/admin/"' in body


def test_language_switch_to_english_changes_the_interface(client_for):
    c = client_for("moderator")
    r = c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert r.status_code == 302
    body = c.get("/").content.decode()
    assert '<html lang="en">' in body
    assert "Overview" in body


def test_login_page_is_swedish_without_external_resources():
    body = Client().get("/konto/logga-in/").content.decode()
    assert '<html lang="sv">' in body
    assert "Logga in" in body and "Användarnamn" in body
    assert "http://" not in body.replace("http://www.w3.org", "") and "https://" not in body


def test_static_htmx_is_served_by_the_application():
    from django.contrib.staticfiles import finders

    assert finders.find("vendor/htmx/htmx.min.js")
    assert finders.find("css/uppsikt.css")

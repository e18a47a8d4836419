"""Settings refuse an unsafe production start and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STRONG = "k9Qw3e7Rt1Yu5Io0Pa8Sd2Fg6Hj4Kl9Zx3Cv7Bn1Mq5Wr0Ty8Ui2Op6As4Df9Gh3Jk7L"


def _run(code: str, **env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "SECURE_SSL_REDIRECT",
                                                               "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
                                                               "SECURE_HSTS_SECONDS", "EMAIL_URL", "TESTING"}}
    base.update({"DJANGO_SETTINGS_MODULE": "config.settings", **env})
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True, text=True,
                          timeout=60, check=False)


def test_settings_debug_off_without_secret_key_refuses_to_start():
    r = _run("import django; django.setup()", DEBUG="0", SECRET_KEY="")
    assert r.returncode != 0
    assert "ImproperlyConfigured" in r.stderr and "SECRET_KEY" in r.stderr


def test_settings_debug_off_with_weak_secret_key_refuses_to_start():
    r = _run("import django; django.setup()", DEBUG="0", SECRET_KEY="django-insecure-short")
    assert r.returncode != 0
    assert "SECRET_KEY" in r.stderr


def test_settings_debug_on_without_secret_key_starts():
    r = _run("import django; django.setup(); print('ok')", DEBUG="1", SECRET_KEY="")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().endswith("ok")


def test_check_deploy_with_production_environment_reports_only_hsts_preload():
    r = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
        env={**{k: v for k, v in os.environ.items() if k not in {"SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE",
                                                                  "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS",
                                                                  "EMAIL_URL", "TESTING"}},
             "DEBUG": "0", "SECRET_KEY": STRONG, "ALLOWED_HOSTS": "uppsikt.exempelstad.se",
             "EMAIL_URL": "smtp+tls://uppsikt:hemligt@smtp.exempelstad.se:587"},
    )
    issues = [line for line in (r.stdout + r.stderr).splitlines() if line.startswith("?: (security.")]
    assert all("W021" in line for line in issues), issues
    assert r.returncode in (0, 1)
    assert "W021" in r.stdout + r.stderr or r.returncode == 0


def test_settings_language_and_time_zone_are_swedish(settings):
    assert settings.LANGUAGE_CODE == "sv"
    assert settings.TIME_ZONE == "Europe/Stockholm"
    assert settings.USE_TZ is True
    assert ("en", "English") in [(c, str(n)) for c, n in settings.LANGUAGES]

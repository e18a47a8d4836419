"""Loaded with `-p tests.env_plugin` before Django is configured: test defaults for the environment.

Only defaults: a variable already set (DATABASE_URL for the PostgreSQL run, say) wins.
"""

import os
import secrets
import tempfile

_DEFAULTS = {
    "DEBUG": "0",
    "SECRET_KEY": "test-" + secrets.token_urlsafe(48),
    "ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "SECURE_HSTS_SECONDS": "0",
    "TESTING": "1",
    "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
    "EMAIL_URL": "memorymail://",
    "DJANGO_ALLOW_ASYNC_UNSAFE": "true",
    "LOG_LEVEL": "WARNING",
    "UPPSIKT_FIELD_ENCRYPTION_KEY": "",
    # Nothing in the tests may reach a real platform: a closed local port fails at once.
    "UPPSIKT_GRAPH_URL": "http://127.0.0.1:9",
    "UPPSIKT_YOUTUBE_URL": "http://127.0.0.1:9",
    "UPPSIKT_LINKEDIN_URL": "http://127.0.0.1:9",
    # Stored attachments and evidence sheets go to a folder of this test run, never to var/media.
    "MEDIA_ROOT": tempfile.mkdtemp(prefix="uppsikt-test-media-"),
}
for _key, _value in _DEFAULTS.items():
    os.environ.setdefault(_key, _value)

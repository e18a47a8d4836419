"""Uppsikt settings: one file, driven by the environment (see .env.example).

Production differs from development only by environment variables.
"""

import json
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

_INSECURE_PREFIX = "django-insecure-"
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = _INSECURE_PREFIX + "uppsikt-development-only-key"
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY saknas: sätt miljövariabeln SECRET_KEY (minst 50 tecken) eller DEBUG=1 för utveckling."
        )
elif not DEBUG and (
    SECRET_KEY.startswith(_INSECURE_PREFIX) or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "SECRET_KEY är för svag för drift: använd minst 50 slumpmässiga tecken "
        "(python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "config.admin_site.UppsiktAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_htmx",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "config.scheduling",
    "config.backup",
    "accounts",
    "records",
    "moderation",
]

MIDDLEWARE = [
    # First: every later middleware (and the access log) sees the request id.
    "config.operations.request_id.RequestIdMiddleware",
    "config.operations.proxy.TrustedProxyMiddleware",
    "config.operations.metrics.LatencyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.operations.headers.PermissionsPolicyMiddleware",
    "config.operations.headers.UppsiktCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.SwedishFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.signin.middleware.TwoFactorRequiredMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Sub-domain packages keep their templates beside their views (records/disclosure/templates/…).
        "DIRS": [BASE_DIR / "templates", *(d for app in ("accounts", "moderation", "records")
                                            for d in sorted((BASE_DIR / app).glob("*/templates")))],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.navigation",
            ],
        },
    },
]

VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'uppsikt.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the task worker and the web server share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
    DATABASES["default"]["TEST"] = {"NAME": env.str("SQLITE_TEST_NAME", default="") or None}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if env.str("TEST_DATABASE_NAME", default=""):
        DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Passwords kept by Uppsikt; UPPSIKT_LOCAL_LOGIN=0 leaves them to superusers (break-glass).
    "accounts.signin.local.LocalPasswordBackend",
    # The municipality's OpenID provider (active when OIDC_RP_CLIENT_ID is set).
    "accounts.signin.oidc.OIDCBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if env.bool("TESTING", default=False):
    # Hashing cost is irrelevant in tests and dominates their run time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Staff sign-in (docs/operations.md, "Inloggning"). Local passwords: on by default; with
# UPPSIKT_LOCAL_LOGIN=0 the login page offers only the municipality's sign-in and only superusers
# may use a password (break-glass, at /konto/logga-in/?lokal=1).
UPPSIKT_LOCAL_LOGIN = env.bool("UPPSIKT_LOCAL_LOGIN", default=True)
# Two-factor (TOTP) for local passwords: optional per user, or required for all with this on.
UPPSIKT_REQUIRE_2FA = env.bool("UPPSIKT_REQUIRE_2FA", default=False)
OTP_TOTP_THROTTLE_FACTOR = 1  # seconds, doubled after each wrong code (django-otp)

# OpenID Connect (mozilla-django-oidc). Endpoints come from OIDC_OP_DISCOVERY (the issuer or its
# /.well-known/openid-configuration URL), read on first use and cached, or one by one below.
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_DISCOVERY = env.str("OIDC_OP_DISCOVERY", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_OP_LOGOUT_ENDPOINT = env.str("OIDC_OP_LOGOUT_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid email profile")
OIDC_USE_PKCE = env.bool("OIDC_USE_PKCE", default=True)
OIDC_TOKEN_USE_BASIC_AUTH = env.bool("OIDC_TOKEN_USE_BASIC_AUTH", default=False)
OIDC_TIMEOUT = env.float("OIDC_TIMEOUT", default=10.0)
OIDC_STORE_ID_TOKEN = True  # the id_token_hint of RP-initiated logout
OIDC_CREATE_USER = True
OIDC_OP_LOGOUT_URL_METHOD = "accounts.signin.oidc.provider_logout_url"
LOGIN_REDIRECT_URL_FAILURE = "oidc_failed"
# The claim that lists the user's groups, the claim used as username, and what each group gives:
# {"<group>": {"roles": ["moderator", …], "units": ["<unit code>", …]}, …} (JSON).
UPPSIKT_OIDC_GROUPS_CLAIM = env.str("UPPSIKT_OIDC_GROUPS_CLAIM", default="groups")
UPPSIKT_OIDC_USERNAME_CLAIM = env.str("UPPSIKT_OIDC_USERNAME_CLAIM", default="preferred_username")
try:
    UPPSIKT_OIDC_GROUP_MAP = json.loads(env.str("UPPSIKT_OIDC_GROUP_MAP", default="").strip() or "{}")
except ValueError as exc:
    raise ImproperlyConfigured(f"UPPSIKT_OIDC_GROUP_MAP är inte giltig JSON: {exc}") from exc
# Units follow the groups too (added and removed at every sign-in); 0 leaves units to administrators.
UPPSIKT_OIDC_SYNC_UNITS = env.bool("UPPSIKT_OIDC_SYNC_UNITS", default=True)

# Sessions end after this much inactivity (the idle middleware refreshes the expiry on each request).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Login throttling (django-axes): lock a username+address pair after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = "accounts.signin.local.axes_lockout_parameters"  # username + address
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_VERBOSE = False

LANGUAGE_CODE = "sv"
# Each language is named in its own language, as language switches do.
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Stored files have no URL: views that check permission deliver them (config/storage.py).
    "default": {"BACKEND": "config.storage.PrivateFileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and not env.bool("TESTING", default=False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
TESTING = env.bool("TESTING", default=False)
# Serve static files straight from the source folders in development and tests (no collectstatic).
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Never served as static files (not even with DEBUG): see config/storage.py.
MEDIA_URL = "/media/"

# Mail: console in development, a real SMTP server in production (EMAIL_URL=smtp+tls://user:pw@host:587).
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
vars().update(_email)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="uppsikt@exempelstad.se")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
ADMINS = [("Systemförvaltare", a) for a in env.list("ADMINS", default=[])]

# Security: secure by default when DEBUG is off (the deployment sits behind TLS).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# Proxies whose X-Forwarded-For names the client (audit log, login throttling, /metrics' loopback rule):
# addresses or networks. Default behind a proxy: the local nginx.
UPPSIKT_TRUSTED_PROXIES = env.list("UPPSIKT_TRUSTED_PROXIES", default=["127.0.0.1", "::1"] if BEHIND_PROXY else [])
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Probes and Prometheus talk to gunicorn over plain HTTP on the machine itself.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
# Content-Security-Policy (django-csp 4): nothing inline, nothing from other sites. The OpenID
# provider is added to form-action at run time (config/operations/headers.py); the API's ReDoc
# page alone gets inline styles and a blob: worker (config/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
UPPSIKT_PERMISSIONS_POLICY = [
    "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope",
    "magnetometer", "microphone", "midi", "payment", "usb",
]
CSRF_FAILURE_VIEW = "config.views.csrf_failure"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["config.api.StaffModelPermissions"],
    "DEFAULT_PAGINATION_CLASS": "config.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "30/minute", "user": "2000/minute"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Uppsikt API",
    "DESCRIPTION": "Moderering och diarieföring av kommunens sociala medier.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The schema and its documentation pages are for signed-in staff (and API tokens) only.
    "SERVE_PERMISSIONS": ["config.api.IsStaffMember"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api.document_error_responses",
    ],
    # Two different choice sets are both called "part": name them.
    "ENUM_NAME_OVERRIDES": {
        "SecrecyPartEnum": "records.secrecy.models.SecrecyPart",
        "DisclosurePartEnum": ["sender", "description", "content", "attachment"],
    },
}

# Background tasks: TASKS_BACKEND=database (django-tasks-db, the default: one machine or a few
# workers on one database) or redis (django-tasks-rq on REDIS_URL: workers on several machines);
# a dotted backend class path is accepted too. `manage.py run_worker` starts a worker for either.
TASK_QUEUES = ["default", "platform", "screening", "retention"]
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "redis": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_tasks_backend = env.str("TASKS_BACKEND", default="database").strip()
if _tasks_backend.lower() in _TASK_BACKENDS:
    _tasks_backend = _TASK_BACKENDS[_tasks_backend.lower()]
elif "." not in _tasks_backend:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND={_tasks_backend!r} är okänd: använd database, redis eller en klass (modul.Klass)."
    )
TASKS = {"default": {"BACKEND": _tasks_backend, "QUEUES": TASK_QUEUES}}
REDIS_URL = env.str("REDIS_URL", default="") or "redis://127.0.0.1:6379/0"
# Longest a task may run on an RQ worker before it is stopped (a purge list of a million items runs
# a few minutes; an interrupted one is resumed by the next run).
UPPSIKT_TASK_TIMEOUT = env.int("UPPSIKT_TASK_TIMEOUT", default=3600)
RQ_QUEUES = {
    name: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": UPPSIKT_TASK_TIMEOUT, "DEFAULT_RESULT_TTL": 24 * 3600}
    for name in TASK_QUEUES
}
RQ_SHOW_ADMIN_LINK = False  # the RQ dashboard's API views would bypass Uppsikt's own permissions
if _tasks_backend == _TASK_BACKENDS["redis"]:
    INSTALLED_APPS.append("django_rq")
# The scheduler (manage.py run_scheduler): seconds between its looks at the job table.
UPPSIKT_SCHEDULER_TICK_SECONDS = env.float("UPPSIKT_SCHEDULER_TICK_SECONDS", default=10.0)

# Logs go to stderr: JSON lines with the request id in production (LOG_FORMAT=json, the default
# when DEBUG is off), plain text in development.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
if LOG_FORMAT not in ("json", "plain"):
    raise ImproperlyConfigured("LOG_FORMAT ska vara json eller plain.")
LOGGING_CONFIG = "logging.config.dictConfig"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.operations.request_id.RequestIdFilter"}},
    "formatters": {
        "main": {"()": "config.operations.logs.JsonFormatter"} if LOG_FORMAT == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr", "formatter": "main",
                   "filters": ["request_id"]},
    },
    "root": {"handlers": ["stderr"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# Uppsikt's own settings.
UPPSIKT_ORGANISATION_NAME = env.str("UPPSIKT_ORGANISATION_NAME", default="Exempelstads kommun")
UPPSIKT_ORGANISATION_ID = env.str("UPPSIKT_ORGANISATION_ID", default="212000-0000")
# The name authenticator apps show beside the user's TOTP code.
OTP_TOTP_ISSUER = env.str("UPPSIKT_OTP_ISSUER", default="") or f"Uppsikt {UPPSIKT_ORGANISATION_NAME}"
# Key for credentials kept encrypted at rest (Fernet, urlsafe base64 of 32 bytes); derived from SECRET_KEY if unset.
UPPSIKT_FIELD_ENCRYPTION_KEY = env.str("UPPSIKT_FIELD_ENCRYPTION_KEY", default="")
UPPSIKT_CLAIM_MINUTES = env.int("UPPSIKT_CLAIM_MINUTES", default=15)
UPPSIKT_STRIKE_THRESHOLD = env.int("UPPSIKT_STRIKE_THRESHOLD", default=3)
UPPSIKT_STRIKE_WINDOW_DAYS = env.int("UPPSIKT_STRIKE_WINDOW_DAYS", default=90)
UPPSIKT_WEBHOOK_MAX_BYTES = env.int("UPPSIKT_WEBHOOK_MAX_BYTES", default=1024 * 1024)
# Webhook calls with a bad signature: 429 for a source address after this many in a minute; kept as
# evidence in a table of at most this many rows, each deleted after this many days.
UPPSIKT_WEBHOOK_FAILURES_PER_MINUTE = env.int("UPPSIKT_WEBHOOK_FAILURES_PER_MINUTE", default=10)
UPPSIKT_WEBHOOK_REJECTIONS_MAX_ROWS = env.int("UPPSIKT_WEBHOOK_REJECTIONS_MAX_ROWS", default=10000)
UPPSIKT_WEBHOOK_REJECTIONS_DAYS = env.int("UPPSIKT_WEBHOOK_REJECTIONS_DAYS", default=30)
# The purge journal (records/retention/journal.py): one small append-only file per executed purge list,
# read by `manage.py restore` to purge again what was purged after the backup. Keep it on other storage
# than the database (docs/backup-restore.md).
UPPSIKT_PURGE_JOURNAL_DIR = env.str("UPPSIKT_PURGE_JOURNAL_DIR", default="") or str(VAR_DIR / "purge-journal")
# import_items: a line longer than this many bytes is reported as too long (never held in memory whole).
UPPSIKT_IMPORT_MAX_LINE_BYTES = env.int("UPPSIKT_IMPORT_MAX_LINE_BYTES", default=1024 * 1024)
UPPSIKT_PLATFORM_MAX_ATTEMPTS = env.int("UPPSIKT_PLATFORM_MAX_ATTEMPTS", default=8)
UPPSIKT_PLATFORM_TIMEOUT = env.float("UPPSIKT_PLATFORM_TIMEOUT", default=10.0)
UPPSIKT_GRAPH_URL = env.str("UPPSIKT_GRAPH_URL", default="https://graph.facebook.com")
UPPSIKT_YOUTUBE_URL = env.str("UPPSIKT_YOUTUBE_URL", default="https://www.googleapis.com")
UPPSIKT_LINKEDIN_URL = env.str("UPPSIKT_LINKEDIN_URL", default="https://api.linkedin.com")
# OAuth token endpoints for refreshing YouTube (Google) and LinkedIn access tokens (tests point them at a fake).
UPPSIKT_GOOGLE_TOKEN_URL = env.str("UPPSIKT_GOOGLE_TOKEN_URL", default="https://oauth2.googleapis.com/token")
UPPSIKT_LINKEDIN_TOKEN_URL = env.str("UPPSIKT_LINKEDIN_TOKEN_URL",
                                     default="https://www.linkedin.com/oauth/v2/accessToken")
# Access tokens expiring within this many minutes are refreshed by the scheduled job.
UPPSIKT_TOKEN_REFRESH_AHEAD_MINUTES = env.int("UPPSIKT_TOKEN_REFRESH_AHEAD_MINUTES", default=60)
# Events waiting for their item or parent longer than this are expired (moderation.platforms.pending).
UPPSIKT_PENDING_EVENT_TTL_HOURS = env.int("UPPSIKT_PENDING_EVENT_TTL_HOURS", default=48)
UPPSIKT_DISCLOSURE_DEADLINE_WORKDAYS = env.int("UPPSIKT_DISCLOSURE_DEADLINE_WORKDAYS", default=1)
UPPSIKT_HIDE_PRIVATE_SENDERS = env.bool("UPPSIKT_HIDE_PRIVATE_SENDERS", default=True)
# Fit with the municipality's main diarium (records/diarium/services/main_diarium.py): the name of the
# diarium Uppsikt keeps (shown on the postlista), the main diarium's system and public list, and the
# series codes the main diarium numbers with, which Uppsikt's numbers must never look like.
UPPSIKT_DIARIUM_NAME = env.str("UPPSIKT_DIARIUM_NAME", default="Diariet för kommunens sociala medier")
UPPSIKT_MAIN_DIARIUM_SYSTEM = env.str("UPPSIKT_MAIN_DIARIUM_SYSTEM", default="")
UPPSIKT_MAIN_DIARIUM_URL = env.str("UPPSIKT_MAIN_DIARIUM_URL", default="")
UPPSIKT_MAIN_DIARIUM_SERIES = env.list("UPPSIKT_MAIN_DIARIUM_SERIES", default=[])
# The item page shows the legal basis for names on the municipality's accounts (GDPR art. 6.1 e) and,
# beside it, what the municipality's policy says about interaction (default: Linköping's words).
UPPSIKT_INTERACTION_POLICY_TEXT = env.str("UPPSIKT_INTERACTION_POLICY_TEXT", default=(
    "Så fort du interagerar, det vill säga gillar, eller kommenterar, inlägg på kommunens konton så räknas "
    "din aktiva handling som ett samtycke på att dina personuppgifter får förekomma på kontot och inlägget, "
    "till exempel i form av länk till din profil. Samma sak gäller om du skickar privata meddelanden till "
    "kommunen."))
UPPSIKT_INTERACTION_POLICY_SOURCE = env.str("UPPSIKT_INTERACTION_POLICY_SOURCE",
                                            default="Linköpings kommuns riktlinjer för sociala medier")
# PDF/A output intent: an sRGB ICC profile from a Debian package (libgs-common, with Ghostscript).
UPPSIKT_PDFA_ICC_PROFILE = env.str("UPPSIKT_PDFA_ICC_PROFILE", default="/usr/share/color/icc/ghostscript/srgb.icc")
UPPSIKT_SCHEMAS_DIR = env.str("UPPSIKT_SCHEMAS_DIR", default=str(BASE_DIR.parent / "shared" / "schemas"))
# /metrics from other machines: `Authorization: Bearer <token>` (loopback needs none). Empty = loopback only.
UPPSIKT_METRICS_TOKEN = env.str("UPPSIKT_METRICS_TOKEN", default="")
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)

# Media: pictures, video and other attachments of items, and the evidence sheets (moderation/media).
# Files go to Django's default storage: the file system under MEDIA_ROOT unless UPPSIKT_STORAGE=s3, which
# uses S3-compatible object storage through django-storages. They are never served from a public URL: the
# download views check the item's (or document's) visibility and secrecy first.
UPPSIKT_STORAGE = env.str("UPPSIKT_STORAGE", default="filesystem")
if UPPSIKT_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("UPPSIKT_S3_BUCKET"),
            "endpoint_url": env.str("UPPSIKT_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("UPPSIKT_S3_REGION", default="") or None,
            "access_key": env.str("UPPSIKT_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("UPPSIKT_S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("UPPSIKT_S3_PREFIX", default=""),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif UPPSIKT_STORAGE != "filesystem":
    raise ImproperlyConfigured("UPPSIKT_STORAGE måste vara filesystem eller s3.")
# Hosts attachments may be fetched from: names ("media.licdn.com"), subdomain patterns ("*.fbcdn.net",
# subdomains only) on ports 80/443, and explicitly listed addresses or networks ("127.0.0.1", "10.0.0.0/8")
# on any port. Private, loopback, link-local and reserved addresses are refused unless listed.
UPPSIKT_MEDIA_ALLOWED_HOSTS = env.list("UPPSIKT_MEDIA_ALLOWED_HOSTS", default=[
    "*.fbcdn.net", "*.fbsbx.com", "*.cdninstagram.com",  # Facebook and Instagram (Meta's CDN)
    "*.ytimg.com", "*.ggpht.com", "*.googleusercontent.com",  # YouTube thumbnails and avatars
    "media.licdn.com", "*.licdn.com",  # LinkedIn
])
UPPSIKT_MEDIA_MAX_BYTES = env.int("UPPSIKT_MEDIA_MAX_BYTES", default=100 * 1024 * 1024)
UPPSIKT_MEDIA_TIMEOUT = env.float("UPPSIKT_MEDIA_TIMEOUT", default=20.0)
UPPSIKT_MEDIA_TOTAL_SECONDS = env.float("UPPSIKT_MEDIA_TOTAL_SECONDS", default=300.0)
UPPSIKT_MEDIA_MAX_ATTEMPTS = env.int("UPPSIKT_MEDIA_MAX_ATTEMPTS", default=6)
UPPSIKT_MEDIA_MAX_REDIRECTS = env.int("UPPSIKT_MEDIA_MAX_REDIRECTS", default=5)
# Upload limit for signed consent forms (bytes).
UPPSIKT_CONSENT_FORM_MAX_BYTES = env.int("UPPSIKT_CONSENT_FORM_MAX_BYTES", default=10 * 1024 * 1024)
# Notifications (accounts/notifications): e-mail through EMAIL_URL, links to UPPSIKT_BASE_URL. Office hours
# on working days; outside them only the on-call group gets urgent e-mail at once, the others the next digest.
UPPSIKT_BASE_URL = env.str("UPPSIKT_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
UPPSIKT_OFFICE_HOURS = env.str("UPPSIKT_OFFICE_HOURS", default="08:00-17:00")
UPPSIKT_NOTIFICATION_DIGEST_TIME = env.str("UPPSIKT_NOTIFICATION_DIGEST_TIME", default="07:30")
UPPSIKT_NOTIFICATION_MAX_ATTEMPTS = env.int("UPPSIKT_NOTIFICATION_MAX_ATTEMPTS", default=8)
# Read notifications and finished e-mails are deleted after this many days (unread ones stay).
UPPSIKT_NOTIFICATION_KEEP_DAYS = env.int("UPPSIKT_NOTIFICATION_KEEP_DAYS", default=180)
UPPSIKT_EMAIL_TIMEOUT = env.float("UPPSIKT_EMAIL_TIMEOUT", default=20.0)
EMAIL_TIMEOUT = UPPSIKT_EMAIL_TIMEOUT
# Reports by e-mail (moderation/reports/mailbox.py): the mailbox read over IMAP (imaps://user:pw@host:993/INBOX,
# imap://…?starttls=1 for STARTTLS, imap://… plain only for tests on 127.0.0.1) and the address the public writes to.
UPPSIKT_REPORT_IMAP_URL = env.str("UPPSIKT_REPORT_IMAP_URL", default="")
UPPSIKT_REPORT_ADDRESS = env.str("UPPSIKT_REPORT_ADDRESS", default="info@exempelstad.example")
UPPSIKT_REPORT_IMAP_TIMEOUT = env.float("UPPSIKT_REPORT_IMAP_TIMEOUT", default=30.0)
UPPSIKT_REPORT_MAX_BYTES = env.int("UPPSIKT_REPORT_MAX_BYTES", default=10 * 1024 * 1024)
# /konton/: where the public finds the politicians and the e-service for synpunkter and felanmälan.
# The development defaults point at the demo municipality's (non-existent) .example site.
UPPSIKT_POLITICIANS_URL = env.str("UPPSIKT_POLITICIANS_URL",
                                  default="https://www.exempelstad.example/politik" if DEBUG else "")
UPPSIKT_ESERVICE_URL = env.str("UPPSIKT_ESERVICE_URL",
                               default="https://www.exempelstad.example/e-tjanster/synpunkter-och-felanmalan"
                               if DEBUG else "")
# A CA bundle for the IMAP server's certificate when it is not signed by a public CA (empty: the system's).
UPPSIKT_REPORT_IMAP_CAFILE = env.str("UPPSIKT_REPORT_IMAP_CAFILE", default="")

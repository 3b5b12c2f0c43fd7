"""Settings, read from the environment (12-factor) with embedded defaults for development.

Unset DATABASE_URL means SQLite in var/; unset REDIS_URL means a filesystem Celery broker and a
local-memory cache, so `make run` needs nothing but Python.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TRACKER_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    # DEBUG only.
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # nosec B105

ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "simple_history",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "tracker",
    "accounts",
    "takedowns",
    "sharing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "tracker.security_headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tracker.two_factor.middleware.SessionOTPMiddleware",
    "tracker.sessions.SessionLimitsMiddleware",
    "tracker.two_factor.middleware.SecondFactorMiddleware",
    "tracker.security_log.SecurityLogMiddleware",
    "tracker.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # `make run` has web, worker and beat writing one file: take the write lock when a
    # transaction starts and wait for it, instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "tracker.User"
# ModelBackend with each user's permission set kept in the cache (see tracker/auth_backends.py).
# django-axes first: it refuses a locked-out user or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "tracker.auth_backends.CachedPermissionBackend",
]
PERMISSION_CACHE_SECONDS = env_int("PERMISSION_CACHE_SECONDS", 300)
# Longest an API token (with its user) is served from the cache (see tracker/api/tokens.py).
TOKEN_CACHE_SECONDS = env_int("TOKEN_CACHE_SECONDS", 60)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Dates are stored in UTC and shown in the user's zone; the cell works from Pakistan.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ur", "اردو")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TRACKER_DEFAULT_TIME_ZONE", "Asia/Karachi")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
# htmx and Chart.js come from npm (package-lock.json) and are served by the app itself, no CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
    # The Urdu web font (woff2, split by script): pages never depend on the reader's fonts.
    (
        "vendor/fonts/noto-naskh-arabic",
        BASE_DIR / "node_modules" / "@fontsource" / "noto-naskh-arabic",
    ),
]
# TrueType fonts the PDFs embed (fpdf2 needs TTF/OTF; the @fontsource packages ship woff only).
# Latin first, then the Arabic-script face that every glyph Latin lacks falls back to.
PDF_FONT_DIR = Path(
    os.environ.get("TRACKER_PDF_FONT_DIR", BASE_DIR / "node_modules" / "@expo-google-fonts")
)
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("TRACKER_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 50 * 1024 * 1024)

# Mirror detection (docs/mirrors.md): a score at or above MIRROR_STRONG_SCORE is a strong match;
# candidates below MIRROR_SUGGEST_SCORE are not stored. Phone numbers without a country code
# are read in MIRROR_PHONE_REGION.
MIRROR_STRONG_SCORE = float(os.environ.get("MIRROR_STRONG_SCORE", "0.8"))
MIRROR_SUGGEST_SCORE = float(os.environ.get("MIRROR_SUGGEST_SCORE", "0.5"))
MIRROR_PHONE_REGION = os.environ.get("MIRROR_PHONE_REGION", "PK")
MIRROR_AVATAR_MAX_BYTES = env_int("MIRROR_AVATAR_MAX_BYTES", 5 * 1024 * 1024)
MIRROR_REFIT_HOURS = env_int("MIRROR_REFIT_HOURS", 24)

# Sharing (docs/sharing.md): predicted handle variants per account in the signals, and the
# largest page of a platform's prevention feed.
SIGNAL_VARIANTS = env_int("SIGNAL_VARIANTS", 25)
FEED_PAGE_SIZE = env_int("FEED_PAGE_SIZE", 500)
FEED_DOWNLOAD_LIMIT = env_int("FEED_DOWNLOAD_LIMIT", 50_000)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # Short timeouts: when Redis is away, requests fall back to the database at once
            # instead of waiting on a socket.
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The cache is an optimisation only (permission sets, API tokens, the dashboard's figures, the
# adapters' rate budget): with Redis unreachable every cache call answers as a miss (get: the
# default, get_many: {}, add/set/incr: None) and logs it, so callers go on from the database.
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# Celery: Redis when REDIS_URL is set; otherwise kombu's filesystem transport, which lets the
# web process, a worker and beat on one machine talk without any server.
CELERY_BROKER_DIR = VAR_DIR / "celery-broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A message whose worker died unacknowledged is redelivered after visibility_timeout; a
    # short connect timeout keeps a web request quick when Redis is down (the outbox keeps the
    # task).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
        "socket_connect_timeout": 3,
        # Look for such messages every 10 s. kombu 5.7 scans only every 10th look by default,
        # which would leave a dead worker's task waiting up to 100 s past its timeout.
        "unacked_restore_interval": 10,
        "unacked_restore_throttle": 1,
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR),
        "data_folder_out": str(CELERY_BROKER_DIR),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)

# Background work; docs/operations.md explains each setting.
OUTBOX_GRACE_SECONDS = env_int("OUTBOX_GRACE_SECONDS", 30)
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 30)
HEALTH_WORKER_MAX_AGE_SECONDS = env_int("HEALTH_WORKER_MAX_AGE_SECONDS", 180)
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
WEBHOOK_RETRY_BASE_SECONDS = env_int("WEBHOOK_RETRY_BASE_SECONDS", 30)
WEBHOOK_RETRY_MAX_DELAY_SECONDS = env_int("WEBHOOK_RETRY_MAX_DELAY_SECONDS", 6 * 3600)
WEBHOOK_RETRY_FOR_HOURS = env_int("WEBHOOK_RETRY_FOR_HOURS", 24)
# Outbound calls (webhooks, platform adapters, list downloads) to loopback, private and other
# non-public addresses are refused in production (server-side request forgery, core/outbound.py);
# development and the tests call local servers. OUTBOUND_ALLOWED_NETWORKS (comma-separated CIDRs)
# opens chosen networks in production too, e.g. an internal platform gateway.
OUTBOUND_ALLOW_PRIVATE = env_bool(
    "OUTBOUND_ALLOW_PRIVATE", env_bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", DEBUG)
)
OUTBOUND_ALLOWED_NETWORKS = [
    n.strip() for n in os.environ.get("OUTBOUND_ALLOWED_NETWORKS", "").split(",") if n.strip()
]
OUTBOUND_MAX_REDIRECTS = env_int("OUTBOUND_MAX_REDIRECTS", 5)
ACCOUNT_RECHECK_MINUTES = env_int("ACCOUNT_RECHECK_MINUTES", 15)
ACCOUNT_RECHECK_AFTER_HOURS = env_int("ACCOUNT_RECHECK_AFTER_HOURS", 6)
ACCOUNT_RECHECK_BATCH = env_int("ACCOUNT_RECHECK_BATCH", 200)

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
# The folder of django.core.mail.backends.filebased.EmailBackend (bench/load.py counts the mail).
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
# Besides the report over all platforms, the monthly job builds one for each of these slugs.
COMPLIANCE_REPORT_PLATFORMS = [
    slug.strip()
    for slug in os.environ.get("COMPLIANCE_REPORT_PLATFORMS", "").split(",")
    if slug.strip()
]
# How often the monthly job looks whether last month's report is there (it builds it once).
COMPLIANCE_REPORT_CHECK_SECONDS = env_int("COMPLIANCE_REPORT_CHECK_SECONDS", 3600)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "tracker@localhost")

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes "not logged in" a 401, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tracker.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "tracker.api.permissions.TokenScopePermission",
        "tracker.api.permissions.RolePermission",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "core.negotiation.CredentialsFirstNegotiation",
    "DEFAULT_PARSER_CLASSES": ["tracker.api.parsers.StrictJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "tracker.api.pagination.KeysetPagination",
    "DEFAULT_FILTER_BACKENDS": ["tracker.api.filters.StrictFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "tracker.api.schema.TrackerAutoSchema",
    "EXCEPTION_HANDLER": "tracker.api.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Proscribed-accounts tracker API",
    "DESCRIPTION": (
        "Flagged accounts of proscribed organisations and the takedown requests sent to platforms."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "AccountStatusEnum": "accounts.choices.AccountStatus",
        "MirrorStatusEnum": "accounts.choices.MirrorStatus",
        "EvidenceKindEnum": "accounts.choices.EvidenceKind",
        "RequestStatusEnum": "takedowns.choices.RequestStatus",
        "RequestKindEnum": "takedowns.choices.RequestKind",
        "EventKindEnum": "takedowns.choices.EventKind",
        "DeliveryStatusEnum": "takedowns.models.WebhookDelivery.Status",
    },
}

# Takedown deadlines: Pakistan's 2021 Removal and Blocking Rules by default, editable per platform.
TAKEDOWN_DEFAULT_DEADLINE_HOURS = {"removal": 48, "geo_block": 48, "emergency": 12}
TAKEDOWN_PRESERVATION_DAYS = env_int("TAKEDOWN_PRESERVATION_DAYS", 90)
DEADLINE_SWEEP_SECONDS = env_int("DEADLINE_SWEEP_SECONDS", 60)
DEADLINE_REMINDER_SHARE = float(os.environ.get("DEADLINE_REMINDER_SHARE", "0.25"))
ESCALATION_LEVEL2_AFTER = timedelta(hours=env_int("ESCALATION_LEVEL2_AFTER_HOURS", 24))

# Designation lists refreshed by the task accounts.refresh_designations (docs/designations.md):
# JSON {"un": "https://...", ...} or "un=https://...,ofac=https://..."; empty: nothing to do.
DESIGNATION_SOURCES = os.environ.get("DESIGNATION_SOURCES", "")
DESIGNATION_REFRESH_HOURS = env_int("DESIGNATION_REFRESH_HOURS", 24)
DESIGNATION_FETCH_TIMEOUT = float(os.environ.get("DESIGNATION_FETCH_TIMEOUT", "30"))

DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "tracker-demo-2026")

# How long the dashboard figures (API /stats/) may be reused before they are computed again.
TRACKER_STATS_CACHE_SECONDS = env_int("TRACKER_STATS_CACHE_SECONDS", 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Security (OWASP ASVS level 2; docs/security.md) ---------------------------------------
# Sessions: signed out after SESSION_IDLE_MINUTES without activity and SESSION_ABSOLUTE_MINUTES
# after sign-in (tracker/sessions.py); the cookie dies with the absolute limit too.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_ABSOLUTE_MINUTES = env_int("SESSION_ABSOLUTE_MINUTES", 12 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_MINUTES * 60
SESSION_PASSIVE_URL_NAMES = ["notification_bell"]
# Behind N reverse proxies, the client is the N-th address from the right of X-Forwarded-For.
TRACKER_TRUSTED_PROXIES = env_int("TRACKER_TRUSTED_PROXIES", 0)
if TRACKER_TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Lockout (django-axes): AXES_FAILURE_LIMIT failures lock the username, and separately the
# address, for AXES_COOLOFF_MINUTES; an administrator unlocks at once in the admin (Axes >
# Access attempts: delete the row). Second-factor failures count too.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "tracker.security_log.axes_client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Lockouts are in the security log; axes' own lines would repeat them at every failure.
LOGGING["loggers"]["axes"] = {"level": "ERROR"}

# Second factor (django-otp, TOTP with backup codes): always for supervisors and
# administrators, for analysts when OTP_REQUIRED_FOR_ANALYSTS is on (tracker/two_factor/).
OTP_REQUIRED_FOR_ANALYSTS = env_bool("OTP_REQUIRED_FOR_ANALYSTS", False)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Takedown tracker")
OTP_BACKUP_CODES = env_int("OTP_BACKUP_CODES", 10)

# Headers. No inline script or style anywhere: the pages load static files only.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# ASVS 3.3.3: Secure cookies carry the __Host- prefix, which browsers accept only over HTTPS, for
# this exact host (no Domain) and path /, so a sibling subdomain can neither plant nor overwrite
# them. Only with Secure cookies: a browser drops a __Host- cookie sent without Secure.
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
if SESSION_COOKIE_SECURE:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_NAME = "__Host-django_language"

# API rate limits (tracker/api/throttling.py): per token, per signed-in user and per address,
# as "<count>/<second|minute|hour|day>"; an empty value switches that limit off.
API_THROTTLE_RATES = {
    "token": os.environ.get("API_RATE_PER_TOKEN", "1200/minute"),
    "user": os.environ.get("API_RATE_PER_USER", "600/minute"),
    "address": os.environ.get("API_RATE_PER_ADDRESS", "1200/minute"),
}
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = [
    "tracker.api.throttling.TokenRateThrottle",
    "tracker.api.throttling.UserRateThrottle",
    "tracker.api.throttling.AddressRateThrottle",
]

# Disclosed account-holder data is encrypted at rest (core/encryption.py): Fernet keys, newest
# first, comma-separated. Development generates one into var/ (never committed); production
# must set them. Rotate: put a new key first, run `manage.py disclosures_reencrypt`, then drop
# the old key.
DISCLOSURE_KEYS = [k.strip() for k in os.environ.get("DISCLOSURE_KEYS", "").split(",") if k.strip()]
if not DISCLOSURE_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured("DISCLOSURE_KEYS must be set when DJANGO_DEBUG is off.")
    _key_file = VAR_DIR / "disclosure.key"
    if not _key_file.exists():
        # web, worker and beat may start together: write aside, link into place atomically,
        # and whoever loses the race reads the winner's key.
        from cryptography.fernet import Fernet

        _key_file.parent.mkdir(parents=True, exist_ok=True)
        _draft = _key_file.with_name(f"disclosure.key.{os.getpid()}")
        _draft.write_text(Fernet.generate_key().decode())
        _draft.chmod(0o600)
        try:
            os.link(_draft, _key_file)
        except FileExistsError:
            pass
        finally:
            _draft.unlink()
    DISCLOSURE_KEYS = [_key_file.read_text().strip()]

# STIX 2.1 and TAXII 2.1 (docs/sharing.md). STIX_NAMESPACE names this installation's groups,
# requests and relationships (UUIDv5); give each installation its own so two trackers never
# share an id. Imports are refused above STIX_IMPORT_MAX_BYTES or STIX_IMPORT_MAX_OBJECTS.
STIX_NAMESPACE = os.environ.get("STIX_NAMESPACE", "5b0c6f7e-3d0a-4f4e-9c54-7a3f1d6c2e10")
STIX_IMPORT_MAX_BYTES = env_int("STIX_IMPORT_MAX_BYTES", 100 * 1024 * 1024)
STIX_IMPORT_MAX_OBJECTS = env_int("STIX_IMPORT_MAX_OBJECTS", 1_000_000)
# A previewed STIX bundle never confirmed is deleted after this long (by default when the
# session that could confirm it ends); the periodic sharing.stix_previews_expire runs hourly.
STIX_PREVIEW_MAX_AGE_MINUTES = env_int("STIX_PREVIEW_MAX_AGE_MINUTES", SESSION_ABSOLUTE_MINUTES)
TAXII_PAGE_SIZE = env_int("TAXII_PAGE_SIZE", 1000)
TAXII_MAX_PAGE_SIZE = env_int("TAXII_MAX_PAGE_SIZE", 10000)
# MISP events' distribution: 0 your organisation only (the default), 1 this community,
# 2 connected communities, 3 all communities.
MISP_DISTRIBUTION = env_int("MISP_DISTRIBUTION", 0)

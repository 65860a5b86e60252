"""Settings, read from the environment (12-factor) with safe defaults for local use.

Every variable read here is listed in the README's configuration table.
"""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.database import databases

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-local-development-key-never-used-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "daphne",  # first: its runserver (ASGI, WebSockets too) replaces Django's
    # unfold must come before django.contrib.admin
    "unfold",
    "unfold.contrib.filters",
    "unfold.contrib.forms",
    "unfold.contrib.import_export",
    "unfold.contrib.guardian",
    "unfold.contrib.simple_history",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "guardian",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "import_export",
    "leaflet",
    "simple_history",
    "django_filters",
    "rest_framework",
    "rest_framework_simplejwt",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "anymail",
    # Domain apps
    "realestate.core",
    "realestate.accounts",
    "realestate.documents",
    "realestate.properties",
    "realestate.clients",
    "realestate.sales",
    "realestate.leasing",
    "realestate.finance",
    "realestate.notifications",
    "realestate.api",
    "realestate.backoffice",
    # After the domain apps: realestate.core's qcluster command replaces django-q's.
    "django_q",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.csp.SocketConnectMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "realestate.accounts.twofactor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
# Default: an embedded SpatiaLite file under var/, so that `make run` needs no server.
DATABASES = databases(env, VAR_DIR)

SPATIALITE_LIBRARY_PATH = env.str("SPATIALITE_LIBRARY_PATH", default="mod_spatialite")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and job broker -----------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
            "KEY_PREFIX": "realestate",
        }
    }
else:
    # The database, so that every process sees the same cache (table made by core's
    # migrations). Counters do not use it: see realestate/core/counters.py.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
        },
        # django-q2's cluster statistics, rewritten twice a second: kept out of the database.
        "jobs": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }

Q_CLUSTER = {
    "name": "realestate",
    "workers": env.int("Q_WORKERS", default=2),
    "timeout": 600,
    "retry": 900,
    "max_attempts": 3,
    "queue_limit": 50,
    "bulk": 10,
    "catch_up": False,
    "label": _("Scheduled jobs"),
    "sync": env.bool("Q_SYNC", default=False),
}
#: Seconds `qcluster` may take to stop on SIGTERM: tasks in hand finish or go back to the queue.
Q_STOP_TIMEOUT = env.int("Q_STOP_TIMEOUT", default=8)
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"
    Q_CLUSTER["cache"] = "jobs"

# --- Auth ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row; the API and admin need a login
GUARDIAN_RAISE_403 = False
GUARDIAN_MONKEY_PATCH_USER = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# unfold's login form posts no "next": a login opened directly lands on the dashboard.
LOGIN_REDIRECT_URL = "admin:index"

# Login throttling (admin form and API token endpoint): failures per username and per client
# address within the window lock that username / address for the window.
LOGIN_MAX_FAILURES = env.int("LOGIN_MAX_FAILURES", default=5)
LOGIN_MAX_FAILURES_PER_IP = env.int("LOGIN_MAX_FAILURES_PER_IP", default=20)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=15)
# Request META key holding the client address behind a reverse proxy (e.g. HTTP_X_REAL_IP);
# empty: REMOTE_ADDR. Only set it when the proxy overwrites that header.
LOGIN_CLIENT_IP_HEADER = env.str("LOGIN_CLIENT_IP_HEADER", default="")
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Real-estate back office")

# --- E-mail (staff password reset) ----------------------------------------------------------
# e.g. smtp+tls://user:password@smtp.example.com:587; the default prints mails on the console.
# EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, … from the URL (django-environ).
vars().update(
    {
        name: value
        for name, value in env.email_url("EMAIL_URL", default="consolemail://").items()
        if value is not None
    }
)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Real-estate back office <noreply@localhost>"
)
# Or an e-mail provider's HTTP API through django-anymail, when its key is set (the first of
# these found wins over EMAIL_URL). Its tracking webhook (/anymail/<provider>/tracking/, basic
# auth ANYMAIL_WEBHOOK_SECRET="user:password") marks bounced deliveries.
ANYMAIL_PROVIDERS = {
    "SENDGRID_API_KEY": "sendgrid",
    "MAILGUN_API_KEY": "mailgun",
    "POSTMARK_SERVER_TOKEN": "postmark",
    "BREVO_API_KEY": "brevo",
}
ANYMAIL = {}
for _key, _provider in ANYMAIL_PROVIDERS.items():
    if env.str(_key, default=""):
        EMAIL_BACKEND = f"anymail.backends.{_provider}.EmailBackend"
        ANYMAIL = {_key: env.str(_key)}
        if _provider == "mailgun":
            ANYMAIL["MAILGUN_SENDER_DOMAIN"] = env.str("MAILGUN_SENDER_DOMAIN", default="")
        break
if env.str("ANYMAIL_WEBHOOK_SECRET", default=""):
    ANYMAIL["WEBHOOK_SECRET"] = env.str("ANYMAIL_WEBHOOK_SECRET")

# --- Notifications ------------------------------------------------------------------------
# One backend per channel (realestate/notifications/backends): e-mail goes through the e-mail
# settings above; SMS and push write to the log unless a provider is configured.
NOTIFICATION_BACKENDS = {
    "sms": env.str("SMS_BACKEND", default="realestate.notifications.backends.sms.LogSmsBackend"),
    "push": env.str(
        "PUSH_BACKEND", default="realestate.notifications.backends.push.LogPushBackend"
    ),
}
# SMS_BACKEND=realestate.notifications.backends.twilio.TwilioSmsBackend sends through Twilio:
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="")
#: The sending number (+971…), or a messaging service's id (MG…).
TWILIO_FROM = env.str("TWILIO_FROM", default="")
TWILIO_API_BASE = env.str("TWILIO_API_BASE", default="")  # tests: a local stand-in
TWILIO_TIMEOUT = env.float("TWILIO_TIMEOUT", default=10.0)
# PUSH_BACKEND=realestate.notifications.backends.fcm.FcmPushBackend sends through FCM HTTP v1
# with a service account's JSON key:
FCM_SERVICE_ACCOUNT_FILE = env.str("FCM_SERVICE_ACCOUNT_FILE", default="")
FCM_API_BASE = env.str("FCM_API_BASE", default="https://fcm.googleapis.com")
FCM_TIMEOUT = env.float("FCM_TIMEOUT", default=10.0)
#: Seconds before each retry of a failed delivery; after the last, it is failed.
NOTIFICATION_RETRY_SECONDS = env.list(
    "NOTIFICATION_RETRY_SECONDS", cast=int, default=[60, 300, 1800, 7200]
)
#: Overdue reminders' steps (days past due) and lease-ending warnings (days before the end).
OVERDUE_REMINDER_DAYS = env.list("OVERDUE_REMINDER_DAYS", cast=int, default=[3, 10, 30])
LEASE_ENDING_DAYS = env.list("LEASE_ENDING_DAYS", cast=int, default=[90, 60, 30])
#: Tests send deliveries at once, after commit, instead of queueing the dispatch job.
NOTIFICATIONS_DISPATCH_INLINE = env.bool("NOTIFICATIONS_DISPATCH_INLINE", default=False)

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Dubai")
USE_I18N = True
USE_TZ = True
DEFAULT_CURRENCY = env.str("DEFAULT_CURRENCY", default="AED")
#: Default management fee on rent collected for owners, when the owner has no rate of their own.
MANAGEMENT_FEE_PERCENT = Decimal(env.str("MANAGEMENT_FEE_PERCENT", default="5.00"))

# --- Document templates (realestate/documents/sandbox.py) -----------------------------------
#: A template's render is stopped past this many seconds, or this much HTML.
DOCUMENT_RENDER_SECONDS = env.float("DOCUMENT_RENDER_SECONDS", default=5.0)
DOCUMENT_HTML_MAX_MB = env.float("DOCUMENT_HTML_MAX_MB", default=5.0)
#: Laying the PDF out costs about a millisecond an element: a document has at most this many
#: elements, pages, and seconds of layout.
DOCUMENT_MAX_ELEMENTS = env.int("DOCUMENT_MAX_ELEMENTS", default=20_000)
DOCUMENT_MAX_PAGES = env.int("DOCUMENT_MAX_PAGES", default=300)
DOCUMENT_PDF_SECONDS = env.float("DOCUMENT_PDF_SECONDS", default=30.0)

# --- Static and media files ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
#: Largest photo accepted (unit and maintenance photos: JPEG, PNG or WebP), in megabytes.
PHOTO_MAX_MB = env.int("PHOTO_MAX_MB", default=10)
# Documents: the largest upload, and the ClamAV daemon that scans every upload when set
# (``tcp://host:3310`` or a unix socket path); a configured daemon that cannot be reached
# refuses the upload (fail closed).
DOCUMENT_MAX_MB = env.int("DOCUMENT_MAX_MB", default=25)
CLAMAV_URL = env.str("CLAMAV_URL", default="")
CLAMAV_SOCKET = env.str("CLAMAV_SOCKET", default="")
CLAMAV_TIMEOUT = env.int("CLAMAV_TIMEOUT", default=30)

AWS_STORAGE_BUCKET_NAME = env.str("S3_BUCKET", default="")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = env.str("S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env.str("S3_REGION", default=None)
    AWS_ACCESS_KEY_ID = env.str("S3_ACCESS_KEY_ID", default=None)
    AWS_SECRET_ACCESS_KEY = env.str("S3_SECRET_ACCESS_KEY", default=None)
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True  # private files: links expire
    AWS_QUERYSTRING_EXPIRE = env.int("S3_LINK_SECONDS", default=300)  # 5 minutes
    _default_storage = {"BACKEND": "storages.backends.s3.S3Storage"}
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True  # `make run` serves static files without collectstatic
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)

# --- Security (production) ----------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=SECURE_HSTS_SECONDS > 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# --- REST API -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "realestate.accounts.api.authentication.RevocableJWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["realestate.core.api.filters.FilterBackend"],
    # DRF's JSON, the same bytes, written by orjson (core/api/renderers.py).
    "DEFAULT_RENDERER_CLASSES": [
        "realestate.core.api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # DRF's negotiation, its usual answer (JSON) given without parsing ``Accept`` again.
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "realestate.core.api.negotiation.ContentNegotiation",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
    # One shape for refused requests everywhere: {"code", "detail", "fields"} (core.api.errors).
    "EXCEPTION_HANDLER": "realestate.core.api.errors.exception_handler",
    # Counted in realestate/core/counters.py (shared by all processes); 429 with Retry-After.
    "DEFAULT_THROTTLE_CLASSES": [
        "realestate.core.api.throttling.AnonRateThrottle",
        "realestate.core.api.throttling.UserRateThrottle",
    ],
}
# "<requests>/<second|minute|hour|day>"; empty switches a limit off.
API_RATE_USER = env.str("API_RATE_USER", default="1200/hour")  # per signed-in user
API_RATE_ANON = env.str("API_RATE_ANON", default="300/hour")  # per address, without a token
API_RATE_TOKEN = env.str("API_RATE_TOKEN", default="30/minute")  # token endpoint, per address
# Online card payments with Stripe (realestate/finance/services/online_payments.py): on only
# when the secret, publishable and webhook keys are all set; STRIPE_API_BASE points the library
# at another server (tests stand one in for Stripe).
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="")
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=7)),
    "UPDATE_LAST_LOGIN": True,
    # A refresh token is good for one refresh: the used one is blacklisted.
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Real-estate back office API",
    "DESCRIPTION": "API for the owners', tenants' and field agents' mobile app.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "TokenRefusalCodeEnum": "realestate.accounts.api.serializers.REFUSAL_CHOICES",
        "UnitStatusEnum": "realestate.properties.choices.UnitStatus",
        "InvoiceStatusEnum": "realestate.finance.choices.ReceivableStatus",
        "PaymentStatusEnum": "realestate.finance.choices.PaymentStatus",
        "LeaseStatusEnum": "realestate.leasing.choices.LeaseStatus",
        "MaintenanceStatusEnum": "realestate.leasing.choices.MaintenanceStatus",
        "LeadStatusEnum": "realestate.clients.choices.LeadStatus",
        "ReservationStatusEnum": "realestate.sales.choices.ReservationStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "realestate.core.api.schema.allow_empty_query_values",
        "realestate.core.api.schema.merge_blank_alternatives",
        "realestate.api.examples.recorded_examples",
    ],
}

# --- Maps ---------------------------------------------------------------------------------
# MAP_TILES_URL="" switches tiles off (tests, machines without internet): the map still shows
# and edits geometry, on a blank background.
MAP_TILES_URL = env.str("MAP_TILES_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = env.str(
    "MAP_TILES_ATTRIBUTION", default="&copy; OpenStreetMap contributors"
)
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (25.2048, 55.2708),  # Dubai, where the demo inventory stands
    "DEFAULT_ZOOM": 11,
    "MIN_ZOOM": 3,
    "MAX_ZOOM": 19,
    "RESET_VIEW": False,
    "TILES": [("Streets", MAP_TILES_URL, {"attribution": MAP_TILES_ATTRIBUTION})]
    if MAP_TILES_URL
    else [],
}

# --- Content-Security-Policy (config/csp.py); live updates' channel layer (config/live.py) --
from config.csp import content_security_policy, storage_origins  # noqa: E402
from config.live import channel_layers  # noqa: E402

CONTENT_SECURITY_POLICY = content_security_policy(
    env,
    map_tiles_url=MAP_TILES_URL,
    storage=storage_origins(
        bucket=AWS_STORAGE_BUCKET_NAME,
        endpoint_url=env.str("S3_ENDPOINT_URL", default=None),
        region=env.str("S3_REGION", default=None),
    ),
)
CHANNEL_LAYERS = channel_layers(env, REDIS_URL)

# --- Import / export ----------------------------------------------------------------------
# Only CSV and XLSX are read and written (realestate/core/importing; the admin offers no
# other format): no YAML, JSON, HTML or TSV, whose parsers a hostile file can blow up.
IMPORT_MAX_MB = env.int("IMPORT_MAX_MB", default=20)
IMPORT_XLSX_MAX_EXPANDED_MB = env.int("IMPORT_XLSX_MAX_EXPANDED_MB", default=200)
IMPORT_XLSX_MAX_RATIO = env.int("IMPORT_XLSX_MAX_RATIO", default=100)
IMPORT_XLSX_MAX_PARTS = 1000
IMPORT_MAX_COLUMNS = 100
IMPORT_MAX_CELL_CHARS = env.int("IMPORT_MAX_CELL_CHARS", default=10_000)
IMPORT_MAX_ROW_CHARS = env.int("IMPORT_MAX_ROW_CHARS", default=100_000)
#: Files with more rows than this are checked and imported by a background job.
IMPORT_BACKGROUND_ROWS = env.int("IMPORT_BACKGROUND_ROWS", default=3000)
#: An XLSX export of more rows than this is built by a background job (CSV always streams).
EXPORT_BACKGROUND_ROWS = env.int("EXPORT_BACKGROUND_ROWS", default=5000)
#: Days a background export's workbook is kept for download (core.tasks.exports_expire).
EXPORT_KEEP_DAYS = env.int("EXPORT_KEEP_DAYS", default=7)
#: Hours the first answer to an Idempotency-Key request is kept for retries.
IDEMPOTENCY_KEEP_HOURS = env.int("IDEMPOTENCY_KEEP_HOURS", default=72)
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# --- Logging ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}

# --- Admin (unfold) -----------------------------------------------------------------------
from config.unfold import UNFOLD  # noqa: E402,F401

# Debian 12 ships GDAL 3.6, which cannot block file and network access from spatial
# reference strings. The app never hands user-supplied spatial references or rasters to GDAL
# (coordinates arrive as numbers or GeoJSON geometry), so the warning is acknowledged here.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

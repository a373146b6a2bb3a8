"""Settings for the Ea Ktur commune portal, read from the environment.

Embedded defaults (no variable set) give a developer's machine: SQLite under ``var/``,
a Celery broker on the filesystem under ``var/``, a local-memory cache and DEBUG off.
Production sets ``DATABASE_URL``, ``REDIS_URL``, ``SECRET_KEY``, ``ALLOWED_HOSTS`` and
``HTTPS=true`` (see README, "Production").
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.management.utils import get_random_secret_key
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("EAKUTUR_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
HTTPS = env.bool("HTTPS", default=False)


def _secret_key() -> str:
    """SECRET_KEY from the environment; on a developer's machine, one kept in var/."""
    if key := env.str("SECRET_KEY", default=""):
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(get_random_secret_key())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "eakutur.accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "eakutur",
    "eakutur.audit",
    "households",
    "outreach",
    "loans",
    "trainings",
    "eakutur.residents",
    "eakutur.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "eakutur.middleware.SecurityHeadersMiddleware",  # CSP, Permissions-Policy
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff sign-in rules (eakutur/accounts/middleware.py): after auth and messages.
    "eakutur.accounts.middleware.SessionTimeoutMiddleware",
    "eakutur.accounts.middleware.SecondFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "eakutur.middleware.NoStoreForStaffMiddleware",
]

ROOT_URLCONF = "eakutur.urls"
WSGI_APPLICATION = "eakutur.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # Several communes: the resident pages name the one the host serves.
                "eakutur.residents.context_processors.portal_commune",
            ],
        },
    },
]

# --- Database: SQLite under var/ unless DATABASE_URL is set -------------------------
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'eakutur.sqlite3'}"
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A busy timeout lets the web server, worker and beat share one SQLite file. SQLite
    # ignores SELECT ... FOR UPDATE; IMMEDIATE transactions take the write lock when
    # atomic() starts, so two writers queue (for up to the timeout) instead of one
    # failing with "database is locked" halfway through.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20, transaction_mode="IMMEDIATE"
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker and cache when REDIS_URL is set -----------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A private prefix lets a test's worker share a Redis with other tests.
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="eakutur"),
            # A hung Redis fails a request (and the health check) in seconds instead of
            # holding it until the proxy gives up.
            "OPTIONS": {"socket_connect_timeout": 3, "socket_timeout": 3},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Celery ------------------------------------------------------------------------
CELERY_BROKER_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A task taken by a worker that died (acks_late) goes back to the queue after this.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
    }
else:
    # kombu's filesystem transport: a broker that needs no server (see docs/decisions.md).
    CELERY_BROKER_URL = "filesystem://"
    for sub in ("queue", "processed", "control"):
        (CELERY_BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        # The worker looks for new task files this often (kombu's default is 1 s, which
        # made every send wait up to a second: 47 s for 46 groups on one thread).
        "polling_interval": 0.2,
    }
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Tasks sent without a queue (send_delivery.delay) go here; the integration tests give
# each worker a queue of its own on a shared Redis.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "beat-heartbeat": {"task": "eakutur.tasks.beat_heartbeat", "schedule": 60.0},
    "resume-review-imports": {
        "task": "households.tasks.resume_review_imports",
        "schedule": 300.0,
    },
    "dispatch-due-notices": {
        "task": "outreach.tasks.dispatch_due_notices",
        "schedule": 60.0,
    },
    "sweep-deliveries": {"task": "outreach.tasks.sweep_deliveries", "schedule": 60.0},
    "chase-relays": {"task": "outreach.tasks.chase_relays", "schedule": 900.0},
    # Hourly, idempotent: a missed hour (the machine was off) is caught up by the next.
    "schedule-repayment-reminders": {
        "task": "loans.tasks.schedule_repayment_reminders",
        "schedule": 3600.0,
    },
    "prune-public-records": {
        "task": "eakutur.residents.tasks.prune_public_records",
        "schedule": 24 * 3600.0,
    },
    "prune-login-records": {
        "task": "eakutur.accounts.tasks.prune_login_records",
        "schedule": 24 * 3600.0,
    },
}
# The resident portal (eakutur/residents/throttle.py): limits per hour, and how long the
# log of public lookups and requests (addresses are personal data) is kept.
RESIDENTS_LIMIT_WINDOW = 3600
RESIDENTS_LOOKUP_FAILURES_PER_ADDRESS = env.int("RESIDENTS_LOOKUP_FAILURES", default=10)
RESIDENTS_LOOKUP_FAILURES_PER_CODE = 5
RESIDENTS_LOOKUPS_PER_ADDRESS = env.int("RESIDENTS_LOOKUPS_PER_ADDRESS", default=30)
RESIDENTS_REQUESTS_PER_ADDRESS = env.int("RESIDENTS_REQUESTS_PER_ADDRESS", default=5)
RESIDENTS_ATTEMPT_RETENTION_DAYS = env.int(
    "RESIDENTS_ATTEMPT_RETENTION_DAYS", default=90
)
# Notices (outreach): a notice found due later than this is expired, not sent late; a
# transient failure is retried up to NOTICE_MAX_ATTEMPTS times; a delivery "wired" for
# longer than NOTICE_WIRED_TIMEOUT (well above send_delivery's 60 s time limit) lost its
# worker and is sent again by the sweeper.
NOTICE_MAX_LATENESS = timedelta(hours=env.int("NOTICE_MAX_LATENESS_HOURS", default=6))
NOTICE_MAX_ATTEMPTS = env.int("NOTICE_MAX_ATTEMPTS", default=8)
NOTICE_WIRED_TIMEOUT = timedelta(
    seconds=env.int("NOTICE_WIRED_TIMEOUT_SECONDS", default=600)
)
# Notice fault tolerance (tests/faults, docs/faults.md): a queued delivery whose task has
# not reached a worker after NOTICE_LOST_AFTER was lost by the broker (a Redis restart)
# and the sweeper sends it again; a transient failure waits 1, 2, 4 … NOTICE_RETRY_BASE
# (capped at 60 of them). The fault suite shortens both to stay within minutes.
NOTICE_LOST_AFTER = timedelta(seconds=env.int("NOTICE_LOST_AFTER_SECONDS", default=120))
NOTICE_RETRY_BASE = timedelta(seconds=env.int("NOTICE_RETRY_BASE_SECONDS", default=60))
# Relay groups (a village's personal Zalo group): the village officers are e-mailed when
# a relay has waited RELAY_CHASE_AFTER, and again every RELAY_CHASE_AFTER; after
# RELAY_GIVE_UP_AFTER it is failed, counted as not delivered.
RELAY_CHASE_AFTER = timedelta(minutes=env.int("RELAY_CHASE_AFTER_MINUTES", default=120))
RELAY_GIVE_UP_AFTER = timedelta(hours=env.int("RELAY_GIVE_UP_AFTER_HOURS", default=48))
# The portal's address as users reach it (e.g. https://portal.eaktur.gov.vn), for links
# in e-mails; without it the e-mails give the page's path only.
SITE_URL = env.str("SITE_URL", default="")
# E-mail (relay chasers, the email notice channel): EMAIL_URL such as
# smtp+tls://user:password@mail.example:587. Without it mails are printed to the log
# (the embedded defaults need no mail server); `check --deploy` warns about that.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="cong-thong-tin@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Loan repayment reminders (loans/reminders.py): a village notice this many days before
# instalments fall due, sent at this local time.
LOAN_REMINDER_DAYS_AHEAD = env.int("LOAN_REMINDER_DAYS_AHEAD", default=3)
LOAN_REMINDER_SEND_AT = env.str("LOAN_REMINDER_SEND_AT", default="07:30")
# /healthz reports beat as stale (status "degraded") when its heartbeat, written every
# 60 s, is older than this: a few missed beats, not one late one.
HEALTH_BEAT_STALE_AFTER = env.int("HEALTH_BEAT_STALE_AFTER", default=300)

# --- Auth --------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff_home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "eakutur.accounts.validators.ObviousWordsValidator"},
]
SESSION_COOKIE_AGE = 8 * 3600  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Staff sign-in hardening (eakutur/accounts: lockout.py, middleware.py, second_factor.py).
# Lockout: LOGIN_FAILURE_LIMIT failures of one (username, address) pair within
# LOGIN_FAILURE_WINDOW seconds lock that pair for LOGIN_LOCKOUT_SECONDS; an address with
# LOGIN_ADDRESS_FAILURE_LIMIT failures over all usernames within LOGIN_ADDRESS_WINDOW is
# locked too (password spraying). Records are pruned daily, lockouts kept for the admin.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_WINDOW = env.int("LOGIN_FAILURE_WINDOW", default=15 * 60)
LOGIN_LOCKOUT_SECONDS = env.int("LOGIN_LOCKOUT_SECONDS", default=15 * 60)
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=50)
LOGIN_ADDRESS_WINDOW = env.int("LOGIN_ADDRESS_WINDOW", default=3600)
LOGIN_RECORD_RETENTION_DAYS = env.int("LOGIN_RECORD_RETENTION_DAYS", default=90)
# Signed-in officials are signed out after this many seconds without a request, and this
# many seconds after signing in whatever the activity.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT", default=8 * 3600)
# Commune administrators and superusers must turn on the second factor (TOTP) first.
ADMIN_2FA_REQUIRED = env.bool("ADMIN_2FA_REQUIRED", default=False)
# The name authenticator apps show beside the account.
TOTP_ISSUER = env.str("TOTP_ISSUER", default="Ea Ktur")

# --- Language and time -------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["eakutur.formats"]

# --- Static files: our own static/ and Bootstrap from the npm package ---------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Uploads (the review import) are bounded: a spreadsheet above this size is refused.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_FILE_BYTES = env.int("IMPORT_MAX_FILE_BYTES", default=5 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=10_000)
# A disbursement list is saved inside the request (about 30 ms a row through the loan
# services), so it is kept to what a request can do: a month of the commune is a few hundred.
DISBURSEMENT_IMPORT_MAX_ROWS = env.int("DISBURSEMENT_IMPORT_MAX_ROWS", default=1_000)

# --- Notice channels (outreach/channels) ---------------------------------------------
ZALO_BASE_URL = env.str("ZALO_BASE_URL", default="https://openapi.zalo.me")
ZALO_OAUTH_URL = env.str("ZALO_OAUTH_URL", default="https://oauth.zaloapp.com")
ZALO_APP_ID = env.str("ZALO_APP_ID", default="")
ZALO_SECRET_KEY = env.str("ZALO_SECRET_KEY", default="")
# Seeds only: rotated tokens live in the token store once the first refresh has run.
ZALO_ACCESS_TOKEN = env.str("ZALO_ACCESS_TOKEN", default="")
ZALO_REFRESH_TOKEN = env.str("ZALO_REFRESH_TOKEN", default="")
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = env.str("SMS_GATEWAY_TOKEN", default="")
CHANNEL_TIMEOUT_SECONDS = env.float("CHANNEL_TIMEOUT_SECONDS", default=10.0)

# --- Security (check --deploy is clean when HTTPS=true) ------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "eakutur.views.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No script reads a cookie; Lax keeps them off cross-site POSTs, not off links to us.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Content-Security-Policy and Permissions-Policy (eakutur.middleware.
# SecurityHeadersMiddleware). Every script and stylesheet is a file under static/: no
# inline <script>, no style="" attribute, no event-handler attribute (chart data travels
# in json_script blocks, which are not run). data: images are Bootstrap's SVG icons
# (the select arrow, the menu button). A deployer widens a directive here, or replaces
# the whole policy with the CONTENT_SECURITY_POLICY variable (a header value).
CONTENT_SECURITY_POLICY = env.str("CONTENT_SECURITY_POLICY", default="") or {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Browser features no page of the portal uses, denied to it and to anything it embeds.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "serial",
        "hid",
    )
}
if HTTPS:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # A balancer probes the backends over plain HTTP, without X-Forwarded-Proto: a
    # redirect would read as a failed check. /healthz carries no personal data.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

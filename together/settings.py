"""Settings for Together, read from the environment.

One module for every environment: development works with no variable set
(SQLite file, console email, local-memory cache, tasks run immediately);
production is ``DEBUG=0`` plus the variables that refuse to be guessed
(``SECRET_KEY``, ``ALLOWED_HOSTS``). Every variable is listed with its default
in README.md.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from together.object_storage import s3_storage

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)

# Behind TLS (the production default): secure cookies, HSTS, HTTPS redirect.
# `make serve` turns it off to try production mode over plain HTTP locally.
HTTPS = env.bool("HTTPS", default=not DEBUG)

_DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-key-never-used-with-debug-off"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "The SECRET_KEY environment variable is required when DEBUG is off "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = _DEVELOPMENT_SECRET_KEY
# Rotating the key: the old one goes here (comma-separated) while the new one
# signs; private links, sessions and log hashes made with it keep working
# (see docs/operations.md). Log pseudonyms change with the key.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "The ALLOWED_HOSTS environment variable is required when DEBUG is off "
        "(a comma-separated list of the site's host names)."
    )
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Absolute links in emails (private links, confirmations) are built from this.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Before the admin, as its docs require (it patches the admin's forms).
    "modeltranslation",
    # django.contrib.admin, whose admin.site reveals nothing through "view on site".
    "together.apps.TogetherAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Full-text search fields and lookups on PostgreSQL (harmless on SQLite).
    "django.contrib.postgres",
    "axes",
    "django_countries",
    "taggit",
    "together",
    "stories",
    "campaigns",
    # After together, whose `db_worker` (it outlives database restarts)
    # replaces this app's command of the same name.
    "django_tasks_db",
]

MIDDLEWARE = [
    # First, so that every answer names its instance (see "Several instances").
    "together.middleware.ServedByMiddleware",
    # Next: every log line of the request, and its response, carry its id;
    # the request is timed whole (only when METRICS_TOKEN is set).
    "together.middleware.RequestIdMiddleware",
    "together.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag (or the view's Last-Modified) and 304 for every GET whose body can
    # be the same twice: feeds, sitemap, stats.json and .ics are revalidated
    # instead of sent again; pages with a form (a CSRF token) are not hashed.
    "together.middleware.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "together.middleware.PermissionsPolicyMiddleware",
    "together.middleware.PrivatePageMiddleware",
    "together.abuse.RateLimitMiddleware",
    # Last, as django-axes asks: turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
    # After every other: a hit skips only the view (together/pagecache.py).
    "together.pagecache.PageCacheMiddleware",
]

ROOT_URLCONF = "together.urls"
WSGI_APPLICATION = "together.wsgi.application"

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
            ],
        },
    },
    {
        # Plain text (the text part and subject of emails, together.mail):
        # the same templates, never HTML-escaped, so "D'Arcy" stays "D'Arcy".
        # Only for text that no browser renders as HTML.
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# --- Data -------------------------------------------------------------------

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Persistent connections, checked before reuse so a restarted PostgreSQL does
# not surface as an error on the next request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the site read while a submission writes; IMMEDIATE avoids
    # "database is locked" on upgrade from a read to a write transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # The cache, the form rate limits and the login lockouts, shared by every
    # instance. With Redis down they count per process instead of failing
    # (together/cache.py); the short timeouts keep an unreachable Redis from
    # holding a worker for more than a moment.
    CACHES = {
        "default": {
            "BACKEND": "together.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Whole public pages for anonymous readers (together/pagecache.py), in the
# default cache. On by default only with Redis: a local-memory cache is per
# process, so one worker would not see another's changes. Pages that show
# counters (pledges, places) live PAGE_CACHE_COUNTER_SECONDS; a change to
# what is public reaches every page at once whatever these say. 0: off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60 if REDIS_URL else 0)
PAGE_CACHE_COUNTER_SECONDS = env.int("PAGE_CACHE_COUNTER_SECONDS", default=3)

# Emails and other slow work leave the request: immediately executed in
# development and tests, queued in the database for `manage.py db_worker`
# in production.
TASKS = {
    "default": {
        "BACKEND": env.str(
            "TASKS_BACKEND",
            default="django.tasks.backends.immediate.ImmediateBackend"
            if DEBUG
            else "django_tasks_db.DatabaseBackend",
        ),
    }
}

# --- Task queue on Redis ------------------------------------------------------
# TASKS_BACKEND=together.rq_tasks.RQBackend puts the queue on Redis, worked by
# `manage.py rq_worker` (any number of them, on any machine): README,
# "Production: task backends". TASKS_REDIS_URL names its server, REDIS_URL
# (the cache's) when unset; a server of its own is better, configured with
# `maxmemory-policy noeviction` and persistence, since a cache may evict keys
# and a queue must not lose them. TASKS_RETRY_MAX and TASKS_RETRY_INTERVALS
# (seconds, comma-separated) say how RQ retries a failed task that does not
# retry itself (together.rq_tasks explains which).
if TASKS["default"]["BACKEND"] == "together.rq_tasks.RQBackend":
    TASKS["default"]["OPTIONS"] = {
        "URL": env.str("TASKS_REDIS_URL", default=REDIS_URL or "redis://127.0.0.1:6379/0"),
        "RETRY": {
            "max": env.int("TASKS_RETRY_MAX", default=3),
            "intervals": [int(s) for s in env.list("TASKS_RETRY_INTERVALS", default=["60", "300", "1800"])],
        },
    }

# --- Email ------------------------------------------------------------------

# The environment names stay the familiar EMAIL_*; Django 6.1 reads them as
# the options of the default mailer.
_email_backend = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_mailer_options = {
    "django.core.mail.backends.smtp.EmailBackend": {
        "host": env.str("EMAIL_HOST", default="localhost"),
        "port": env.int("EMAIL_PORT", default=25),
        "username": env.str("EMAIL_HOST_USER", default=""),
        "password": env.str("EMAIL_HOST_PASSWORD", default=""),
        "use_tls": env.bool("EMAIL_USE_TLS", default=False),
        "use_ssl": env.bool("EMAIL_USE_SSL", default=False),
        # A hanging SMTP server must not hold a worker for long.
        "timeout": env.int("EMAIL_TIMEOUT", default=20),
    },
    "django.core.mail.backends.filebased.EmailBackend": {
        "file_path": env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "email")),
    },
}
MAILERS = {"default": {"BACKEND": _email_backend, "OPTIONS": _mailer_options.get(_email_backend, {})}}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="TOGETHER <no-reply@together.example>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# --- Internationalisation ----------------------------------------------------

# The six official languages of the United Nations, and Dutch for the events
# in Brussels. English is the source language and the fallback.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh-hans", _("Simplified Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
    ("nl", _("Dutch")),
]
LOCALE_PATHS = [BASE_DIR / "together" / "locale"]
# Corrections to Django's number formats for a few languages (see each module).
FORMAT_MODULE_PATH = ["together.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Brussels")
USE_I18N = True
USE_TZ = True

# Campaign content in every language of LANGUAGES (campaigns/translation.py):
# English is entered first, and shown wherever a translation is missing.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)

# --- Static and media files --------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}
# In development whitenoise finds files where they are written; in production
# it serves the collected, hashed names with a far-future Cache-Control.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Media on object storage: MEDIA_STORAGE=s3 keeps the image renditions in an
# S3-compatible bucket through django-storages, so every app server sees the
# same files. The AWS_* variables (README) and the rules (public unsigned URLs,
# long cache) are in together/object_storage.py. MEDIA_ORIGINS is where images
# then load from, allowed by the Content-Security-Policy below.
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="filesystem")
if MEDIA_STORAGE == "s3":
    STORAGES["default"], MEDIA_ORIGINS = s3_storage(os.environ)
elif MEDIA_STORAGE == "filesystem":
    MEDIA_ORIGINS = []
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be 'filesystem' or 's3', not {MEDIA_STORAGE!r}.")

# --- Security -----------------------------------------------------------------

# "Leave this site quickly" (share form, private pages) goes here: a neutral,
# widely used page that says nothing about why someone was reading (the UK
# government's "exit this page" uses BBC Weather). A plain link: our pages
# load nothing from it; rel="noreferrer" tells it nothing about our page.
QUICK_EXIT_URL = env.str("QUICK_EXIT_URL", default="https://www.bbc.com/weather")

ADMIN_URL = env.str("ADMIN_URL", default="admin/").strip("/") + "/"

SECURE_CSP = {
    "default-src": [CSP.SELF],
    # MEDIA_ORIGINS: the bucket's (or its CDN's) origin with MEDIA_STORAGE=s3.
    "img-src": [CSP.SELF, "data:", *MEDIA_ORIGINS],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# No page may be framed. The pledge widget (campaigns), meant to be embedded by
# partner sites, is the one exception: it takes `xframe_options_exempt` and a
# `csp_override` of frame-ancestors on its own view, never a change here.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# The language chosen in the switcher: read by the server only, never sent
# along by another site's requests, and over HTTPS only when the site is.
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# Says what to do (reload the page) and never re-reads the request.
CSRF_FAILURE_VIEW = "together.views.csrf_failure"
if HTTPS:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # The __Host- prefix pins a cookie to this exact host, over HTTPS, path /.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# Password guessing on the admin login (django-axes): after AXES_FAILURE_LIMIT
# wrong passwords for one username from one address, that pair is refused
# for AXES_COOLOFF_TIME even with the right password. Per pair, so a guesser
# cannot lock a moderator out from elsewhere, nor colleagues behind the same
# address. Counted in the cache: shared by every instance through Redis in
# production (REDIS_URL). The client address is the one the rate limits use.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "together.abuse.client_ip"
AXES_LOCKOUT_CALLABLE = "together.views.login_locked_out"
# Axes would log usernames and addresses in clear; this names them hashed.
AXES_CLIENT_STR_CALLABLE = "together.logs.login_client_str"
AXES_VERBOSE = False  # no banner on every manage.py command
if DEBUG and not REDIS_URL:
    # The local-memory cache counts per process: right for runserver. In
    # production without Redis each worker would count alone, and
    # `check --deploy` says so (axes.W001).
    SILENCED_SYSTEM_CHECKS = ["axes.W001"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Logging ------------------------------------------------------------------

# One line per record, control characters escaped (together/logs.py), so user
# input in a message cannot forge a log line. Listing "django" here replaces
# Django's default handlers for it (an unescaped console one, and mail to
# ADMINS, which is empty): its records go to the root handler like the rest.
# LOG_FORMAT=json writes the same records as JSON objects, one a line, for a
# log collector (together.logs.JsonFormatter, redacted alike). Plain stays the
# default, in production too: it is what people read on one machine (journald,
# `make serve`); a deployment that ships logs to a collector sets json.
# Every record carries the request id (and task id) through RequestIdFilter.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured("LOG_FORMAT must be plain or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "together.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {
            "()": "together.logs.SingleLineFormatter",
            "format": "%(asctime)s [%(request_id)s] %(levelname)s %(name)s %(message)s",
        },
        "json": {
            "()": "together.logs.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(task_id)s",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"level": "INFO"},
        "django.db.backends": {"level": "WARNING"},
    },
}

# --- Several instances (deploy/, `make cluster`) --------------------------------

# The name of this app server among several behind the proxy ("web-1"): sent
# as the X-Served-By header of every answer (together.middleware). Empty, the
# default: no header. Only this name is revealed, so choose one that says
# nothing else (not an address).
INSTANCE_NAME = env.str("INSTANCE_NAME", default="")
# --- Observability (docs/operations.md) ----------------------------------------

# /readyz answers 503 when the oldest email or task waiting for delivery has
# been due longer than this: no worker is taking work.
READYZ_QUEUE_MAX_AGE = timedelta(minutes=env.int("READYZ_QUEUE_MAX_MINUTES", default=10))
# /metrics (Prometheus) answers only to "Authorization: Bearer <METRICS_TOKEN>";
# without a token it is not there (404) and nothing is measured. Under gunicorn,
# PROMETHEUS_MULTIPROC_DIR (an empty folder of this instance) adds up the
# workers' figures; together/gunicorn.conf.py makes one when it is unset.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# Errors go to Sentry only when SENTRY_DSN is set (together/sentry.py): no
# personal data, no request bodies, cookies, tokens or addresses.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="production")
SENTRY_TRACES_SAMPLE_RATE = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)

# `make bench` only: mounts /bench/ceiling, a constant view behind the whole
# middleware stack, the framework's ceiling every page is measured against.
BENCH_CEILING = env.bool("BENCH_CEILING", default=False)

# Serve uploaded media from Django itself (development, `make serve`).
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG)

# --- Abuse protection (together/abuse.py) -------------------------------------

# Public forms sent faster than this after being shown are refused.
FORM_MIN_SECONDS = env.int("FORM_MIN_SECONDS", default=3)
# Attempts allowed per client address (valid or not) and valid submissions
# per email address, per scope.
RATE_LIMITS = {
    "story": env.str("RATE_LIMIT_STORY", default="5/h"),
    "report": env.str("RATE_LIMIT_REPORT", default="10/h"),
    "pledge": env.str("RATE_LIMIT_PLEDGE", default="10/h"),
    "signup": env.str("RATE_LIMIT_SIGNUP", default="10/h"),
    "reply": env.str("RATE_LIMIT_REPLY", default="5/h"),
    "manage_link": env.str("RATE_LIMIT_MANAGE_LINK", default="5/h"),
    # Per stand link (a tablet at an event's stand, one shared connection):
    # a busy stand takes a pledge a minute, a script far more.
    "stand_pledge": env.str("RATE_LIMIT_STAND_PLEDGE", default="120/h"),
    "personal_data": env.str("RATE_LIMIT_PERSONAL_DATA", default="5/h"),
    # Opening a story with its code and passphrase: attempts per address,
    # and wrong passphrases per code before that code is locked.
    "story_code": env.str("RATE_LIMIT_STORY_CODE", default="10/h"),
    "story_code_failures": env.str("RATE_LIMIT_STORY_CODE_FAILURES", default="5/d"),
}
# A count the cache could not finish (Redis failing between the two steps of
# one count) lets that one request through instead of refusing a person with
# 429; together.cache counts on in the process for the next.
RATELIMIT_FAIL_OPEN = True
# How many reverse proxies in front of the app add to X-Forwarded-For (0:
# trust only REMOTE_ADDR).
NUM_PROXIES = env.int("NUM_PROXIES", default=0)

# --- Stories --------------------------------------------------------------------

# A shared mailbox that receives storytellers' answers to a decline, besides
# the active members of the "Moderators" group (stories.models.moderator_addresses).
MODERATION_EMAIL = env.str("MODERATION_EMAIL", default="")
# Reports and floods (stories/floods.py). Moderators receive at most one
# digest of new reports per interval. A surge (reports on one story, or
# reports or new stories from that many different addresses, within the
# window) alerts them once and shows a banner in the admin while it lasts.
REPORT_DIGEST_INTERVAL = timedelta(minutes=env.int("REPORT_DIGEST_MINUTES", default=15))
SURGE_WINDOW = timedelta(minutes=env.int("SURGE_WINDOW_MINUTES", default=60))
SURGE_THRESHOLDS = {
    "story_reports": env.int("SURGE_REPORTS_PER_STORY", default=10),
    "reporting_addresses": env.int("SURGE_REPORTING_ADDRESSES", default=30),
    "submitting_addresses": env.int("SURGE_SUBMITTING_ADDRESSES", default=30),
}
# The moderation queue (stories.models, "Claims"): a story waiting longer than
# this for a decision is overdue; a claim nobody acts on for this long lapses.
MODERATION_OVERDUE_AFTER = timedelta(hours=env.int("MODERATION_OVERDUE_HOURS", default=48))
MODERATION_CLAIM_EXPIRES_AFTER = timedelta(minutes=env.int("MODERATION_CLAIM_MINUTES", default=30))
# Topics in any script (stories.topics): split on the commas and semicolons of
# every script the site serves, normalised (NFC, lower case: "Family" and
# "family" are one topic), shown again for editing without quotes.
TAGGIT_CASE_INSENSITIVE = True
TAGGIT_TAGS_FROM_STRING = "stories.topics.parse"
TAGGIT_STRING_FROM_TAGS = "stories.topics.to_string"

# Uploads. A photo may be up to together.images.MAX_UPLOAD_BYTES (15 MB);
# anything over 2.5 MB is spooled to a temporary file, not held in memory.
# The other fields of a form (a story is at most 20,000 characters) stay far
# below 2.5 MB, and no form takes more than one file. The total size of a
# request is capped by the proxy in front (see README, Production).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 5

# --- Retention of personal data (together/retention.py) -------------------------
# How long each kind of personal data is kept. `manage.py purge_personal_data`
# (daily, from cron) erases what is older, and the privacy page
# (/<language>/privacy/) states these very numbers, so they cannot disagree.

# Event sign-ups (name, email address) are erased this many days after the
# event ends; how many took part, and their nationalities, stay counted.
RETENTION_SIGNUP_DAYS_AFTER_EVENT = env.int("RETENTION_SIGNUP_DAYS_AFTER_EVENT", default=30)
# A declined story can be answered this many days after the decline; then
# everything its storyteller wrote is erased (the decision stays, anonymous).
RETENTION_DECLINED_STORY_DAYS = env.int("RETENTION_DECLINED_STORY_DAYS", default=30)
# Delivered emails: their text (private links, names) is erased this many
# hours after delivery; who was written to, when, and about what stays.
RETENTION_SENT_EMAIL_HOURS = env.int("RETENTION_SENT_EMAIL_HOURS", default=24)
# Confirmed pledges lose their name, email address and message this many
# months after their campaign ends; their country and the counts stay.
RETENTION_PLEDGE_MONTHS_AFTER_CAMPAIGN = env.int("RETENTION_PLEDGE_MONTHS_AFTER_CAMPAIGN", default=6)
# How long the emailed link to a person's data (what the site holds about
# their address) works.
PERSONAL_DATA_LINK_HOURS = env.int("PERSONAL_DATA_LINK_HOURS", default=48)

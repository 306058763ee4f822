"""Talent Tracker settings: one module, read from the environment.

Local defaults work on a developer machine with PostgreSQL and Redis on 127.0.0.1;
production sets DEBUG=0 and a real SECRET_KEY, and the strict helpers in config.env
refuse malformed values.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    email_settings,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_str,
    secret_key_problem,
)

BASE_DIR = Path(__file__).resolve().parent.parent

# Fail closed: DEBUG is off unless asked for, and with DEBUG off the process refuses to start
# on a missing, known placeholder or weak SECRET_KEY (signed links and sessions rest on it).
DEBUG = env_bool("DEBUG", False)
_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", "") or (_DEV_SECRET_KEY if DEBUG else "")
# Old keys still accepted when checking signatures, so rotating SECRET_KEY keeps sessions
# and the links in alert mail working until they expire (docs/operations.md).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])
if not DEBUG and (problem := secret_key_problem(SECRET_KEY)):
    raise ImproperlyConfigured(
        f"SECRET_KEY {problem} (DEBUG is off). Set it to a long random value, e.g. the "
        "output of: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

# A demo deployment (`make run`): lets `democurator` make a curator with a known password.
DEMO = env_bool("DEMO", False)

# Reverse proxies in front of the web processes (addresses or networks): from them, and only
# from them, X-Forwarded-For names the client (talent.middleware.RealClientAddress).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "simple_history",
    "template_partials",
    "talent",
    "feeds",
]

MIDDLEWARE = [
    # First: every later step (rate limits, history, logs) sees the client's own address.
    "talent.middleware.RealClientAddress",
    "django.middleware.security.SecurityMiddleware",
    "talent.middleware.PermissionsPolicy",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions: refuses control characters in parameters, drops them from cookies.
    "talent.middleware.RefuseControlCharacters",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Public GETs read from the replica when there is one (config/db.py).
    "talent.middleware.ReadsFromReplica",
    # Records who made each change in the history of people, organizations, stints...
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "talent.pagecache.context",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/talent")
if not DATABASE_URL.startswith(("postgres://", "postgresql://")):
    raise ImproperlyConfigured("DATABASE_URL must be a PostgreSQL URL (postgres://…)")
DATABASES = {
    # A persistent connection with health checks: opening one per request costs ~5x.
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 60, minimum=0), conn_health_checks=True
    )
}
# A read replica for public pages and the API (config/db.py), when one is named.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=env_int("CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["config.db.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
# A shared cache (rate limits must count across web processes), in its own Redis database so
# clearing it never touches the broker's queues.
_redis = urlsplit(REDIS_URL)
_cache_db = str(int(_redis.path.strip("/") or "0") + 1)
CACHES = {
    "default": {
        # Degrades to "no cache" while Redis is down (talent/cache.py); short timeouts so a
        # hung Redis costs a page a fraction of a second, not a worker.
        "BACKEND": "talent.cache.ForgivingRedisCache",
        "LOCATION": env_str("CACHE_URL", urlunsplit(_redis._replace(path=f"/{_cache_db}"))),
        "KEY_PREFIX": env_str("CACHE_PREFIX", "talent"),
        "TIMEOUT": 300,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
    },
}
# Cached page sections ({% cache %}, talent/pagecache.py) in the same Redis, apart so a test
# can turn them off to count what a page costs uncached.
CACHES["template_fragments"] = {
    **CACHES["default"],
    "KEY_PREFIX": CACHES["default"]["KEY_PREFIX"] + ":fragments",
}
# How long after it was built a whole public page may still be served to readers who are
# not signed in once a write made it older than the data (0: never).
PAGE_CACHE_GRACE = env_int("PAGE_CACHE_GRACE", 30, minimum=0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # htmx comes from the npm registry at set-up time (package.json pins it exactly).
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
# Hashed, compressed file names need `collectstatic` first: deployments (the Dockerfile,
# `make run`) turn this on after collecting; tests and `DEBUG=1` serve files as they are.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

LOGIN_URL = "admin:login"

# E-mail
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
# The file backend (what `make run` uses) writes each message under here.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / ".local" / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Talent Tracker <tracker@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
# EMAIL_URL, when set, overrides the EMAIL_* settings above in one line (config.env): for
# example smtps://user:password@smtp.example.org:465, or file:///srv/mail (one .eml per
# message; `make run` writes to .local/mail/ this way).
if env_str("EMAIL_URL", ""):
    globals().update(email_settings(env_str("EMAIL_URL", "")))

# Security: on by default whenever DEBUG is off; SECURE_SSL_REDIRECT can be turned off
# behind a proxy that already redirects.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Only our own scripts and styles (htmx is served from our static files): no inline script
# or style, no eval, nothing from elsewhere; feed content cannot run or load anything even
# if a sanitizer ever let it through. The browser tests fail on any violation.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS", [])
# /healthz is probed over plain HTTP by load balancers and compose health checks.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Celery: Redis broker, JSON only, late acks so a killed worker's task is redelivered.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "talent")
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TIMEZONE = "UTC"

# Feeds. Loopback and private addresses are refused unless named here (host or host:port);
# the demo and the tests name their own loopback servers.
FEED_ALLOW_PRIVATE_HOSTS = env_list("FEED_ALLOW_PRIVATE_HOSTS", [])
FEED_TIMEOUT = env_float("FEED_TIMEOUT", 20.0, minimum=0.1, maximum=300.0)
FEED_CONNECT_TIMEOUT = env_float("FEED_CONNECT_TIMEOUT", 10.0, minimum=0.1, maximum=60.0)
FEED_DNS_TIMEOUT = env_float("FEED_DNS_TIMEOUT", 3.0, minimum=0.1, maximum=30.0)
# A feed claimed by beat's sweep is due again after this, should its poll be lost (a killed
# worker, a broker that dropped the message).
FEED_CLAIM_LEASE_SECONDS = env_int("FEED_CLAIM_LEASE_SECONDS", 300, minimum=1)
FEED_MAX_BYTES = env_int("FEED_MAX_BYTES", 15 * 1024 * 1024, minimum=1024)
FEED_MAX_REDIRECTS = env_int("FEED_MAX_REDIRECTS", 10, minimum=0)
FEED_MIN_INTERVAL = env_int("FEED_MIN_INTERVAL_MINUTES", 15, minimum=1)
FEED_MAX_INTERVAL = env_int("FEED_MAX_INTERVAL_MINUTES", 24 * 60, minimum=1)
FEED_DEFAULT_INTERVAL = env_int("FEED_DEFAULT_INTERVAL_MINUTES", 60, minimum=1)
FEED_USER_AGENT = env_str(
    "FEED_USER_AGENT", f"TalentTracker/0.1 (+{SITE_URL}; feed reader; polite polling)"
)

# Curation: announcements at or above this confidence whose people and organizations are all
# known records are applied without review. Unset (the default) means every one waits.
_auto = env_str("AUTO_APPROVE_CONFIDENCE", "")
AUTO_APPROVE_CONFIDENCE = env_float("AUTO_APPROVE_CONFIDENCE", 0.0) if _auto else None

# Readers' corrections: how many one address may send (django-ratelimit syntax).
CORRECTIONS_RATE = env_str("CORRECTIONS_RATE", "5/h")
# Log-in attempts (talent/login.py): per client address, and per account from anywhere.
LOGIN_RATE_CLIENT = env_str("LOGIN_RATE_CLIENT", "10/m")
LOGIN_RATE_ACCOUNT = env_str("LOGIN_RATE_ACCOUNT", "30/h")
RATELIMIT_USE_CACHE = "default"
# While Redis is down (the counters live there) pages and the API keep serving; limits
# apply again as soon as it is back, and /healthz reports the outage meanwhile.
RATELIMIT_FAIL_OPEN = True
# The read-only JSON API under /api/: requests per client address (django-ratelimit syntax).
API_RATE = env_str("API_RATE", "300/m")

# Alerts (talent/alerts/): who the mail is from, the domain of its Message-IDs and List-Ids,
# the mailto: of List-Unsubscribe, the bounce webhook's shared secret, and how long the
# sender leases the rows it claims (tasks' time limits are derived from it).
ALERTS_FROM_EMAIL = env_str("ALERTS_FROM_EMAIL", DEFAULT_FROM_EMAIL)
ALERTS_MAIL_DOMAIN = env_str("ALERTS_MAIL_DOMAIN", "")
ALERTS_UNSUBSCRIBE_MAILTO = env_str("ALERTS_UNSUBSCRIBE_MAILTO", "")
ALERTS_WEBHOOK_SECRET = env_str("ALERTS_WEBHOOK_SECRET", "")
ALERTS_SEND_LEASE_SECONDS = env_int("ALERTS_SEND_LEASE_SECONDS", 300, minimum=6)
# SMTP connections one sender keeps open at once (each in a thread of its own).
ALERTS_SMTP_CONNECTIONS = env_int("ALERTS_SMTP_CONNECTIONS", 4, minimum=1)
# Follow requests (django-ratelimit syntax): per client address, and per e-mail address.
ALERTS_FOLLOW_RATE_CLIENT = env_str("ALERTS_FOLLOW_RATE_CLIENT", "20/h")
ALERTS_FOLLOW_RATE_ADDRESS = env_str("ALERTS_FOLLOW_RATE_ADDRESS", "5/h")

# Extraction: the class that reads moves out of entries (see feeds/extract/base.py): "rules"
# (the local rule extractor), "llm" (feeds/extract/llm.py), or an import path.
EXTRACTOR = env_str("EXTRACTOR", "rules")
# The "llm" extractor: an OpenAI-compatible chat endpoint (its base URL, before
# /chat/completions), the model, a key sent as a bearer token, how long one call may take,
# how many calls all workers together may make per clock hour, how much of an entry's text
# is sent, and how large a reply may be. Anything that fails falls back to the rules.
LLM_ENDPOINT = env_str("LLM_ENDPOINT", "").rstrip("/")
LLM_MODEL = env_str("LLM_MODEL", "")
LLM_API_KEY = env_str("LLM_API_KEY", "")
LLM_TIMEOUT = env_float("LLM_TIMEOUT", 20.0, minimum=0.1, maximum=300.0)
LLM_CALLS_PER_HOUR = env_int("LLM_CALLS_PER_HOUR", 100, minimum=0)
LLM_MAX_INPUT_CHARS = env_int("LLM_MAX_INPUT_CHARS", 6000, minimum=200)
LLM_MAX_REPLY_BYTES = env_int("LLM_MAX_REPLY_BYTES", 64 * 1024, minimum=1024)
if EXTRACTOR == "llm" and not (LLM_ENDPOINT and LLM_MODEL):
    raise ImproperlyConfigured("EXTRACTOR=llm needs LLM_ENDPOINT and LLM_MODEL")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},  # one line per request is noise; polls log their own
        "httpcore": {"level": "WARNING"},
    },
}

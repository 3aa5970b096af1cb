"""Casebook settings, driven by the environment.

With nothing set, the site runs locally on an SQLite file with DEBUG on. Production sets
DEBUG=false, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (see README, "Configuration").
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from corsheaders.defaults import default_headers as cors_default_headers
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    """Read a yes/no environment variable strictly, so a typo fails loudly."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envlist(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# --- Core --------------------------------------------------------------------------------

DEBUG = envbool("DEBUG", True)

DEVELOPMENT_SECRET_KEY = "django-insecure-casebook-development-only"  # noqa: S105 (refused below when DEBUG is off)
SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY in the environment when DEBUG is off.")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Content translations (issue 15): before the admin, whose forms it extends.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    # Login lockout after repeated wrong passwords (see "Abuse" below).
    "axes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_countries",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    # Kept only so that the migration which hashed its plain-text tokens into
    # catalogue.ApiToken can read them; new tokens never go there.
    "rest_framework.authtoken",
    "simple_history",
    "catalogue",
    # After the catalogue: they use it (and workflow/admin.py extends its admin), never the reverse.
    "accounts",
    "workflow",
    # The members' tier (communities, vetted members); it uses accounts' and the workflow's pieces.
    "hub",
    "api",
]

MIDDLEWARE = [
    # --- Operations (issue 10): outermost, so they see every request and every failure.
    # The request id and the one-line request log; health probes answered before the host
    # check and the HTTPS redirect; a database outage becomes a 503 (casebook/errors.py).
    "casebook.requestlog.RequestLogMiddleware",
    "casebook.health.HealthCheckMiddleware",
    "casebook.errors.DatabaseUnavailableMiddleware",
    # ---
    # The public pages from the cache (catalogue/caching.py), before everything else: a stored
    # page is kept with every header the middleware below gave it (the security headers, the
    # language's, the licence's), so it needs none of them again, nor the session, the CSRF
    # check, the user, messages or the view. Its key holds the language LocaleMiddleware will
    # choose, read from the request the same way.
    "catalogue.caching.PublicCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before whitenoise, so static files carry it too.
    "casebook.middleware.permissions_policy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "api.middleware.cache_control",
    # The licence and dataset version of every answer that publishes data (catalogue/dataset.py).
    "catalogue.dataset.licence_and_version_headers",
    # Before the session (it keeps no language since Django 4.0).
    "django.middleware.locale.LocaleMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Links in mail point at the host this request came to when SITE_URL is unset.
    "casebook.site.request_origin",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Tells django-simple-history who made a change (the admin's History pages show it).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the "locked out" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "casebook.urls"
WSGI_APPLICATION = "casebook.wsgi.application"

TEMPLATES = [
    {
        # Django's, with `{% load i18n %}` remembering constant messages (casebook/template_engine.py).
        "BACKEND": "casebook.template_engine.DjangoTemplates",
        "NAME": "django",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # `{% url %}` with remembered answers (casebook/reversing.py says why).
            "builtins": ["casebook.template_builtins"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ----------------------------------------------------------------------------
# DATABASE_URL selects the database (postgres://user@host:5432/name in production);
# without it the site uses an SQLite file in the project folder.

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# SQLite (issue 10, races): each transaction takes the write lock when it begins, so that
# concurrent requests wait for one another (up to `timeout` seconds) instead of failing with
# "database is locked" when a transaction that has read tries to write.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A database host that does not answer makes a request fail (503) after this many seconds
# instead of holding a worker until gunicorn's timeout kills it.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = int(
        os.environ.get("DATABASE_CONNECT_TIMEOUT", "5")
    )
    # No JIT compilation: at 100,000 initiatives the facet counts' estimated cost passes
    # jit_above_cost, and compiling took 200-300 ms of a query that runs for less than a
    # second; no query here runs long enough to win that back (measured: 10-15% of a list
    # page's database CPU).
    # Every server-side cursor here (CSV, bulk downloads: QuerySet.iterator()) is read to its
    # end, so plan them for all their rows, not for the first tenth: with the default 0.1 the
    # CSV of a ~1,900-row filter at 100,000 initiatives walked the whole title index (560 ms)
    # instead of reading the matches and sorting them (190 ms).
    # Random reads cost about what sequential ones do (the catalogue's tables and indexes fit
    # in memory): with the default random_page_cost of 4 the facet counts of a search merge-
    # joined the whole facet keys table (100,000 rows) instead of looking up the ~2,400
    # matches' keys by index (95 -> 56 ms at 100,000 initiatives).
    # work_mem 32 MB, not the default 4: a search for a word that also names thousands of
    # organisations ("trust") matched 145,000 of 1,000,000 initiatives, and in 4 MB their
    # bitmap went lossy, so every row of 66,000 pages was checked again against the search
    # and the organisations' matching ids, a list the check walks row by row: 32 s for the
    # facet query, 1.8 s in 32 MB; ten of the benchmark's searches 3.8 s -> 0.5 s of CPU each.
    DATABASES["default"]["OPTIONS"].setdefault(
        "options", "-c jit=off -c cursor_tuple_fraction=1 -c random_page_cost=1.1 -c work_mem=32MB"
    )


def cache_from_url(url):
    """Django's CACHES entry for CACHE_URL: `redis://host:port/db` (shared by every worker;
    production), `locmem://` (each process its own; the default) or `dummy://` (caching off)."""
    scheme = url.partition("://")[0]
    if scheme in {"redis", "rediss", "unix"}:
        return {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            # A cache outage must not become an outage: reads miss, writes are dropped, and
            # the error is logged (logger "django_redis.cache"). A Redis that stops answering
            # is left alone for a few seconds instead of costing every read its timeout
            # (casebook/redis_pause.py).
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
                "CONNECTION_POOL_CLASS": "casebook.redis_pause.PausingConnectionPool",
            },
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "casebook"),
        }
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 2000}}
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(f"CACHE_URL must start with redis://, locmem:// or dummy://, not {url!r}")


CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL") or "locmem://")}

# --- Shared cache (counters every worker must agree on: the API rate limit) -----------------
# A per-process cache would let each gunicorn worker count on its own (2 workers, twice the
# rate). With CACHE_URL=redis://… the counters live in Redis; otherwise in a database table
# (created by a migration, or `manage.py createcachetable`), which every worker shares.
if CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
    CACHES["shared"] = {**CACHES["default"], "KEY_PREFIX": CACHES["default"]["KEY_PREFIX"] + ":shared"}
else:
    CACHES["shared"] = {
        "BACKEND": "casebook.cache.DatabaseCache",
        "LOCATION": "casebook_shared_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
# --- End of shared cache ----------------------------------------------------------------------
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# --- Passwords -----------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages ------------------------------------------------------------------------------
# The interface ships in the six official UN languages, each named in its own language in the
# switcher. URLs carry no language prefix: LocaleMiddleware takes the language cookie (set by the
# switcher), else the browser's Accept-Language (ar-EG → ar, fr-CA → fr, zh-CN → zh-hans), else
# English. Arabic is right to left (base.html reads Django's get_language_bidi). Adding a
# language: README, "Languages".

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", "العربية"),
    ("zh-hans", "简体中文"),
    ("en", "English"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("es", "Español"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Content in the same six languages (django-modeltranslation, catalogue/translation.py): one
# column per language beside the record's own, so a page reads every language with the row, no
# join or extra query. English is the language every record has and the one a reader falls
# back to (the rule: catalogue/languages.py).
MODELTRANSLATION_LANGUAGES = tuple(code for code, _name in LANGUAGES)
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files (served by whitenoise; no external CDN) ------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Security (production hardening applies whenever DEBUG is off) ----------------------------

SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# --- Cookies and HSTS (issue 10) ----------------------------------------------------------------
# In production the session and CSRF cookies carry the `__Host-` prefix: browsers then accept
# them only over HTTPS, for this exact host and path "/", so a sibling subdomain cannot plant
# or overwrite them. (Nothing in the site's JavaScript reads the CSRF cookie: forms carry the
# token.) The language cookie is sent over HTTPS only, and never on cross-site requests.
if not DEBUG:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Browser features no page uses are switched off for the site and anything it embeds.
# (Only features Chromium knows: an unknown one is logged as an error in the console.)
PERMISSIONS_POLICY_DENIED = [
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "usb",
]
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
# includeSubDomains and preload bind every subdomain of the site's domain to HTTPS, and
# preloading is hard to undo: each deployment chooses them (README, "Configuration").
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
# `check --deploy` warns whenever they are off; here that is a deliberate default.
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
# --- End of cookies and HSTS ---------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Everything (CSS, JS, fonts, the API docs' Swagger UI) is served by this site: no inline
# scripts or styles, no CDN. Swagger UI draws some icons from data: URLs.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if envbool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Abuse: sign-in lockout and client addresses (issue 10) -------------------------------------
# How many proxies (load balancer, TLS terminator) stand between clients and this server and
# append to X-Forwarded-For. 0 (the default) ignores the header, which any client can forge;
# with n, the client is the address the nth proxy from us saw. Used by the API rate limit and
# the sign-in lockout alike (casebook/client_address.py).
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES") or os.environ.get("NUM_PROXIES") or "0")

# django-axes: after AXES_FAILURE_LIMIT wrong passwords for one account, or from one address,
# sign-in (the site's and the admin's) is refused for AXES_COOLOFF_MINUTES, even with the
# right password; the attempts are stored in the database, so every worker sees them.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "casebook.client_address.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
# Only failures are recorded (a row per successful sign-in is a log nobody asked for).
AXES_DISABLE_ACCESS_LOG = True
# --- End of abuse --------------------------------------------------------------------------------

# --- Email -------------------------------------------------------------------------------------

# In development mail is printed to the console (sign-up confirmations show in the
# terminal); with DEBUG off it goes out over SMTP, configured by the EMAIL_* variables.
EMAIL_BACKEND_NAME = os.environ.get("EMAIL_BACKEND", "console" if DEBUG else "smtp")
if EMAIL_BACKEND_NAME == "smtp":
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": envbool("EMAIL_USE_TLS", True),
                # A mail server that accepts the connection and then hangs must not hold the
                # worker (or anything else) forever.
                "timeout": int(os.environ.get("EMAIL_TIMEOUT", "10")),
            },
        }
    }
elif EMAIL_BACKEND_NAME == "console":
    # Printed as written (casebook/mail.py), so a link copied from the terminal opens.
    MAILERS = {"default": {"BACKEND": "casebook.mail.ReadableConsoleBackend"}}
else:
    raise ImproperlyConfigured("EMAIL_BACKEND must be 'console' or 'smtp'.")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "casebook@localhost")

# --- Logging: to stderr, one line per record, each with the request's id ---------------------

# Django's default configuration gives the "django" logger a console handler of its own (in
# development) and lets its records propagate to the root logger too, so each line printed
# twice. Here "django" uses the root's handler (and Django's mail to ADMINS, if any are set)
# and stops there. Configuring "django" resets its child loggers, so the development server's
# request lines ("django.server", with their time) are configured again as Django has them.
# "casebook.request" writes one JSON line per request (casebook/requestlog.py); it is on
# unless DEBUG (the development server prints its own request lines), REQUEST_LOG decides.
REQUEST_LOG = envbool("REQUEST_LOG", not DEBUG)
# The header a trusted proxy sets to a request id (e.g. X-Request-ID); empty: always a new id.
REQUEST_ID_HEADER = os.environ.get("REQUEST_ID_HEADER", "")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "request_id": {"()": "casebook.requestlog.RequestIdFilter"},
        # A Redis outage is logged once per pause, not once per cache read (casebook/redis_pause.py).
        "redis_paused": {"()": "casebook.redis_pause.QuietWhilePaused"},
    },
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
        "console": {"format": "{asctime} {levelname} {name} request_id={request_id} {message}", "style": "{"},
        "request": {"format": "{asctime} {message}", "style": "{"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "console",
            "filters": ["request_id", "redis_paused"],
        },
        "request": {"class": "logging.StreamHandler", "formatter": "request"},
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "django.utils.log.AdminEmailHandler",
        },
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django": {"handlers": ["console", "mail_admins"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "casebook.request": {
            "handlers": ["request"],
            "level": "INFO" if REQUEST_LOG else "WARNING",
            "propagate": False,
        },
    },
}

# --- Catalogue -------------------------------------------------------------------------------

# Folder of JSON files that `manage.py load_catalogue` reads.
CATALOGUE_FIXTURES_DIR = BASE_DIR / "fixtures" / "catalogue"
# /downloads/: the whole published catalogue as files, rewritten by the worker after a change.
DOWNLOADS_DIR = Path(os.environ.get("DOWNLOADS_DIR", BASE_DIR / "var" / "downloads"))
DOWNLOADS_AUTO_REGENERATE = envbool("DOWNLOADS_AUTO_REGENERATE", True)
# The seed documents; a source page shows one's text where its terms allow (Source.show_text).
CATALOGUE_SEEDS_DIR = BASE_DIR / "fixtures" / "seeds"

# --- API ---------------------------------------------------------------------------------------
# The public, read-only REST API under /api/v1/ (see README, "API"). Filtering, pagination and
# throttling are set here once for every endpoint.

API_PAGE_SIZE = 20
API_MAX_PAGE_SIZE = 100

REST_FRAMEWORK = {
    # JSON only: the docs at /api/v1/docs/ replace the browsable API, and every response type
    # the API can send is described by the schema.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # Sessions only (no HTTP Basic): reading needs no account, and passwords are not sent
    # with every API request.
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_FILTER_BACKENDS": ["api.backends.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "PAGE_SIZE": API_PAGE_SIZE,
    # One count per client address (anonymous) or per account (with an API token), shared by
    # every worker through CACHES["shared"]; see api/throttling.py.
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_ANON_RATE", "120/minute"),
        "token": os.environ.get("API_TOKEN_RATE", "600/minute"),
    },
    "NUM_PROXIES": TRUSTED_PROXIES,
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Casebook API",
    "DESCRIPTION": (
        "Read-only access to the Casebook catalogue of AI-for-children and AI-for-social-good "
        "initiatives, and `/submissions/`, where partners send initiatives for review with an "
        "API token. Version 1 is stable: fields and parameters are only ever added."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for each choice set that several fields share (a status before and after a
    # change, an organisation's kind in the catalogue and in a proposal, one country or many).
    "ENUM_NAME_OVERRIDES": {
        "InitiativeStatusEnum": "catalogue.models.Initiative.Status",
        "OrganisationKindEnum": "catalogue.models.Organisation.Kind",
        "SourceKindEnum": "catalogue.models.Source.Kind",
        "PublicationKindEnum": "catalogue.models.Publication.Kind",
        "PublicationItemKindEnum": "catalogue.models.PublicationItem.Kind",
        "TextOriginEnum": "catalogue.models.TextOrigin",
        "SafeguardKindEnum": "catalogue.models.Safeguard.Kind",
        "ToolDeploymentEnum": "catalogue.models.ToolProfile.Deployment",
        "ToolLicenceEnum": "catalogue.models.ToolProfile.Licence",
        "CountryEnum": "django_countries.countries",
    },
    # The docs page loads Swagger UI from this site's static files, not from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Deep links put a link inside each operation's expand button (axe: nested-interactive):
    # a screen reader cannot reach it, and a keyboard user meets two controls in one.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    # Only the token scheme is described: the session cookie is never needed to read, and
    # submissions accept only a token.
    "AUTHENTICATION_WHITELIST": ["accounts.authentication.TokenAuthentication"],
}

# Any site may read the API from a browser; nothing but reading is allowed cross-origin, and
# no cookies are sent.
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/api/v1/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
# A browser client may revalidate (send the validators back) and read them, and the rate limit.
CORS_ALLOW_HEADERS = [*cors_default_headers, "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = [
    "ETag",
    "Last-Modified",
    "Retry-After",
    "Content-Disposition",
    "Link",
    "Casebook-Dataset-Version",
]

# --- Accounts and submissions ----------------------------------------------------------------

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "submissions:list"
LOGOUT_REDIRECT_URL = "catalogue:home"
# How long an emailed sign-up confirmation or password-reset link stays valid (seconds).
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
# New submissions a partner may start per hour, through the form and the API together.
SUBMISSIONS_PER_HOUR = int(os.environ.get("SUBMISSIONS_PER_HOUR", "10"))
# Where links in mail point: set it once in production (`check --deploy` warns when it is not).
# Unset, links point at the host the request that caused the mail came to (casebook/site.py).
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")

# --- Communities and vetted members -------------------------------------------------------------
# An approved membership lasts this many days, then the member applies again.
HUB_MEMBERSHIP_PERIOD = timedelta(days=int(os.environ.get("HUB_MEMBERSHIP_DAYS", "365")))
# Messages one member may send others through the site in an hour.
HUB_MESSAGES_PER_HOUR = int(os.environ.get("HUB_MESSAGES_PER_HOUR", "10"))
# Who may read a members-only case at its address: the hub's rule, named here so that the
# catalogue asks it without importing the hub (catalogue.models.initiatives.readable_by).
MEMBERS_ONLY_READERS = "hub.cases.readable_initiatives"

# --- Background tasks, queued mail and limits on account mail (issue 10) ----------------------
# Mail leaves the request: it is queued in the database (django-tasks-db, on Django's own tasks
# framework) and sent by `manage.py worker`, a separate process (`./dev.sh run` starts one; see
# README, "The worker"). TASKS_BACKEND=immediate runs each task inside the request instead (the
# tests do this, so that only the tests of the queue itself need a worker).

INSTALLED_APPS += ["django_tasks_db", "outbox"]
TASKS_BACKENDS = {
    "database": "django_tasks_db.backend.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
if os.environ.get("TASKS_BACKEND", "database") not in TASKS_BACKENDS:
    raise ImproperlyConfigured("TASKS_BACKEND must be 'database' or 'immediate'.")
TASKS = {"default": {"BACKEND": TASKS_BACKENDS[os.environ.get("TASKS_BACKEND", "database")]}}
# A mail the server refuses is tried again after 1, 2, 4… minutes (at most an hour apart),
# MAIL_MAX_ATTEMPTS times in all (10: about four and a half hours), then logged as not sent.
MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "10"))
MAIL_RETRY_DELAY = 60
MAIL_RETRY_MAX_DELAY = 3600
# The worker is reported down (outbox.worker.worker_status) when it has not written its
# heartbeat for this long, or when a task has waited this long past its time.
WORKER_HEARTBEAT_SECONDS = 15
WORKER_MAX_DELAY = int(os.environ.get("WORKER_MAX_DELAY", "120"))
# Account mail (sign-up confirmation, "you already have an account", password reset) to one
# address per hour; more requests get the same page and no mail. Per client address and hour,
# sign-ups and password-reset requests beyond these get a 429 with Retry-After.
ACCOUNT_MAILS_PER_ADDRESS_PER_HOUR = int(os.environ.get("ACCOUNT_MAILS_PER_ADDRESS_PER_HOUR", "3"))
SIGNUPS_PER_IP_PER_HOUR = int(os.environ.get("SIGNUPS_PER_IP_PER_HOUR", "10"))
PASSWORD_RESETS_PER_IP_PER_HOUR = int(os.environ.get("PASSWORD_RESETS_PER_IP_PER_HOUR", "10"))

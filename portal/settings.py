"""Settings for the portal, read from the environment.

One file for every machine. ``DJANGO_ENV=production`` declares a production
server: it must have ``DJANGO_SECRET_KEY``, never runs with DEBUG, serves
hashed, compressed static files and sends cookies over HTTPS only. Anything
else is a development machine, where plain ``manage.py`` commands work
without further setup (``make run`` adds ``DJANGO_DEBUG=1``). A value that
cannot be read stops the start with ImproperlyConfigured rather than being
guessed.
"""

import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from js_asset import static_lazy

from portal.lib.blocks import FRAME_ORIGINS as VIDEO_FRAME_ORIGINS
from portal.lib.csp import add_file_policy

BASE_DIR = Path(__file__).resolve().parent.parent
# The sixteen Länder by their ISO 3166-2 codes (without "DE-"), as the holidays package names them.
GERMAN_STATES = (
    "BB", "BE", "BW", "BY", "HB", "HE", "HH", "MV", "NI", "NW", "RP", "SH", "SL", "SN", "ST", "TH",
)  # fmt: skip


def envbool(name, default):
    value = os.getenv(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off, not {value!r}")


def envint(name, default):
    value = os.getenv(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name, default):
    value = os.getenv(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def database_from_url(url):
    """Turn ``postgres://user:password@host:port/name?sslmode=...`` into a DATABASES entry."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise ImproperlyConfigured(
            f"DATABASE_URL must start with postgres:// or postgresql://, not {parts.scheme!r}"
        )
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured("DATABASE_URL names no database (postgres://host/NAME)")
    options = dict(parse_qsl(parts.query))
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured("DATABASE_URL has a port that is not a number") from None
    # A socket folder is given as ?host=/var/run/postgresql (with ?port= if not 5432)
    # or as a host of the form %2Fvar%2Frun%2Fpostgresql.
    host = unquote(parts.hostname or "") or options.pop("host", "")
    port = port or options.pop("port", "")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(port or ""),
        "OPTIONS": options,
    }


ENVIRONMENT = os.getenv("DJANGO_ENV", "development")
if ENVIRONMENT not in ("development", "production"):
    raise ImproperlyConfigured(
        f"DJANGO_ENV must be development or production, not {ENVIRONMENT!r}"
    )
PRODUCTION = ENVIRONMENT == "production"

DEBUG = envbool("DJANGO_DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be off when DJANGO_ENV=production.")

SECRET_KEY = os.getenv("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production needs a long random value of its own."
        )
    # The "django-insecure-" prefix makes check --deploy flag it should it ever leak out.
    SECRET_KEY = "django-insecure-development-only-never-in-production"  # noqa: S105

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # Django's widget templates for FORM_RENDERER below
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "taggit",
    "django_prose_editor",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "portal",
    "articles",
    "ads",
    "subscriptions",
]

MIDDLEWARE = [
    "portal.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.RejectNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): signed in with the second factor (portal.sites).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Innermost: a cached reader page skips only the view, never the checks above.
    "portal.lib.pagecache.ReaderPageCacheMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "portal.context_processors.site",
            ],
        },
    },
]

# Widgets are rendered through TEMPLATES, so templates/ can override the
# admin's (templates/admin/widgets/split_datetime.html labels its fields).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Database: DATABASE_URL, or the embedded server with its data under var/.
if os.getenv("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
else:
    from portal.embedded_db import start_or_exit

    EMBEDDED_PGDATA = Path(os.getenv("PORTAL_PGDATA", BASE_DIR / "var" / "pgdata")).resolve()
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "portal",
            "USER": "postgres",
            "HOST": start_or_exit(EMBEDDED_PGDATA, "portal"),
        }
    }
# Persistent connections; a connection that died (database restart) is
# replaced on the next request instead of failing it.
DATABASES["default"]["CONN_MAX_AGE"] = envint("DJANGO_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A database that does not answer is given up after a few seconds (the page
# says so, 503) rather than holding a worker; DATABASE_URL may set its own.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
    "connect_timeout", envint("DJANGO_DB_CONNECT_TIMEOUT", 3)
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# "ozg" typed by one editor and "OZG" by another are the same Stichwort.
TAGGIT_CASE_INSENSITIVE = True

# The rich-text editor's portal extension ("PortalEditing" in portal.lib.text):
# links completed as typed, our articles searchable in the link dialog, paste
# clean-up that says what it removed, pictures only from the library. Its
# module replaces the editor's Link and Figure; the body is sanitized by
# portal.lib.text, so it adds nothing to django-prose-editor's allow-list.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("js/editor-portal.js")],
        "extensions": {"PortalEditing": lambda config, shared_config: None},
    },
    # Tables with a header row, the info box, the two-click video and the word
    # count (issue 24, point 8); portal.lib.text's allow-list takes what they write.
    {
        "js": [static_lazy("js/editor-writing.js")],
        "extensions": {
            name: lambda config, shared_config: None
            for name in ("InfoBox", "Video", "WritingTools")
        },
    },
    # Alignment and size of body pictures (data-align, data-size on the figure).
    {
        "js": [static_lazy("js/editor-pictures.js")],
        "extensions": {"PortalPictures": lambda config, shared_config: None},
    },
]

# The cache: Redis, shared by all app processes, when REDIS_URL is set;
# otherwise local memory per process. Reader pages and shared page fragments
# live there (the rate limits count in PostgreSQL, portal.lib.ratelimit, so
# they hold across processes either way). Correctness never depends on it:
# cached pages are keyed by the content version (portal.lib.pagecache), and a
# Redis that is down only makes pages slower (portal.lib.cache).
if os.getenv("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "portal.lib.cache.ForgivingRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "portal",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Outside production whitenoise serves straight from static/, with no collectstatic.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = not PRODUCTION
# Static files are answered before django-csp's middleware; they carry a policy of their own.
WHITENOISE_ADD_HEADERS_FUNCTION = add_file_policy
# Pictures uploaded in the back office: the largest file taken, in megabytes.
# The server refuses more (portal.lib.images), and the upload forms tell the
# browser, which refuses it before the upload starts. A proxy in front must
# let at least this much through (nginx: client_max_body_size), or editors get
# its error page instead of the German reason.
IMAGE_MAX_BYTES = envint("PORTAL_IMAGE_MAX_MB", 10) * 1024 * 1024
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.getenv("PORTAL_MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Uploaded pictures are served by the app itself where no web server does it.
SERVE_MEDIA = envbool("PORTAL_SERVE_MEDIA", not PRODUCTION)
# Files with personal data (receipt PDFs): on the app server's own disk,
# outside MEDIA_ROOT, so neither the app, a web server nor a bucket serves
# them; the views that read them check who asks. Only rendered copies live
# here, so the folder needs no backup and each app server keeps its own.
PRIVATE_ROOT = Path(os.getenv("PORTAL_PRIVATE_ROOT", BASE_DIR / "var" / "private"))
if PRIVATE_ROOT.resolve().is_relative_to(MEDIA_ROOT.resolve()):
    raise ImproperlyConfigured(
        f"PORTAL_PRIVATE_ROOT ({PRIVATE_ROOT}) must not lie inside PORTAL_MEDIA_ROOT "
        f"({MEDIA_ROOT}), which is served to everyone."
    )
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploaded pictures on S3-compatible storage (AWS, MinIO, Ceph, …) when a
# bucket is named; needs the optional dependencies: pip install -e ".[s3]".
# Pictures are public and never overwritten (renditions get new names), so
# they are served straight from the bucket or its CDN domain, without
# signed URLs, and may be cached for a year.
S3_BUCKET = os.getenv("PORTAL_S3_BUCKET", "")
MEDIA_ORIGINS = []
if S3_BUCKET:
    S3_ENDPOINT = os.getenv("PORTAL_S3_ENDPOINT_URL", "")
    S3_DOMAIN = os.getenv("PORTAL_S3_CUSTOM_DOMAIN", "")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": S3_ENDPOINT or None,
            "region_name": os.getenv("PORTAL_S3_REGION") or None,
            "access_key": os.getenv("PORTAL_S3_ACCESS_KEY") or None,
            "secret_key": os.getenv("PORTAL_S3_SECRET_KEY") or None,
            "custom_domain": S3_DOMAIN or None,
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000"},
        },
    }
    SERVE_MEDIA = False
    if S3_DOMAIN:
        MEDIA_ORIGINS.append(f"https://{S3_DOMAIN}")
    elif S3_ENDPOINT:
        MEDIA_ORIGINS.append(S3_ENDPOINT.rstrip("/"))
    else:
        MEDIA_ORIGINS.append(f"https://{S3_BUCKET}.s3.amazonaws.com")

# Readers get no cookies; staff cookies are not readable from scripts and,
# in production, travel over HTTPS only.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = envbool("DJANGO_SECURE_COOKIES", PRODUCTION)
# A form refused for want of its CSRF cookie gets a German page that keeps what
# was typed; the Kündigung and Widerruf forms need no cookie at all.
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
# Behind a proxy that terminates TLS: DJANGO_BEHIND_TLS_PROXY=1 trusts its
# X-Forwarded-Proto, so absolute URLs (canonical, "Link mailen") say https.
# It also names the client's address in X-Forwarded-For, which rate limits,
# the login lock and consent records then use instead of the proxy's own.
BEHIND_PROXY = envbool("DJANGO_BEHIND_TLS_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content Security Policy: scripts, styles, pictures and frames only from
# ourselves, no inline code, no plugins. Pictures from elsewhere (a CDN or
# S3 for media) are added with PORTAL_CSP_IMG_SOURCES.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # The admin's editor needs one inline import map, allowed by nonce.
        "script-src": [SELF, NONCE],
        # The admin's editor (Tiptap in django-prose-editor 0.28) adds one <style>
        # element of its own; this is its hash. A new editor version has a new
        # one: the browser console names it ("Applying inline style violates").
        "style-src": [SELF, "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"],
        "img-src": [SELF, "data:", *MEDIA_ORIGINS, *envlist("PORTAL_CSP_IMG_SOURCES", [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        # After the reader's click on "Video laden" (articles.writing), the
        # players of the privacy-friendly video hosts; nothing else.
        "frame-src": [SELF, *VIDEO_FRAME_ORIGINS],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# HTTPS only in production: plain HTTP is redirected, and browsers are told
# (HSTS) to ask for HTTPS themselves for a year. Load balancers probe the
# health endpoint over plain HTTP.
SECURE_SSL_REDIRECT = envbool("DJANGO_SSL_REDIRECT", PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", 365 * 24 * 3600 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("DJANGO_HSTS_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = envbool("DJANGO_HSTS_PRELOAD", PRODUCTION)
SECURE_CONTENT_TYPE_NOSNIFF = True
# Other sites learn that a reader came from us, not from which article.
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

PORTAL_NAME = os.getenv("PORTAL_NAME", "Verwaltung Digital")
PORTAL_CLAIM = os.getenv(
    "PORTAL_CLAIM", "Das Portal für E-Government und Verwaltungsmodernisierung"
)
# PDF rendering: how many at once across all processes, and how long a
# request waits for a free slot before it gets a 503.
PDF_RENDER_SLOTS = envint("PORTAL_PDF_SLOTS", 2)
PDF_RENDER_WAIT = envint("PORTAL_PDF_WAIT_MS", 300) / 1000

# How long a preview link for an unpublished article works.
PREVIEW_DAYS = envint("PORTAL_PREVIEW_DAYS", 7)
# The subscription service's address: sender of its mail, and where people may write.
SUBSCRIPTION_EMAIL = os.getenv("PORTAL_SUBSCRIPTION_EMAIL", "abo@verwaltung-digital.example")
# The publisher's federal state (its seat, as in the Impressum): its public
# holidays move a withdrawal deadline to the next working day (§ 193 BGB).
PORTAL_PUBLISHER_STATE = os.getenv("PORTAL_PUBLISHER_STATE", "BE").strip().upper()
if PORTAL_PUBLISHER_STATE not in GERMAN_STATES:
    raise ImproperlyConfigured(
        f"PORTAL_PUBLISHER_STATE must be one of {', '.join(GERMAN_STATES)}, "
        f"not {PORTAL_PUBLISHER_STATE!r}"
    )
# Who pays for sending back the print issues after a withdrawal, as the
# Widerrufsbelehrung says it (Anlage 1 EGBGB, Gestaltungshinweis 5 b):
# "publisher" ("Wir tragen die Kosten ...") or "subscriber" ("Sie tragen die
# unmittelbaren Kosten ...").
PORTAL_WITHDRAWAL_RETURN_COSTS = os.getenv("PORTAL_WITHDRAWAL_RETURN_COSTS", "publisher")
if PORTAL_WITHDRAWAL_RETURN_COSTS not in ("publisher", "subscriber"):
    raise ImproperlyConfigured(
        "PORTAL_WITHDRAWAL_RETURN_COSTS must be publisher or subscriber, "
        f"not {PORTAL_WITHDRAWAL_RETURN_COSTS!r}"
    )

# How long personal data is kept (subscriptions/retention.py; README, "Personal data").
RETENTION_UNCONFIRMED_SIGNUP_DAYS = envint("PORTAL_RETENTION_UNCONFIRMED_SIGNUP_DAYS", 30)
RETENTION_CONSENT_IP_YEARS = envint("PORTAL_RETENTION_CONSENT_IP_YEARS", 3)
RETENTION_MAIL_BODY_DAYS = envint("PORTAL_RETENTION_MAIL_BODY_DAYS", 90)
# Counted in whole calendar years from the end of the year in which the last
# contract ended or the declaration arrived (§ 257 Abs. 5 HGB, § 147 Abs. 4
# AO, § 199 Abs. 1 BGB): the e-mail address of a former subscriber (the
# limitation period, §§ 195, 199 BGB); name, billing address and contract data
# (Buchungsbelege, § 147 Abs. 3 AO, § 257 Abs. 4 HGB since BEG IV);
# cancellations and withdrawals (received Handelsbriefe, 6 years).
RETENTION_CONTACT_YEARS = envint("PORTAL_RETENTION_CONTACT_YEARS", 3)
RETENTION_BOOKING_YEARS = envint("PORTAL_RETENTION_BOOKING_YEARS", 8)
RETENTION_DECLARATION_YEARS = envint("PORTAL_RETENTION_DECLARATION_YEARS", 6)
# Whom readers ask about their data, shown in the Datenschutzerklärung under the
# publisher (subscriptions/privacy.py): the data-protection officer where there is one,
# e.g. "Datenschutzbeauftragte: Erika Muster, datenschutz@verlag.example".
PRIVACY_CONTACT = os.getenv("PORTAL_PRIVACY_CONTACT", "")
# Who looked at subscriber data (subscriptions.AccessLog): two years, long enough
# to answer a subscriber's question or trace a misuse found late. The database
# trigger refuses a purge with less than a year (AccessLog.ACCESS_LOG_MIN_DAYS).
RETENTION_ACCESS_LOG_DAYS = envint("PORTAL_RETENTION_ACCESS_LOG_DAYS", 730)
if RETENTION_ACCESS_LOG_DAYS < 365:
    raise ImproperlyConfigured(
        "PORTAL_RETENTION_ACCESS_LOG_DAYS must be at least 365 (the database refuses less), "
        f"not {RETENTION_ACCESS_LOG_DAYS}"
    )

# The back office's second factor (portal.sites): required for superusers and
# for everyone who may see subscriber data; with this set, for all staff.
OTP_REQUIRED_FOR_ALL_STAFF = envbool("PORTAL_OTP_FOR_ALL_STAFF", False)
# The issuer shown in authenticator apps beside the user name.
OTP_TOTP_ISSUER = PORTAL_NAME

# Background work (portal/lib/tasks.py): Django's task framework. "database"
# keeps the queue in PostgreSQL (no broker; `make worker` runs it); "rq" puts
# it in Redis (REDIS_URL, pip install -e ".[rq]", workers: manage.py rqworker);
# "immediate" runs each task at once in the process that asks (the tests).
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND_NAME = os.getenv("PORTAL_TASKS", "database")
if TASKS_BACKEND_NAME not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"PORTAL_TASKS must be one of {', '.join(TASK_BACKENDS)}")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND_NAME]}}
if TASKS_BACKEND_NAME == "rq":
    INSTALLED_APPS += ["django_rq"]
    RQ_QUEUES = {"default": {"URL": os.getenv("REDIS_URL", "redis://127.0.0.1:6379/0")}}

# E-mail: SMTP where EMAIL_HOST is set (production must set it); otherwise
# printed to the console of `make run`. Mail is written to the outbox first;
# a task of the worker (`make worker`) sends it and retries what fails.
if os.getenv("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = envint("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", EMAIL_PORT == 465)
elif PRODUCTION:
    raise ImproperlyConfigured(
        "Production needs EMAIL_HOST: subscribers must get their confirmations"
    )
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# A mail server that hangs must not hold a subscriber's request for long; the worker retries.
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", f"{PORTAL_NAME} <{SUBSCRIPTION_EMAIL}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Logs go to stdout for the process manager to collect: one JSON object per
# line in production (DJANGO_LOG_FORMAT=json), plain text otherwise.
LOG_FORMAT = os.getenv("DJANGO_LOG_FORMAT", "json" if PRODUCTION else "text")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "portal.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": os.getenv("DJANGO_LOG_LEVEL", "INFO")},
    # pgserver narrates every start and stop at INFO.
    "loggers": {
        "pgserver": {"level": "WARNING"},
        # WeasyPrint reports every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-tasks logs each task's start and end at INFO: two lines per
        # newsletter mail. Failures come at ERROR; the admin lists the rest.
        "django_tasks": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
    },
}

"""Settings for Inclusion Toolkit, read from the environment.

Every value a deployment may change comes from an environment variable read through the
small typed helpers below; the defaults give a working development set-up on SQLite.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in env_str(name, default).split(",") if part.strip()]


def env_secret(name: str, default: str = "") -> str:
    """A secret from NAME, or from the file named by NAME_FILE (Docker/systemd secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY (or SECRET_KEY_FILE), or DEBUG=1 for development."
        )
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # serves its own Swagger UI files, no CDN
    "csp",
    # Before allauth: our templates for its pages (allauth/layouts/base.html) must win.
    "inclusion.accounts",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "inclusion.core",
    "inclusion.handbook",
    "inclusion.organisations",
    "inclusion.assessments",
    "inclusion.practices",
    "inclusion.feedback",
    "inclusion.networks",
    "inclusion.api",
    "inclusion.staff",
    "inclusion.notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "inclusion.core.middleware.RequestLogMiddleware",
    # Above sessions and authentication, which need the database: 503, not 500, while it is away.
    "inclusion.core.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "inclusion.accounts.middleware.StaffRequireMFAMiddleware",
]

ROOT_URLCONF = "inclusion.urls"
WSGI_APPLICATION = "inclusion.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "inclusion.core.context_processors.site",
                "inclusion.handbook.context_processors.content_version",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's, with a health check before each request that needs no round trip.
    DATABASES["default"]["ENGINE"] = "inclusion.core.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer commits; the busy timeout makes a second
    # writer wait instead of failing with "database is locked". synchronous=FULL syncs the
    # WAL to disk at every commit, so a save the person saw acknowledged survives a power
    # cut too (NORMAL survives only a crash of the process). See docs/deploy.md.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if DEBUG else DATABASES["default"]["CONN_MAX_AGE"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts: django-allauth with email as the login, verified addresses, optional TOTP.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "organisations:dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Inclusion Toolkit: "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Inclusion Toolkit"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Inclusion Toolkit <no-reply@localhost>")
# The address of the site as people reach it: links in e-mails sent by management commands
# (notifications), where there is no request to take the host from.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages of the interface and of the handbook content. Latvian is the source edition.
LANGUAGE_CODE = "lv"
LANGUAGES = [
    ("lv", _("Latvian")),
    ("en", _("English")),
]
# Right-to-left languages, marked once; templates set dir= from this.
RTL_LANGUAGES = {"ar", "fa", "he", "ur"}
LOCALE_PATHS = [BASE_DIR / "locale"]
# Day-month order and each language's own separators (inclusion/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["inclusion.formats"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Riga")
USE_I18N = True
USE_TZ = True

CONTENT_DIR = Path(env_str("CONTENT_DIR", str(BASE_DIR / "content")))

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Generated PDFs are cached here per content version, so each is built once.
PDF_CACHE_DIR = Path(env_str("PDF_CACHE_DIR", str(BASE_DIR / "var" / "pdf")))
# The explainer and promo videos (`manage.py build_videos`, `make videos`).
VIDEO_DIR = Path(env_str("VIDEO_DIR", str(BASE_DIR / "var" / "videos")))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed file names for far-future caching in production (needs collectstatic).
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}


def s3_storage(prefix: str) -> dict:
    """An S3-compatible bucket (AWS, MinIO, Ceph, …) through django-storages, for several
    machines that must see the same files. Objects are private; we serve them ourselves."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET"),
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_secret("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_secret("S3_SECRET_ACCESS_KEY") or None,
            "location": prefix,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "addressing_style": env_str("S3_ADDRESSING_STYLE") or None,
        },
    }


# Evidence attached to checklist items: the filesystem under MEDIA_ROOT (one machine), or an
# S3-compatible bucket (EVIDENCE_STORAGE=s3). Never served by a media URL: only members get a
# file, through assessments.views.evidence_file.
EVIDENCE_STORAGE = env_str("EVIDENCE_STORAGE", "filesystem")
if EVIDENCE_STORAGE not in {"filesystem", "s3"}:
    raise ImproperlyConfigured(f"EVIDENCE_STORAGE must be filesystem or s3, not {EVIDENCE_STORAGE!r}")
if EVIDENCE_STORAGE == "s3" and not env_str("S3_BUCKET"):
    raise ImproperlyConfigured("EVIDENCE_STORAGE=s3 needs S3_BUCKET")
STORAGES["evidence"] = (
    s3_storage("evidence")
    if EVIDENCE_STORAGE == "s3"
    else {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT / "evidence"), "base_url": None},
    }
)
# The largest file that may be attached as evidence, in megabytes.
EVIDENCE_MAX_UPLOAD_BYTES = env_int("EVIDENCE_MAX_UPLOAD_MB", 10) * 1024 * 1024

# Without collectstatic (development, tests) WhiteNoise serves straight from the apps.
WHITENOISE_USE_FINDERS = not env_bool("STATIC_MANIFEST", False)


def cache_from_url(url: str) -> dict:
    """CACHE_URL: db://table (the default in production), redis://host:port/db, locmem:// (one
    process: development and tests), file:///path.

    Rate limits (sign-in, feedback) count in the cache, so every worker and server of one
    deployment must share it, and count atomically: db:// (our DatabaseCache, whose table
    `migrate` creates) or redis://. file:// is shared on one machine but its increments are
    not atomic, so parallel requests can slip past a limit.
    """
    scheme, _, rest = url.partition("://")
    backends = {
        "locmem": ("django.core.cache.backends.locmem.LocMemCache", rest or "inclusion"),
        "file": ("django.core.cache.backends.filebased.FileBasedCache", rest),
        "db": ("inclusion.core.cache.DatabaseCache", rest or "inclusion_cache"),
        "redis": ("django.core.cache.backends.redis.RedisCache", url),
    }
    if scheme not in backends:
        raise ImproperlyConfigured(f"CACHE_URL must start with one of {', '.join(backends)}://, not {url!r}")
    backend, location = backends[scheme]
    if scheme == "db":
        # Rendered pages are kept here too: room for a few thousand before a cull (which
        # takes the expired and then the largest rows, inclusion.core.cache).
        options = {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 5000)}
        return {"BACKEND": backend, "LOCATION": location, "OPTIONS": options}
    return {"BACKEND": backend, "LOCATION": location}


# Production shares one cache among all workers (the database's, unless CACHE_URL says
# otherwise); development's single runserver process keeps it in memory.
CACHES = {
    "default": cache_from_url(env_str("CACHE_URL", "locmem://inclusion" if DEBUG else "db://inclusion_cache")),
    # Each worker's own memory, in front of the shared cache for rendered fragments
    # (core.fragments): read without a query, kept for seconds only.
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments"},
}

# Security: sensible defaults everywhere, stricter behind HTTPS in production.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and SECURE_SSL_REDIRECT)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", SECURE_HSTS_SECONDS > 0)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy: no inline script or style anywhere, nothing from other origins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Sign-in and password-reset attempts are limited (allauth counts them in the cache).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
}

# Logs go to standard error: plain text for people, or one JSON object per line for a log
# collector (LOG_FORMAT=json, the default in production). Neither holds IP addresses, user
# agents, query strings or request bodies (inclusion.core.logging).
LOG_FORMAT = env_str("LOG_FORMAT", "plain" if DEBUG else "json")
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "inclusion.core.logging.PlainFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
        "json": {"()": "inclusion.core.logging.JSONFormatter"},
    },
    "filters": {"database_outage": {"()": "inclusion.core.middleware.SkipDatabaseOutageTracebacks"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Through the root handler only (Django's own console handler would repeat them in DEBUG).
        "django": {"handlers": [], "level": LOG_LEVEL},
        # DatabaseUnavailableMiddleware logs those requests itself, in one line each.
        "django.request": {"filters": ["database_outage"]},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}

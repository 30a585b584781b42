"""Django settings for vigil.

Everything a deployment changes comes from the environment:
``VIGIL_DATA_DIR`` (the data folder: SQLite database and media; default ``./vigil-data``),
``DATABASE_URL`` (any database; default SQLite in the data folder), ``VIGIL_SECRET_KEY``
(else a random key kept in the data folder), ``VIGIL_DEBUG`` (development only: refused unless every
allowed host is the local machine), ``VIGIL_ALLOWED_HOSTS`` (comma-separated), ``VIGIL_FIELD_KEY_FILE``
(the field-encryption keyring; default ``<data folder>/keys/field-keys.json``) or ``VIGIL_FIELD_KEYRING``
(the keyring itself). The security settings (HTTPS, proxies, two-factor login, sessions, the
Content-Security-Policy) are described in docs/security.md.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

DATA_DIR = Path(os.environ.get("VIGIL_DATA_DIR", "vigil-data")).resolve()


def _secret_key() -> str:
    if key := os.environ.get("VIGIL_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    if DATA_DIR.exists():
        key = secrets.token_urlsafe(50)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(key)
        return key
    # No data folder yet (e.g. `vigil --help`): a throwaway key; nothing is signed with it.
    return secrets.token_urlsafe(50)


SECRET_KEY = _secret_key()
# The field-encryption keyring lives outside the database (and outside database backups).
VIGIL_FIELD_KEY_FILE = Path(os.environ.get("VIGIL_FIELD_KEY_FILE", DATA_DIR / "keys" / "field-keys.json"))
VIGIL_FIELD_KEYRING = os.environ.get("VIGIL_FIELD_KEYRING", "")


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0, not {value!r}")


def _list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = os.environ.get("VIGIL_DEBUG", "") == "1"
ALLOWED_HOSTS = _list("VIGIL_ALLOWED_HOSTS", "127.0.0.1,localhost")
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
if DEBUG and not set(ALLOWED_HOSTS) <= _LOCAL_HOSTS:
    # Debug pages show settings, source and request data: never on a host anyone else can reach.
    raise ImproperlyConfigured("VIGIL_DEBUG=1 is refused unless VIGIL_ALLOWED_HOSTS names only localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "vigil.accounts",
    "vigil.keys",
    "vigil.audit",
    "vigil.places",
    "vigil.evidence",
    "vigil.records",
    "vigil.linkage",
    "vigil.exports",
    "vigil.web",
    "vigil.public",
    "vigil.reports",
    "vigil.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # An expired session is logged out before the two-factor check looks at it.
    "vigil.accounts.middleware.SessionTimeoutMiddleware",
    "vigil.accounts.middleware.OTPRequiredMiddleware",
    "vigil.web.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "vigil.config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vigil.web.context.access",
            ],
        },
    },
]

WSGI_APPLICATION = "vigil.config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'vigil.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while an import writes; IMMEDIATE avoids lock upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "timeout": 30,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("kk", "Қазақша"), ("ug", "ئۇيغۇرچە"), ("ru", "Русский"), ("zh-hans", "中文")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"
# Encryption at rest of stored media (docs/custody.md): "unpublishable" (the default) encrypts every file
# that is not known to be publishable when it is stored (only a file stored for a testimony given with
# full consent stays plain), every document, and every working copy of an encrypted original; "all"
# encrypts every file; "none" encrypts no new file (working copies of encrypted originals still are).
VIGIL_MEDIA_ENCRYPTION = os.environ.get("VIGIL_MEDIA_ENCRYPTION", "unpublishable")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

# Two-factor login (TOTP) for every staff account (docs/security.md). Off only for a throwaway setup.
VIGIL_REQUIRE_2FA = _flag("VIGIL_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = os.environ.get("VIGIL_OTP_ISSUER", "vigil")
# Failed password or code entries per username and address before both are refused for a while.
VIGIL_LOGIN_FAILURE_LIMIT = int(os.environ.get("VIGIL_LOGIN_FAILURE_LIMIT", "5"))
VIGIL_LOGIN_LOCKOUT_SECONDS = int(os.environ.get("VIGIL_LOGIN_LOCKOUT_MINUTES", "15")) * 60
LOCALE_PATHS = [Path(__file__).resolve().parent.parent / "locale"]

# The facilities map: a tile URL such as "https://tile.example.org/{z}/{x}/{y}.png" (empty: points on a
# plain background, for offline deployments).
VIGIL_MAP_TILES = os.environ.get("VIGIL_MAP_TILES", "")
VIGIL_MAP_ATTRIBUTION = os.environ.get("VIGIL_MAP_ATTRIBUTION", "")

# Sessions: at most 8 hours after logging in, and 30 minutes without a request
# (vigil.accounts.middleware.SessionTimeoutMiddleware); the cookie dies with the browser.
VIGIL_SESSION_MAX_SECONDS = int(os.environ.get("VIGIL_SESSION_HOURS", "8")) * 3600
VIGIL_SESSION_IDLE_SECONDS = int(os.environ.get("VIGIL_SESSION_IDLE_MINUTES", "30")) * 60
SESSION_COOKIE_AGE = VIGIL_SESSION_MAX_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# HTTPS: on unless developing (VIGIL_DEBUG=1) or told otherwise (`vigil demo` serves plain HTTP on
# 127.0.0.1 and sets VIGIL_HTTPS=0). Behind a TLS proxy, set VIGIL_PROXY_SSL_HEADER to the header the
# proxy sets (e.g. X-Forwarded-Proto), and only if the proxy overwrites that header on every request.
VIGIL_HTTPS = _flag("VIGIL_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = VIGIL_HTTPS
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if VIGIL_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = VIGIL_HTTPS
SESSION_COOKIE_SECURE = VIGIL_HTTPS
CSRF_COOKIE_SECURE = VIGIL_HTTPS
if _proxy_header := os.environ.get("VIGIL_PROXY_SSL_HEADER", "").strip():
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")
# Origins allowed to POST (e.g. https://vigil.example.org), needed when a proxy changes the host.
CSRF_TRUSTED_ORIGINS = _list("VIGIL_CSRF_TRUSTED_ORIGINS")


def _tile_origin(url: str) -> str | None:
    """The origin a map tile URL loads from, as a CSP source ("{s}" subdomains become a wildcard)."""
    parts = urlsplit(url.replace("{s}", "*"))
    if parts.scheme not in {"http", "https"} or not parts.netloc or "{" in parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


# No inline script, style or handler anywhere: every script and stylesheet is a file vigil serves.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *filter(None, [_tile_origin(VIGIL_MAP_TILES)])],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# Every log line goes through the redaction filter and formatter (vigil.logging): no identity
# number, phone number, e-mail address or value of a sensitive field reaches a log.
LOG_LEVEL = os.environ.get("VIGIL_LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "vigil.logging.RedactingFilter"}},
    "formatters": {"redacting": {"()": "vigil.logging.RedactingFormatter", "format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"], "formatter": "redacting"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own handlers (a console in DEBUG, mail to ADMINS) would bypass the filter.
        # The filter on these loggers too: any handler added to them later (tests, error trackers) gets redacted records.
        "django": {"handlers": ["console"], "filters": ["redact"], "level": LOG_LEVEL, "propagate": False},
        "django.request": {"handlers": ["console"], "filters": ["redact"], "level": LOG_LEVEL, "propagate": False},
        "django.security": {"handlers": ["console"], "filters": ["redact"], "level": LOG_LEVEL, "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO" if DEBUG else LOG_LEVEL, "propagate": False},
    },
}

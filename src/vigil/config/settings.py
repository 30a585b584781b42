"""Django settings for vigil.

Everything a deployment changes comes from the environment:
``VIGIL_DATA_DIR`` (the data folder: SQLite database and media; default ``./vigil-data``),
``DATABASE_URL`` (any database; default SQLite in the data folder), ``VIGIL_SECRET_KEY``
(else a random key kept in the data folder), ``VIGIL_DEBUG`` (development only),
``VIGIL_ALLOWED_HOSTS`` (comma-separated), ``VIGIL_FIELD_KEY_FILE`` (the field-encryption keyring;
default ``<data folder>/keys/field-keys.json``) or ``VIGIL_FIELD_KEYRING`` (the keyring itself).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

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
DEBUG = os.environ.get("VIGIL_DEBUG", "") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("VIGIL_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
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
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
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
LOCALE_PATHS = [Path(__file__).resolve().parent.parent / "locale"]

# The facilities map: a tile URL such as "https://tile.example.org/{z}/{x}/{y}.png" (empty: points on a
# plain background, for offline deployments).
VIGIL_MAP_TILES = os.environ.get("VIGIL_MAP_TILES", "")
VIGIL_MAP_ATTRIBUTION = os.environ.get("VIGIL_MAP_ATTRIBUTION", "")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("VIGIL_LOG_LEVEL", "WARNING")},
}

"""Safe defaults: the settings a deployment gets from its environment (docs/security.md)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

SRC = Path(__file__).resolve().parents[2] / "src"
SHOW = """
import json
from vigil.config import settings as s
print(json.dumps({
    "DEBUG": s.DEBUG, "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT, "SECURE_HSTS_SECONDS": s.SECURE_HSTS_SECONDS,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE, "SECURE_PROXY_SSL_HEADER": getattr(s, "SECURE_PROXY_SSL_HEADER", None),
    "CSRF_TRUSTED_ORIGINS": s.CSRF_TRUSTED_ORIGINS, "IMG_SRC": s.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"],
    "SESSION_EXPIRE_AT_BROWSER_CLOSE": s.SESSION_EXPIRE_AT_BROWSER_CLOSE, "SESSION_COOKIE_AGE": s.SESSION_COOKIE_AGE,
    "VIGIL_SESSION_IDLE_SECONDS": s.VIGIL_SESSION_IDLE_SECONDS, "VIGIL_REQUIRE_2FA": s.VIGIL_REQUIRE_2FA,
}))
"""


def settings_with(tmp_path, **env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("VIGIL_") and k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", SHOW], env={**clean, "PYTHONPATH": str(SRC), "VIGIL_DATA_DIR": str(tmp_path), **env},
        capture_output=True, text=True, timeout=60,
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip().splitlines()[-1])
    return json.loads(result.stdout)


def test_a_deployment_is_https_only_by_default(tmp_path):
    """With nothing set: no debug, HTTPS redirect, HSTS for a year with subdomains, secure cookies, 2FA on."""
    s = settings_with(tmp_path)
    assert s["DEBUG"] is False and s["VIGIL_REQUIRE_2FA"] is True
    assert s["SECURE_SSL_REDIRECT"] and s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"]
    assert s["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600 and s["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert s["SECURE_PROXY_SSL_HEADER"] is None  # trusted only when a proxy is declared
    assert s["SESSION_EXPIRE_AT_BROWSER_CLOSE"] and s["SESSION_COOKIE_AGE"] == 8 * 3600 and s["VIGIL_SESSION_IDLE_SECONDS"] == 30 * 60


def test_plain_http_only_when_asked(tmp_path):
    """VIGIL_HTTPS=0 (the demo) turns off the redirect, HSTS and secure-only cookies."""
    s = settings_with(tmp_path, VIGIL_HTTPS="0")
    assert not s["SECURE_SSL_REDIRECT"] and s["SECURE_HSTS_SECONDS"] == 0 and not s["SESSION_COOKIE_SECURE"] and not s["CSRF_COOKIE_SECURE"]


def test_proxy_header_and_trusted_origins_come_from_the_environment(tmp_path):
    """Behind a TLS proxy: the header it sets marks requests secure; the public origin may post forms."""
    s = settings_with(tmp_path, VIGIL_PROXY_SSL_HEADER="X-Forwarded-Proto", VIGIL_CSRF_TRUSTED_ORIGINS="https://vigil.example.org, https://backup.example.org")
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert s["CSRF_TRUSTED_ORIGINS"] == ["https://vigil.example.org", "https://backup.example.org"]


def test_debug_is_refused_on_a_reachable_host(tmp_path):
    """VIGIL_DEBUG=1 works on localhost only (and means development: plain HTTP)."""
    with pytest.raises(RuntimeError, match="VIGIL_DEBUG=1 is refused"):
        settings_with(tmp_path, VIGIL_DEBUG="1", VIGIL_ALLOWED_HOSTS="vigil.example.org")
    s = settings_with(tmp_path, VIGIL_DEBUG="1")
    assert s["DEBUG"] is True and not s["SECURE_SSL_REDIRECT"]


def test_map_tiles_host_is_allowed_for_images(tmp_path):
    """The tile server named in VIGIL_MAP_TILES (with its {s} subdomains) may serve images; nothing else may."""
    s = settings_with(tmp_path, VIGIL_MAP_TILES="https://{s}.tile.example.org/{z}/{x}/{y}.png")
    assert s["IMG_SRC"] == ["'self'", "data:", "https://*.tile.example.org"]


@pytest.mark.django_db
def test_https_settings_redirect_and_send_hsts(client, settings):
    """With HTTPS on, a plain-HTTP request is redirected to HTTPS, and HTTPS responses carry HSTS and secure cookies."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 365 * 24 * 3600
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.CSRF_COOKIE_SECURE = True
    response = client.get(reverse("login"))
    assert response.status_code == 301 and response["Location"] == "https://testserver/login/"
    response = client.get(reverse("login"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response.cookies["csrftoken"]["secure"]

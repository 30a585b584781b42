"""In a real browser: first login with two-factor setup, and pages that run under the strict CSP."""

import re

import pytest
from django_otp.oath import TOTP

from tests.browser.conftest import watch

pytestmark = pytest.mark.django_db(transaction=True)


def test_first_login_sets_up_two_factor_from_the_page(browser, live_server, django_user_model, csp_violations):
    """A new account logs in with its password, reads the key off the setup page (QR code drawn as SVG),
    confirms it with a code, and reaches the staff pages; nothing breaks the Content-Security-Policy."""
    from tests.conftest import grant

    grant(django_user_model.objects.create_user(username="newcomer", password="synthetic-pass-456"), "researcher")
    context = browser.new_context(locale="en-US")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    watch(pg, csp_violations)
    pg.goto(f"{live_server.url}/login/")
    pg.fill("#id_username", "newcomer")
    pg.fill("#id_password", "synthetic-pass-456")
    pg.click("button[type=submit]")
    pg.wait_for_url(f"{live_server.url}/login/code/setup/**")
    assert pg.locator(".qr-box svg").count() == 1
    secret = re.sub(r"\s", "", pg.inner_text("#totp-secret"))
    import base64

    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    pg.fill("#id_token", f"{TOTP(key).token():06d}")
    pg.click("main button[type=submit]")  # the header's "Log out" is a submit button too
    pg.wait_for_url(f"{live_server.url}/")
    pg.goto(f"{live_server.url}/search/")
    assert pg.url.endswith("/search/")
    assert csp_violations == []
    context.close()


def test_map_and_pages_run_under_the_content_security_policy(page, live_server, csp_violations):
    """The facilities map (Leaflet styles elements through the CSSOM), htmx pages and the dashboard
    load without a single Content-Security-Policy violation."""
    for path in ("/facilities/", "/intake/", "/dashboard/", "/review/", "/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/facilities/")
    page.wait_for_selector("#map.leaflet-container")
    assert csp_violations == []

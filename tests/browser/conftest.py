"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("VIGIL_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]

# The live server runs in a thread beside Playwright's sync API (which runs an event loop).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("VIGIL_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium fonts-wqy-zenhei)")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def csp_violations():
    """Messages of the Content-Security-Policy violations the browser reported (via `watch`)."""
    return []


@pytest.fixture
def page(browser, live_server, staff_password_user, csp_violations):
    """A browser logged in as a volunteer through the login form and the two-factor step."""
    from tests.accounts.helpers import totp_code

    context = browser.new_context(locale="en-US")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    watch(pg, csp_violations)
    pg.goto(f"{live_server.url}/login/")
    pg.fill("#id_username", staff_password_user.username)
    pg.fill("#id_password", "synthetic-pass-123")
    pg.click("button[type=submit]")
    pg.wait_for_url(f"{live_server.url}/login/code/**")
    pg.fill("#id_token", totp_code(staff_password_user.totp_device))
    pg.click("main button[type=submit]")  # the header's "Log out" is a submit button too
    pg.wait_for_url(f"{live_server.url}/")
    yield pg
    context.close()


def watch(pg, violations: list[str]) -> None:
    """Collect the page's Content-Security-Policy violations (chromium reports them on the console)."""
    pg.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)


@pytest.fixture
def staff_password_user(transactional_db, django_user_model):
    """A volunteer with a password and a confirmed two-factor device (``user.totp_device``)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.conftest import grant

    user = django_user_model.objects.create_user(username="browser", password="synthetic-pass-123")
    user = grant(user, "editor", "reviewer")
    user.totp_device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user

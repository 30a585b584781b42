import time

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.helpers import force_login_password_only, totp_code, wrong_code
from tests.conftest import grant
from vigil.accounts.middleware import LOGIN_AT, SEEN_AT
from vigil.accounts.models import LoginFailure
from vigil.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

PASSWORD = "synthetic-pass-123"


@pytest.fixture
def volunteer(django_user_model):
    return grant(django_user_model.objects.create_user(username="volunteer", password=PASSWORD), "editor")


@pytest.fixture
def device(volunteer):
    return TOTPDevice.objects.create(user=volunteer, name="phone", confirmed=True)


def log_in(client, username="volunteer", password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_password_alone_opens_no_staff_page(client, volunteer, device):
    """After the password, every staff page (admin included) sends the user to the code step."""
    response = log_in(client)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:otp"))
    for page in (reverse("web:home"), reverse("web:search") + "?q=x", reverse("web:dashboard"), "/admin/", reverse("reports:index")):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("accounts:otp") + "?next="), page


def test_the_right_code_opens_the_staff_pages_and_is_audited(client, volunteer, device):
    """A right code completes the login: the page asked for opens, and both steps are in the audit log."""
    log_in(client)
    response = client.post(reverse("accounts:otp"), {"token": totp_code(device), "next": reverse("web:search")})
    assert response.status_code == 302 and response["Location"] == reverse("web:search")
    assert client.get(reverse("web:search")).status_code == 200
    actions = list(AuditEntry.objects.filter(object_id=str(volunteer.pk)).values_list("action", flat=True))
    assert actions == ["login.password", "login.code"]


def test_a_wrong_code_is_refused(client, volunteer, device):
    """A wrong code shows an error and leaves the user unverified."""
    log_in(client)
    response = client.post(reverse("accounts:otp"), {"token": wrong_code(device)})
    assert response.status_code == 200 and "not right" in response.content.decode()
    assert client.get(reverse("web:home")).status_code == 302


def test_a_code_is_accepted_once(client, volunteer, device):
    """A code seen by someone else is useless once used: the same code does not verify a second session."""
    code = totp_code(device)
    log_in(client)
    assert client.post(reverse("accounts:otp"), {"token": code})["Location"] == "/"
    client.logout()
    log_in(client)
    assert client.post(reverse("accounts:otp"), {"token": code}).status_code == 200


def test_next_never_leads_off_site(client, volunteer, device):
    """A `next` pointing at another site is ignored after the code step."""
    log_in(client)
    response = client.post(reverse("accounts:otp"), {"token": totp_code(device), "next": "https://evil.example.org/"})
    assert response["Location"] == "/"


def test_first_login_sets_up_a_device_with_a_qr_code(client, volunteer, settings):
    """A user without a device is sent to set one up: an SVG QR code and the key as text, confirmed by a code."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code then a right one, within a second
    log_in(client)
    response = client.get(reverse("accounts:otp"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:otp_setup"))
    html = response.content.decode()
    assert '<svg class="qr"' in html and 'id="totp-secret"' in html
    device = TOTPDevice.objects.get(user=volunteer)
    assert not device.confirmed
    assert client.post(reverse("accounts:otp_setup"), {"token": wrong_code(device)}).status_code == 200
    response = client.post(reverse("accounts:otp_setup"), {"token": totp_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("web:home")).status_code == 200
    assert AuditEntry.objects.filter(action="otp.device_confirm", object_id=str(volunteer.pk)).exists()


def test_the_setup_page_never_replaces_a_confirmed_device(client, volunteer, device):
    """With a device set up, the setup page only leads to the code step: a stolen password cannot enrol a new phone."""
    log_in(client)
    response = client.get(reverse("accounts:otp_setup"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:otp"))
    assert "svg" not in client.get(reverse("accounts:otp")).content.decode()
    assert list(TOTPDevice.objects.filter(user=volunteer)) == [device]


def test_unverified_sessions_still_reach_the_public_site_and_static_files(client, volunteer, device):
    """The public site and the login pages are not behind the second factor."""
    log_in(client)
    assert client.get(reverse("public:home")).status_code == 200
    assert client.get(reverse("accounts:otp")).status_code == 200


def test_htmx_requests_are_sent_to_the_code_step_as_a_whole_page(client, volunteer, device):
    """An htmx fragment request from an unverified session gets HX-Redirect to the code step, back to the page after."""
    log_in(client)
    response = client.get(reverse("web:intake_candidates"), headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/intake/"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("accounts:otp") + "?next=%2Fintake%2F"


def test_two_factor_can_be_switched_off(client, volunteer, settings):
    """VIGIL_REQUIRE_2FA=0: the password alone logs in."""
    settings.VIGIL_REQUIRE_2FA = False
    response = log_in(client)
    assert response["Location"] == "/"
    assert client.get(reverse("web:home")).status_code == 200


def test_admin_login_form_leads_to_the_staff_login(client):
    """The admin's own login form (no rate limit, no second factor) is not reachable."""
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == reverse("login") + "?next=/admin/"


# Rate limiting

def test_five_wrong_passwords_lock_the_login_even_with_the_right_password(client, volunteer, device):
    """After five failures for one username and address, even the right password is refused, and the lock is audited."""
    for _ in range(4):
        assert "Please enter a correct username and password" in log_in(client, password="wrong-guess").content.decode()
    assert "Too many failed attempts" in log_in(client, password="wrong-guess").content.decode()
    response = log_in(client)
    assert response.status_code == 200 and "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="login.failed", object_id=str(volunteer.pk)).count() == 5
    assert AuditEntry.objects.filter(action="login.locked", object_id=str(volunteer.pk)).count() == 1


def test_the_lock_ends_after_the_lockout_period(client, volunteer, device, settings):
    """Once the lockout period has passed since the last failure, the right password works again."""
    for _ in range(5):
        log_in(client, password="wrong-guess")
    LoginFailure.objects.update(at=LoginFailure.objects.latest("at").at.replace(year=2000))
    assert log_in(client).status_code == 302


def test_the_lock_says_nothing_about_whether_the_account_exists(client, volunteer):
    """A real and an unknown username get the same messages, before and after the lock."""
    real = [log_in(client, username="volunteer", password="wrong-guess").content.decode() for _ in range(6)]
    unknown = [log_in(client, username="nobody-here", password="wrong-guess").content.decode() for _ in range(6)]
    strip = lambda html: html.replace('value="volunteer"', "").replace('value="nobody-here"', "")  # noqa: E731
    assert [strip(h).split("<main")[1].split("csrfmiddlewaretoken")[0] for h in real] == [strip(h).split("<main")[1].split("csrfmiddlewaretoken")[0] for h in unknown]
    assert AuditEntry.objects.filter(action="login.locked", detail__account="unknown").count() == 1


def test_the_lock_is_per_username_and_address(client, volunteer, device):
    """Failures from one address do not lock the same account from another address, nor another account."""
    for _ in range(5):
        log_in(client, password="wrong-guess")
    assert client.post(reverse("login"), {"username": "volunteer", "password": PASSWORD}, REMOTE_ADDR="192.0.2.7").status_code == 302


def test_wrong_codes_count_too_and_end_the_session(client, volunteer, device):
    """Five wrong codes lock the login like five wrong passwords: the half-logged-in session ends."""
    log_in(client)
    wrong = wrong_code(device)
    for _ in range(4):
        assert client.post(reverse("accounts:otp"), {"token": wrong}).status_code == 200
    response = client.post(reverse("accounts:otp"), {"token": wrong})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
    assert "Too many failed attempts" in log_in(client).content.decode()
    assert AuditEntry.objects.filter(action="login.failed", detail__step="code").count() == 5


def test_failures_are_stored_without_username_or_address(client, volunteer):
    """The rate limiter keeps a keyed hash, not who tried from where."""
    log_in(client, password="wrong-guess")
    (key,) = LoginFailure.objects.values_list("key", flat=True)
    assert "volunteer" not in key and "127.0.0.1" not in key and len(key) == 64


# Sessions

def test_a_session_ends_after_thirty_idle_minutes(client, staff_user_verified):
    """A session idle for 30 minutes is logged out; a session in use is not."""
    assert client.get(reverse("web:home")).status_code == 200
    session = client.session
    session[SEEN_AT] = int(time.time()) - 29 * 60
    session.save()
    assert client.get(reverse("web:home")).status_code == 200
    session = client.session
    session[SEEN_AT] = int(time.time()) - 31 * 60
    session.save()
    response = client.get(reverse("web:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_session_ends_eight_hours_after_login_however_busy(client, staff_user_verified):
    """Even a session in use ends 8 hours after logging in."""
    session = client.session
    session[LOGIN_AT] = int(time.time()) - 8 * 3600 - 1
    session[SEEN_AT] = int(time.time())
    session.save()
    response = client.get(reverse("web:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_the_session_cookie_dies_with_the_browser(client, volunteer, device):
    """The session cookie has no expiry date: closing the browser ends the session."""
    response = log_in(client)
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and not cookie["expires"] and not cookie["max-age"]


@pytest.fixture
def staff_user_verified(client, volunteer):
    client.force_login(volunteer)
    return volunteer


def test_force_login_in_tests_stays_verified_but_the_plain_one_does_not(client, volunteer):
    """The test helper: client.force_login completes the second factor; Django's own does not."""
    force_login_password_only(client, volunteer)
    assert client.get(reverse("web:home")).status_code == 302
    client.force_login(volunteer)
    assert client.get(reverse("web:home")).status_code == 200


def test_a_complete_login_forgets_earlier_failures(client, volunteer, device):
    """Failures before a complete login (password and code) do not count towards a later lock."""
    for _ in range(4):
        log_in(client, password="wrong-guess")
    log_in(client)
    client.post(reverse("accounts:otp"), {"token": totp_code(device)})
    client.logout()
    for _ in range(4):
        assert "Too many" not in log_in(client, password="wrong-guess").content.decode()
    assert log_in(client).status_code == 302

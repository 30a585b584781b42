"""Logs and error pages never contain a sensitive value (synthetic values only)."""

import io
import logging

import pytest
from django.urls import path

from vigil.logging import REDACTED, RedactingFilter, RedactingFormatter, redact_text

# Synthetic values of each kind the logs must never show.
RIC = "650102198003120012"
RIC_X = "65010219800312001X"
RIC_15 = "650102800312001"
IIN = "800312300145"
PHONE = "+7 700 555 0101"
PHONE_LOCAL = "(700) 555-01-01"
MOBILE_CN = "13812345678"
EMAIL = "aigul.synthetic@example.org"
PASSWORD = "synthetic-secret-pass-42"
NAME = "Айгүл Серікқызы"
SECRETS = [RIC, RIC_X, RIC_15, IIN, PHONE, PHONE_LOCAL, MOBILE_CN, EMAIL, PASSWORD, NAME]


@pytest.fixture
def captured():
    """A logger whose handler is set up like settings.LOGGING's: the redacting filter and formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(RedactingFormatter("%(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("vigil.test.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


def test_patterns_are_redacted_from_messages_and_arguments(captured):
    """Identity numbers, phone numbers and e-mail addresses disappear from the message and its arguments."""
    logger, stream = captured
    logger.warning("person %s id %s, old id %s, IIN %s; call %s or %s or %s, mail %s", NAME, RIC, RIC_15, IIN, PHONE, PHONE_LOCAL, MOBILE_CN, EMAIL)
    logger.warning("id %s", RIC_X)
    logger.warning("id as a number %d", int(RIC))
    out = stream.getvalue()
    for value in (RIC, RIC_X, RIC_15, IIN, PHONE, PHONE_LOCAL, MOBILE_CN, EMAIL, str(int(RIC))):
        assert value not in out
    assert out.count(REDACTED) >= 9


def test_values_of_sensitive_keys_are_redacted(captured):
    """Values of sensitive fields go, in dict arguments, extra fields and key=value text; other fields stay."""
    logger, stream = captured
    logger.warning("testifier %(name)s (%(relation)s)", {"name": NAME, "relation": "sister"})
    logger.warning("login failed", extra={"password": PASSWORD, "testifier_name": NAME, "step": "code"})
    logger.warning("form data: {'name': '%s', 'password': '%s', 'country': 'KZ'}" % (NAME, PASSWORD))
    logger.warning("POST password=%s&username=volunteer note=%s", PASSWORD, "private")
    out = stream.getvalue()
    assert NAME not in out and PASSWORD not in out and "private" not in out
    assert "sister" in out and "'country': 'KZ'" in out and "username=volunteer" in out


def test_extra_fields_are_redacted_on_the_record_itself():
    """The filter rewrites the record, so every later handler or formatter sees only redacted values."""
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "phone %s", (PHONE,), None)
    record.password = PASSWORD
    record.detail = {"email": EMAIL, "count": 3}
    RedactingFilter().filter(record)
    assert PHONE not in record.getMessage()
    assert record.password == REDACTED and record.detail == {"email": REDACTED, "count": 3}


def test_tracebacks_are_redacted(captured):
    """An exception whose message holds sensitive values is logged with its traceback, without them."""
    logger, stream = captured
    try:
        raise ValueError(f"bad testimony: {{'phone': '{PHONE}', 'password': '{PASSWORD}'}} id {RIC} mail {EMAIL}")
    except ValueError:
        logger.exception("import failed")
    out = stream.getvalue()
    assert "Traceback" in out and "ValueError: bad testimony" in out
    for value in (PHONE, PASSWORD, RIC, EMAIL):
        assert value not in out


def test_ordinary_log_lines_are_left_alone():
    """Dates, times, paths, ports, counts and hashes are not mistaken for sensitive values."""
    line = "2024-01-02 10:11:12,123 WARNING django.request: Not Found: /persons/123/ 192.168.100.100:8000 imported 2000 testimonies sha 3f2a9b8c7d6e5f4a"
    assert redact_text(line) == line


def test_the_configured_handlers_redact():
    """settings.LOGGING puts the filter on the root handler and on django.request and django.security."""
    for name in ("", "django", "django.request", "django.security"):
        logger = logging.getLogger(name)
        assert redacting_handler(logger) is not None, name
    for name in ("django.request", "django.security"):
        assert any(isinstance(f, RedactingFilter) for f in logging.getLogger(name).filters)


def redacting_handler(logger: logging.Logger) -> logging.Handler | None:
    """The handler settings.LOGGING gave ``logger`` (pytest adds its own beside it)."""
    return next((h for h in logger.handlers if isinstance(h.formatter, RedactingFormatter) and any(isinstance(f, RedactingFilter) for f in h.filters)), None)


def boom(request):
    raise RuntimeError(f"cannot save testifier {{'name': '{NAME}', 'phone': '{PHONE}'}} id {RIC} mail {EMAIL} password={PASSWORD}")


urlpatterns = [path("boom/", boom)]


@pytest.mark.urls("tests.test_logging")
def test_a_server_error_shows_and_logs_no_sensitive_value(client, settings):
    """A view that fails with sensitive values in its exception: the 500 page shows nothing of them
    (nor the path), and the django.request log line and traceback contain none."""
    settings.DEBUG = False
    stream = io.StringIO()
    handler = redacting_handler(logging.getLogger("django.request"))
    # Swapped without setStream, which flushes the old stream: CLI tests may have left it closed.
    old, handler.stream = handler.stream, stream
    try:
        client.raise_request_exception = False
        response = client.get("/boom/?q=" + PHONE.replace(" ", "+"))
    finally:
        handler.stream = old
    page = response.content.decode()
    assert response.status_code == 500 and "Something went wrong" in page
    log = stream.getvalue()
    assert "Internal Server Error: /boom/" in log and "RuntimeError" in log
    for value in SECRETS:
        assert value not in page and value not in log
    assert "boom" not in page and "RuntimeError" not in page


@pytest.mark.django_db
def test_error_pages_show_nothing_from_the_request(client):
    """The 404 and 403 pages do not echo the path, the query or the error's message."""
    response = client.get("/persons-" + RIC + "/?email=" + EMAIL)
    assert response.status_code == 404
    assert RIC not in response.content.decode() and EMAIL not in response.content.decode()

"""Logs that never contain a sensitive value.

Every handler vigil configures (settings.LOGGING) has :class:`RedactingFilter`, which rewrites the
record itself — its message, arguments, extra fields and exception text — before any handler sees
it, and formats through :class:`RedactingFormatter`, which redacts the finished line once more
(tracebacks and stack traces included). Two kinds of value are removed:

- the value of any field whose name is sensitive (``name``, ``phone``, ``email``, ``note``,
  ``transcript``, ``summary``, ``value``, ``normalized``, ``id_number``, ``password``, ``token`` …),
  whether it is a key of a dict passed to the logger, an ``extra`` field, or ``key=value`` /
  ``'key': value`` text inside a message or an exception;
- anything that looks like an identity number (Chinese resident identity numbers of 15 or 18
  characters, Kazakh IINs of 12 digits), a phone number or an e-mail address, wherever it is.

A name typed in free text cannot be recognised: code must not put one in a log message, and the
filter is the second line of defence, not the first. Pure Python: no Django.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

REDACTED = "[redacted]"

#: Field names whose values never reach a log: a field is sensitive if its name, or any
#: ``_``-separated part of it (``testifier_name``, ``phone_number``), is one of these.
SENSITIVE_KEYS = frozenset({
    "name", "names", "phone", "email", "mail", "note", "notes", "transcript", "summary", "value",
    "normalized", "id_number", "password", "passwd", "token", "secret", "contact", "address",
    "testifier", "birth_date", "key", "otp", "csrfmiddlewaretoken", "sessionid", "cookie", "authorization",
})


def is_sensitive_key(key: object) -> bool:
    """Whether a field called ``key`` holds a value that must not be logged."""
    if not isinstance(key, str):
        return False
    lowered = key.lower()
    return lowered in SENSITIVE_KEYS or any(part in SENSITIVE_KEYS for part in re.split(r"[^a-z0-9]+|_", lowered) if part)


def _key_pattern() -> re.Pattern[str]:
    keys = "|".join(sorted((re.escape(k) for k in SENSITIVE_KEYS), key=len, reverse=True))
    # key = value, key: value, 'key': 'value', "key"="value" (a key may carry a prefix or suffix: testifier_name).
    return re.compile(
        rf"""(?ix)
        (?<![\w])(['"]?)((?:[a-z0-9]+_)*(?:{keys})(?:_[a-z0-9]+)*)\1   # the key, maybe quoted
        (\s*[:=]\s*)                                                  # its separator
        (?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|[^\s,;&)}}\]]+)    # the value: quoted, or up to a delimiter
        """
    )


_KEY_VALUE = _key_pattern()
_PATTERNS: tuple[re.Pattern[str], ...] = (
    # e-mail addresses
    re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+"),
    # Chinese resident identity numbers: 18 characters (the last may be X) or the old 15 digits
    re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])"),
    re.compile(r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])"),
    # Kazakh individual identification numbers (IIN): 12 digits
    re.compile(r"(?<![0-9A-Za-z])\d{12}(?![0-9A-Za-z])"),
    # phone numbers: international (+7 700 555 01 01), Chinese mobiles, and grouped local numbers
    re.compile(r"(?<![\w+])\+\d(?:[\s.()\-]{0,2}\d){6,14}(?!\d)"),
    re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])"),
    re.compile(r"(?<![\w.:/-])\(?\d{3,4}\)?[\s.-]\d{3}[\s.-]?\d{2}[\s.-]?\d{2}(?![\w:/-])"),
)


def redact_text(text: str) -> str:
    """``text`` with sensitive field values and identity, phone and e-mail patterns replaced."""
    text = _KEY_VALUE.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(1)}{m.group(3)}{REDACTED}", text)
    for pattern in _PATTERNS:
        text = pattern.sub(REDACTED, text)
    return text


def redact_value(value: Any, *, depth: int = 0) -> Any:
    """A copy of ``value`` with sensitive keys' values replaced and every string redacted."""
    if depth > 6:
        return REDACTED
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, bytes | bytearray):
        return REDACTED
    if isinstance(value, Mapping):
        return {k: REDACTED if is_sensitive_key(k) else redact_value(v, depth=depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [redact_value(v, depth=depth + 1) for v in value]
        return items if isinstance(value, list) else tuple(items)
    if value is None or isinstance(value, bool | int | float):
        # Numbers are redacted as text: an identity number passed as an int is still one.
        return value if redact_text(str(value)) == str(value) else REDACTED
    return value  # other objects are formatted later, and the formatted line is redacted


#: Attributes every LogRecord has; anything else on a record came in through ``extra=``.
_RECORD_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None)).keys()) | {"message", "asctime", "_vigil_redacted"}


class RedactingFilter(logging.Filter):
    """Rewrites each record (message, arguments, extra fields, exception text) without sensitive values."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_vigil_redacted", False):
            return True
        if isinstance(record.args, Mapping):
            record.args = redact_value(record.args)
        elif isinstance(record.args, tuple):
            record.args = tuple(redact_value(a) for a in record.args)
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: keep what can be kept, redacted
            message = f"{record.msg} {record.args!r}"
        record.msg = redact_text(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info)
        for attr, value in list(vars(record).items()):
            if attr in _RECORD_ATTRS or attr == "request":  # Django's request object is not formatted
                continue
            setattr(record, attr, REDACTED if is_sensitive_key(attr) else redact_value(value))
        record._vigil_redacted = True
        return True


class RedactingFormatter(logging.Formatter):
    """A formatter whose every line (traceback included) is redacted once more."""

    def format(self, record: logging.LogRecord) -> str:
        return redact_text(super().format(record))

    def formatException(self, ei: Any) -> str:  # noqa: N802 (logging's name)
        return redact_text(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:  # noqa: N802 (logging's name)
        return redact_text(super().formatStack(stack_info))

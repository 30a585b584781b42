"""Partial dates: a date known to a day, a month, a year, "about" a year, or a range of years.

Testimonies rarely give exact dates ("he was taken in spring 2018", "born about 1975"). A
partial date is stored as the earliest and latest day it can mean, plus its precision, so it can
be compared, sorted and shown as it was given.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import re
from dataclasses import dataclass

#: An "about YYYY" date means YYYY ± this many years.
ABOUT_YEARS = 2


class Precision(str, enum.Enum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    ABOUT = "about"
    RANGE = "range"


class PartialDateError(ValueError):
    """The text is not a partial date vigil understands."""


@dataclass(frozen=True, slots=True)
class PartialDate:
    earliest: dt.date
    latest: dt.date
    precision: Precision

    def __str__(self) -> str:
        return format_partial_date(self)

    @property
    def year(self) -> int:
        """The most likely year (the middle of the range)."""
        return (self.earliest.year + self.latest.year) // 2

    def overlaps(self, other: PartialDate) -> bool:
        return self.earliest <= other.latest and other.earliest <= self.latest


_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_COMPACT_DAY = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_ABOUT = re.compile(r"^(?:~|about\s+|ca\.?\s*|c\.\s*)(\d{4})$", re.IGNORECASE)
_RANGE = re.compile(r"^(\d{4})\s*(?:/|–|-|\.\.)\s*(\d{4})$")


def _year_bounds(start: int, end: int) -> tuple[dt.date, dt.date]:
    return dt.date(start, 1, 1), dt.date(end, 12, 31)


def parse_partial_date(text: str) -> PartialDate:
    """Parse ``YYYY-MM-DD``, ``YYYYMMDD``, ``YYYY-MM``, ``YYYY``, ``~YYYY``/``about YYYY`` or ``YYYY/YYYY``.

    Raises PartialDateError with the reason when the text is none of these or not a real date.
    """
    s = text.strip()
    if not s:
        raise PartialDateError("empty date")
    try:
        m = _DAY.match(s) or _COMPACT_DAY.match(s)
        if m:
            d = dt.date(int(m[1]), int(m[2]), int(m[3]))
            return PartialDate(d, d, Precision.DAY)
        m = _MONTH.match(s)
        if m:
            year, month = int(m[1]), int(m[2])
            last = calendar.monthrange(year, month)[1]
            return PartialDate(dt.date(year, month, 1), dt.date(year, month, last), Precision.MONTH)
        m = _YEAR.match(s)
        if m:
            return PartialDate(*_year_bounds(int(m[1]), int(m[1])), Precision.YEAR)
        m = _ABOUT.match(s)
        if m:
            y = int(m[1])
            return PartialDate(*_year_bounds(y - ABOUT_YEARS, y + ABOUT_YEARS), Precision.ABOUT)
        m = _RANGE.match(s)
        if m:
            a, b = int(m[1]), int(m[2])
            if b < a:
                raise PartialDateError(f"range {s!r} ends before it starts")
            return PartialDate(*_year_bounds(a, b), Precision.RANGE)
    except (ValueError, calendar.IllegalMonthError) as exc:
        if isinstance(exc, PartialDateError):
            raise
        raise PartialDateError(f"{s!r} is not a real date ({exc})") from None
    raise PartialDateError(
        f"{s!r} is not a date: use YYYY-MM-DD, YYYY-MM, YYYY, ~YYYY (about) or YYYY/YYYY (range)"
    )


def format_partial_date(value: PartialDate) -> str:
    """The text form that :func:`parse_partial_date` reads back to the same value."""
    e, lt = value.earliest, value.latest
    match value.precision:
        case Precision.DAY:
            return e.isoformat()
        case Precision.MONTH:
            return f"{e.year:04d}-{e.month:02d}"
        case Precision.YEAR:
            return f"{e.year:04d}"
        case Precision.ABOUT:
            return f"~{(e.year + lt.year) // 2:04d}"
        case Precision.RANGE:
            return f"{e.year:04d}/{lt.year:04d}"
    raise AssertionError(value.precision)


def exact(day: dt.date) -> PartialDate:
    return PartialDate(day, day, Precision.DAY)

"""The detention date as linkage features: year, month number and day, each known or not.

A relative remembers the arrest "in March 2018" or "2018"; a police list gives the day custody began, often
days or weeks later. The comparison (``comparisons._detained``) asks the finest precision both records have.
"""

from __future__ import annotations

from functools import lru_cache

from vigil.core.dates import PartialDate, Precision, parse_partial_date


def detained_fields(value: str | PartialDate) -> tuple[int | None, int | None, int | None]:
    """(year, month number, day ordinal) of a detention date, each None when not known that precisely.

    Raises PartialDateError for text that is not a date (:func:`vigil.core.dates.parse_partial_date`)."""
    return _detained_text(value) if isinstance(value, str) else _detained(value)


@lru_cache(maxsize=16384)
def _detained_text(value: str) -> tuple[int | None, int | None, int | None]:
    return _detained(parse_partial_date(value))


def _detained(date: PartialDate) -> tuple[int | None, int | None, int | None]:
    if date.precision not in (Precision.DAY, Precision.MONTH):
        return date.year, None, None
    d = date.earliest
    return d.year, d.year * 12 + d.month - 1, d.toordinal() if date.precision is Precision.DAY else None

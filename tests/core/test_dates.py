import datetime as dt

import pytest

from vigil.core.dates import PartialDateError, Precision, format_partial_date, parse_partial_date


@pytest.mark.parametrize(
    ("text", "earliest", "latest", "precision"),
    [
        ("1975-03-02", dt.date(1975, 3, 2), dt.date(1975, 3, 2), Precision.DAY),
        ("19750302", dt.date(1975, 3, 2), dt.date(1975, 3, 2), Precision.DAY),
        ("2020-02", dt.date(2020, 2, 1), dt.date(2020, 2, 29), Precision.MONTH),
        ("1975", dt.date(1975, 1, 1), dt.date(1975, 12, 31), Precision.YEAR),
        ("~1975", dt.date(1973, 1, 1), dt.date(1977, 12, 31), Precision.ABOUT),
        ("about 1975", dt.date(1973, 1, 1), dt.date(1977, 12, 31), Precision.ABOUT),
        ("1970/1975", dt.date(1970, 1, 1), dt.date(1975, 12, 31), Precision.RANGE),
    ],
)
def test_partial_dates_keep_their_bounds_and_precision(text, earliest, latest, precision):
    """Each written form gives the earliest and latest day it can mean, and its precision."""
    value = parse_partial_date(text)
    assert (value.earliest, value.latest, value.precision) == (earliest, latest, precision)


@pytest.mark.parametrize("text", ["1975-03-02", "2020-02", "1975", "~1975", "1970/1975"])
def test_format_reads_back(text):
    """The display form parses back to the same value."""
    assert parse_partial_date(format_partial_date(parse_partial_date(text))) == parse_partial_date(text)


@pytest.mark.parametrize(("text", "fragment"), [("", "empty"), ("2019-13", "not a real date"), ("1975/1970", "ends before"), ("spring 2018", "not a date"), ("2019-02-30", "not a real date")])
def test_bad_dates_say_what_is_wrong(text, fragment):
    """A date vigil cannot read is refused with the reason."""
    with pytest.raises(PartialDateError, match=fragment):
        parse_partial_date(text)

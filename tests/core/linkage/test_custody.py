"""The detention date as linkage features, at the precision it was given."""

from __future__ import annotations

import datetime as dt

import pytest

from vigil.core.dates import PartialDateError, parse_partial_date
from vigil.core.linkage.custody import detained_fields


@pytest.mark.parametrize(("text", "fields"), [
    ("2018-03-26", (2018, 2018 * 12 + 2, dt.date(2018, 3, 26).toordinal())),
    ("20180326", (2018, 2018 * 12 + 2, dt.date(2018, 3, 26).toordinal())),
    ("2018-03", (2018, 2018 * 12 + 2, None)),
    ("2018", (2018, None, None)),
    ("~2018", (2018, None, None)),       # about: the middle year
    ("2017/2019", (2018, None, None)),   # a range: its middle
])
def test_a_date_gives_what_its_precision_knows(text: str, fields: tuple) -> None:
    assert detained_fields(text) == fields == detained_fields(parse_partial_date(text))


def test_december_and_january_are_a_month_apart() -> None:
    assert detained_fields("2018-01")[1] - detained_fields("2017-12")[1] == 1


def test_text_that_is_no_date_is_refused() -> None:
    with pytest.raises(PartialDateError, match="spring 2018"):
        detained_fields("spring 2018")

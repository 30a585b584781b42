"""Value types that appear inside many endpoints' bodies (a partial date is one everywhere), and the
bounds every id and page parameter shares. Endpoint bodies themselves are declared beside each endpoint."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Annotated, TypeVar

from django.db.models import QuerySet
from ninja import Path, Schema
from pydantic import BeforeValidator, Field

from vigil.core.dates import PartialDate, format_partial_date

#: Ids are positive 64-bit integers; a larger number cannot name a record (and SQLite cannot bind it).
MAX_ID = 2**63 - 1
PAGE_MAX = 100
#: Text parameters: no NUL character (PostgreSQL refuses it in text).
NO_NUL = r"^[^\x00]*$"

PathId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _iso_day(value: object) -> object:
    # pydantic would also read a number as a Unix timestamp (``born_to=0`` as 1970-01-01).
    if isinstance(value, str) and not _ISO_DAY.match(value):
        raise ValueError("must be a date as YYYY-MM-DD")
    return value


_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
#: A day in a query parameter: YYYY-MM-DD only.
IsoDate = Annotated[dt.date, BeforeValidator(_iso_day)]


class PartialDateOut(Schema):
    text: str = Field(description="As the import format writes it: 2018-03-02, 2018-03, 2018, ~2018 (±2 years) or 2017/2019")
    earliest: dt.date
    latest: dt.date
    precision: str


def partial_date(value: PartialDate | None) -> PartialDateOut | None:
    if value is None:
        return None
    return PartialDateOut(text=format_partial_date(value), earliest=value.earliest, latest=value.latest, precision=value.precision.value)


T = TypeVar("T")


def page(items: QuerySet[T] | Sequence[T], *, offset: int, limit: int) -> tuple[list[T], int]:
    """One page of ``items`` and the total count."""
    total = items.count() if isinstance(items, QuerySet) else len(items)
    return list(items[offset : offset + limit]), total

"""Intake: record one testimony, in the JSON Lines import format (docs/import-format.md), through the
same parser and service as the import and the web intake."""

from __future__ import annotations

import re
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from vigil.api.auth import actor_of
from vigil.api.errors import error_body, errors, field_error_items
from vigil.api.endpoints.persons import ClaimType, EthnicityValue
from vigil.core.intake import FieldError, parse_testimony
from vigil.records.services import testimony_record

router = Router(tags=["intake"])

_TEXT = r"^[^\x00]*$"
_REQUIRED_TEXT = r"^[^\x00]*[^\x00\s][^\x00]*$"
_PARTIAL_DATE = r"^([0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?|~[0-9]{4}|about [0-9]{4}|[0-9]{4}/[0-9]{4})$"
_CODE = r"^[0-9]{6}$"
_COUNTRY = r"^[A-Z]{2}$"
_REF = Field(None, max_length=64, pattern=_TEXT)
PartialDateText = Field(None, pattern=_PARTIAL_DATE, description="YYYY-MM-DD, YYYY-MM, YYYY, ~YYYY (about) or YYYY/YYYY (range)")


class _Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class IntakePlaceIn(_Strict):
    code: str | None = Field(None, pattern=_CODE, description="GB/T 2260 code")
    text: str | None = Field(None, max_length=200, pattern=_TEXT, description="Free text in any script")


class IntakeFacilityIn(_Strict):
    name: str = Field(max_length=200, pattern=_REQUIRED_TEXT, description="Found by name, or created")
    type: Literal["camp", "detention_centre", "prison", "police_station", "forced_labour", "other", "unknown"] | None = None
    county_code: str | None = Field(None, pattern=_CODE)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)


class IntakeClaimIn(_Strict):
    type: ClaimType
    date: str | None = PartialDateText
    date_end: str | None = PartialDateText
    facility: IntakeFacilityIn | None = None
    place: IntakePlaceIn | None = None
    term_months: int | None = Field(None, ge=1, le=1200, description="For a sentence")
    note: str | None = Field(None, pattern=_TEXT)


class IntakeNameIn(_Strict):
    text: str = Field(max_length=300, pattern=_REQUIRED_TEXT)
    kind: Literal["full", "given", "father", "family", "alias"] | None = None
    script: Literal["cyrillic", "latin", "arabic", "han", "mixed", "unknown"] | None = Field(None, description="Detected when absent")


class IntakeIdentityNumberIn(_Strict):
    scheme: Literal["cn_ric", "kz_iin", "passport", "other"]
    value: str = Field(max_length=64, pattern=_REQUIRED_TEXT, description="A number that fails its check is stored and flagged")


class IntakePersonIn(_Strict):
    ref: str | None = _REF
    names: list[IntakeNameIn] = Field(min_length=1)
    sex: Literal["m", "f"] | None = None
    birth_date: str | None = PartialDateText
    ethnicity: EthnicityValue | None = None
    citizenship: list[str] | None = Field(None, description="ISO 3166 alpha-2 codes", json_schema_extra={"items": {"type": "string", "pattern": _COUNTRY}})
    hometown: IntakePlaceIn | None = None
    identity_numbers: list[IntakeIdentityNumberIn] | None = None
    claims: list[IntakeClaimIn] | None = None
    relation: str | None = Field(None, max_length=64, pattern=_TEXT, description="The testifier's relation to this person")
    notes: str | None = Field(None, pattern=_TEXT)


class IntakeTestifierIn(_Strict):
    ref: str | None = Field(None, max_length=64, pattern=_TEXT, description="The same ref (here or already on record) is the same testifier")
    name: str | None = Field(None, max_length=200, pattern=_TEXT)
    relation: str | None = Field(None, max_length=64, pattern=_TEXT)
    country: str | None = Field(None, pattern=_COUNTRY, description="Where they live")
    phone: str | None = Field(None, max_length=64, pattern=_TEXT)
    email: str | None = Field(None, max_length=254, pattern=_TEXT)
    note: str | None = Field(None, pattern=_TEXT)


class IntakeTestimonyIn(_Strict):
    """One line of the JSON Lines import format."""

    ref: str | None = Field(None, max_length=64, pattern=_TEXT, description="The testimony's identifier in its source; refused if already on record")
    date: str = Field(pattern=_PARTIAL_DATE, description="When the testimony was given: YYYY-MM-DD, YYYY-MM, YYYY, ~YYYY or YYYY/YYYY")
    language: str | None = Field(None, max_length=16, pattern=_TEXT, description="ISO 639 code")
    medium: Literal["in_person", "video", "audio", "written", "phone", "online"] | None = None
    summary: str | None = Field(None, pattern=_TEXT)
    transcript: str | None = Field(None, pattern=_TEXT)
    consent: Literal["none", "anonymised", "full"]
    testifier: IntakeTestifierIn
    persons: list[IntakePersonIn] = Field(min_length=1)


class IntakeOut(Schema):
    testimony_id: int
    testifier_id: int
    person_ids: list[int] = Field(description="One new person record per entry of persons, in order; linkage proposes matches later")


_PATH = re.compile(r"^[a-z_]+(\[\d+\])?(\.[a-z_]+(\[\d+\])?)*$")


def _problems(messages: list[str]) -> list[FieldError]:
    """The service reports ``path: problem``; split it back so each problem names its field."""
    out = []
    for m in messages:
        path, sep, rest = m.partition(": ")
        out.append(FieldError(path, rest) if sep and _PATH.match(path) else FieldError("", m))
    return out


@router.post("/testimonies", response={201: IntakeOut, **errors(400, 401, 403, 422)}, summary="Record a testimony")
def intake_testimony(request: HttpRequest, payload: IntakeTestimonyIn) -> Status:
    """Record one testimony as ``vigil import testimonies`` records a line: its testifier, persons, names,
    identity numbers and claims, in one transaction, with an audit entry. Nothing is merged: linkage
    proposes matches to persons already on record. A problem answers 422 with the path of each field at fault
    (an unknown place code, a ref already on record, an impossible date)."""
    actor = actor_of(request)
    draft, problems = parse_testimony(payload.model_dump(exclude_none=True))
    if draft is None:
        return Status(422, error_body(422, items=field_error_items(problems)))
    try:
        testimony = testimony_record(actor=actor, draft=draft)
    except ValidationError as exc:
        return Status(422, error_body(422, items=field_error_items(_problems(exc.messages))))
    return Status(201, IntakeOut(testimony_id=testimony.pk, testifier_id=testimony.testifier_id,
                                 person_ids=sorted(testimony.persons.values_list("id", flat=True))))

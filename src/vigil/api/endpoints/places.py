"""Places (administrative divisions, GB/T 2260 codes) and facilities (camps, detention centres, prisons)."""

from __future__ import annotations

from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema
from pydantic import Field

from vigil.api.auth import actor_of
from vigil.api.errors import errors
from vigil.api.values import NO_NUL, PAGE_MAX, PathId, page
from vigil.places.models import Facility, Place
from vigil.places.selectors import facility_get, facility_list, place_get, place_list

places = Router(tags=["places"])
facilities = Router(tags=["facilities"])

PlaceCode = Annotated[str, Path(pattern=r"^\d{6}$", description="GB/T 2260 code")]


class PlaceNameOut(Schema):
    text: str
    script: str
    language: str
    valid_from: int | None
    valid_to: int | None


class PlaceOut(Schema):
    code: str
    name_zh: str
    pinyin: str
    level: str
    parent_code: str | None
    valid_from: int | None
    valid_to: int | None
    names: list[PlaceNameOut]


def _place(p: Place) -> PlaceOut:
    return PlaceOut(
        code=p.code, name_zh=p.name_zh, pinyin=p.pinyin, level=p.level, parent_code=p.parent.code if p.parent else None,
        valid_from=p.valid_from, valid_to=p.valid_to,
        names=[PlaceNameOut(text=n.text, script=n.script, language=n.language, valid_from=n.valid_from, valid_to=n.valid_to) for n in p.names.all()],
    )


class PlaceListIn(Schema):
    level: Literal["province", "prefecture", "county"] | None = None
    parent: str | None = Field(None, pattern=r"^\d{6}$", description="Code of the parent division")
    q: str = Field("", max_length=100, pattern=NO_NUL, description="Part of a name in any script, or of its pinyin")
    offset: int = Field(0, ge=0, le=1_000_000)
    limit: int = Field(50, ge=1, le=PAGE_MAX)


class PlaceListOut(Schema):
    count: int
    offset: int
    limit: int
    items: list[PlaceOut]


@places.get("/", response={200: PlaceListOut, **errors(400, 401, 403, 422)}, summary="List places")
def places_list(request: HttpRequest, params: Query[PlaceListIn]) -> PlaceListOut:
    qs = place_list(actor=actor_of(request), level=params.level or "", parent_code=params.parent or "", query=params.q.strip())
    items, total = page(qs, offset=params.offset, limit=params.limit)
    return PlaceListOut(count=total, offset=params.offset, limit=params.limit, items=[_place(p) for p in items])


@places.get("/{code}", response={200: PlaceOut, **errors(400, 401, 403, 404, 422)}, summary="A place")
def places_get(request: HttpRequest, code: PlaceCode) -> PlaceOut:
    return _place(place_get(actor=actor_of(request), code=code))


FacilityType = Literal["camp", "detention_centre", "prison", "police_station", "forced_labour", "other", "unknown"]


class FacilityOut(Schema):
    id: int
    name: str
    other_names: list[str]
    type: str
    county_code: str | None
    latitude: float | None
    longitude: float | None
    notes: str
    persons: int = Field(description="Persons held here according to any claim")


def _facility(f: Facility) -> FacilityOut:
    return FacilityOut(
        id=f.pk, name=f.name, other_names=[str(n) for n in f.other_names or []], type=f.type, county_code=f.county.code if f.county else None,
        latitude=f.latitude, longitude=f.longitude, notes=f.notes, persons=f.persons,  # type: ignore[attr-defined]
    )


class FacilityListIn(Schema):
    type: FacilityType | None = None
    county: str | None = Field(None, pattern=r"^\d{6}$", description="GB/T 2260 code of the county")
    offset: int = Field(0, ge=0, le=1_000_000)
    limit: int = Field(50, ge=1, le=PAGE_MAX)


class FacilityListOut(Schema):
    count: int
    offset: int
    limit: int
    items: list[FacilityOut]


@facilities.get("/", response={200: FacilityListOut, **errors(400, 401, 403, 422)}, summary="List facilities")
def facilities_list(request: HttpRequest, params: Query[FacilityListIn]) -> FacilityListOut:
    qs = facility_list(actor=actor_of(request), type=params.type or "", county_code=params.county or "")
    items, total = page(qs, offset=params.offset, limit=params.limit)
    return FacilityListOut(count=total, offset=params.offset, limit=params.limit, items=[_facility(f) for f in items])


@facilities.get("/{facility_id}", response={200: FacilityOut, **errors(400, 401, 403, 404, 422)}, summary="A facility")
def facilities_get(request: HttpRequest, facility_id: PathId) -> FacilityOut:
    return _facility(facility_get(actor=actor_of(request), facility_id=facility_id))

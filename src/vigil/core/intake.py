"""The testimony intake format (docs/import-format.md): parsing and validation, no database.

``parse_testimony`` turns one JSON object into a :class:`TestimonyDraft`, or reports every problem
with the path of the field (``persons[0].names[1].kind``) so a bulk import can name the line and
field of each mistake. The web intake, the API and ``vigil import testimonies`` share it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from vigil.core.dates import PartialDate, PartialDateError, parse_partial_date
from vigil.core.idnumbers import Scheme

CONSENTS = ("none", "anonymised", "full")
MEDIA = ("in_person", "video", "audio", "written", "phone", "online")
NAME_KINDS = ("full", "given", "father", "family", "alias")
SCRIPTS = ("cyrillic", "latin", "arabic", "han", "mixed", "unknown")
SEXES = ("m", "f")
ETHNICITIES = ("uyghur", "kazakh", "kyrgyz", "hui", "uzbek", "tatar", "tajik", "han", "other")
CLAIM_TYPES = (
    "detained",
    "held_at",
    "sentenced",
    "transferred",
    "released",
    "house_arrest",
    "forced_labour",
    "died",
    "whereabouts_unknown",
)
FACILITY_TYPES = ("camp", "detention_centre", "prison", "police_station", "forced_labour", "other", "unknown")
ID_SCHEMES = tuple(s.value for s in Scheme)

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_PLACE_CODE = re.compile(r"^\d{6}$")


@dataclass(frozen=True, slots=True)
class FieldError:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


@dataclass(slots=True)
class NameDraft:
    text: str
    kind: str = "full"
    script: str | None = None  # None: detect


@dataclass(slots=True)
class IdNumberDraft:
    scheme: str
    value: str


@dataclass(slots=True)
class PlaceRef:
    code: str | None = None
    text: str | None = None


@dataclass(slots=True)
class FacilityRef:
    name: str
    type: str = "unknown"
    county_code: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(slots=True)
class ClaimDraft:
    type: str
    start: PartialDate | None = None
    end: PartialDate | None = None
    facility: FacilityRef | None = None
    place: PlaceRef | None = None
    term_months: int | None = None
    note: str = ""


@dataclass(slots=True)
class PersonDraft:
    names: list[NameDraft]
    ref: str | None = None
    sex: str = ""
    birth: PartialDate | None = None
    ethnicity: str = ""
    citizenship: list[str] = field(default_factory=list)
    hometown: PlaceRef | None = None
    identity_numbers: list[IdNumberDraft] = field(default_factory=list)
    claims: list[ClaimDraft] = field(default_factory=list)
    relation: str = ""
    notes: str = ""


@dataclass(slots=True)
class TestifierDraft:
    ref: str | None = None
    name: str = ""
    relation: str = ""
    country: str = ""
    phone: str = ""
    email: str = ""
    note: str = ""


@dataclass(slots=True)
class TestimonyDraft:
    date: PartialDate
    consent: str
    testifier: TestifierDraft
    persons: list[PersonDraft]
    ref: str | None = None
    language: str = ""
    medium: str = "in_person"
    summary: str = ""
    transcript: str = ""
    sensitive: bool = False


class _Reader:
    """Collects errors while reading fields of nested objects."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def err(self, path: str, message: str) -> None:
        self.errors.append(FieldError(path, message))

    def obj(self, value: Any, path: str, *, allowed: tuple[str, ...]) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.err(path, f"must be an object, not {type(value).__name__}")
            return None
        for key in value:
            if key not in allowed:
                self.err(f"{path}.{key}" if path else key, f"unknown field (allowed: {', '.join(allowed)})")
        return value

    def text(self, d: dict[str, Any], key: str, path: str, *, required: bool = False, max_len: int | None = None) -> str:
        p = f"{path}.{key}" if path else key
        if key not in d or d[key] is None:
            if required:
                self.err(p, "is required")
            return ""
        v = d[key]
        if not isinstance(v, str):
            self.err(p, f"must be text, not {type(v).__name__}")
            return ""
        v = v.strip()
        if required and not v:
            self.err(p, "must not be empty")
        if max_len is not None and len(v) > max_len:
            self.err(p, f"is {len(v)} characters long; at most {max_len} are allowed")
        return v

    def flag(self, d: dict[str, Any], key: str, path: str) -> bool:
        value = d.get(key, False)
        if not isinstance(value, bool):
            self.err(f"{path}.{key}" if path else key, f"must be true or false, not {value!r}")
            return False
        return value

    def opt_ref(self, d: dict[str, Any], key: str, path: str) -> str | None:
        v = self.text(d, key, path, max_len=64)
        return v or None

    def choice(self, d: dict[str, Any], key: str, path: str, choices: tuple[str, ...], *, required: bool = False, default: str = "") -> str:
        v = self.text(d, key, path, required=required)
        if not v:
            return default
        if v not in choices:
            p = f"{path}.{key}" if path else key
            self.err(p, f"{v!r} is not one of: {', '.join(choices)}")
            return default
        return v

    def date(self, d: dict[str, Any], key: str, path: str, *, required: bool = False) -> PartialDate | None:
        v = self.text(d, key, path, required=required)
        if not v:
            return None
        try:
            return parse_partial_date(v)
        except PartialDateError as exc:
            self.err(f"{path}.{key}" if path else key, str(exc))
            return None

    def items(self, d: dict[str, Any], key: str, path: str, *, required: bool = False) -> list[tuple[str, Any]]:
        p = f"{path}.{key}" if path else key
        v = d.get(key)
        if v is None:
            if required:
                self.err(p, "is required")
            return []
        if not isinstance(v, list):
            self.err(p, f"must be a list, not {type(v).__name__}")
            return []
        if required and not v:
            self.err(p, "must have at least one entry")
        return [(f"{p}[{i}]", item) for i, item in enumerate(v)]


def _place(r: _Reader, value: Any, path: str) -> PlaceRef | None:
    d = r.obj(value, path, allowed=("code", "text"))
    if d is None:
        return None
    code = r.text(d, "code", path) or None
    text = r.text(d, "text", path, max_len=200) or None
    if code and not _PLACE_CODE.match(code):
        r.err(f"{path}.code", f"{code!r} is not a six-digit GB/T 2260 code")
    if not code and not text:
        r.err(path, "needs a code or a text")
    return PlaceRef(code=code, text=text)


def _facility(r: _Reader, value: Any, path: str) -> FacilityRef | None:
    d = r.obj(value, path, allowed=("name", "type", "county_code", "lat", "lon"))
    if d is None:
        return None
    name = r.text(d, "name", path, required=True, max_len=200)
    ftype = r.choice(d, "type", path, FACILITY_TYPES, default="unknown")
    county = r.text(d, "county_code", path) or None
    if county and not _PLACE_CODE.match(county):
        r.err(f"{path}.county_code", f"{county!r} is not a six-digit GB/T 2260 code")
    coords: dict[str, float | None] = {}
    for key, lo, hi in (("lat", -90.0, 90.0), ("lon", -180.0, 180.0)):
        v = d.get(key)
        if v is None:
            coords[key] = None
        elif isinstance(v, bool) or not isinstance(v, (int, float)) or not lo <= v <= hi:
            r.err(f"{path}.{key}", f"must be a number between {lo:g} and {hi:g}")
            coords[key] = None
        else:
            coords[key] = float(v)
    return FacilityRef(name=name, type=ftype, county_code=county, lat=coords["lat"], lon=coords["lon"])


def _claim(r: _Reader, value: Any, path: str) -> ClaimDraft | None:
    d = r.obj(value, path, allowed=("type", "date", "date_end", "facility", "place", "term_months", "note"))
    if d is None:
        return None
    ctype = r.choice(d, "type", path, CLAIM_TYPES, required=True)
    start = r.date(d, "date", path)
    end = r.date(d, "date_end", path)
    if start and end and end.latest < start.earliest:
        r.err(f"{path}.date_end", "ends before the claim's date")
    facility = _facility(r, d["facility"], f"{path}.facility") if d.get("facility") is not None else None
    place = _place(r, d["place"], f"{path}.place") if d.get("place") is not None else None
    term = d.get("term_months")
    if term is not None and (isinstance(term, bool) or not isinstance(term, int) or not 0 < term <= 1200):
        r.err(f"{path}.term_months", "must be a whole number of months between 1 and 1200")
        term = None
    return ClaimDraft(
        type=ctype, start=start, end=end, facility=facility, place=place, term_months=term,
        note=r.text(d, "note", path),
    )


_PERSON_FIELDS = (
    "ref", "names", "sex", "birth_date", "ethnicity", "citizenship", "hometown",
    "identity_numbers", "claims", "relation", "notes",
)


def _person(r: _Reader, value: Any, path: str) -> PersonDraft | None:
    d = r.obj(value, path, allowed=_PERSON_FIELDS)
    if d is None:
        return None
    names: list[NameDraft] = []
    for npath, item in r.items(d, "names", path, required=True):
        nd = r.obj(item, npath, allowed=("text", "kind", "script"))
        if nd is None:
            continue
        text = r.text(nd, "text", npath, required=True, max_len=300)
        kind = r.choice(nd, "kind", npath, NAME_KINDS, default="full")
        script = r.choice(nd, "script", npath, SCRIPTS) or None
        if text:
            names.append(NameDraft(text=text, kind=kind, script=script))
    citizenship: list[str] = []
    for cpath, c in r.items(d, "citizenship", path):
        if not isinstance(c, str) or not _COUNTRY.match(c):
            r.err(cpath, f"{c!r} is not an ISO 3166 alpha-2 code such as CN or KZ")
        else:
            citizenship.append(c)
    ids: list[IdNumberDraft] = []
    for ipath, item in r.items(d, "identity_numbers", path):
        idd = r.obj(item, ipath, allowed=("scheme", "value"))
        if idd is None:
            continue
        scheme = r.choice(idd, "scheme", ipath, ID_SCHEMES, required=True)
        val = r.text(idd, "value", ipath, required=True, max_len=64)
        if scheme and val:
            ids.append(IdNumberDraft(scheme=scheme, value=val))
    claims = [c for cpath, item in r.items(d, "claims", path) if (c := _claim(r, item, cpath)) is not None]
    return PersonDraft(
        names=names,
        ref=r.opt_ref(d, "ref", path),
        sex=r.choice(d, "sex", path, SEXES),
        birth=r.date(d, "birth_date", path),
        ethnicity=r.choice(d, "ethnicity", path, ETHNICITIES),
        citizenship=citizenship,
        hometown=_place(r, d["hometown"], f"{path}.hometown") if d.get("hometown") is not None else None,
        identity_numbers=ids,
        claims=claims,
        relation=r.text(d, "relation", path, max_len=64),
        notes=r.text(d, "notes", path),
    )


_TESTIFIER_FIELDS = ("ref", "name", "relation", "country", "phone", "email", "note")
_TESTIMONY_FIELDS = ("ref", "date", "language", "medium", "summary", "transcript", "sensitive", "consent", "testifier", "persons")


def parse_testimony(value: Any) -> tuple[TestimonyDraft | None, list[FieldError]]:
    """Read one testimony object; return the draft, or None and every problem found."""
    r = _Reader()
    d = r.obj(value, "", allowed=_TESTIMONY_FIELDS)
    if d is None:
        return None, r.errors
    date = r.date(d, "date", "", required=True)
    consent = r.choice(d, "consent", "", CONSENTS, required=True)
    medium = r.choice(d, "medium", "", MEDIA, default="in_person")
    testifier: TestifierDraft | None = None
    if "testifier" not in d:
        r.err("testifier", "is required")
    else:
        td = r.obj(d["testifier"], "testifier", allowed=_TESTIFIER_FIELDS)
        if td is not None:
            testifier = TestifierDraft(
                ref=r.opt_ref(td, "ref", "testifier"),
                name=r.text(td, "name", "testifier", max_len=200),
                relation=r.text(td, "relation", "testifier", max_len=64),
                country=r.text(td, "country", "testifier"),
                phone=r.text(td, "phone", "testifier", max_len=64),
                email=r.text(td, "email", "testifier", max_len=254),
                note=r.text(td, "note", "testifier"),
            )
            if not testifier.ref and not testifier.name:
                r.err("testifier", "needs a name or a ref")
            if testifier.country and not _COUNTRY.match(testifier.country):
                r.err("testifier.country", f"{testifier.country!r} is not an ISO 3166 alpha-2 code")
    persons = [p for ppath, item in r.items(d, "persons", "", required=True) if (p := _person(r, item, ppath)) is not None]
    if r.errors or date is None or testifier is None:
        return None, r.errors
    return (
        TestimonyDraft(
            date=date, consent=consent, testifier=testifier, persons=persons,
            ref=r.opt_ref(d, "ref", ""), language=r.text(d, "language", "", max_len=16), medium=medium,
            summary=r.text(d, "summary", ""), transcript=r.text(d, "transcript", ""), sensitive=r.flag(d, "sensitive", ""),
        ),
        [],
    )

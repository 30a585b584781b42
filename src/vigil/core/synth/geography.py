"""Where synthetic people come from and where they are held: hometown counties and facilities.

Counties come from ``vigil.core.places``. Coordinates are synthetic: each county is put near
its prefecture's seat by a fixed hash of its code, and each facility near its county. They are
plausible (inside Xinjiang, in the right region), never a real facility's location.
"""

from __future__ import annotations

import functools
import math
import random
import zlib
from dataclasses import dataclass

from pypinyin import lazy_pinyin

from vigil.core.places import PlaceEntry, current_counties, xinjiang_places

# Approximate seat of each prefecture-level division, by the first four digits of the code.
_PREFECTURE_SEATS: dict[str, tuple[float, float]] = {
    "6501": (43.83, 87.62), "6502": (45.58, 84.89), "6504": (42.95, 89.19), "6505": (42.83, 93.51),
    "6523": (44.01, 87.31), "6527": (44.91, 82.07), "6528": (41.76, 86.15), "6529": (41.17, 80.26),
    "6530": (39.71, 76.17), "6531": (39.47, 75.99), "6532": (37.11, 79.92), "6540": (43.92, 81.32),
    "6542": (46.75, 82.98), "6543": (47.84, 88.14), "6590": (44.30, 86.05),
}
_PREFECTURE_SPREAD = {"6501": 0.3, "6502": 0.4, "6590": 2.5}

# Where detainees of each people mostly come from (prefecture prefix -> weight).
HOMELANDS: dict[str, dict[str, float]] = {
    "kazakh": {"6540": 35, "6542": 20, "6543": 20, "6523": 10, "6501": 5, "6505": 5, "6527": 5},
    "uyghur": {"6531": 30, "6532": 20, "6529": 15, "6540": 12, "6501": 8, "6504": 7, "6528": 5, "6505": 3},
    "kyrgyz": {"6530": 75, "6540": 10, "6529": 10, "6531": 5},
    "hui": {"6523": 35, "6501": 25, "6540": 20, "6528": 10, "6505": 5, "6542": 5},
}

# Renamed divisions whose old code a person born before the change carries.
_PREDECESSORS = {
    "650402": ("652101", "652121"),
    "650502": ("652201",),
    "652902": ("652923",),
    "654202": ("654222", "652523"),
    "654203": ("654223", "652524"),
    "654301": ("652621",),
    "654201": ("652521",),
    "652701": ("652721",),
    "653001": ("653021",),
    "652901": ("652921",),
    "652801": ("652821",),
    "652301": ("652321",),
    "652302": ("652326",),
}

_SUFFIXES = (
    ("哈萨克自治县", "County"), ("回族自治县", "County"), ("蒙古自治县", "County"), ("锡伯自治县", "County"),
    ("塔吉克自治县", "County"), ("柯尔克孜自治县", "County"), ("自治县", "County"), ("县", "County"),
    ("市", "City"), ("区", "District"),
)

FACILITY_TYPES = ("detention_centre", "camp", "prison", "forced_labour")


@dataclass(frozen=True, slots=True)
class County:
    code: str
    name_zh: str
    name_en: str  # "Yining County"
    stem: str  # "Yining"
    lat: float
    lon: float

    @property
    def prefecture(self) -> str:
        return self.code[:4]


@dataclass(frozen=True, slots=True)
class Facility:
    name: str
    name_zh: str
    type: str
    county: County
    lat: float
    lon: float

    def as_json(self) -> dict[str, object]:
        return {"name": self.name, "type": self.type, "county_code": self.county.code,
                "lat": self.lat, "lon": self.lon}


def _stem(name_zh: str) -> tuple[str, str]:
    for suffix, kind in _SUFFIXES:
        if name_zh.endswith(suffix) and len(name_zh) > len(suffix):
            stem = name_zh[: -len(suffix)]
            return "".join(lazy_pinyin(stem)).capitalize(), kind
    return "".join(lazy_pinyin(name_zh)).capitalize(), ""


def _unit(code: str, salt: str) -> float:
    return (zlib.crc32(f"{salt}:{code}".encode()) & 0xFFFFFFFF) / 0xFFFFFFFF


def _clamp(lat: float, lon: float) -> tuple[float, float]:
    return round(min(max(lat, 35.5), 48.8), 5), round(min(max(lon, 74.5), 95.5), 5)


@functools.cache
def counties() -> tuple[County, ...]:
    """Current Xinjiang counties with synthetic coordinates, in code order."""
    out = []
    for p in current_counties():
        if p.valid_from is not None and p.valid_from > 2022:
            continue  # created after the period the generator covers
        seat = _PREFECTURE_SEATS.get(p.code[:4])
        if seat is None:
            continue
        spread = _PREFECTURE_SPREAD.get(p.code[:4], 1.0)
        lat = seat[0] + (_unit(p.code, "lat") - 0.5) * spread
        lon = seat[1] + (_unit(p.code, "lon") - 0.5) * spread * 1.6
        stem, kind = _stem(p.name_zh)
        lat, lon = _clamp(lat, lon)
        out.append(County(code=p.code, name_zh=p.name_zh, name_en=f"{stem} {kind}".strip(), stem=stem,
                          lat=lat, lon=lon))
    return tuple(sorted(out, key=lambda c: c.code))


@functools.cache
def counties_by_prefecture() -> dict[str, tuple[County, ...]]:
    grouped: dict[str, list[County]] = {}
    for c in counties():
        grouped.setdefault(c.prefecture, []).append(c)
    return {k: tuple(v) for k, v in grouped.items()}


@functools.cache
def _entries_by_code() -> dict[str, tuple[PlaceEntry, ...]]:
    grouped: dict[str, list[PlaceEntry]] = {}
    for p in xinjiang_places():
        grouped.setdefault(p.code, []).append(p)
    return {k: tuple(v) for k, v in grouped.items()}


@functools.cache
def registration_code(code: str, birth_year: int) -> str | None:
    """The division code a person born in ``birth_year`` in county ``code`` carries in their
    identity number: the county's own code if it existed then, else the code it had then (same
    name, or a known renaming), else its prefecture's; None when the table has none."""
    by_code = _entries_by_code()

    def valid(c: str) -> bool:
        return any(e.valid_in(birth_year) for e in by_code.get(c, ()))

    if valid(code):
        return code
    names = {e.name_zh for e in by_code.get(code, ())}
    same_name = sorted(c for c, es in by_code.items() if c != code and any(e.name_zh in names for e in es))
    for c in (*_PREDECESSORS.get(code, ()), *same_name):
        if valid(c) and not c.endswith("00"):
            return c
    prefecture = code[:4] + "00"
    return prefecture if valid(prefecture) else None


def facility_count(persons: int) -> int:
    """About 60 facilities for 10,000 persons, growing with the square root beyond."""
    return max(12, round(60 * math.sqrt(persons / 10_000)))


_ORDINALS_ZH = "一二三四五六七八九十"


def _facility_names(county: County, ftype: str, number: int) -> tuple[str, str]:
    no = f" No. {number}" if number > 1 else ""
    no_zh = f"第{_ORDINALS_ZH[number - 1]}" if 1 < number <= 10 else ""
    if ftype == "detention_centre":
        return f"{county.name_en} Detention Centre{no}", f"{county.name_zh}{no_zh}看守所"
    if ftype == "camp":
        return (f"{county.name_en} Vocational Skills Education and Training Centre{no}",
                f"{county.name_zh}{no_zh}职业技能教育培训中心")
    if ftype == "prison":
        return f"{county.stem} Prison{no}", f"{county.name_zh[:2]}{no_zh}监狱"
    return f"{county.name_en} Industrial Park Garment Factory{no}", f"{county.name_zh}工业园区{no_zh}服装厂"


@dataclass(frozen=True, slots=True)
class FacilityTable:
    facilities: tuple[Facility, ...]
    by_prefecture: dict[tuple[str, str], tuple[Facility, ...]]  # (prefecture, type) -> facilities
    by_type: dict[str, tuple[Facility, ...]]

    def pick(self, rng: random.Random, prefecture: str, ftype: str, *, local: float = 0.85) -> Facility:
        near = self.by_prefecture.get((prefecture, ftype))
        if near and rng.random() < local:
            return rng.choice(near)
        return rng.choice(self.by_type[ftype])


def build_facilities(*, persons: int, seed: int) -> FacilityTable:
    """A synthetic facility table for a population of ``persons`` (deterministic for ``seed``)."""
    rng = random.Random(f"vigil-synth-facilities:{seed}")
    by_pref = counties_by_prefecture()
    weights: dict[str, float] = {}
    for homeland in HOMELANDS.values():
        for pref, w in homeland.items():
            weights[pref] = weights.get(pref, 0.0) + w
    prefs = sorted(weights)
    n = facility_count(persons)
    plan: list[tuple[str, str]] = []
    # Every homeland prefecture gets one camp and one detention centre; prisons and factories are fewer.
    for pref in prefs:
        plan += [(pref, "camp"), (pref, "detention_centre")]
    plan += [(prefs[i % len(prefs)], ftype) for i, ftype in enumerate(("prison", "prison", "forced_labour", "forced_labour"))]
    while len(plan) < n:
        pref = rng.choices(prefs, weights=[weights[p] for p in prefs])[0]
        ftype = rng.choices(FACILITY_TYPES, weights=(40, 40, 12, 8))[0]
        plan.append((pref, ftype))
    numbers: dict[tuple[str, str], int] = {}
    facilities = []
    for pref, ftype in plan:
        county = rng.choice(by_pref[pref])
        key = (county.code if ftype != "prison" else county.stem, ftype)
        numbers[key] = numbers.get(key, 0) + 1
        name, name_zh = _facility_names(county, ftype, numbers[key])
        lat, lon = _clamp(county.lat + rng.uniform(-0.08, 0.08), county.lon + rng.uniform(-0.1, 0.1))
        facilities.append(Facility(name=name, name_zh=name_zh, type=ftype, county=county, lat=lat, lon=lon))
    grouped: dict[tuple[str, str], list[Facility]] = {}
    typed: dict[str, list[Facility]] = {}
    for f in facilities:
        grouped.setdefault((f.county.prefecture, f.type), []).append(f)
        typed.setdefault(f.type, []).append(f)
    return FacilityTable(
        facilities=tuple(facilities),
        by_prefecture={k: tuple(v) for k, v in grouped.items()},
        by_type={k: tuple(v) for k, v in typed.items()},
    )

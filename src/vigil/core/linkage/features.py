"""Per-record features for linkage: what vigil computes once per record so that Splink compares cheaply.

Names go through :mod:`vigil.core.names` (romanised and folded into one phonetic key per part, in any
script); identity numbers through :mod:`vigil.core.idnumbers` (a valid Chinese number also fills a missing
birth date, sex and hometown county); places through the GB/T 2260 table of :mod:`vigil.core.places`,
read in the same romanisation whatever script the place was written in.

Every feature is a plain string, integer or list of strings, so the same table feeds DuckDB, Spark and the
pure-Python scorer alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from functools import cache, lru_cache
from importlib import resources
from itertools import combinations
from typing import Any, Mapping

from anyascii import anyascii
from pypinyin import lazy_pinyin

from vigil.core import idnumbers
from vigil.core.names import prepare
from vigil.core.names.scripts import Script, detect_script
from vigil.core.places import xinjiang_places

#: Bumped whenever a feature changes meaning: a model records the version it was trained on.
FEATURES_VERSION = 1

_SPACES = re.compile(r"\s+")
_MIN_BLOCK_SKELETON = 3
_CODE = re.compile(r"^65\d{4}$")  # a GB/T 2260 code of a Xinjiang division
_PLACE_SUFFIX_ZH = re.compile(r"(维吾尔自治区|自治区|自治州|地区|市辖区|县|市|区|镇|乡)$")
_PLACE_SUFFIX_LATIN = re.compile(
    r"\b(xian|shi|qu|zhen|xiang|county|city|district|prefecture|nahiyisi|nahiye|nahiyesi|shehiri|"
    r"uezd|rayon|raion|audany|audani|okrug|oblast)\b"
)


@dataclass(slots=True)
class PreparedRecord:
    """One record's linkage features. Build it with :func:`prepare_record`; every field may be empty."""

    unique_id: str
    name: str | None = None  # the full name as written (for display and the similarity UDF)
    nm_keys: list[str] = field(default_factory=list)  # main key of each name part
    nm_forms: list[str] = field(default_factory=list)  # every comparison form of every part
    nm_skels: list[str] = field(default_factory=list)  # consonant skeleton of every form
    nm_pskels: list[str] = field(default_factory=list)  # skeleton of each part's main form
    nm_parts: list[list[str]] = field(default_factory=list)  # the forms of each part, part by part
    nm_pairs: list[str] = field(default_factory=list)  # pairs of part skeletons: the blocking keys
    nm_sorted: str | None = None  # main keys in sorted order, space-separated (order-free comparison)
    nm_block: str | None = None  # sorted skeletons joined: the plain key EM training blocks on
    nm_bkeys: list[str] = field(default_factory=list)  # skeletons long enough to block on (3+ consonants)
    nm_years: list[str] = field(default_factory=list)  # bkey|birth year
    nm_places: list[str] = field(default_factory=list)  # bkey|county
    id_number: str | None = None
    birth_date: str | None = None  # YYYYMMDD when known to the day (as written, even if not a real day)
    birth_year: int | None = None
    sex: str | None = None  # "m" / "f"
    ethnicity: str | None = None
    county: str | None = None  # GB/T 2260 county code
    prefecture: str | None = None
    place_key: str | None = None  # the place text romanised and folded
    address: str | None = None
    facility: str | None = None

    def as_row(self) -> dict[str, Any]:
        """The record as a dict of columns (for pyarrow and Splink)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


#: Column names of a prepared record, in order.
FEATURE_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(PreparedRecord))


@lru_cache(maxsize=262144)
def name_features(text: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(main keys, forms, skeletons) of a name's parts, honorifics left out."""
    prepared = prepare(text)
    keys: list[str] = []
    forms: list[str] = []
    skels: list[str] = []
    for part in prepared.parts:
        if part.kind.value == "honorific":
            continue
        keys.append(part.key)
        for key, skel, _weight in part.forms:
            if key not in forms:
                forms.append(key)
            if skel and skel not in skels:
                skels.append(skel)
    return tuple(keys), tuple(forms), tuple(skels)


def _part_skeleton_sets(text: str) -> list[set[str]]:
    """The skeletons of every form of each part (a Chinese reading may drop a consonant another form keeps)."""
    return [{skel for _key, skel, _w in part.forms if skel} for part in prepare(text).parts
            if part.kind.value != "honorific"]


def _part_forms(text: str) -> list[list[str]]:
    """The forms of each part (its key, stems, pinyin reading), honorifics left out."""
    return [[key for key, _skel, _w in part.forms] for part in prepare(text).parts
            if part.kind.value != "honorific" and part.forms]


def _part_skeletons(text: str) -> list[str]:
    """The main skeleton of each part (first form), for pairing into blocking keys."""
    out = []
    for part in prepare(text).parts:
        if part.kind.value != "honorific" and part.forms and part.forms[0][1]:
            out.append(part.forms[0][1])
    return out


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = _SPACES.sub(" ", value).strip()
    return value or None


@cache
def _place_index() -> dict[str, frozenset[str]]:
    """Place key and Chinese name -> the county codes that bear it.

    Names in force today win over historical ones (a county renamed keeps its place text).
    """
    index: dict[str, set[str]] = {}
    historical: dict[str, set[str]] = {}
    for entry in xinjiang_places():
        if entry.level != "county" or entry.name_zh == "市辖区":
            continue
        stem = _PLACE_SUFFIX_ZH.sub("", entry.name_zh) or entry.name_zh
        target = index if entry.valid_to is None else historical
        for key in {entry.name_zh, stem, place_key(entry.name_zh) or ""} - {""}:
            target.setdefault(key, set()).add(entry.code)
    for key, codes in historical.items():
        index.setdefault(key, codes)
    by_name = {e.name_zh: e.code for e in xinjiang_places() if e.valid_to is None}
    for row in _aliases():
        code = by_name.get(row["chinese"])
        if code:
            for key in {row["alias"], place_key(row["alias"]) or ""} - {""}:
                index[key] = {code}
    return {k: frozenset(v) for k, v in index.items()}


def _aliases() -> list[dict[str, str]]:
    """Rows of data/place_aliases.tsv: names of places that are not their pinyin (Kashgar, Ghulja, Құлжа)."""
    text = resources.files("vigil.core.linkage").joinpath("data", "place_aliases.tsv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"))) for line in lines[1:]]


@cache
def _county_keys() -> dict[str, str]:
    """County code -> the place key of its current name, for counties known only from an identity number."""
    out: dict[str, str] = {}
    for entry in xinjiang_places():
        if entry.level == "county" and entry.valid_to is None:
            key = place_key(entry.name_zh)
            if key:
                out[entry.code] = key
    return out


@lru_cache(maxsize=65536)
def place_key(text: str) -> str | None:
    """A place written in any script, romanised (pinyin for Chinese) and folded: 泽普县, Zepu, Зэпу -> one key."""
    text = _clean(text) or ""
    if not text:
        return None
    if detect_script(text) in (Script.HAN, Script.MIXED) and any("\u4e00" <= ch <= "\u9fff" for ch in text):
        text = _PLACE_SUFFIX_ZH.sub("", text) or text
        text = "".join(lazy_pinyin(text))
    ascii_text = _PLACE_SUFFIX_LATIN.sub(" ", anyascii(text).lower())
    words = re.findall(r"[a-z]+", ascii_text)
    if not words:
        return None
    keys = name_features(" ".join(words))[0]
    return "".join(keys) or None


def resolve_place(text: str) -> tuple[str | None, str | None, str | None]:
    """(county code, prefecture code, place key) of a place in any script; a code is None when unknown.

    A name two counties share (Hotan city and Hotan county) gives no county but still their prefecture.
    """
    text = _clean(text) or ""
    if _CODE.match(text):
        entries = [e for e in xinjiang_places() if e.code == text and e.level == "county"]
        current = [e for e in entries if e.valid_to is None] or entries
        key = place_key(current[0].name_zh) if current else None
        return (text, text[:4] + "00", key) if current else (None, None, None)
    index = _place_index()
    key = place_key(text)
    codes = index.get(text) or index.get(_PLACE_SUFFIX_ZH.sub("", text)) or (index.get(key) if key else None)
    if not codes:
        return None, None, key
    prefectures = {c[:4] + "00" for c in codes}
    county = next(iter(codes)) if len(codes) == 1 else None
    return county, (next(iter(prefectures)) if len(prefectures) == 1 else None), key


_SEX = {
    "m": "m", "male": "m", "man": "m", "1": "m", "м": "m", "муж": "m", "мужской": "m", "ер": "m", "er": "m", "男": "m",
    "f": "f", "female": "f", "woman": "f", "2": "f", "ж": "f", "жен": "f", "женский": "f", "әйел": "f", "ayal": "f",
    "女": "f", "w": "f",
}
_SEX_UNKNOWN = {"", "u", "unknown", "?", "x", "-", "n/a", "na"}


def normalize_sex(value: str) -> str | None:
    """``m``/``f`` for the usual spellings in several languages; None for unknown. ValueError otherwise."""
    v = value.strip().lower()
    if v in _SEX_UNKNOWN:
        return None
    if v in _SEX:
        return _SEX[v]
    raise ValueError(f"{value!r} is not a sex vigil knows (use m or f, or leave empty)")


def _name_text(*parts: str | None) -> str | None:
    joined = " ".join(p for p in parts if p)
    return joined or None


def prepare_record(fields_: Mapping[str, Any]) -> PreparedRecord:
    """Compute the linkage features of one record given as linker columns (see ``records.COLUMNS``).

    Expects clean values (as :func:`vigil.core.linkage.records.read_records` gives them): ``birth_date`` as
    ``YYYYMMDD``, ``YYYY`` or empty, ``birth_year`` an int or None, ``sex`` m/f or None.
    """
    rec = PreparedRecord(unique_id=str(fields_["id"]))
    # Given name, father's name and family name make the full name when it is missing; they are not compared
    # on their own, which would count the same parts twice (see docs/linkage.md).
    full = _clean(fields_.get("full_name")) or _name_text(
        _clean(fields_.get("given_name")), _clean(fields_.get("father_name")), _clean(fields_.get("family_name")))
    if full:
        keys, forms, skels = name_features(full)
        if keys:
            rec.name = full
            rec.nm_keys, rec.nm_forms, rec.nm_skels = list(keys), list(forms), list(skels)
            rec.nm_sorted = " ".join(sorted(keys))
            rec.nm_pskels = _part_skeletons(full)
            # "sn" (Hasan, Yasin, Jan) is shared by too many people to find anyone by.
            rec.nm_bkeys = [k for k in skels if len(k) >= _MIN_BLOCK_SKELETON]
            rec.nm_parts = _part_forms(full)
            part_skels = sorted(set(rec.nm_pskels))
            # A one-part name ("Aygul") is no blocking key on its own: it pairs with the birth year or county.
            pairs = {"|".join(sorted((x, y))) for sa, sb in combinations(_part_skeleton_sets(full), 2)
                     for x in sa for y in sb if x != y}
            rec.nm_pairs = sorted(pairs)
            joined = "".join(part_skels)
            # One short part ("Kanat") would put every Kanat in one block: only longer names block on this key.
            rec.nm_block = joined if len(part_skels) > 1 or len(joined) >= 5 else None
    birth = fields_.get("birth_date") or None
    year = fields_.get("birth_year")
    if birth and len(birth) == 8:
        rec.birth_date = birth
    if birth:
        year = int(birth[:4])
    rec.birth_year = year
    rec.sex = fields_.get("sex") or None
    ethnicity = _clean(fields_.get("ethnicity"))
    if ethnicity:
        rec.ethnicity = "".join(name_features(ethnicity)[0]) or ethnicity.lower()
    place = _clean(fields_.get("place"))
    if place:
        rec.county, rec.prefecture, rec.place_key = resolve_place(place)
    address = _clean(fields_.get("address"))
    rec.address = address.lower() if address else None
    if address and not place:
        # Lists often give the hometown only as an address ("Awati County", 阿瓦提县): then it is the place,
        # compared once, not twice.
        county, prefecture, key = resolve_place(address)
        if county or prefecture:
            rec.county, rec.prefecture, rec.place_key, rec.address = county, prefecture, key, None
    facility = _clean(fields_.get("facility"))
    if facility:
        rec.facility = "".join(name_features(facility)[0]) or facility.lower()

    raw_id = _clean(fields_.get("id_number"))
    if raw_id:
        _apply_id_number(rec, raw_id)
    if rec.birth_year is not None:
        rec.nm_years = [f"{s}|{rec.birth_year}" for s in rec.nm_bkeys]
    if rec.county:
        rec.nm_places = [f"{s}|{rec.county}" for s in rec.nm_bkeys]
        rec.prefecture = rec.county[:4] + "00"
        if rec.place_key is None:
            rec.place_key = _county_keys().get(rec.county)
    return rec


def _apply_id_number(rec: PreparedRecord, raw: str) -> None:
    normalized = idnumbers.normalize(raw)
    if len(normalized) in (15, 18):
        checked = idnumbers.check(raw, scheme="cn_ric")
        if checked.valid:
            rec.id_number = checked.normalized
            if rec.birth_date is None and checked.birth_date is not None:
                rec.birth_date = checked.birth_date.strftime("%Y%m%d")
                if rec.birth_year is None:
                    rec.birth_year = checked.birth_date.year
            if rec.sex is None:
                rec.sex = checked.sex
            if rec.county is None and checked.county_code:
                rec.county = checked.county_code
            return
    rec.id_number = normalized or None

"""Leaked lists: mapping a table's columns onto vigil's fields, and reading one row's facts.

A list row keeps every cell as it was (the document is evidence); the mapping says which column
holds which fact, e.g. ``姓名=full_name 身份证号=id_number 关押地点=facility``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from vigil.core.dates import PartialDate, PartialDateError, parse_partial_date

#: Fields a list column can be mapped to, with what they hold.
LIST_FIELDS: dict[str, str] = {
    "ref": "the row's identifier in the list",
    "full_name": "the full name, in any script",
    "given_name": "the given name",
    "father_name": "the father's name or patronymic",
    "family_name": "the family name",
    "birth_date": "birth date: YYYY-MM-DD, YYYYMMDD, YYYY-MM or YYYY",
    "birth_year": "birth year",
    "sex": "sex: m/f, male/female, 男/女",
    "ethnicity": "ethnicity (uyghur, kazakh, 维吾尔族, 哈萨克族 …)",
    "id_number": "Chinese resident identity number",
    "place": "hometown or registered residence, in any script",
    "address": "address",
    "facility": "the facility where the person is held",
    "detained_date": "date of detention",
}

_SEX = {"m": "m", "male": "m", "男": "m", "f": "f", "female": "f", "女": "f", "м": "m", "ж": "f", "er": "m", "ayal": "f"}
_ETHNICITY = {
    "维吾尔族": "uyghur", "维吾尔": "uyghur", "维族": "uyghur", "哈萨克族": "kazakh", "哈萨克": "kazakh",
    "柯尔克孜族": "kyrgyz", "吉尔吉斯": "kyrgyz", "回族": "hui", "乌孜别克族": "uzbek", "塔塔尔族": "tatar",
    "塔吉克族": "tajik", "汉族": "han",
}
_ETHNICITY_CODES = ("uyghur", "kazakh", "kyrgyz", "hui", "uzbek", "tatar", "tajik", "han", "other")
_COMPACT = re.compile(r"^\d{8}$")


class MappingError(ValueError):
    pass


def parse_mapping(items: list[str], header: list[str]) -> dict[str, str]:
    """``["column=field", …]`` → {column: field}; raise MappingError naming the bad item."""
    mapping: dict[str, str] = {}
    used: dict[str, str] = {}
    for item in items:
        column, sep, target = item.partition("=")
        column, target = column.strip(), target.strip()
        if not sep or not column or not target:
            raise MappingError(f"--map {item!r}: write COLUMN=FIELD")
        if column not in header:
            raise MappingError(f"--map {item!r}: the file has no column {column!r} (columns: {', '.join(header)})")
        if target not in LIST_FIELDS:
            raise MappingError(f"--map {item!r}: {target!r} is not a field (fields: {', '.join(LIST_FIELDS)})")
        if target in used:
            raise MappingError(f"--map {item!r}: {target!r} is already mapped from column {used[target]!r}")
        mapping[column] = target
        used[target] = column
    if not {"full_name", "given_name", "id_number"} & set(mapping.values()):
        raise MappingError("map at least one column to full_name, given_name or id_number")
    return mapping


@dataclass(slots=True)
class ListRowFacts:
    fields: dict[str, str] = field(default_factory=dict)  # mapped field -> cell text
    sex: str = ""
    ethnicity: str = ""
    birth: PartialDate | None = None
    detained: PartialDate | None = None

    @property
    def names(self) -> list[tuple[str, str]]:
        """(text, kind) of every name the row gives."""
        kinds = (("full_name", "full"), ("given_name", "given"), ("father_name", "father"), ("family_name", "family"))
        return [(self.fields[f], kind) for f, kind in kinds if self.fields.get(f)]


def _date(text: str) -> PartialDate:
    if _COMPACT.match(text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    return parse_partial_date(text.replace("/", "-") if text.count("/") == 2 else text)


def row_facts(cells: dict[str, str], mapping: dict[str, str]) -> tuple[ListRowFacts, list[tuple[str, str]]]:
    """Read one row through the mapping; return its facts and (column, problem) for each bad cell."""
    facts = ListRowFacts()
    problems: list[tuple[str, str]] = []
    column_of = {f: c for c, f in mapping.items()}
    for column, target in mapping.items():
        value = cells.get(column, "").strip()
        if value:
            facts.fields[target] = value
    if (v := facts.fields.get("sex")) is not None:
        facts.sex = _SEX.get(v.lower(), "")
        if not facts.sex:
            problems.append((column_of["sex"], f"{v!r} is not a sex vigil reads (m/f, male/female, 男/女)"))
    if (v := facts.fields.get("ethnicity")) is not None:
        facts.ethnicity = _ETHNICITY.get(v, v.lower() if v.lower() in _ETHNICITY_CODES else "other")
    for target, attr in (("birth_date", "birth"), ("detained_date", "detained")):
        if (v := facts.fields.get(target)) is not None:
            try:
                setattr(facts, attr, _date(v))
            except PartialDateError as exc:
                problems.append((column_of[target], str(exc)))
    if (v := facts.fields.get("birth_year")) is not None and facts.birth is None:
        try:
            facts.birth = parse_partial_date(v)
        except PartialDateError as exc:
            problems.append((column_of["birth_year"], str(exc)))
    if not facts.names and not facts.fields.get("id_number"):
        problems.append(("", "the row has no name and no identity number"))
    return facts, problems

"""Xinjiang's administrative divisions from the GB/T 2260 table that python-stdnum ships.

stdnum's ``cn/loc.dat`` lists every six-digit division code with its Chinese name(s); a code
reused over time carries ``[start-end]`` year ranges (``[1983-1998]南山矿区,[1999-2001]南泉区``).
We read only the prefix ``65`` (Xinjiang Uyghur Autonomous Region).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

from pypinyin import Style, lazy_pinyin

XINJIANG_PREFIX = "65"

_RANGE = re.compile(r"^\[(\d{4})?-(\d{4})?\](.*)$")


@dataclass(frozen=True, slots=True)
class PlaceEntry:
    """One name of one division code, valid from ``valid_from`` to ``valid_to`` (inclusive years; None = open)."""

    code: str
    name_zh: str
    pinyin: str
    level: str  # "province", "prefecture" or "county"
    valid_from: int | None
    valid_to: int | None

    @property
    def prefecture_code(self) -> str:
        return self.code[:4] + "00"

    def valid_in(self, year: int) -> bool:
        return (self.valid_from is None or year >= self.valid_from) and (
            self.valid_to is None or year <= self.valid_to
        )


def place_pinyin(name_zh: str) -> str:
    """Pinyin of a place name as one capitalised word (乌鲁木齐县 -> Wulumuqixian)."""
    syllables = lazy_pinyin(name_zh, style=Style.NORMAL, errors="ignore")
    return "".join(s.lower() for s in syllables).capitalize()


def _level(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "prefecture"
    return "county"


def _parse_names(value: str) -> list[tuple[str, int | None, int | None]]:
    out: list[tuple[str, int | None, int | None]] = []
    for part in value.split(","):
        part = part.strip()
        m = _RANGE.match(part)
        if m:
            start, end, name = m.groups()
            out.append((name, int(start) if start else None, int(end) if end else None))
        elif part:
            out.append((part, None, None))
    return out


def parse_loc_dat(text: str, *, prefix: str = XINJIANG_PREFIX) -> list[PlaceEntry]:
    """Parse stdnum's numdb ``loc.dat`` text and keep the codes under ``prefix``."""
    entries: list[PlaceEntry] = []
    in_prefix = False
    head = ""
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not line.startswith(" "):
            head = line.split()[0]
            in_prefix = head == prefix
            if in_prefix:
                continue
            continue
        if not in_prefix:
            continue
        sub, _, rest = line.strip().partition(" ")
        m = re.search(r'county="([^"]*)"', rest)
        if not m:
            continue
        code = head + sub
        for name, start, end in _parse_names(m.group(1)):
            entries.append(
                PlaceEntry(
                    code=code,
                    name_zh=name,
                    pinyin=place_pinyin(name),
                    level=_level(code),
                    valid_from=start,
                    valid_to=end,
                )
            )
    return entries


@functools.cache
def xinjiang_places() -> tuple[PlaceEntry, ...]:
    """Every Xinjiang division name in stdnum's GB/T 2260 table (cached; read once)."""
    text = resources.files("stdnum").joinpath("cn/loc.dat").read_text(encoding="utf-8")
    return tuple(parse_loc_dat(text))


def current_counties() -> tuple[PlaceEntry, ...]:
    """County-level divisions still valid (no end year), excluding the generic 市辖区 'city districts'."""
    return tuple(
        p for p in xinjiang_places() if p.level == "county" and p.valid_to is None and p.name_zh != "市辖区"
    )

"""The structure of a name: given name, father's name or patronymic, family name, honorifics and affixes.

Works on folded keys (see fold.py), so one rule covers every script: -ович, -ovich and -ович in Latin all
fold to ``ubiC``; -ұлы, -uly and -ulı to ``uli``. The affixes are data (``data/affixes.tsv``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from ._data import read_tsv
from .fold import collapse

_MIN_STEM = 3


class Kind(str, Enum):
    """What a name part is, as far as its form shows."""

    NAME = "name"  # a given name or a father's name used as such (Uyghur Ilham Tohti)
    PATRONYMIC = "patronymic"  # Mazhitovich, Mazhituly, Asylbek uulu
    FAMILY = "family"  # Russian-style surname: Abdirov, Nurkina; or printed in capitals first
    HONORIFIC = "honorific"  # haji, molla, damolla: often dropped or added


def _patterns(kind: str) -> tuple[str, ...]:
    # Longest first, so that -uba (-ova) wins over -ub (-ov).
    return tuple(sorted((r["pattern"] for r in read_tsv("affixes.tsv") if r["kind"] == kind), key=len, reverse=True))


_PATRONYMIC = _patterns("patronymic")
_FAMILY = _patterns("family")
_OPTIONAL = _patterns("optional")
PARTICLES = frozenset(_patterns("particle"))
HONORIFICS = frozenset(_patterns("honorific"))
_STEM_FINAL_AI = re.compile(r"ai$")


def _cut(key: str, suffixes: tuple[str, ...]) -> str | None:
    for suffix in suffixes:
        if key.endswith(suffix) and len(key) - len(suffix) >= _MIN_STEM:
            return key[: -len(suffix)]
    return None


def _stem(stem: str) -> str:
    # Kazakh Елікбай|ұлы and Russian Елікба|евич: the -ай of the father's name is absorbed by -евич.
    return _STEM_FINAL_AI.sub("a", stem)


@dataclass(frozen=True, slots=True)
class PartForm:
    """One name part's kind and the keys it may be compared under: (key, weight) with weight ≤ 1."""

    kind: Kind
    forms: tuple[tuple[str, float], ...]


def analyse(key: str, *, capitals: bool = False) -> PartForm:
    """The kind of a name part and its alternative keys (stems without patronymic, surname or -jan/-xan).

    ``key`` is the folded key before doubled letters are collapsed. ``capitals``: the part was printed in
    capitals in a mixed-case name (ZHEENBEKOV Asylbek), the parliamentary way of marking the surname.
    """
    if collapse(key) in HONORIFICS:
        return PartForm(Kind.HONORIFIC, ((key, 1.0),))
    stem = _cut(key, _PATRONYMIC)
    if stem is not None:
        return PartForm(Kind.PATRONYMIC, ((_stem(stem), 1.0), (key, 0.9)))
    forms: list[tuple[str, float]] = [(key, 1.0)]
    kind = Kind.FAMILY if capitals else Kind.NAME
    stem = _cut(key, _FAMILY)
    if stem is not None:
        kind = Kind.FAMILY
        forms.append((_stem(stem), 0.95))
    stem = _cut(key, _OPTIONAL)
    if stem is not None:
        forms.append((stem, 0.95))
    return PartForm(kind, tuple(forms))


@dataclass(frozen=True, slots=True)
class NameParts:
    """A name split into its parts, each in the spelling of the input. Order in the input does not matter."""

    given: str | None = None
    father: str | None = None
    family: str | None = None
    affixes: tuple[str, ...] = field(default_factory=tuple)
    other: tuple[str, ...] = field(default_factory=tuple)

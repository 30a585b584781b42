"""The name lexicon the generator draws from: given names of each people in every script.

The data lives in ``data/given_names.tsv`` and ``data/hui_surnames.tsv`` so that someone who
reads Kazakh, Uyghur or Chinese can review and extend it without reading Python. An empty cell
means "no reliable rendering known": callers fall back to another script rather than guess.

Columns of ``given_names.tsv`` (one row per given name):

- ``kazakh_cyrillic``: Cyrillic as the person's own community writes it (Kazakh alphabet for
  Kazakh names, Kyrgyz alphabet for Kyrgyz names, Kazakhstan Uyghur usage for Uyghur names);
- ``russian_cyrillic``: Russian-style Cyrillic, without the Turkic letters;
- ``latin_passport``: BGN/passport style (Zh, Kh, Ye-);
- ``kazakh_latin_2021``: the 2021 Kazakh Latin alphabet (ū, ı, q, ğ, ñ, ş);
- ``uly``: Uyghur Latin (Uyghur Latin Yéziqi); ``turkish_style``: as written in Turkey;
- ``uyghur_arabic``, ``kazakh_arabic``: the Arabic-based scripts used in Xinjiang;
- ``chinese``: the transcription official documents use; ``pinyin_style``: its pinyin.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from importlib import resources

ETHNICITIES = ("uyghur", "kazakh", "kyrgyz", "hui")

SCRIPT_COLUMNS = (
    "kazakh_cyrillic",
    "russian_cyrillic",
    "latin_passport",
    "kazakh_latin_2021",
    "uly",
    "turkish_style",
    "uyghur_arabic",
    "kazakh_arabic",
    "chinese",
    "pinyin_style",
)

# The script family of each column, as the import format names scripts.
COLUMN_SCRIPT = {
    "kazakh_cyrillic": "cyrillic",
    "russian_cyrillic": "cyrillic",
    "latin_passport": "latin",
    "kazakh_latin_2021": "latin",
    "uly": "latin",
    "turkish_style": "latin",
    "uyghur_arabic": "arabic",
    "kazakh_arabic": "arabic",
    "chinese": "han",
    "pinyin_style": "latin",
}


@dataclass(frozen=True, slots=True)
class GivenName:
    """One given name with its renderings; ``forms[column]`` is "" when unknown."""

    ethnicity: str
    sex: str
    canonical: str
    forms: dict[str, str]

    def form(self, column: str) -> str:
        return self.forms.get(column, "")


@dataclass(frozen=True, slots=True)
class Surname:
    """A Hui family name (Hui names are Chinese names: surname then given name)."""

    chinese: str
    pinyin_style: str
    russian_cyrillic: str

    def form(self, column: str) -> str:
        if column == "chinese":
            return self.chinese
        if column == "russian_cyrillic":
            return self.russian_cyrillic
        if column in ("pinyin_style", "latin_passport"):
            return self.pinyin_style
        return ""


@dataclass(frozen=True, slots=True)
class Lexicon:
    given: dict[tuple[str, str], tuple[GivenName, ...]]  # (ethnicity, sex) -> names
    surnames: tuple[Surname, ...]

    def names(self, ethnicity: str, sex: str) -> tuple[GivenName, ...]:
        return self.given[(ethnicity, sex)]


def _read_tsv(name: str) -> list[dict[str, str]]:
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    return [{k: (v or "").strip() for k, v in row.items()} for row in rows]


@functools.cache
def lexicon() -> Lexicon:
    """The packaged lexicon (read once)."""
    given: dict[tuple[str, str], list[GivenName]] = {}
    for row in _read_tsv("given_names.tsv"):
        name = GivenName(
            ethnicity=row["ethnicity"],
            sex=row["sex"],
            canonical=row["canonical"],
            forms={c: row[c] for c in SCRIPT_COLUMNS},
        )
        given.setdefault((name.ethnicity, name.sex), []).append(name)
    surnames = tuple(
        Surname(chinese=r["chinese"], pinyin_style=r["pinyin_style"], russian_cyrillic=r["russian_cyrillic"])
        for r in _read_tsv("hui_surnames.tsv")
    )
    return Lexicon(given={k: tuple(v) for k, v in given.items()}, surnames=surnames)

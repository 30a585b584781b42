"""How a relative writes a person's name: script, name pattern and the noise of real records.

A name has two parts for Uyghur, Kazakh and Kyrgyz persons (given name, then the father's given
name, bare or as a patronymic) and two for Hui persons (surname, given name). Each script has
its own patterns: Kazakh ``Серікұлы``, Kyrgyz ``Асан уулу``, Russian ``Серикович`` or a
family name ``Сериков``, passport ``Serikuly``, Chinese ``叶尔兰·赛力克``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from vigil.core.synth.lexicon import COLUMN_SCRIPT, GivenName, Surname

FALLBACK = ("russian_cyrillic", "latin_passport", "pinyin_style", "chinese")

_KK_SUFFIX = {"m": "ұлы", "f": "қызы"}
_KG_SUFFIX = {"m": " уулу", "f": " кызы"}
_LATIN_SUFFIX = {"m": "uly", "f": "kyzy"}
_KZ2021_SUFFIX = {"m": "ūly", "f": "qyzy"}
_KG_LATIN_SUFFIX = {"m": " uulu", "f": " kyzy"}

# Letters a hurried writer or a keyboard without the special letters confuses.
_CONFUSABLE = {
    "ә": "а", "ұ": "у", "ү": "у", "і": "и", "қ": "к", "ғ": "г", "ң": "н", "ө": "о", "е": "э", "и": "ы",
    "ū": "u", "ü": "u", "ı": "i", "ö": "o", "ş": "s", "ğ": "g", "ñ": "n", "ä": "a", "i": "y", "y": "i",
    "e": "a", "q": "k", "x": "h", "k": "q", "o": "u",
    "买": "麦", "不": "布", "都": "杜", "尔": "儿", "丽": "力", "依": "伊", "提": "题", "克": "可",
    "古": "谷", "努": "奴", "娜": "那", "吐": "图", "逊": "荪", "热": "惹", "木": "穆",
    "ى": "ي", "ە": "ه", "ۇ": "و", "ۈ": "ۇ", "ې": "ى",
}


@dataclass(frozen=True, slots=True)
class NameParts:
    given: GivenName
    father: GivenName | None  # None: a Hui name, or the relative left it out
    surname: Surname | None
    sex: str
    ethnicity: str


@dataclass(frozen=True, slots=True)
class Rendered:
    """A full name as written, and the parts it was made of (for the flat CSV)."""

    text: str
    column: str
    given: str
    father: str
    family: str

    @property
    def script(self) -> str:
        return COLUMN_SCRIPT[self.column]


def available(parts: NameParts, column: str) -> bool:
    if not parts.given.form(column):
        return False
    if parts.surname is not None:
        return bool(parts.surname.form(column))
    return parts.father is None or bool(parts.father.form(column))


def choose_column(parts: NameParts, preferred: str) -> str:
    for column in (preferred, *FALLBACK):
        if available(parts, column):
            return column
    return "latin_passport"  # every lexicon row has it


def _russian_patronymic(father: str, sex: str, *, family: bool) -> str:
    soft = father[-1] in "аеёиоуыэюяй"
    base = father[:-1] if father.endswith("й") else father
    if family:
        return base + ("ев" if soft else "ов") + ("а" if sex == "f" else "")
    return base + ("ев" if soft else "ов") + ("ич" if sex == "m" else "на")


def render(parts: NameParts, column: str, rng: random.Random) -> Rendered:
    """The person's full name in ``column`` (which must be ``available``), in a pattern common there."""
    given = parts.given.form(column)
    if parts.surname is not None:
        family = parts.surname.form(column)
        if column == "chinese":
            return Rendered(family + given, column, given, "", family)
        text = f"{given} {family}" if column != "russian_cyrillic" and rng.random() < 0.25 else f"{family} {given}"
        if column in ("pinyin_style", "latin_passport") and rng.random() < 0.2:
            text = text.upper()
        return Rendered(text, column, given, "", family)
    if parts.father is None:
        return Rendered(given, column, given, "", "")
    father = parts.father.form(column)
    sex, eth = parts.sex, parts.ethnicity
    second, fam = father, ""
    r = rng.random()
    if column == "chinese":
        sep = "·" if r < 0.9 else rng.choice(("•", ".", "・", ""))
        return Rendered(f"{given}{sep}{father}", column, given, father, "")
    if column == "kazakh_cyrillic" and eth == "kazakh" and r < 0.55:
        second = father + _KK_SUFFIX[sex]
    elif column == "kazakh_cyrillic" and eth == "kyrgyz" and r < 0.55:
        second = father + _KG_SUFFIX[sex]
    elif column == "russian_cyrillic" and r < 0.3:
        second = _russian_patronymic(father, sex, family=False)
    elif column in ("russian_cyrillic", "latin_passport") and r < 0.6:
        # Kazakhstan's documents turn the father's name into a family name: Сериков, Serikova.
        ru_father = parts.father.form("russian_cyrillic")
        if column == "russian_cyrillic":
            fam = _russian_patronymic(ru_father, sex, family=True)
        else:
            fam = father + ("ev" if ru_father[-1:] in "аеёиоуыэюяй" else "ov") + ("a" if sex == "f" else "")
        return Rendered(f"{fam} {given}", column, given, "", fam)
    elif column == "latin_passport" and eth == "kazakh" and r < 0.8:
        second = father.lower().capitalize() + _LATIN_SUFFIX[sex]
    elif column == "latin_passport" and eth == "kyrgyz" and r < 0.8:
        second = father + _KG_LATIN_SUFFIX[sex]
    elif column == "kazakh_latin_2021" and eth == "kazakh" and r < 0.6:
        second = father + _KZ2021_SUFFIX[sex]
    text = f"{given} {second}"
    if column == "pinyin_style" and rng.random() < 0.3:
        text = text.upper()  # as printed in a Chinese passport
    return Rendered(text, column, given, father, fam)


def typo(text: str, rng: random.Random) -> str:
    """One slip: a confused letter, a dropped, doubled or swapped one."""
    if len(text) < 3:
        return text
    i = rng.randrange(0, len(text) - 1)
    c = text[i]
    if c in " ·•.":
        return text
    r = rng.random()
    if r < 0.4 and c.lower() in _CONFUSABLE:
        sub = _CONFUSABLE[c.lower()]
        return text[:i] + (sub.upper() if c.isupper() else sub) + text[i + 1:]
    if r < 0.6:
        return text[:i] + text[i + 1:]
    if r < 0.8:
        return text[:i] + c + text[i:]
    if text[i + 1] not in " ·•.":
        return text[:i] + text[i + 1] + c + text[i + 2:]
    return text


def swap_order(text: str) -> str:
    """Second part first, as in lists sorted by family name."""
    for sep in ("·", " "):
        if sep in text:
            head, _, tail = text.partition(sep)
            return f"{tail}{sep}{head}"
    return text


def noisy(rendered: Rendered, rng: random.Random) -> Rendered:
    text = rendered.text
    if rng.random() < 0.08:
        text = swap_order(text)
    if rng.random() < 0.07:
        text = typo(text, rng)
    if text == rendered.text:
        return rendered
    return Rendered(text, rendered.column, rendered.given, rendered.father, rendered.family)

"""Cyrillic name parts: Kazakh, Kyrgyz and Russian spellings.

anyascii gives the passport-like Latin (Жұмабеков -> Zhumabekov, Ілхам -> Ilkham); unidecode mangles the
Kazakh letters. The Kazakh/Russian differences (ұ/у, қ/к, ә/а) vanish in the folding, and the patronymic
forms (-ұлы/-ович) are matched in structure.py.

Chinese names in Russian text are written in the Palladius system (Ван Юцай, Чжан Липин, Хэ Сюин): a part made
only of Palladius syllables (pypinyin's Cyrillic style, :func:`_palladius_table`) is also read as the pinyin it transcribes
(:func:`palladius_pinyin`), so that it meets the pinyin and the characters of the same name.
"""

from __future__ import annotations

from functools import lru_cache

from anyascii import anyascii

from pypinyin import Style
from pypinyin.style import convert

from .latin import SYLLABLES, plain

#: Where the standard Palladius table writes -о after the initial (до, то, со, шо, чо), pypinyin writes -уо.
_PALLADIUS_STANDARD = {"duo": "до", "tuo": "то", "suo": "со", "shuo": "шо", "chuo": "чо"}


def _palladius_table() -> dict[str, str]:
    """Palladius spelling -> pinyin of every toneless pinyin syllable with a vowel, from pypinyin's Cyrillic
    (Palladius) style; where two syllables share a spelling (ло: lo, luo) the later in alphabetical order, the
    name syllable, is kept."""
    table: dict[str, str] = {}
    for syllable in sorted(SYLLABLES):
        pinyin = syllable.replace("v", "ü")
        table[_PALLADIUS_STANDARD.get(syllable) or convert(pinyin, Style.CYRILLIC, strict=True)] = pinyin
    return table


_PALLADIUS = _palladius_table()
_MAX_PALLADIUS = max(map(len, _PALLADIUS))


def romanize_token(token: str) -> str:
    """Passport-style Latin for display (ЖҰМАБЕКОВ -> ZHUMABEKOV)."""
    latin = anyascii(token).replace("'", "")
    return latin.upper() if token.isupper() else latin


def phonetic(token: str) -> str:
    """The phonetic Latin of a Cyrillic name part, ready for folding."""
    return plain(romanize_token(token))


#: Syllables without an initial (а an, о ou, э e) start only the name part: inside it, а after н is the -na of
#: Мадина, not -ng + a.
_BARE = tuple("аоэ")


def _palladius(s: str, start: int = 0) -> list[str] | None:
    if start == len(s):
        return []
    if start and s.startswith(_BARE, start):
        return None
    for n in range(min(_MAX_PALLADIUS, len(s) - start), 0, -1):
        syllable = _PALLADIUS.get(s[start:start + n])
        if syllable is not None:
            rest = _palladius(s, start + n)
            if rest is not None:
                return [syllable, *rest]
    return None


#: A Chinese family or given name has one or two syllables; a longer part that happens to parse is a Russian or
#: Turkic name (Исакунова would read yi-sa-ku-nuo-wa).
MAX_PALLADIUS_SYLLABLES = 2


@lru_cache(maxsize=65536)
def palladius_pinyin(token: str) -> str | None:
    """The pinyin of a Cyrillic name part written in the Palladius system (Чжан -> zhang, Сяоянь -> xiaoyan,
    Юй -> yu), or None if the part is not one or two Palladius syllables (Нурлан, Исакунова)."""
    syllables: list[str] = []
    # ъ separates a syllable without an initial from the one before it (Чжунъи zhongyi, Сиъань xi'an).
    for chunk in token.lower().replace("ё", "е").split("ъ"):
        found = _palladius(chunk)
        if not found:
            return None
        syllables += found
    return "".join(syllables) if len(syllables) <= MAX_PALLADIUS_SYLLABLES else None

"""The Turkic phonetic folding: from a phonetic Latin spelling to the match key and its consonant skeleton.

Every script's romanisation ends here, so the key is the one form that every script maps into. The rules
are data (``data/fold.tsv``) so that a linguist can read and change them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ._data import read_tsv

_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(row["pattern"]), row["replacement"]) for row in read_tsv("fold.tsv")
)
_VOWELS = re.compile(r"[aiu]+")
_DOUBLE = re.compile(r"(.)\1+")
# Sibilants and affricates are one class in the skeleton: Kazakh ш is Russian ч (Шоқан = Чокан), and
# Chinese writes ж with 扎 za, 热 re or 若 ruo and s with 沙 sha or 西 xi.
_SIBILANTS = str.maketrans("SCJ", "sss")
_NON_LETTER = re.compile(r"[^a-z]+")


@lru_cache(maxsize=65536)
def fold(phonetic: str) -> str:
    """The match key of one name part, from its lowercase ASCII phonetic Latin (``zhumabekov`` -> ``Sumabakub``)."""
    key = _NON_LETTER.sub("", phonetic.lower())
    for pattern, replacement in _RULES:
        key = pattern.sub(replacement, key)
    return key


def collapse(key: str) -> str:
    """Doubled letters written once (Muhemmed/Muhammad, Abdulla/Abdula).

    Kept apart from :func:`fold` so that affixes are cut before it: Zhumabek|kyzy keeps the k of its stem.
    """
    return _DOUBLE.sub(r"\1", key)


@lru_cache(maxsize=65536)
def skeleton(key: str) -> str:
    """The consonant skeleton of a key: vowels dropped, l/r merged (Chinese writes r with 力/里/列),
    sibilants merged (see _SIBILANTS)."""
    return _DOUBLE.sub(r"\1", _VOWELS.sub("", key).replace("r", "l").translate(_SIBILANTS))

"""Chinese-character transcriptions of Uyghur and Kazakh names, read back into a Turkic phonetic Latin.

pypinyin gives the readings, but it picks word readings (阿不都 a-bu-dou) and knows nothing of the
transcription conventions (DB65/T 2189-2005 practice for Uyghur names): a syllable may stand for a bare final
consonant (提 -t, 克 -k, 木 -m, 尔 -r, 斯 -s), vowels are inserted to break clusters (吐尔逊 tu-er-xun = Tursun),
and common elements have fixed forms (买买提 Memet, 古丽 Gul, 江 -jan). Those are the hand-written tables
``data/han.tsv``, ``data/han_words.tsv`` and ``data/pinyin_finals.tsv``.
"""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from ._data import read_tsv

_CHARS: dict[str, tuple[str, str]] = {r["char"]: (r["value"], r["coda"]) for r in read_tsv("han.tsv")}
_WORDS: dict[str, str] = {r["chars"]: r["value"] for r in read_tsv("han_words.tsv")}
_MAX_WORD = max(map(len, _WORDS))
_FINALS: dict[str, str] = {r["final"]: r["value"] for r in read_tsv("pinyin_finals.tsv")}
# Syllables that stand for a bare final consonant when they close a syllable: the same convention as the
# coda column of han.tsv, applied by reading, for characters the table does not list (traditional forms).
_CODA_BY_READING: dict[str, str] = {}
for _char, (_value, _coda) in _CHARS.items():
    if _coda:
        _CODA_BY_READING.setdefault(lazy_pinyin(_char)[0], _coda)
_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r", "z", "c", "s", "y", "w")
_INITIAL_MAP = {"x": "sh", "q": "ch", "zh": "j", "c": "s"}
_VOWELS = frozenset("aeiouüy")
# The fixed elements by their pinyin (maimaiti, abudu, guli), read once: the first listed wins.
_WORDS_BY_PINYIN: dict[str, str] = {}
for _chars, _value in _WORDS.items():
    _WORDS_BY_PINYIN.setdefault("".join(lazy_pinyin(_chars)), _value)


def syllable_value(syllable: str) -> str:
    """How a toneless pinyin syllable (v = ü) sounds in a Turkic name: mai -> me, jiang -> jan, xi -> shi."""
    syllable = syllable.replace("ü", "v")
    initial = next((i for i in _INITIALS if syllable.startswith(i) and len(syllable) > len(i)), "")
    final = syllable[len(initial):]
    if initial == "y":
        initial, final = "y", final if final not in ("i", "in", "ing") else final
        if syllable in ("yi", "yin", "ying"):
            initial, final = "", syllable[1:]
    if initial == "w" and final == "u":
        initial = ""
    if initial in ("j", "q", "x") and final.startswith("u"):
        final = "v" + final[1:]
    if final.startswith("i") and len(final) > 1 and final not in ("in", "ing") and initial not in ("j", "q", "x", ""):
        value = "y" + _FINALS.get(final, final)
        value = value if not value.startswith("yy") else value[1:]
        if final in ("ie",):
            value = "e"
    else:
        value = _FINALS.get(final, final)
    return (_INITIAL_MAP.get(initial, initial) + value).replace("v", "ü")


def _units(token: str) -> list[tuple[str, str, str]]:
    """(text, value, coda) for each fixed element or character of a Chinese name part."""
    units: list[tuple[str, str, str]] = []
    i = 0
    while i < len(token):
        for n in range(min(_MAX_WORD, len(token) - i), 1, -1):
            word = token[i:i + n]
            if word in _WORDS:
                units.append((word, _WORDS[word], ""))
                i += n
                break
        else:
            ch = token[i]
            if ch in _CHARS:
                value, coda = _CHARS[ch]
            else:
                reading = lazy_pinyin(ch, style=Style.NORMAL, errors="ignore")
                syllable = reading[0] if reading else ""
                value, coda = syllable_value(syllable), _CODA_BY_READING.get(syllable, "")
            units.append((ch, value, coda))
            i += 1
    return units


def _join(units: list[tuple[str, str, str]]) -> str:
    """Join unit values, reading a coda syllable as its bare consonant where it closes a syllable."""
    out = []
    for k, (_text, value, coda) in enumerate(units):
        nxt = units[k + 1][1] if k + 1 < len(units) else ""
        if coda and k > 0 and (not nxt or nxt[0] not in _VOWELS):
            value = coda
        out.append(value)
    return "".join(out)


@lru_cache(maxsize=65536)
def romanize_token(token: str) -> str:
    """The Turkic reading of one Chinese name part: 伊力哈木 -> ilham, 吐尔逊 -> tursun, 买买提江 -> memetjan."""
    return _join(_units(token))


def pinyin_reading(syllables: list[str]) -> str:
    """The Turkic reading of a pinyin-spelled name part, given its syllables (mai mai ti -> memet)."""
    units: list[tuple[str, str, str]] = []
    fixed = _WORDS_BY_PINYIN.get("".join(syllables))
    if fixed is not None:
        return fixed
    for syllable in syllables:
        units.append((syllable, syllable_value(syllable), _CODA_BY_READING.get(syllable, "")))
    return _join(units)


def phonetic(token: str) -> str:
    """The phonetic Latin of a Chinese name part, ready for folding."""
    return romanize_token(token).replace("ü", "u")

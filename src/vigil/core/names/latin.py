"""Latin-script name parts: passport/BGN, Kazakh 2021 Latin, Uyghur ULY and Yengi Yéziq, Turkish-style, pinyin."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ._data import read_lines
from .han import pinyin_reading

_MAP = {
    "ş": "sh", "ș": "sh", "š": "sh", "ç": "ch", "č": "ch", "ğ": "gh", "ǧ": "gh", "ž": "zh", "ı": "i",
    "ñ": "ng", "ŋ": "ng", "ä": "e", "ə": "e", "ǝ": "e", "æ": "e", "ö": "o", "ø": "o", "ü": "u", "ū": "u",
    "ⱪ": "q", "ⱨ": "kh", "ƣ": "gh", "ⱬ": "zh", "ḥ": "h", "ḳ": "q", "ẓ": "z", "ṣ": "s", "ṭ": "t", "ŭ": "u",
}
_DIGRAPH_OU = re.compile(r"ou")
# Kyrgyz parliament and GOST-style Latin write й as j after a vowel: SULAJMANOV, Azhibaj, Ajtmatova.
_J_AS_Y = re.compile(r"(?<=[aeiouy])j(?=[^aeiouy]|$)")
#: Toneless pinyin syllables with a vowel (v = ü).
SYLLABLES = frozenset(s for s in read_lines("pinyin_syllables.txt") if re.search("[aeiouv]", s))
_MAX_SYLLABLE = max(map(len, SYLLABLES))


# Uyghur Yengi Yéziq (1965-1982), recognised by its own letters: there x = sh, q = ch, h = kh.
_YENGI_LETTERS = frozenset("ɵəⱨⱪƣⱬ")
_YENGI = str.maketrans({"x": "ş", "q": "ç", "h": "x", "ⱨ": "h", "ⱪ": "q", "ɵ": "ö", "ə": "e", "ƣ": "ğ", "ⱬ": "j", "j": "ⱬ"})


def plain(token: str) -> str:
    """Lowercase ASCII letters with Turkic diacritics spelled out (ş -> sh, ı -> i, Ⱪ -> q)."""
    s = token.replace("İ", "I").lower()
    if _YENGI_LETTERS.intersection(s):
        s = s.translate(_YENGI)
    out = []
    for ch in s:
        rep = _MAP.get(ch)
        if rep is None:
            rep = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(rep)
    return "".join(out)


def phonetic(token: str) -> str:
    """The phonetic Latin of a Latin-script name part, ready for folding."""
    s = plain(token)
    s = _J_AS_Y.sub("y", s)
    return _DIGRAPH_OU.sub("u", s)  # French ou (Oulan); ULY and pinyin readings are handled separately


def x_as_ks(token: str) -> str | None:
    """The reading with x as ks (OXIKBAYEV = Оксикбаев) for a part whose x may not be ULY's kh, else None."""
    s = phonetic(token)
    return s.replace("x", "ks") if "x" in s else None


def x_as_sh(token: str) -> str | None:
    """The reading with x as pinyin's sh (Abdurixit = Abdureshit), for a part with x, else None."""
    s = phonetic(token)
    return s.replace("x", "sh") if "x" in s else None


def _segment(s: str, start: int = 0) -> list[str] | None:
    if start == len(s):
        return []
    for n in range(min(_MAX_SYLLABLE, len(s) - start), 0, -1):
        syl = s[start:start + n]
        if syl in SYLLABLES:
            rest = _segment(s, start + n)
            if rest is not None:
                return [syl, *rest]
    return None


@lru_cache(maxsize=65536)
def pinyin_syllables(token: str) -> list[str] | None:
    """The pinyin syllables of a Latin name part if it is spelled as pinyin (Maimaiti -> mai mai ti), else None."""
    s = plain(token).replace("ü", "v")
    if not s.isalpha() or len(s) < 4 and not set(s) & {"q", "x"}:
        return None
    syllables = _segment(s)
    if syllables is None or (len(syllables) < 2 and not set(s) & {"q", "x"}):
        return None
    return syllables


def pinyin_variant(token: str) -> str | None:
    """The Turkic reading of a pinyin-spelled name part (Maimaiti -> memet, Tuersun -> tursun), or None."""
    syllables = pinyin_syllables(token)
    if syllables is None:
        return None
    return pinyin_reading(syllables)

"""Chinese-character transcriptions of Uyghur and Kazakh names, read back into a Turkic phonetic Latin.

pypinyin gives the readings, but it picks word readings (阿不都 a-bu-dou) and knows nothing of the
transcription conventions (DB65/T 2189-2005 practice for Uyghur names): a syllable may stand for a bare final
consonant (提 -t, 克 -k, 木 -m, 尔 -r, 斯 -s), vowels are inserted to break clusters (吐尔逊 tu-er-xun = Tursun),
and common elements have fixed forms (买买提 Memet, 古丽 Gul, 江 -jan). Those are the hand-written tables
``data/han.tsv``, ``data/han_words.tsv`` and ``data/pinyin_finals.tsv``.

A part may be read more than one way (:func:`readings`), where Chinese cannot write the Turkic sound: a
character can stand for several sounds (吾 u or w, 希 shi or hi: the ``also`` column of han.tsv); Chinese
writes no h before a vowel, so a Turkic h may be missing at the start of a name (艾 He-, 玉 Hü-) or between
vowels, where the y-glide syllable stands for h + vowel (依 hi: 热依木 Rehim); no vowel before s (司马义
Ismail); no final stop + l/r cluster (拜克力 Bekri); and s+h may be two sounds (阿斯哈尔 Asqar) or one (伊斯哈克
Ishaq).

Names of Chinese-named persons (Han, Hui) are written without a separator, family name first (王有才).
:func:`chinese_name` recognises them: a token that starts with a common family name (``data/han_surnames.tsv``)
and whose given name does not read as a Turkic transcription (no element of han_words.tsv, no transcription
character of han.tsv that is not also common in Chinese given names, ``data/han_given.txt``). Such parts are
read as pinyin (:func:`pinyin`), as Latin text would spell them.
"""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from ._data import read_lines, read_tsv

_CHARS: dict[str, tuple[str, str]] = {r["char"]: (r["value"], r["coda"]) for r in read_tsv("han.tsv")}
_ALSO: dict[str, tuple[str, ...]] = {r["char"]: tuple(r["also"].split("|")) for r in read_tsv("han.tsv") if r["also"]}
_SURNAMES: dict[str, str] = {}
for _row in read_tsv("han_surnames.tsv"):
    _SURNAMES[_row["surname"]] = _row["pinyin"]
    if _row["traditional"]:
        _SURNAMES[_row["traditional"]] = _row["pinyin"]
_MAX_SURNAME = max(map(len, _SURNAMES))
#: Transcription characters: in han.tsv and not common in Chinese given names.
_TRANSCRIPTION = frozenset(_CHARS) - frozenset(read_lines("han_given.txt"))
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


def _join(units: list[tuple[str, str, str]], *, split_h: bool = False) -> str:
    """Join unit values, reading a coda syllable as its bare consonant where it closes a syllable.

    ``split_h``: an h after a bare s or z is written q, so that the two are not read as one sound (阿斯哈尔
    as-qar, Асқар; joined, s+h would read as sh, which is right for 伊斯哈克 Ishaq in every script's spelling)."""
    out: list[str] = []
    for k, (_text, value, coda) in enumerate(units):
        nxt = units[k + 1][1] if k + 1 < len(units) else ""
        if coda and k > 0 and (not nxt or nxt[0] not in _VOWELS):
            value = coda
        if split_h and value[:1] == "h" and out and out[-1][-1:] in ("s", "z"):
            value = "q" + value[1:]
        out.append(value)
    return "".join(out)


@lru_cache(maxsize=65536)
def romanize_token(token: str) -> str:
    """The Turkic reading of one Chinese name part: 伊力哈木 -> ilham, 吐尔逊 -> tursun, 买买提江 -> memetjan."""
    return _join(_units(token))


#: At most this many readings of one part (the main one and its alternatives).
MAX_READINGS = 6
_VOWELS_AFTER = frozenset("aeiouü")


def _h_restored(units: list[tuple[str, str, str]], k: int, value: str) -> str | None:
    """``value`` for unit k with the Turkic h that Chinese does not write: before a front vowel at the start of
    the name (艾 e -> he, 玉 yü -> hü), and in a y-glide syllable after a vowel (依 yi -> hi, 音 yin -> hin)."""
    if k == 0:
        bare = value[1:] if value.startswith("yü") else value
        return "h" + bare if bare[:1] in ("e", "ü") else None
    if value[:1] == "y" and len(value) > 1 and units[k - 1][1][-1:] in _VOWELS_AFTER:
        return "h" + value[1:]
    return None


def _other_values(units: list[tuple[str, str, str]], k: int) -> list[tuple[str, str]]:
    """Other (value, coda) of unit k, by the conventions Chinese transcription follows where it cannot write
    a Turkic sound: the ``also`` column of han.tsv; initial is- written 斯/司 si (Chinese has no vowel before
    s: 司马义 Ismail); a last l/r syllable kept whole after a bare stop or s, since a Turkic name does not end
    in such a cluster (拜克力 Bekri, not Bek-l); then each of these, and the value as it is, with the h
    restored (:func:`_h_restored`). An alternative is never cut to a coda."""
    text, value, coda = units[k]
    values = [(value, coda)] + [(other, "") for other in _ALSO.get(text, ())]
    if k == 0 and value.startswith("si") and len(units) > 1:
        values.append(("is" + value[2:], ""))
    if (k == len(units) - 1 and coda in ("l", "r") and k > 1 and value[:1] not in _VOWELS
            and units[k - 1][2] not in ("", "l", "r", "m")):
        values.append((value, ""))
    for candidate, candidate_coda in list(values):
        restored = _h_restored(units, k, candidate)
        if restored:
            values.append((restored, candidate_coda))
    return values[1:]


@lru_cache(maxsize=65536)
def readings(token: str) -> tuple[str, ...]:
    """The Turkic readings of one Chinese name part, main reading first: 热依木 -> (reyim, zheyim, rehim),
    阿斯哈尔 -> (asher, asqar). One character at a time is read another way (:func:`_other_values`), and s+h is
    also read apart (:func:`_join`). At most :data:`MAX_READINGS`."""
    units = _units(token)
    out = [_join(units)]
    split = _join(units, split_h=True)
    if split not in out:
        out.append(split)
    for k, (text, _value, _coda) in enumerate(units):
        for candidate, candidate_coda in _other_values(units, k):
            reading = _join([*units[:k], (text, candidate, candidate_coda), *units[k + 1:]])
            if reading not in out:
                out.append(reading)
    return tuple(out[:MAX_READINGS])


def _surname(token: str) -> str | None:
    for n in range(min(_MAX_SURNAME, len(token) - 1), 0, -1):
        if token[:n] in _SURNAMES:
            return token[:n]
    return None


def _reads_as_transcription(text: str) -> bool:
    return any(ch in _TRANSCRIPTION for ch in text) or any(word in text for word in _WORDS)


def is_given_name(text: str) -> bool:
    """Whether ``text`` (1 or 2 characters) can be a Chinese given name rather than part of a transcription."""
    return 1 <= len(text) <= 2 and not _reads_as_transcription(text)


def is_surname(text: str) -> bool:
    """Whether ``text`` is a common Chinese family name (``data/han_surnames.tsv``)."""
    return text in _SURNAMES


@lru_cache(maxsize=65536)
def chinese_name(token: str) -> tuple[str, str] | None:
    """(family name, given name) of a Chinese name written as one token (王有才 -> 王, 有才), or None if the
    token does not read as one: no common family name first, a given name of more than two characters, or
    a given name that reads as a Turkic transcription (马合木提 Mahmut: 合 and 木 are transcription characters).
    """
    surname = _surname(token)
    if surname is None or not is_given_name(token[len(surname):]) or any(word in token for word in _WORDS):
        return None
    return surname, token[len(surname):]


@lru_cache(maxsize=65536)
def pinyin(text: str) -> str:
    """The pinyin of a Chinese name or name part, toneless, ü written as ü: 吕 -> lü, 晓燕 -> xiaoyan."""
    if text in _SURNAMES:
        return _SURNAMES[text]
    return "".join(lazy_pinyin(text, style=Style.NORMAL, errors="ignore")).replace("v", "ü")


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

"""Preparing a name for comparison: the expensive part (romanising, folding, analysing) done once.

A part has several readings when its spelling allows several (Latin x as kh, ks or sh; a pinyin spelling; a
Chinese character's other sounds; a Cyrillic part in the Palladius system also read as pinyin). A name in
Chinese characters without a separator that reads as a Chinese name (王有才, see :func:`han.chinese_name`) is
two parts, family name and given name, each read as its pinyin would be read in Latin text, then as a
transcription.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from . import arabic, cyrillic, han, latin
from .fold import collapse, fold, skeleton
from .normalize import tokenize
from .scripts import Script, char_script, detect_script
from .structure import HONORIFICS, PARTICLES, Kind, PartForm, analyse

#: A form a part may be compared under: (key, consonant skeleton, weight ≤ 1).
Form = tuple[str, str, float]


@dataclass(frozen=True, slots=True, eq=False)
class Part:
    """One part of a name (a token): its text, script, display romanisation, kind and comparison forms.

    ``uid`` numbers the distinct comparison forms (same forms, same uid), so that scores of part pairs can
    be cached by number.
    """

    text: str
    script: Script
    display: str
    kind: Kind
    forms: tuple[Form, ...]
    uid: int = 0
    #: Scores against other parts, by their uid (filled by similarity.py: names repeat their parts).
    scores: dict[int, float] = field(default_factory=dict, repr=False)

    @property
    def key(self) -> str:
        """The main match key of this part."""
        return self.forms[0][0]


@dataclass(frozen=True, slots=True)
class PreparedName:
    """A name ready for fast comparison with :func:`vigil.core.names.similarity`. Make one with :func:`prepare`."""

    text: str
    parts: tuple[Part, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        """The main match key of each part."""
        return tuple(p.key for p in self.parts)


@lru_cache(maxsize=65536)
def _runs(token: str) -> tuple[tuple[str, Script], ...]:
    """A token cut where its script changes (Ilham伊力哈木 is two parts); marks stay with their letters."""
    script = detect_script(token)
    if script is not Script.MIXED:
        return ((token, script),)
    runs: list[tuple[str, Script]] = []
    for ch in token:
        s = char_script(ch)
        if runs and (s is None or s is runs[-1][1]):
            runs[-1] = (runs[-1][0] + ch, runs[-1][1])
        else:
            runs.append((ch, s or Script.UNKNOWN))
    return tuple((text, detect_script(text)) for text, _ in runs)


def _latin_readings(token: str) -> list[str]:
    readings = [latin.phonetic(token)]
    for variant in (latin.pinyin_variant(token), latin.x_as_ks(token), latin.x_as_sh(token)):
        if variant is not None and variant not in readings:
            readings.append(variant.replace("ü", "u"))
    return readings


def _pinyin_readings(pinyin: str) -> list[str]:
    """Readings of a pinyin spelling, as for Latin text: as written, and as a transcription (pinyin_variant)."""
    readings = [latin.phonetic(pinyin)]
    variant = latin.pinyin_variant(pinyin)
    if variant is not None:
        readings.append(variant.replace("ü", "u"))
    return readings


def _add(readings: list[str], more: list[str] | tuple[str, ...]) -> None:
    for reading in more:
        if reading not in readings:
            readings.append(reading)


@lru_cache(maxsize=65536)
def _readings(token: str, script: Script) -> tuple[str, tuple[str, ...]]:
    """(display romanisation, phonetic readings) of one token."""
    if script is Script.CYRILLIC:
        readings = [cyrillic.phonetic(token)]
        pinyin = cyrillic.palladius_pinyin(token)
        if pinyin is not None:
            _add(readings, _pinyin_readings(pinyin))
        return cyrillic.romanize_token(token), tuple(readings)
    if script is Script.ARABIC:
        return arabic.romanize_token(token), (arabic.phonetic(token),)
    if script is Script.HAN:
        return han.romanize_token(token), tuple(r.replace("ü", "u") for r in han.readings(token))
    return token, tuple(_latin_readings(token))


@lru_cache(maxsize=65536)
def _chinese_readings(token: str) -> tuple[str, tuple[str, ...]]:
    """(display, readings) of a family or given name of a Chinese name: its pinyin first, then as a transcription."""
    pinyin = han.pinyin(token)
    readings = _pinyin_readings(pinyin)
    _add(readings, (han.phonetic(token),))
    return pinyin[:1].upper() + pinyin[1:], tuple(readings)


def _forms(analyses: list[PartForm]) -> tuple[Form, ...]:
    seen: dict[str, float] = {}
    for pf in analyses:
        for key, weight in pf.forms:
            k = collapse(key)
            if k and seen.get(k, 0.0) < weight:
                seen[k] = weight
    return tuple((k, skeleton(k), w) for k, w in seen.items())


_UIDS: dict[tuple[Form, ...], int] = {}


def _uid(forms: tuple[Form, ...]) -> int:
    uid = _UIDS.get(forms)
    if uid is None:
        uid = _UIDS[forms] = len(_UIDS) + 1
    return uid


def _part(text: str, script: Script, display: str, raw_keys: tuple[str, ...], *, capitals: bool) -> Part:
    analyses = [analyse(k, capitals=capitals) for k in raw_keys]
    forms = _forms(analyses)
    return Part(text, script, display, analyses[0].kind, forms, _uid(forms))


@lru_cache(maxsize=65536)
def _token_part(token: str, script: Script, capitals: bool, chinese: bool = False) -> tuple[Part, tuple[str, ...]] | None:
    """The part for one token, and its raw (uncollapsed) keys; None if it has no letters.

    ``chinese``: the token is the family or given name of a Chinese name (see :func:`_chinese_tokens`)."""
    display, readings = _chinese_readings(token) if chinese else _readings(token, script)
    raw = tuple(fold(r) for r in readings)
    if not any(raw):
        return None
    return _part(token, script, display, raw, capitals=capitals), raw


@lru_cache(maxsize=65536)
def _merge(a: Part, b: Part) -> Part:
    key = collapse(a.key + b.key)
    forms = ((key, skeleton(key), 0.97),)
    return Part(f"{a.text} {b.text}", a.script, f"{a.display} {b.display}", Kind.NAME, forms, _uid(forms))


def _chinese_tokens(tokens: list[tuple[str, Script]]) -> list[tuple[str, Script, bool]]:
    """The tokens, each marked whether it is the family or given name of a Chinese name.

    A Chinese name is one token in Chinese characters, the only one of the name (a transcription of a Turkic
    name separates its parts with ·), that :func:`han.chinese_name` splits (王有才 -> 王, 有才); or two such
    tokens written apart, a family name and a given name (王 有才).
    """
    han_at = [i for i, (_, script) in enumerate(tokens) if script is Script.HAN]
    marked = [(t, s, False) for t, s in tokens]
    if len(han_at) == 1:
        i = han_at[0]
        split = han.chinese_name(tokens[i][0])
        if split is not None:
            marked[i:i + 1] = [(split[0], Script.HAN, True), (split[1], Script.HAN, True)]
    elif len(han_at) == 2 and han_at[1] == han_at[0] + 1:
        family, given = tokens[han_at[0]][0], tokens[han_at[1]][0]
        if han.is_surname(family) and han.is_given_name(given):
            marked[han_at[0]] = (family, Script.HAN, True)
            marked[han_at[1]] = (given, Script.HAN, True)
    return marked


@lru_cache(maxsize=16384)
def prepare(text: str) -> PreparedName:
    """Romanise, fold and analyse ``text`` once, for many fast comparisons.

    >>> prepare("Ілхам Тохти").keys
    ('ilkam', 'tukti')
    >>> prepare("王有才").keys
    ('ban', 'uJai')
    """
    tokens = _chinese_tokens([run for token in tokenize(text) for run in _runs(token)])
    mixed_case = any(t.upper() != t for t, _, _ in tokens)
    parts: list[Part] = []
    raw_prev: tuple[str, ...] = ()
    for token, script, chinese in tokens:
        if script is Script.UNKNOWN:
            continue
        capitals = mixed_case and len(token) > 1 and token.isupper() and script is not Script.HAN
        found = _token_part(token, script, capitals, chinese)
        if found is None:
            continue
        part, raw = found
        if parts and part.key in PARTICLES and parts[-1].kind is not Kind.HONORIFIC:
            # Kyrgyz "Asylbek uulu": the particle makes the part before it a patronymic.
            prev = parts.pop()
            joined_raw = tuple(k + raw[0] for k in raw_prev)
            parts.append(_part(f"{prev.text} {token}", prev.script, f"{prev.display} {part.display}", joined_raw,
                               capitals=False))
            continue
        parts.append(part)
        raw_prev = raw
    return PreparedName(text, tuple(parts))


# Computed only when a comparison needs them: most comparisons end before.
@lru_cache(maxsize=16384)
def merged_variants(parts: tuple[Part, ...]) -> tuple[tuple[Part, ...], ...]:
    """The name with two neighbouring parts written as one (Maimaitituersun = Memet Tursun), in both orders,
    for comparing names whose parts were split differently. Empty for one part or more than four."""
    merged: list[tuple[Part, ...]] = []
    if 2 <= len(parts) <= 4:
        for i in range(len(parts) - 1):
            a, b = parts[i], parts[i + 1]
            for m in (_merge(a, b), _merge(b, a)):
                merged.append((*parts[:i], m, *parts[i + 2:]))
    return tuple(merged)


@lru_cache(maxsize=16384)
def joined_keys(parts: tuple[Part, ...]) -> tuple[str, ...]:
    """The whole name as one key, parts in written and in sorted order (Amanni Shahan = Amannisa Khan)."""
    keys = [p.key for p in parts if p.kind is not Kind.HONORIFIC]
    return tuple({collapse("".join(keys)), collapse("".join(sorted(keys)))}) if len(keys) > 1 else ()


def is_honorific(key: str) -> bool:
    """Whether a folded key is an honorific (haji, molla) rather than a name."""
    return key in HONORIFICS

"""Unicode clean-up and splitting a name into its parts (tokens)."""

from __future__ import annotations

import re
import unicodedata

from .scripts import Script, char_script

#: Characters that separate name parts: the Chinese interpunct and its look-alikes.
SEPARATORS = "·・•‧∙⋅"

_DROP = dict.fromkeys(
    map(ord, "\u0300\u0301\u0640\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652'’‘ʼ`´\"“”«»"),
    None,
)
_SPLIT = re.compile(r"[\s,;:/\\()\[\]{}!?.،؛" + re.escape(SEPARATORS) + r"]+")
_CAMEL = re.compile(r"(?<=[a-zа-яёәғқңөұүһі])(?=[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][a-zа-яёәғқңөұүһі])")


def normalize(text: str) -> str:
    """NFKC, then drop what never distinguishes names: stress accents, tatweel, harakat, zero-width marks, quotes.

    NFKC turns Arabic presentation forms (ﻗﯘﺭﺑﺎﻥ) into letters; a combining acute left after NFKC can only be
    a Cyrillic stress mark (Ілха́м), since Latin letters with acute are precomposed.
    """
    return unicodedata.normalize("NFKC", text).translate(_DROP)


def _split_hyphen(part: str) -> list[str]:
    # A hyphen between Chinese characters separates name parts; in Latin or Cyrillic it joins one (Abdu-Rehim).
    if "-" not in part and "‐" not in part and "–" not in part:
        return [part]
    pieces = re.split(r"[-‐–]+", part)
    out: list[str] = [pieces[0]]
    for piece in pieces[1:]:
        prev = out[-1]
        han_edge = (prev and char_script(prev[-1]) is Script.HAN) or (piece and char_script(piece[0]) is Script.HAN)
        if han_edge or not prev or not piece:
            out.append(piece)
        else:
            out[-1] = prev + piece
    return [p for p in out if p]


def tokenize(text: str) -> list[str]:
    """The parts of a name, in order: split at spaces, punctuation, interpuncts, case changes (ArmanTuleshovich)."""
    out: list[str] = []
    for part in _SPLIT.split(normalize(text)):
        if not part:
            continue
        for piece in _split_hyphen(part):
            out.extend(p for p in _CAMEL.split(piece) if p)
    return out

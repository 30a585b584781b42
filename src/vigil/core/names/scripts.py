"""Which writing system a name, or one part of it, is written in."""

from __future__ import annotations

import re
from enum import Enum


class Script(str, Enum):
    """The writing system of a text. MIXED: letters of more than one script; UNKNOWN: no letters."""

    CYRILLIC = "cyrillic"
    LATIN = "latin"
    ARABIC = "arabic"
    HAN = "han"
    MIXED = "mixed"
    UNKNOWN = "unknown"


def char_script(ch: str) -> Script | None:
    """The script of one character, or None for digits, punctuation and marks."""
    o = ord(ch)
    if o < 0x80:
        return Script.LATIN if ch.isalpha() else None
    if 0x0400 <= o <= 0x052F or 0x1C80 <= o <= 0x1C8F or 0x2DE0 <= o <= 0x2DFF or 0xA640 <= o <= 0xA69F:
        return Script.CYRILLIC if ch.isalpha() else None
    if 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0x08A0 <= o <= 0x08FF or 0xFB50 <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFF:
        return Script.ARABIC if ch.isalpha() else None
    if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3134F:
        return Script.HAN
    if 0x00C0 <= o <= 0x024F or 0x1E00 <= o <= 0x1EFF or 0x2C60 <= o <= 0x2C7F or 0x0250 <= o <= 0x02AF:
        return Script.LATIN if ch.isalpha() else None
    return None


_LETTERS = {
    Script.LATIN: re.compile(r"[A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u0250-\u02AF\u1E00-\u1EFF\u2C60-\u2C7F]"),
    Script.CYRILLIC: re.compile(r"[\u0400-\u0482\u048A-\u052F\u1C80-\u1C8F\uA640-\uA66E]"),
    Script.ARABIC: re.compile(r"[\u0620-\u064A\u066E-\u06D3\u06D5\u06EE-\u06FF\u0750-\u077F\u08A0-\u08C9\uFB50-\uFDFB\uFE70-\uFEFC]"),
    Script.HAN: re.compile(r"[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\U00020000-\U0003134F]"),
}


def detect_script(text: str) -> Script:
    """The script of ``text``: one of CYRILLIC, LATIN, ARABIC, HAN; MIXED if letters of several; UNKNOWN if none.

    >>> detect_script("Ілхам").value, detect_script("伊力哈木").value, detect_script("Ilham Ілхам").value
    ('cyrillic', 'han', 'mixed')
    """
    found = [script for script, letters in _LETTERS.items() if letters.search(text)]
    if not found:
        return Script.UNKNOWN
    if len(found) > 1:
        return Script.MIXED
    return found[0]

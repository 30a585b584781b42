"""Cyrillic name parts: Kazakh, Kyrgyz and Russian spellings.

anyascii gives the passport-like Latin (Жұмабеков -> Zhumabekov, Ілхам -> Ilkham); unidecode mangles the
Kazakh letters. The Kazakh/Russian differences (ұ/у, қ/к, ә/а) vanish in the folding, and the patronymic
forms (-ұлы/-ович) are matched in structure.py.
"""

from __future__ import annotations

from anyascii import anyascii

from .latin import plain


def romanize_token(token: str) -> str:
    """Passport-style Latin for display (ЖҰМАБЕКОВ -> ZHUMABEKOV)."""
    latin = anyascii(token).replace("'", "")
    return latin.upper() if token.isupper() else latin


def phonetic(token: str) -> str:
    """The phonetic Latin of a Cyrillic name part, ready for folding."""
    return plain(romanize_token(token))

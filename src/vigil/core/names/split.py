"""Romanising a name for display, and splitting it into given name, father's name, family name, affixes."""

from __future__ import annotations

from .prepared import Part, prepare
from .structure import Kind, NameParts


def _title(text: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() if w.isupper() or w.islower() else w for w in text.split())


def romanize(text: str) -> str:
    """A readable Latin form of a name for display, part by part, in the written order.

    Cyrillic: passport-style (anyascii); Uyghur and Kazakh Arabic script: Uyghur Latin (ULY);
    Chinese characters: the Turkic name they transcribe; Latin: as written.

    >>> romanize("ئىلھام توختى"), romanize("伊力哈木·土赫提"), romanize("Жұмабеков")
    ('Ilham Toxti', 'Ilham Tuht', 'Zhumabekov')
    """
    return " ".join(_title(p.display) for p in prepare(text).parts)


def split_name(text: str) -> NameParts:
    """Split a name into given name, father's name (or patronymic), family name and affixes (honorifics).

    Order in the input does not matter: the family name is found by its form (-ov, -ova, -yev, or printed in
    capitals), the patronymic by -ovich/-ovna/-uly/-kyzy/uulu; of the other parts the first is the given
    name and, when there is no patronymic, the next is the father's name (Uyghur Ilham Tohti).

    >>> split_name("ZHEENBEKOV Asylbek Sharipovich")
    NameParts(given='Asylbek', father='Sharipovich', family='ZHEENBEKOV', affixes=(), other=())
    """
    parts = prepare(text).parts
    family: Part | None = None
    father: Part | None = None
    names: list[Part] = []
    affixes: list[str] = []
    for p in parts:
        if p.kind is Kind.HONORIFIC:
            affixes.append(p.text)
        elif p.kind is Kind.PATRONYMIC and father is None:
            father = p
        elif p.kind is Kind.FAMILY and family is None:
            family = p
        else:
            names.append(p)
    given = names.pop(0) if names else None
    if father is None and names:
        father = names.pop(0)
    if family is None and given is None and names:
        given = names.pop(0)
    return NameParts(
        given=given.text if given else None,
        father=father.text if father else None,
        family=family.text if family else None,
        affixes=tuple(affixes),
        other=tuple(p.text for p in names),
    )

"""Why two names match or not: the alignment of their parts and each part's score, for the review screen."""

from __future__ import annotations

from dataclasses import dataclass

from .prepared import PreparedName, prepare
from .similarity import MATCH_THRESHOLD, align, part_similarity, similarity


@dataclass(frozen=True, slots=True)
class AlignedPart:
    """One row of an alignment: a part of name a, the part of name b it was paired with, and their score.

    A part left unpaired has ``None`` on the other side and score 0.
    """

    a: str | None
    b: str | None
    a_latin: str | None
    b_latin: str | None
    a_key: str | None
    b_key: str | None
    kind: str
    score: float


@dataclass(frozen=True, slots=True)
class Explanation:
    """The score of two names, whether it reaches :data:`MATCH_THRESHOLD`, and the part alignment."""

    a: str
    b: str
    score: float
    threshold: float
    is_match: bool
    parts: tuple[AlignedPart, ...]


def explain(a: str | PreparedName, b: str | PreparedName) -> Explanation:
    """The score of two names with the alignment of their parts and each part's score.

    >>> e = explain("ZHEENBEKOV Asylbek", "Асылбек Жээнбеков")
    >>> [(p.a, p.b) for p in e.parts]
    [('ZHEENBEKOV', 'Жээнбеков'), ('Asylbek', 'Асылбек')]
    """
    na = a if isinstance(a, PreparedName) else prepare(a)
    nb = b if isinstance(b, PreparedName) else prepare(b)
    score = similarity(na, nb)
    _, rows = align(na.parts, nb.parts)
    out = []
    for i, j, s in sorted(rows, key=lambda r: (r[0] is None, r[0] if r[0] is not None else r[1] or 0)):
        pa = na.parts[i] if i is not None else None
        pb = nb.parts[j] if j is not None else None
        either = pa or pb
        kind = either.kind.value if either is not None else ""
        out.append(AlignedPart(
            a=pa.text if pa else None, b=pb.text if pb else None,
            a_latin=pa.display if pa else None, b_latin=pb.display if pb else None,
            a_key=pa.key if pa else None, b_key=pb.key if pb else None,
            kind=kind, score=part_similarity(pa, pb) if pa and pb else s,
        ))
    return Explanation(na.text, nb.text, score, MATCH_THRESHOLD, score >= MATCH_THRESHOLD, tuple(out))

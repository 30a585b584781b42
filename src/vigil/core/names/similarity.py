"""How alike two names are: part-by-part scores, the best alignment of parts, and one score in [0, 1].

Order does not matter (ZHEENBEKOV Asylbek = Asylbek Zheenbekov): parts are aligned by the best assignment.
A part left over costs according to its kind: a patronymic or honorific is often dropped, a name is not.
The score is held down by the worst aligned part, so that a shared given name with a different father's
name (the commonest false match) stays below the threshold.
"""

from __future__ import annotations

from functools import cache
from itertools import permutations

from rapidfuzz.distance import Levenshtein

from .prepared import Part, PreparedName, joined_keys, merged_variants, prepare
from .structure import Kind

#: Score at and above which two full names are taken to be the same name. Set on names-dev (real
#: renderings of public figures' names): recall 0.98 on same-person pairs, < 1% false matches on impostors
#: that share the given name.
MATCH_THRESHOLD = 0.80

#: What an unaligned part costs, as a share of one aligned part.
UNALIGNED_COST = {Kind.NAME: 0.4, Kind.FAMILY: 0.5, Kind.PATRONYMIC: 0.15, Kind.HONORIFIC: 0.05}
#: The final score is at most the worst aligned part's score plus this margin.
WORST_PART_MARGIN = 0.10
#: Share of the consonant skeleton in a part's score (the rest is the full key).
SKELETON_SHARE = 0.5
#: A name compared as one string (parts split differently) counts for a little less than part by part.
JOINED_WEIGHT = 0.95
#: When both names carry a patronymic, a patronymic aligned with a part that is not one counts this share of
#: its score: the patronymic of one is its father's name, the other's is its own patronymic, so the pairing
#: compares one's father with the other's given name (Tursunbaev Soyuzbekovna against Tursunbaev Azizbek
#: Atakozuevich: Soyuzbek and Azizbek share a skeleton).
ROLE_CONFLICT = 0.8
#: Below this part-by-part score, re-splitting the parts is not tried: no re-split gains that much.
#: A name in one part (Chinese written without ·) scores low part by part, so it gets a lower floor.
RESPLIT_FLOOR = 0.5
RESPLIT_FLOOR_ONE_PART = 0.4

_UNALIGNED = UNALIGNED_COST
_PATRONYMIC = Kind.PATRONYMIC
_lev = Levenshtein.normalized_similarity
#: Bound on each part's score cache (cleared when full), so memory stays bounded on long runs.
_SCORES_PER_PART = 4096


def part_similarity(a: Part, b: Part) -> float:
    """Similarity of two name parts in [0, 1]: the best over their forms (stems, variants)."""
    best = 0.0
    for ka, sa, wa in a.forms:
        for kb, sb, wb in b.forms:
            w = wa * wb
            if w <= best:
                continue
            if ka == kb:
                s = 1.0
            else:
                lk = _lev(ka, kb)
                # The skeleton can add at most SKELETON_SHARE * (1 - lk): skip it when even that cannot win
                # (parts with several forms, Chinese readings and Latin variants, compare many pairs).
                if ((1.0 - SKELETON_SHARE) * lk + SKELETON_SHARE) * w <= best:
                    continue
                s = (1.0 - SKELETON_SHARE) * lk + SKELETON_SHARE * _lev(sa, sb)
                if lk - 0.05 > s:
                    s = lk - 0.05
            s *= w
            if s > best:
                best = s
                if best >= 1.0:
                    return best
    return best


def _pair(a: Part, b: Part) -> float:
    s = a.scores.get(b.uid)
    if s is None:
        s = part_similarity(a, b)
        if len(a.scores) >= _SCORES_PER_PART:
            a.scores.clear()
        a.scores[b.uid] = s
    return s


@cache
def _assignments(n: int, m: int) -> tuple[tuple[int, ...], ...]:
    """All ways to give each of n parts its own partner among m ≥ n parts."""
    return tuple(permutations(range(m), n))


def _costs(parts: tuple[Part, ...]) -> list[float]:
    return [UNALIGNED_COST[p.kind] for p in parts]


def _patronymics(pa: tuple[Part, ...], pb: tuple[Part, ...]) -> tuple[bool, ...] | None:
    """Which parts of ``pb`` are patronymics, when both names carry one (else None: no role conflict)."""
    if not any(p.kind is _PATRONYMIC for p in pa):
        return None
    marks = tuple(p.kind is _PATRONYMIC for p in pb)
    return marks if any(marks) else None


def _role_checked(row: list[float], x: Part, marks: tuple[bool, ...] | None) -> list[float]:
    """``row`` (part ``x`` against each part of the other name) with :data:`ROLE_CONFLICT` applied."""
    if marks is None:
        return row
    own = x.kind is _PATRONYMIC
    return [s * ROLE_CONFLICT if m is not own else s for s, m in zip(row, marks)]


def align(pa: tuple[Part, ...], pb: tuple[Part, ...]) -> tuple[float, list[tuple[int | None, int | None, float]]]:
    """The best alignment of two names' parts: (score, [(index in a, index in b, part score)])."""
    swap = len(pa) > len(pb)
    if swap:
        pa, pb = pb, pa
    n, m = len(pa), len(pb)
    if n == 0:
        return 0.0, []
    marks = _patronymics(pa, pb)
    matrix = [_role_checked([_pair(x, y) for y in pb], x, marks) for x in pa]
    costs = _costs(pb)
    all_cost = sum(costs)
    best_score: float = -1.0
    best_assign: tuple[int, ...] = ()
    for assign in _assignments(n, m) if m <= 6 else (_greedy(matrix, m),):
        sims = [matrix[i][j] for i, j in enumerate(assign)]
        leftover = all_cost - sum(costs[j] for j in assign)
        score = min(sum(sims) / (n + leftover), min(sims) + WORST_PART_MARGIN)
        if score > best_score:
            best_score, best_assign = score, assign
    rows: list[tuple[int | None, int | None, float]] = [(i, j, matrix[i][j]) for i, j in enumerate(best_assign)]
    rows += [(None, j, 0.0) for j in range(m) if j not in best_assign]
    if swap:
        rows = [(j, i, s) for i, j, s in rows]
    return max(best_score, 0.0), rows


def _score(pa: tuple[Part, ...], pb: tuple[Part, ...]) -> float:
    """The score of :func:`align` without the alignment: the hot loop of linkage.

    Part-pair scores come from each part's cache. Most pairs of names are far apart: as soon as one part
    of the shorter name has no partner scoring within reach of :data:`RESPLIT_FLOOR`, the upper bound
    is returned instead of the exact score (both are far below :data:`MATCH_THRESHOLD`).
    """
    n, m = len(pa), len(pb)
    if n > m or (n == m and n and (pa[0].uid, pa[-1].uid) > (pb[0].uid, pb[-1].uid)):
        # A canonical order, so that the early-exit bound is the same for (a, b) and (b, a).
        pa, pb, n, m = pb, pa, m, n
    if n == 0:
        return 0.0
    margin = WORST_PART_MARGIN
    floor = (RESPLIT_FLOOR if n > 1 else RESPLIT_FLOOR_ONE_PART) - margin
    rows = []
    for x in pa:
        g = x.scores.get
        row = []
        top = 0.0
        for y in pb:
            s = g(y.uid)
            if s is None:
                s = _pair(x, y)
            row.append(s)
            if s > top:
                top = s
        if top < floor:
            return top + margin  # an upper bound: ROLE_CONFLICT only lowers a score
        rows.append(row)
    marks = _patronymics(pa, pb)
    if marks is not None:
        rows = [_role_checked(row, x, marks) for row, x in zip(rows, pa)]
    cost = _UNALIGNED
    costs = [cost[p.kind] for p in pb]
    all_cost = sum(costs)
    best = 0.0
    if n == 1:
        r0 = rows[0]
        for j in range(m):
            s = r0[j]
            score = s / (1.0 + all_cost - costs[j])
            if s + margin < score:
                score = s + margin
            if score > best:
                best = score
        return best
    if n == 2:
        r0, r1 = rows
        for j0 in range(m):
            s0 = r0[j0]
            c0 = 2.0 + all_cost - costs[j0]
            for j1 in range(m):
                if j1 == j0:
                    continue
                s1 = r1[j1]
                score = (s0 + s1) / (c0 - costs[j1])
                low = (s0 if s0 < s1 else s1) + margin
                if low < score:
                    score = low
                if score > best:
                    best = score
        return best
    for assign in _assignments(n, m) if m <= 6 else (_greedy(rows, m),):
        sims = [rows[i][j] for i, j in enumerate(assign)]
        score = sum(sims) / (n + all_cost - sum(costs[j] for j in assign))
        low = min(sims) + margin
        if low < score:
            score = low
        if score > best:
            best = score
    return best


def _greedy(matrix: list[list[float]], m: int) -> tuple[int, ...]:
    taken: set[int] = set()
    out: list[int] = []
    for row in matrix:
        pick = max((j for j in range(m) if j not in taken), key=lambda j: row[j])
        taken.add(pick)
        out.append(pick)
    return tuple(out)


def similarity(a: str | PreparedName, b: str | PreparedName) -> float:
    """How alike two names are, in [0, 1]; ``>= MATCH_THRESHOLD`` means the same name.

    Accepts raw strings in any script or names made by :func:`prepare` (fast: prepare once, compare many).

    >>> similarity("Ilham Tohti", "ئىلھام توختى") >= MATCH_THRESHOLD
    True
    """
    pa = a.parts if type(a) is PreparedName else _as_prepared(a).parts
    pb = b.parts if type(b) is PreparedName else _as_prepared(b).parts
    score = _score(pa, pb)
    if score < MATCH_THRESHOLD and score >= (RESPLIT_FLOOR if len(pa) > 1 and len(pb) > 1 else RESPLIT_FLOOR_ONE_PART):
        score = max(score, _resplit_score(pa, pb))
    return score


def _as_prepared(x: str | PreparedName) -> PreparedName:
    return x if isinstance(x, PreparedName) else prepare(x)


def _same_lengths(pa: tuple[Part, ...], pb: tuple[Part, ...]) -> bool:
    """Whether the parts' keys have about the same lengths (within one letter), matched longest to longest."""
    la = sorted(len(p.key) for p in pa)
    lb = sorted(len(p.key) for p in pb)
    return all(abs(x - y) <= 1 for x, y in zip(la, lb))


def _resplit_score(pa: tuple[Part, ...], pb: tuple[Part, ...]) -> float:
    """The score when the parts were split differently: two parts written as one, or the whole name."""
    score = 0.0
    if len(pa) != len(pb):
        longer, shorter = (pa, pb) if len(pa) > len(pb) else (pb, pa)
        for parts in merged_variants(longer):
            score = max(score, _score(parts, shorter))
    if len(pa) == len(pb) and _same_lengths(pa, pb):
        # Same number of parts of the same lengths: not a different split, and a whole-name comparison
        # would only dilute a difference in one part (Ehmetjan Qadir against Ehmetjan Qasim).
        return score
    # Keys only: a whole-name skeleton is too coarse (Rabiye Baktiyar and 热比亚·卡德尔 share one).
    joined = max((_lev(ka, kb) for ka in joined_keys(pa) for kb in joined_keys(pb)), default=0.0)
    # (joined_keys is cached per parts tuple; a name's parts tuple is made once by prepare.)
    return max(score, JOINED_WEIGHT * joined)

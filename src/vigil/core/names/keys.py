"""Blocking keys: short strings that two renderings of one name share, for a database index or Splink.

A key is built from the consonant skeletons of two parts of the name (order-free), so it is shared by the
renderings of one name in every script but by few other names: one part alone (Muhammad) would be shared
by a large share of all names and select nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain, combinations

from .fold import skeleton
from .prepared import PreparedName, prepare
from .structure import Kind

#: At most this many keys per name.
MAX_KEYS = 8


def _code(skel: str) -> str:
    """First and last consonant class of a part: Chinese transcription drops and adds consonants inside a
    part (Dilnigar = 迪妮格尔 di-ni-ge-r) more than at its ends."""
    return skel[0] + skel[-1] if len(skel) > 1 else skel


def _whole(name: PreparedName) -> list[str]:
    """Keys of the whole name as one string, parts in written and in sorted order, for names whose parts
    were split differently (阿蔓尼莎汗 = Amannisa Khan): first two and last consonant classes."""
    keys = [p.key for p in name.parts if p.kind in (Kind.NAME, Kind.FAMILY)]
    out: list[str] = []
    for order in (keys, sorted(keys)):
        skel = skeleton("".join(order))
        if len(skel) >= 3:
            out.append("w:" + skel[:2] + skel[-1])
    return out


def _codes(name: PreparedName) -> list[list[str]]:
    """Per part, its key codes, main form first, then other forms, then forms without k-class consonants."""
    codes = []
    for part in name.parts:
        if part.kind is Kind.HONORIFIC:
            continue
        # A surname's last consonant is that of -ov/-ev: its stem (second form) says more.
        forms = part.forms[::-1] if part.kind is Kind.FAMILY else part.forms
        part_codes: list[str] = []
        for drop_k in (False, True):
            for key, skel, _ in forms:
                # Chinese transcription drops h and gh (热依拉 Rahile): the variant keys go without them.
                code = _code(skel.replace("k", "") if drop_k else skel) or key[:1]
                if code not in part_codes:
                    part_codes.append(code)
        codes.append(part_codes)
    return codes


def _pair_key(a: str, b: str) -> str:
    return a + "." + b if a <= b else b + "." + a


def match_keys(text: str | PreparedName) -> list[str]:
    """Short keys for blocking: renderings of one name in any script share at least one.

    At most :data:`MAX_KEYS` keys, sorted; the main forms of the parts come first when there are more.
    A one-part name gives keys of that part alone (prefixed ``1:``); a name also gets keys of the whole
    name written as one (prefixed ``w:``).

    >>> sorted(set(match_keys("Ilham Tohti")) & set(match_keys("伊力哈木·土赫提")))
    ['lm.tt', 'w:lkt']
    """
    name = text if isinstance(text, PreparedName) else prepare(text)
    codes = _codes(name)
    whole = list(dict.fromkeys(_whole(name)))
    candidates: Iterable[str]
    if len(codes) == 1:
        candidates = ("1:" + c for c in codes[0])
    else:
        pairs = list(combinations(codes, 2))
        candidates = chain((_pair_key(ca[0], cb[0]) for ca, cb in pairs),
                           (_pair_key(a, b) for ca, cb in pairs for a in ca for b in cb))
    # The first distinct candidates, main forms first; the rest are never made (parts with many forms).
    limit = MAX_KEYS - len(whole)
    seen = set(whole)
    keys: list[str] = []
    for k in candidates:
        if len(keys) >= limit:
            break
        if k not in seen:
            seen.add(k)
            keys.append(k)
    return sorted(keys + whole)

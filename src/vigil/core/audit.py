"""The audit chain: each entry's hash covers its content and the previous entry's hash.

Changing an entry breaks its own hash; deleting one breaks the link of the entry after it;
inserting one breaks a link too. The head hash, exported from time to time, lets an outside
party confirm later that nothing before it changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

#: The ``prev_hash`` of the first entry.
GENESIS = "0" * 64


def canonical(content: dict[str, Any]) -> bytes:
    """Canonical JSON: sorted keys, no spaces, UTF-8; the same content always gives the same bytes."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def entry_hash(*, prev_hash: str, content: dict[str, Any]) -> str:
    """SHA-256 of the previous hash and the entry's canonical content."""
    h = hashlib.sha256()
    h.update(prev_hash.encode("ascii"))
    h.update(b"\n")
    h.update(canonical(content))
    return h.hexdigest()


@dataclass(frozen=True, slots=True)
class ChainEntry:
    id: int
    prev_hash: str
    hash: str
    content: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """The first entry at which the chain does not hold, and why.

    ``kind`` is ``changed`` (the entry's content no longer matches its hash), ``missing`` (the link
    fails and ids are skipped just before it: those entries were deleted) or ``link`` (the link fails
    with no gap: an entry was inserted, or the one before was changed and re-hashed).
    """

    entry_id: int
    reason: str
    kind: str = "link"


def _missing_ids(before: int | None, at: int) -> str:
    first = 1 if before is None else before + 1
    last = at - 1
    return f"entry #{first} missing" if first == last else f"entries #{first}-#{last} missing"


def verify_chain(entries: Iterable[ChainEntry]) -> tuple[int, ChainBreak | None]:
    """Walk the entries in order; return how many were checked and the first break, if any."""
    expected_prev = GENESIS
    previous_id: int | None = None
    count = 0
    for entry in entries:
        count += 1
        if entry.prev_hash != expected_prev:
            gap = entry.id - (previous_id if previous_id is not None else 0) > 1
            if gap:
                # Ids may skip after a rolled-back transaction, but then the link still holds: a gap
                # together with a broken link means the entries in the gap were deleted.
                return count, ChainBreak(
                    entry.id,
                    f"{_missing_ids(previous_id, entry.id)}: the entry's link to the one before it does not match (deleted)",
                    "missing",
                )
            return count, ChainBreak(
                entry.id,
                "its link to the previous entry does not match (an entry before it was removed, inserted or changed)",
            )
        if entry_hash(prev_hash=entry.prev_hash, content=entry.content) != entry.hash:
            return count, ChainBreak(entry.id, f"entry #{entry.id} changed: its content does not match its hash", "changed")
        expected_prev = entry.hash
        previous_id = entry.id
    return count, None


# ---------------------------------------------------------------------------------------------------
# Seals: the head of the chain, exported so that an outside party can later confirm nothing before it changed.

SEAL_FORMAT = "vigil-audit-seal/1"


@dataclass(frozen=True, slots=True)
class Seal:
    """The head of the audit chain at one moment: entry id, how many entries up to it, and its hash."""

    entry_id: int
    count: int
    head_hash: str
    sealed_at: str
    statement: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "format": SEAL_FORMAT,
            "entry_id": self.entry_id,
            "count": self.count,
            "head_hash": self.head_hash,
            "sealed_at": self.sealed_at,
            "statement": self.statement,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Seal:
        """Read a seal written by :meth:`to_json`; ValueError if it is not one."""
        if not isinstance(data, dict) or data.get("format") != SEAL_FORMAT:
            raise ValueError(f"not a vigil audit seal (format {SEAL_FORMAT!r} expected)")
        try:
            entry_id, count, head = int(data["entry_id"]), int(data["count"]), str(data["head_hash"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"incomplete seal: {exc}") from None
        if len(head) != 64 or any(c not in "0123456789abcdef" for c in head):
            raise ValueError("the seal's head_hash is not a SHA-256 in hex")
        return cls(entry_id, count, head, str(data.get("sealed_at", "")), str(data.get("statement", "")))


def seal_statement(*, entry_id: int, count: int, head_hash: str) -> str:
    return (
        f"The audit log of this vigil database, from its first entry to entry #{entry_id} ({count} entries), "
        f"hashes to {head_hash}. Each entry's hash is SHA-256 of the previous entry's hash, a newline, and the "
        "entry's canonical JSON; the first entry links to 64 zeros. Keep this file outside the system: "
        "`vigil audit verify --seal FILE` recomputes the chain from its first entry, ignoring the stored "
        "hashes, and fails if any entry up to the sealed one was changed, deleted or inserted."
    )


@dataclass(frozen=True, slots=True)
class SealCheck:
    ok: bool
    reason: str
    checked: int


def check_seal(entries: Iterable[ChainEntry], seal: Seal) -> SealCheck:
    """Recompute the chain from its start up to the sealed entry, from content alone, and compare with the seal.

    Stored hashes are not trusted: whoever changed an entry could have re-hashed every entry after
    it, but cannot make the recomputed head equal the sealed one. ``entries`` are in id order; those
    after the sealed entry are not read.
    """
    prev = GENESIS
    count = 0
    last_id: int | None = None
    first_stored_mismatch: int | None = None
    for entry in entries:
        if entry.id > seal.entry_id:
            break
        count += 1
        last_id = entry.id
        prev = entry_hash(prev_hash=prev, content=entry.content)
        if first_stored_mismatch is None and prev != entry.hash:
            first_stored_mismatch = entry.id
    if last_id != seal.entry_id:
        return SealCheck(False, f"the sealed entry #{seal.entry_id} is missing", count)
    if count != seal.count:
        what = "deleted" if count < seal.count else "inserted"
        return SealCheck(
            False, f"{count} entries up to #{seal.entry_id}, the seal counted {seal.count}: {abs(seal.count - count)} {what}", count,
        )
    if prev != seal.head_hash:
        where = f"; the first entry that differs from its stored hash is #{first_stored_mismatch}" if first_stored_mismatch else ""
        return SealCheck(
            False,
            f"the entries up to #{seal.entry_id} no longer hash to the sealed head: an entry at or before #{seal.entry_id} was changed{where}",
            count,
        )
    return SealCheck(True, f"the {count} entries up to #{seal.entry_id} hash to the sealed head", count)


def chain(prev_hash: str, contents: Iterable[dict[str, Any]]) -> Iterator[tuple[str, str]]:
    """Yield (prev_hash, hash) for consecutive new entries after ``prev_hash``."""
    for content in contents:
        h = entry_hash(prev_hash=prev_hash, content=content)
        yield prev_hash, h
        prev_hash = h

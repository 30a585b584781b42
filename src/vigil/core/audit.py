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
    """The first entry at which the chain does not hold, and why."""

    entry_id: int
    reason: str


def verify_chain(entries: Iterable[ChainEntry]) -> tuple[int, ChainBreak | None]:
    """Walk the entries in order; return how many were checked and the first break, if any."""
    expected_prev = GENESIS
    count = 0
    for entry in entries:
        count += 1
        if entry.prev_hash != expected_prev:
            return count, ChainBreak(
                entry.id,
                "its link to the previous entry does not match (an entry before it was removed, inserted or changed)",
            )
        if entry_hash(prev_hash=entry.prev_hash, content=entry.content) != entry.hash:
            return count, ChainBreak(entry.id, "its content does not match its hash (the entry was changed)")
        expected_prev = entry.hash
    return count, None


def chain(prev_hash: str, contents: Iterable[dict[str, Any]]) -> Iterator[tuple[str, str]]:
    """Yield (prev_hash, hash) for consecutive new entries after ``prev_hash``."""
    for content in contents:
        h = entry_hash(prev_hash=prev_hash, content=content)
        yield prev_hash, h
        prev_hash = h

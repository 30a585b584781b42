import json

import pytest

from vigil.core.audit import GENESIS, ChainEntry, Seal, chain, check_seal, entry_hash, verify_chain


def build(contents):
    return [ChainEntry(i + 1, prev, h, c) for i, ((prev, h), c) in enumerate(zip(chain(GENESIS, contents), contents))]


def test_intact_chain_verifies():
    """An untouched chain verifies."""
    entries = build([{"a": i} for i in range(5)])
    assert verify_chain(entries) == (5, None)


def test_changed_entry_is_named():
    """A changed entry is named as the first break."""
    entries = build([{"a": i} for i in range(5)])
    entries[2] = ChainEntry(3, entries[2].prev_hash, entries[2].hash, {"a": 99})
    _, broken = verify_chain(entries)
    assert broken is not None and broken.entry_id == 3 and "changed" in broken.reason


def test_removed_entry_is_detected_at_the_next():
    """Removing an entry breaks the link of the entry after it."""
    entries = build([{"a": i} for i in range(5)])
    del entries[1]
    _, broken = verify_chain(entries)
    assert broken is not None and broken.entry_id == 3


def test_removed_entry_is_named_missing():
    """Removing an entry names it: the next entry's link fails right after a gap in the ids."""
    entries = build([{"a": i} for i in range(5)])
    del entries[1]
    _, broken = verify_chain(entries)
    assert broken is not None and broken.kind == "missing" and "entry #2 missing" in broken.reason


def test_removed_first_entries_are_named():
    """Removing the first entries is caught: the first remaining entry does not link to the genesis hash."""
    entries = build([{"a": i} for i in range(5)])[2:]
    _, broken = verify_chain(entries)
    assert broken is not None and broken.entry_id == 3 and "entries #1-#2 missing" in broken.reason


def test_gap_without_a_broken_link_is_not_an_error():
    """Ids that skip (a rolled-back transaction on PostgreSQL) with intact links verify."""
    entries = [ChainEntry(e.id * 2, e.prev_hash, e.hash, e.content) for e in build([{"a": i} for i in range(4)])]
    assert verify_chain(entries) == (4, None)


def seal_of(entries, upto):
    sealed = [e for e in entries if e.id <= upto]
    return Seal(entry_id=upto, count=len(sealed), head_hash=sealed[-1].hash, sealed_at="2025-01-01T00:00:00+00:00")


def rechain(entries):
    """What an attacker with database access does: recompute every hash so the chain verifies again."""
    out, prev = [], GENESIS
    for e in entries:
        h = entry_hash(prev_hash=prev, content=e.content)
        out.append(ChainEntry(e.id, prev, h, e.content))
        prev = h
    return out


def test_seal_holds_for_an_untouched_chain_and_later_entries():
    """Entries added after the seal do not affect it."""
    entries = build([{"a": i} for i in range(8)])
    assert check_seal(entries, seal_of(entries, 5)).ok


def test_seal_catches_a_change_even_when_everything_is_rechained():
    """Change entry 3 and re-hash every entry after it: the chain verifies, the seal does not."""
    entries = build([{"a": i} for i in range(8)])
    seal = seal_of(entries, 5)
    forged = rechain([*entries[:2], ChainEntry(3, "", "", {"a": 99}), *entries[3:]])
    assert verify_chain(forged) == (8, None)
    result = check_seal(forged, seal)
    assert not result.ok and "#5" in result.reason and "changed" in result.reason


def test_seal_catches_a_deletion_even_when_rechained():
    """Delete entry 2 and re-chain: the seal reports the entry count is short."""
    entries = build([{"a": i} for i in range(8)])
    seal = seal_of(entries, 5)
    forged = rechain([e for e in entries if e.id != 2])
    result = check_seal(forged, seal)
    assert not result.ok and "1 deleted" in result.reason


def test_seal_names_the_entry_when_not_rechained():
    """A change without re-chaining is named by the seal check too."""
    entries = build([{"a": i} for i in range(8)])
    seal = seal_of(entries, 5)
    entries[2] = ChainEntry(3, entries[2].prev_hash, entries[2].hash, {"a": 99})
    assert "#3" in check_seal(entries, seal).reason


def test_missing_sealed_entry_is_reported():
    """If the sealed entry itself was deleted (or the log truncated), the check says so."""
    entries = build([{"a": i} for i in range(8)])
    seal = seal_of(entries, 5)
    assert "sealed entry #5 is missing" in check_seal(entries[:4], seal).reason


def test_seal_round_trips_through_json():
    """A seal written as JSON reads back the same; anything else is refused."""
    seal = Seal(7, 7, "a" * 64, "2025-01-01T00:00:00+00:00", "statement")
    assert Seal.from_json(json.loads(json.dumps(seal.to_json()))) == seal
    with pytest.raises(ValueError):
        Seal.from_json({"entry_id": 7})
    with pytest.raises(ValueError):
        Seal.from_json({**seal.to_json(), "head_hash": "not-a-hash"})

from vigil.core.audit import GENESIS, ChainEntry, chain, verify_chain


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

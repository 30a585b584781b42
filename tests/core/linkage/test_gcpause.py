"""The collector paused while linkage builds its records, and what it may skip after."""

import gc
from collections.abc import Iterator

import pytest

from vigil.core.linkage.gcpause import paused_gc


@pytest.fixture(autouse=True)
def _unfrozen() -> Iterator[None]:
    yield
    gc.unfreeze()


def test_the_collector_is_off_inside_and_on_after() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_what_the_block_built_is_not_walked_again_by_later_collections() -> None:
    with paused_gc():
        built = [[i] for i in range(100)]
    tracked = {id(o) for o in gc.get_objects()}
    assert id(built) not in tracked and id(built[0]) not in tracked
    gc.unfreeze()
    assert id(built) in {id(o) for o in gc.get_objects()}


def test_a_disabled_collector_stays_disabled() -> None:
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()

"""Pausing Python's cyclic garbage collector while linkage builds or clusters a million records.

The collector runs every few hundred new containers (tuples, lists, records) and now and then walks every
live object. With a million prepared records alive, each of those walks visits millions of objects: at a
million records they took about 8 s of what was then 45 s of ``prepare_file``. What these steps build holds no
reference cycles, so there is nothing for the collector to find until they are done; reference counting
still frees everything as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic collector inside the block; enable it again after, if it was enabled before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()

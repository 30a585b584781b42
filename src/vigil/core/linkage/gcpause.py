"""Pausing Python's cyclic garbage collector while linkage builds or clusters a million records.

The collector runs every few hundred new containers (tuples, lists, records) and now and then walks every
live object. With a million prepared records alive, each of those walks visits millions of objects: at a
million records they took about 8 s of what was then 45 s of ``prepare_file``. What these steps build holds no
reference cycles, so there is nothing for the collector to find until they are done; reference counting
still frees everything as usual.

When the block ends, what is alive is frozen (``gc.freeze``) before the collector is enabled again: otherwise
the first collections after it walk the million records again, and each full collection after that too
(on 243,818 records, 0.4 s when ``prepare_file`` ends and 2.5 s over the next three million allocations).
Frozen objects are still freed by reference counting; only a reference cycle among them would wait for
``gc.unfreeze``. Linkage runs (the CSV linker, benchmarks) are processes of their own; the web server does
not pause the collector.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic collector inside the block; after it, freeze what is alive and enable the collector
    again, if it was enabled before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()

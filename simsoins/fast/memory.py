"""Huge pages for the memory that needs them, and only for it.

numpy asks Linux for huge pages (``madvise(MADV_HUGEPAGE)``) for every array of 4 MB or
more.  That is a gain for the appointment books, read at random throughout a run: fewer
TLB misses in a large territory.  It is a loss for the large arrays written once after
the run (the event log, its KPIs): where the kernel compacts memory to find huge pages
on demand (``/sys/kernel/mm/transparent_hugepage/defrag`` = ``madvise``, a common
default), each first touch waits for it.  So the requests are switched off around a
replication and the results, and on for the slot store alone (figures in
``docs/performance.md``).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager


def _switch():
    """numpy's switch for its huge-page requests (private; None if this numpy has none)."""
    for name in ("numpy._core.multiarray", "numpy.core.multiarray"):
        try:
            return importlib.import_module(name)._set_madvise_hugepage
        except (ImportError, AttributeError):
            continue
    return None


_SET = _switch()


@contextmanager
def huge_pages(on: bool) -> Iterator[None]:
    """Within the block, numpy asks for huge pages for its large arrays (``on``) or not;
    the previous setting is restored after.  Also usable as a decorator."""
    if _SET is None:
        yield
        return
    previous = _SET(on)
    try:
        yield
    finally:
        _SET(previous)

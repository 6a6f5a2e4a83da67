"""What each fast structure promises: the operations the model uses and their contract.

Each contract has two implementations: the fast one the model runs on
(:mod:`simsoins.fast.slotstore`, :mod:`simsoins.fast.mtdraw`) and a plain one written for
obviousness (:mod:`simsoins.fast.reference`).  ``tests/test_fast_structures.py`` drives
both with the same random sequences of operations and requires the same answer at every
step, so the contract below is what the fast code is tested against.

The model holds the concrete fast classes (their bound methods are called per request);
these protocols are for readers, the reference and the tests, not a layer of dispatch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np


class SlotLists(Protocol):
    """Many sorted lists of slot start times (minutes), each with "earliest free slot from
    time *t*" look-ups and bookings — the slots of every appointment book of a replication.

    Built from an iterable of lists of times (any order; each list is sorted, repeated
    times are slots in parallel).  Slots are named by *global* indices, laid out list by
    list: list ``l``'s slots, in time order, are at ``first[l]`` … ``last[l] − 1``;
    ``times[last[l]]`` is +inf (its *sentinel*, the answer when no slot is free) and
    ``times[first[l] − 1]`` is −inf.  Every slot starts free; a booked slot stays booked.

    Each list remembers the slot its last look-up found (its *hint*; at first its first
    slot, or its sentinel if it has none), which :meth:`take` books by default."""

    @property
    def times(self) -> Sequence[Any]:
        """Start time (minutes, float) of each global index."""
        ...

    @property
    def first(self) -> Sequence[int]:
        """List → global index of its first slot."""
        ...

    @property
    def last(self) -> Sequence[int]:
        """List → global index of its sentinel (one past its last slot)."""
        ...

    def first_free(self, lst: int, t_from: float) -> int:
        """Global index of list ``lst``'s earliest free slot starting at or after
        ``t_from`` (among slots at the same time, the first in index order), or its
        sentinel's if none; it becomes the list's hint."""
        ...

    def first_time(self, lst: int, t_from: float) -> float:
        """``times[first_free(lst, t_from)]``: the start time of that slot (+inf if none)."""
        ...

    def hint(self, lst: int) -> int:
        """Global index of the slot list ``lst``'s last look-up found; after :meth:`take`
        books the hint, the next free slot after it (or the sentinel)."""
        ...

    def take(self, lst: int, i: int | None = None) -> float:
        """Book slot ``i`` of list ``lst`` (by default its hint) and return its start time.
        ``i`` must be one of the list's slots, not its sentinel; booking a booked slot
        raises RuntimeError."""
        ...

    def count_between(self, lst: int, t0: float, t1: float) -> int:
        """Slots of list ``lst``, booked or not, starting in [t0, t1) (t0 ≤ t1)."""
        ...

    def booked(self, lst: int) -> int:
        """Slots of list ``lst`` booked so far."""
        ...


class MtDraw(Protocol):
    """A resident's médecin traitant (MT), drawn from their commune's registrations.

    The registrations are three float arrays that the owner (:class:`~simsoins.sim.panels.Panels`)
    passes at construction and changes **in place** only: ``counts`` (communes ×
    clinicians: residents registered), ``population`` and ``no_mt`` (per commune:
    residents, residents without an MT).  After a change the owner says so: :meth:`added`
    before a count that was zero becomes positive, then :meth:`changed` (one commune) or
    :meth:`changed_all`.

    The draw with uniform ``u`` in commune ``c`` (population ``pop``, ``no_mt`` without
    MT, clinicians with a positive count in index order, their running sums ``cum``):
    −1 (no MT) if ``pop`` ≤ 0, nobody is registered, or ``x = u × pop`` < ``no_mt``;
    otherwise the clinician at ``bisect_right(cum, (x − no_mt) / max(pop − no_mt, 1e-12)
    × cum[-1])``, the last one if that is past the end — in exactly this float arithmetic."""

    #: commune → 1 if its registrations changed since the last :meth:`draw_day` (all 1 at
    #: first); one object, updated in place, so a caller may hold on to it
    dirty: bytearray

    def draw(self, c: int, u: float) -> int:
        """MT clinician of a resident of commune ``c`` given uniform ``u``; −1 = no MT."""
        ...

    def draw_day(self, commune: np.ndarray, u: np.ndarray) -> np.ndarray:
        """:meth:`draw` for each (commune, uniform) pair, bit for bit (int64); clears
        :attr:`dirty`."""
        ...

    def added(self, c: int, k: int) -> None:
        """The count of commune ``c`` × clinician ``k``, zero so far, is becoming positive."""
        ...

    def changed(self, c: int) -> None:
        """Commune ``c``'s counts or residents without MT have changed."""
        ...

    def changed_all(self) -> None:
        """Any commune's counts or residents without MT may have changed."""
        ...

    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """(communes, clinicians) int64 arrays of every pair whose count may be positive
        (at least those that are), in row-major order without repeats."""
        ...

"""The fast structures' contracts (:mod:`simsoins.fast.contracts`), written the obvious
way: correctness over speed.  The model never runs on these; the property tests
(``tests/test_fast_structures.py``) drive each beside its fast version and require the
same answer at every step, and a reader can learn here what the fast code computes.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from simsoins.fast.contracts import MtDraw, SlotLists

INF = float("inf")


class ReferenceSlotStore:
    """:class:`~simsoins.fast.contracts.SlotLists` with, per list, the sorted global
    indices of its free slots: a look-up is a bisection for the first slot at or after the
    time, then another for the first free index from there."""

    def __init__(self, lists=()) -> None:
        self.times: list[float] = []
        self.first: list[int] = []
        self.last: list[int] = []
        self._free: list[list[int]] = []  # list → its free slots' global indices, ascending
        self._hint: list[int] = []  # list → the slot its last look-up found
        for times in lists:
            ordered = sorted(float(t) for t in times)
            start = len(self.times) + 1
            self.times += [-INF, *ordered, INF]
            self.first.append(start)
            self.last.append(start + len(ordered))
            self._free.append(list(range(start, start + len(ordered))))
            self._hint.append(start)

    def first_free(self, lst: int, t_from: float) -> int:
        """Global index of list ``lst``'s earliest free slot at or after ``t_from``, or of
        its sentinel."""
        from_slot = bisect_left(self.times, t_from, self.first[lst], self.last[lst])
        free = self._free[lst]
        j = bisect_left(free, from_slot)
        self._hint[lst] = free[j] if j < len(free) else self.last[lst]
        return self._hint[lst]

    def first_time(self, lst: int, t_from: float) -> float:
        """Start of list ``lst``'s earliest free slot at or after ``t_from`` (+inf if none)."""
        return self.times[self.first_free(lst, t_from)]

    def hint(self, lst: int) -> int:
        """Global index of the slot list ``lst``'s last look-up found."""
        return self._hint[lst]

    def take(self, lst: int, i: int | None = None) -> float:
        """Book slot ``i`` of list ``lst`` (by default its hint); returns its start time."""
        if i is None:
            i = self._hint[lst]
        free = self._free[lst]
        j = bisect_left(free, i)
        if j == len(free) or free[j] != i:
            raise RuntimeError("slot already booked")
        del free[j]
        if self._hint[lst] == i:  # the hint moves on to the next free slot
            self._hint[lst] = free[j] if j < len(free) else self.last[lst]
        return self.times[i]

    def count_between(self, lst: int, t0: float, t1: float) -> int:
        """Slots of list ``lst``, booked or not, starting in [t0, t1)."""
        return sum(t0 <= self.times[i] < t1 for i in range(self.first[lst], self.last[lst]))

    def booked(self, lst: int) -> int:
        """Slots of list ``lst`` booked so far."""
        return self.last[lst] - self.first[lst] - len(self._free[lst])


class ReferenceMtDraw:
    """:class:`~simsoins.fast.contracts.MtDraw` reading the counts afresh at every draw:
    a scan along the commune's row for the first running sum above the value."""

    def __init__(self, counts: np.ndarray, population: np.ndarray, no_mt: np.ndarray) -> None:
        self.counts, self.population, self.no_mt = counts, population, no_mt
        self.dirty = bytearray(b"\x01") * counts.shape[0]

    def draw(self, c: int, u: float) -> int:
        """MT clinician of a resident of commune ``c`` given uniform ``u``; -1 = no MT."""
        registered = [int(k) for k in np.flatnonzero(self.counts[c] > 0)]
        pop, no_mt = float(self.population[c]), float(self.no_mt[c])
        x = u * pop
        if pop <= 0 or not registered or x < no_mt:
            return -1
        running, cum = 0.0, []
        for k in registered:
            running += float(self.counts[c, k])
            cum.append(running)
        v = (x - no_mt) / max(pop - no_mt, 1e-12) * cum[-1]
        for k, total in zip(registered, cum):
            if total > v:  # the first running sum above the value (bisect_right)
                return k
        return registered[-1]

    def draw_day(self, commune: np.ndarray, u: np.ndarray) -> np.ndarray:
        """:meth:`draw` for each (commune, uniform) pair; clears :attr:`dirty`."""
        self.dirty[:] = bytes(len(self.dirty))
        return np.array([self.draw(int(c), float(x)) for c, x in zip(commune, u)], dtype=np.int64)

    def added(self, c: int, k: int) -> None:
        """Nothing to do: every draw reads the counts afresh."""

    def changed(self, c: int) -> None:
        """Commune ``c`` changed: marked dirty."""
        self.dirty[c] = 1

    def changed_all(self) -> None:
        """Every commune marked dirty."""
        self.dirty[:] = b"\x01" * len(self.dirty)

    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """The pairs with a positive count, row by row."""
        rows, cols = np.nonzero(self.counts > 0)
        return rows.astype(np.int64), cols.astype(np.int64)


if TYPE_CHECKING:  # each reference keeps to its contract (checked by mypy)
    _slot_lists: type[SlotLists] = ReferenceSlotStore
    _mt_draw: type[MtDraw] = ReferenceMtDraw

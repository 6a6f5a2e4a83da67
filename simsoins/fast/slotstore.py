"""The slot store: every slot list of a replication in shared compact arrays, with
"earliest free slot from time *t*" look-ups that rarely leave one cache line.

The contract is :class:`simsoins.fast.contracts.SlotLists`; the plain version it is tested
against is :class:`simsoins.fast.reference.ReferenceSlotStore`.  The appointment books
(:mod:`simsoins.sim.book`) are views onto it.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from typing import TYPE_CHECKING

import numpy as np

from simsoins.fast.memory import huge_pages

if TYPE_CHECKING:
    from simsoins.fast.contracts import SlotLists


class SlotStore:
    """Every slot list of a replication, side by side in shared compact arrays
    (contract: :class:`~simsoins.fast.contracts.SlotLists`).

    List ``l`` holds its sorted slot start times (minutes) in ``times[first[l]:last[l]]``,
    between a ``-inf`` guard at ``first[l] - 1`` and a ``+inf`` sentinel at ``last[l]`` (so
    the hot look-up needs no bounds checks).  ``nxt`` is a union–find over the booked
    slots: ``nxt[i]`` leads, with path halving, to the first free slot at or after ``i``
    (a free slot and a sentinel lead to themselves), so a look-up never walks over the
    slots already filled one by one.

    Each list has a head of 32 bytes (half a cache line, in ``head_t``/``head_i``): a
    cursor, the time of the slot before it, the *hint* — the first free slot at or after
    the cursor, kept exact: :meth:`take` moves it on when it books it — and the hint's time.
    Every slot from the cursor up to the hint is taken, so a query for any time after the
    slot before the cursor and up to the hint's time has the hint for answer: most
    look-ups (a clinician booked for days ahead, asked again a little later) read the head
    and nothing else.  One set of arrays rather than an object per list: a large
    territory's books are read at random, and a look-up touches one line, not also a list
    object and two arrays."""

    __slots__ = ("_own", "first", "head_i", "head_t", "last", "nxt", "times")

    #: a move of the cursor searches this many slots near it first (most moves are a few)
    NEAR = 32

    def __init__(self, lists=()) -> None:
        parts, first, last = _layout(lists)
        size = last[-1] + 1 if last else 0  # every list's slots, guard and sentinel
        code = "i" if size < 2**31 else "q"
        # numpy-owned memory, read through memoryviews (as fast as arrays item by item), on
        # huge pages (memory.py): a large territory's books, read at random, then cost
        # fewer TLB misses
        with huge_pages(True):
            times = np.concatenate(parts) if parts else np.zeros(0)
            nxt = np.arange(size, dtype=np.int32 if code == "i" else np.int64)
        raw, head = _aligned_heads(len(first))
        self._own = (times, nxt, raw)  # the memory the views below read
        self.times = times.data
        self.nxt = nxt.data
        self.first = array(code, first)
        self.last = array(code, last)
        # list l: head_t[4l] = times[cursor − 1], head_t[4l + 1] = times[hint],
        # head_i[4l + 2] = cursor, head_i[4l + 3] = hint (each list starts at its first slot)
        self.head_t = head.data.cast("d")
        self.head_i = head.data.cast("q")
        at_first = np.asarray(first, dtype=np.int64)
        rows_t, rows_i = head.view(np.float64).reshape(-1, 4), head.view(np.int64).reshape(-1, 4)
        rows_t[:, 0], rows_t[:, 1] = times[at_first - 1], times[at_first]
        rows_i[:, 2] = rows_i[:, 3] = at_first

    def first_time(self, lst: int, t_from: float) -> float:
        """Start of list ``lst``'s earliest free slot at or after ``t_from`` (+inf if none);
        the slot is then the list's hint (:meth:`hint`)."""
        k = lst << 2
        head_t = self.head_t
        t_hint = head_t[k + 1]
        if head_t[k] < t_from <= t_hint:  # every slot from the cursor to the hint is taken
            return t_hint
        return self._seek(lst, t_from)

    def first_free(self, lst: int, t_from: float) -> int:
        """Index of list ``lst``'s earliest free slot starting at or after ``t_from``, or of
        its sentinel if there is none (its time is +inf)."""
        self.first_time(lst, t_from)
        return self.hint(lst)

    def hint(self, lst: int) -> int:
        """Index of the slot the last look-up of list ``lst`` found."""
        return self.head_i[(lst << 2) + 3]

    def _seek(self, lst: int, t_from: float) -> float:
        """Move list ``lst``'s cursor to its first slot at or after ``t_from`` and its hint
        to the first free one from there; returns the hint's time."""
        k = lst << 2
        head_t, head_i, times = self.head_t, self.head_i, self.times
        if t_from > head_t[k + 1]:  # after the hint (never the sentinel): forward, past it
            c = head_i[k + 3] + 1
            hi = self.last[lst]
            near = c + self.NEAR if c + self.NEAR < hi else hi  # (min() would cost a call)
            c = bisect_left(times, t_from, c, near)
            if c == near:
                c = bisect_left(times, t_from, c, hi)
        else:  # at or before the slot before the cursor (never at the first): back
            c = head_i[k + 2] - 1
            lo = self.first[lst]
            near = c - self.NEAR if c - self.NEAR > lo else lo
            c = bisect_left(times, t_from, near, c)
            if c == near:
                c = bisect_left(times, t_from, lo, c)
        head_t[k], head_i[k + 2] = times[c - 1], c
        nxt = self.nxt
        i = c
        while nxt[i] != i:  # the next free slot, halving the path
            nxt[i] = nxt[nxt[i]]
            i = nxt[i]
        head_i[k + 3] = i
        head_t[k + 1] = t = times[i]
        return t

    def take(self, lst: int, i: int | None = None) -> float:
        """Book slot ``i`` of list ``lst`` (must be free, and of that list: the booking keeps
        the list's head up to date), by default the slot its last look-up found (its hint);
        returns its start time."""
        k = (lst << 2) + 3
        head_i = self.head_i
        if i is None:
            i = head_i[k]
        nxt = self.nxt
        if nxt[i] != i:
            raise RuntimeError("slot already booked")
        nxt[i] = j = i + 1
        if head_i[k] == i:  # the list's hint: on to the next free slot (_seek's walk, inline:
            while nxt[j] != j:  # every booking comes here)
                nxt[j] = nxt[nxt[j]]
                j = nxt[j]
            head_i[k] = j
            self.head_t[k - 2] = self.times[j]
        return self.times[i]

    def count_between(self, lst: int, t0: float, t1: float) -> int:
        """Slots of list ``lst`` (booked or not) starting in [t0, t1)."""
        lo, hi = self.first[lst], self.last[lst]
        return bisect_left(self.times, t1, lo, hi) - bisect_left(self.times, t0, lo, hi)

    def booked(self, lst: int) -> int:
        """Slots of list ``lst`` booked so far."""
        lo, hi = self.first[lst], self.last[lst]
        nxt = np.asarray(self.nxt[lo:hi])  # a booked slot leads on, a free one to itself
        return int(np.count_nonzero(nxt != np.arange(lo, hi)))


def _layout(lists) -> tuple[list[np.ndarray], list[int], list[int]]:
    """Each list's sorted times between its guard and its sentinel (the parts of the
    store's ``times``), and the global indices of its first slot and of its sentinel."""
    parts, first, last, at = [], [], [], 0
    for times in lists:
        t = np.sort(np.asarray(times, dtype=float))
        parts.append(np.concatenate(([-np.inf], t, [np.inf])))
        first.append(at + 1)
        last.append(at + 1 + len(t))
        at += len(t) + 2
    return parts, first, last


def _aligned_heads(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Zeroed room for ``n`` heads of 32 bytes, aligned on 64 so that none straddles two
    cache lines: (the allocation to keep alive, the heads' bytes)."""
    raw = np.zeros(32 * n + 64, dtype=np.uint8)
    skip = -raw.ctypes.data % 64
    return raw, raw[skip:skip + 32 * n]


if TYPE_CHECKING:  # the store keeps to its contract (checked by mypy)
    _slot_lists: type[SlotLists] = SlotStore

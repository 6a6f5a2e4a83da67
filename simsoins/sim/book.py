"""Appointment books (« agendas de rendez-vous »), not queues.

A clinician's book is the list of dated slots generated from the weekly schedule, minus
leave.  Slots come in three kinds:

- *open* slots, bookable by anyone the clinician accepts, up to the booking horizon;
- *held* slots (« créneaux réservés au jour même »), kept back for acute requests of the
  practice's own patients and released to anyone a few hours before they start;
- *pool* slots (« créneaux de soins non programmés de la CPTS »), put into a CPTS's shared
  unscheduled-care pool when the CPTS lever is on.

A request takes the earliest free slot it accepts.  Finding it costs a binary search plus
a near-constant "next free slot" look-up (a union–find over taken slots), so the book
never scans the slots it has already filled.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left

import numpy as np

from simsoins.fast.memory import huge_pages
from simsoins.sim.clock import MIN_PER_DAY, MIN_PER_WEEK


class SlotStore:
    """Every slot list of a replication, side by side in shared compact arrays.

    List ``l`` holds its sorted slot start times (minutes) in ``times[first[l]:last[l]]``,
    between a ``-inf`` guard at ``first[l] - 1`` and a ``+inf`` sentinel at ``last[l]`` (so
    the hot look-up needs no bounds checks).  ``nxt`` is the next-free-slot structure.
    Indices are global: :meth:`first_free` returns an index into ``times`` (:meth:`first_time`
    the slot's time, :meth:`hint` then its index), and ``take`` books it.

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
        parts, first, last, at = [], [], [], 0
        for times in lists:
            t = np.sort(np.asarray(times, dtype=float))
            parts.append(np.concatenate(([-np.inf], t, [np.inf])))
            first.append(at + 1)
            last.append(at + 1 + len(t))
            at += len(t) + 2
        code = "i" if at < 2**31 else "q"
        # numpy-owned memory, read through memoryviews (as fast as arrays item by item), on
        # huge pages (memory.py): a large territory's books, read at random, then cost far
        # fewer TLB misses (4 × Loir-et-Cher: 3 % faster)
        with huge_pages(True):
            times = np.concatenate(parts) if parts else np.zeros(0)
            nxt = np.arange(at, dtype=np.int32 if code == "i" else np.int64)
        # the heads, 32 bytes per list, aligned on 64 so that none straddles two cache lines
        raw = np.zeros(32 * len(first) + 64, dtype=np.uint8)
        skip = -raw.ctypes.data % 64
        head = raw[skip:skip + 32 * len(first)]
        self._own = (times, nxt, raw)
        self.times = memoryview(times)
        # nxt[i] leads (with path halving) to the first free slot ≥ i; a sentinel to itself
        self.nxt = memoryview(nxt)
        self.first = array(code, first)
        self.last = array(code, last)
        # list l: head_t[4l] = times[cursor − 1], head_t[4l + 1] = times[hint],
        # head_i[4l + 2] = cursor, head_i[4l + 3] = hint (each list starts at its first slot)
        self.head_t = memoryview(head).cast("d")
        self.head_i = memoryview(head).cast("q")
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
        nxt = self._own[1][lo:hi]
        return int(np.count_nonzero(nxt != np.arange(lo, hi)))


class SlotList:
    """One list of a :class:`SlotStore`, with its own indices (0 … n − 1; ``n`` = none):
    for tests and the code off the hot path.  ``SlotList(times)`` makes a store of one."""

    __slots__ = ("base", "lst", "n", "store")

    def __init__(self, times=(), *, store: SlotStore | None = None, lst: int = 0) -> None:
        if store is None:
            store = SlotStore([times])
        self.store, self.lst = store, lst
        self.base = store.first[lst]
        self.n = store.last[lst] - self.base

    def __len__(self) -> int:
        return self.n

    @property
    def times(self) -> memoryview:
        """The slot start times, then +inf."""
        return self.store.times[self.base:self.base + self.n + 1]

    def first_free(self, t_from: float) -> int:
        """Index of the earliest free slot starting at or after ``t_from``, or ``n``."""
        return self.store.first_free(self.lst, t_from) - self.base

    def earliest(self, t_from: float) -> int:
        """Index of the earliest free slot starting at or after ``t_from``, or -1."""
        i = self.first_free(t_from)
        return i if i < self.n else -1

    def earliest_time(self, t_from: float) -> float:
        """Start of the earliest free slot at or after ``t_from`` (``inf`` if none)."""
        return self.store.first_time(self.lst, t_from)

    def take(self, i: int) -> float:
        """Book slot ``i`` (must be free); returns its start time."""
        return self.store.take(self.lst, self.base + i)

    def count_between(self, t0: float, t1: float) -> int:
        return self.store.count_between(self.lst, t0, t1)

    @property
    def n_booked(self) -> int:
        return self.store.booked(self.lst)


class AppointmentBook:
    """One clinician's (or one site's) book: open, held, CPTS pool and SAS slot lists."""

    __slots__ = ("held", "open", "pool", "reserved", "sas")

    def __init__(self, open_list: SlotList, held: SlotList, pool: SlotList, sas: SlotList) -> None:
        self.open, self.held, self.pool, self.sas = open_list, held, pool, sas
        self.reserved = bool(pool.n or sas.n)  # any CPTS or SAS slot

    @classmethod
    def of(cls, open_times, held_times=(), pool_times=(), sas_times=()) -> AppointmentBook:
        """A book in a store of its own (tests, small uses)."""
        store = SlotStore([open_times, held_times, pool_times, sas_times])
        return cls(*(SlotList(store=store, lst=k) for k in range(4)))

    def lists(self) -> tuple[SlotList, ...]:
        return self.open, self.held, self.pool, self.sas

    def offered_between(self, t0: float, t1: float) -> int:
        return sum(sl.count_between(t0, t1) for sl in self.lists())

    def booked(self) -> int:
        return sum(sl.n_booked for sl in self.lists())


def session_slots(sessions, slot_minutes: int, n_days: int, parallel: int = 1) -> np.ndarray:
    """Start times of every slot of a weekly schedule over ``n_days`` days."""
    week = []
    for s in sessions:
        week.extend(s.weekday * MIN_PER_DAY + np.arange(s.start, s.end - slot_minutes + 1, slot_minutes))
    week = np.repeat(np.sort(np.asarray(week, dtype=np.int64)), parallel)
    n_weeks = -(-n_days // 7)
    times = (week[None, :] + MIN_PER_WEEK * np.arange(n_weeks)[:, None]).ravel()
    return times[times < n_days * MIN_PER_DAY]


def leave_days(rng: np.random.Generator, leave_weeks: float, n_days: int, start_weekday_of_july: int) -> np.ndarray:
    """Days on leave for one clinician (« congés »): half the weeks in one summer block,
    the rest as single weeks spread over the year (assumption on *when*; *how much* is
    DREES Panel 4: 6.2 weeks a year)."""
    n_weeks_total = -(-n_days // 7)
    weeks = int(round(leave_weeks * n_days / 365))
    if weeks <= 0:
        return np.zeros(0, dtype=np.int64)
    summer = min(weeks - weeks // 2, n_weeks_total)
    first = start_weekday_of_july + int(rng.integers(0, 6))
    chosen = {(first + k) % n_weeks_total for k in range(summer)}
    others = [w for w in range(n_weeks_total) if w not in chosen]
    extra = min(weeks - summer, len(others))
    chosen.update(int(w) for w in rng.choice(others, size=extra, replace=False))
    days = (np.array(sorted(chosen))[:, None] * 7 + np.arange(7)[None, :]).ravel()
    return days[days < n_days]


def _every(n: int, share: float) -> np.ndarray:
    """Boolean mask picking a ``share`` of ``n`` items, evenly spread (every k-th)."""
    idx = np.arange(n)
    return np.floor((idx + 1) * share) != np.floor(idx * share)


def split_slots(times: np.ndarray, held_share: float, pool_share: float, sas_share: float = 0.0):
    """Split a clinician's slots into open, held, pool and SAS slots, spreading the
    reserved ones evenly through each day (every k-th slot) so every part of the day has
    some. Shares are of all slots; they must sum to at most 1."""
    n = len(times)
    kind = np.zeros(n, dtype=np.int8)  # 0 open, 1 held, 2 pool, 3 sas
    left = 1.0
    for code, share in ((1, held_share), (2, pool_share), (3, sas_share)):
        if share <= 0:
            continue
        free = np.flatnonzero(kind == 0)
        kind[free[_every(len(free), min(1.0, share / max(left, 1e-12)))]] = code
        left -= share
    return tuple(times[kind == code] for code in range(4))


def clinician_slots(sessions, slot_minutes: int, n_days: int, start_day: float = 0.0, end_day: float = float("inf"),
                    gain_by_day: np.ndarray | None = None) -> np.ndarray:
    """A clinician's slot start times from their weekly sessions, between ``start_day`` and
    ``end_day``, with ``gain_by_day[d]`` more (or fewer, if negative) slots per session on
    day ``d`` — an assistant's extra consultations or a supervisor's lost ones — spread
    evenly through the session, the fractions carried from one session to the next."""
    times = session_slots(sessions, slot_minutes, n_days).astype(float)
    lo, hi = max(start_day, 0.0) * MIN_PER_DAY, min(end_day, n_days) * MIN_PER_DAY
    times = times[(times >= lo) & (times < hi)]
    if gain_by_day is None or not np.any(gain_by_day):
        return times
    out = []
    carry = 0.0
    by_day = {}
    for s in sessions:
        by_day.setdefault(s.weekday, []).append(s)
    for d in range(int(np.ceil(max(start_day, 0))), int(min(np.ceil(end_day), n_days))):
        for s in by_day.get(d % 7, ()):
            n = (s.end - s.start) // slot_minutes
            carry += n * (1.0 + gain_by_day[d])
            k = int(np.floor(carry + 1e-9))
            carry -= k
            if k > 0:
                out.append(d * MIN_PER_DAY + s.start + (s.end - s.start) * np.arange(k) / k)
    return np.concatenate(out) if out else np.zeros(0)

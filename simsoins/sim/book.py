"""Appointment books (« agendas de rendez-vous »), not queues.

A clinician's book is the list of dated slots generated from the weekly schedule, minus
leave.  Slots come in four kinds:

- *open* slots, bookable by anyone the clinician accepts, up to the booking horizon;
- *held* slots (« créneaux réservés au jour même »), kept back for acute requests of the
  practice's own patients and released to anyone a few hours before they start;
- *pool* slots (« créneaux de soins non programmés de la CPTS »), put into a CPTS's shared
  unscheduled-care pool when the CPTS lever is on;
- *SAS* slots, kept for the patients the « service d'accès aux soins » directs to the
  clinician when the SAS lever is on.

A request takes the earliest free slot it accepts.  Every slot list of a replication
lives in one :class:`~simsoins.fast.slotstore.SlotStore` (its contract:
:class:`~simsoins.fast.contracts.SlotLists`), which finds that slot without scanning the
slots already filled; a book is a view onto four of its lists.
"""

from __future__ import annotations

import numpy as np

from simsoins.fast.slotstore import SlotStore
from simsoins.vocabulary import MIN_PER_DAY, MIN_PER_WEEK


class SlotList:
    """One slot list of a book — list ``lst`` of a :class:`SlotStore` — with its own slot
    indices (0 … n − 1 in time order; ``n`` = none): for tests and the code off the hot
    path (the router calls the store directly).  ``SlotList(times)`` makes a store of one."""

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
        """Slots, booked or not, starting in [t0, t1) (minutes)."""
        return self.store.count_between(self.lst, t0, t1)

    @property
    def n_booked(self) -> int:
        """Slots booked so far."""
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
        """The open, held, CPTS pool and SAS lists, in that order."""
        return self.open, self.held, self.pool, self.sas

    def offered_between(self, t0: float, t1: float) -> int:
        """Slots of every kind, booked or not, starting in [t0, t1) (minutes)."""
        return sum(sl.count_between(t0, t1) for sl in self.lists())

    def booked(self) -> int:
        """Slots of every kind booked so far."""
        return sum(sl.n_booked for sl in self.lists())


def session_slots(sessions, slot_minutes: int, n_days: int, parallel: int = 1) -> np.ndarray:
    """Start times of every slot of a weekly schedule over ``n_days`` days."""
    starts: list[int] = []
    for s in sessions:
        starts.extend(s.weekday * MIN_PER_DAY + np.arange(s.start, s.end - slot_minutes + 1, slot_minutes))
    week = np.repeat(np.sort(np.asarray(starts, dtype=np.int64)), parallel)
    n_weeks = -(-n_days // 7)
    times = (week[None, :] + MIN_PER_WEEK * np.arange(n_weeks)[:, None]).ravel()
    return times[times < n_days * MIN_PER_DAY]


#: A leave year: 52 whole weeks.
LEAVE_YEAR_DAYS = 52 * 7


def leave_days(rng: np.random.Generator, leave_weeks: float, n_days: int, start_weekday_of_july: int) -> np.ndarray:
    """Days on leave for one clinician (« congés »), year after year: in each leave year
    (:func:`leave_years`), half its weeks in one summer block, the rest as single weeks
    spread over it (ASSUMPTION on *when*; *how much*, ``leave_weeks`` a year, is the
    caller's: DREES Panel 4, 6.2 weeks, CALIBRATION §2).  ``start_weekday_of_july``: the
    week (from the first day) in which July starts."""
    years = leave_years(n_days)
    # a short last leave year without July (a long run's tail) has no summer block
    parts = [first + _leave_in(rng, leave_weeks, last - first, start_weekday_of_july,
                               summer=len(years) == 1 or start_weekday_of_july < (last - first) // 7)
             for first, last in years]
    return np.concatenate(parts)


def leave_years(n_days: int) -> list[tuple[int, int]]:
    """(first day, end day) of each leave year of a calendar of ``n_days``: 52 whole weeks
    each, and what is left after the last as a shorter one (its leave in proportion).  A
    calendar of under two leave years (a one-year run with its warm-up and its books' tail)
    is one leave year.  Summer falls a day earlier each year (ASSUMPTION: a week of leave
    starts on the run's first weekday)."""
    whole = n_days // LEAVE_YEAR_DAYS
    if whole <= 1:
        return [(0, n_days)]
    years = [(k * LEAVE_YEAR_DAYS, (k + 1) * LEAVE_YEAR_DAYS) for k in range(whole)]
    return years + ([(whole * LEAVE_YEAR_DAYS, n_days)] if n_days > whole * LEAVE_YEAR_DAYS else [])


def _leave_in(rng: np.random.Generator, leave_weeks: float, n_days: int, start_weekday_of_july: int,
              summer: bool = True) -> np.ndarray:
    """The days on leave in one leave year of ``n_days``, counted from its first day; with
    ``summer`` false, every week spread (no summer block)."""
    n_weeks_total = -(-n_days // 7)
    weeks = round(leave_weeks * n_days / 365)
    if weeks <= 0:
        return np.zeros(0, dtype=np.int64)
    summer_weeks = min(weeks - weeks // 2, n_weeks_total) if summer else 0
    first = start_weekday_of_july + int(rng.integers(0, 6))
    chosen = {(first + k) % n_weeks_total for k in range(summer_weeks)}
    others = [w for w in range(n_weeks_total) if w not in chosen]
    extra = min(weeks - summer_weeks, len(others))
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
    by_day: dict[int, list] = {}
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

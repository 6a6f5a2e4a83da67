"""The médecin traitant draw by commune, fast: per-commune tables for one request at a
time, and running sums over every commune at once for a day's requests.

The contract is :class:`simsoins.fast.contracts.MtDraw`; the plain version it is tested
against is :class:`simsoins.fast.reference.ReferenceMtDraw`.  The registrations model
(:mod:`simsoins.sim.panels`) owns the counts and tells this structure when they change.

Three ways to the same answer, bit for bit:

- :meth:`IndexedMtDraw.draw`, one request: a binary search in its commune's running sums,
  kept per commune until the commune changes;
- :meth:`IndexedMtDraw.draw_day`, a day's requests at once, while every count is a whole
  number: one ``searchsorted`` over (commune, running sum) keys;
- the same for counts that are not whole numbers: a binary search a step at a time for
  every request at once.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from simsoins.fast.contracts import MtDraw

#: one commune's table for :meth:`IndexedMtDraw.draw`, a plain tuple (unpacked once per
#: draw): (clinicians with a positive count, running sums of their counts, population,
#: no-MT threshold, population with an MT, total registered)
CommuneTable = tuple[array, array, float, float, float, float]


class Support:
    """Per commune, the clinicians whose count may be positive (sorted), and those added
    since: look-ups and the weekly losses read these, not whole rows of a matrix that a
    large territory fills only near the diagonal.  A count that falls to zero stays in."""

    __slots__ = ("_added", "_rows", "flat")

    def __init__(self, counts: np.ndarray) -> None:
        self._rows = [np.flatnonzero(row) for row in counts]
        self._added: dict[int, set[int]] = {}
        #: every commune's support as (commune, clinician) arrays, row by row; None = to redo
        self.flat: tuple[np.ndarray, np.ndarray] | None = None

    def add(self, c: int, k: int) -> None:
        """Clinician ``k`` may now have patients in commune ``c``."""
        self._added.setdefault(int(c), set()).add(int(k))

    def row(self, c: int) -> np.ndarray:
        """Commune ``c``'s clinicians whose count may be positive, sorted."""
        added = self._added.pop(c, None)
        if added:
            self._rows[c] = np.union1d(self._rows[c], np.fromiter(added, dtype=np.int64))
            self.flat = None
        return self._rows[c]

    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """Every commune's support as (commune, clinician) arrays, row by row."""
        if self.flat is None or self._added:
            support = [self.row(c) for c in range(len(self._rows))]
            rows = np.repeat(np.arange(len(support)), [len(x) for x in support])
            cols = np.concatenate(support).astype(np.int64) if support else np.zeros(0, dtype=np.int64)
            self.flat = (rows, cols)
        return self.flat


@dataclass
class RunningSums:
    """Every commune's running sums of registrations over its support (``of``, as
    :meth:`Support.pairs` gave it): commune c's clinicians are at [starts[c], ends[c]),
    with the running sum of their registrations in ``cum``, and ``last[c]`` the position
    of the last one with any (-1: none).  While every count is a whole number, ``keys`` =
    commune × ``scale`` + running sum (exact in float64; ``scale`` is a power of two above
    every total), sorted as the pairs are; else None."""

    of: tuple[np.ndarray, np.ndarray]
    starts: np.ndarray
    ends: np.ndarray
    cum: np.ndarray
    last: np.ndarray
    keys: np.ndarray | None = None
    scale: float = 0.0

    @classmethod
    def laid_out(cls, of: tuple[np.ndarray, np.ndarray], n_communes: int) -> RunningSums:
        """Room for the sums over the pairs ``of`` (sorted by commune); values to fill."""
        rows, cols = of
        ends = np.searchsorted(rows, np.arange(n_communes), side="right")
        starts = np.concatenate(([0], ends[:-1])).astype(np.int64)
        return cls(of=of, starts=starts, ends=ends, cum=np.zeros(len(cols)),
                   last=np.full(n_communes, -1, dtype=np.int64))


class IndexedMtDraw:
    """A resident's MT drawn from their commune's registrations (contract:
    :class:`~simsoins.fast.contracts.MtDraw`), from tables kept between draws and redone
    only for the communes whose registrations changed."""

    def __init__(self, counts: np.ndarray, population: np.ndarray, no_mt: np.ndarray) -> None:
        self.counts, self.population, self.no_mt = counts, population, no_mt
        n = counts.shape[0]
        self.support = Support(counts)
        self._tables: list[CommuneTable | None] = [None] * n  # by commune; None = to rebuild
        self._sums: RunningSums | None = None  # draw_day's, over support.flat
        self._stale: set[int] | None = None  # communes whose running sums are out of date; None = all
        self.dirty = bytearray(b"\x01") * n

    # -- the owner's notices ------------------------------------------------------------

    def added(self, c: int, k: int) -> None:
        """Clinician ``k``'s count in commune ``c``, zero so far, is becoming positive."""
        self.support.add(c, k)

    def changed(self, c: int) -> None:
        """Commune ``c``'s registrations changed: its table and running sums are redone
        when next needed."""
        self._tables[c] = None
        self.dirty[c] = 1
        if self._stale is not None:
            self._stale.add(c)

    def changed_all(self) -> None:
        """Any commune's registrations may have changed: every table and running sum is
        out of date."""
        self._tables = [None] * len(self._tables)
        self.dirty[:] = b"\x01" * len(self.dirty)
        self._stale = None

    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """Every (commune, clinician) pair whose count may be positive, row by row."""
        return self.support.pairs()

    # -- one request ----------------------------------------------------------------------

    def draw(self, c: int, u: float) -> int:
        """MT clinician of a resident of commune ``c`` given uniform ``u``; -1 = no MT."""
        idx, cum, pop, no_mt, span, total = self._tables[c] or self._table(c)
        x = u * pop
        if x < no_mt:
            return -1
        k = bisect_right(cum, (x - no_mt) / span * total)
        return idx[k] if k < len(idx) else idx[-1]

    def _table(self, c: int) -> CommuneTable:
        """Commune ``c``'s table, made again: a uniform × population below the threshold
        means no MT; above it, (x − threshold) / span × total is looked up in the running
        sums."""
        at = self.support.row(c)
        counts = self.counts[c, at]
        some = counts > 0
        idx = at[some]
        cum = array("d", np.cumsum(counts[some]).tobytes())  # compact: looked up at random in a large territory
        pop, no_mt = float(self.population[c]), float(self.no_mt[c])
        # a uniform × population below the threshold means "no MT" (always, if nobody is registered)
        threshold = no_mt if pop > 0 and len(idx) else float("inf")
        table = (array("q", idx.astype(np.int64).tobytes()), cum, pop, threshold, max(pop - no_mt, 1e-12),
                 cum[-1] if cum else 0.0)
        self._tables[c] = table
        return table

    # -- a day's requests at once ---------------------------------------------------------

    def draw_day(self, commune: np.ndarray, u: np.ndarray) -> np.ndarray:
        """:meth:`draw` for many requests at once, from the registrations as they are now:
        the same MT, bit for bit, for each (commune, uniform) pair; :attr:`dirty` is
        cleared.

        One pass of array operations for the day's requests, instead of a look-up per
        request in per-commune tables read at random: in a large territory, the tables are
        no longer in the processor's cache, and a loop over arrays overlaps the misses that
        a request at a time pays one after the other."""
        sums = self._running_sums()
        self.dirty[:] = bytes(len(self.dirty))
        if not len(sums.cum):  # nobody registered anywhere
            return np.full(len(commune), -1, dtype=np.int64)
        pop, no_mt = self.population[commune], self.no_mt[commune]
        at = sums.last[commune]  # -1: nobody registered
        threshold = np.where((pop > 0) & (at >= 0), no_mt, np.inf)
        x = u * pop
        with np.errstate(all="ignore"):  # requests with no MT: their value is not used
            v = (x - threshold) / np.maximum(pop - no_mt, 1e-12) * sums.cum[at]
        # bisect_right in each commune's running sums; a clinician with no registration adds
        # nothing to the sum, so the search steps over them and lands where draw's search
        # over the registered ones lands
        if sums.keys is not None:
            found = _search_keys(sums.keys, sums.scale, commune, v)
        else:
            found = _search_steps(sums, commune, v)
        end = sums.ends[commune]
        mt = sums.of[1][np.where(found < end, found, at)]
        return np.where(x < threshold, -1, mt).astype(np.int64)

    def _running_sums(self) -> RunningSums:
        """The running sums over every commune's support, brought up to date."""
        pairs = self.support.pairs()
        sums = self._sums
        if sums is None or sums.of is not pairs:
            sums = self._sums = RunningSums.laid_out(pairs, len(self._tables))
            self._stale = None
        if self._stale is None:
            self._stale = set() if _redo_all(sums, self.counts) else set(range(len(self._tables)))
        for c in self._stale:
            _redo_commune(sums, self.counts, c)
        self._stale = set()
        return sums


def _search_keys(keys: np.ndarray, scale: float, commune: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Position of the first running sum above ``v`` in each commune's, for whole-number
    sums: one search over the (commune, sum) keys (:class:`RunningSums`).  A sum is at
    most the value when it is at most the value's floor, and v ≤ the commune's total <
    scale."""
    with np.errstate(invalid="ignore"):
        return np.searchsorted(keys, commune * scale + np.floor(v), side="right")


def _search_steps(sums: RunningSums, commune: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Position of the first running sum above ``v`` in each commune's: a binary search, a
    step at a time for every request at once."""
    starts, ends, cum = sums.starts, sums.ends, sums.cum
    lo, hi, top = starts[commune], ends[commune], len(cum) - 1
    for _ in range(int((ends - starts).max()).bit_length()):
        mid = (lo + hi) >> 1
        on = lo < hi
        go = cum[np.minimum(mid, top)] <= v
        lo = np.where(on & go, mid + 1, lo)
        hi = np.where(on & ~go, mid, hi)
    return lo


def _redo_all(sums: RunningSums, counts: np.ndarray) -> bool:
    """Every commune's running sums at once, with their keys, if that is exact (whole
    numbers); returns whether it was (if not, nothing is done)."""
    rows, cols = sums.of
    starts, ends = sums.starts, sums.ends
    vals = counts.ravel()[rows * counts.shape[1] + cols]
    cs = np.cumsum(vals)
    sums.keys = None
    if len(cs) and not (np.all(vals == np.floor(vals)) and cs[-1] < 2.0**53):
        return False
    # whole numbers: the running sum from the start, less what came before the commune,
    # is the commune's own running sum exactly
    sums.cum[:] = cs - np.repeat(np.concatenate(([0.0], cs))[starts], ends - starts)
    pos = np.where(vals > 0, np.arange(len(vals)), -1)
    some = ends > starts
    sums.last[:] = -1
    sums.last[some] = np.maximum.reduceat(pos, starts[some]) if len(pos) else -1
    # room for each commune's total to double before the keys must be made again
    scale = 2.0 ** (int(sums.cum.max(initial=0)).bit_length() + 1)
    if len(starts) * scale < 2.0**53:
        sums.keys, sums.scale = rows * scale + sums.cum, scale
    return True


def _redo_commune(sums: RunningSums, counts: np.ndarray, c: int) -> None:
    """Commune ``c``'s running sums and keys, made again (the keys are dropped if its
    counts are no longer whole numbers or its total outgrew the scale)."""
    cols, cum = sums.of[1], sums.cum
    s, e = sums.starts[c], sums.ends[c]
    seg = counts[c, cols[s:e]]
    cum[s:e] = np.cumsum(seg)
    pos = np.flatnonzero(seg > 0)
    sums.last[c] = s + pos[-1] if len(pos) else -1
    if sums.keys is not None:
        if e > s and not (cum[e - 1] < sums.scale and np.all(seg == np.floor(seg))):
            sums.keys = None  # until every commune is done again
        else:
            sums.keys[s:e] = c * sums.scale + cum[s:e]


if TYPE_CHECKING:  # the draw keeps to its contract (checked by mypy)
    _mt_draw: type[MtDraw] = IndexedMtDraw

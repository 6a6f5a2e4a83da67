"""Médecin traitant registrations (« patientèles médecin traitant »).

The population is not simulated person by person: for each commune we keep how many
residents are registered with each clinician and how many have no MT.  A request's MT is
drawn from these counts at request time with the request's own uniform (common random
numbers).  Counts change when a patient without MT registers with a clinician who has
room, and when registrations are lost (moves, GP departures).
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from dataclasses import dataclass

import numpy as np


@dataclass
class _RunningSums:
    """Every commune's running sums of registrations over its support (``of``, as
    :meth:`Panels._flat_support` gave it): commune c's clinicians are at [starts[c],
    ends[c]), with the running sum of their registrations in ``cum``, and ``last[c]`` the
    position of the last one with any (-1: none).  While every count is a whole number,
    ``keys`` = commune × ``scale`` + running sum (exact in float64; ``scale`` is a power of
    two above every total), sorted as the pairs are; else None."""

    of: tuple[np.ndarray, np.ndarray]
    starts: np.ndarray
    ends: np.ndarray
    cum: np.ndarray
    last: np.ndarray
    keys: np.ndarray | None = None
    scale: float = 0.0


class Panels:
    """Registrations commune × clinician, with per-commune cumulative look-ups."""

    def __init__(self, counts: np.ndarray, population: np.ndarray, cap: np.ndarray,
                 mt_capable: np.ndarray | None = None) -> None:
        self.counts = np.asarray(counts, dtype=float).copy()
        self.population = np.asarray(population, dtype=float)
        self.no_mt = np.maximum(self.population - self.counts.sum(axis=1), 0.0)
        self.size = self.counts.sum(axis=0)
        self.cap = np.asarray(cap, dtype=float).copy()
        n = self.counts.shape[1]
        self.capable = np.ones(n, dtype=bool) if mt_capable is None else np.asarray(mt_capable, dtype=bool)
        self.active = [True] * n  # a list: read once per request
        self._cache: list[tuple | None] = [None] * self.counts.shape[0]  # by commune; None = to rebuild
        # Per commune, the clinicians whose count may be non-zero (sorted), and those added
        # since: look-ups and the weekly losses read these, not whole rows of a matrix that a
        # large territory fills only near the diagonal.
        self._support = [np.flatnonzero(row) for row in self.counts]
        self._added: dict[int, set[int]] = {}
        self._flat: tuple[np.ndarray, np.ndarray] | None = None  # every support, as (commune, clinician) pairs
        self._sums: _RunningSums | None = None  # draw_day's, over _flat
        self._stale: set[int] | None = None  # communes whose running sums are out of date; None = all
        # commune → 1 if its registrations changed since the last draw_day (its requests are
        # then drawn one by one); updated in place, so a caller may hold on to it
        self.dirty = bytearray(b"\x01") * self.counts.shape[0]

    def _lookup(self, c: int):
        """(clinicians, cumulative counts, population, no-MT threshold, span, total) of commune ``c``:
        a uniform × population below the threshold means no MT; above it, (x − threshold) / span
        × total is looked up in the cumulative counts."""
        at = self._row_support(c)
        counts = self.counts[c, at]
        some = counts > 0
        idx = at[some]
        cum = array("d", np.cumsum(counts[some]).tobytes())  # compact: looked up at random in a large territory
        pop, no_mt = float(self.population[c]), float(self.no_mt[c])
        # threshold: a uniform × population below it means "no MT" (always, if nobody is registered)
        threshold = no_mt if pop > 0 and len(idx) else float("inf")
        hit = (array("q", idx.astype(np.int64).tobytes()), cum, pop, threshold, max(pop - no_mt, 1e-12),
               cum[-1] if cum else 0.0)
        self._cache[c] = hit
        return hit

    def draw(self, c: int, u: float) -> int:
        """MT clinician of a resident of commune ``c`` given uniform ``u``; -1 = no MT."""
        idx, cum, pop, no_mt, span, total = self._cache[c] or self._lookup(c)
        x = u * pop
        if x < no_mt:
            return -1
        k = bisect_right(cum, (x - no_mt) / span * total)
        return idx[k] if k < len(idx) else idx[-1]

    def draw_day(self, commune: np.ndarray, u: np.ndarray) -> np.ndarray:
        """:meth:`draw` for many requests at once, from the registrations as they are now:
        the same MT, bit for bit, for each (commune, uniform) pair.  From then on
        ``dirty[c]`` tells whether commune ``c``'s registrations have changed since; the
        result stands for a request only while its commune is not dirty (a registration
        made during the day sets it, and its later requests are drawn one by one).

        One pass of array operations for the day's requests, instead of a look-up per
        request in per-commune records read at random: in a large territory, the records
        are no longer in the processor's cache, and a loop over arrays overlaps the misses
        that a request at a time pays one after the other.  The running sums are kept
        between days and redone only for the communes whose registrations changed."""
        sums = self._running_sums()
        self.dirty[:] = bytes(len(self.dirty))
        starts, ends, cum, keys = sums.starts, sums.ends, sums.cum, sums.keys
        if not len(cum):  # nobody registered anywhere
            return np.full(len(commune), -1, dtype=np.int64)
        lo, end = starts[commune], ends[commune]
        pop, no_mt = self.population[commune], self.no_mt[commune]
        at = sums.last[commune]  # -1: nobody registered
        threshold = np.where((pop > 0) & (at >= 0), no_mt, np.inf)
        x = u * pop
        with np.errstate(all="ignore"):  # requests with no MT: their value is not used
            v = (x - threshold) / np.maximum(pop - no_mt, 1e-12) * cum[at]
        # bisect_right in each commune's running sums; a clinician with no registration adds
        # nothing to the sum, so the search steps over them and lands where draw's search
        # over the registered ones lands
        if keys is not None:
            # whole-number sums: one search over (commune, sum) keys; a sum is at most the
            # value when it is at most the value's floor, and v ≤ the commune's total < scale
            with np.errstate(invalid="ignore"):
                lo = np.searchsorted(keys, commune * sums.scale + np.floor(v), side="right")
        else:  # a step at a time for every request at once
            hi, top = end, len(cum) - 1
            for _ in range(int((ends - starts).max()).bit_length()):
                mid = (lo + hi) >> 1
                on = lo < hi
                go = cum[np.minimum(mid, top)] <= v
                lo = np.where(on & go, mid + 1, lo)
                hi = np.where(on & ~go, mid, hi)
        mt = self._flat[1][np.where(lo < end, lo, at)]
        return np.where(x < threshold, -1, mt).astype(np.int64)

    def _running_sums(self) -> _RunningSums:
        """The running sums over every commune's support, brought up to date."""
        rows, cols = self._flat_support()
        n = len(self._support)
        sums = self._sums
        if sums is None or sums.of is not self._flat:
            ends = np.searchsorted(rows, np.arange(n), side="right")
            sums = self._sums = _RunningSums(self._flat, np.concatenate(([0], ends[:-1])).astype(np.int64), ends,
                                             np.zeros(len(cols)), np.full(n, -1, dtype=np.int64))
            self._stale = None
        starts, ends, cum, last = sums.starts, sums.ends, sums.cum, sums.last
        if self._stale is None:  # every commune: at once when that is exact, else one by one
            vals = self.counts.ravel()[rows * self.counts.shape[1] + cols]
            cs = np.cumsum(vals)
            sums.keys = None
            if not len(cs) or (np.all(vals == np.floor(vals)) and cs[-1] < 2.0**53):
                # whole numbers: the running sum from the start, less what came before the
                # commune, is the commune's own running sum exactly
                cum[:] = cs - np.repeat(np.concatenate(([0.0], cs))[starts], ends - starts)
                pos = np.where(vals > 0, np.arange(len(vals)), -1)
                some = ends > starts
                last[:] = -1
                last[some] = np.maximum.reduceat(pos, starts[some]) if len(pos) else -1
                # room for each commune's total to double before the keys must be made again
                scale = 2.0 ** (int(cum.max(initial=0)).bit_length() + 1)
                if n * scale < 2.0**53:
                    sums.keys, sums.scale = rows * scale + cum, scale
                self._stale = set()
            else:
                self._stale = set(range(n))
        for c in self._stale:
            s, e = starts[c], ends[c]
            seg = self.counts[c, cols[s:e]]
            cum[s:e] = np.cumsum(seg)
            pos = np.flatnonzero(seg > 0)
            last[c] = s + pos[-1] if len(pos) else -1
            if sums.keys is not None:
                if e > s and not (cum[e - 1] < sums.scale and np.all(seg == np.floor(seg))):
                    sums.keys = None  # until every commune is done again
                else:
                    sums.keys[s:e] = c * sums.scale + cum[s:e]
        self._stale = set()
        return sums

    def _flat_support(self) -> tuple[np.ndarray, np.ndarray]:
        """Every commune's support in one (commune, clinician) pair of arrays, row by row."""
        if self._flat is None or self._added:
            support = [self._row_support(c) for c in range(len(self._support))]
            rows = np.repeat(np.arange(len(support)), [len(x) for x in support])
            cols = np.concatenate(support).astype(np.int64) if support else np.zeros(0, dtype=np.int64)
            self._flat = (rows, cols)
        return self._flat

    def has_room(self, clinician: int) -> bool:
        return bool(self.active[clinician] and self.capable[clinician]) and self.size[clinician] < self.cap[clinician]

    def register(self, c: int, clinician: int) -> None:
        """A resident of commune ``c`` without MT registers with ``clinician``."""
        if self.no_mt[c] >= 1:
            self.no_mt[c] -= 1
            if not self.counts[c, clinician]:
                self._added.setdefault(c, set()).add(clinician)
            self.counts[c, clinician] += 1
            self.size[clinician] += 1
            self._cache[c] = None
            self.dirty[c] = 1
            if self._stale is not None:
                self._stale.add(c)

    def lose(self, rng: np.random.Generator, share: float) -> None:
        """Each registration is lost with probability ``share`` (moves, changes of GP)."""
        if share <= 0:
            return
        # Only the registrations that may exist, in row-major order: the same draws as over
        # the whole matrix, since a binomial of 0 draws nothing.
        flat = self.counts.ravel()  # a view
        rows, cols = self._flat_support()
        at = rows * len(self.size) + cols
        lost = rng.binomial(flat[at].astype(np.int64), share)
        flat[at] -= lost
        # Column sums accumulated row by row, as counts.sum(axis=0) does (the skipped zeros
        # add nothing): the same values to the last bit.
        self.size = np.bincount(cols, weights=flat[at], minlength=len(self.size))
        self.no_mt += np.bincount(rows, weights=lost, minlength=len(self.no_mt))
        self._changed_all()

    def _row_support(self, c: int) -> np.ndarray:
        """Commune ``c``'s clinicians whose count may be non-zero, sorted."""
        added = self._added.pop(c, None)
        if added:
            self._support[c] = np.union1d(self._support[c], np.fromiter(added, dtype=np.int64))
            self._flat = None
        return self._support[c]

    def release(self, clinician: int) -> None:
        """A clinician leaves: all their patients lose their MT."""
        self.no_mt += self.counts[:, clinician]
        self.counts[:, clinician] = 0
        self.size[clinician] = 0
        self.active[clinician] = False
        self._changed_all()

    def campaign(self, area: np.ndarray, share: float, clinicians: np.ndarray, room: float,
                 km: np.ndarray, reach_km: float = 20.0) -> None:
        """CPTS campaign (« campagne d'attribution de médecins traitants »): in the ``area``
        communes, a ``share`` of residents without an MT are registered with the nearest
        eligible ``clinicians`` within ``reach_km``, each taking up to ``room`` more patients
        than their cap. ``km`` is communes × clinicians."""
        ok = clinicians & np.asarray(self.active) & self.capable
        self.cap[ok] = np.ceil(self.cap[ok] * (1 + room))
        for c in np.flatnonzero(area):
            want = np.floor(self.no_mt[c] * share)
            order = np.argsort(km[c], kind="stable")
            for k in order:
                if want <= 0 or km[c, k] > reach_km:
                    break
                if not ok[k]:
                    continue
                take = min(want, max(self.cap[k] - self.size[k], 0.0))
                if take > 0:
                    if not self.counts[c, k]:
                        self._added.setdefault(int(c), set()).add(int(k))
                    self.counts[c, k] += take
                    self.size[k] += take
                    self.no_mt[c] -= take
                    want -= take
        self._changed_all()

    def _changed_all(self) -> None:
        """Every commune's registrations may have changed: every cached look-up, day's draw
        and running sum is out of date."""
        self._cache = [None] * len(self._cache)
        self.dirty[:] = b"\x01" * len(self.dirty)
        self._stale = None

    def without_mt_share(self) -> float:
        return float(self.no_mt.sum() / max(self.population.sum(), 1e-12))

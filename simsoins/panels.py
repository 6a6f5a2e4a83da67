"""Médecin traitant registrations (« patientèles médecin traitant »).

The population is not simulated person by person: for each commune we keep how many
residents are registered with each clinician and how many have no MT.  A request's MT is
drawn from these counts at request time with the request's own uniform (common random
numbers).  Counts change when a patient without MT registers with a clinician who has
room, and when registrations are lost (moves, GP departures).
"""

from __future__ import annotations

import numpy as np


class Panels:
    """Registrations commune × clinician, with per-commune cumulative look-ups."""

    def __init__(self, counts: np.ndarray, population: np.ndarray, room: float) -> None:
        self.counts = np.asarray(counts, dtype=float).copy()
        self.population = np.asarray(population, dtype=float)
        self.no_mt = np.maximum(self.population - self.counts.sum(axis=1), 0.0)
        self.size = self.counts.sum(axis=0)
        self.cap = np.ceil(self.size * (1 + room))
        self.active = np.ones(self.counts.shape[1], dtype=bool)
        self._cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def _lookup(self, c: int):
        hit = self._cache.get(c)
        if hit is None:
            row = self.counts[c]
            idx = np.flatnonzero(row > 0)
            hit = (idx, np.cumsum(row[idx]))
            self._cache[c] = hit
        return hit

    def draw(self, c: int, u: float) -> int:
        """MT clinician of a resident of commune ``c`` given uniform ``u``; -1 = no MT."""
        pop = self.population[c]
        if pop <= 0 or u * pop < self.no_mt[c]:
            return -1
        idx, cum = self._lookup(c)
        if len(idx) == 0:
            return -1
        x = (u * pop - self.no_mt[c]) / max(pop - self.no_mt[c], 1e-12) * cum[-1]
        return int(idx[min(int(np.searchsorted(cum, x, side="right")), len(idx) - 1)])

    def has_room(self, clinician: int) -> bool:
        return bool(self.active[clinician]) and self.size[clinician] < self.cap[clinician]

    def register(self, c: int, clinician: int) -> None:
        """A resident of commune ``c`` without MT registers with ``clinician``."""
        if self.no_mt[c] >= 1:
            self.no_mt[c] -= 1
            self.counts[c, clinician] += 1
            self.size[clinician] += 1
            self._cache.pop(c, None)

    def lose(self, rng: np.random.Generator, share: float) -> None:
        """Each registration is lost with probability ``share`` (moves, changes of GP)."""
        if share <= 0:
            return
        lost = rng.binomial(self.counts.astype(np.int64), share)
        self.counts -= lost
        self.size = self.counts.sum(axis=0)
        self.no_mt += lost.sum(axis=1)
        self._cache.clear()

    def release(self, clinician: int) -> None:
        """A clinician leaves: all their patients lose their MT."""
        self.no_mt += self.counts[:, clinician]
        self.counts[:, clinician] = 0
        self.size[clinician] = 0
        self.active[clinician] = False
        self._cache.clear()

    def without_mt_share(self) -> float:
        return float(self.no_mt.sum() / max(self.population.sum(), 1e-12))

"""Sites within reach of each commune, nearest first (« offre à portée »).

The pathways walk a commune's practices (or evening sites) in order of distance and stop
at the first one beyond the patient's travel limit.  Keeping the whole sorted order for
every commune costs communes × sites entries — quadratic in the size of the territory,
and most of them never read.  :class:`Nearby` keeps, per commune, only the prefix of that
order up to a reach radius, and ``reach[c]``, the distance of the first site it leaves
out.  A patient whose travel limit is below ``reach[c]`` would stop before any site left
out, so the prefix gives exactly the same walk; the rare patient who would travel further
gets the full order, computed on demand and kept.
"""

from __future__ import annotations

import numpy as np


class Nearby:
    """Per commune, ``(site, km)`` pairs sorted by distance (stable), up to ``radius_km``."""

    __slots__ = ("km", "lists", "reach", "_full")

    def __init__(self, km: np.ndarray, radius_km: float) -> None:
        self.km = np.asarray(km, dtype=float)  # communes × sites
        self.lists: list[list[tuple[int, float]]] = []
        self.reach: list[float] = []  # km of the first site left out of lists[c]; inf = none left out
        self._full: dict[int, list[tuple[int, float]]] = {}
        for row in self.km:
            order = np.argsort(row, kind="stable")
            dist = row[order]
            cut = int(np.searchsorted(dist, radius_km, side="right"))
            self.lists.append(list(zip(order[:cut].tolist(), dist[:cut].tolist())))
            self.reach.append(float(dist[cut]) if cut < len(dist) else float("inf"))

    def order(self, commune: int, travel_km: float) -> list[tuple[int, float]]:
        """The sites of ``commune`` nearest first, as far as a patient travelling up to
        ``travel_km`` can go (the loop over it must stop at the first site beyond)."""
        if travel_km < self.reach[commune]:
            return self.lists[commune]
        return self.full(commune)

    def full(self, commune: int) -> list[tuple[int, float]]:
        """Every site, nearest first (built on first use)."""
        hit = self._full.get(commune)
        if hit is None:
            row = self.km[commune]
            order = np.argsort(row, kind="stable")
            hit = self._full[commune] = list(zip(order.tolist(), row[order].tolist()))
        return hit

    def __len__(self) -> int:
        return len(self.lists)


def reach_radius_km(median: float, sigma: float, z: float = 3.72) -> float:
    """A radius that covers all but a few patients in 10,000 (``z`` standard deviations of
    the lognormal travel limit): the others take the full order, at a small cost."""
    return float(median * np.exp(sigma * z))

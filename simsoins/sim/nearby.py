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

from array import array
from collections.abc import Iterator

import numpy as np


class Nearby:
    """Per commune, the sites sorted by distance (stable) up to ``radius_km``: their indices
    (``sites[c]``) and kilometres (``kms[c]``) side by side."""

    __slots__ = ("_full", "_ids", "km", "kms", "reach", "sites")

    def __init__(self, km: np.ndarray, radius_km: float) -> None:
        self.km = np.asarray(km, dtype=float)  # communes × sites
        # One int object per site, shared by every commune's tuple: the walk reads a few
        # dozen objects packed together, not ones scattered over a large territory's heap.
        self._ids = list(range(self.km.shape[1]))
        self.sites: list[tuple[int, ...]] = []
        self.kms: list[array] = []  # compact: no float object per (commune, site) pair
        self.reach: list[float] = []  # km of the first site left out; inf = none left out
        self._full: dict[int, tuple[tuple[int, ...], array]] = {}
        for row in self.km:
            order = np.argsort(row, kind="stable")
            dist = row[order]
            cut = int(np.searchsorted(dist, radius_km, side="right"))
            self.sites.append(self._pick(order[:cut]))
            self.kms.append(array("d", dist[:cut].tobytes()))
            self.reach.append(float(dist[cut]) if cut < len(dist) else float("inf"))

    def _pick(self, order: np.ndarray) -> tuple[int, ...]:
        ids = self._ids
        return tuple(ids[i] for i in order.tolist())

    def order(self, commune: int, travel_km: float) -> Iterator[tuple[int, float]]:
        """``(site, km)`` of ``commune``, nearest first, as far as a patient travelling up to
        ``travel_km`` can go (the loop over it must stop at the first site beyond)."""
        if travel_km < self.reach[commune]:
            return zip(self.sites[commune], self.kms[commune])
        return self.full(commune)

    def full(self, commune: int) -> Iterator[tuple[int, float]]:
        """``(site, km)`` for every site, nearest first (the order is built on first use)."""
        hit = self._full.get(commune)
        if hit is None:
            row = self.km[commune]
            order = np.argsort(row, kind="stable")
            hit = self._full[commune] = (self._pick(order), array("d", row[order].tobytes()))
        return zip(*hit)

    def __len__(self) -> int:
        return len(self.sites)


def reach_radius_km(median: float, sigma: float, z: float = 3.72) -> float:
    """A radius that covers all but a few patients in 10,000 (``z`` standard deviations of
    the lognormal travel limit): the others take the full order, at a small cost."""
    return float(median * np.exp(sigma * z))

"""Médecin traitant registrations (« patientèles médecin traitant »).

The population is not simulated person by person: for each commune we keep how many
residents are registered with each clinician and how many have no MT.  A request's MT is
drawn from these counts at request time with the request's own uniform (common random
numbers).  Counts change when a patient without MT registers with a clinician who has
room (or a CPTS campaign registers them), and when registrations are lost (moves, GP
departures).  Drawing the MT fast is the work of :mod:`simsoins.fast.mtdraw`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from simsoins.fast.mtdraw import IndexedMtDraw


class Panels:
    """Registrations commune × clinician (« patientèles »): ``counts[c, k]`` residents of
    commune ``c`` have clinician ``k`` as MT, ``no_mt[c]`` have none (of ``population[c]``);
    ``size[k]`` is clinician ``k``'s list, ``cap[k]`` the most they take.

    A request's MT is drawn by an :class:`~simsoins.fast.mtdraw.IndexedMtDraw` reading
    these counts (contract: :class:`~simsoins.fast.contracts.MtDraw`): ``counts`` and
    ``no_mt`` are changed in place only, and every change is reported to it."""

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
        self._mt = IndexedMtDraw(self.counts, self.population, self.no_mt)
        # commune → 1 if its registrations changed since the last draw_day (its requests are
        # then drawn one by one); updated in place, so a caller may hold on to it
        self.dirty = self._mt.dirty

    @property
    def draw(self) -> Callable[[int, float], int]:
        """``draw(c, u)``: MT clinician of a resident of commune ``c`` given uniform ``u``;
        -1 = no MT.  The draw structure's own method, so that a caller holding it pays no
        extra call per request."""
        return self._mt.draw

    def draw_day(self, commune: np.ndarray, u: np.ndarray) -> np.ndarray:
        """:meth:`draw` for many requests at once, from the registrations as they are now:
        the same MT, bit for bit, for each (commune, uniform) pair.  From then on
        ``dirty[c]`` tells whether commune ``c``'s registrations have changed since; the
        result stands for a request only while its commune is not dirty (a registration
        made during the day sets it, and its later requests are drawn one by one)."""
        return self._mt.draw_day(commune, u)

    def has_room(self, clinician: int) -> bool:
        """Whether ``clinician`` takes new patients as MT: still working, able to be an MT,
        and below their cap."""
        return bool(self.active[clinician] and self.capable[clinician]) and self.size[clinician] < self.cap[clinician]

    def register(self, c: int, clinician: int) -> None:
        """A resident of commune ``c`` without MT registers with ``clinician``."""
        if self.no_mt[c] >= 1:
            self.no_mt[c] -= 1
            if not self.counts[c, clinician]:
                self._mt.added(c, clinician)
            self.counts[c, clinician] += 1
            self.size[clinician] += 1
            self._mt.changed(c)

    def lose(self, rng: np.random.Generator, share: float) -> None:
        """Each registration is lost with probability ``share`` (moves, changes of GP)."""
        if share <= 0:
            return
        # Only the registrations that may exist, in row-major order: the same draws as over
        # the whole matrix, since a binomial of 0 draws nothing.
        flat = self.counts.ravel()  # a view
        rows, cols = self._mt.pairs()
        at = rows * len(self.size) + cols
        lost = rng.binomial(flat[at].astype(np.int64), share)
        flat[at] -= lost
        # Column sums accumulated row by row, as counts.sum(axis=0) does (the skipped zeros
        # add nothing): the same values to the last bit.
        self.size = np.bincount(cols, weights=flat[at], minlength=len(self.size))
        self.no_mt += np.bincount(rows, weights=lost, minlength=len(self.no_mt))
        self._mt.changed_all()

    def release(self, clinician: int) -> None:
        """A clinician leaves: all their patients lose their MT."""
        self.no_mt += self.counts[:, clinician]
        self.counts[:, clinician] = 0
        self.size[clinician] = 0
        self.active[clinician] = False
        self._mt.changed_all()

    def campaign(self, area: np.ndarray, share: float, clinicians: np.ndarray, room: float,
                 km: np.ndarray, reach_km: float = 20.0) -> None:
        """CPTS campaign (« campagne d'attribution de médecins traitants »): in the ``area``
        communes, a ``share`` of residents without an MT are registered with the nearest
        eligible ``clinicians`` within ``reach_km`` (km; 20 by default: ASSUMPTION), each
        taking up to ``room`` more patients than their cap (a share of it). ``km`` is
        communes × clinicians (km)."""
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
                        self._mt.added(int(c), int(k))
                    self.counts[c, k] += take
                    self.size[k] += take
                    self.no_mt[c] -= take
                    want -= take
        self._mt.changed_all()

    def without_mt_share(self) -> float:
        """Share of the residents without an MT (0–1)."""
        return float(self.no_mt.sum() / max(self.population.sum(), 1e-12))

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
        """Each registration is lost with probability ``share`` (moves, changes of GP).

        Common random numbers: ``rng`` gives one number per call, whatever the panels; the
        losses of each (commune, clinician) pair are the binomial drawn by inversion from
        that pair's own uniform (:func:`pair_uniforms`).  Two scenarios thus lose the same
        registrations wherever their counts agree, and the stream stays in step however
        their panels differ (GPs leaving, campaigns, patients registering)."""
        if share <= 0:
            return
        key = int(rng.integers(0, 2**63))
        flat = self.counts.ravel()  # a view
        rows, cols = self._mt.pairs()  # only the registrations that may exist
        at = rows * len(self.size) + cols
        lost = binomial_from_uniform(pair_uniforms(key, rows, cols), flat[at].astype(np.int64), share)
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

    def transfer(self, clinician: int, to: int) -> None:
        """``clinician`` moves practice and works on as ``to``: their MT patients follow."""
        moved = self.counts[:, clinician].copy()
        for c in np.flatnonzero(moved > 0):
            if not self.counts[c, to]:
                self._mt.added(int(c), to)
        self.counts[:, to] += moved
        self.size[to] += self.size[clinician]
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


_GOLDEN, _MIX1, _MIX2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def pair_uniforms(key: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """A uniform in [0, 1) for each (commune ``rows``, clinician ``cols``) pair, a function of
    ``key`` and the pair alone (SplitMix64's finaliser of key + id × golden ratio): the
    same pair gets the same number whatever the other pairs, and clinicians a lever adds
    (numbered after the others) do not move anyone else's."""
    ids = (cols.astype(np.uint64) << np.uint64(32)) | rows.astype(np.uint64)
    z = ids * _GOLDEN + np.uint64(key)  # arrays of uint64 wrap around, as the mix needs
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    z ^= z >> np.uint64(31)
    return (z >> np.uint64(11)).astype(np.float64) * 2.0**-53


def binomial_from_uniform(u: np.ndarray, n: np.ndarray, p: float) -> np.ndarray:
    """Binomial(``n``, ``p``) by inversion of the uniforms ``u``: the least k with
    P(X ≤ k) > u, summing the probabilities up from P(X = 0) = (1 − p)^n; few steps, as
    n·p is small here.  Monotone in ``u`` and ``n`` (common random numbers)."""
    k_of = np.zeros(len(n), dtype=np.int64)
    if p >= 1:
        return n.copy()
    pmf = np.exp(n * np.log1p(-p))
    if np.any((pmf == 0) & (n > 0)):  # (1 − p)^n below the smallest double: scipy's inverse
        from scipy.stats import binom
        return np.clip(binom.ppf(u, n, p), 0, n).astype(np.int64)
    ratio = p / (1 - p)
    idx = np.flatnonzero(u >= pmf)
    pmf, cdf, nn, uu = pmf[idx], pmf[idx], n[idx], u[idx]
    k = 0
    while len(idx):
        k += 1
        k_of[idx] = k
        pmf = pmf * ((nn - k + 1) / k * ratio)
        cdf = cdf + pmf
        go = (uu >= cdf) & (nn > k)
        idx, pmf, cdf, nn, uu = idx[go], pmf[go], cdf[go], nn[go], uu[go]
    return k_of

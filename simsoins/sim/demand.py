"""Demand (« demande de soins »): requests of the day as numpy arrays.

Requests follow a non-homogeneous Poisson process by commune × age band × need, with
season (month), weekday and hour-of-day profiles for *when the patient asks*.  Each day
the number of requests of each need is drawn, then their cell and time; patient
attributes are drawn at the same time from the ``attributes`` stream, one fixed set of
draws per request, so every scenario sees the same patients (common random numbers).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import numpy as np

from simsoins.config.model import DemandConfig
from simsoins.sim.clock import DAYS_PER_WEEK, MIN_PER_DAY, MIN_PER_HOUR, normalised
from simsoins.vocabulary import DAYS_PER_YEAR, NEED_ACUTE, NEED_EMERGENCY, NEED_ROUTINE, NEEDS  # noqa: F401


@dataclass
class DayRequests:
    """Attributes of one day's requests, sorted by request time (arrays of equal length)."""

    t: np.ndarray  # request time, minutes
    need: np.ndarray  # 0 routine, 1 acute, 2 emergency
    commune: np.ndarray
    age: np.ndarray
    u_mt: np.ndarray  # uniform: MT or not, and whose
    tele_eligible: np.ndarray  # bool
    patience: np.ndarray  # minutes: longest wait accepted
    travel_km: np.ndarray
    u_uptake: np.ndarray  # uniform: accepts teleconsultation when offered
    u_er: np.ndarray  # uniform: goes to the ER when primary care has nothing
    u_no_show: np.ndarray
    u_retry: np.ndarray
    u_service: np.ndarray  # uniform: ER service time by inversion
    u_triage: np.ndarray
    u_sas: np.ndarray  # uniform: SAS call length and advice
    u_attach: np.ndarray  # uniform: registers with the GP who saw them
    u_walkin: np.ndarray  # uniform: an acute patient goes straight to the ER (« sans passer par la ville »)
    u_hangup: np.ndarray  # uniform: how long a SAS caller holds on before hanging up
    u_seen: np.ndarray  # uniform: a GP who takes no new MT patient sees this unregistered one

    def __len__(self) -> int:
        return len(self.t)


def _weights(age_pop: np.ndarray, rates: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """Mean requests a day of each need, and each need's cumulative weights over the cells
    (commune × age band, flattened) of populations ``age_pop`` at ``rates`` (needs × bands)."""
    cells = age_pop[None, :, :] * rates[:, None, :]
    daily_mean = cells.reshape(3, -1).sum(axis=1) / DAYS_PER_YEAR
    return daily_mean, [np.cumsum(c.ravel()) / max(c.sum(), 1e-300) for c in cells]


class DemandGenerator:
    """Draws each day's requests for a territory's age-band populations."""

    def __init__(self, cfg: DemandConfig, age_pop: np.ndarray, months: np.ndarray, start_weekday: int = 0,
                 rate_scale: np.ndarray | None = None, keep=(1.0, 1.0, 1.0), keep_from_day: int = 0,
                 tele_eligibility: np.ndarray | None = None, tele_old_factor: np.ndarray | None = None,
                 age_pop_by_year: list[np.ndarray] | None = None, age_pop_from_day: list[int] | None = None) -> None:
        self.cfg = cfg
        self.keep = np.asarray(keep, dtype=float)
        self.keep_from_day = keep_from_day
        self.months = months
        self.start_weekday = start_weekday
        rates = np.array([cfg.routine_per_year, cfg.acute_per_year, cfg.emergency_per_year], dtype=float)
        if rate_scale is not None:
            rates = rates * rate_scale
        self.n_age = age_pop.shape[1]
        # the population of each year (ageing: simsoins/levers/ageing.py), from its first day
        self.from_days = list(age_pop_from_day or [0]) if age_pop_by_year else [0]
        self.weights = [_weights(pop, rates) for pop in (age_pop_by_year or [age_pop])]
        self.season = [normalised(getattr(cfg, f"season_{n}")) for n in NEEDS]
        self.weekday = normalised(cfg.weekday)
        self.cum_hour = [np.cumsum(getattr(cfg, f"hour_{n}")) / np.sum(getattr(cfg, f"hour_{n}")) for n in NEEDS]
        eligible = np.array([cfg.tele_eligible_routine, cfg.tele_eligible_acute, 0.0])
        age_factor = np.ones(self.n_age)
        if self.n_age:
            age_factor[-1] = cfg.tele_eligible_75plus_factor  # the oldest band
        # P(tele-eligible) by need × commune × age band; cabines lift the oldest band.
        n_comm = age_pop.shape[0]
        elig = np.ones(n_comm) if tele_eligibility is None else np.asarray(tele_eligibility, dtype=float)
        factor = np.tile(age_factor, (n_comm, 1))
        if tele_old_factor is not None and self.n_age:
            old = np.asarray(tele_old_factor, dtype=float)
            factor[:, -1] = np.where(np.isnan(old), factor[:, -1], old)
        self.tele_p = np.minimum(1.0, eligible[:, None, None] * elig[None, :, None] * factor[None, :, :])

    def day(self, d: int, arrivals: np.random.Generator, attributes: np.random.Generator) -> DayRequests:
        """Requests made on simulated day ``d``: when and where from the ``arrivals`` stream,
        who they are from the ``attributes`` stream."""
        t, need, commune, age = self._arrivals(d, arrivals)
        r, u_keep = self._attributes(t, need, commune, age, attributes)
        if d >= self.keep_from_day and np.any(self.keep < 1):
            # Prevention: the same patients, thinned by their own uniform (common random numbers).
            kept = u_keep < self.keep[need]
            r = DayRequests(**{k: v[kept] for k, v in vars(r).items()})
        return r

    def _arrivals(self, d: int, arrivals: np.random.Generator) -> tuple[np.ndarray, ...]:
        """Time (minutes), need, commune and age band of day ``d``'s requests, by time."""
        w = (self.start_weekday + d) % DAYS_PER_WEEK
        m = self.months[d]
        daily_mean, cum_cells = self.weights[bisect_right(self.from_days, d) - 1]
        parts = []
        for k in range(3):
            lam = daily_mean[k] * self.season[k][m] * self.weekday[w]
            n = int(arrivals.poisson(lam))
            cell = np.searchsorted(cum_cells[k], arrivals.random(n), side="right")
            hour = np.searchsorted(self.cum_hour[k], arrivals.random(n), side="right")
            t = d * MIN_PER_DAY + MIN_PER_HOUR * (hour + arrivals.random(n))
            parts.append((t, np.full(n, k), cell // self.n_age, cell % self.n_age))
        t = np.concatenate([p[0] for p in parts])
        order = np.argsort(t, kind="stable")
        need = np.concatenate([p[1] for p in parts])[order]
        age = np.concatenate([p[3] for p in parts])[order]
        commune = np.concatenate([p[2] for p in parts])[order]
        return t[order], need, commune, age

    def _attributes(self, t: np.ndarray, need: np.ndarray, commune: np.ndarray, age: np.ndarray,
                    attributes: np.random.Generator) -> tuple[DayRequests, np.ndarray]:
        """The requests with their patients' attributes, and each one's uniform for prevention."""
        n = len(t)
        c = self.cfg
        u = attributes.random((11, n))
        z = attributes.standard_normal((2, n))
        v = attributes.random((3, n))  # drawn after the others: theirs keep their values
        patience_days = c.routine_patience_days.median * np.exp(c.routine_patience_days.sigma * z[0])
        patience_hours = c.acute_patience_hours.median * np.exp(c.acute_patience_hours.sigma * z[0])
        patience = np.where(need == NEED_ROUTINE, patience_days * MIN_PER_DAY, patience_hours * MIN_PER_HOUR)
        r = DayRequests(
            t=t,
            need=need,
            commune=commune,
            age=age,
            u_mt=u[0],
            tele_eligible=u[1] < self.tele_p[need, commune, age],
            patience=patience,
            travel_km=c.travel_km.median * np.exp(c.travel_km.sigma * z[1]),
            u_uptake=u[2],
            u_er=u[3],
            u_no_show=u[4],
            u_retry=u[5],
            u_service=u[6],
            u_triage=u[7],
            u_sas=u[8],
            u_attach=u[9],
            u_walkin=v[0],
            u_hangup=v[1],
            u_seen=v[2],
        )
        return r, u[10]

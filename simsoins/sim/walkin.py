"""Direct ER walk-ins (« recours direct aux urgences »): an acute patient who goes to the ER
without trying primary care.

The probability that an acute request walks in is

    office_probability × hour factor(hour of week) × distance factor(commune, hour of week)
                       × age factor(age band) × mt_factor (if the patient has an MT)

- the hour factor is 1 in office hours (weekdays 08-20, Saturday 08-12), ``evening_factor``
  on weekday evenings, ``night_factor`` at night, ``weekend_factor`` from Saturday noon to
  Sunday night;
- the distance factor is ((d_pc + k) / (d_er + k)) ** elasticity within its bounds: d_er the
  road km to the nearest ER, d_pc to the nearest answer of primary care *open at that
  hour* (a practice with a clinician in session, an evening-care site, an unscheduled-care
  unit, on within ``answer_within_hours`` of the hour: a patient waits for the practice
  to open after lunch, not overnight) within the median travel limit (``demand.travel_km.median``; none: the upper
  bound).  An answer nearer than the ER lowers it, so a lever that opens one (a unit,
  evening care, a practice's extended hours) diverts walk-ins.

Everything but the MT is known when the plan is built: a table per commune × hour of week
(:class:`WalkIns`), and the age band folded into the request's uniform when the day's
requests are drawn (:meth:`WalkIns.scaled_uniforms`: ``u / age factor < p`` ⇔ ``u < p × age
factor``).  The pathways' cost per acute request is one table look-up and a comparison.
"""

from __future__ import annotations

from array import array

import numpy as np

from simsoins.config.model import ConfigError, WalkInConfig
from simsoins.levers import Plan
from simsoins.territory import Session
from simsoins.vocabulary import DAYS_PER_WEEK, HOURS_PER_DAY, MIN_PER_DAY, MIN_PER_HOUR, MIN_PER_WEEK

HOURS_PER_WEEK = DAYS_PER_WEEK * HOURS_PER_DAY
#: Hour bands (hour of day, from 0): office hours start at 08:00 and end at 20:00;
#: Saturday's at 12:00.
DAY_START, DAY_END, SATURDAY_END = 8, 20, 12
SATURDAY, SUNDAY = 5, 6


def hour_factors(cfg: WalkInConfig) -> np.ndarray:
    """The hour factor of each hour of the week (Monday 00:00 first)."""
    out = np.ones(HOURS_PER_WEEK)
    for how in range(HOURS_PER_WEEK):
        day, hour = divmod(how, HOURS_PER_DAY)
        if hour < DAY_START:
            out[how] = cfg.night_factor
        elif day == SUNDAY or (day == SATURDAY and hour >= SATURDAY_END):
            out[how] = cfg.weekend_factor
        elif hour >= DAY_END:
            out[how] = cfg.evening_factor
    return out


def open_by_hour(sessions: list[tuple[Session, ...]], within_minutes: float) -> np.ndarray:
    """sites × hours of the week: a session of the site is on within ``within_minutes`` of
    the start of the hour (the week wraps round)."""
    start = np.arange(HOURS_PER_WEEK) * MIN_PER_HOUR
    end = start + max(within_minutes, 1.0)
    out = np.zeros((len(sessions), HOURS_PER_WEEK), dtype=bool)
    for i, site in enumerate(sessions):
        for s in site:
            a, b = s.weekday * MIN_PER_DAY + s.start, s.weekday * MIN_PER_DAY + s.end
            for shift in (-MIN_PER_WEEK, 0, MIN_PER_WEEK):
                out[i] |= (a + shift < end) & (b + shift > start)
    return out


def nearest_open_km(km: np.ndarray, open_: np.ndarray) -> np.ndarray:
    """communes × hours of the week: road km to the nearest site open at that hour
    (``km``: communes × sites; ``open_``: sites × hours); +inf when none is open.  The
    hours share a few opening patterns: each pattern is computed once."""
    patterns, which = np.unique(open_.T, axis=0, return_inverse=True)
    out = np.full((km.shape[0], len(patterns)), np.inf)
    for j, mask in enumerate(patterns):
        if mask.any():
            out[:, j] = km[:, mask].min(axis=1)
    return out[:, np.asarray(which).reshape(-1)]


def distance_factors(d_er: np.ndarray, d_pc: np.ndarray, cfg: WalkInConfig) -> np.ndarray:
    """((d_pc + k) / (d_er + k)) ** elasticity within the bounds (``d_pc`` = inf: the upper
    bound); ``d_er`` per commune, ``d_pc`` communes × hours."""
    k = cfg.distance_offset_km
    lo, hi = cfg.distance_factor_bounds
    with np.errstate(over="ignore"):
        f = ((d_pc + k) / (d_er[:, None] + k)) ** cfg.distance_elasticity
    return np.clip(np.nan_to_num(f, nan=hi, posinf=hi), lo, hi)


def primary_care_open(plan: Plan, within_minutes: float,
                      leave_out: tuple[int, ...] = ()) -> tuple[np.ndarray, np.ndarray]:
    """(communes × sites road km, sites × hours open) for every answer of primary care a
    walk-in could have chosen instead: the plan's practices (open when one of their
    clinicians who works in the run has a session; never for those of ``leave_out``) and
    the evening-care sites; open at an hour: a session on within ``within_minutes``."""
    t = plan.territory
    working = plan.start_day < plan.end_day
    practice_sessions: list[list[Session]] = [[] for _ in t.practice_id]
    for c, p in enumerate(t.clinician_practice.tolist()):
        if working[c] and p not in leave_out:
            practice_sessions[p].extend(t.clinician_sessions[c])
    sessions = [tuple(s) for s in practice_sessions] + [s.sessions for s in t.evening_sites]
    km = np.concatenate([t.km_commune_practice, t.km_commune_evening], axis=1)
    return km, open_by_hour(sessions, within_minutes)


def walkin_table(plan: Plan, cfg: WalkInConfig, reach_km: float, leave_out: tuple[int, ...] = ()) -> np.ndarray:
    """communes × hours of the week: the walk-in probability before the age and MT factors,
    the practices ``leave_out`` not counted as answers, nor any beyond ``reach_km``."""
    t = plan.territory
    km, open_ = primary_care_open(plan, cfg.answer_within_hours * MIN_PER_HOUR, leave_out)
    d_pc = nearest_open_km(np.where(km <= reach_km, km, np.inf), open_)
    d_er = t.km_commune_er.min(axis=1) if t.km_commune_er.size else np.full(t.n_communes, np.inf)
    return cfg.office_probability * hour_factors(cfg)[None, :] * distance_factors(d_er, d_pc, cfg)


class WalkIns:
    """The walk-in model of one plan: ``probability[commune * HOURS_PER_WEEK + hour of
    week]`` before the age and MT factors; ``mt_factor``; ``sas_first_share``.

    With unscheduled-care units (``units``: their practices), ``without_units`` is the same
    table had they not opened: a patient drawn between the two (``probability`` ≤ u <
    ``without_units``) is a walk-in the units divert, who goes straight to the nearest unit
    (router.py)."""

    __slots__ = ("age_factors", "mt_factor", "probability", "sas_first_share", "table", "without_units")

    def __init__(self, plan: Plan, cfg: WalkInConfig, n_age: int, reach_km: float, units: tuple[int, ...] = (),
                 path: str = "pathways.walkin") -> None:
        if len(cfg.age_factors) != n_age:
            raise ConfigError(f"{path}.age_factors = {list(cfg.age_factors)}: must have one value per age band "
                              f"({n_age})")
        self.table = walkin_table(plan, cfg, reach_km)
        self.probability = array("d", self.table.ravel().tobytes())
        self.without_units = array("d", walkin_table(plan, cfg, reach_km, units).ravel().tobytes()) if units else None
        self.age_factors = np.asarray(cfg.age_factors, dtype=float)
        self.mt_factor = cfg.mt_factor
        self.sas_first_share = cfg.sas_first_share

    def scaled_uniforms(self, u: np.ndarray, age: np.ndarray) -> np.ndarray:
        """The requests' walk-in uniforms divided by their age band's factor (0: never)."""
        f = self.age_factors[age]
        with np.errstate(divide="ignore"):
            return np.where(f > 0, u / np.where(f > 0, f, 1.0), np.inf)

    def expected(self, commune: np.ndarray, t: np.ndarray, age: np.ndarray, has_mt: np.ndarray) -> np.ndarray:
        """Each request's walk-in probability (for checks; the pathways use the table)."""
        how = (t // MIN_PER_HOUR).astype(np.int64) % HOURS_PER_WEEK
        p = self.table[commune, how] * self.age_factors[age] * np.where(has_mt, self.mt_factor, 1.0)
        return np.minimum(p, 1.0)

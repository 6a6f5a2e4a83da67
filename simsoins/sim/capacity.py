"""Capacity (« offre de soins »): books for clinicians, the teleconsultation platform and
evening-care sites, and the ER sites' staffing, built for one replication from a
:class:`~simsoins.levers.Plan`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

import numpy as np

from simsoins.config.model import ModelConfig
from simsoins.levers import Plan
from simsoins.levers.hopital_proximite import DOCTOR_KIND
from simsoins.sim.book import (
    AppointmentBook,
    SlotList,
    SlotStore,
    clinician_slots,
    leave_days,
    session_slots,
    split_slots,
)
from simsoins.sim.clock import MIN_PER_DAY, MIN_PER_HOUR
from simsoins.sim.er import staffing_rule
from simsoins.territory import Session, Territory
from simsoins.vocabulary import DAYS_PER_YEAR

#: Clinician kinds whose slots ignore the leave drawn for them (the draw is still made, for
#: common random numbers).
NO_LEAVE_KINDS = (DOCTOR_KIND,)


@dataclass
class Capacity:
    """Every bookable resource of a replication (plain Python objects, no env)."""

    clinician_books: list[AppointmentBook]
    tele_book: AppointmentBook
    evening_books: list[AppointmentBook]
    practice_clinicians: list[tuple[int, ...]]  # tuples: the items sit in the object, read on every request
    practice_accepting: list[tuple[int, ...]]
    er_doctors: list[list[int]]
    store: SlotStore  # every book's slot lists (clinician c's open list is list c)
    provider_names: list[str] = field(default_factory=list)

    @property
    def tele_provider(self) -> int:
        return len(self.clinician_books)


def tele_slots_per_hour(tele, population: float) -> float:
    """Teleconsultation slots per hour for a territory of ``population`` (before levers)."""
    return tele.slots_per_hour_per_100k * population / 1e5


def build_capacity(plan: Plan, model: ModelConfig, n_days: int, leave_rng: np.random.Generator,
                   july_week: int, er_hourly_arrivals: np.ndarray) -> Capacity:
    """Books over ``n_days`` days (horizon plus the booking and retry tail), and each ER
    site's doctors by hour of day (``er_hourly_arrivals``: expected arrivals per hour)."""
    t = plan.territory
    parts = _clinician_slot_times(plan, model, n_days, leave_rng, july_week)
    tele_times = _tele_slot_times(plan, model, n_days)
    evening_times = [session_slots(s.sessions, s.slot_minutes, n_days) for s in t.evening_sites]
    # One store for every list: clinician c's open list is list c, its held list n + c, its
    # CPTS pool 2n + c and its SAS list 3n + c; then the platform's and the evening sites'.
    n, none = t.n_clinicians, np.zeros(0)
    store = SlotStore([p[0] for p in parts] + [p[1] for p in parts] + [p[2] for p in parts] + [p[3] for p in parts]
                      + [tele_times, none, none, none]
                      + [x for times in evening_times for x in (times, none, none, none)])
    # One int object per list (and so per clinician: c is their open list), made together and
    # shared by the books and the practices' tuples: the pathways read them on every request,
    # a few packed lines rather than objects scattered over a large territory's heap.
    ids = list(range(4 * n + 4 * (len(evening_times) + 1)))

    def book(lists):
        return AppointmentBook(*(SlotList(store=store, lst=ids[k]) for k in lists))

    books = [book((c, n + c, 2 * n + c, 3 * n + c)) for c in range(n)]
    tele_book = book(range(4 * n, 4 * n + 4))
    evening = [book(range(4 * n + 4 * (j + 1), 4 * n + 4 * (j + 2))) for j in range(len(evening_times))]
    practice_clinicians, practice_accepting = _practice_lists(t, ids)
    return Capacity(
        clinician_books=books,
        tele_book=tele_book,
        evening_books=evening,
        practice_clinicians=practice_clinicians,
        practice_accepting=practice_accepting,
        er_doctors=_er_doctors(t, model, er_hourly_arrivals),
        store=store,
        provider_names=[*t.clinician_id, "tele_platform", *(s.name for s in t.evening_sites)],
    )


def _clinician_slot_times(plan: Plan, model: ModelConfig, n_days: int, leave_rng: np.random.Generator,
                          july_week: int) -> list:
    """Each clinician's (open, held, CPTS pool, SAS) slot times (minutes), leave taken out."""
    t = plan.territory
    days = np.arange(n_days, dtype=float)
    parts = []
    for c in range(t.n_clinicians):
        # Leave is drawn for every clinician in the same order whatever the levers
        # (common random numbers): clinicians added by a lever come after the others.
        # Docteurs juniors take it too, like the GPs they work beside (ASSUMPTION).
        off = leave_days(leave_rng, model.clinicians.leave_weeks, n_days, july_week)
        gains = plan.gains.get(c)
        gain_by_day = cast(np.ndarray, sum(g.at(days) for g in gains)) if gains else None
        times = clinician_slots(t.clinician_sessions[c], int(t.clinician_slot_minutes[c]), n_days,
                                plan.start_day[c], plan.end_day[c], gain_by_day)
        # a unit's doctors are posts of a rota: someone is always on duty
        if len(off) and t.clinician_kind[c] not in NO_LEAVE_KINDS:
            times = times[~np.isin(times // MIN_PER_DAY, off)]
        parts.append(split_slots(times, float(t.clinician_same_day_share[c]), float(plan.pool_share[c]),
                                 float(plan.sas_share[c])))
    return parts


def _tele_slot_times(plan: Plan, model: ModelConfig, n_days: int) -> np.ndarray | list:
    """The teleconsultation platform's slot times (minutes): parallel lines in its opening
    hours, as many as its slots per hour need."""
    tele = model.tele
    sessions = [Session(d, tele.open_hours[0] * MIN_PER_HOUR, tele.open_hours[1] * MIN_PER_HOUR)
                for d in sorted(set(tele.open_days))]
    per_hour = tele_slots_per_hour(tele, plan.territory.population.sum()) + plan.tele_extra_slots_per_hour
    parallel = max(1, round(per_hour * tele.slot_minutes / MIN_PER_HOUR))
    return session_slots(sessions, tele.slot_minutes, n_days, parallel=parallel) if per_hour > 0 else []


def _practice_lists(t: Territory, ids: list[int]) -> tuple[list[tuple[int, ...]], list[tuple[int, ...]]]:
    """Practice → its clinicians, and those of them who take new patients (the clinicians'
    shared int objects ``ids``)."""
    pc: list[list[int]] = [[] for _ in t.practice_id]
    pa: list[list[int]] = [[] for _ in t.practice_id]
    for c, p in enumerate(t.clinician_practice.tolist()):
        pc[p].append(ids[c])
        if t.clinician_accepts_new[c]:
            pa[p].append(ids[c])
    return [tuple(cs) for cs in pc], [tuple(cs) for cs in pa]


def _er_doctors(t: Territory, model: ModelConfig, er_hourly_arrivals: np.ndarray) -> list[list[int]]:
    """Each ER site's doctors by hour of day: the territory's roster, else the staffing rule."""
    er_doctors = []
    for j, s in enumerate(t.er_sites):
        if s.doctors:
            er_doctors.append([round(x) for x in s.doctors])
        else:
            er_doctors.append(staffing_rule(er_hourly_arrivals[j], model.er.service_minutes_mean,
                                            model.er.target_occupancy, model.er.min_doctors))
    return er_doctors


def expected_er_arrivals(t: Territory, model: ModelConfig, nearest_er: np.ndarray,
                         avoidable_allowance: float = 0.25) -> np.ndarray:
    """Expected ER arrivals per hour of day at each site (for the staffing rule)."""
    d = model.demand
    per_commune = (t.age_pop * np.asarray(d.emergency_per_year)[None, :]).sum(axis=1) / DAYS_PER_YEAR
    per_site = np.bincount(nearest_er, weights=per_commune, minlength=len(t.er_sites))
    hour = np.asarray(d.hour_emergency, dtype=float)
    hour = hour / hour.sum()
    return (1 + avoidable_allowance) * per_site[:, None] * hour[None, :]

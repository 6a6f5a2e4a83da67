"""Capacity (« offre de soins »): books for clinicians, the teleconsultation platform and
evening-care sites, and the ER sites' staffing, built for one replication."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .book import AppointmentBook, leave_days, session_slots, split_slots
from .calendar import MIN_PER_DAY
from .config import ModelConfig
from .er import staffing_rule
from .territory import Session, Territory


@dataclass
class Capacity:
    """Every bookable resource of a replication (plain Python objects, no env)."""

    clinician_books: list[AppointmentBook]
    tele_book: AppointmentBook
    evening_books: list[AppointmentBook]
    practice_clinicians: list[list[int]]
    practice_accepting: list[list[int]]
    cpts_member: np.ndarray  # bool per practice
    cpts_area: np.ndarray  # bool per commune
    er_doctors: list[list[int]]
    provider_names: list[str] = field(default_factory=list)

    @property
    def tele_provider(self) -> int:
        return len(self.clinician_books)

    def evening_provider(self, j: int) -> int:
        return len(self.clinician_books) + 1 + j


def _lever_mask(values, size: int, index_of) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    if tuple(values) == ("all",):
        mask[:] = True
    else:
        mask[index_of(values)] = True
    return mask


def resolve_levers(t: Territory, model: ModelConfig, path: str = "levers"):
    """Practice and commune masks of the levers (ConfigError on an unknown id or code)."""
    cpts = model.levers.cpts
    if not cpts.enabled:
        return np.zeros(len(t.practice_id), dtype=bool), np.zeros(t.n_communes, dtype=bool)
    members = _lever_mask(cpts.members, len(t.practice_id),
                          lambda v: t.practice_index(v, f"{path}.cpts.members"))
    area = _lever_mask(cpts.area, t.n_communes, lambda v: t.commune_index(v, f"{path}.cpts.area"))
    return members, area


def build_capacity(t: Territory, model: ModelConfig, n_days: int, leave_rng: np.random.Generator,
                   july_week: int, er_hourly_arrivals: np.ndarray) -> Capacity:
    """Books over ``n_days`` days (horizon plus the booking and retry tail)."""
    members, area = resolve_levers(t, model)
    cpts = model.levers.cpts
    books = []
    for c in range(t.n_clinicians):
        times = session_slots(t.clinician_sessions[c], int(t.clinician_slot_minutes[c]), n_days)
        off = leave_days(leave_rng, model.clinicians.leave_weeks, n_days, july_week)
        if len(off):
            times = times[~np.isin(times // MIN_PER_DAY, off)]
        pool_share = cpts.pool_share if members[t.clinician_practice[c]] else 0.0
        books.append(AppointmentBook(*split_slots(times, float(t.clinician_same_day_share[c]), pool_share)))
    tele = model.tele
    tele_sessions = [Session(d, tele.open_hours[0] * 60, tele.open_hours[1] * 60) for d in sorted(set(tele.open_days))]
    tele_book = AppointmentBook(session_slots(tele_sessions, tele.slot_minutes, n_days,
                                              parallel=max(1, round(tele.slots_per_hour * tele.slot_minutes / 60)))
                                if tele.slots_per_hour > 0 else [])
    evening = [AppointmentBook(session_slots(s.sessions, s.slot_minutes, n_days)) for s in t.evening_sites]
    pc: list[list[int]] = [[] for _ in t.practice_id]
    pa: list[list[int]] = [[] for _ in t.practice_id]
    for c, p in enumerate(t.clinician_practice):
        pc[p].append(c)
        if t.clinician_accepts_new[c]:
            pa[p].append(c)
    er_doctors = []
    for j, s in enumerate(t.er_sites):
        if s.doctors:
            er_doctors.append([int(round(x)) for x in s.doctors])
        else:
            er_doctors.append(staffing_rule(er_hourly_arrivals[j], model.er.service_minutes_mean,
                                            model.er.target_occupancy, model.er.min_doctors))
    names = list(t.clinician_id) + ["tele_platform"] + [s.name for s in t.evening_sites]
    return Capacity(books, tele_book, evening, pc, pa, members, area, er_doctors, names)


def expected_er_arrivals(t: Territory, model: ModelConfig, nearest_er: np.ndarray,
                         avoidable_allowance: float = 0.25) -> np.ndarray:
    """Expected ER arrivals per hour of day at each site (for the staffing rule)."""
    d = model.demand
    per_commune = (t.age_pop * np.asarray(d.emergency_per_year)[None, :]).sum(axis=1) / 365.0
    per_site = np.bincount(nearest_er, weights=per_commune, minlength=len(t.er_sites))
    hour = np.asarray(d.hour_emergency, dtype=float)
    hour = hour / hour.sum()
    return (1 + avoidable_allowance) * per_site[:, None] * hour[None, :]

"""The plan: a territory with its levers applied, as one record a replication reads.

Every field is named and every record is built with keyword arguments.  The small records
(:class:`Departure`, :class:`Transfer`, :class:`CapGrowth`, :class:`Campaign`) are named tuples so that code
written for the plain tuples they replace (``day, clinician = departure``) keeps working.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from simsoins.territory import Territory

#: An end day for what never ends (days).
INF = float("inf")


@dataclass
class Gain:
    """A change of a clinician's slots per session: ``value`` (+0.072 = 7.2 % more),
    from ``start`` to ``end`` (days), reached linearly over ``ramp`` days."""

    value: float
    start: float
    end: float = INF
    ramp: float = 0.0

    def at(self, days: np.ndarray) -> np.ndarray:
        """The gain on each of ``days`` (simulated days): 0 outside [start, end)."""
        on = (days >= self.start) & (days < self.end)
        frac = np.ones_like(days, dtype=float) if self.ramp <= 0 else np.clip((days - self.start) / self.ramp, 0, 1)
        return np.where(on, self.value * frac, 0.0)


class Departure(NamedTuple):
    """A clinician who stops working (« départ »): from ``day`` on, no slots and no MT
    patients; ordered by day, then clinician."""

    day: int
    clinician: int


class Transfer(NamedTuple):
    """A GP who moves practice on ``day`` (« regroupement » into a centre opening later):
    up to then they work as ``clinician``, from then on as ``to`` (their row at the new
    practice, with their own sessions), and their MT patients follow them."""

    day: int
    clinician: int
    to: int


class CapGrowth(NamedTuple):
    """A clinician whose MT panel cap grows by ``share_per_year`` of its initial value
    each year from ``start_day`` (assistants médicaux)."""

    clinician: int
    share_per_year: float
    start_day: float


class Campaign(NamedTuple):
    """CPTS campaign (« campagne d'attribution de médecins traitants »): on ``day``, a
    ``share`` of the residents without an MT in ``area`` (per commune) are registered with
    ``clinicians`` (per clinician), whose panels may exceed their cap by ``room``."""

    day: int
    area: np.ndarray
    share: float
    clinicians: np.ndarray
    room: float


@dataclass(kw_only=True)
class Plan:
    """A territory with its levers applied: what a replication needs beyond the territory
    as written.  Arrays are per commune, per practice or per clinician of ``territory``
    (the territory as written plus what the levers add); days count from the run's start.
    The defaults are the values with every lever off."""

    territory: Territory
    #: communes × clinicians: MT registrations (« patientèle médecin traitant ») at the start.
    panels: np.ndarray
    #: per clinician: most MT patients they take (persons).
    panel_cap: np.ndarray
    #: per clinician: first day with slots, first day without.
    start_day: np.ndarray
    end_day: np.ndarray
    #: per clinician: may be a médecin traitant.
    mt_capable: np.ndarray
    #: per practice: a médicobus stop; same-day slots open to every acute patient.
    medicobus: np.ndarray
    open_held: np.ndarray
    #: per clinician: share of slots in the CPTS pool, share held for the SAS.
    pool_share: np.ndarray
    sas_share: np.ndarray
    #: CPTS area (per commune) and member practices (per practice).
    cpts_area: np.ndarray
    cpts_member: np.ndarray
    #: per commune: teleconsultation eligibility multiplier; eligibility factor of the
    #: oldest age band (NaN = the model's own); uptake (share of eligible requests).
    tele_eligibility: np.ndarray
    tele_old_factor: np.ndarray
    tele_uptake: np.ndarray
    #: per clinician: changes of their slots per session.
    gains: dict[int, list[Gain]] = field(default_factory=dict)
    cap_growth: list[CapGrowth] = field(default_factory=list)
    departures: list[Departure] = field(default_factory=list)
    transfers: list[Transfer] = field(default_factory=list)
    campaign: Campaign | None = None
    #: share of requests kept after prevention, by need (vocabulary.NEEDS order), from
    #: ``prevention_day``.
    demand_keep: tuple[float, float, float] = (1.0, 1.0, 1.0)
    prevention_day: int = 0
    #: teleconsultation platform slots added per hour.
    tele_extra_slots_per_hour: int = 0
    #: the population's ageing (simsoins/levers/ageing.py): communes × age bands of each
    #: year of the run, and the day each year's population starts applying to demand
    #: (empty: the territory's own ``age_pop`` all along)
    age_pop_by_year: list[np.ndarray] = field(default_factory=list)
    age_pop_from_day: list[int] = field(default_factory=list)
    #: the lever sizes cut to what the territory has: {"lever", "key", "asked", "applied",
    #: "limit"} each (simsoins.levers.builder.LeverContext.cap); not read by the engine.
    capped: list[dict] = field(default_factory=list)

"""The records of a loaded territory: :class:`Territory`, its sessions and its sites.

Every index is a row number: commune ``i`` is row ``i`` of ``commune_code``, ``lon``,
``population``…; a practice, a clinician or a site names its commune by that row number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from simsoins.config.model import ConfigError
from simsoins.territory.geometry import ROAD_FACTOR


@dataclass(frozen=True)
class Session:
    """A weekly session (« plage de consultation »): weekday 0=Monday, minutes from 00:00."""

    weekday: int
    start: int
    end: int


@dataclass(frozen=True)
class Site:
    """A point of care that is not a practice: an ER or an evening-care site."""

    name: str
    commune: int
    sessions: tuple[Session, ...] = ()
    slot_minutes: int = 15
    doctors: tuple[float, ...] = ()  # ER: doctors per hour of day (24 values), empty = rule
    finess: str = ""  # FINESS (établissement géographique) of an ER site, when known


@dataclass(frozen=True)
class Territory:
    """Arrays describing a territory; every index is a row number in these arrays."""

    name: str
    commune_code: tuple[str, ...]  # INSEE code (« code commune »)
    commune_name: tuple[str, ...]
    lon: np.ndarray  # degrees, WGS84
    lat: np.ndarray
    population: np.ndarray  # inhabitants per commune (« population municipale »)
    age_pop: np.ndarray  # communes × age bands, inhabitants
    without_mt_share: float  # residents without a « médecin traitant » at the start, 0-1
    practice_id: tuple[str, ...]
    practice_name: tuple[str, ...]
    practice_commune: np.ndarray  # commune row of each practice
    practice_kind: tuple[str, ...]  # cabinet, msp, centre_sante, hopital_proximite, medicobus
    clinician_id: tuple[str, ...]
    clinician_practice: np.ndarray  # practice row of each clinician
    clinician_kind: tuple[str, ...]  # gp or junior
    clinician_sessions: tuple[tuple[Session, ...], ...]
    clinician_slot_minutes: np.ndarray  # minutes per « créneau »
    clinician_same_day_share: np.ndarray  # share of slots kept for same-day requests, 0-1
    clinician_accepts_new: np.ndarray  # bool: takes new médecin-traitant patients
    er_sites: tuple[Site, ...]
    evening_sites: tuple[Site, ...]
    km_commune_practice: np.ndarray  # communes × practices, road km
    km_commune_er: np.ndarray  # communes × ER sites, road km
    km_commune_evening: np.ndarray  # communes × evening sites, road km
    panel_dispersion: float  # sd of log panel size factor
    panel_seed: int
    road_factor: float = ROAD_FACTOR
    #: what is still a rule in this territory (ids of simsoins.territory.rules.RULES)
    rules: tuple[str, ...] = ()
    #: each commune's département in a territory of several ("" otherwise)
    commune_departement: tuple[str, ...] = ()

    @property
    def n_communes(self) -> int:
        return len(self.commune_code)

    @property
    def n_clinicians(self) -> int:
        return len(self.clinician_id)

    def commune_index(self, codes: Sequence[str], field: str) -> list[int]:
        """Row numbers of commune ``codes``; an unknown code raises a ConfigError on ``field``."""
        return _rows(self.commune_code, codes, field, f"commune code in territory {self.name}")

    def practice_index(self, ids: Sequence[str], field: str) -> list[int]:
        """Row numbers of practice ``ids``; an unknown id raises a ConfigError on ``field``."""
        return _rows(self.practice_id, ids, field, f"practice id in territory {self.name}")


def _rows(keys: tuple[str, ...], wanted: Sequence[str], field: str, what: str) -> list[int]:
    """Row numbers of ``wanted`` in ``keys``; a miss is an « unknown ``what`` » on ``field``."""
    lookup = {c: i for i, c in enumerate(keys)}
    out = []
    for c in wanted:
        if str(c) not in lookup:
            raise ConfigError(f"{field} = {c!r}: unknown {what}")
        out.append(lookup[str(c)])
    return out


def territory_summary(t: Territory) -> dict:
    """A few figures for logs and docs (population in inhabitants, GPs per 100,000)."""
    return {
        "communes": t.n_communes,
        "population": round(float(t.population.sum())),
        "practices": len(t.practice_id),
        "clinicians": t.n_clinicians,
        "er_sites": len(t.er_sites),
        "gp_per_100k": round(float(100_000 * t.n_clinicians / t.population.sum()), 1),
    }

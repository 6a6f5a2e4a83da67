"""Where GP consultations land, by commune (``communes.parquet``): consultations per
inhabitant a year, and a simulated accessibility index computed as DREES and the Cnam
compute the APL (« accessibilité potentielle localisée »), from the consultations the
simulation delivered rather than from the GPs' recorded activity.

The APL is a two-step floating catchment (2SFCA) with distance decay: each practice's
supply (its consultations a year) is shared over the age-standardised population within
reach of it; a commune's index sums the shares of the practices within its reach, each
weighted by the decay.  Result: consultations accessible per standardised inhabitant a
year.  Source of the decay and of the age weights: DREES, *Indicateur d'accessibilité
potentielle localisée (APL) aux médecins généralistes*, workbook, millésime 2023
(Licence Ouverte).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simsoins.results.kpis import consulted, measured
from simsoins.results.record import ReplicationResult
from simsoins.vocabulary import DAYS_PER_YEAR, MIN_PER_DAY

#: GP consumption of each of the model's age bands relative to the national average: the
#: DREES/Cnam APL weights (``poids_2023``, DCIR, by five-year band) averaged within each
#: band, weighted by France's metropolitan population in each five-year band (INSEE,
#: population by age on 1 January 2025, 96 départements).  Computed once from
#: ``apl-poids-age-medecine-generale.csv`` and ``population-age-departements.csv`` (the
#: project's shared data); carried here so that a run reads no file for them.
APL_AGE_WEIGHTS: dict[str, float] = {"0-14": 0.712, "15-44": 0.784, "45-59": 1.039, "60-74": 1.283, "75+": 1.735}
#: Road speed turning road km into minutes: 60 km/h, one km a minute. ASSUMPTION, the one
#: the levers' APL-like score already makes (``CATCHMENT_KM`` in simsoins/levers/places.py:
#: 20 km for the APL's 20 minutes).
ROAD_KM_PER_MINUTE = 1.0
#: APL distance decay (DREES workbook): weight 1 under 10 minutes by road, 2/3 from 10 to
#: under 15, 1/3 from 15 to under 20, 0 from 20 minutes on.  (upper bound, weight) pairs.
APL_DECAY: tuple[tuple[float, float], ...] = ((10.0, 1.0), (15.0, 2 / 3), (20.0, 1 / 3))

#: Columns of communes.parquet after scenario and replication (docs/model.md §6).
COLUMNS = ["code", "name", "population", "lon", "lat", "population_standardised",
           "gp_consultations_per_inhabitant_year", "accessibility_index"]


@dataclass(frozen=True)
class CommunePlaces:
    """What the commune table needs of a territory (with its levers applied), as plain
    arrays: the communes (row ``i`` = commune ``i``), road km from each commune to each
    practice, and each clinician's practice."""

    code: tuple[str, ...]
    name: tuple[str, ...]
    population: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    population_standardised: np.ndarray
    km_commune_practice: np.ndarray  # communes × practices, road km
    clinician_practice: np.ndarray  # practice row of each clinician


def standardised_population(age_pop: np.ndarray, bands: tuple[str, ...] | list[str]) -> np.ndarray:
    """Inhabitants of each commune weighted by :data:`APL_AGE_WEIGHTS` (``age_pop``:
    communes × ``bands``).  Age bands other than the model's five have no carried weight:
    the population is then left unweighted (every weight 1), as docs/model.md §6 says."""
    age_pop = np.asarray(age_pop, dtype=float)
    if list(bands) != list(APL_AGE_WEIGHTS):
        return age_pop.sum(axis=1)
    return age_pop @ np.array(list(APL_AGE_WEIGHTS.values()))


def decay(minutes: np.ndarray) -> np.ndarray:
    """The APL weight of each road time in ``minutes`` (:data:`APL_DECAY`)."""
    minutes = np.asarray(minutes, dtype=float)
    out = np.zeros(minutes.shape)
    for bound, weight in reversed(APL_DECAY):  # the nearest band written last wins
        out[minutes < bound] = weight
    return out


def accessibility_index(supply: np.ndarray, km: np.ndarray, population_standardised: np.ndarray) -> np.ndarray:
    """The 2SFCA index of each commune: ``supply`` (per practice, a year) over the
    standardised population within reach of each practice (decay-weighted), summed over
    the practices within reach of the commune (decay-weighted).  A practice that nobody
    reaches shares its supply with nobody."""
    w = decay(np.asarray(km, dtype=float) / ROAD_KM_PER_MINUTE)  # communes × practices
    demand = np.asarray(population_standardised, dtype=float) @ w
    share = np.divide(supply, demand, out=np.zeros(len(demand)), where=demand > 0)
    return w @ share


def commune_table(rep: ReplicationResult, places: CommunePlaces) -> pd.DataFrame:
    """One row per commune (:data:`COLUMNS`) for one replication: GP-type consultations
    attended by its residents, per inhabitant a year (the territory KPI's count, by commune
    of residence), and the accessibility index from the consultations each practice's
    clinicians gave, both over the requests made in the measured window."""
    ev = measured(rep, ["commune", "outcome", "t_appointment_min", "no_show", "provider"])
    years = (rep.window[1] - rep.window[0]) / MIN_PER_DAY / DAYS_PER_YEAR
    seen = consulted(ev) & ~ev["no_show"].to_numpy()
    n = len(places.code)
    by_commune = np.bincount(ev["commune"].cat.codes.to_numpy()[seen], minlength=n)
    prov = ev["provider"].to_numpy()
    n_clinicians = rep.provider_names.index("tele_platform")  # providers from it on: platform, evening sites
    clinician = seen & (prov >= 0) & (prov < n_clinicians)
    practice = np.asarray(places.clinician_practice)[prov[clinician]]
    supply = np.bincount(practice, minlength=places.km_commune_practice.shape[1]) / years
    pop = np.asarray(places.population, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_inhabitant = np.where(pop > 0, by_commune / pop / years, np.nan)
    return pd.DataFrame({
        "code": list(places.code), "name": list(places.name), "population": pop,
        "lon": np.asarray(places.lon, dtype=float), "lat": np.asarray(places.lat, dtype=float),
        "population_standardised": np.asarray(places.population_standardised, dtype=float),
        "gp_consultations_per_inhabitant_year": per_inhabitant.astype(float),
        "accessibility_index": accessibility_index(supply, places.km_commune_practice,
                                                   places.population_standardised),
    }, columns=COLUMNS)

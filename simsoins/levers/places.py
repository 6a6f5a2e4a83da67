"""What levers share to place themselves on any territory: dates to days, named places
to rows, and the rule that ranks communes for ``auto`` (« accessibilité »).

``auto`` ranks communes by a two-step floating catchment access score (an APL-like
measure): the GP slots within :data:`CATCHMENT_KM` per inhabitant within it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np

from simsoins.config.model import RunConfig
from simsoins.config.schema import ConfigError
from simsoins.territory import Session, Territory, parse_sessions, weekly_slots

#: Days per month: 365.25 / 12 = 30.4375, rounded to two decimals (the rounded value is
#: the one the model has always used; changing it moves every lever's dates).
DAYS_PER_MONTH = 30.44
#: Catchment of the access score (km by road). CALIBRATION §13: the APL counts GPs up to
#: ~20 minutes by road; 20 km for 20 minutes: ASSUMPTION.
CATCHMENT_KM = 20.0
#: Place names that are not places: a rule (``auto``), every place (``all``), none.
NOT_A_PLACE = ("auto", "all", "", "none")


def day_of(date: str, run: RunConfig, default: float = 0.0) -> float:
    """Simulated day of an ISO date ('' = ``default``)."""
    if not date:
        return default
    return float((dt.date.fromisoformat(date) - run.start).days)


def anniversary_days(first: dt.date, run: RunConfig, most: int = 0) -> list[float]:
    """Simulated days of ``first`` and its anniversaries before the run's end (warm-up +
    its measured years), at most ``most`` of them (0: no limit): the yearly calendars of
    the levers (a cohort of docteurs juniors, assistants added each year)."""
    days: list[float] = []
    while not most or len(days) < most:
        day = day_of(anniversary(first, len(days)).isoformat(), run)
        if day >= run.end_day:
            break
        days.append(day)
    return days


def anniversary(date: dt.date, years: int) -> dt.date:
    """``date`` ``years`` later (29 February: the 28th in other years)."""
    try:
        return date.replace(year=date.year + years)
    except ValueError:
        return date.replace(year=date.year + years, day=28)


def access_score(t: Territory) -> np.ndarray:
    """Per commune: weekly GP slots within the catchment per inhabitant within it (2SFCA)."""
    near = t.km_commune_practice <= CATCHMENT_KM  # communes × practices
    slots = np.bincount(t.clinician_practice, weights=weekly_slots(t), minlength=len(t.practice_id))
    demand = near.T.astype(float) @ t.population  # per practice
    # the floor only keeps the division finite where np.where discards it
    ratio = np.where(demand > 0, slots / np.maximum(demand, 1e-9), 0.0)
    return near.astype(float) @ ratio


def underserved(t: Territory, candidates: np.ndarray) -> list[int]:
    """The ``candidates`` communes (a boolean mask), least access first, then the most
    populous first among equals."""
    score = access_score(t)
    idx = np.flatnonzero(candidates)
    return [int(i) for i in idx[np.lexsort((-t.population[idx], score[idx]))]]


def auto_commune(t: Territory, value: str, field_: str, min_population: float, rank: int = 0) -> int:
    """Row of commune ``value``; for ``auto``, the ``rank``-th least served commune
    (0: the least served) of :func:`auto_candidates`."""
    if value != "auto":
        return t.commune_index([value], field_)[0]
    return auto_candidates(t, min_population)[rank]


def auto_candidates(t: Territory, min_population: float) -> list[int]:
    """The communes ``auto`` chooses among, least served first: those of at least
    ``min_population`` inhabitants (the most populous commune if none is that large)."""
    big = t.population >= min_population
    return underserved(t, big if big.any() else t.population == t.population.max())


def lever_sessions(items: Sequence[str], field_: str, slot_minutes: int) -> tuple[Session, ...]:
    """A lever's weekly sessions (``["mon 08:30-12:30", ...]``); at least one."""
    sessions = parse_sessions(list(items), field_, slot_minutes)
    if not sessions:
        raise ConfigError(f"{field_} = []: has no session; give at least one, e.g. 'mon 08:30-12:30'")
    return sessions


def check_communes(t: Territory, codes: Sequence[str], field_: str) -> None:
    """Every commune code in ``codes`` exists (rules such as ``auto`` aside)."""
    t.commune_index([c for c in codes if c not in NOT_A_PLACE], field_)


def clinician_indices(t: Territory, ids: Sequence[str], field_: str) -> list[int]:
    """Rows of clinician ``ids``; an unknown id raises a ConfigError on ``field_``."""
    lookup = {c: i for i, c in enumerate(t.clinician_id)}
    for c in ids:
        if c not in lookup:
            raise ConfigError(f"{field_} = {c!r}: unknown clinician id in territory {t.name}")
    return [lookup[c] for c in ids]

"""The population's ageing over a multi-year run (« vieillissement de la population »).

Each year every commune's age bands move on by one linear rule (:func:`year_matrix`): a
share ``moving_up[b]`` of band ``b`` reaches band ``b + 1`` (the people in the band's last
year of age), a share ``oldest_death_rate`` of the oldest band dies, and as many births as
deaths enter the first band, so each commune keeps its population.  Year 0 is the warm-up
and the first measured year (the territory as written: INSEE 2025); year ``k`` ≥ 1 starts
on day ``warmup_days + k × horizon_days``, the measured years of the KPIs
(``RunConfig.years``).  The plan carries each year's populations
(``Plan.age_pop_by_year``); :class:`~simsoins.sim.demand.DemandGenerator` switches to them
on each year's first day.
"""

from __future__ import annotations

import numpy as np

from simsoins.config.ageing import Ageing
from simsoins.config.schema import ConfigError
from simsoins.levers.builder import LeverContext
from simsoins.levers.plan import Plan

FIELD = "demography.ageing"


def shape(plan: Plan, ageing: Ageing, ctx: LeverContext) -> None:
    """Give the plan each year's population by commune × age band (called in runs with
    the demographic changes on; without, the plan keeps the territory's own)."""
    run = ctx.run
    matrix = year_matrix(ageing, plan.territory.age_pop.shape[1])
    plan.age_pop_by_year = populations(plan.territory.age_pop, matrix, run.years)
    plan.age_pop_from_day = [0] + [run.warmup_days + k * run.horizon_days for k in range(1, run.years)]


def year_matrix(ageing: Ageing, n_bands: int) -> np.ndarray:
    """bands × bands: next year's population of each band (rows) from this year's (columns)."""
    up = np.asarray(ageing.moving_up, dtype=float)
    if len(up) != n_bands - 1:
        raise ConfigError(f"{FIELD}.moving_up = {list(ageing.moving_up)}: must have one share per age band "
                          f"but the last ({n_bands - 1}: demand.age_bands has {n_bands})")
    stay = np.append(1.0 - up, 1.0 - ageing.oldest_death_rate)
    m = np.diag(stay)
    m[np.arange(1, n_bands), np.arange(n_bands - 1)] = up  # moving up
    m[0, -1] += ageing.oldest_death_rate  # births replace deaths
    return m


def populations(age_pop: np.ndarray, matrix: np.ndarray, years: int) -> list[np.ndarray]:
    """communes × bands of each of ``years`` years, the first being ``age_pop``."""
    out = [np.asarray(age_pop, dtype=float)]
    for _ in range(1, years):
        out.append(out[-1] @ matrix.T)
    return out

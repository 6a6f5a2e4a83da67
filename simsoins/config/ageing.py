"""The population's ageing over a multi-year run (read by :mod:`simsoins.levers.ageing`).

Each year, a share of each age band moves up to the next band (the people in the band's
last year of age), a share of the oldest band dies, and as many births as deaths enter the
first band, so the total population stays constant (ASSUMPTION: Loir-et-Cher's population
is nearly flat, and KPIs per 1,000 inhabitants keep one denominator).  docs/model.md
("Several years: population and calendars") gives the rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simsoins.config.schema import rng


@dataclass(frozen=True)
class Ageing:
    """How the population of each age band moves on, year after year."""

    #: share of each band but the last that moves up to the next band each year: the band's
    #: top five-year group / 5 over the band's population, metropolitan France at 1 Jan 2025
    #: (INSEE, estimations de population, Dec 2024; scripts/ageing_rates.py prints them,
    #: nationally and per département: Loir-et-Cher 0.0763, 0.0373, 0.0715, 0.0649)
    moving_up: tuple[float, ...] = field(default=(0.0745, 0.0352, 0.0674, 0.0619), metadata=rng(0, 1))
    #: deaths a year per inhabitant of the oldest band (75+): INSEE, bilan démographique
    #: 2024: 646,000 deaths in France and 10.7 % of 68.6 M inhabitants aged 75+; the share
    #: of deaths at 75+ taken as 3/4 (ASSUMPTION) → 0.75 × 646,000 / 7.34 M ≈ 0.066
    oldest_death_rate: float = field(default=0.066, metadata=rng(0, 1))

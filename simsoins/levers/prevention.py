"""Prevention (« prévention »): from ``start_date``, each request of a need is kept with
probability 1 − its reduction, using its own uniform draw, so that the same patients
remain (common random numbers; the draw is in ``simsoins.sim.demand``).
"""

from __future__ import annotations

from simsoins.config.levers import PreventionLever
from simsoins.levers.builder import LeverContext
from simsoins.levers.plan import Plan

NAME = "prevention"


def shape(plan: Plan, cfg: PreventionLever, ctx: LeverContext) -> None:
    """Share of requests kept, by need, and the day it starts."""
    plan.demand_keep = (1 - cfg.routine_reduction, 1 - cfg.acute_reduction, 1 - cfg.emergency_reduction)
    plan.prevention_day = int(ctx.day(cfg.start_date))

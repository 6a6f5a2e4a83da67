"""Prevention (« prévention ») as a hypothesis, not a lever: from ``start_date``, each
request of a need is kept with probability 1 − its reduction, using its own uniform draw,
so that the same patients remain (common random numbers; the draw is in
``simsoins.sim.demand``).  No French evaluation gives a prevention programme's effect on
acute GP or ER demand of a territory, so the reduction is the input and the result: it is
not offered as a scenario but as the sensitivity ``prevention_hypothetique``
(configs/sensitivity/), « what if a prevention programme avoided this much demand ».
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

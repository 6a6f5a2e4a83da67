"""Teleconsultation (« téléconsultation »): more platform slots per hour, higher uptake
and eligibility everywhere; and cabines (in pharmacies or mairies) in the named communes —
``auto``: the :data:`AUTO_CABINES` least served communes of at least
:data:`CABINE_MIN_POPULATION` inhabitants — which make the oldest age band eligible and
raise uptake there.
"""

from __future__ import annotations

import logging

import numpy as np

from simsoins.config.levers import TeleLever
from simsoins.levers.builder import LeverContext
from simsoins.levers.places import check_communes, underserved
from simsoins.levers.plan import Plan

NAME = "teleconsultation"
#: ``auto`` cabines: how many, and in communes of at least how many inhabitants (a
#: commune with a pharmacy: 85 % of cabins are in pharmacies, CALIBRATION §21). ASSUMPTION.
AUTO_CABINES = 5
CABINE_MIN_POPULATION = 500
log = logging.getLogger(__name__)


def check(cfg: TeleLever, ctx: LeverContext) -> None:
    """The named cabine communes exist."""
    check_communes(ctx.territory, cfg.cabines, ctx.where(f"{NAME}.cabines"))


def shape(plan: Plan, cfg: TeleLever, ctx: LeverContext) -> None:
    """Eligibility, the oldest band's factor and uptake per commune; the platform's extra slots."""
    t0 = ctx.territory
    plan.tele_eligibility = np.full(t0.n_communes, 1.0 + cfg.eligibility_gain)
    plan.tele_old_factor = old = np.full(t0.n_communes, np.nan)
    plan.tele_uptake = uptake = np.full(t0.n_communes, min(1.0, ctx.model.pathways.tele_uptake + cfg.uptake_gain))
    plan.tele_extra_slots_per_hour = cfg.extra_slots_per_hour
    if cfg.cabines:
        cabines = _cabines(cfg, ctx)
        old[cabines] = 1.0
        uptake[cabines] = np.minimum(1.0, uptake[cabines] + cfg.cabine_uptake_gain)


def _cabines(cfg: TeleLever, ctx: LeverContext) -> list[int]:
    """Rows of the communes with a cabine."""
    t0 = ctx.territory
    if tuple(cfg.cabines) == ("auto",):
        found = underserved(t0, t0.population >= CABINE_MIN_POPULATION)[:AUTO_CABINES]
        if len(found) < AUTO_CABINES:  # a small territory: fewer cabines, said and recorded
            log.warning("%s = auto: territory %s has %d communes of at least %d inhabitants; %d cabines, not %d",
                        ctx.where(f"{NAME}.cabines"), t0.name, len(found), CABINE_MIN_POPULATION, len(found),
                        AUTO_CABINES)
            ctx.cap(NAME, "cabines", AUTO_CABINES, len(found), len(found))
        return found
    return t0.commune_index(cfg.cabines, ctx.where(f"{NAME}.cabines"))

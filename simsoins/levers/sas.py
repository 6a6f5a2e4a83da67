"""SAS (« service d'accès aux soins »): the GPs who volunteer as « effecteurs » hold SAS
slots for the regulation line, which places the acute requests primary care could not
(its regulators, calls and orientations: ``simsoins.sim.sas``, ``Router.after_sas``).

``effecteur_share`` of the GPs who may be a médecin traitant volunteer, evenly spread
over the territory's list of clinicians (every 1/share-th one); together they hold
``slot_share`` of those GPs' slots, each ``slot_share / effecteur_share`` of theirs.
"""

from __future__ import annotations

import numpy as np

from simsoins.config.levers import SasLever
from simsoins.levers.builder import LeverContext
from simsoins.levers.plan import Plan

NAME = "sas"


def effecteurs(mt_capable: np.ndarray, share: float) -> np.ndarray:
    """Mask of the volunteers: of the MT-capable clinicians in list order, the k-th (from
    0) volunteers when ⌊(k + 1)·share⌋ > ⌊k·share⌋, i.e. every 1/share-th one."""
    idx = np.flatnonzero(mt_capable)
    k = np.arange(len(idx))
    out = np.zeros(len(mt_capable), dtype=bool)
    out[idx[np.floor((k + 1) * share) > np.floor(k * share)]] = True
    return out


def per_effecteur(cfg: SasLever) -> float:
    """Share of an effecteur's slots held for the SAS (``france_sante`` uses it too)."""
    return min(1.0, cfg.slot_share / cfg.effecteur_share)


def shape(plan: Plan, cfg: SasLever, ctx: LeverContext) -> None:
    """Hold the SAS share of each effecteur's slots."""
    if cfg.enabled:
        each = per_effecteur(cfg)
        plan.sas_share = np.where(effecteurs(plan.mt_capable, cfg.effecteur_share), each, 0.0)

"""SAS (« service d'accès aux soins »): every GP who may be a médecin traitant holds
``slot_share`` of their slots for the SAS regulation line, which places the acute
requests primary care could not (its regulators and calls: ``simsoins.sim.sas``).
"""

from __future__ import annotations

import numpy as np

from simsoins.config.levers import SasLever
from simsoins.levers.builder import LeverContext
from simsoins.levers.plan import Plan

NAME = "sas"


def shape(plan: Plan, cfg: SasLever, ctx: LeverContext) -> None:
    """Hold the SAS share of each MT-capable GP's slots."""
    if cfg.enabled:
        plan.sas_share = np.where(plan.mt_capable, cfg.slot_share, 0.0)

"""Assistants médicaux: ``count`` GPs (the listed ``clinicians``, else the GPs with the
most MT patients per weekly slot) get ``acts_gain`` more slots per session from
``start_date``, reached over ``ramp_months`` (shorter consultations, spread evenly); their
MT panel cap grows by ``panel_gain`` over ``panel_gain_years``.
"""

from __future__ import annotations

import logging

import numpy as np

from simsoins.config.levers import AssistantsLever
from simsoins.levers.builder import LeverContext
from simsoins.levers.places import DAYS_PER_MONTH, clinician_indices
from simsoins.levers.plan import INF, CapGrowth, Gain, Plan
from simsoins.territory import weekly_slots

NAME = "assistants_medicaux"
log = logging.getLogger(__name__)


def check(cfg: AssistantsLever, ctx: LeverContext) -> None:
    """The listed clinicians exist (even with ``count`` 0)."""
    clinician_indices(ctx.territory, cfg.clinicians, ctx.where(f"{NAME}.clinicians"))


def shape(plan: Plan, cfg: AssistantsLever, ctx: LeverContext) -> None:
    """More slots and a growing panel cap for each chosen GP."""
    start = ctx.day(cfg.start_date)
    for c in _chosen(cfg, ctx):
        plan.gains.setdefault(c, []).append(Gain(cfg.acts_gain, start, INF, cfg.ramp_months * DAYS_PER_MONTH))
        plan.cap_growth.append(CapGrowth(clinician=c, share_per_year=cfg.panel_gain / cfg.panel_gain_years,
                                         start_day=start))


def _chosen(cfg: AssistantsLever, ctx: LeverContext) -> list[int]:
    """The GPs with an assistant: the listed ones, else the ``count`` GPs with the most MT
    patients per weekly slot."""
    t = ctx.territory
    if cfg.clinicians:
        return clinician_indices(t, cfg.clinicians, ctx.where(f"{NAME}.clinicians"))
    if cfg.count <= 0:
        return []
    load = ctx.base_panels.sum(axis=0) / np.maximum(weekly_slots(t), 1)
    gps = [c for c in np.argsort(-load, kind="stable") if t.clinician_kind[c] == "gp"]
    if cfg.count > len(gps):  # the scenario's size on a smaller territory: said, not silent
        log.warning("%s = %d: territory %s has %d GPs; all of them get an assistant", ctx.where(f"{NAME}.count"),
                    cfg.count, t.name, len(gps))
        ctx.cap(NAME, "count", cfg.count, len(gps), len(gps))
    return [int(c) for c in gps[: cfg.count]]

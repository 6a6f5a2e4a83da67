"""Assistants médicaux: ``count`` GPs (the listed ``clinicians``, else the GPs with the
most MT patients per weekly slot) get ``acts_gain`` more slots per session from
``start_date``, reached over ``ramp_months`` (shorter consultations, spread evenly); their
MT panel cap grows by ``panel_gain`` over ``panel_gain_years``.  With ``added_per_year``,
that many more GPs, the next ones in the same ranking, get an assistant on each
anniversary of ``start_date`` during the run, each with their own ramp, panel growth and
contract years (the aid by contract year: simsoins/results/costs.py); never more GPs than
the territory has (the cut is recorded).
"""

from __future__ import annotations

import datetime as dt
import logging

import numpy as np

from simsoins.config.levers import AssistantsLever
from simsoins.levers.builder import LeverContext
from simsoins.levers.places import DAYS_PER_MONTH, anniversary_days, clinician_indices
from simsoins.levers.plan import INF, CapGrowth, Gain, Plan
from simsoins.territory import weekly_slots

NAME = "assistants_medicaux"
log = logging.getLogger(__name__)


def check(cfg: AssistantsLever, ctx: LeverContext) -> None:
    """The listed clinicians exist (even with ``count`` 0)."""
    clinician_indices(ctx.territory, cfg.clinicians, ctx.where(f"{NAME}.clinicians"))


def shape(plan: Plan, cfg: AssistantsLever, ctx: LeverContext) -> None:
    """More slots and a growing panel cap for each chosen GP, from the day they get their assistant."""
    for c, start in _calendar(cfg, ctx):
        plan.gains.setdefault(c, []).append(Gain(cfg.acts_gain, start, INF, cfg.ramp_months * DAYS_PER_MONTH))
        plan.cap_growth.append(CapGrowth(clinician=c, share_per_year=cfg.panel_gain / cfg.panel_gain_years,
                                         start_day=start))


def _calendar(cfg: AssistantsLever, ctx: LeverContext) -> list[tuple[int, float]]:
    """(GP, the day they get an assistant): the first ones on ``start_date``, then, if there
    are any, ``added_per_year`` more on each of its anniversaries during the run."""
    start = ctx.day(cfg.start_date)
    first = _chosen(cfg, ctx)
    if cfg.added_per_year <= 0 or not first:  # a lever off (count 0) adds no one later either
        return [(c, start) for c in first]
    days = anniversary_days(dt.date.fromisoformat(cfg.start_date) if cfg.start_date else ctx.run.start, ctx.run)
    later = days[1:]  # the anniversaries: the start itself is the first wave
    asked = len(first) + cfg.added_per_year * len(later)
    taken = set(first)
    nxt = [c for c in _ranking(ctx) if c not in taken]
    if len(first) + len(nxt) < asked:
        log.warning("%s = %d: territory %s has %d more GPs to give one; the additions stop there",
                    ctx.where(f"{NAME}.added_per_year"), cfg.added_per_year, ctx.territory.name, len(nxt))
        ctx.cap(NAME, "added_per_year", asked, len(first) + len(nxt), len(first) + len(nxt))
    out = [(c, start) for c in first]
    for k, day in enumerate(later):
        out += [(c, day) for c in nxt[k * cfg.added_per_year: (k + 1) * cfg.added_per_year]]
    return out


def _ranking(ctx: LeverContext) -> list[int]:
    """The territory's GPs, the most MT patients per weekly slot first."""
    t = ctx.territory
    load = ctx.base_panels.sum(axis=0) / np.maximum(weekly_slots(t), 1)
    return [int(c) for c in np.argsort(-load, kind="stable") if t.clinician_kind[c] == "gp"]


def _chosen(cfg: AssistantsLever, ctx: LeverContext) -> list[int]:
    """The GPs with an assistant: the listed ones, else the ``count`` GPs with the most MT
    patients per weekly slot."""
    t = ctx.territory
    if cfg.clinicians:
        return clinician_indices(t, cfg.clinicians, ctx.where(f"{NAME}.clinicians"))
    if cfg.count <= 0:
        return []
    gps = _ranking(ctx)
    if cfg.count > len(gps):  # the scenario's size on a smaller territory: said, not silent
        log.warning("%s = %d: territory %s has %d GPs; all of them get an assistant", ctx.where(f"{NAME}.count"),
                    cfg.count, t.name, len(gps))
        ctx.cap(NAME, "count", cfg.count, len(gps), len(gps))
    return gps[: cfg.count]

"""CPTS (« communauté professionnelle territoriale de santé »): member practices move
``pool_share`` of their slots into a shared pool (« créneaux de soins non programmés de
la CPTS ») open to any acute patient of the CPTS ``area``, with or without a médecin
traitant; and, if ``mt_campaign_share`` > 0, a campaign on ``start_date`` that registers
that share of the area's residents without an MT with member GPs, whose panels may exceed
their cap by ``mt_campaign_room``.
"""

from __future__ import annotations

import numpy as np

from simsoins.config.levers import CptsLever
from simsoins.levers.builder import LeverContext
from simsoins.levers.places import check_communes
from simsoins.levers.plan import Campaign, Plan

NAME = "cpts"
ALL = ("all",)


def check(cfg: CptsLever, ctx: LeverContext) -> None:
    """The named communes and member practices exist (even with the lever off)."""
    t = ctx.territory
    check_communes(t, cfg.area, ctx.where(f"{NAME}.area"))
    t.practice_index([p for p in cfg.members if p != "all"], ctx.where(f"{NAME}.members"))


def shape(plan: Plan, cfg: CptsLever, ctx: LeverContext) -> None:
    """Mark the area and the members, give members' GPs a pool share, plan the campaign."""
    if not cfg.enabled:
        return
    t0, practice = ctx.territory, plan.territory.clinician_practice
    member, area = plan.cpts_member, plan.cpts_area
    if tuple(cfg.members) == ALL:
        member[:] = True  # the practices the other levers add too
    else:
        member[t0.practice_index(cfg.members, ctx.where(f"{NAME}.members"))] = True
    area[:] = tuple(cfg.area) == ALL
    if tuple(cfg.area) != ALL:
        area[t0.commune_index(cfg.area, ctx.where(f"{NAME}.area"))] = True
    # a médicobus GP keeps their slots for their stops
    plan.pool_share = np.where(member[practice] & ~plan.medicobus[practice], cfg.pool_share, 0.0)
    if cfg.mt_campaign_share > 0:
        plan.campaign = Campaign(day=int(ctx.day(cfg.start_date)), area=area.copy(), share=cfg.mt_campaign_share,
                                 clinicians=member[practice] & plan.mt_capable, room=cfg.mt_campaign_room)

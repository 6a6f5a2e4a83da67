"""A new MSP or centre de santé (« nouveau centre de santé »): a practice at ``commune``
(``auto``: the least served commune of at least :data:`AUTO_MIN_POPULATION` inhabitants)
whose ``gps`` GPs join evenly over ``ramp_months`` after ``opening_date``, with extended
hours and a ``same_day_share`` of slots held for same-day requests and open to every
patient (see ``builder.OPEN_TO_ALL_KINDS``); they take new MT patients.
"""

from __future__ import annotations

from simsoins.config.levers import NewCentreLever
from simsoins.levers.builder import Additions, LeverContext, NewClinician, NewPractice
from simsoins.levers.places import DAYS_PER_MONTH, auto_commune, check_communes, lever_sessions

NAME = "nouveau_centre"
#: ``auto`` places the centre in a commune of at least this many inhabitants: a bourg
#: large enough to recruit GPs and draw patients from its neighbours. ASSUMPTION.
AUTO_MIN_POPULATION = 2_000


def check(cfg: NewCentreLever, ctx: LeverContext) -> None:
    """The named commune exists (even with the lever off)."""
    check_communes(ctx.territory, [cfg.commune], ctx.where(f"{NAME}.commune"))


def add(new: Additions, cfg: NewCentreLever, ctx: LeverContext) -> None:
    """Add the centre and its GPs, each from their joining day."""
    if not cfg.enabled:
        return
    t = ctx.territory
    commune = auto_commune(t, cfg.commune, ctx.where(f"{NAME}.commune"), AUTO_MIN_POPULATION)
    name = f"Nouveau {cfg.kind.replace('_', ' ')} {t.commune_name[commune]}"
    p = new.add_practice(NewPractice(id="NC-1", name=name, commune=commune, kind=cfg.kind))
    sessions = lever_sessions(cfg.schedule, ctx.where(f"{NAME}.schedule"), cfg.slot_minutes)
    opening = ctx.day(cfg.opening_date)
    for k in range(cfg.gps):
        join = opening + (cfg.ramp_months * DAYS_PER_MONTH * k / cfg.gps)
        gp = NewClinician(id=f"NC-G{k + 1}", practice=p, kind="gp", sessions=sessions,
                          slot_minutes=cfg.slot_minutes, same_day_share=cfg.same_day_share)
        new.add_clinician(gp, join)

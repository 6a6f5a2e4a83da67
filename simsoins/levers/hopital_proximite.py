"""Hôpital de proximité: consultations and a small unscheduled unit at a local hospital
at ``commune`` (``auto``: the least served commune of at least
:data:`AUTO_MIN_POPULATION` inhabitants): ``doctors`` doctors from ``opening_date``, with
``unscheduled_share`` of their slots held for same-day requests and open to every acute
patient.
"""

from __future__ import annotations

from simsoins.config.levers import HospitalLever
from simsoins.levers.builder import Additions, LeverContext, NewClinician, NewPractice
from simsoins.levers.places import auto_commune, check_communes, lever_sessions

NAME = "hopital_proximite"
#: ``auto`` places the hospital in a commune of at least this many inhabitants: a small
#: town, as for a new centre. ASSUMPTION.
AUTO_MIN_POPULATION = 2_000


def check(cfg: HospitalLever, ctx: LeverContext) -> None:
    """The named commune exists (even with the lever off)."""
    check_communes(ctx.territory, [cfg.commune], ctx.where(f"{NAME}.commune"))


def add(new: Additions, cfg: HospitalLever, ctx: LeverContext) -> None:
    """Add the hospital and its doctors."""
    if not cfg.enabled:
        return
    t = ctx.territory
    commune = auto_commune(t, cfg.commune, ctx.where(f"{NAME}.commune"), AUTO_MIN_POPULATION)
    hospital = NewPractice(id="HP-1", name=f"Hôpital de proximité {t.commune_name[commune]}", commune=commune,
                           kind="hopital_proximite")
    p = new.add_practice(hospital)
    sessions = lever_sessions(cfg.schedule, ctx.where(f"{NAME}.schedule"), cfg.slot_minutes)
    for k in range(cfg.doctors):
        doctor = NewClinician(id=f"HP-D{k + 1}", practice=p, kind="gp", sessions=sessions,
                              slot_minutes=cfg.slot_minutes, same_day_share=cfg.unscheduled_share)
        new.add_clinician(doctor, ctx.day(cfg.opening_date))

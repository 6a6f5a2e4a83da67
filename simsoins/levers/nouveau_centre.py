"""A new centre de santé or MSP (« nouveau centre de santé », « maison de santé
pluriprofessionnelle ») at ``commune`` (``auto``: the least served commune of at least
:data:`AUTO_MIN_POPULATION` inhabitants, or the ``candidate_rank``-th least served), with
``gps`` GPs, of whom a share ``from_existing_share`` come from existing practices of the
surrounding area and the others are newcomers.  The ``kind`` decides how it works:

- ``centre_sante``: salaried GPs with extended hours (``schedule``: evenings to 20:00 and
  Saturday morning), ``same_day_share`` of slots held for same-day requests and open to
  every patient, new MT patients taken; few of its GPs come from the area's practices.
- ``msp``: GPs of the area regroup (« regroupement ») with newcomers, on standard hours
  (``msp_schedule``); its same-day slots are open to every patient too (the ACI's
  « soins non programmés » commitment).

A GP who regroups moves with their sessions, slots and MT patients (patients follow their
médecin traitant, who is a person, not a practice): their old practice loses them, the
centre gains them, and the territory's capacity does not change — no productivity gain
of regrouping is published (CALIBRATION §11: effect of MSP/CdS on access not found).  They
move on ``opening_date`` (:class:`~simsoins.levers.plan.Transfer`: until then they work at
their own practice; from the start if the centre is open from the start).  Only the
newcomers add capacity, joining evenly over ``ramp_months`` after ``opening_date``.
"""

from __future__ import annotations

import logging

import numpy as np

from simsoins.config.levers import NO_CENTRE, NewCentreLever
from simsoins.config.schema import ConfigError
from simsoins.levers.builder import Additions, LeverContext, NewClinician, NewPractice
from simsoins.levers.places import (
    CATCHMENT_KM,
    DAYS_PER_MONTH,
    auto_candidates,
    auto_commune,
    check_communes,
    lever_sessions,
)

NAME = "nouveau_centre"
#: ``auto`` places the centre in a commune of at least this many inhabitants: a bourg
#: large enough to recruit GPs and draw patients from its neighbours. ASSUMPTION.
AUTO_MIN_POPULATION = 2_000
log = logging.getLogger(__name__)


def check(cfg: NewCentreLever, ctx: LeverContext) -> None:
    """The named commune exists (even with the lever off); the candidate's rank is one
    of the territory's candidates."""
    check_communes(ctx.territory, [cfg.commune], ctx.where(f"{NAME}.commune"))
    if cfg.commune == "auto" and cfg.candidate_rank != NO_CENTRE:
        count = len(auto_candidates(ctx.territory, AUTO_MIN_POPULATION))
        if cfg.candidate_rank >= count:
            where = ctx.where(f"{NAME}.candidate_rank")
            raise ConfigError(f"{where} = {cfg.candidate_rank}: territory {ctx.territory.name} has {count} "
                              f"candidate commune(s) of ≥ {AUTO_MIN_POPULATION:,} inhabitants; "
                              f"allowed 0 to {count - 1}, or {NO_CENTRE} (no centre)")


def add(new: Additions, cfg: NewCentreLever, ctx: LeverContext) -> None:
    """Add the centre, move the GPs who regroup into it, and add the newcomers, each from
    their joining day."""
    if not cfg.enabled or cfg.candidate_rank == NO_CENTRE:
        return
    t = ctx.territory
    commune = auto_commune(t, cfg.commune, ctx.where(f"{NAME}.commune"), AUTO_MIN_POPULATION, cfg.candidate_rank)
    name = f"Nouveau {cfg.kind.replace('_', ' ')} {t.commune_name[commune]}"
    p = new.add_practice(NewPractice(id="NC-1", name=name, commune=commune, kind=cfg.kind))
    asked = round(cfg.existing_share * cfg.gps)
    movers = movers_from_area(ctx, commune, asked)
    if len(movers) < asked:  # fewer GPs within reach: the rest come as newcomers, said and recorded
        log.warning("%s: %d GPs asked to move in, %d within %g km of %s; the others are newcomers",
                    ctx.where(f"{NAME}.from_existing_share"), asked, len(movers), CATCHMENT_KM,
                    t.commune_name[commune])
        ctx.cap(NAME, "movers", asked, len(movers), len(movers))
    opening = ctx.day(cfg.opening_date)
    for c in movers:  # on the opening day, with their patients
        new.move_clinician(c, p, opening)
    schedule, field_ = (cfg.schedule, "schedule") if cfg.kind == "centre_sante" else (cfg.msp_schedule, "msp_schedule")
    sessions = lever_sessions(schedule, ctx.where(f"{NAME}.{field_}"), cfg.slot_minutes)
    newcomers = cfg.gps - len(movers)
    for k in range(newcomers):
        join = opening + (cfg.ramp_months * DAYS_PER_MONTH * k / newcomers)
        gp = NewClinician(id=f"NC-G{k + 1}", practice=p, kind="gp", sessions=sessions,
                          slot_minutes=cfg.slot_minutes, same_day_share=cfg.same_day_share)
        new.add_clinician(gp, join)


def movers_from_area(ctx: LeverContext, commune: int, count: int) -> list[int]:
    """``count`` GPs (at most those there are) of the practices within
    :data:`~simsoins.levers.places.CATCHMENT_KM` of ``commune``: one from each practice,
    nearest practice first, round after round, each practice's last listed GP first."""
    t = ctx.territory
    km = t.km_commune_practice[commune]
    near = [int(p) for p in np.argsort(km, kind="stable") if km[p] <= CATCHMENT_KM]
    members = {p: [c for c in range(t.n_clinicians) if t.clinician_practice[c] == p and t.clinician_kind[c] == "gp"]
               for p in near}
    picked: list[int] = []
    while len(picked) < count and any(members.values()):
        for p in near:
            if members[p] and len(picked) < count:
                picked.append(members[p].pop())
    return picked

"""Hôpital de proximité: the unscheduled-care consultation unit (« consultations de soins
non programmés ») of a local hospital at ``commune`` (``auto``: the least served commune of
at least :data:`AUTO_MIN_POPULATION` inhabitants), from ``opening_date``.

Not a practice like a new centre: ``doctors`` doctors on duty during its hours (a rota;
posts, not persons, so no leave), every slot unscheduled — same-day, open to every acute
patient, never bookable for routine care, no médecin traitant.  The pathways reach it after
primary care fails and before evening care and the ER (sim/router.py), and a walk-in's
distance to primary care counts it while open (sim/walkin.py), so it diverts walk-ins
from the ER where it is nearer.
"""

from __future__ import annotations

from simsoins.config.levers import HospitalLever
from simsoins.levers.builder import Additions, LeverContext, NewClinician, NewPractice
from simsoins.levers.places import auto_commune, check_communes, lever_sessions

NAME = "hopital_proximite"
#: ``auto`` places the hospital in a commune of at least this many inhabitants: a small
#: town, as for a new centre. ASSUMPTION.
AUTO_MIN_POPULATION = 2_000
#: The unit's practice kind, and its doctors' clinician kind: the pathways tell it from a
#: practice by it (not a médecin traitant, not in the walk through practices).
UNIT_KIND = "unite_snp"
DOCTOR_KIND = "hospital"


def check(cfg: HospitalLever, ctx: LeverContext) -> None:
    """The named commune exists (even with the lever off)."""
    check_communes(ctx.territory, [cfg.commune], ctx.where(f"{NAME}.commune"))


def add(new: Additions, cfg: HospitalLever, ctx: LeverContext) -> None:
    """Add the unit and its doctors on duty, every slot held for same-day acute care."""
    if not cfg.enabled:
        return
    t = ctx.territory
    commune = auto_commune(t, cfg.commune, ctx.where(f"{NAME}.commune"), AUTO_MIN_POPULATION)
    unit = NewPractice(id="HP-1", name=f"Hôpital de proximité {t.commune_name[commune]} (soins non programmés)",
                       commune=commune, kind=UNIT_KIND)
    p = new.add_practice(unit)
    sessions = lever_sessions(cfg.schedule, ctx.where(f"{NAME}.schedule"), cfg.slot_minutes)
    for k in range(cfg.doctors):
        doctor = NewClinician(id=f"HP-D{k + 1}", practice=p, kind=DOCTOR_KIND, sessions=sessions,
                              slot_minutes=cfg.slot_minutes, same_day_share=1.0)
        new.add_clinician(doctor, ctx.day(cfg.opening_date))

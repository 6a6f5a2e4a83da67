"""Missions de solidarité territoriale (from September 2025): volunteer GPs give one or
two days a month of consultations in a « zone rouge » (CALIBRATION §11, §18).

The 151 red EPCI are not in the data; the zone is ``commune`` or, for ``auto``, the
least served commune of at least :data:`AUTO_MIN_POPULATION` inhabitants by the model's
access score (:func:`simsoins.levers.places.underserved`).  The consultations are held in a
practice added there (« consultation de solidarité »), open to every patient, never a
médecin traitant.

The ``volunteers`` GPs are listed in ``clinicians``, or chosen by a stated rule: the GPs of
the practices outside the zone commune, nearest practice first, one a practice round
after round (a volunteer travels; the nearest come first).  Each gives ``days_per_month``
of their own working days: from ``start_date``, in each month of
:data:`~simsoins.levers.places.DAYS_PER_MONTH` days, the first day on or after each
1/``days_per_month`` of the month on which they have sessions.  On those days their own
practice has none of their slots, and the zone has the same sessions and slots: a volunteer
moves capacity, they add none to the département (the volunteers are practising GPs,
paid 200 € a day on top of their fees, CALIBRATION §18).
"""

from __future__ import annotations

import numpy as np

from simsoins.config.levers import MissionsLever
from simsoins.levers.builder import Additions, LeverContext, NewClinician, NewPractice
from simsoins.levers.places import DAYS_PER_MONTH, auto_commune, check_communes, clinician_indices
from simsoins.levers.plan import INF, Gain, Plan

NAME = "missions_solidarite"
#: ``auto`` zone: a commune of at least this many inhabitants (enough patients for a
#: visiting GP's day). ASSUMPTION.
AUTO_MIN_POPULATION = 500
#: Ids of the practice and clinicians this lever adds.
PRACTICE_ID = "MS-1"
CLINICIAN_PREFIX = "MS-G"
#: Mission days are set this many days past the run's last day of demand: more than the
#: books' tail (booking horizon and retries, simsoins.sim.params.tail_days); days past the
#: books are never read.
BOOKS_TAIL_DAYS = 366


def check(cfg: MissionsLever, ctx: LeverContext) -> None:
    """The zone commune and the listed volunteers exist (even with the lever off)."""
    check_communes(ctx.territory, [cfg.commune], ctx.where(f"{NAME}.commune"))
    clinician_indices(ctx.territory, cfg.clinicians, ctx.where(f"{NAME}.clinicians"))


def add(new: Additions, cfg: MissionsLever, ctx: LeverContext) -> None:
    """The zone's practice, and for each volunteer a clinician there who works only on the
    volunteer's mission days, while the volunteer's own slots stop on those days."""
    if not cfg.enabled or (cfg.volunteers == 0 and not cfg.clinicians):
        return
    t = ctx.territory
    zone = auto_commune(t, cfg.commune, ctx.where(f"{NAME}.commune"), AUTO_MIN_POPULATION)
    p = new.add_practice(NewPractice(id=PRACTICE_ID, name=f"Mission de solidarité {t.commune_name[zone]}",
                                     commune=zone, kind="cabinet"))
    last = ctx.run.end_day + BOOKS_TAIL_DAYS
    for k, c in enumerate(volunteers(cfg, ctx, zone)):
        days = mission_days(t.clinician_sessions[c], ctx.day(cfg.start_date), cfg.days_per_month, last)
        visitor = NewClinician(id=f"{CLINICIAN_PREFIX}{k + 1}", practice=p, kind="gp", sessions=t.clinician_sessions[c],
                               slot_minutes=int(t.clinician_slot_minutes[c]),
                               same_day_share=float(t.clinician_same_day_share[c]))
        v = new.add_clinician(visitor, 0.0)
        new.add_gain(v, Gain(value=-1.0, start=0.0, end=INF))  # no slots but on mission days
        for d in days:
            new.add_gain(c, Gain(value=-1.0, start=d, end=d + 1))
            new.add_gain(v, Gain(value=1.0, start=d, end=d + 1))


def volunteers(cfg: MissionsLever, ctx: LeverContext, zone: int) -> list[int]:
    """Rows of the volunteers: listed, or ``volunteers`` GPs of the practices outside the
    zone commune, nearest first, one a practice in turn (at most those there are)."""
    t = ctx.territory
    if cfg.clinicians:
        return clinician_indices(t, cfg.clinicians, ctx.where(f"{NAME}.clinicians"))
    km = t.km_commune_practice[zone]
    near = [int(p) for p in np.argsort(km, kind="stable") if t.practice_commune[p] != zone]
    gps = {p: [c for c in range(t.n_clinicians) if t.clinician_practice[c] == p and t.clinician_kind[c] == "gp"]
           for p in near}
    picked: list[int] = []
    while len(picked) < cfg.volunteers and any(gps.values()):
        for p in near:
            if gps[p] and len(picked) < cfg.volunteers:
                picked.append(gps[p].pop(0))
    if len(picked) < cfg.volunteers:
        ctx.cap(NAME, "volunteers", cfg.volunteers, len(picked), len(picked))
    return picked


def mission_days(sessions, start: float, per_month: int, n_days: int) -> list[int]:
    """The days (from ``start``, before ``n_days``) a volunteer spends in the zone: in each
    month, the first day with sessions on or after each 1/``per_month`` of it."""
    weekdays = {s.weekday for s in sessions}
    days: list[int] = []
    month = 0
    while start + month * DAYS_PER_MONTH < n_days and weekdays:
        for j in range(per_month):
            d = int(np.ceil(start + (month + j / per_month) * DAYS_PER_MONTH))
            while d % 7 not in weekdays:
                d += 1
            if d < n_days and (not days or d > days[-1]):
                days.append(d)
        month += 1
    return days


def shape(plan: Plan, cfg: MissionsLever, ctx: LeverContext) -> None:
    """The zone's practice is open to every acute patient; its visitors are never MT."""
    if not cfg.enabled:
        return
    t = plan.territory
    visitors = np.array([i.startswith(CLINICIAN_PREFIX) for i in t.clinician_id])
    plan.mt_capable &= ~visitors
    plan.open_held[np.array([p == PRACTICE_ID for p in t.practice_id])] = True

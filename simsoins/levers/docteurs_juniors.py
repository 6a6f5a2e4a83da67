"""Docteurs juniors (« docteurs juniors de médecine générale », 4th year of the DES):
``count`` residents, each with their own schedule and book, placed one per practice down
the list of the most loaded practices (or the listed ``practices``), from ``start_date``
for ``months``.  They see the practice's patients and others but are never médecin
traitant; the practice's GP who supervises each loses ``supervision_share`` of their own
slots over the same days.
"""

from __future__ import annotations

import numpy as np

from simsoins.config.levers import JuniorsLever
from simsoins.levers.builder import Additions, LeverContext, NewClinician
from simsoins.levers.places import DAYS_PER_MONTH, lever_sessions
from simsoins.levers.plan import Gain
from simsoins.territory import weekly_slots

NAME = "docteurs_juniors"


def check(cfg: JuniorsLever, ctx: LeverContext) -> None:
    """The listed practices exist (even with ``count`` 0)."""
    ctx.territory.practice_index(cfg.practices, ctx.where(f"{NAME}.practices"))


def add(new: Additions, cfg: JuniorsLever, ctx: LeverContext) -> None:
    """Add the juniors and their supervisors' loss of slots."""
    if cfg.count <= 0:
        return
    start = ctx.day(cfg.start_date)
    end = start + cfg.months * DAYS_PER_MONTH
    sessions = lever_sessions(cfg.schedule, ctx.where(f"{NAME}.schedule"), cfg.slot_minutes)
    order = _practices(cfg, ctx)
    for k in range(cfg.count):
        p = order[k % len(order)]
        junior = NewClinician(id=f"DJ{k + 1:03d}", practice=p, kind="junior", sessions=sessions,
                              slot_minutes=cfg.slot_minutes, same_day_share=cfg.same_day_share)
        new.add_clinician(junior, start, end)
        supervisor = _supervisor(ctx, p, k // len(order))
        if supervisor is not None and cfg.supervision_share > 0:
            new.add_gain(supervisor, Gain(-cfg.supervision_share, start, end))


def _practices(cfg: JuniorsLever, ctx: LeverContext) -> list[int]:
    """Practices in the order juniors go to them: the listed ones, else the practices with
    the most MT patients per weekly slot first."""
    t = ctx.territory
    if cfg.practices:
        return t.practice_index(cfg.practices, ctx.where(f"{NAME}.practices"))
    n = len(t.practice_id)
    patients = np.bincount(t.clinician_practice, weights=ctx.base_panels.sum(axis=0), minlength=n)
    load = patients / np.maximum(np.bincount(t.clinician_practice, weights=weekly_slots(t), minlength=n), 1)
    return [int(p) for p in np.argsort(-load, kind="stable")]


def _supervisor(ctx: LeverContext, practice: int, turn: int) -> int | None:
    """The clinician of ``practice`` who supervises its ``turn``-th junior (in turn); None
    for a practice without clinicians."""
    t = ctx.territory
    members = [c for c in range(t.n_clinicians) if t.clinician_practice[c] == practice]
    return members[turn % len(members)] if members else None

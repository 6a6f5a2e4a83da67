"""Départs à la retraite: GPs leave without replacement — the listed ``clinicians`` on
their ``dates``, and ``count`` more chosen by a stated rule (one in each of the largest
practices in turn, the practice's last clinician first) leaving evenly over the first
``spread_months``.  From their day on, their book closes and their patients lose their
médecin traitant.
"""

from __future__ import annotations

import numpy as np

from simsoins.config.levers import DeparturesLever
from simsoins.config.model import ConfigError
from simsoins.levers.builder import LeverContext
from simsoins.levers.places import DAYS_PER_MONTH, clinician_indices
from simsoins.levers.plan import Departure, Plan
from simsoins.territory import Territory

NAME = "departs_retraite"


def check(cfg: DeparturesLever, ctx: LeverContext) -> None:
    """The listed clinicians exist, and ``count`` is no more than the clinicians there are
    (capping it silently would simulate fewer departures than the scenario says)."""
    clinician_indices(ctx.territory, cfg.clinicians, ctx.where(f"{NAME}.clinicians"))
    n = ctx.territory.n_clinicians
    if cfg.count > n:
        raise ConfigError(f"{ctx.where(f'{NAME}.count')} = {cfg.count}: more departures than the {n} clinicians "
                          f"of territory {ctx.territory.name}; at most {n}")


def shape(plan: Plan, cfg: DeparturesLever, ctx: LeverContext) -> None:
    """Record each departure and end the clinician's working days on it."""
    listed = clinician_indices(ctx.territory, cfg.clinicians, ctx.where(f"{NAME}.clinicians"))
    departures = [Departure(day=int(ctx.day(d)), clinician=c) for c, d in zip(listed, cfg.dates)]
    if cfg.count > 0:
        picked = _by_practice_size(ctx.territory, cfg.count)
        departures += [Departure(day=int(cfg.spread_months * DAYS_PER_MONTH * k / max(len(picked), 1)), clinician=c)
                       for k, c in enumerate(picked)]
    for d in departures:
        plan.end_day[d.clinician] = min(plan.end_day[d.clinician], float(d.day))
    plan.departures.extend(departures)
    plan.departures.sort()


def _by_practice_size(t: Territory, count: int) -> list[int]:
    """``count`` clinicians (at most all): one in each practice, largest practice first,
    round after round, each practice's last remaining clinician first."""
    n = t.n_clinicians
    order = [int(p) for p in np.argsort(-np.bincount(t.clinician_practice, minlength=len(t.practice_id)),
                                        kind="stable")]
    picked: list[int] = []
    rounds = 0
    while len(picked) < min(count, n) and rounds < n:
        for p in order:
            members = [c for c in range(n) if t.clinician_practice[c] == p and c not in picked]
            if members and len(picked) < count:
                picked.append(members[-1])
        rounds += 1
    return picked

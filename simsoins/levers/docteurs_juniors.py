"""Docteurs juniors (« docteurs juniors de médecine générale », 4th year of the DES): a
cohort of ``count`` residents each November, placed « prioritairement en zone sous-dense »
(CALIBRATION §10, §19): host practices are those with at least one GP to supervise them
(« maître de stage »), in the least served communes first by the model's access score
(:func:`~simsoins.levers.places.access_score`), at most ``per_practice`` juniors each —
one per practice down the list, then a second round (or the listed ``practices``, in
turn); a territory with fewer host places than ``count`` gets as many as it has (logged).
Each junior has their own schedule and book from their cohort's start for ``months`` and
takes leave like the GPs (``clinicians.leave_weeks``, drawn with theirs in
:mod:`simsoins.sim.capacity`); they see the practice's patients and others but are never
médecin traitant; the GP who supervises each loses ``supervision_share`` of their own
slots over the same days.  A new cohort starts on each anniversary of ``start_date``
(2 November) during the run, ``cohorts`` of them (0: every year), in the same host
practices: the leaving cohort is replaced, not followed by a gap.  The cohorts differ in
size (``cohort_scale``, :func:`cohort_sizes`: the internat intakes three years before); a
smaller cohort leaves the last host places of the list empty.
"""

from __future__ import annotations

import datetime as dt
import logging

import numpy as np

from simsoins.config.levers import JuniorsLever
from simsoins.config.schema import ConfigError
from simsoins.levers.builder import Additions, LeverContext, NewClinician
from simsoins.levers.places import DAYS_PER_MONTH, access_score, anniversary_days, lever_sessions
from simsoins.levers.plan import Gain

NAME = "docteurs_juniors"
log = logging.getLogger(__name__)


def check(cfg: JuniorsLever, ctx: LeverContext) -> None:
    """The listed practices exist (even with ``count`` 0)."""
    ctx.territory.practice_index(cfg.practices, ctx.where(f"{NAME}.practices"))


def add(new: Additions, cfg: JuniorsLever, ctx: LeverContext) -> None:
    """Add each cohort's juniors and their supervisors' loss of slots."""
    if cfg.count <= 0:
        return
    sessions = lever_sessions(cfg.schedule, ctx.where(f"{NAME}.schedule"), cfg.slot_minutes)
    starts = cohort_days(cfg, ctx)
    sizes = cohort_sizes(cfg, len(starts))
    largest = max(sizes, default=0)
    hosts = _hosts(cfg, ctx, largest)
    for c, start in enumerate(starts):
        end = start + cfg.months * DAYS_PER_MONTH
        for k, (p, supervisor) in enumerate(hosts[: sizes[c]]):
            junior = NewClinician(id=f"DJ{c * largest + k + 1:03d}", practice=p, kind="junior",
                                  sessions=sessions, slot_minutes=cfg.slot_minutes,
                                  same_day_share=cfg.same_day_share)
            new.add_clinician(junior, start, end)
            if cfg.supervision_share > 0:
                new.add_gain(supervisor, Gain(-cfg.supervision_share, start, end))


def cohort_days(cfg: JuniorsLever, ctx: LeverContext) -> list[float]:
    """Start day of each cohort: ``start_date`` and its anniversaries before the end of
    the run (warm-up + its measured years), at most ``cohorts`` of them (0: no limit)."""
    first = dt.date.fromisoformat(cfg.start_date) if cfg.start_date else ctx.run.start
    return anniversary_days(first, ctx.run, cfg.cohorts)


def cohort_sizes(cfg: JuniorsLever, cohorts: int) -> list[int]:
    """Juniors in each of ``cohorts`` cohorts: ``count`` × its ``cohort_scale`` (the last
    repeated), rounded half up."""
    scale = [cfg.cohort_scale[min(c, len(cfg.cohort_scale) - 1)] for c in range(cohorts)]
    return [int(np.floor(cfg.count * s + 0.5)) for s in scale]


def _hosts(cfg: JuniorsLever, ctx: LeverContext, count: int) -> list[tuple[int, int]]:
    """(practice, supervising GP) of each of a cohort's ``count`` juniors (its largest), in
    order: a smaller cohort takes the first ones, the least served practices."""
    t = ctx.territory
    gps = [[c for c in range(t.n_clinicians) if t.clinician_practice[c] == p and t.clinician_kind[c] == "gp"]
           for p in range(len(t.practice_id))]
    if cfg.practices:
        order = t.practice_index(cfg.practices, ctx.where(f"{NAME}.practices"))
        listed = [p for p in order if gps[p]]
        if not listed:
            raise ConfigError(f"{ctx.where(f'{NAME}.practices')} = {list(cfg.practices)}: no listed "
                              "practice has a GP to supervise a junior")
        places = [listed[k % len(listed)] for k in range(count)]
    else:
        places = _underserved_places(cfg, ctx, gps, count)
    turn: dict[int, int] = {}
    hosts = []
    for p in places:
        k = turn[p] = turn.get(p, -1) + 1
        hosts.append((p, gps[p][k % len(gps[p])]))
    return hosts


def _underserved_places(cfg: JuniorsLever, ctx: LeverContext, gps: list[list[int]], count: int) -> list[int]:
    """Host practice of each junior: practices with a GP, least served commune first (then
    the most populous commune, then the file's order), one junior each per round, at most
    ``per_practice`` (and one per GP) each."""
    t = ctx.territory
    score, pop = access_score(t)[t.practice_commune], t.population[t.practice_commune]
    hosts = [p for p in np.lexsort((np.arange(len(score)), -pop, score)).tolist() if gps[p]]
    room = {p: min(cfg.per_practice, len(gps[p])) for p in hosts}
    places = [p for r in range(max(room.values(), default=0)) for p in hosts if room[p] > r]
    if len(places) < count:
        log.warning("%s = %d: territory %s has %d host places (practices with a GP × per_practice); "
                    "%d juniors a cohort", ctx.where(f"{NAME}.count"), count, t.name, len(places), len(places))
        ctx.cap(NAME, "count", count, len(places), len(places))
    return places[:count]

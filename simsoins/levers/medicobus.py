"""Médicobus: a weekly ``route`` (weekday → commune) with one GP and their slots at each
stop.  Each stop is a practice of kind ``medicobus`` (same-day slots open to every
patient, never a médecin traitant); patients reach it as the nearest practice within their
travel limit.  ``auto`` stops go to the least served communes of at least
:data:`AUTO_STOP_MIN_POPULATION` inhabitants without a practice, then to the least served
of all, one commune per stop.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from simsoins.config.levers import MedicobusLever
from simsoins.config.schema import ConfigError
from simsoins.levers.builder import Additions, LeverContext, NewClinician, NewPractice
from simsoins.levers.places import check_communes, lever_sessions, underserved
from simsoins.vocabulary import WEEKDAYS

NAME = "medicobus"
#: ``auto`` stops first go to communes of at least this many inhabitants (a village with
#: enough patients for a day's stop; CALIBRATION §21: ≈ 25 patients a day). ASSUMPTION.
AUTO_STOP_MIN_POPULATION = 300
#: Share of the bus GP's slots held for same-day requests (as a new centre's default).
#: ASSUMPTION.
SAME_DAY_SHARE = 0.3


def check(cfg: MedicobusLever, ctx: LeverContext) -> None:
    """Every named stop exists (even with the lever off)."""
    for day, code in cfg.route.items():
        check_communes(ctx.territory, [code], ctx.where(f"{NAME}.route.{day}"))


def add(new: Additions, cfg: MedicobusLever, ctx: LeverContext) -> None:
    """Add a stop (a practice and its GP) for each day of the route."""
    if not cfg.enabled:
        return
    t = ctx.territory
    for day, commune in _stops(cfg, ctx):
        sessions = lever_sessions([f"{day} {s}" for s in cfg.sessions], ctx.where(f"{NAME}.sessions"),
                                  cfg.slot_minutes)
        stop = NewPractice(id=f"MB-{day}", name=f"Médicobus {t.commune_name[commune]} ({day})", commune=commune,
                           kind="medicobus")
        p = new.add_practice(stop)
        gp = NewClinician(id=f"MB-{day}-GP", practice=p, kind="gp", sessions=sessions,
                          slot_minutes=cfg.slot_minutes, same_day_share=SAME_DAY_SHARE)
        new.add_clinician(gp, ctx.day(cfg.start_date))


def _stops(cfg: MedicobusLever, ctx: LeverContext) -> Iterator[tuple[str, int]]:
    """(weekday, commune row) of each stop, in weekday order; a commune is used once."""
    t = ctx.territory
    auto = _auto_communes(ctx)
    used: set[int] = set()
    for day in WEEKDAYS:
        code = cfg.route.get(day, "")
        if code in ("", "none"):
            continue
        if code == "auto":
            commune = next((c for c in auto if c not in used), None)
            if commune is None:
                raise ConfigError(f"{ctx.where(f'{NAME}.route.{day}')} = 'auto': no commune left for this stop "
                                  f"(the territory has {t.n_communes}); name one or use 'none'")
        else:
            commune = t.commune_index([code], ctx.where(f"{NAME}.route.{day}"))[0]
        used.add(commune)
        yield day, commune


def _auto_communes(ctx: LeverContext) -> Iterator[int]:
    """Communes for ``auto`` stops, first choice first: the least served of those without
    a practice and large enough, then the least served of all."""
    t = ctx.territory
    has_practice = np.zeros(t.n_communes, dtype=bool)
    has_practice[t.practice_commune] = True
    first = underserved(t, ~has_practice & (t.population >= AUTO_STOP_MIN_POPULATION))
    return iter(first + underserved(t, np.ones(t.n_communes, dtype=bool)))

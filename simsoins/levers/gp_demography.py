"""GPs over a multi-year run (« démographie médicale »): retirements by age and
installations, when ``model.demography.applies(run.years)``.  Not a lever: every scenario
of a run has them, and they cost nothing.

- **Retirements.** Each GP of the territory as written (kind ``gp``: not the docteurs
  juniors nor the clinicians levers add) gets an age at the run's start, drawn from the
  national pyramid (``age_shares``, uniform within a band), and a retirement age drawn
  from a normal law (``retirement_age_mean``, ``retirement_age_sd``); a GP already past
  it (cumul emploi-retraite) stops within ``cumul_years``, uniformly.  They leave on the
  day they reach it if it falls inside the run, as :mod:`~simsoins.levers.departs_retraite`
  makes them leave (their book closes, their MT patients lose their MT); when both
  retire a GP, the earlier day wins.  Ages come from a generator seeded by the run's seed,
  a fixed label and the replication: each replication draws its own ages (the pyramid is
  national, the territory's own GPs' ages unknown: that uncertainty is in the intervals),
  and every scenario sees the same ages in the same replication (common random numbers).
- **Installations.** ``installations_per_year`` × the initial GPs join a year, evenly
  over the run, each with the territory's usual GP schedule and an empty MT panel that
  takes new patients, in turn in the practices that have lost a GP by then (earliest
  loss first), else in the practices with a GP, least served commune first
  (:func:`~simsoins.levers.places.access_score` of the territory as written).

A year of the run is ``run.horizon_days`` days: ages advance one year, and
``installations_per_year`` GPs join, per measured year.
"""

from __future__ import annotations

import math
from collections import Counter, deque

import numpy as np

from simsoins.config.gp_demography import AGE_BAND_FROM, AGE_BAND_YEARS, GpDemography
from simsoins.config.model import RunConfig
from simsoins.levers.builder import Additions, LeverContext, NewClinician
from simsoins.levers.places import access_score
from simsoins.levers.plan import INF, Departure, Plan
from simsoins.territory import Session, Territory

#: Label of the ages' generator (with the run's seed): fixed, so that the ages depend on
#: nothing else — not the scenario, not the replication (common random numbers).
AGES_LABEL = 0x6770_6167  # "gpag"
#: Ids of the GPs who install: GI-1, GI-2, …
ID_PREFIX = "GI-"
#: Ages per band in :func:`expected_exit_share`'s integral (midpoint rule).
GRID_PER_BAND = 200


def written_gps(t: Territory) -> np.ndarray:
    """Rows of the territory's GPs as written (kind ``gp``)."""
    return np.array([c for c, k in enumerate(t.clinician_kind) if k == "gp"], dtype=np.int64)


def draw_ages(cfg: GpDemography, n: int, gen: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``n`` GPs' ages at the start and the ages at which they stop (years).  Every
    draw is made for every GP whatever the outcome, so that the same GP keeps the same
    numbers when a parameter changes."""
    shares = np.asarray(cfg.age_shares, dtype=float)
    band = gen.choice(len(shares), size=n, p=shares / shares.sum())
    age = AGE_BAND_FROM + AGE_BAND_YEARS * (band + gen.random(n))
    planned = cfg.retirement_age_mean + cfg.retirement_age_sd * gen.standard_normal(n)
    later = age + cfg.cumul_years * gen.random(n)  # already past it: cumul emploi-retraite
    return age, np.where(planned >= age, planned, later)


def retirements(cfg: GpDemography, t: Territory, run: RunConfig, replication: int = 0) -> list[Departure]:
    """The territory's GPs who reach their retirement age inside the run, by day, with
    the ages of ``replication`` (its own draw, the same in every scenario)."""
    gps = written_gps(t)
    age, stop = draw_ages(cfg, len(gps), np.random.default_rng([run.seed, AGES_LABEL, replication]))
    days = np.floor((stop - age) * run.horizon_days)
    return sorted(Departure(day=int(d), clinician=int(c)) for c, d in zip(gps, days) if d < run.end_day)


def installation_days(initial_gps: int, rate: float, run: RunConfig) -> list[float]:
    """The days GPs install: ``rate`` × ``initial_gps`` a year, one every gap, the first
    half a gap after the start (so every year gets its share, give or take one)."""
    per_year = rate * initial_gps
    if per_year <= 0:
        return []
    gap = run.horizon_days / per_year
    return [(k + 0.5) * gap for k in range(math.ceil(run.end_day / gap)) if (k + 0.5) * gap < run.end_day]


def host_practices(t: Territory, departures: list[Departure], days: list[float]) -> list[int]:
    """Where each installation goes: the practice of the earliest retirement not yet
    replaced by that day, else the practices with a GP in turn, least served first."""
    lost = deque(departures)
    fallback = least_served_practices(t)
    out: list[int] = []
    turn = 0
    for day in days:
        if lost and lost[0].day <= day:
            out.append(int(t.clinician_practice[lost.popleft().clinician]))
        else:
            out.append(fallback[turn % len(fallback)])
            turn += 1
    return out


def least_served_practices(t: Territory) -> list[int]:
    """The practices with a GP as written, by the access score of their commune (least
    served first), then by row."""
    score = access_score(t)
    hosts = sorted({int(t.clinician_practice[c]) for c in written_gps(t)})
    return sorted(hosts, key=lambda p: (score[t.practice_commune[p]], p))


def usual_gp(t: Territory) -> tuple[tuple[Session, ...], int, float]:
    """The territory's usual GP: the most common sessions, slot length and same-day share
    among its GPs as written (the first listed among equals)."""
    kinds = Counter((t.clinician_sessions[c], int(t.clinician_slot_minutes[c]), float(t.clinician_same_day_share[c]))
                    for c in written_gps(t))
    return kinds.most_common(1)[0][0]


def add(new: Additions, cfg: GpDemography, ctx: LeverContext) -> None:
    """Stage 1: the GPs who install, each from their day, with an empty MT panel."""
    t = ctx.territory
    days = installation_days(len(written_gps(t)), cfg.installations_per_year, ctx.run)
    if not days:
        return
    sessions, slot_minutes, same_day_share = usual_gp(t)
    hosts = host_practices(t, retirements(cfg, t, ctx.run, ctx.replication), days)
    for k, (day, practice) in enumerate(zip(days, hosts)):
        gp = NewClinician(id=f"{ID_PREFIX}{k + 1}", practice=practice, kind="gp", sessions=sessions,
                          slot_minutes=slot_minutes, same_day_share=same_day_share)
        new.add_clinician(gp, day)


def shape(plan: Plan, cfg: GpDemography, ctx: LeverContext) -> None:
    """Stage 2, after the levers: the retirements, merged with the departures already
    planned (the earlier day of a GP wins)."""
    merge_departures(plan, followed(plan, retirements(cfg, ctx.territory, ctx.run, ctx.replication)))


def followed(plan: Plan, departures: list[Departure]) -> list[Departure]:
    """``departures`` of the GPs as written, each to the row they work as on its day: a GP
    who moves practice later (:class:`~simsoins.levers.plan.Transfer`) retires from the
    new practice if they leave after the move; leaving before it, they never move (their
    row there never works, their patients do not follow)."""
    moves = {tr.clinician: tr for tr in plan.transfers}
    out = []
    for d in departures:
        move = moves.get(d.clinician)
        if move is not None and d.day >= move.day:
            d = Departure(day=d.day, clinician=move.to)
        elif move is not None:
            plan.end_day[move.to] = plan.start_day[move.to]
            plan.transfers.remove(move)
        out.append(d)
    return out


def merge_departures(plan: Plan, departures: list[Departure]) -> None:
    """Add ``departures`` to the plan: a clinician already leaving on that day or before
    keeps their day; one leaving later leaves on the new day instead."""
    planned = {d.clinician: d.day for d in plan.departures}
    earlier = {d.clinician: d for d in departures if d.day < planned.get(d.clinician, INF)}
    plan.departures = [d for d in plan.departures if d.clinician not in earlier] + list(earlier.values())
    plan.departures.sort()
    for d in earlier.values():
        plan.end_day[d.clinician] = min(plan.end_day[d.clinician], float(d.day))


def expected_exit_share(cfg: GpDemography, years: float) -> float:
    """The share of GPs the rule makes stop within ``years`` years of the start, by
    integration over the pyramid (uniform within a band): for a GP aged ``a``,
    P(a ≤ R < a + years) + P(R < a) × min(years / cumul_years, 1), R the normal
    retirement age.  The check of the sampled ages and of the exit rate."""
    shares = np.asarray(cfg.age_shares, dtype=float) / sum(cfg.age_shares)
    total = 0.0
    for b, share in enumerate(shares):
        start = AGE_BAND_FROM + AGE_BAND_YEARS * b
        ages = start + AGE_BAND_YEARS * (np.arange(GRID_PER_BAND) + 0.5) / GRID_PER_BAND
        total += share * float(np.mean([_exit_within(cfg, a, years) for a in ages]))
    return total


def _exit_within(cfg: GpDemography, age: float, years: float) -> float:
    """P(a GP aged ``age`` at the start stops within ``years`` years)."""
    def below(x: float) -> float:  # P(R < x)
        if cfg.retirement_age_sd == 0:
            return float(cfg.retirement_age_mean < x)
        return 0.5 * (1 + math.erf((x - cfg.retirement_age_mean) / (cfg.retirement_age_sd * math.sqrt(2))))
    past = below(age)
    later = 1.0 if cfg.cumul_years <= 0 else min(years / cfg.cumul_years, 1.0)
    return below(age + years) - past + past * later

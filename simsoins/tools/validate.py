"""Calibration report: ``python -m simsoins.validate [--replications N] [--out DIR] [--lang fr|en] [overrides]``.

Runs the baseline of a territory (default: Loir-et-Cher) and writes, into ``DIR``
(default ``validation/``):

- ``calibration.csv`` and ``calibration.md`` (French by default, ``--lang en``; words in
  :mod:`simsoins.tools.validate_report`): each public figure the model can produce
  next to the simulated mean with its 95 % CI, the tolerance and the verdict; then the
  time to care over every request, which no public figure measures (no band);
- the warm-up check (MSER-5 on the weekly routine wait, replication 0);
- the number of replications that gives each main KPI a CI half-width within 5 % of
  its mean (the confidence-interval method).

``--stress-des FILE`` writes the STRESS-DES report of the model generated from the config
(docs/stress-des.md is made this way, so it stays true).
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats as st

from simsoins.results.stats import t_interval
from simsoins.tools.common import user_error
from simsoins.tools.validate_report import LANGS, console, markdown
from simsoins.vocabulary import MIN_PER_WEEK


@dataclass(frozen=True)
class Target:
    """A public figure the model can produce (« cible de calibration »)."""

    kpi: str
    low: float
    high: float
    value: str
    source: str
    used_in_fit: bool


#: Targets from the calibration notes (DREES, CNAM, Doctolib); the
#: tolerance is the range [low, high]. ``used_in_fit`` marks the ones the demand rates were
#: tuned on by hand; ``simsoins.tools.calibrate`` fits the uncertain pathway parameters to
#: three others (its ``FIT_TARGETS``); the rest are out-of-sample checks.  The DREES
#: delays count the appointments obtained, so they are compared with the booked-only
#: ``gp_wait_days_*`` and ``gp_within_*`` (requests that gave up are not in them).
TARGETS = (
    Target("gp_wait_days_median", 1.0, 3.0, "2 days", "DREES ER 1085 (2018), Constances 2016-17", True),
    Target("gp_wait_days_mean", 4.0, 8.0, "6 days", "DREES ER 1085 (2018)", True),
    Target("gp_within_1d_share", 0.40, 0.58, "49 % same or next day", "DREES ER 1085 (2018)", False),
    Target("gp_within_2d_share", 0.36, 0.60, "41 % within 48 h (Doctolib 2023)", "Doctolib / FJJ 2023", False),
    Target("gp_consultations_per_inhabitant_year", 2.6, 3.2, "≈2.9 (national); CVL APL 2.9",
           "IQVIA 2018, Doctolib 2023, Insee CVL 2023", True),
    Target("er_visits_per_1000_year", 270, 350, "≈310 per 1,000", "DREES ER 1320 (2023): 20.9 M / 68 M", True),
    Target("er_avoidable_share", 0.06, 0.27, "6-27 % of ED visits", "Yordanov 2019; DREES 2013 survey", False),
    Target("tele_share_of_gp_consultations", 0.012, 0.035, "2.2 % rural (3.2 % national)", "DREES ER 1249", False),
    Target("without_mt_share", 0.10, 0.16, "11 % of adults (national)", "CNAM 2021", False),
    Target("routine_gave_up_share", 0.0, 0.10, "> 90 % of contacts lead to an appointment", "DREES ER 1085", False),
    Target("consultations_per_gp_week", 85, 125, "≈109 (5,000 acts / 45.8 weeks)", "CNAM 2019", False),
)

#: The time to care over every request (those who gave up counted): reported, no band.
TIME_TO_CARE_KPIS = ("routine_time_to_care_days_median", "routine_time_to_care_days_p90",
                     "routine_seen_within_2d_share", "routine_seen_within_7d_share", "gp_time_to_care_days_median",
                     "gp_time_to_care_days_p90")

CANNOT = (
    "The DREES delays count the appointments obtained (booked-only, as the model's `gp_wait_days_*`); no public "
    "figure counts the requests that gave up, so the time to care over every request has no band.",
    "The DREES delays mix every reason for consulting a GP; the model's `gp_wait_days_*` mixes its routine and "
    "acute requests in the proportions of its own demand, which may differ.",
    "The median GP wait, in whole days (DREES: 2), comes out at 4 on Loir-et-Cher: the booked waits have a same- "
    "or next-day mass (≈ 43 %, DREES 49 %) and then the routine bookings spread over the following weeks, so the "
    "share within 3 days is ≈ 49 %, just short of the half; the mean and the shares within 1 and 2 days are inside.",
    "Consultations per GP a week (≈ 83 vs ≈ 109): the CNAM figure is a full-activity GP's; the territory's weekly "
    "schedules are lighter on average and books are not always full. A capacity input, not fitted.",
    "Teleconsultation is a platform plus uptake assumptions: the model cannot tell which GPs offer video slots.",
    "The share without an MT moves only through registrations after visits and a yearly loss rate; "
    "the causes in France (retirements, moves) are not modelled one by one.",
    "Emergencies are an input rate; avoidable visits (acute walk-ins, and acute requests primary care could not "
    "place) respond to primary care. The walk-in rates by hour, distance, age and MT are ASSUMPTIONs set so that "
    "avoidable visits are ≈ 17 % of ED visits (Cour des comptes 2017).",
)


def mser5(series: np.ndarray) -> int:
    """MSER-5 truncation point (in batches of 5 observations): the number of leading
    batches to drop that minimises the standard error of the remaining mean (White 1997)."""
    x = np.asarray(series, dtype=float)
    x = x[~np.isnan(x)]
    m = len(x) // 5
    if m < 4:
        return 0
    b = x[: m * 5].reshape(m, 5).mean(axis=1)
    best, arg = math.inf, 0
    for d in range(m // 2):
        rest = b[d:]
        v = rest.var() / len(rest)
        if v < best:
            best, arg = v, d
    return arg


def replications_needed(values, rel_precision: float = 0.05, level: float = 0.95, cap: int = 10_000) -> int:
    """Smallest n whose Student-t CI half-width is within ``rel_precision`` of the mean,
    from a pilot sample (the confidence-interval method)."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if len(x) < 2 or x.mean() == 0:
        return len(x)
    s, m = x.std(ddof=1), abs(x.mean())
    for n in range(2, cap + 1):
        if st.t.ppf(0.5 + level / 2, n - 1) * s / math.sqrt(n) <= rel_precision * m:
            return n
    return cap


def calibration_table(kpis: pd.DataFrame) -> pd.DataFrame:
    """Targets next to the simulated mean [95 % CI] and the verdict."""
    rows = []
    for tg in TARGETS:
        vals = kpis.loc[kpis["kpi"] == tg.kpi, "value"]
        m, lo, hi, n = t_interval(vals)
        rows.append({"kpi": tg.kpi, "public_figure": tg.value, "source": tg.source, "tolerance_low": tg.low,
                     "tolerance_high": tg.high, "simulated_mean": m, "ci_low": lo, "ci_high": hi, "n": n,
                     "role": "tuned" if tg.used_in_fit else "out-of-sample",
                     "verdict": "inside" if tg.low <= m <= tg.high else "outside"})
    return pd.DataFrame(rows)


def time_to_care_table(kpis: pd.DataFrame) -> pd.DataFrame:
    """:data:`TIME_TO_CARE_KPIS` with their simulated mean [95 % CI]: no public figure, no verdict."""
    rows = []
    for kpi in TIME_TO_CARE_KPIS:
        m, lo, hi, n = t_interval(kpis.loc[kpis["kpi"] == kpi, "value"])
        rows.append({"kpi": kpi, "simulated_mean": m, "ci_low": lo, "ci_high": hi, "n": n})
    return pd.DataFrame(rows)


def weekly_wait(events: pd.DataFrame) -> np.ndarray:
    """Mean routine wait by week of request, from the start (warm-up included)."""
    ev = events[(events["need"] == "routine") & events["wait_days"].notna()]
    return ev.groupby((ev["t_request_min"] // MIN_PER_WEEK).astype(int))["wait_days"].mean().to_numpy()


#: The STRESS-DES report (Monks et al. 2019), filled in by :func:`stress_des`.
STRESS_DES = """# STRESS-DES report — simsoins baseline ({territory_label})

Generated by `python -m simsoins.validate --stress-des` from the configuration; do not edit by hand.

## 1. Objectives
Compare policy levers on access to GP care: days to a routine appointment, acute requests seen within
48 h, avoidable ER visits, residents without a médecin traitant. Audience: ARS planners, élus, CPTS.

## 2. Logic
Discrete-event simulation (SimPy). Requests arrive as a non-homogeneous Poisson process by commune ×
age band × need (routine, acute, emergency); GPs are appointment books of dated slots
(booking horizon {booking_horizon_days} days, {same_day_share:.0%} held same-day);
pathways of docs/model.md §4; ERs are priority queues with hourly staffing. Every request ends in one
outcome, logged.

## 3. Data
{communes} communes, {population:,} inhabitants, {gps} GPs in {practices} practices,
{er_sites} ER sites, {evening_sites} evening-care sites. Sources and assumptions next to each
value in configs/config.yaml and configs/territory/*.yaml; calibration targets in `simsoins.tools.validate.TARGETS`.

## 4. Experimentation
Warm-up {warmup_days} days (checked by MSER-5), horizon {horizon_days} days, {replications} replications,
seed {seed}; named random streams per replication (common random numbers); Student-t 95 % CIs and
paired differences; replications in worker processes (results independent of their number).

## 5. Implementation
Python ≥ 3.11, SimPy 4, numpy, pandas, Hydra; simsoins {version}.
Verification: tests against Erlang C, M/D/1, Cobham priorities, Little's law and the discrete-time
booking queue (tests/test_theory.py).

## 6. Code access
This repository; licence in pyproject.toml.
"""


def stress_des(job) -> str:
    """A STRESS-DES report of the model, generated from a validated config (``cli.Job``)."""
    from simsoins import __version__

    t, m, r = job.territory, job.models["baseline"], job.run
    return STRESS_DES.format(
        territory_label=job.territory_label, booking_horizon_days=m.pathways.booking_horizon_days,
        same_day_share=m.clinicians.same_day_share, communes=t.n_communes,
        population=round(float(t.population.sum())), gps=sum(1 for k in t.clinician_kind if k == "gp"),
        practices=len(t.practice_id), er_sites=len(t.er_sites), evening_sites=len(t.evening_sites),
        warmup_days=r.warmup_days, horizon_days=r.horizon_days, replications=r.replications, seed=r.seed,
        version=__version__)


PROG = "python -m simsoins.validate"
#: The main KPIs whose number of replications the report gives.
MAIN_KPIS = ("routine_wait_days_mean", "acute_within_48h_share", "er_avoidable_visits_per_1000_year",
             "gp_consultations_per_inhabitant_year")


def parser() -> argparse.ArgumentParser:
    """The command line of ``python -m simsoins.validate``."""
    from simsoins.cli import int_at_least

    ap = argparse.ArgumentParser(prog=PROG, description="Run the baseline and compare its KPIs with the "
                                                        "public figures they should reproduce.")
    ap.add_argument("--replications", type=int_at_least(2), default=5, metavar="N",
                    help="replications of the baseline (default 5; at least 2 for a confidence interval)")
    ap.add_argument("--out", type=Path, default=Path("validation"), metavar="DIR",
                    help="folder for calibration.csv and calibration.md (default: validation)")
    ap.add_argument("--lang", choices=LANGS, default="fr",
                    help="language of calibration.md and of the table printed (default: fr)")
    ap.add_argument("--stress-des", type=Path, metavar="FILE", help="write the STRESS-DES report here and stop")
    ap.add_argument("overrides", nargs="*", help="config overrides, e.g. territory=exemple run.horizon_days=90")
    return ap


def prepared_job(overrides: list[str], replications: int):
    """The validated job of ``overrides`` with ``replications``; a bad config stops the
    command with one line on stderr and exit status 2."""
    from simsoins.cli import compose_checked, prepare
    from simsoins.config.model import ConfigError

    cfg = compose_checked(overrides, PROG)
    cfg["run"]["replications"] = replications
    try:
        return prepare(cfg)
    except ConfigError as err:
        user_error(PROG, str(err))


def replications_table(kp: pd.DataFrame) -> pd.DataFrame:
    """For each of :data:`MAIN_KPIS`: the pilot's replications and the number needed."""
    return pd.DataFrame([{"kpi": k, "pilot_n": int((kp["kpi"] == k).sum()),
                          "needed": replications_needed(kp.loc[kp["kpi"] == k, "value"])} for k in MAIN_KPIS])


def write_calibration(job, out: Path, lang: str = "fr") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run the baseline, write ``calibration.csv`` and ``calibration.md`` (in ``lang``) into
    ``out``; return the calibration table and :func:`time_to_care_table`."""
    from simsoins.run.workers import run_all, tables

    run = replace(job.run, event_log="first")
    results = run_all(job.territory, job.models, run, plans=job.plans)
    kp = tables(results)["kpis"]
    table, care = calibration_table(kp), time_to_care_table(kp)
    cut = mser5(weekly_wait(results[0].events))
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "calibration.csv", index=False)
    text = markdown(table, cut, run.warmup_days, replications_table(kp), job.territory_label, care, CANNOT, lang)
    (out / "calibration.md").write_text(text, encoding="utf-8")
    return table, care


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    args = parser().parse_args(argv)
    job = prepared_job(args.overrides, args.replications)
    if args.stress_des:
        args.stress_des.parent.mkdir(parents=True, exist_ok=True)
        args.stress_des.write_text(stress_des(job), encoding="utf-8")
        print(f"STRESS-DES report written to {args.stress_des}")
        return 0
    table, care = write_calibration(job, args.out, args.lang)
    print(console(table, care, args.out / "calibration.md", args.lang))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

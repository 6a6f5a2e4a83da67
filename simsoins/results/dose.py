"""Doses (« dose » d'un levier) in common units: what a scenario adds to or removes from
the territory's GP-type capacity, in GP-slot-equivalents a week over the measured window.

A slot-equivalent is one consultation: one slot of a clinician (GP, docteur junior, new
centre, médicobus, hospital unit), of the teleconsultation platform or of an evening site.
The dose of a scenario is paired by replication (common random numbers) against the
baseline and computed from what the model built, never from the lever's settings:

- capacity: slots offered a week in the window (KPI ``gp_slots_offered_per_week``: the
  books as the replication held them, so ramps, departures, leave, supervision time and a
  cohort leaving before the window ends are in), scenario minus baseline;
- demand: GP-type requests (routine, acute) made a week in the window (KPI
  ``gp_requests_per_week``), baseline minus scenario: a request a prevention programme
  removes frees a slot, so it counts +1.  Requests made again after a missed appointment
  count as requests (``pathways.no_show_rejoin_probability``, off by default).

The dose is their sum.  A lever that moves slots without adding any (CPTS pool, SAS
reservation) has a dose ≈ 0: it is « organisational », and has no effect per slot.
Pure functions of the KPI table (long: scenario, replication, kpi, value).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from simsoins.results.stats import t_interval

OFFERED = "gp_slots_offered_per_week"
REQUESTED = "gp_requests_per_week"
#: Below this share of the baseline's slots a week, a dose is « organisational »: the
#: lever moves slots (or requests) rather than adding them. 0.1 %: ASSUMPTION, well under
#: one GP's week in a département (≈ 0.5 % of Loir-et-Cher's slots).
ORGANISATIONAL_SHARE = 0.001
#: Effects are stated per this many slots a week of dose.
PER_SLOTS = 100.0
#: Columns that :func:`with_doses` adds to a summary.
DOSE_COLUMNS = ["dose_slots_per_week", "dose_slots_per_week_per_100k", "diff_per_100_slots",
                "diff_per_100_slots_ci_low", "diff_per_100_slots_ci_high"]


def replication_doses(kpis: pd.DataFrame, baseline: str = "baseline") -> pd.DataFrame:
    """Per scenario and replication: ``capacity`` (Δ slots offered a week), ``demand``
    (requests a week removed), ``dose`` (their sum), ``base_slots`` (the baseline's slots a
    week). Empty if the table lacks the baseline or the two KPIs (older runs)."""
    cols = ["scenario", "replication", "capacity", "demand", "dose", "base_slots"]
    k = kpis[kpis["kpi"].astype(str).isin([OFFERED, REQUESTED])]
    if k.empty or baseline not in set(k["scenario"].astype(str)):
        return pd.DataFrame(columns=cols)
    wide = (k.assign(scenario=k["scenario"].astype(str), kpi=k["kpi"].astype(str))
            .pivot_table(index=["scenario", "replication"], columns="kpi", values="value", dropna=False))
    if not {OFFERED, REQUESTED} <= set(wide.columns):
        return pd.DataFrame(columns=cols)
    base = wide.xs(baseline, level="scenario")
    d = wide.reset_index().merge(base.add_prefix("base_").reset_index(), on="replication")
    out = pd.DataFrame({"scenario": d["scenario"], "replication": d["replication"],
                        "capacity": d[OFFERED] - d[f"base_{OFFERED}"],
                        "demand": d[f"base_{REQUESTED}"] - d[REQUESTED], "base_slots": d[f"base_{OFFERED}"]})
    out["dose"] = out["capacity"] + out["demand"]
    return out[cols]


def _kind(scenario: str, baseline: str, dose: float, capacity: float, demand: float, base_slots: float) -> str:
    if scenario == baseline:
        return "reference"
    if not np.isfinite(dose) or abs(dose) < ORGANISATIONAL_SHARE * base_slots:
        return "organisational"
    return "capacity" if abs(capacity) >= abs(demand) else "demand"


def dose_table(kpis: pd.DataFrame, population: float | Mapping[str, float], baseline: str = "baseline"
               ) -> pd.DataFrame:
    """One row per scenario: ``dose_slots_per_week`` (mean over replications) with its 95 %
    interval, its ``capacity`` and ``demand`` parts, ``dose_slots_per_week_per_100k``
    (per 100,000 inhabitants; ``population`` one number or one per scenario),
    ``dose_share`` of the baseline's slots, and ``kind`` (reference, capacity, demand,
    organisational)."""
    reps = replication_doses(kpis, baseline)
    rows = []
    for sc, g in reps.groupby("scenario", sort=False):
        m, lo, hi, _ = t_interval(g["dose"])
        cap, dem, base = float(g["capacity"].mean()), float(g["demand"].mean()), float(g["base_slots"].mean())
        pop = population.get(str(sc), np.nan) if isinstance(population, Mapping) else population
        rows.append({"scenario": str(sc), "dose_slots_per_week": m, "dose_ci_low": lo, "dose_ci_high": hi,
                     "capacity": cap, "demand": dem,
                     "dose_slots_per_week_per_100k": m / pop * 1e5 if pop and pop > 0 else np.nan,
                     "dose_share": m / base if base else np.nan,
                     "kind": _kind(str(sc), baseline, m, cap, dem, base)})
    return pd.DataFrame(rows, columns=["scenario", "dose_slots_per_week", "dose_ci_low", "dose_ci_high", "capacity",
                                       "demand", "dose_slots_per_week_per_100k", "dose_share", "kind"])


def with_doses(summary: pd.DataFrame, kpis: pd.DataFrame, population: float | Mapping[str, float],
               baseline: str = "baseline") -> pd.DataFrame:
    """``summary`` (:func:`simsoins.results.stats.summarise`) with :data:`DOSE_COLUMNS`:
    each scenario's dose, and each KPI's paired difference per :data:`PER_SLOTS` slots a
    week of dose (its interval scaled alike, the dose taken as known); NaN for the
    baseline and for organisational scenarios."""
    doses = dose_table(kpis, population, baseline).set_index("scenario")
    out = summary.copy()
    sc = out["scenario"].astype(str)
    out["dose_slots_per_week"] = sc.map(doses["dose_slots_per_week"]).astype(float)
    out["dose_slots_per_week_per_100k"] = sc.map(doses["dose_slots_per_week_per_100k"]).astype(float)
    scaled = sc.map(doses["kind"]).isin(["capacity", "demand"])
    per = np.where(scaled, PER_SLOTS / out["dose_slots_per_week"].where(scaled, 1.0), np.nan)
    for col, src in zip(DOSE_COLUMNS[2:], ("diff_mean", "diff_ci_low", "diff_ci_high")):
        out[col] = out[src] * per
    flip = per < 0  # a negative dose turns the interval over
    lo, hi = out["diff_per_100_slots_ci_low"].copy(), out["diff_per_100_slots_ci_high"].copy()
    out.loc[flip, "diff_per_100_slots_ci_low"], out.loc[flip, "diff_per_100_slots_ci_high"] = hi[flip], lo[flip]
    return out


def scenario_doses(kpis: pd.DataFrame, population: float | Mapping[str, float], baseline: str = "baseline"
                   ) -> dict[str, dict[str, float | str | None]]:
    """The doses as ``scenarios.json`` stores them: ``dose_slots_per_week``,
    ``dose_slots_per_week_per_100k`` and ``dose_kind``, each scenario → value (None when
    unknown: a job of a sweep runs without its baseline)."""
    doses = dose_table(kpis, population, baseline).set_index("scenario")
    scenarios = list(dict.fromkeys(kpis["scenario"].astype(str)))

    def value(sc: str, col: str):
        v = doses[col].get(sc) if sc in doses.index else None
        return None if v is None or (isinstance(v, float) and not np.isfinite(v)) else v

    return {"dose_slots_per_week": {sc: value(sc, "dose_slots_per_week") for sc in scenarios},
            "dose_slots_per_week_per_100k": {sc: value(sc, "dose_slots_per_week_per_100k") for sc in scenarios},
            "dose_kind": {sc: value(sc, "kind") for sc in scenarios}}

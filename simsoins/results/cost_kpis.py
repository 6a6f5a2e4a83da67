"""Cost-effectiveness KPIs (« coût-efficacité »): each scenario's public cost per year
against the baseline's, paired by replication (common random numbers), and the cost of a
unit of what it gains.  docs/model.md §6 defines them.

Per scenario × replication, from the replication's KPIs and the plan's cost lines
(:mod:`simsoins.results.costs`), with ``b`` the baseline's same replication:

- ``public_cost_eur_per_year``: the scenario's lever costs minus the baseline's (the plan's
  lines and the SAS's regulated consultations), plus, when the scenario's teleconsultation
  lever is on, the teleconsultation acts it adds over the baseline's (counted from the run);
- gains a year: ``wait_days_avoided_per_year`` = (b's − the scenario's mean routine time to
  care) × b's routine requests a year; ``gave_up_avoided_per_year`` and
  ``avoidable_er_visits_avoided_per_year``: b's count a year minus the scenario's;
- ``cost_eur_per_*_avoided``: the cost over the gain, NaN when the gain is ≤ 0 (nothing
  gained: no « cost per gain » at all, never a negative one);
- ``er_cost_avoided_eur_per_year``: ER visits a year avoided × the cost of a visit, a
  saving shown apart, never netted from the cost.

The summary gives the ratios as ratios of means over replications (the ratio estimator,
:func:`ratio_summary`), not means of ratios.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as sps

from simsoins.config.costs import CostConfig

#: The mean time to care is the Kaplan–Meier curve's area up to this many days (a restricted
#: mean: requests never seen within it count it): past the booking horizon (28 days) and
#: two retries a week apart, a routine request is seen or has left (a convention: docs/model.md §6).
MEAN_HORIZON_DAYS = 91.0
#: Per-replication inputs of the cost KPIs, computed with the other KPIs (results/kpis.py:
#: the mean with the routine time-to-care curve, :func:`~simsoins.results.kpis.time_to_care`).
INPUT_UNITS = {"routine_time_to_care_days_mean": "days", "routine_requests_per_year": "requests/year"}
GAIN_UNITS = {"wait_days_avoided_per_year": "days/year", "gave_up_avoided_per_year": "requests/year",
              "avoidable_er_visits_avoided_per_year": "visits/year"}
#: ratio KPI → (cost KPI, gain KPI)
RATIOS = {"cost_eur_per_wait_day_avoided": ("public_cost_eur_per_year", "wait_days_avoided_per_year"),
          "cost_eur_per_gave_up_avoided": ("public_cost_eur_per_year", "gave_up_avoided_per_year"),
          "cost_eur_per_avoidable_er_visit_avoided": ("public_cost_eur_per_year",
                                                      "avoidable_er_visits_avoided_per_year")}
#: The KPIs this module adds after the replications, with their units.
COST_KPI_UNITS = {"public_cost_eur_per_year": "EUR/year", **GAIN_UNITS,
                  "cost_eur_per_wait_day_avoided": "EUR/day", "cost_eur_per_gave_up_avoided": "EUR/request",
                  "cost_eur_per_avoidable_er_visit_avoided": "EUR/visit", "er_cost_avoided_eur_per_year": "EUR/year"}
_NEEDED = ["routine_time_to_care_days_mean", "routine_requests_per_year", "routine_gave_up_share",
           "er_avoidable_visits_per_1000_year", "er_visits_per_1000_year", "tele_share_of_gp_consultations",
           "gp_consultations_per_inhabitant_year", "acute_channel_share.sas", "gp_requests_per_week"]


def restricted_mean(days: np.ndarray, km: np.ndarray, horizon: float) -> float:
    """Area under the survival 1 − ``km`` (a step curve at ``days``) from 0 to ``horizon``."""
    edges = np.concatenate(([0.0], np.minimum(days, horizon), [horizon]))
    return float(np.sum(np.concatenate(([1.0], 1.0 - km)) * np.diff(edges)))


def counted_costs(k: pd.DataFrame, costs: CostConfig) -> pd.Series:
    """Costs a year that the run's counts decide (``k``: one row per replication, a column
    per KPI): the SAS's regulated consultations (acute requests ended in a SAS slot)."""
    acute_per_year = k["gp_requests_per_week"] * 365.0 / 7.0 - k["routine_requests_per_year"]
    return k["acute_channel_share.sas"].fillna(0.0) * acute_per_year * costs.sas_consultation_eur


def tele_acts(k: pd.DataFrame, population: float) -> pd.Series:
    """Teleconsultations attended a year."""
    return k["tele_share_of_gp_consultations"] * k["gp_consultations_per_inhabitant_year"] * population


def _ratio(cost: pd.Series, gain: pd.Series) -> pd.Series:
    return (cost / gain).where(gain > 0)


def paired(k: pd.DataFrame, base: pd.DataFrame, total: pd.Series, base_total: pd.Series, population: float,
           costs: CostConfig) -> pd.DataFrame:
    """The cost KPIs of one scenario (``k``, ``total``) against the baseline (``base``,
    ``base_total``), one row per replication (the index), a column per KPI."""
    out = pd.DataFrame(index=k.index)
    out["public_cost_eur_per_year"] = total - base_total
    out["wait_days_avoided_per_year"] = ((base["routine_time_to_care_days_mean"] - k["routine_time_to_care_days_mean"])
                                         * base["routine_requests_per_year"])
    out["gave_up_avoided_per_year"] = (base["routine_gave_up_share"] * base["routine_requests_per_year"]
                                       - k["routine_gave_up_share"] * k["routine_requests_per_year"])
    per_year = population / 1000.0
    out["avoidable_er_visits_avoided_per_year"] = (base["er_avoidable_visits_per_1000_year"]
                                                   - k["er_avoidable_visits_per_1000_year"]) * per_year
    for ratio, (cost, gain) in RATIOS.items():
        out[ratio] = _ratio(out[cost], out[gain])
    out["er_cost_avoided_eur_per_year"] = ((base["er_visits_per_1000_year"] - k["er_visits_per_1000_year"])
                                           * per_year * costs.er_visit_eur)
    return out


def cost_rows(kpis: pd.DataFrame, plan_costs: dict[str, float], tele_lever: dict[str, bool], population: float,
              costs: CostConfig, baseline: str = "baseline") -> pd.DataFrame:
    """The rows of :data:`COST_KPI_UNITS` for every scenario × replication of the long KPI
    table ``kpis`` (scenario, replication, kpi, unit, value): ``plan_costs`` each
    scenario's plan cost a year (:func:`simsoins.results.costs.plan_cost_lines`, summed),
    ``tele_lever`` whether its teleconsultation lever is on (its acts over the
    baseline's are then charged).  Empty without the baseline
    (a sweep's job runs alone)."""
    cols = list(kpis.columns)
    if baseline not in set(kpis["scenario"]):
        return pd.DataFrame(columns=cols)
    wide = kpis[kpis["kpi"].isin(_NEEDED)].pivot_table(index=["scenario", "replication"], columns="kpi",
                                                        values="value", dropna=False)
    base = wide.xs(baseline, level="scenario")
    base_total = plan_costs[baseline] + counted_costs(base, costs)
    parts = []
    for sc in dict.fromkeys(kpis["scenario"]):
        k = wide.xs(sc, level="scenario").reindex(base.index)
        total = plan_costs[sc] + counted_costs(k, costs)
        if tele_lever[sc] and sc != baseline:  # the teleconsultation acts the lever adds
            total = total + (tele_acts(k, population) - tele_acts(base, population)) * costs.tele_act_eur
        long = paired(k, base, total, base_total, population, costs).reset_index().melt(
            id_vars="replication", var_name="kpi", value_name="value")
        parts.append(long.assign(scenario=sc, unit=long["kpi"].map(COST_KPI_UNITS)))
    out = pd.concat(parts, ignore_index=True)[cols]
    return out.astype({"replication": kpis["replication"].dtype, "value": "float64"})


def rows_from_records(kpis: pd.DataFrame, records: dict[str, dict], population: float, costs: CostConfig,
                      baseline: str = "baseline") -> pd.DataFrame:
    """:func:`cost_rows` from each scenario's record of :func:`simsoins.results.costs.scenario_costs`
    (``scenarios.json["costs"]``); empty if a scenario of ``kpis`` has none."""
    scenarios = set(kpis["scenario"])
    if not scenarios <= set(records):
        return pd.DataFrame(columns=list(kpis.columns))
    totals = {sc: float(sum(records[sc]["lines"].values())) for sc in scenarios}
    tele = {sc: bool(records[sc]["teleconsultation_lever"]) for sc in scenarios}
    return cost_rows(kpis, totals, tele, population, costs, baseline)


def ratio_interval(cost: np.ndarray, gain: np.ndarray, level: float = 0.95) -> tuple[float, float, float, int]:
    """(ratio of means, low, high, n): Σcost / Σgain over replications, with a delta-method
    Student-t interval (the residuals cost − R·gain); NaN when the mean gain is ≤ 0, and
    no interval (NaN bounds) when the gain's own interval reaches 0."""
    ok = np.isfinite(cost) & np.isfinite(gain)
    c, g = cost[ok], gain[ok]
    n = len(c)
    if n == 0 or g.mean() <= 0:
        return float("nan"), float("nan"), float("nan"), n
    r = float(c.mean() / g.mean())
    if n == 1:
        return r, float("nan"), float("nan"), 1
    q = float(sps.t.ppf(0.5 + level / 2, n - 1))
    if g.mean() - q * np.std(g, ddof=1) / np.sqrt(n) <= 0:
        # the gain's own interval reaches 0: the ratio's is unbounded (Fieller), none is given
        return r, float("nan"), float("nan"), n
    half = q * float(np.std(c - r * g, ddof=1) / np.sqrt(n) / g.mean())
    return r, r - half, r + half, n


def ratio_summary(summary: pd.DataFrame, kpis: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """``summary`` with the ratio KPIs' mean and interval replaced by the ratio estimator's
    (:func:`ratio_interval`); their paired-difference columns stay NaN (a ratio is
    already against the baseline)."""
    out = summary.copy()
    for ratio, (cost, gain) in RATIOS.items():
        for i in out.index[out["kpi"] == ratio]:
            sc = kpis[kpis["scenario"] == out.at[i, "scenario"]]
            c = sc[sc["kpi"] == cost].sort_values("replication")["value"].to_numpy(dtype=float)
            g = sc[sc["kpi"] == gain].sort_values("replication")["value"].to_numpy(dtype=float)
            m, lo, hi, n = ratio_interval(c, g, level)
            out.loc[i, ["mean", "ci_low", "ci_high", "n"]] = [m, lo, hi, n]
            out.loc[i, ["diff_mean", "diff_ci_low", "diff_ci_high", "diff_p"]] = np.nan
    return out

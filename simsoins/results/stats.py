"""Output analysis across replications: Student-t confidence intervals and paired
differences (common random numbers make the paired difference much tighter)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats


def t_interval(values, level: float = 0.95) -> tuple[float, float, float, int]:
    """(mean, low, high, n) of a Student-t interval; NaN values are dropped."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    n = len(x)
    if n == 0:
        return float("nan"), float("nan"), float("nan"), 0
    m = float(x.mean())
    if n == 1:
        return m, float("nan"), float("nan"), 1
    half = float(stats.t.ppf(0.5 + level / 2, n - 1) * x.std(ddof=1) / np.sqrt(n))
    return m, m - half, m + half, n


def summarise(kpis: pd.DataFrame, baseline: str = "baseline", level: float = 0.95) -> pd.DataFrame:
    """Tidy summary: scenario, kpi, unit, mean, ci_low, ci_high, n, and the paired
    difference to ``baseline`` (diff_mean, diff_ci_low, diff_ci_high) by replication."""
    rows = []
    wide = kpis.pivot_table(index=["kpi", "replication"], columns="scenario", values="value", dropna=False)
    units = kpis.drop_duplicates("kpi").set_index("kpi")["unit"]
    scenarios = list(dict.fromkeys(kpis["scenario"]))
    for kpi in dict.fromkeys(kpis["kpi"]):
        block = wide.loc[kpi]
        for sc in scenarios:
            m, lo, hi, n = t_interval(block[sc], level)
            row = {"scenario": sc, "kpi": kpi, "unit": units[kpi], "mean": m, "ci_low": lo, "ci_high": hi, "n": n,
                   "diff_mean": np.nan, "diff_ci_low": np.nan, "diff_ci_high": np.nan}
            if sc != baseline and baseline in block.columns:
                dm, dlo, dhi, _ = t_interval(block[sc] - block[baseline], level)
                row.update(diff_mean=dm, diff_ci_low=dlo, diff_ci_high=dhi)
            rows.append(row)
    return pd.DataFrame(rows)


def _fmt(m: float, lo: float, hi: float) -> str:
    if np.isnan(m):
        return "—"
    digits = 3 if abs(m) < 10 else 1
    if np.isnan(lo):
        return f"{m:.{digits}f}"
    return f"{m:.{digits}f} [{lo:.{digits}f}, {hi:.{digits}f}]"


def comparison_table(summary: pd.DataFrame, scenario: str | None, baseline: str = "baseline") -> str:
    """Plain-text table: KPI, unit, baseline mean [95% CI], scenario mean [95% CI], difference [95% CI]."""
    if baseline not in set(summary["scenario"]):
        baseline, scenario = scenario or str(summary["scenario"].iloc[0]), None
    base = summary[summary["scenario"] == baseline].set_index("kpi")
    header = ["KPI", "unit", f"{baseline} mean [95% CI]"]
    sc = None
    if scenario and scenario != baseline:
        sc = summary[summary["scenario"] == scenario].set_index("kpi")
        header += [f"{scenario} mean [95% CI]", "difference [95% CI]"]
    rows = [header]
    for kpi, b in base.iterrows():
        row = [kpi, b["unit"], _fmt(b["mean"], b["ci_low"], b["ci_high"])]
        if sc is not None:
            s = sc.loc[kpi]
            row += [_fmt(s["mean"], s["ci_low"], s["ci_high"]),
                    _fmt(s["diff_mean"], s["diff_ci_low"], s["diff_ci_high"])]
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)

"""Output analysis: within a replication, the Kaplan–Meier and cumulative-incidence
curves of time to care (« délai d'accès aux soins ») over censored requests; across
replications, Student-t confidence intervals and paired differences (common random
numbers make the paired difference much tighter)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

#: Status of a request for the time-to-care curves: still waiting when observation ended
#: (censored), seen by a GP-type clinician (the event), left without care (gave up, ER, …).
PENDING, SEEN, LEFT = 0, 1, 2
#: Slack when a curve is compared with a level (products of ratios are inexact:
#: four equal steps of 1/4 must reach 0.5).
_LEVEL_SLACK = 1e-9


def care_curves(delay: np.ndarray, status: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(times, km, cif) at the distinct delays where someone was seen, in increasing order.

    ``km`` is 1 − the Kaplan–Meier survival of the time to being seen, requests that left
    without care (``LEFT``) censored at their delay (the same estimate as
    :func:`scipy.stats.ecdf` on :class:`scipy.stats.CensoredData`); ``cif`` is the
    cumulative incidence of being seen (Aalen–Johansen) where leaving is a competing event,
    not a censoring: the share of all requests seen by then, only the ``PENDING`` ones
    censored.  A censoring tied with an event is still at risk at that time (the usual
    convention).  Integer delays (ticks ≥ 0, e.g. whole minutes) are counted per tick
    with :func:`numpy.bincount`, without sorting: a few milliseconds for a million
    requests; other delays go through :func:`numpy.unique`."""
    d, s = np.asarray(delay), np.asarray(status)
    if len(d) == 0:
        return np.empty(0), np.empty(0), np.empty(0)
    if np.issubdtype(d.dtype, np.integer):
        ticks = d
    else:
        values, ticks = np.unique(d, return_inverse=True)
    n_all = np.bincount(ticks)
    n_seen = np.bincount(ticks[s == SEEN], minlength=len(n_all))
    n_left = np.bincount(ticks[s == LEFT], minlength=len(n_all))
    at = np.flatnonzero(n_all)  # the distinct delays
    n_all, n_seen, n_left = n_all[at], n_seen[at], n_left[at]
    at_risk = (len(d) - np.concatenate(([0], np.cumsum(n_all)[:-1]))).astype(float)
    km = 1.0 - np.cumprod(1.0 - n_seen / at_risk)
    still_waiting = np.cumprod(1.0 - (n_seen + n_left) / at_risk)  # no exit of any kind yet
    cif = np.cumsum(np.concatenate(([1.0], still_waiting[:-1])) * n_seen / at_risk)
    times = at.astype(float) if np.issubdtype(d.dtype, np.integer) else values[at]
    keep = n_seen > 0
    return times[keep], km[keep], cif[keep]


def curve_at(times: np.ndarray, curve: np.ndarray, x: float) -> float:
    """A step curve of :func:`care_curves` at ``x`` (0 before its first step)."""
    i = int(np.searchsorted(times, x, side="right")) - 1
    return float(curve[i]) if i >= 0 else 0.0


def curve_quantile(times: np.ndarray, curve: np.ndarray, p: float, never: float) -> float:
    """The first time the step ``curve`` reaches ``p``; ``never`` if it stays below."""
    i = int(np.searchsorted(curve, p - _LEVEL_SLACK, side="left"))
    return float(times[i]) if i < len(times) else float(never)


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


def rep_stats(df: pd.DataFrame, by: list[str], value: str = "value", level: float = 0.95) -> pd.DataFrame:
    """Mean, Student-t CI (``lo``, ``hi``), ``min``, ``max`` and ``n`` of ``value`` over the
    rows of each ``by`` group (one row per replication); NaN values are ignored."""
    g = df.dropna(subset=[value]).groupby(by, observed=True, sort=False)[value]
    out = g.agg(["mean", "std", "count", "min", "max"]).reset_index().rename(columns={"count": "n"})
    n = out["n"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        q = stats.t.ppf(0.5 + level / 2, np.where(n > 1, n - 1, np.nan))
        half = q * out["std"].to_numpy(dtype=float) / np.sqrt(n)
    out["lo"], out["hi"] = out["mean"] - half, out["mean"] + half
    return out.drop(columns="std")


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
                dm, dlo, dhi, dn = t_interval(block[sc] - block[baseline], level)
                row.update(diff_mean=dm, diff_ci_low=dlo, diff_ci_high=dhi, diff_p=p_value(dm, dlo, dhi, dn, level))
            rows.append(row)
    return clip_shares(pd.DataFrame(rows).reindex(columns=SUMMARY_COLUMNS))


#: Columns of ``summary.csv``; ``diff_p`` is the paired t-test's two-sided p-value,
#: before any correction for multiple comparisons (the report applies Holm's).
SUMMARY_COLUMNS = ["scenario", "kpi", "unit", "mean", "ci_low", "ci_high", "n", "diff_mean", "diff_ci_low",
                   "diff_ci_high", "diff_p"]
#: What a share's interval can span: a share in [0, 1], a difference of shares in [−1, 1].
SHARE_BOUNDS = {"ci_low": (0.0, 1.0), "ci_high": (0.0, 1.0), "diff_ci_low": (-1.0, 1.0), "diff_ci_high": (-1.0, 1.0)}


def clip_shares(summary: pd.DataFrame) -> pd.DataFrame:
    """Shares' Student-t intervals cut to what a share can be: with few replications a
    share near 0 or 1 gets an interval past the bound, which no reader should see."""
    out = summary.copy()
    share = out["unit"] == "share"
    for col, (lo, hi) in SHARE_BOUNDS.items():
        if col in out.columns:
            out.loc[share, col] = out.loc[share, col].clip(lo, hi)
    return out


def p_value(mean: float, lo: float, hi: float, n: int, level: float = 0.95) -> float:
    """Two-sided p-value of the Student-t test that the true mean is 0, from the mean and
    its (unclipped) ``level`` interval over ``n`` replications; NaN without an interval."""
    if not (n > 1 and np.isfinite(lo) and np.isfinite(hi)):
        return float("nan")
    half = (hi - lo) / 2
    if half == 0:  # every replication gave the same difference
        return 0.0 if mean != 0 else 1.0
    se = half / stats.t.ppf(0.5 + level / 2, n - 1)
    return float(2 * stats.t.sf(abs(mean) / se, n - 1))


def with_p_values(summary: pd.DataFrame) -> pd.DataFrame:
    """``summary`` with ``diff_p`` computed from each paired difference's (unclipped)
    interval and ``n`` (for summaries written without it)."""
    n = summary["n"].fillna(0) if "n" in summary.columns else [0] * len(summary)
    return summary.assign(diff_p=[p_value(m, lo, hi, int(k)) for m, lo, hi, k in
                                  zip(summary["diff_mean"], summary["diff_ci_low"], summary["diff_ci_high"], n)])


def holm(p_values, alpha: float = 0.05) -> np.ndarray:
    """Holm's step-down procedure: which hypotheses are rejected with a family-wise error
    rate of at most ``alpha`` over all of ``p_values`` (NaN: never rejected)."""
    p = np.asarray(p_values, dtype=float)
    reject = np.zeros(len(p), dtype=bool)
    finite = np.flatnonzero(np.isfinite(p))
    order = finite[np.argsort(p[finite], kind="stable")]
    for rank, i in enumerate(order):
        if p[i] > alpha / (len(order) - rank):
            break
        reject[i] = True
    return reject

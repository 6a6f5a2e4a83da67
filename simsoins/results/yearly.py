"""KPIs year by year (« trajectoire ») in a run of several years (``run.years``).

The measured window is split into ``run.years`` equal periods, year 1 first; each year's
KPIs are those of :func:`~simsoins.results.kpis.replication_kpis` on the requests made in
that year (their outcomes may fall after it) and the slots offered in it.  In
``kpis.parquet`` the column ``year`` holds 1, 2, … for these rows and is empty (NA) on the
rows of the whole measured window, the only rows of a one-year run; :func:`split_years`
separates them again, :func:`year_summary` gives each year's means and paired differences.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from simsoins.results import cost_kpis, stats
from simsoins.results.kpis import replication_kpis
from simsoins.results.record import ReplicationResult

#: The column of kpis.parquet that numbers the years; NA on the whole window's rows.
YEAR = "year"
#: Its type: pandas' nullable integer, so that the whole window's rows can hold NA.
YEAR_DTYPE = "Int16"


def year_windows(window: tuple[float, float], years: int) -> list[tuple[float, float]]:
    """``window`` (minutes) split into ``years`` equal consecutive periods."""
    w0, w1 = window
    step = (w1 - w0) / years
    return [(w0 + k * step, w0 + (k + 1) * step) for k in range(years)]


def yearly_kpis(rep: ReplicationResult) -> dict[int, dict[str, float]]:
    """Year (1, 2, …) → the KPIs of that year, for a replication of several years; {} for
    a one-year run."""
    n = len(rep.offered_years)
    if n < 2:
        return {}
    return {k + 1: replication_kpis(replace(rep, window=w, offered=rep.offered_years[k]))
            for k, w in enumerate(year_windows(rep.window, n))}


def with_years(whole: pd.DataFrame, by_year: pd.DataFrame) -> pd.DataFrame:
    """kpis.parquet's table: the whole window's rows (``year`` NA) then each year's,
    columns scenario, replication, year, kpi, unit, value."""
    whole = whole.assign(**{YEAR: pd.array([pd.NA] * len(whole), dtype=YEAR_DTYPE)})
    table = pd.concat([whole, by_year.astype({YEAR: YEAR_DTYPE})], ignore_index=True) if len(by_year) else whole
    return table[["scenario", "replication", YEAR, "kpi", "unit", "value"]]


def split_years(kpis: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the whole window's rows without ``year``, each year's rows) of a kpis table; a
    table written without the column is all whole-window rows."""
    if YEAR not in kpis.columns:
        return kpis, kpis.iloc[0:0].assign(**{YEAR: pd.array([], dtype=YEAR_DTYPE)})
    whole = kpis[YEAR].isna().to_numpy()
    return kpis[whole].drop(columns=YEAR).reset_index(drop=True), kpis[~whole].reset_index(drop=True)


def year_summary(by_year: pd.DataFrame, baseline: str = "baseline") -> pd.DataFrame:
    """:func:`~simsoins.results.stats.summarise` year by year (the cost ratios as ratios
    of means, :func:`~simsoins.results.cost_kpis.ratio_summary`): a ``year`` column, then
    the summary's (mean and CI per scenario, paired difference to ``baseline``)."""
    parts = [cost_kpis.ratio_summary(stats.summarise(d.drop(columns=YEAR), baseline), d).assign(**{YEAR: int(y)})
             for y, d in by_year.groupby(YEAR, sort=True)]
    if not parts:
        return pd.DataFrame()
    out = pd.concat(parts, ignore_index=True)
    return out[[YEAR, *[c for c in out.columns if c != YEAR]]]

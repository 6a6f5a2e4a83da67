"""Runs of several years (``run.years``): the measured window cut into years, the KPIs of
each year (simsoins/results/yearly.py, the ``year`` column of kpis.parquet), a stationary
territory staying stationary and a shrinking one getting worse year after year."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT
from scipy import stats
from test_levers import lever  # a model with some levers replaced

from simsoins.config.demography import DemographyConfig
from simsoins.config.levers import DeparturesLever
from simsoins.config.model import RunConfig
from simsoins.dashboard.figures import TRAJECTORY_KPIS, trajectory
from simsoins.dashboard.i18n import translator
from simsoins.results.kpis import replication_kpis
from simsoins.results.stats import rep_stats
from simsoins.results.yearly import split_years, with_years, year_summary, year_windows, yearly_kpis
from simsoins.sim.clock import MIN_PER_DAY
from simsoins.sim.replication import simulate
from simsoins.vocabulary import DAYS_PER_YEAR

SHORT = RunConfig(horizon_days=42, warmup_days=14, years=3, seed=11)
#: The KPIs the stationarity check follows: the wait of every request, giving up, acute
#: care, the ER, the slots offered.
STATIONARY = ("routine_time_to_care_days_mean", "routine_gave_up_share", "acute_within_48h_share",
              "er_avoidable_visits_per_1000_year", "gp_slots_offered_per_week")


def off(model):
    """``model`` with the territory held as it is (no retirement, installation, ageing)."""
    return replace(model, demography=DemographyConfig(enabled="off"))


@pytest.fixture(scope="module")
def short_rep(exemple, model):
    return simulate(exemple, off(model), SHORT, 0)


def test_the_window_is_cut_into_equal_consecutive_years():
    assert year_windows((10.0, 40.0), 3) == [(10.0, 20.0), (20.0, 30.0), (30.0, 40.0)]
    assert RunConfig(years=5).end_day == 56 + 5 * 365


def test_each_year_counts_its_own_requests_and_slots(short_rep):
    by_year = yearly_kpis(short_rep)
    whole = replication_kpis(short_rep)
    assert sorted(by_year) == [1, 2, 3]
    # requests a year and slots a week: the years' mean is the whole window's (equal years)
    for kpi in ("routine_requests_per_year", "gp_slots_offered_per_week", "gp_requests_per_week"):
        assert np.mean([k[kpi] for k in by_year.values()]) == pytest.approx(whole[kpi], rel=1e-9)
    # each year counts the requests made in it, not the whole window's
    t = short_rep.events["t_request_min"].to_numpy()
    w0, w1 = year_windows(short_rep.window, 3)[1]
    routine = (short_rep.events["need"].astype(str) == "routine").to_numpy()
    in_year_2 = (routine & (t >= w0) & (t < w1)).sum()
    per_year = in_year_2 / (SHORT.horizon_days / DAYS_PER_YEAR)
    assert by_year[2]["routine_requests_per_year"] == pytest.approx(per_year, rel=1e-9)
    assert len(short_rep.offered_years) == 3
    assert w1 - w0 == SHORT.horizon_days * MIN_PER_DAY


def test_a_one_year_run_has_no_year_rows(exemple, model):
    rep = simulate(exemple, model, replace(SHORT, years=1), 0)
    assert rep.offered_years == [] and yearly_kpis(rep) == {}


def test_kpis_table_holds_the_whole_window_with_no_year_and_each_year_numbered():
    whole = pd.DataFrame({"scenario": ["baseline"] * 2, "replication": [0, 1], "kpi": ["k", "k"],
                          "unit": ["days", "days"], "value": [1.0, 2.0]})
    by_year = pd.concat([whole.assign(year=y, value=whole["value"] + y) for y in (1, 2)], ignore_index=True)
    table = with_years(whole, by_year)
    assert list(table.columns) == ["scenario", "replication", "year", "kpi", "unit", "value"]
    assert table["year"].isna().sum() == 2 and sorted(table["year"].dropna().unique()) == [1, 2]
    back, years = split_years(table)
    pd.testing.assert_frame_equal(back, whole[back.columns.tolist()], check_dtype=False)
    summary = year_summary(years)
    assert summary.set_index("year")["mean"].to_dict() == {1: 2.5, 2: 3.5}
    assert split_years(whole)[0] is whole  # a table written before the column: all whole-window rows


def test_the_run_writes_kpis_by_year_and_a_years_summary(tmp_path):
    out = tmp_path / "run"
    res = subprocess.run([sys.executable, "-m", "simsoins", "territory=exemple", "scenario=cpts", "run.years=2",
                          "run.horizon_days=28", "run.warmup_days=7", "run.replications=2", "run.jobs=1",
                          f"hydra.run.dir={out}"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    kp = pd.read_parquet(out / "kpis.parquet")
    whole, by_year = split_years(kp)
    assert set(by_year["year"]) == {1, 2}
    # every KPI, the cost ones included, is there each year, for each scenario × replication
    per_year = by_year.groupby(["year", "scenario", "replication"])["kpi"].nunique()
    assert per_year.nunique() == 1 and per_year.iloc[0] == whole["kpi"].nunique()
    # each year's cost is what the levers cost in it: over equal years, their mean is the run's
    cost = by_year[by_year["kpi"] == "public_cost_eur_per_year"].groupby("year")["value"].mean()
    run_cost = whole.loc[whole["kpi"] == "public_cost_eur_per_year", "value"].mean()
    assert cost.mean() == pytest.approx(run_cost, rel=1e-9) and run_cost > 0
    years = pd.read_csv(out / "years.csv")
    assert {"year", "scenario", "kpi", "mean", "diff_mean"} <= set(years.columns)
    html = (out / "dashboard.html").read_text(encoding="utf-8")
    assert "Trajectoire ann\\u00e9e par ann\\u00e9e" in html or "Trajectoire année par année" in html


def _year_values(exemple, model, run: RunConfig, reps: int, kpi: str) -> np.ndarray:
    """replications × years of ``kpi``."""
    return np.array([[k[kpi] for _, k in sorted(yearly_kpis(simulate(exemple, model, run, r)).items())]
                     for r in range(reps)])


@pytest.mark.slow
def test_a_territory_held_as_it_is_is_stationary_and_one_losing_gps_is_not(exemple, model):
    """No lever, no demographic change, four whole years: each year's care KPIs are within
    noise of the others (Friedman's test over years, replications as blocks, does not
    reject at 1 %).  The share without an MT is the model's one slow state: it creeps up,
    losses (2 % a year) a little ahead of new registrations — less than 0.2 point a year
    (docs/model.md, "Several years").  The same test on the territory losing a GP every
    year rejects and finds the wait rising year after year: it can see a drift."""
    run = RunConfig(years=4, replications=5, seed=20261102)
    for kpi in STATIONARY:
        v = _year_values(exemple, off(model), run, 5, kpi)
        assert stats.friedmanchisquare(*v.T).pvalue > 0.01, (kpi, v.mean(axis=0))
    mt = _year_values(exemple, off(model), run, 5, "without_mt_share").mean(axis=0)
    assert 0 <= np.polyfit(np.arange(4), mt, 1)[0] < 0.002, mt
    leaving = lever(off(model), departs_retraite=DeparturesLever(count=3, spread_months=48))
    v = _year_values(exemple, leaving, run, 5, "routine_time_to_care_days_mean")
    assert stats.friedmanchisquare(*v.T).pvalue < 0.01
    assert np.all(np.diff(v.mean(axis=0)) > 0), v.mean(axis=0)


def test_the_trajectory_draws_each_years_mean_with_its_interval():
    rng = np.random.default_rng(0)
    rows = [(sc, r, y, k, "share" if k.endswith("share") else "days", rng.normal(y + (sc == "cpts"), 0.1))
            for sc in ("baseline", "cpts") for r in range(4) for y in (1, 2, 3) for k in TRAJECTORY_KPIS]
    years = pd.DataFrame(rows, columns=["scenario", "replication", "year", "kpi", "unit", "value"])
    fig = trajectory(years, ["baseline", "cpts"], {"baseline": "#777777", "cpts": "#0072B2"}, translator("fr"),
                     {1: "a", 2: "b", 3: "c"})
    assert len(fig.data) == 2 * len(TRAJECTORY_KPIS)
    line = next(tr for tr in fig.data if tr.name == "cpts" and tr.xaxis == "x")  # the first panel: time to care
    st = rep_stats(years[(years["kpi"] == TRAJECTORY_KPIS[0]) & (years["scenario"] == "cpts")], ["year"])
    assert list(line.x) == ["a", "b", "c"]
    assert np.allclose(line.y, st["mean"].round(3))
    assert np.allclose(line.error_y.array, (st["hi"] - st["mean"]).round(3))
    share = next(tr for tr in fig.data if tr.name == "cpts" and tr.xaxis == "x2")  # a share: in %
    assert np.allclose(share.y, 100 * rep_stats(years[(years["kpi"] == TRAJECTORY_KPIS[1])
                                                      & (years["scenario"] == "cpts")], ["year"])["mean"], atol=1e-3)

"""er_sites.parquet: ER visits per site over the measured window (issue #23)."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT

from simsoins.config.model import RunConfig
from simsoins.results.kpis import avoidable, er_site_visits, is_in, measured, replication_kpis
from simsoins.run.workers import er_site_records
from simsoins.sim.replication import simulate
from simsoins.vocabulary import DAYS_PER_YEAR, MIN_PER_DAY

RUN = RunConfig(replications=1, horizon_days=42, warmup_days=7, seed=3, jobs=1)
COLUMNS = ["scenario", "replication", "site", "finess", "name", "commune", "visits", "avoidable_visits",
           "wait_hours_mean"]


@pytest.fixture(scope="module")
def rep(exemple, model):
    return simulate(exemple, model, RUN, 0)


@pytest.fixture(scope="module")
def table(rep, exemple):
    return er_site_visits(rep, er_site_records(exemple))


def test_one_row_per_site_named_as_the_territory(table, exemple):
    assert list(table["site"]) == list(range(len(exemple.er_sites)))
    assert list(table["name"]) == [s.name for s in exemple.er_sites]
    assert list(table["commune"]) == [exemple.commune_code[s.commune] for s in exemple.er_sites]
    assert table["finess"].map(type).eq(str).all()  # "" where the territory carries no FINESS id


def test_visits_sum_to_the_er_visits_of_the_window(table, rep):
    ev = measured(rep)
    assert table["visits"].sum() == is_in(ev, "outcome", "er").sum() > 0
    assert (table["avoidable_visits"] <= table["visits"]).all()
    assert table["avoidable_visits"].sum() == avoidable(ev).sum()


def test_avoidable_visits_match_the_kpi(table, rep):
    years = (rep.window[1] - rep.window[0]) / MIN_PER_DAY / DAYS_PER_YEAR
    kpi = replication_kpis(rep)["er_avoidable_visits_per_1000_year"]
    assert table["avoidable_visits"].sum() == pytest.approx(kpi * rep.population / 1000 * years)


def test_wait_is_the_mean_of_the_sites_visits(table, rep):
    ev = measured(rep)
    er = is_in(ev, "outcome", "er")
    for row in table.itertuples():
        waits = ev["er_wait_min"].to_numpy()[er & (ev["er_site"].to_numpy() == row.site)]
        expected = np.nanmean(waits) / 60 if len(waits) else np.nan
        assert row.wait_hours_mean == pytest.approx(expected, nan_ok=True)


def test_a_site_without_visits_still_has_its_row(rep, exemple):
    sites = pd.concat([er_site_records(exemple), pd.DataFrame({"finess": [""], "name": ["new"], "commune": ["x"]})],
                      ignore_index=True)
    table = er_site_visits(rep, sites)
    assert len(table) == len(exemple.er_sites) + 1
    last = table.iloc[-1]
    assert last["visits"] == 0 and last["avoidable_visits"] == 0 and np.isnan(last["wait_hours_mean"])


def test_a_run_writes_er_sites_parquet(tmp_path):
    out = tmp_path / "run"
    res = subprocess.run([sys.executable, "-m", "simsoins", "territory=exemple", "run.replications=2",
                          "run.horizon_days=28", "run.warmup_days=7", "run.jobs=1", f"hydra.run.dir={out}"],
                         capture_output=True, text=True, cwd=ROOT, timeout=600,
                         env={k: v for k, v in os.environ.items() if k != "SIMSOINS_CONFIG_DIR"})
    assert res.returncode == 0, res.stderr
    df = pd.read_parquet(out / "er_sites.parquet")
    assert list(df.columns) == COLUMNS
    assert sorted(set(df["replication"])) == [0, 1] and set(df["scenario"]) == {"baseline"}
    kinds = {"replication": "int32", "site": "int32", "visits": "int64", "avoidable_visits": "int64",
             "wait_hours_mean": "float64"}
    assert {c: str(df[c].dtype) for c in kinds} == kinds
    assert all(df[c].map(type).eq(str).all() for c in ("scenario", "finess", "name", "commune"))
    kpis = pd.read_parquet(out / "kpis.parquet")
    visits = kpis[kpis["kpi"] == "er_visits_per_1000_year"].groupby("replication")["value"].sum()
    assert (df.groupby("replication")["visits"].sum() > 0).all() and (visits > 0).all()

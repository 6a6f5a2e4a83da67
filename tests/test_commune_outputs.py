"""communes.parquet: GP consultations per inhabitant and the simulated accessibility index
(APL formula) by scenario × replication × commune (issue #23)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT, SHARED_DATA

from simsoins.config.model import RunConfig
from simsoins.levers import make_plan
from simsoins.results.communes import (
    APL_AGE_WEIGHTS,
    COLUMNS,
    CommunePlaces,
    accessibility_index,
    commune_table,
    decay,
    standardised_population,
)
from simsoins.results.kpis import replication_kpis
from simsoins.results.record import ReplicationResult
from simsoins.run.sweep import _populations
from simsoins.run.workers import commune_places
from simsoins.sim.replication import simulate
from simsoins.vocabulary import CHANNELS, DAYS_PER_YEAR, MIN_PER_DAY

RUN = RunConfig(replications=1, horizon_days=42, warmup_days=7, seed=3, jobs=1)


# ------------------------------------------------------------ a hand-made territory

#: Three communes (standardised populations 1,000, 500, 2,000); practice 0 in commune A,
#: practice 1 in commune C; road km (= minutes at 60 km/h) from each commune to each.
STD_POP = np.array([1000.0, 500.0, 2000.0])
KM = np.array([[0.0, 12.0],   # A: 1, 2/3
               [8.0, 17.0],   # B: 1, 1/3
               [25.0, 0.0]])  # C: 0, 1
SUPPLY = np.array([3000.0, 4000.0])  # consultations a year


def test_the_index_is_the_two_step_floating_catchment_by_hand():
    # step 1: practice 0 serves 1000 + 500 = 1,500 → 2 a head; practice 1 serves
    # 1000·2/3 + 500·1/3 + 2000 = 8500/3 → 4000 / (8500/3) = 24/17 a head.
    # step 2: A = 2 + 2/3·24/17 = 50/17; B = 2 + 1/3·24/17 = 42/17; C = 24/17.
    np.testing.assert_allclose(accessibility_index(SUPPLY, KM, STD_POP), [50 / 17, 42 / 17, 24 / 17], rtol=1e-12)


def test_the_decay_bands_are_the_drees_ones():
    minutes = np.array([0.0, 9.99, 10.0, 14.99, 15.0, 19.99, 20.0, 45.0])
    np.testing.assert_allclose(decay(minutes), [1, 1, 2 / 3, 2 / 3, 1 / 3, 1 / 3, 0, 0])


def test_more_gps_near_a_commune_raise_its_index():
    before = accessibility_index(SUPPLY, KM, STD_POP)
    after = accessibility_index(np.array([3000.0, 4000.0 + 1700.0]), KM, STD_POP)  # practice 1: +1,700 a year
    # B is 17 minutes from practice 1 (weight 1/3): + 1/3 · 1700 / (8500/3) = + 0.2
    assert after[1] - before[1] == pytest.approx(0.2)
    assert after[2] - before[2] == pytest.approx(1700 / (8500 / 3))  # C, next to it: 3 × B's gain
    assert after[0] > before[0]
    # the supply is all shared out: standardised inhabitants × index = consultations a year
    assert STD_POP @ after == pytest.approx(3000 + 5700)


def _hand_made_replication() -> tuple[ReplicationResult, CommunePlaces]:
    """One year measured; clinicians 0, 1 in practice 0, clinician 2 in practice 1; rows:
    consultations attended, a no-show, a teleconsultation on the platform, an ER visit."""
    rows = [  # (commune, outcome, provider, no_show)
        (0, "own_gp", 0, False), (0, "own_gp", 1, False), (1, "other_gp", 0, False), (1, "own_gp", 2, False),
        (2, "own_gp", 2, False), (2, "own_gp", 2, True), (2, "tele", 3, False), (1, "er", -1, False)]
    commune, outcome, provider, no_show = map(list, zip(*rows))
    n = len(rows)
    events = pd.DataFrame({
        "t_request_min": np.full(n, 1000.0), "commune": pd.Categorical.from_codes(commune, ["A", "B", "C"]),
        "outcome": pd.Categorical(outcome, categories=list(CHANNELS)), "provider": np.array(provider, np.int32),
        "t_appointment_min": [np.nan if o == "er" else 2000.0 for o in outcome], "no_show": no_show})
    rep = ReplicationResult(replication=0, events=events, weekly=pd.DataFrame(), offered=pd.DataFrame(),
                            er_stats=pd.DataFrame(), window=(0.0, DAYS_PER_YEAR * MIN_PER_DAY), population=350.0,
                            provider_names=["c0", "c1", "c2", "tele_platform"])
    places = CommunePlaces(code=("A", "B", "C"), name=("Aa", "Bb", "Cc"), population=np.array([100.0, 50.0, 200.0]),
                           lon=np.zeros(3), lat=np.zeros(3), population_standardised=STD_POP / 10,
                           km_commune_practice=KM, clinician_practice=np.array([0, 0, 1]))
    return rep, places


def test_the_table_counts_consultations_by_residence_and_supply_by_practice():
    rep, places = _hand_made_replication()
    table = commune_table(rep, places)
    assert list(table.columns) == COLUMNS
    # attended GP-type consultations by commune of residence (the platform's counts, the
    # no-show and the ER visit do not), over one year
    np.testing.assert_allclose(table["gp_consultations_per_inhabitant_year"], [2 / 100, 2 / 50, 2 / 200])
    # supply: practice 0 gave 3 (clinicians 0, 1), practice 1 gave 2 (the no-show and the
    # platform's teleconsultation are not a practice's) — the 2SFCA by hand on 100, 50, 200
    expected = accessibility_index(np.array([3.0, 2.0]), KM, STD_POP / 10)
    d0, d1 = 100 + 50, 100 * 2 / 3 + 50 / 3 + 200
    np.testing.assert_allclose(expected, [3 / d0 + 2 / 3 * 2 / d1, 3 / d0 + 1 / 3 * 2 / d1, 2 / d1])
    np.testing.assert_allclose(table["accessibility_index"], expected)


# ------------------------------------------------------------ on the simulation

@pytest.fixture(scope="module")
def rep(exemple, model):
    return simulate(exemple, model, RUN, 0)


@pytest.fixture(scope="module")
def table(rep, exemple, model):
    return commune_table(rep, commune_places(exemple, model.demand.age_bands))


def test_consultations_by_commune_add_up_to_the_territory_kpi(table, rep):
    kpi = replication_kpis(rep)["gp_consultations_per_inhabitant_year"]
    assert kpi > 2
    total = (table["gp_consultations_per_inhabitant_year"] * table["population"]).sum()
    assert total == pytest.approx(kpi * table["population"].sum(), rel=1e-12)


def test_the_index_shares_out_exactly_what_the_practices_gave(table, rep, exemple):
    ev = rep.events
    w0, w1 = rep.window
    inside = (ev["t_request_min"] >= w0) & (ev["t_request_min"] < w1)
    clinician = ev["outcome"].isin(CHANNELS[:CHANNELS.index("er")]) & ev["t_appointment_min"].notna()
    given = (inside & clinician & ~ev["no_show"] & (ev["provider"] >= 0)
             & (ev["provider"] < exemple.n_clinicians)).sum()
    years = (w1 - w0) / MIN_PER_DAY / DAYS_PER_YEAR
    # every practice of the exemple has residents within 20 minutes: nothing is lost
    assert (table["population_standardised"] * table["accessibility_index"]).sum() == pytest.approx(given / years)
    assert (table["accessibility_index"] > 0).all()


def test_a_new_centre_raises_the_index_of_its_commune(exemple, model, table):
    lever = replace(model.levers.nouveau_centre, enabled=True, gps=4, from_existing_share=0.0, commune="99005")
    centre = replace(model, levers=replace(model.levers, nouveau_centre=lever))
    plan = make_plan(exemple, centre, RUN)
    places = commune_places(plan.territory, model.demand.age_bands)
    after = commune_table(simulate(exemple, centre, RUN, 0, plan), places)
    row = list(exemple.commune_code).index("99005")
    before_i, after_i = table["accessibility_index"].iloc[row], after["accessibility_index"].iloc[row]
    # the far commune (one practice within 15 minutes, none within 10) gets four GPs of its
    # own: its index about doubles (0.50 → 0.99 with this seed), the others' move less
    assert after_i > 1.5 * before_i, (before_i, after_i)
    change = after["accessibility_index"] / table["accessibility_index"] - 1
    assert (change.drop(row).abs() < change.iloc[row] / 3).all(), change


def test_age_weights_are_the_drees_weights_collapsed_by_population():
    ages = np.array([[100.0, 0, 0, 0, 0], [0, 0, 0, 0, 100.0]])
    np.testing.assert_allclose(standardised_population(ages, list(APL_AGE_WEIGHTS)), [71.2, 173.5])
    # other age bands: no carried weight, the population as it is
    np.testing.assert_allclose(standardised_population(ages, ["a", "b", "c", "d", "e"]), [100.0, 100.0])
    weights = SHARED_DATA / "france" / "apl-poids-age-medecine-generale.csv"
    pops = SHARED_DATA / "france" / "population-age-departements.csv"
    if not (weights.is_file() and pops.is_file()):
        pytest.skip("the project's shared data are not beside the checkout")
    w = pd.read_csv(weights)["poids_2023"].to_numpy()
    p = pd.read_csv(pops, dtype={"dep": str})
    five = [c for c in p.columns if c.startswith("p") and c[1:3].isdigit() and c != "p95p" and c != "p90_94"]
    pop = np.array([*(p[c].sum() for c in five), p["p90_94"].sum() + p["p95p"].sum()], dtype=float)
    for band, idx in zip(APL_AGE_WEIGHTS, ([0, 1, 2], range(3, 9), range(9, 12), range(12, 15), range(15, 19))):
        idx = list(idx)
        assert APL_AGE_WEIGHTS[band] == pytest.approx((pop[idx] @ w[idx]) / pop[idx].sum(), abs=5e-4), band


# ------------------------------------------------------------ the file a run writes

def test_a_run_writes_communes_parquet_by_scenario_and_replication(tmp_path, exemple):
    out = tmp_path / "run"
    res = subprocess.run([sys.executable, "-m", "simsoins", "territory=exemple", "scenario=nouveau_centre",
                          "run.replications=2", "run.horizon_days=28", "run.warmup_days=7", "run.jobs=1",
                          f"hydra.run.dir={out}"], capture_output=True, text=True, cwd=ROOT, timeout=600,
                         env={k: v for k, v in os.environ.items() if k != "SIMSOINS_CONFIG_DIR"})
    assert res.returncode == 0, res.stderr
    df = pd.read_parquet(out / "communes.parquet")
    assert list(df.columns) == ["scenario", "replication", *COLUMNS]
    kinds = {"replication": "int32", **dict.fromkeys(COLUMNS[2:], "float64")}
    assert {c: str(df[c].dtype) for c in kinds} == kinds
    assert all(df[c].map(type).eq(str).all() for c in ("scenario", "code", "name"))
    assert len(df) == 2 * 2 * exemple.n_communes
    for (_, _), d in df.groupby(["scenario", "replication"]):
        assert list(d["code"]) == list(exemple.commune_code)
        np.testing.assert_allclose(d["population"], exemple.population)
    kpis = pd.read_parquet(out / "kpis.parquet")
    kpi = kpis[kpis["kpi"] == "gp_consultations_per_inhabitant_year"].set_index(["scenario", "replication"])["value"]
    by_commune = df.assign(n=df["gp_consultations_per_inhabitant_year"] * df["population"]).groupby(
        ["scenario", "replication"])["n"].sum() / exemple.population.sum()
    pd.testing.assert_series_equal(by_commune.sort_index(), kpi.sort_index(), check_names=False, rtol=1e-12)
    # a sweep reads the territory's population once, not once per scenario × replication
    table = pd.DataFrame({"job": [out.name], "label": ["x"]})
    assert _populations(table, tmp_path) == {"x": pytest.approx(exemple.population.sum())}

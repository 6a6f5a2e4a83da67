"""Public cost of the levers and the cost-effectiveness KPIs (simsoins/results/costs.py,
simsoins/results/cost_kpis.py): costs are pure functions of the plan as applied and of
the cited unit costs; the ratios are NaN when nothing is gained; a run writes them."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from test_cli import simsoins
from test_defaults import composed

from simsoins.config.costs import CostConfig
from simsoins.config.levers import (
    AssistantsLever,
    CptsLever,
    FranceSanteLever,
    HospitalLever,
    JuniorsLever,
    MedicobusLever,
    MissionsLever,
    NewCentreLever,
    SasLever,
    TeleLever,
)
from simsoins.config.model import ConfigError, RunConfig, from_mapping
from simsoins.levers import make_plan, missions_solidarite
from simsoins.results import cost_kpis, costs

RUN = RunConfig(horizon_days=91, warmup_days=28, seed=2024)
WINDOW = (28.0, 119.0)  # the measured window of RUN, days: inside every first contract year
C = CostConfig()


def lines(territory, model, **levers) -> dict[str, float]:
    m = replace(model, levers=replace(model.levers, **levers))
    return costs.plan_cost_lines(make_plan(territory, m, RUN), m.levers, C, RUN.start, WINDOW)


def test_the_defaults_are_config_yamls():
    assert from_mapping(CostConfig, composed()["costs"], "costs") == CostConfig()


def test_a_bad_cost_is_refused_naming_the_field():
    with pytest.raises(ConfigError, match=r"^costs.tele_act_eur = -25.0: must be ≥ 0$"):
        from_mapping(CostConfig, {"tele_act_eur": -25.0}, "costs")
    res = simsoins("territory=exemple", "costs.cabine_years=0")
    assert res.returncode == 2
    assert "costs.cabine_years = 0.0: must be > 0" in res.stderr.strip().splitlines()[-1]


def test_no_lever_costs_nothing(exemple, model):
    assert set(lines(exemple, model).values()) == {0.0}


def test_doubling_the_assistants_doubles_their_cost(exemple, model):
    five = lines(exemple, model, assistants_medicaux=AssistantsLever(count=5))["assistants_medicaux.aid"]
    ten = lines(exemple, model, assistants_medicaux=AssistantsLever(count=10))["assistants_medicaux.aid"]
    assert five == 5 * 38_000  # year 1 of the CNAM aid, 1 FTE (CALIBRATION §18.3)
    assert ten == 2 * five


def test_an_assistant_contract_moves_into_its_second_and_third_year():
    spells = costs.contract_spells(0.0, C.assistant_aid_eur)
    # a window from day 300 to day 800: 65 days of year 1, 365 of year 2, 70 of year 3
    expected = (38_000 * 65 + 28_000 * 365 + 22_000 * 70) / 500
    assert costs.window_cost(spells, (300.0, 800.0)) == pytest.approx(expected)
    assert costs.window_cost(spells, (2000.0, 2365.0)) == pytest.approx(22_000)  # the last year holds
    half = costs.contract_spells(0.0, C.assistant_aid_eur, 0.5)
    assert costs.window_cost(half, (0.0, 365.0)) == pytest.approx(19_000)  # the 0.5 FTE scale


def test_doubling_a_centres_gps_doubles_their_cost(exemple, model):
    def centre(gps, kind="centre_sante"):
        return lines(exemple, model, nouveau_centre=NewCentreLever(enabled=True, gps=gps, ramp_months=0.0,
                                                                   kind=kind))
    four, eight = centre(4), centre(8)
    assert four["nouveau_centre.gps"] == pytest.approx(4 * 33_000)  # every GP salaried from the opening
    assert eight["nouveau_centre.gps"] == pytest.approx(2 * four["nouveau_centre.gps"])
    assert four["nouveau_centre.aci"] == eight["nouveau_centre.aci"] == 39_533  # one centre, one ACI
    msp = centre(4, "msp")
    assert msp["nouveau_centre.aci"] == 78_600 and "nouveau_centre.gps" not in msp  # liberal GPs: no deficit


def test_each_lever_costs_its_hand_computation(exemple, model):
    junior = 12 * (2_375 + 600 + 1_200) + 2 * 500  # pay, supervisor fees, activity bonus, a year
    assert lines(exemple, model, docteurs_juniors=JuniorsLever(count=2))[
        "docteurs_juniors.pay_and_supervision"] == pytest.approx(2 * junior)
    bus = lines(exemple, model, medicobus=MedicobusLever(enabled=True))
    assert bus["medicobus.gps"] == pytest.approx(5 * 7 * 365 / 7 * 60)  # 5 stops of 7 hours a week, 60 €/h
    assert bus["medicobus.vehicle"] == pytest.approx(250_000 / 8)
    sas = lines(exemple, model, sas=SasLever(enabled=True))
    assert sas["sas.regulators"] == pytest.approx((8 * 1 + 12 * 2 + 4 * 1) * 365 * 100)
    plan = make_plan(exemple, replace(model, levers=replace(model.levers, sas=SasLever(enabled=True))), RUN)
    assert sas["sas.effecteurs"] == 1_400 * int((plan.sas_share > 0).sum()) > 0
    cabines = lines(exemple, model, teleconsultation=TeleLever(cabines=tuple(exemple.commune_code[:2])))
    assert cabines["teleconsultation.cabines"] == pytest.approx(2 * (68_000 / 5 + 10_000))
    unit = lines(exemple, model, hopital_proximite=HospitalLever(enabled=True, doctors=2))
    assert unit["hopital_proximite.doctors"] == pytest.approx(2 * 7 * 12 * 365 / 7 * 50)  # 08-20 every day
    cpts = lines(exemple, model, cpts=CptsLever(enabled=True))
    assert cpts["cpts.aci"] == pytest.approx(exemple.population.sum() / 82_000 * 170_000)


def test_a_lever_opening_mid_window_costs_its_days():
    half = costs.window_cost([costs.Spell(73.5, np.inf, 1000.0)], WINDOW)
    assert half == pytest.approx(500.0)


def kpi_table(base: dict, scen: dict) -> pd.DataFrame:
    rows = [(sc, r, k, "u", v[k][r]) for sc, v in (("baseline", base), ("x", scen)) for k in v for r in range(2)]
    return pd.DataFrame(rows, columns=["scenario", "replication", "kpi", "unit", "value"])


BASE = {"routine_time_to_care_days_mean": [5.0, 5.0], "routine_requests_per_year": [1000.0, 1000.0],
        "routine_gave_up_share": [0.1, 0.1], "er_avoidable_visits_per_1000_year": [10.0, 10.0],
        "er_visits_per_1000_year": [300.0, 300.0], "tele_share_of_gp_consultations": [0.02, 0.02],
        "gp_consultations_per_inhabitant_year": [3.0, 3.0], "acute_channel_share.sas": [0.0, 0.0],
        "gp_requests_per_week": [30.0, 30.0]}


def test_the_ratios_are_nan_without_a_gain_and_cost_over_gain_with_one():
    same = cost_kpis.cost_rows(kpi_table(BASE, BASE), {"baseline": 0.0, "x": 5000.0},
                               {"baseline": False, "x": False}, 1000.0, C)
    x = same[same["scenario"] == "x"].set_index(["kpi", "replication"])["value"]
    assert x[("public_cost_eur_per_year", 0)] == 5000.0
    for ratio in cost_kpis.RATIOS:
        assert math.isnan(x[(ratio, 0)]), ratio
    better = {**BASE, "routine_time_to_care_days_mean": [4.0, 3.0], "routine_gave_up_share": [0.08, 0.06],
              "er_avoidable_visits_per_1000_year": [9.0, 8.0], "er_visits_per_1000_year": [299.0, 298.0]}
    rows = cost_kpis.cost_rows(kpi_table(BASE, better), {"baseline": 0.0, "x": 5000.0},
                               {"baseline": False, "x": False}, 1000.0, C)
    y = rows[rows["scenario"] == "x"].set_index(["kpi", "replication"])["value"]
    assert y[("wait_days_avoided_per_year", 1)] == pytest.approx(2.0 * 1000)
    assert y[("cost_eur_per_wait_day_avoided", 1)] == pytest.approx(5000 / 2000)
    assert y[("cost_eur_per_gave_up_avoided", 0)] == pytest.approx(5000 / 20)
    assert y[("cost_eur_per_avoidable_er_visit_avoided", 1)] == pytest.approx(5000 / 2)
    assert y[("er_cost_avoided_eur_per_year", 1)] == pytest.approx(2 * 146)  # shown apart
    assert y[("public_cost_eur_per_year", 1)] == 5000.0  # not netted


def test_the_teleconsultation_acts_are_charged_when_the_lever_adds_them():
    more = {**BASE, "tele_share_of_gp_consultations": [0.04, 0.04]}
    rows = cost_kpis.cost_rows(kpi_table(BASE, more), {"baseline": 0.0, "x": 0.0},
                               {"baseline": False, "x": True}, 1000.0, C)
    cost = rows[(rows["scenario"] == "x") & (rows["kpi"] == "public_cost_eur_per_year")]["value"]
    assert cost.tolist() == pytest.approx([(0.04 - 0.02) * 3.0 * 1000 * 25] * 2)  # the acts added, 25 € each
    other = cost_kpis.cost_rows(kpi_table(BASE, more), {"baseline": 0.0, "x": 0.0},
                                {"baseline": False, "x": False}, 1000.0, C)
    assert set(other[other["kpi"] == "public_cost_eur_per_year"]["value"]) == {0.0}  # not this lever's acts


def test_the_summary_ratio_is_a_ratio_of_means():
    r, lo, hi, n = cost_kpis.ratio_interval(np.array([200.0, 220.0]), np.array([2.0, 2.2]))
    assert (r, n) == (pytest.approx(100.0), 2) and lo == pytest.approx(100.0) == hi  # proportional: no spread
    r, lo, hi, _ = cost_kpis.ratio_interval(np.array([100.0, 100.0, 100.0]), np.array([1.0, 4.0, 2.0]))
    assert r == pytest.approx(300 / 7) and math.isnan(lo) and math.isnan(hi)  # the mean of ratios is 58.3
    # a gain clearly above 0: a delta-method interval, above 0 for a fixed cost
    r, lo, hi, _ = cost_kpis.ratio_interval(np.array([100.0, 100.0, 100.0]), np.array([1.9, 2.1, 2.0]))
    half = 4.302653 * 50.0 * 0.1 / np.sqrt(3) / 2.0  # t(0.975, 2) × R × sd(gain) / √n / mean gain
    assert r == pytest.approx(50.0) and (lo, hi) == pytest.approx((50.0 - half, 50.0 + half), rel=1e-6)
    assert math.isnan(cost_kpis.ratio_interval(np.array([100.0, 100.0]), np.array([1.0, -2.0]))[0])


def test_the_restricted_mean_is_the_area_under_survival():
    # half seen at day 1, the rest at day 3: mean 2 days
    assert cost_kpis.restricted_mean(np.array([1.0, 3.0]), np.array([0.5, 1.0]), 91.0) == pytest.approx(2.0)
    # never reaching everyone: the survivors count up to the horizon
    assert cost_kpis.restricted_mean(np.array([1.0]), np.array([0.5]), 10.0) == pytest.approx(1.0 + 0.5 * 9.0)


def test_a_run_writes_the_cost_kpis(tmp_path):
    res = simsoins("territory=exemple", "scenario=assistants_medicaux", "run.replications=2", "run.horizon_days=28",
                   "run.warmup_days=7", "run.jobs=1", "dashboard.write=false", f"hydra.run.dir={tmp_path}")
    assert res.returncode == 0, res.stderr[-2000:]
    kp = pd.read_parquet(tmp_path / "kpis.parquet")
    cost = kp[kp["kpi"].isin(cost_kpis.COST_KPI_UNITS)]
    assert len(cost) == 2 * 2 * len(cost_kpis.COST_KPI_UNITS)  # scenarios × replications × KPIs
    applied = json.loads((tmp_path / "scenarios.json").read_text())["capped"]["assistants_medicaux"][0]["applied"]
    am = cost[(cost["scenario"] == "assistants_medicaux") & (cost["kpi"] == "public_cost_eur_per_year")]
    assert am["value"].tolist() == [applied * 38_000] * 2  # the applied count, not the 30 asked
    summary = pd.read_csv(tmp_path / "summary.csv").set_index(["scenario", "kpi"])
    gain = am["value"].mean() / cost[(cost["scenario"] == "assistants_medicaux")
                                     & (cost["kpi"] == "wait_days_avoided_per_year")]["value"].mean()
    ratio = summary.loc[("assistants_medicaux", "cost_eur_per_wait_day_avoided"), "mean"]
    assert ratio == pytest.approx(gain) if gain > 0 else math.isnan(ratio)
    assert summary.loc[("baseline", "public_cost_eur_per_year"), "mean"] == 0.0


def test_a_sweep_pairs_its_jobs_costs_with_the_baseline_job(tmp_path):
    res = simsoins("-m", "territory=exemple", "scenario=baseline,assistants_medicaux", "run.replications=2",
                   "run.horizon_days=28", "run.warmup_days=7", "run.jobs=1", "dashboard.write=false",
                   f"hydra.sweep.dir={tmp_path}")
    assert res.returncode == 0, res.stderr[-2000:]
    job = json.loads((tmp_path / "1" / "scenarios.json").read_text())
    assert job["costs"]["assistants_medicaux"]["lines"]["assistants_medicaux.aid"] == 10 * 38_000  # capped to 10
    summary = pd.read_csv(tmp_path / "sweep_summary.csv").set_index(["scenario", "kpi"])
    assert summary.loc[("assistants_medicaux", "public_cost_eur_per_year"), "mean"] == 10 * 38_000
    assert summary.loc[("baseline", "public_cost_eur_per_year"), "mean"] == 0.0
    # the comparison page lists them under the scenario's headline, from that summary
    page = (tmp_path / "dashboard.html").read_text(encoding="utf-8")
    listed = page[page.index("<strong>Coût public</strong>"):]
    assert "380\u202f000 [" in listed[:listed.index("</ul>")]  # the capped aid, 10 × 38,000 € a year


def test_the_programmes_cost_their_structures_and_mission_days(exemple, model):
    assert costs.MISSION_CLINICIAN_PREFIX == missions_solidarite.CLINICIAN_PREFIX  # the ids the lever writes
    one = lines(exemple, model, france_sante=FranceSanteLever(enabled=True, count=1))["france_sante.label"]
    two = lines(exemple, model, france_sante=FranceSanteLever(enabled=True, count=2))["france_sante.label"]
    assert one == 50_000 and two == 2 * one  # 50 k€ a labelled structure a year (CALIBRATION §11)
    many = make_plan(exemple, replace(model, levers=replace(model.levers, france_sante=FranceSanteLever(
        enabled=True, count=10_000))), RUN)
    applied = many.capped[0]["applied"]
    assert lines(exemple, model, france_sante=FranceSanteLever(enabled=True, count=10_000))[
        "france_sante.label"] == applied * 50_000 < 10_000 * 50_000  # the structures labelled, not asked
    lone = lines(exemple, model, missions_solidarite=MissionsLever(enabled=True, volunteers=1, days_per_month=2))
    three = lines(exemple, model, missions_solidarite=MissionsLever(enabled=True, volunteers=3, days_per_month=2))
    assert lone["missions_solidarite.days"] == pytest.approx(2 * 12 * 200)  # 2 days a month, 200 € a day
    assert three["missions_solidarite.days"] == pytest.approx(3 * lone["missions_solidarite.days"])

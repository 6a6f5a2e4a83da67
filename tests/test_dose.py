"""Doses in common units (simsoins/results/dose.py) and levers sized to a dose
(simsoins/levers/dose.py), on the small synthetic territory."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from simsoins.cli.configs import compose_config, config_tree, plain
from simsoins.config.model import RunConfig
from simsoins.levers.dose import offered_slots_per_week, sized_config
from simsoins.results import dose, stats
from simsoins.run.workers import run_all, tables
from tests.conftest import with_cpts

RUN = RunConfig(replications=2, horizon_days=60, warmup_days=14, seed=11, jobs=1, event_log="none")


def _levers(model, **blocks):
    return replace(model, levers=replace(model.levers, **{k: replace(getattr(model.levers, k), **v)
                                                         for k, v in blocks.items()}))


@pytest.fixture(scope="module")
def doses(model, exemple):
    """One short run of several scenarios; the KPI table and the dose table."""
    gps = [c for c, k in zip(exemple.clinician_id, exemple.clinician_kind) if k == "gp"][:6]
    models = {"baseline": model,
              "juniors_zero": _levers(model, docteurs_juniors={"count": 0}),
              "cpts": with_cpts(model),
              "departs": _levers(model, departs_retraite={"count": 2, "spread_months": 0.0}),
              "assistants": _levers(model, assistants_medicaux={"clinicians": tuple(gps), "ramp_months": 0.0}),
              "prevention": _levers(model, prevention={"acute_reduction": 0.2})}
    kpis = tables(run_all(exemple, models, RUN))["kpis"]
    return kpis, dose.dose_table(kpis, float(exemple.population.sum())).set_index("scenario"), gps


def test_a_lever_at_zero_has_a_dose_of_exactly_zero(doses):
    _, table, _ = doses
    assert table.loc["juniors_zero", "dose_slots_per_week"] == 0.0
    assert table.loc["baseline", "dose_slots_per_week"] == 0.0
    assert table.loc["baseline", "kind"] == "reference"


def test_the_cpts_pool_moves_slots_without_adding_any(doses):
    _, table, _ = doses
    assert abs(table.loc["cpts", "dose_slots_per_week"]) < 1e-9
    assert table.loc["cpts", "kind"] == "organisational"


def test_departures_remove_about_the_slots_of_the_gps_who_leave(doses, exemple):
    kpis, table, _ = doses
    d = table.loc["departs"]
    assert d["kind"] == "capacity" and d["dose_slots_per_week"] < 0
    # two GPs leave on day 0: about two GPs' weeks of slots (the exemple's GPs offer 20-150 a week)
    base = kpis[(kpis.scenario == "baseline") & (kpis.kpi == dose.OFFERED)]["value"].mean()
    per_gp = base / sum(k == "gp" for k in exemple.clinician_kind)
    assert 0.3 * 2 * per_gp < -d["dose_slots_per_week"] < 3 * 2 * per_gp


def test_assistants_add_acts_gain_times_the_slots_of_their_gps(doses, model, exemple):
    """N GPs with an assistant and no ramp: dose ≈ acts_gain × those GPs' slots a week
    (within 10 %: a session's gain is rounded to whole slots)."""
    from simsoins.sim.replication import simulate

    _, table, gps = doses
    r = simulate(exemple, model, RUN, 0)  # replication 0's books; the dose is the mean over two
    rows = [list(exemple.clinician_id).index(g) for g in gps]
    weeks = (r.window[1] - r.window[0]) / (7 * 1440)
    theirs = r.offered.set_index("provider").loc[rows, "offered"].sum() / weeks
    expected = model.levers.assistants_medicaux.acts_gain * theirs
    assert table.loc["assistants", "dose_slots_per_week"] == pytest.approx(expected, rel=0.10)


def test_prevention_frees_slots_by_the_requests_it_removes(doses):
    kpis, table, _ = doses
    d = table.loc["prevention"]
    assert d["kind"] == "demand" and d["capacity"] == 0.0 and d["dose_slots_per_week"] > 0
    base_req = kpis[(kpis.scenario == "baseline") & (kpis.kpi == dose.REQUESTED)]["value"].mean()
    assert 0.01 * base_req < d["dose_slots_per_week"] < 0.2 * base_req


def test_dose_per_100k_inhabitants_is_the_dose_over_the_population(doses, exemple):
    _, table, _ = doses
    pop = float(exemple.population.sum())
    for sc, row in table.iterrows():
        assert row["dose_slots_per_week_per_100k"] == pytest.approx(row["dose_slots_per_week"] / pop * 1e5), sc


def test_summary_states_the_effect_per_100_slots(doses, exemple):
    kpis, table, _ = doses
    summary = dose.with_doses(stats.summarise(kpis), kpis, float(exemple.population.sum()))
    s = summary.set_index(["scenario", "kpi"])
    row = s.loc[("departs", "routine_wait_days_mean")]
    assert row["diff_per_100_slots"] == pytest.approx(row["diff_mean"] * 100 / table.loc["departs",
                                                                                          "dose_slots_per_week"])
    assert row["diff_per_100_slots_ci_low"] <= row["diff_per_100_slots"] <= row["diff_per_100_slots_ci_high"]
    assert np.isnan(s.loc[("cpts", "routine_wait_days_mean"), "diff_per_100_slots"])  # organisational
    assert s.loc[("baseline", "routine_wait_days_mean"), "dose_slots_per_week"] == 0.0
    doc = dose.scenario_doses(kpis, float(exemple.population.sum()))
    assert doc["dose_kind"]["cpts"] == "organisational" and doc["dose_slots_per_week"]["baseline"] == 0.0


def _composed(*overrides: str) -> dict:
    with config_tree():
        return plain(compose_config(["territory=exemple", *overrides]))


@pytest.mark.parametrize("lever, share", [("assistants_medicaux", 0.02), ("docteurs_juniors", 0.03),
                                          ("medicobus", 0.02), ("nouveau_centre", 0.08)])
def test_a_lever_sized_to_a_dose_reaches_it_within_15_percent(exemple, model, lever, share):
    cfg, sizing = sized_config(_composed(f"scenario={lever}", f"+dose.target_share={share}"), exemple)
    assert sizing is not None and sizing.lever == lever
    assert sizing.target == pytest.approx(share * sizing.base_slots)
    assert abs(sizing.dose / sizing.target - 1) <= 0.15, sizing
    assert f"= {sizing.size})" in cfg["scenario"]["label"]


def test_the_sized_dose_is_the_dose_the_run_measures(exemple, model):
    """The sizing counts replication 0's books as the simulation holds them."""
    from simsoins.cli.job import prepare

    job = prepare(_composed("scenario=docteurs_juniors", "+dose.target_share=0.03",
                            *(f"run.{k}={v}" for k, v in (("replications", 1), ("horizon_days", 60),
                                                          ("warmup_days", 14), ("jobs", 1)))))
    kpis = tables(run_all(job.territory, job.models, job.run, plans=job.plans))["kpis"]
    measured = dose.dose_table(kpis, 1.0).set_index("scenario").loc["docteurs_juniors", "dose_slots_per_week"]
    base = offered_slots_per_week(job.territory, job.models["baseline"], job.run)
    sized = offered_slots_per_week(job.territory, job.models["docteurs_juniors"], job.run)
    assert measured == pytest.approx(sized - base, abs=1e-9) and measured > 0


def test_teleconsultation_is_sized_by_whole_lines_of_slots(exemple):
    """The platform grows by lines of 15-minute slots: the nearest line that adds slots."""
    _, sizing = sized_config(_composed("scenario=teleconsultation", "+dose.target_share=0.03"), exemple)
    assert sizing is not None and sizing.dose > 0
    assert math.isclose(sizing.dose % 7, 0, abs_tol=1e-6)  # whole slots, every day of the week


def test_no_dose_asked_leaves_the_config_alone(exemple):
    cfg = _composed("scenario=assistants_medicaux")
    assert sized_config(cfg, exemple) == (cfg, None)


def test_a_dose_for_a_scenario_of_several_levers_is_refused(exemple):
    from simsoins.config.model import ConfigError

    with pytest.raises(ConfigError, match=r"dose\.target_share"):
        sized_config(_composed("scenario=plan_combine", "+dose.target_share=0.01"), exemple)


def test_dose_table_is_empty_without_the_dose_kpis():
    k = pd.DataFrame({"scenario": ["baseline"], "replication": [0], "kpi": ["x"], "unit": ["days"], "value": [1.0]})
    assert dose.dose_table(k, 1000.0).empty

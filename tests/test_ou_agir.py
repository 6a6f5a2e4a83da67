"""Where to act (« où agir »): the candidate rank of a new centre, the centre sized by a
budget, the selection's stated probability of correct selection on synthetic data where
the truth is known, and one tiny search end to end (configs/experiment/ou_agir.yaml)."""

from __future__ import annotations

import html
import itertools
import os
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from simsoins.config.costs import CostConfig
from simsoins.config.levers import NO_CENTRE
from simsoins.config.model import ConfigError, RunConfig
from simsoins.config.ou_agir import budget_sized, centre_gps
from simsoins.levers import make_plan
from simsoins.levers.nouveau_centre import AUTO_MIN_POPULATION
from simsoins.levers.places import access_score, auto_candidates, underserved
from simsoins.results.selection import paired_vs_reference, select, two_stage_replications

RUN = RunConfig(horizon_days=28, warmup_days=7, seed=5)
DRAWS = 4000


def crn_draws(rng, means, n, common=2.0, own=1.0):
    """``n`` replications × options: a common term per replication (CRN) plus each
    option's own noise around its true mean."""
    means = np.asarray(means, float)
    return means + rng.normal(0, common, (n, 1)) + rng.normal(0, own, (n, len(means)))


# ------------------------------------------------------------------ the statistics, truth known

def test_the_subset_holds_the_best_at_the_stated_rate_when_all_are_equal():
    """Equal means are the hardest case for the subset: it must still hold option 0 (a
    best) in ≥ 95 % of the draws, and not be so wide that it always does."""
    rng = np.random.default_rng(1)
    kept = np.mean([select(crn_draws(rng, np.zeros(5), 5), 0.05).subset[0] for _ in range(DRAWS)])
    assert 0.95 - 3 * np.sqrt(0.05 * 0.95 / DRAWS) <= kept <= 0.99


def test_the_selected_option_is_within_delta_of_the_best_at_the_stated_rate():
    rng = np.random.default_rng(2)
    means = np.array([0.0, 0.3, 0.3, 0.6, 1.0])
    hits, subset_hits, deltas = 0, 0, []
    for _ in range(DRAWS):
        sel = select(crn_draws(rng, means, 4), 0.05)
        hits += means[sel.selected] - means.min() <= sel.delta
        subset_hits += sel.subset[0]
        deltas.append(sel.delta)
    assert hits / DRAWS >= 0.95 and subset_hits / DRAWS >= 0.95
    assert 0 < np.median(deltas) < 3  # a bound of the size of the noise, not infinite


def test_a_clear_best_is_the_only_one_kept_and_within_zero_of_itself():
    rng = np.random.default_rng(3)
    sel = select(crn_draws(rng, [5.0, 0.0, 5.0, 6.0], 10, own=0.3), 0.05)
    assert sel.selected == 1 and sel.subset.tolist() == [False, True, False, False]
    assert sel.delta == 0.0
    assert sel.worse_by_at_most[3] == pytest.approx(6.0, abs=1.0)  # D⁺ of the worst ≈ its gap


def test_higher_is_better_selects_the_largest_mean():
    rng = np.random.default_rng(4)
    sel = select(crn_draws(rng, [0.5, 0.9, 0.1], 10, own=0.05), 0.05, lower_is_better=False)
    assert sel.selected == 1 and sel.means[1] - sel.means[0] == pytest.approx(0.4, abs=0.1)  # not negated


def test_the_two_stage_count_selects_within_the_zone_at_the_stated_rate():
    """Slippage configuration: the best is exactly δ0 better than the others; a first stage
    of 10, then the count :func:`two_stage_replications` asks, selects it ≥ 95 % of the time."""
    rng = np.random.default_rng(5)
    delta0, means, correct, counts = 0.5, np.array([0.0, 0.5, 0.5, 0.5]), 0, []
    for _ in range(1000):
        first = crn_draws(rng, means, 10)
        n = two_stage_replications(first, 0.05, delta0)
        y = np.vstack([first, crn_draws(rng, means, n - 10)])
        correct += int(np.argmin(y.mean(axis=0)) == 0)
        counts.append(n)
    assert correct / 1000 >= 0.95
    assert 20 < np.median(counts) < 200  # own noise sd 1 (paired sd √2) at δ0 = 0.5: ≈ 8·(2.5)²·… tens


def test_pairing_removes_the_common_noise_from_the_difference_with_the_reference():
    rng = np.random.default_rng(6)
    y = crn_draws(rng, [0.0, -0.5], 8, common=5.0, own=0.1)
    ref = y[:, 0]
    mean, lo, hi = paired_vs_reference(y[:, 1:], ref)
    assert mean[0] == pytest.approx(-0.5, abs=0.15)
    assert lo[0] < -0.5 < hi[0] and hi[0] - lo[0] < 0.5  # unpaired, the common sd 5 would make it ≈ 8 wide


# ------------------------------------------------------------------ candidates and budget

def test_the_candidate_rank_places_the_centre_in_the_kth_least_served_commune(exemple, model):
    big = exemple.population >= AUTO_MIN_POPULATION
    order = underserved(exemple, big)
    assert auto_candidates(exemple, AUTO_MIN_POPULATION) == order and len(order) == 3
    score = access_score(exemple)
    assert all(score[a] <= score[b] for a, b in itertools.pairwise(order))
    for rank, commune in enumerate(order):
        centre = replace(model.levers.nouveau_centre, enabled=True, candidate_rank=rank)
        plan = make_plan(exemple, replace(model, levers=replace(model.levers, nouveau_centre=centre)), RUN)
        p = plan.territory.practice_id.index("NC-1")
        assert plan.territory.practice_commune[p] == commune


def test_the_candidates_of_loir_et_cher_are_its_least_served_large_communes(loir_et_cher):
    t = loir_et_cher
    order = auto_candidates(t, AUTO_MIN_POPULATION)
    score = access_score(t)
    big = np.flatnonzero(t.population >= AUTO_MIN_POPULATION)
    assert sorted(order) == sorted(big.tolist()) and len(order) > 6
    assert np.all(np.diff(score[order]) >= 0) and score[order[0]] < score[order[-1]]
    assert score[order[0]] == score[big].min()


def test_no_centre_is_the_plan_of_the_baseline(exemple, model):
    centre = replace(model.levers.nouveau_centre, enabled=True, candidate_rank=NO_CENTRE)
    plan = make_plan(exemple, replace(model, levers=replace(model.levers, nouveau_centre=centre)), RUN)
    assert "NC-1" not in plan.territory.practice_id
    assert plan.territory.practice_id == make_plan(exemple, model, RUN).territory.practice_id


def test_a_rank_beyond_the_candidates_names_the_field_and_their_count(exemple, model):
    centre = replace(model.levers.nouveau_centre, enabled=True, candidate_rank=3)
    with pytest.raises(ConfigError, match=r"levers\.nouveau_centre\.candidate_rank = 3: .* has 3 candidate"):
        make_plan(exemple, replace(model, levers=replace(model.levers, nouveau_centre=centre)), RUN)


def test_the_budget_pays_the_centre_gps_at_the_cost_model_price():
    costs = CostConfig()
    assert centre_gps(200_000, costs) == 4  # (200,000 − 39,533) / 33,000 = 4.86
    assert centre_gps(39_533 + 33_000, costs) == 1
    assert centre_gps(2 * (200_000 - 39_533) + 39_533, costs) == 9  # twice the GP money, twice the GPs (9.7)
    with pytest.raises(ConfigError, match=r"ou_agir\.budget_eur_per_year = 50000: .* at least 72533"):
        centre_gps(50_000, costs)
    cfg = {"ou_agir": {"budget_eur_per_year": 110_000}, "scenario": {"levers": {"nouveau_centre": {"enabled": True}}}}
    assert budget_sized(cfg)["scenario"]["levers"]["nouveau_centre"]["gps"] == 2
    assert "gps" not in cfg["scenario"]["levers"]["nouveau_centre"]  # the input is not changed
    assert budget_sized({"scenario": {}}) == {"scenario": {}}  # no search: nothing sized


# ------------------------------------------------------------------ one tiny search end to end

RANK = "scenario.levers.nouveau_centre.candidate_rank"
TINY = ["territory=exemple", "run.replications=2", "run.horizon_days=28", "run.warmup_days=7", "run.jobs=1",
        "run.event_log=none"]


def simsoins(tmp_path, *args):
    env = {k: v for k, v in os.environ.items() if k != "SIMSOINS_CONFIG_DIR"}
    return subprocess.run([sys.executable, "-m", "simsoins", *args], capture_output=True, text=True, cwd=tmp_path,
                          env=env, timeout=600)


def test_a_tiny_search_writes_one_row_per_candidate_paired_with_the_baseline(tmp_path):
    out = tmp_path / "search"
    res = simsoins(tmp_path, "-m", "+experiment=ou_agir", *TINY,
                   "scenario.levers.nouveau_centre.candidate_rank=-1,0,1,2", f"hydra.sweep.dir={out}")
    assert res.returncode == 0, res.stderr[-3000:]
    table = pd.read_csv(out / "ou_agir.csv", dtype={"code": str})
    assert table["rank"].tolist() == [0, 1, 2] and table["code"].tolist() == ["99001", "99004", "99002"]
    assert (table["centre_gps"] == 4).all() and table["selected"].sum() == 1 and table["in_subset"].any()
    assert np.allclose(table["diff"], table["mean"] - table["reference_mean"])
    assert (table["diff_ci_low"] <= table["diff"]).all() and (table["diff"] <= table["diff_ci_high"]).all()
    # the reference job is the baseline itself: the same patients, the same KPI, to the bit
    base = simsoins(tmp_path, *TINY, "dashboard.write=false", f"hydra.run.dir={tmp_path / 'base'}")
    assert base.returncode == 0, base.stderr[-3000:]
    kpis = pd.read_parquet(tmp_path / "base" / "kpis.parquet")
    kpi = kpis[(kpis["kpi"] == "routine_time_to_care_days_mean") & (kpis["scenario"] == "baseline")]
    assert table["reference_mean"].iloc[0] == pytest.approx(kpi["value"].mean(), rel=1e-12)
    # beside the objective, each candidate's change in giving up and avoidable ER visits, paired
    sweep = pd.read_parquet(out / "sweep_kpis.parquet")
    er = sweep[sweep["kpi"] == "er_avoidable_visits_per_1000_year"].pivot_table(
        index="replication", columns=RANK, values="value")
    er.columns = er.columns.astype(int)
    assert np.allclose(table["er_avoidable_diff"], [(er[r] - er[-1]).mean() for r in table["rank"]])
    assert (table["gave_up_diff_ci_low"] <= table["gave_up_diff"]).all()
    page = html.unescape((out / "ou_agir.html").read_text(encoding="utf-8"))
    assert "Avec une probabilité d'au moins 95 %" in page and "Saint-Exemple" in page and "star" in page
    assert "Où agir" in res.stdout and "95 %" in res.stdout


def test_a_bad_rank_stops_the_search_in_one_line(tmp_path):
    res = simsoins(tmp_path, "-m", "+experiment=ou_agir", *TINY, "scenario.levers.nouveau_centre.candidate_rank=0,7",
                   f"hydra.sweep.dir={tmp_path / 'bad'}")
    assert res.returncode == 2
    line = res.stderr.strip().splitlines()[-1]
    assert "candidate_rank = 7" in line and "has 3 candidate" in line and "allowed 0 to 2" in line


def test_the_page_and_summary_speak_english_when_asked():
    from simsoins.config.ou_agir import OuAgirConfig
    from simsoins.tools.ou_agir_page import page_html, summary_lines

    y = crn_draws(np.random.default_rng(7), [1.0, 0.0, 2.0], 6, own=0.1)
    sel = select(y)
    out = pd.DataFrame({"rank": [0, 1, 2], "code": ["1", "2", "3"], "name": ["A", "B<i>", "C"], "lon": [1.0, 1.1, 1.2],
                        "lat": [47.0, 47.1, 47.2], "population": [3000, 2500, 2000], "access_score": [0.1, 0.2, 0.3],
                        "centre_gps": 4, "cost_eur_per_year": 171533.0, "mean": sel.means, "in_subset": sel.subset,
                        "worse_than_best_at_most": sel.worse_by_at_most, "selected": [False, True, False]})
    page = page_html(out, sel, 12, OuAgirConfig(top=2), "en")
    assert "With probability at least 95 %, the best commune is among: B<i> (2)" in html.unescape(page)
    assert "B&lt;i&gt;" in page and "<i>" not in page.split("<body>")[1].split("<script")[0]  # escaped
    lines = summary_lines(out, sel, 12, OuAgirConfig(top=2), "en")
    assert lines[0].startswith("Where to act") and len(lines) == 4 + 2  # title, 3 sentences, the best 2
    assert "12 replications per commune" in lines[3]
    done = summary_lines(out, sel, sel.replications, OuAgirConfig(top=2), "fr")[3]
    assert f"les {sel.replications} réplications faites suffisent" in done  # no second stage to ask for


def test_an_unknown_objective_names_the_field():
    from simsoins.config.ou_agir import OuAgirConfig
    from simsoins.config.schema import from_mapping

    with pytest.raises(ConfigError, match=r"ou_agir\.kpi = 'attente': not a KPI"):
        from_mapping(OuAgirConfig, {"kpi": "attente"}, "ou_agir")

"""GPs over a multi-year run: retirements by age from the national pyramid, installations
at a stated rate (simsoins/levers/gp_demography.py, docs/model.md "Several years: GPs")."""

from __future__ import annotations

import dataclasses
from dataclasses import replace

import numpy as np
import pytest
from test_cli import simsoins as run_simsoins

from simsoins.config.gp_demography import AGE_BAND_FROM, AGE_BAND_YEARS, GpDemography
from simsoins.config.levers import AssistantsLever, DeparturesLever, JuniorsLever
from simsoins.config.model import ConfigError, RunConfig, build_model
from simsoins.levers import make_plan
from simsoins.levers.gp_demography import (
    ID_PREFIX,
    draw_ages,
    expected_exit_share,
    installation_days,
    retirements,
    written_gps,
)
from simsoins.results.kpis import replication_kpis
from simsoins.run.workers import run_all
from simsoins.sim.replication import simulate
from simsoins.vocabulary import MIN_PER_DAY

#: Enough GPs for the shares to be within a few tenths of a point (binomial s.e. ≤ 0.0013).
MANY = 100_000
FIVE_YEARS = RunConfig(years=5, horizon_days=365, warmup_days=56, seed=2024)
#: A shifted pyramid: every GP aged 60–64 and past a retirement age of 60, so each stops
#: within ``cumul_years`` of the start, uniformly.
OLD = dict(age_shares=(0,) * 7 + (1.0, 0, 0), retirement_age_mean=60.0, retirement_age_sd=0.0)


def with_gps(model, enabled="auto", **kw):
    return replace(model, demography=replace(model.demography, enabled=enabled, gps=GpDemography(**kw)))


def installed(plan) -> list[int]:
    return [c for c, i in enumerate(plan.territory.clinician_id) if i.startswith(ID_PREFIX)]


def test_drawn_ages_follow_the_configured_pyramid():
    cfg = GpDemography()
    age, stop = draw_ages(cfg, MANY, np.random.default_rng(1))
    bands = np.bincount(((age - AGE_BAND_FROM) // AGE_BAND_YEARS).astype(int), minlength=len(cfg.age_shares))
    np.testing.assert_allclose(bands / MANY, cfg.age_shares, atol=0.004)
    midpoints = AGE_BAND_FROM + AGE_BAND_YEARS * (np.arange(len(cfg.age_shares)) + 0.5)
    assert abs(age.mean() - float(np.dot(cfg.age_shares, midpoints))) < 0.1
    assert 50.0 < age.mean() < 51.5  # DREES 2021: 51.1, 2023: 50.8 (CALIBRATION §20)
    young = age < 50  # nobody under 50 is past a retirement age of 65.2 ± 2.5
    assert abs(stop[young].mean() - cfg.retirement_age_mean) < 0.05
    assert abs(stop[young].std() - cfg.retirement_age_sd) < 0.05
    assert (stop >= age).all()
    # a shifted pyramid: everyone 60–64, all past a retirement age of 60, so each stops
    # within cumul_years of the start, uniformly
    old = GpDemography(**OLD, cumul_years=4.0)
    age, stop = draw_ages(old, MANY, np.random.default_rng(2))
    assert ((age >= 60) & (age < 65)).all()
    np.testing.assert_allclose(np.quantile(stop - age, [0.25, 0.5, 0.75]), [1.0, 2.0, 3.0], atol=0.05)


@pytest.mark.parametrize("cfg", [GpDemography(), GpDemography(retirement_age_sd=0.0, cumul_years=2.0),
                                 GpDemography(retirement_age_mean=62.0, cumul_years=0.0)])
def test_the_exit_share_over_five_years_is_what_the_pyramid_and_retirement_ages_imply(cfg):
    age, stop = draw_ages(cfg, MANY, np.random.default_rng(3))
    for years in (1.0, 5.0):
        share = float(((stop - age) < years).mean())
        assert abs(share - expected_exit_share(cfg, years)) < 0.005, (years, share)


def test_the_default_exit_rate_is_near_the_four_percent_a_year_of_calibration():
    # CALIBRATION §20 derives ≈ 4 %/yr from the 19 % aged 60–64; the GPs already 65+ add
    # to it: 4.1 % in the first year, 4.7 %/yr over five. Tolerance: 3.5–5.5 %/yr.
    rates = [expected_exit_share(GpDemography(), y) / y for y in (1, 3, 5)]
    assert all(0.035 < r < 0.055 for r in rates), rates
    assert rates == sorted(rates)  # the 60–64 bulge reaches 65 over the years


def test_the_territorys_gps_retire_at_the_rate_the_rule_implies(loir_et_cher, model):
    plan = make_plan(loir_et_cher, model, FIVE_YEARS)
    gps = written_gps(loir_et_cher)
    share = len(plan.departures) / len(gps)
    expected = expected_exit_share(model.demography.gps, FIVE_YEARS.end_day / FIVE_YEARS.horizon_days)
    assert abs(share - expected) < 3 * np.sqrt(expected * (1 - expected) / len(gps)), (share, expected)
    assert all(0 <= d.day < FIVE_YEARS.end_day for d in plan.departures)
    assert {d.clinician for d in plan.departures} <= set(gps.tolist())
    for d in plan.departures:  # as departs_retraite: the book closes on the day
        assert plan.end_day[d.clinician] == d.day


def test_every_scenario_sees_the_same_ages_in_each_replication(exemple, model):
    run = RunConfig(years=3, horizon_days=90, warmup_days=28, seed=11)
    m = with_gps(model, **OLD, installations_per_year=0.3)
    scenario = replace(m, levers=replace(m.levers, assistants_medicaux=AssistantsLever(count=2),
                                         docteurs_juniors=JuniorsLever(count=1)))
    base, other = make_plan(exemple, m, run), make_plan(exemple, scenario, run)
    assert base.departures and base.departures == other.departures
    assert installed(base) and ([(base.territory.clinician_practice[c], base.start_day[c]) for c in installed(base)]
                                == [(other.territory.clinician_practice[c], other.start_day[c])
                                    for c in installed(other)])
    # the ages depend on the run's seed and the replication: not on the number of
    # replications nor on the jobs; each replication has its own, in every scenario
    cfg = m.demography.gps
    assert retirements(cfg, exemple, replace(run, replications=7, jobs=1)) == base.departures
    assert retirements(cfg, exemple, replace(run, seed=12)) != base.departures
    second = make_plan(exemple, m, run, replication=1)
    assert retirements(cfg, exemple, run, 1) == second.departures != base.departures
    assert second.departures == make_plan(exemple, scenario, run, replication=1).departures


def test_off_in_a_one_year_run_unless_on(exemple, model):
    one_year = RunConfig(horizon_days=365, warmup_days=56, seed=5)
    old = dict(**OLD, cumul_years=1.0, installations_per_year=0.5)
    off = make_plan(exemple, with_gps(model, "off", **old), one_year)
    auto = make_plan(exemple, with_gps(model, "auto", **old), one_year)
    assert not auto.departures and auto.territory.n_clinicians == exemple.n_clinicians
    for f in dataclasses.fields(off):
        if isinstance(getattr(off, f.name), np.ndarray):
            np.testing.assert_array_equal(getattr(auto, f.name), getattr(off, f.name), err_msg=f.name)
    on = make_plan(exemple, with_gps(model, "on", **old), one_year)
    # all ten past their age, each stops within the year; 0.5 × 10 GPs a year install
    assert len(on.departures) == 10
    assert abs(len(installed(on)) - 0.5 * 10 * one_year.end_day / 365) <= 1
    assert not make_plan(exemple, with_gps(model, "off", **old), replace(one_year, years=3)).departures


def test_a_retirement_and_a_scenario_departure_of_one_gp_keep_the_earlier_day(exemple, model):
    run = RunConfig(years=2, horizon_days=90, warmup_days=28, seed=3)
    m = with_gps(model, **OLD, cumul_years=1.0, installations_per_year=0.0)
    ages = {d.clinician: d.day for d in retirements(m.demography.gps, exemple, run)}
    first, last = min(ages, key=ages.get), max(ages, key=ages.get)
    ids = [exemple.clinician_id[first], exemple.clinician_id[last]]
    dates = ["2026-11-03", "2027-12-27"]  # day 1 (before their retirement), day 420 (after)
    lever = DeparturesLever(clinicians=ids, dates=dates)
    plan = make_plan(exemple, replace(m, levers=replace(m.levers, departs_retraite=lever)), run)
    kept = {d.clinician: d.day for d in plan.departures}
    assert len(plan.departures) == len(kept)  # one record per GP
    assert kept[first] == 1 and kept[last] == ages[last] < 420
    assert plan.end_day[first] == 1 and plan.end_day[last] == ages[last]


def test_departures_without_replacement_worsen_waits_year_after_year(exemple, model):
    """Three 90-day years on the small territory, everyone aged 60–64 and past a retirement
    age of 60 (so each GP stops within six years, uniformly: four of ten within the run),
    no installation.  Short years keep the test quick but are seasons: waits rise from
    spring to summer without any departure, so the effect is the paired difference with the
    same run without the changes (common random numbers), which must grow every year."""
    run = RunConfig(years=3, horizon_days=90, warmup_days=28, seed=7)
    kw = dict(**OLD, cumul_years=6.0, installations_per_year=0.0)
    on, off = with_gps(model, "auto", **kw), with_gps(model, "off", **kw)
    w0, h = run.warmup_days * MIN_PER_DAY, run.horizon_days * MIN_PER_DAY
    kpi = "routine_time_to_care_days_mean"
    for r in (0, 1):
        by_year = {}
        for name, m in (("on", on), ("off", off)):
            rep = simulate(exemple, m, run, r, make_plan(exemple, m, run))
            by_year[name] = [replication_kpis(dataclasses.replace(rep, window=(w0 + k * h, w0 + (k + 1) * h)))[kpi]
                             for k in range(run.years)]
        assert by_year["on"] == sorted(by_year["on"]), by_year
        gap = np.subtract(by_year["on"], by_year["off"])
        assert (np.diff(gap) > 0.5).all() and gap[-1] > 2.0, gap  # days: 0.7 → 2.5 → 4.0 at seed 7


def test_installations_add_their_rate_times_the_gps_each_year(loir_et_cher, model):
    rate = 0.05
    plan = make_plan(loir_et_cher, with_gps(model, installations_per_year=rate), FIVE_YEARS)
    new = installed(plan)
    gps = len(written_gps(loir_et_cher))
    w0, h = FIVE_YEARS.warmup_days, FIVE_YEARS.horizon_days
    per_year = [sum(w0 + k * h <= plan.start_day[c] < w0 + (k + 1) * h for c in new) for k in range(FIVE_YEARS.years)]
    assert all(abs(n - rate * gps) <= 1 for n in per_year), (per_year, rate * gps)
    assert not plan.panels[:, new].any() and plan.mt_capable[new].all() and (plan.panel_cap[new] > 0).all()
    assert all(plan.territory.clinician_kind[c] == "gp" for c in new)
    # the first goes where the first GP retired, if by then
    first_gone = plan.departures[0]
    if first_gone.day <= plan.start_day[new[0]]:
        assert plan.territory.clinician_practice[new[0]] == loir_et_cher.clinician_practice[first_gone.clinician]
    assert not installed(make_plan(loir_et_cher, with_gps(model, installations_per_year=0.0), FIVE_YEARS))


def test_installation_days_are_even_over_the_run():
    run = RunConfig(years=2, horizon_days=100, warmup_days=0)
    assert installation_days(10, 0.2, run) == [25.0, 75.0, 125.0, 175.0]
    assert installation_days(10, 0.0, run) == [] and installation_days(0, 0.5, run) == []


@pytest.mark.parametrize("gps, message", [
    ({"installations_per_year": 2}, "demography.gps.installations_per_year = 2.0: must be ≥ 0 and ≤ 1"),
    ({"retirement_age_mean": 90}, "demography.gps.retirement_age_mean = 90.0: must be ≥ 50 and ≤ 80"),
    ({"age_shares": [0.5, 0.6]}, "demography.gps.age_shares = [0.5, 0.6]: must be 10 shares"),
])
def test_a_bad_value_names_the_field(gps, message):
    with pytest.raises(ConfigError) as err:
        build_model({"demography": {"gps": gps}})
    assert str(err.value).startswith(message), err.value


def test_the_command_line_refuses_a_bad_rate_in_one_line(tmp_path):
    res = run_simsoins("territory=exemple", "run.years=2", "demography.gps.installations_per_year=-0.1",
                       f"hydra.run.dir={tmp_path / 'run'}")
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert res.returncode == 2 and len(lines) == 1, res.stderr
    assert "demography.gps.installations_per_year = -0.1" in lines[0]


def test_each_replication_of_a_run_simulates_its_own_ages(exemple, model):
    """The workers build each replication's plan with its own ages (run_all, in process)."""
    run = RunConfig(years=2, horizon_days=42, warmup_days=14, seed=11, replications=2, jobs=1)
    m = with_gps(model, **OLD, installations_per_year=0.3)
    [_, second] = run_all(exemple, {"baseline": m}, run)
    own = simulate(exemple, m, run, 1, make_plan(exemple, m, run, replication=1))
    assert second.kpis == pytest.approx(replication_kpis(own), nan_ok=True)
    assert make_plan(exemple, m, run, replication=1).departures != make_plan(exemple, m, run).departures

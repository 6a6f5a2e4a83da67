"""Levers with their own calendars in multi-year runs: assistants added each year, cohorts
of docteurs juniors of different sizes, a centre that opens in the run's second year —
and what each costs, year by year (simsoins/results/costs.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pytest

from simsoins.config.costs import CostConfig
from simsoins.config.levers import AssistantsLever, JuniorsLever, NewCentreLever
from simsoins.config.model import ConfigError, RunConfig, from_mapping
from simsoins.levers import make_plan
from simsoins.levers.docteurs_juniors import cohort_sizes
from simsoins.levers.gp_demography import followed
from simsoins.levers.plan import Departure
from simsoins.results import costs
from simsoins.sim.clock import MIN_PER_DAY
from simsoins.sim.replication import ReplicationRun

RUN3 = RunConfig(horizon_days=365, warmup_days=56, years=3, seed=5)
C = CostConfig()


def year_window(run: RunConfig, k: int) -> tuple[float, float]:
    """Measured year ``k`` (0-based) of ``run``, days."""
    return float(run.warmup_days + k * run.horizon_days), float(run.warmup_days + (k + 1) * run.horizon_days)


def plan_with(territory, model, run=RUN3, **levers):
    m = replace(model, levers=replace(model.levers, **levers))
    return make_plan(territory, m, run), m


def day(date: str) -> int:
    return (dt.date.fromisoformat(date) - RUN3.start).days


def aid_by_hand(starts: list[int], window: tuple[float, float]) -> float:
    """The CNAM aid a year in ``window``, day by day: each GP's contract year counts from their own start."""
    aid = C.assistant_aid_eur
    total = sum(aid[min((d - s) // 365, len(aid) - 1)] for s in starts for d in range(int(window[0]), int(window[1]))
                if d >= s)
    return total / (window[1] - window[0])


def test_assistants_added_each_year_and_their_aid(exemple, model):
    k = 2
    plan, m = plan_with(exemple, model, assistants_medicaux=AssistantsLever(count=2, added_per_year=k))
    starts = sorted(int(g.start_day) for g in plan.cap_growth)
    # the start (2 Nov 2026), then each 2 November of the run (warm-up + 3 years: to day 1151):
    # 2027 (day 365), 2028 (day 731, after 29 Feb), 2029 (day 1096)
    assert starts == [0] * 2 + [day(f"{y}-11-02") for y in (2027, 2028, 2029) for _ in range(k)]
    with_one = [sum(s <= w0 for s in starts) for w0 in (year_window(RUN3, y)[1] - 1 for y in range(3))]
    assert with_one[1] - with_one[0] == k  # year 2 ends with k more GPs with an assistant
    assert all(len(plan.gains[g.clinician]) == 1 and plan.gains[g.clinician][0].start == g.start_day
               for g in plan.cap_growth)  # each GP's own ramp from their own start
    year = [costs.plan_cost_lines(plan, m.levers, C, RUN3.start, year_window(RUN3, y))["assistants_medicaux.aid"]
            for y in range(3)]
    assert year == pytest.approx([aid_by_hand(starts, year_window(RUN3, y)) for y in range(3)])
    # year 2 against year 1: the first two move from 38,000 to 28,000 € a year (from day 365),
    # the k added GPs are paid 38,000 € in their first contract year
    first_two = 2 * (38_000 * (365 - 56) + 28_000 * 56) / 365
    assert year[0] == pytest.approx(first_two + k * 38_000 * 56 / 365)
    assert year[1] - year[0] > k * 20_000


def test_assistants_added_beyond_the_territorys_gps_are_capped_and_recorded(exemple, model):
    plan, _ = plan_with(exemple, model, assistants_medicaux=AssistantsLever(count=2, added_per_year=5))
    n_gps = sum(kind == "gp" for kind in exemple.clinician_kind)
    assert len(plan.cap_growth) == n_gps == len({g.clinician for g in plan.cap_growth})
    assert {"lever": "assistants_medicaux", "key": "added_per_year", "asked": 2 + 5 * 3, "applied": n_gps,
            "limit": n_gps} in plan.capped


def test_a_one_year_run_with_no_additions_is_the_lever_as_before(exemple, model):
    one = RunConfig(horizon_days=91, warmup_days=28, seed=2024)
    plan, _ = plan_with(exemple, model, one, assistants_medicaux=AssistantsLever(count=4))
    assert [g.start_day for g in plan.cap_growth] == [0.0] * 4
    # a one-year run holds the 2027 cohort in its last weeks: it has its own size too
    assert cohort_sizes(JuniorsLever(count=7), 2) == [7, 5]


def juniors_by_cohort(plan) -> dict[int, int]:
    t = plan.territory
    starts = [int(plan.start_day[c]) for c in range(t.n_clinicians) if t.clinician_kind[c] == "junior"]
    return {s: starts.count(s) for s in sorted(set(starts))}


def test_junior_cohorts_follow_the_scale(exemple, model):
    run = replace(RUN3, years=4)
    lever = JuniorsLever(count=10, per_practice=10)
    plan, m = plan_with(exemple, model, run, docteurs_juniors=lever)
    cohorts = juniors_by_cohort(plan)
    # 2,963 / 3,858 = 0.768 → 7.68 → 8; 3,894 / 3,858 = 1.009 → 10.09 → 10, the last repeated (CALIBRATION §19)
    assert list(cohorts.values()) == [10, 8, 10, 10, 10]
    assert list(cohorts) == [day(f"{y}-11-02") for y in range(2026, 2031)]
    half = plan_with(exemple, model, run, docteurs_juniors=replace(lever, cohort_scale=(1.0, 0.5)))[0]
    assert list(juniors_by_cohort(half).values()) == [10, 5, 5, 5, 5]
    pay = 12 * (2_375 + 600 + 1_200) + 2 * 500
    # measured year 2 (day 421 → 786): ≈ 309 days of the 2027 cohort of 8, 55 days of the 2028 cohort of 10
    y2 = costs.plan_cost_lines(plan, m.levers, C, run.start, year_window(run, 1))[
        "docteurs_juniors.pay_and_supervision"]
    months = 12.0 * 30.44  # a cohort stays `months` × DAYS_PER_MONTH days
    end_2027 = day("2027-11-02") + months
    expected = pay * (8 * (min(end_2027, 786) - 421) + 10 * (786 - day("2028-11-02"))) / 365
    assert y2 == pytest.approx(expected)


def test_an_empty_cohort_scale_is_refused_naming_the_field():
    with pytest.raises(ConfigError, match=r"^levers\.docteurs_juniors\.cohort_scale = \[\]: must give"):
        from_mapping(JuniorsLever, {"cohort_scale": []}, "levers.docteurs_juniors")


def test_a_centre_opening_in_year_two_costs_nothing_in_year_one(exemple, model):
    opening = "2028-01-03"  # day 427: after measured year 1 (days 56 → 421)
    plan, m = plan_with(exemple, model, nouveau_centre=NewCentreLever(enabled=True, opening_date=opening,
                                                                        ramp_months=0.0))
    lines = [costs.plan_cost_lines(plan, m.levers, C, RUN3.start, year_window(RUN3, y)) for y in range(3)]
    assert lines[0]["nouveau_centre.aci"] == 0 and lines[0]["nouveau_centre.gps"] == 0
    open_days = year_window(RUN3, 1)[1] - day(opening)
    assert lines[1]["nouveau_centre.aci"] == pytest.approx(39_533 * open_days / 365)
    assert lines[1]["nouveau_centre.gps"] == pytest.approx(4 * 33_000 * open_days / 365)
    assert lines[2]["nouveau_centre.aci"] == pytest.approx(39_533)
    t = plan.territory
    newcomers = [c for c in range(t.n_clinicians) if t.clinician_id[c].startswith("NC-G")]
    assert newcomers and all(plan.start_day[c] == day(opening) for c in newcomers)
    assert np.isfinite(plan.start_day).all()


def test_added_per_year_leaves_a_lever_that_is_off_off(exemple, model):
    plan, _ = plan_with(exemple, model, assistants_medicaux=AssistantsLever(count=0, added_per_year=3))
    assert plan.cap_growth == [] and plan.gains == {}


def test_a_gp_moving_into_a_centre_opening_later_moves_on_its_opening_day_with_their_patients(exemple, model):
    """The GPs who regroup into a centre work at their own practice until it opens, then at
    the centre (a row of their own there: same sessions, same cap) with their MT patients;
    a centre open from the start moves them from the start, as before."""
    run = RunConfig(horizon_days=56, warmup_days=14, seed=3)
    opening = 35
    lever = NewCentreLever(enabled=True, from_existing_share=0.5, gps=2, ramp_months=0.0,
                           opening_date=(run.start + dt.timedelta(days=opening)).isoformat())
    plan, m = plan_with(exemple, model, run, nouveau_centre=lever)
    t = plan.territory
    centre = t.practice_id.index("NC-1")
    [move] = plan.transfers
    assert move.day == opening and t.clinician_practice[move.clinician] == exemple.clinician_practice[move.clinician]
    assert t.clinician_practice[move.to] == centre
    assert t.clinician_sessions[move.to] == t.clinician_sessions[move.clinician]
    assert plan.end_day[move.clinician] == opening and plan.start_day[move.to] == opening
    assert plan.panel_cap[move.to] == plan.panel_cap[move.clinician]
    rr = ReplicationRun(exemple, m, run, 0)
    before = rr.panels.size[move.clinician]
    rr.run()
    assert rr.panels.size[move.clinician] == 0 and rr.panels.size[move.to] >= 0.9 * before  # patients followed
    ev = rr.result().events
    at = ev["t_appointment_min"].to_numpy() / MIN_PER_DAY
    prov = ev["provider"].to_numpy()
    assert (prov == move.clinician).any() and at[prov == move.clinician].max() < opening
    assert (prov == move.to).any() and at[prov == move.to].min() >= opening
    from_start = plan_with(exemple, model, run, nouveau_centre=replace(lever, opening_date=""))[0]
    assert from_start.transfers == [] and from_start.territory.clinician_practice[move.clinician] == centre


def test_a_gp_who_moves_later_retires_as_the_row_they_work_as(exemple, model):
    """A retirement (simsoins/levers/gp_demography.py) after the move ends the GP's row at
    the centre; one before it cancels the move: the GP never works there."""
    lever = NewCentreLever(enabled=True, from_existing_share=0.5, gps=2, opening_date="2027-06-07")
    plan, _ = plan_with(exemple, model, nouveau_centre=lever)
    [move] = plan.transfers
    assert followed(plan, [Departure(day=move.day + 30, clinician=move.clinician)]) == [
        Departure(day=move.day + 30, clinician=move.to)]
    assert plan.transfers == [move]
    assert followed(plan, [Departure(day=move.day - 30, clinician=move.clinician)]) == [
        Departure(day=move.day - 30, clinician=move.clinician)]
    assert plan.transfers == [] and plan.end_day[move.to] == plan.start_day[move.to]  # never works there

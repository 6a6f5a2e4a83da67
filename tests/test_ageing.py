"""The population's ageing in multi-year runs (simsoins/levers/ageing.py): the bands move
by the stated rule, demand follows each year's population, and nothing changes when it is off."""

from dataclasses import replace
from itertools import pairwise

import numpy as np
import pytest

from simsoins.config.ageing import Ageing
from simsoins.config.demography import DemographyConfig
from simsoins.config.model import ConfigError, RunConfig
from simsoins.levers import make_plan
from simsoins.levers.ageing import year_matrix
from simsoins.sim.demand import DemandGenerator
from simsoins.sim.replication import simulate
from simsoins.sim.streams import replication_streams

YEARS = 5
RUN5 = RunConfig(replications=1, horizon_days=60, warmup_days=7, years=YEARS, seed=11, jobs=1)


def with_demography(model, **kw):
    return replace(model, demography=replace(model.demography, **kw))


def by_hand(bands: np.ndarray, ageing: Ageing, years: int) -> np.ndarray:
    """The rule, band by band: a share moves up, the oldest band loses its deaths, births
    (as many as the deaths) enter the first band."""
    pop = [float(x) for x in bands]
    for _ in range(years):
        moved = [pop[b] * ageing.moving_up[b] for b in range(len(pop) - 1)]
        deaths = pop[-1] * ageing.oldest_death_rate
        nxt = [pop[b] - (moved[b] if b < len(moved) else deaths) for b in range(len(pop))]
        for b, m in enumerate(moved):
            nxt[b + 1] += m
        nxt[0] += deaths
        pop = nxt
    return np.array(pop)


def test_oldest_share_after_n_years_follows_the_rule(exemple, model):
    plan = make_plan(exemple, model, RUN5)
    ageing = model.demography.ageing
    assert len(plan.age_pop_by_year) == YEARS
    start = exemple.age_pop.sum(axis=0)
    for k, pop in enumerate(plan.age_pop_by_year):
        np.testing.assert_allclose(pop.sum(axis=0), by_hand(start, ageing, k), rtol=1e-12)
        np.testing.assert_allclose(pop.sum(axis=1), exemple.age_pop.sum(axis=1), rtol=1e-12)  # births = deaths
    share = [pop[:, -1].sum() / pop.sum() for pop in plan.age_pop_by_year]
    # the baby boom reaching 75: the oldest band's share rises each year, by ≈ 0.4 point a year here
    assert all(b > a for a, b in pairwise(share))
    assert 0.003 < (share[-1] - share[0]) / (YEARS - 1) < 0.006, share
    assert plan.age_pop_from_day == [0] + [RUN5.warmup_days + k * RUN5.horizon_days for k in range(1, YEARS)]


def test_ageing_is_off_in_a_one_year_run_and_when_switched_off(exemple, model):
    assert make_plan(exemple, model, replace(RUN5, years=1)).age_pop_by_year == []
    assert make_plan(exemple, with_demography(model, enabled="off"), RUN5).age_pop_by_year == []
    on = make_plan(exemple, with_demography(model, enabled="on"), replace(RUN5, years=1))
    assert len(on.age_pop_by_year) == 1


def requests_per_day(gen: DemandGenerator, days: range, seed: int) -> float:
    streams = replication_streams(seed, 0)
    return float(np.mean([len(gen.day(d, streams["arrivals"], streams["attributes"])) for d in days]))


def test_demand_of_year_five_exceeds_year_one_by_the_rates_times_populations(exemple, model):
    plan = make_plan(exemple, model, RUN5)
    d = model.demand
    rates = np.array([d.routine_per_year, d.acute_per_year, d.emergency_per_year], dtype=float)
    expected = [float((pop.sum(axis=0) * rates).sum()) for pop in plan.age_pop_by_year]
    ratio = expected[-1] / expected[0]
    assert 1.01 < ratio < 1.05, ratio  # older people ask a GP more often (demand.*_per_year by band)
    n_days = plan.age_pop_from_day[-1] + RUN5.horizon_days
    gen = DemandGenerator(d, exemple.age_pop, np.zeros(n_days, dtype=int), age_pop_by_year=plan.age_pop_by_year,
                          age_pop_from_day=plan.age_pop_from_day)
    first = range(0, plan.age_pop_from_day[1])
    last = range(plan.age_pop_from_day[-1], n_days)
    y1, y5 = requests_per_day(gen, first, 1), requests_per_day(gen, last, 2)
    # Poisson counts: 4 standard errors of the ratio on the days drawn
    se = ratio * np.sqrt(1 / (y1 * len(first)) + 1 / (y5 * len(last)))
    assert abs(y5 / y1 - ratio) < 4 * se, (y5 / y1, ratio, se)
    assert y5 / y1 > 1.0


def test_one_year_of_population_draws_what_the_territory_draws(exemple, model):
    months = np.zeros(30, dtype=int)
    plain = DemandGenerator(model.demand, exemple.age_pop, months)
    listed = DemandGenerator(model.demand, exemple.age_pop, months, age_pop_by_year=[exemple.age_pop],
                             age_pop_from_day=[0])
    for d in range(0, 30, 7):
        a, b = plain.day(d, *_two(5)), listed.day(d, *_two(5))
        assert all(np.array_equal(getattr(a, k), getattr(b, k)) for k in vars(a))


def _two(seed):
    s = replication_streams(seed, 0)
    return s["arrivals"], s["attributes"]


def test_same_bytes_when_off_and_same_patients_until_the_first_change(exemple, model):
    run1 = RunConfig(replications=1, horizon_days=28, warmup_days=7, years=1, seed=3, jobs=1)
    off = simulate(exemple, with_demography(model, enabled="off"), run1, 0).events
    on = simulate(exemple, with_demography(model, enabled="on"), run1, 0).events
    assert off.equals(on)  # a one-year run: the population as written, the same bytes
    run2 = replace(run1, years=2)
    still = simulate(exemple, with_demography(model, enabled="off"), run2, 0).events
    aged = simulate(exemple, model, run2, 0).events
    change = (run2.warmup_days + run2.horizon_days) * 24 * 60
    cols = ["t_request_min", "need", "commune", "age_band"]
    before = [e.loc[e["t_request_min"] < change, cols].reset_index(drop=True) for e in (still, aged)]
    assert before[0].equals(before[1])
    assert not still.loc[still["t_request_min"] >= change, cols].reset_index(drop=True).equals(
        aged.loc[aged["t_request_min"] >= change, cols].reset_index(drop=True))


def test_a_bad_moving_up_is_refused_in_one_line():
    with pytest.raises(ConfigError, match=r"^demography\.ageing\.moving_up = \[0\.1\]: must have one share per"):
        year_matrix(Ageing(moving_up=(0.1,)), 5)
    assert DemographyConfig().applies(2) and not DemographyConfig().applies(1)

"""Direct ER walk-ins (sim/walkin.py) and the hôpital de proximité's unscheduled-care unit."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from simsoins.config.model import RunConfig
from simsoins.levers import make_plan
from simsoins.levers.hopital_proximite import UNIT_KIND
from simsoins.sim.replication import simulate
from simsoins.sim.walkin import HOURS_PER_WEEK, WalkIns, distance_factors, hour_factors, open_by_hour, walkin_table

RUN = RunConfig(replications=1, horizon_days=365, warmup_days=28, seed=11, jobs=1)
#: the exemple territory's commune farthest from its ER (24 km), where the unit goes
FAR_COMMUNE = "99005"


def with_unit(model, commune: str = FAR_COMMUNE):
    lever = replace(model.levers.hopital_proximite, enabled=True, commune=commune)
    return replace(model, levers=replace(model.levers, hopital_proximite=lever))


def walkins(plan, model) -> WalkIns:
    units = tuple(q for q, k in enumerate(plan.territory.practice_kind) if k == UNIT_KIND)
    return WalkIns(plan, model.pathways.walkin, len(model.demand.age_bands), model.demand.travel_km.median, units)


def walk_ins(events) -> np.ndarray:
    """Rows of acute requests that went straight to the ER."""
    return ((events["need"] == "acute") & (events["outcome"] == "er") & (events["path"] == "er")).to_numpy()


def expected_walk_ins(w: WalkIns, events, territory, table=None):
    """Per acute request: its walk-in probability by the table (default: the plan's)."""
    acute = events[events["need"] == "acute"]
    commune = np.array(territory.commune_index(acute["commune"].astype(str).tolist(), "commune"))
    age = acute["age_band"].cat.codes.to_numpy()
    how = (acute["t_request_min"].to_numpy() // 60).astype(np.int64) % HOURS_PER_WEEK
    tab = w.table if table is None else table
    p = tab[commune, how] * w.age_factors[age] * np.where(acute["has_mt"].to_numpy(), w.mt_factor, 1.0)
    return acute, np.minimum(p, 1.0)


def test_the_table_has_a_probability_per_commune_and_hour_of_the_week(exemple, model, short_run):
    w = walkins(make_plan(exemple, model, short_run), model)
    assert w.table.shape == (exemple.n_communes, HOURS_PER_WEEK) and len(w.probability) == w.table.size
    assert w.without_units is None and w.table.min() > 0 and w.table.max() < 1


def test_nights_weekends_and_evenings_above_weekday_daytime(model):
    h = hour_factors(model.pathways.walkin)
    monday_10h, monday_22h, tuesday_3h, sunday_15h = 10, 22, 24 + 3, 6 * 24 + 15
    assert h[monday_10h] == 1.0
    assert h[monday_22h] == 2.5 and h[tuesday_3h] == 3.0 and h[sunday_15h] == 2.5


def test_a_farther_er_means_fewer_walk_ins(model):
    cfg = model.pathways.walkin
    d_pc = np.full((3, 1), 5.0)
    f = distance_factors(np.array([1.0, 10.0, 40.0]), d_pc, cfg)[:, 0]
    assert f[0] > f[1] > f[2]
    assert f[1] == pytest.approx(((5 + 5) / (10 + 5)) ** 0.5)
    # nothing open within reach: the upper bound; a far ER and a practice next door: the lower
    assert distance_factors(np.array([10.0]), np.full((1, 1), np.inf), cfg)[0, 0] == 2.0
    assert distance_factors(np.array([300.0]), np.zeros((1, 1)), cfg)[0, 0] == 0.3


def test_an_mt_and_age_scale_the_probability(exemple, model, short_run):
    w = walkins(make_plan(exemple, model, short_run), model)
    one = np.zeros(1, dtype=np.int64)
    with_mt = w.expected(one, np.array([600.0]), one, np.array([True]))
    without = w.expected(one, np.array([600.0]), one, np.array([False]))
    assert with_mt[0] == pytest.approx(0.8 * without[0])
    u = np.array([0.5, 0.5])
    assert w.scaled_uniforms(u, np.array([0, 3])) == pytest.approx([0.5 / 1.3, 0.5 / 0.8])


def test_the_baseline_walks_in_at_the_configured_rate(exemple, model):
    """Walk-ins of a year's acute requests: within 4 standard deviations of the count the
    table expects (the requests' own commune, hour, age band and MT)."""
    events = simulate(exemple, model, RUN, 0).events
    acute, p = expected_walk_ins(walkins(make_plan(exemple, model, RUN), model), events, exemple)
    observed = walk_ins(acute).sum()
    assert p.sum() > 300
    assert abs(observed - p.sum()) < 4 * np.sqrt((p * (1 - p)).sum())


def unit_of(plan) -> tuple[int, list[int]]:
    """The unscheduled-care unit's practice and its doctors."""
    t = plan.territory
    unit = next(q for q, k in enumerate(t.practice_kind) if k == UNIT_KIND)
    return unit, [c for c in range(t.n_clinicians) if t.clinician_practice[c] == unit]


def test_a_unit_nearer_than_the_er_lowers_the_table_while_it_is_open(exemple, model):
    """At the commune 24 km from the ER, the unit next door sets the distance factor to
    (5 / 29.4) ** 0.5, cutting the walk-in probability by more than 40 %, in the hours it
    is on within ``answer_within_hours`` of (08:00-20:00 and the hours before), and leaves
    the others; at the ER's commune it changes nothing."""
    m = with_unit(model)
    plan = make_plan(exemple, m, RUN)
    w = walkins(plan, m)
    unit, doctors = unit_of(plan)
    on = open_by_hour([plan.territory.clinician_sessions[doctors[0]]], m.pathways.walkin.answer_within_hours * 60)[0]
    assert on.sum() == 7 * (12 + 2)  # 06:00-19:59: opens within 3 h (not at 05:00, exactly 3 h before)
    far = exemple.commune_index([FAR_COMMUNE], "commune")[0]
    without = np.frombuffer(w.without_units).reshape(w.table.shape)
    cfg = m.pathways.walkin
    next_door = (5 / (exemple.km_commune_er[far].min() + 5)) ** 0.5  # the unit at 0 km, the ER at 24 km
    assert w.table[far, on] == pytest.approx(cfg.office_probability * hour_factors(cfg)[on] * next_door)
    assert (w.table[far, on] < 0.6 * without[far, on]).all()
    assert np.array_equal(w.table[far, ~on], without[far, ~on])
    er_commune = int(exemple.km_commune_er.argmin(axis=0)[0])
    assert np.array_equal(w.table[er_commune], without[er_commune])
    assert np.array_equal(without, walkin_table(plan, m.pathways.walkin, 15.0, (unit,)))


def test_a_unit_nearer_than_the_er_diverts_walk_ins_in_its_communes(exemple, model):
    """The unit at the commune 24 km from the ER: that commune's walk-ins fall by at least
    a third, to what the table expects with the unit, and the diverted patients are seen
    at the unit."""
    m = with_unit(model)
    plan = make_plan(exemple, m, RUN)
    base, lever = (simulate(exemple, x, RUN, 0).events for x in (model, m))
    acute_b, acute_l = base[base["need"] == "acute"], lever[lever["need"] == "acute"]
    far_b = (acute_b["commune"].astype(str) == FAR_COMMUNE).to_numpy()
    far_l = (acute_l["commune"].astype(str) == FAR_COMMUNE).to_numpy()
    before, after = walk_ins(acute_b)[far_b].sum(), walk_ins(acute_l)[far_l].sum()
    _, p = expected_walk_ins(walkins(plan, m), lever, plan.territory)
    assert before > 20 and after < 0.67 * before
    assert abs(after - p[far_l].sum()) < 4 * np.sqrt((p[far_l] * (1 - p[far_l])).sum()) + 1
    straight_to_unit = (acute_l["provider"].isin(unit_of(plan)[1]) & (acute_l["path"] == "other_gp")).to_numpy()
    assert (straight_to_unit & far_l).sum() > 0.8 * (before - after)


def test_the_unit_books_only_acute_patients(exemple, model):
    m = with_unit(model)
    plan = make_plan(exemple, m, RUN)
    unit = unit_of(plan)[1]
    events = simulate(exemple, m, RUN, 0).events
    seen = events[events["provider"].isin(unit) & events["outcome"].isin(["other_gp"])]
    assert len(seen) > 100
    assert set(seen["need"].astype(str)) == {"acute"}
    assert not events["mt_clinician"].isin(unit).any()  # nobody's médecin traitant


def test_with_the_sas_a_share_of_would_be_walk_ins_call_it_first(exemple, model):
    """``sas_first_share`` (0.3) of the walk-in draws call the SAS instead: the walk-ins
    left are about 0.7 of what the table expects, and about 0.3 of it start with a call."""
    sas = replace(model.levers.sas, enabled=True)
    m = replace(model, levers=replace(model.levers, sas=sas))
    events = simulate(exemple, m, RUN, 0).events
    acute, p = expected_walk_ins(walkins(make_plan(exemple, m, RUN), m), events, exemple)
    share = m.pathways.walkin.sas_first_share
    walked, called = walk_ins(acute).sum(), acute["path"].astype(str).str.startswith("sas").sum()
    for observed, q in ((walked, p * (1 - share)), (called, p * share)):
        assert abs(observed - q.sum()) < 4 * np.sqrt((q * (1 - q)).sum())
    assert called > 100

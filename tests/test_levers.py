"""Every lever moves the KPIs it should, in the direction it should (common random
numbers, paired by replication), and a lever set to zero gives the baseline exactly."""

import re
from dataclasses import fields, replace
from itertools import pairwise

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simsoins.config.levers import (
    AssistantsLever,
    CptsLever,
    DeparturesLever,
    HospitalLever,
    JuniorsLever,
    Levers,
    MedicobusLever,
    NewCentreLever,
    PreventionLever,
    SasLever,
    TeleLever,
)
from simsoins.config.model import RunConfig
from simsoins.levers import Plan, make_plan
from simsoins.results.kpis import replication_kpis
from simsoins.sim.replication import simulate

RUN = RunConfig(horizon_days=91, warmup_days=28, seed=2024)
REPS = (0, 1)


def lever(model, **kw):
    return replace(model, levers=replace(model.levers, **kw))


@pytest.fixture(scope="module")
def base(exemple, model):
    return {r: simulate(exemple, model, RUN, r) for r in REPS}


def paired(exemple, model, base, **kw):
    m = lever(model, **kw)
    plan = make_plan(exemple, m, RUN)
    reps = {r: simulate(exemple, m, RUN, r, plan) for r in REPS}
    kb = {r: replication_kpis(base[r]) for r in REPS}
    ks = {r: replication_kpis(reps[r]) for r in REPS}
    return kb, ks, reps, plan


def always(kb, ks, kpi, sign):
    """The KPI moves in direction ``sign`` in every replication."""
    diffs = [ks[r][kpi] - kb[r][kpi] for r in REPS]
    assert all(np.sign(d) == sign for d in diffs), (kpi, diffs)


def test_assistants_shorten_routine_waits(exemple, model, base):
    kb, ks, reps, plan = paired(exemple, model, base, assistants_medicaux=AssistantsLever(count=5, ramp_months=0))
    always(kb, ks, "routine_wait_days_mean", -1)
    always(kb, ks, "gp_consultations_per_inhabitant_year", +1)
    assert len(plan.gains) == 5
    base_offered = base[0].offered["offered"].sum()
    assert reps[0].offered["offered"].sum() > base_offered * 1.02


def test_docteurs_juniors_add_their_own_books_and_cost_their_supervisors(exemple, model, base):
    kb, ks, reps, plan = paired(exemple, model, base, docteurs_juniors=JuniorsLever(count=2))
    always(kb, ks, "routine_wait_days_mean", -1)
    t = plan.territory
    juniors = [i for i, k in enumerate(t.clinician_kind) if k == "junior"]
    assert len(juniors) == 2
    off = reps[0].offered.set_index("provider")["offered"]
    supervisors = list(plan.gains)
    base_off = base[0].offered.set_index("provider")["offered"]
    assert all(off[s] < base_off[s] for s in supervisors)
    assert sorted(t.clinician_practice[supervisors].tolist()) == sorted(t.clinician_practice[juniors].tolist())
    assert not plan.mt_capable[juniors].any()
    # they take leave as the GPs do: fewer slots than their weekly schedule over the window
    from simsoins.levers.places import lever_sessions

    cfg = JuniorsLever()
    week = sum((s.end - s.start) // cfg.slot_minutes for s in lever_sessions(cfg.schedule, "x", cfg.slot_minutes))
    assert all(off[j] <= week * RUN.horizon_days / 7 for j in juniors)
    assert sum(off[j] for j in juniors) < 2 * week * RUN.horizon_days / 7
    # ≥ 200 consultations a month (the decree's activity floor) on a year's average, leave taken
    assert week * (52 - model.clinicians.leave_weeks) / 12 >= 200


def test_docteurs_juniors_go_to_the_least_served_practices_with_a_gp(loir_et_cher, model):
    from simsoins.levers.places import access_score

    t0 = loir_et_cher
    plan = make_plan(t0, lever(model, docteurs_juniors=JuniorsLever(count=20)), RunConfig())
    t = plan.territory
    hosts = t.clinician_practice[t0.n_clinicians:t0.n_clinicians + 20]
    assert len(set(hosts.tolist())) == 20  # one per practice (per_practice 1)
    score = access_score(t0)[t0.practice_commune]
    with_gp = {int(p) for c, p in enumerate(t0.clinician_practice) if t0.clinician_kind[c] == "gp"}
    others = [score[p] for p in with_gp - set(hosts.tolist())]
    assert max(score[hosts]) <= min(others)
    # the supervisors are GPs of the host practices
    assert all(t.clinician_practice[s] in hosts and t.clinician_kind[s] == "gp" for s in plan.gains)


def test_a_new_cohort_of_docteurs_juniors_replaces_the_leaving_one_each_november(exemple, model):
    year = RunConfig()  # 56 days of warm-up + 365 from 2 November 2026: spans November 2027
    plan = make_plan(exemple, lever(model, docteurs_juniors=JuniorsLever(count=2)), year)
    juniors = np.flatnonzero(np.array(plan.territory.clinician_kind) == "junior")
    assert plan.start_day[juniors].tolist() == [0, 0, 365, 365]  # 2 Nov 2026, 2 Nov 2027
    last_measured = year.warmup_days + year.horizon_days - 1
    working = (plan.start_day[juniors] <= last_measured) & (plan.end_day[juniors] > last_measured)
    assert working.sum() == 2
    one = make_plan(exemple, lever(model, docteurs_juniors=JuniorsLever(count=2, cohorts=1)), year)
    assert (np.array(one.territory.clinician_kind) == "junior").sum() == 2


def test_docteurs_juniors_fill_the_host_places_a_territory_has(exemple, model, caplog):
    plan = make_plan(exemple, lever(model, docteurs_juniors=JuniorsLever(count=4)), RUN)
    assert (np.array(plan.territory.clinician_kind) == "junior").sum() == 3  # 3 practices, 1 each
    assert "levers.docteurs_juniors.count = 4: territory exemple has 3 host places" in caplog.text
    plan = make_plan(exemple, lever(model, docteurs_juniors=JuniorsLever(count=4, per_practice=2)), RUN)
    assert (np.array(plan.territory.clinician_kind) == "junior").sum() == 4


def test_a_new_centre_improves_acute_access(exemple, model, base):
    kb, ks, _, plan = paired(exemple, model, base, nouveau_centre=NewCentreLever(enabled=True, gps=3,
                                                                                from_existing_share=0.0,
                                                                                ramp_months=0))
    always(kb, ks, "acute_within_48h_share", +1)
    always(kb, ks, "routine_wait_days_mean", -1)
    assert plan.territory.practice_kind[-1] == "centre_sante"


def test_an_msp_regroups_gps_of_the_area_with_their_patients_and_adds_only_newcomers(exemple, model, base):
    # an MSP of 4: 3 GPs of the area (the kind's default share, 0.75) and one newcomer
    _, _, reps, plan = paired(exemple, model, base, nouveau_centre=NewCentreLever(enabled=True, kind="msp"))
    t, p = plan.territory, len(plan.territory.practice_id) - 1
    members = np.flatnonzero(t.clinician_practice == p)
    movers = members[members < exemple.n_clinicians]
    assert len(movers) == 3 and len(members) == 4
    assert (plan.panels[:, movers] == make_plan(exemple, model, RUN).panels[:, movers]).all()  # patients follow
    assert t.practice_kind[p] == "msp" and plan.open_held[p]
    # only the newcomer adds slots: a regrouping alone leaves the territory's capacity as it was
    only = lever(model, nouveau_centre=NewCentreLever(enabled=True, kind="msp", from_existing_share=1.0))
    regroup = simulate(exemple, only, RUN, 0, make_plan(exemple, only, RUN))
    assert regroup.offered["offered"].sum() == base[0].offered["offered"].sum()
    assert reps[0].offered["offered"].sum() > base[0].offered["offered"].sum()
    # a centre de santé of 4 hires 3 newcomers (default share 0.25) on extended hours
    centre = make_plan(exemple, lever(model, nouveau_centre=NewCentreLever(enabled=True)), RUN).territory
    assert centre.n_clinicians - exemple.n_clinicians == 3
    assert any(s.weekday == 5 for s in centre.clinician_sessions[-1])  # Saturday morning


def test_a_new_centre_of_an_unknown_kind_is_refused_naming_the_field():
    from simsoins.config.model import ConfigError
    from simsoins.config.schema import from_mapping

    with pytest.raises(ConfigError, match=re.escape("levers.nouveau_centre.kind = 'clinique': must be one of "
                                                    "centre_sante, msp")):
        from_mapping(Levers, {"nouveau_centre": {"kind": "clinique"}}, "levers")


def test_cpts_pool_serves_acute_requests_and_the_campaign_gives_mts(exemple, model, base):
    kb, ks, _, _ = paired(exemple, model, base, cpts=CptsLever(enabled=True, pool_share=0.1,
                                                               mt_campaign_share=0.3))
    assert all(ks[r]["acute_channel_share.cpts"] > 0 for r in REPS)
    always(kb, ks, "without_mt_share", -1)
    always(kb, ks, "er_avoidable_visits_per_1000_year", -1)


def test_teleconsultation_lever_raises_the_tele_share(exemple, model, base):
    kb, ks, _, plan = paired(exemple, model, base, teleconsultation=TeleLever(
        extra_slots_per_hour=6, uptake_gain=0.2, eligibility_gain=0.3, cabines=("99005",)))
    always(kb, ks, "tele_share_of_gp_consultations", +1)
    assert plan.tele_old_factor[list(plan.territory.commune_code).index("99005")] == 1.0


def test_a_medicobus_cuts_giving_up_in_its_communes(exemple, model, base):
    _, _, reps, plan = paired(exemple, model, base, medicobus=MedicobusLever(
        enabled=True, route={"mon": "99005", "wed": "99003", "fri": "99005"}))
    served = {"99005", "99003"}

    def gave_up(rep):
        ev = rep.events
        w0, w1 = rep.window
        ev = ev[(ev["t_request_min"] >= w0) & (ev["t_request_min"] < w1) & ev["commune"].isin(served)
                & (ev["need"] != "emergency")]
        return (ev["outcome"] == "gave_up").mean(), (ev["outcome"] == "medicobus").sum()

    for r in REPS:
        g0, _ = gave_up(base[r])
        g1, n_bus = gave_up(reps[r])
        assert n_bus > 0 and g1 < g0
    assert sum(plan.medicobus) == 3


def test_sas_answers_calls_and_places_acute_requests(exemple, model, base):
    kb, ks, reps, _ = paired(exemple, model, base, sas=SasLever(enabled=True))
    assert all(ks[r]["acute_channel_share.sas"] > 0 for r in REPS)
    always(kb, ks, "er_avoidable_visits_per_1000_year", -1)
    waits = reps[0].events["sas_wait_min"].dropna()
    assert len(waits) > 0 and (waits >= 0).all()
    assert all(ks[r]["sas_answer_minutes_mean"] >= 0 for r in REPS)          # its own answer-time KPI
    assert all(np.isnan(kb[r]["sas_answer_minutes_mean"]) for r in REPS)      # no SAS, no answer time


def test_a_local_hospital_unit_improves_acute_access(exemple, model, base):
    kb, ks, _, _ = paired(exemple, model, base, hopital_proximite=HospitalLever(enabled=True))
    always(kb, ks, "acute_within_48h_share", +1)


def test_prevention_lowers_demand_for_the_same_patients(exemple, model, base):
    kb, ks, reps, _ = paired(exemple, model, base, prevention=PreventionLever(acute_reduction=0.3,
                                                                            emergency_reduction=0.2))
    for r in REPS:
        b, s = base[r].events, reps[r].events
        assert (s["need"] == "acute").sum() < 0.8 * (b["need"] == "acute").sum()
        assert (s["need"] == "routine").sum() == (b["need"] == "routine").sum()
        # the kept requests are the same patients (common random numbers)
        assert set(s["t_request_min"]) <= set(b["t_request_min"])
    always(kb, ks, "er_visits_per_1000_year", -1)


def test_departures_leave_patients_without_mt_and_send_more_to_the_er(exemple, model, base):
    kb, ks, _, plan = paired(exemple, model, base, departs_retraite=DeparturesLever(count=3, spread_months=0))
    always(kb, ks, "without_mt_share", +1)
    always(kb, ks, "er_avoidable_visits_per_1000_year", +1)
    assert len(plan.departures) == 3


@pytest.mark.parametrize("kw", [
    {"assistants_medicaux": AssistantsLever(count=4, acts_gain=0.0, panel_gain=0.0)},
    {"docteurs_juniors": JuniorsLever(count=0)},
    {"nouveau_centre": NewCentreLever(enabled=False, gps=9)},
    {"teleconsultation": TeleLever(extra_slots_per_hour=0, uptake_gain=0.0)},
    {"prevention": PreventionLever(acute_reduction=0.0, start_date="2026-12-01")},
    {"departs_retraite": DeparturesLever(count=0)},
    {"cpts": CptsLever(enabled=True, pool_share=0.0, mt_campaign_share=0.0)},
    {"sas": SasLever(enabled=False, slot_share=0.5)},
])
def test_a_lever_at_zero_is_the_baseline_exactly(exemple, model, base, kw):
    m = lever(model, **kw)
    rep = simulate(exemple, m, RUN, 0)
    cols = [c for c in base[0].events.columns if c != "path"]
    pd.testing.assert_frame_equal(rep.events[cols], base[0].events[cols])


def test_levers_refuse_unknown_places(exemple, model):
    from simsoins.config.model import ConfigError

    with pytest.raises(ConfigError, match=re.escape("levers.medicobus.route.mon = '00000'")):
        make_plan(exemple, lever(model, medicobus=MedicobusLever(enabled=True, route={"mon": "00000"})), RUN)
    with pytest.raises(ConfigError, match=re.escape("levers.assistants_medicaux.clinicians = 'X'")):
        make_plan(exemple, lever(model, assistants_medicaux=AssistantsLever(clinicians=("X",))), RUN)


# The structure: a registry of levers folded in a fixed order into a keyword-built plan.

def test_every_lever_of_the_config_has_one_mechanism_in_the_registry():
    from simsoins.levers import LEVERS

    names = [lv.name for lv in LEVERS]
    assert sorted(names) == sorted(f.name for f in fields(Levers)) and len(set(names)) == len(names)
    assert all(lv.add is not None or lv.shape is not None for lv in LEVERS)


def test_the_registry_keeps_the_order_the_levers_apply_in():
    from simsoins.levers import LEVERS

    # new clinicians are numbered in this order; changing it changes every result
    assert [lv.name for lv in LEVERS if lv.add] == ["docteurs_juniors", "nouveau_centre", "hopital_proximite",
                                                   "medicobus", "missions_solidarite"]
    # missions_solidarite's shape (its visitors are never MT) runs before the levers that
    # read who may be an MT (the SAS's effecteurs, the CPTS campaign)
    assert [lv.name for lv in LEVERS if lv.shape] == ["missions_solidarite", "assistants_medicaux", "departs_retraite",
                                                     "cpts", "sas", "prevention", "teleconsultation", "france_sante"]


def test_a_plan_is_built_with_keywords_only(exemple, model):
    plan = make_plan(exemple, model, RUN)
    values = [getattr(plan, f.name) for f in fields(Plan)]
    with pytest.raises(TypeError):
        Plan(*values)
    assert replace(plan, panels=plan.panels * 2).panels.sum() == 2 * plan.panels.sum()


def test_with_every_lever_off_the_plan_is_the_territory_as_written(exemple, model):
    plan = make_plan(exemple, model, RUN)
    t = plan.territory
    assert t is exemple
    assert plan.panels.shape == (t.n_communes, t.n_clinicians)
    assert (plan.start_day == 0).all() and np.isinf(plan.end_day).all()
    assert not plan.gains and not plan.departures and not plan.cap_growth and plan.campaign is None
    assert not plan.pool_share.any() and not plan.sas_share.any() and not plan.cpts_member.any()
    assert plan.demand_keep == (1.0, 1.0, 1.0) and (plan.tele_eligibility == 1.0).all()
    assert np.isnan(plan.tele_old_factor).all()


def test_stage_one_levers_add_their_rows_in_registry_order(exemple, model):
    m = lever(model, docteurs_juniors=JuniorsLever(count=2), nouveau_centre=NewCentreLever(enabled=True, gps=2),
              hopital_proximite=HospitalLever(enabled=True, doctors=1),
              medicobus=MedicobusLever(enabled=True, route={"tue": "auto"}))
    t = make_plan(exemple, m, RUN).territory
    added = t.clinician_id[exemple.n_clinicians:]
    assert added == ("DJ001", "DJ002", "NC-G1", "NC-G2", "HP-D1", "MB-tue-GP")
    assert t.practice_id[len(exemple.practice_id):] == ("NC-1", "HP-1", "MB-tue")


def test_a_month_is_a_twelfth_of_a_julian_year_to_the_hundredth():
    from simsoins.levers.places import DAYS_PER_MONTH

    assert round(365.25 / 12, 2) == DAYS_PER_MONTH


@settings(max_examples=30, deadline=None)
@given(count=st.integers(0, 40))
def test_departures_by_rule_take_distinct_clinicians_largest_practices_first(exemple, count):
    from simsoins.levers.departs_retraite import _by_practice_size

    picked = _by_practice_size(exemple, count)
    assert len(picked) == len(set(picked)) == min(count, exemple.n_clinicians)
    sizes = np.bincount(exemple.clinician_practice)
    firsts = [exemple.clinician_practice[c] for c in picked[: len(sizes)]]
    assert len(set(firsts)) == len(firsts)  # the first round: one per practice
    assert all(sizes[a] >= sizes[b] for a, b in pairwise(firsts))


def test_more_assistants_than_gps_is_said_and_gives_each_gp_one(exemple, model, caplog):
    """A scenario's size on a smaller territory: every GP gets an assistant, with a warning
    naming the field and what the territory has (not a silent cap)."""
    n_gps = int(sum(1 for k in exemple.clinician_kind if k == "gp"))
    plan = make_plan(exemple, lever(model, assistants_medicaux=AssistantsLever(count=n_gps + 5)), RUN)
    assert len(plan.gains) == n_gps
    assert "assistants_medicaux.count" in caplog.text and f"has {n_gps} GPs" in caplog.text

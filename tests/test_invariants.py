"""Invariants of a replication: one outcome per request, no negative wait, no double
booking, determinism, common random numbers, independence from the number of workers."""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from conftest import with_cpts

from simsoins.results.eventlog import CHANNELS, SCHEMA
from simsoins.results.kpis import CARE_CHANNELS, replication_kpis
from simsoins.run.workers import run_all, tables
from simsoins.sim.replication import simulate


@pytest.fixture(scope="module")
def rep(exemple, model):
    from simsoins.config.model import RunConfig

    return simulate(exemple, model, RunConfig(horizon_days=120, warmup_days=28, seed=11), 0)


def test_event_log_schema_is_pinned(rep):
    assert list(rep.events.columns) == list(SCHEMA)
    for col, dtype in SCHEMA.items():
        assert str(rep.events[col].dtype) == dtype, col


def test_every_request_ends_in_exactly_one_outcome(rep):
    ev = rep.events
    assert ev["request_id"].is_unique
    assert ev["outcome"].notna().all()
    assert set(ev["outcome"].cat.categories) == set(CHANNELS)
    # emergencies always at the ER; the channel where it ended is on its path
    assert (ev.loc[ev["need"] == "emergency", "outcome"] == "er").all()
    for outcome, path in ev[["outcome", "path"]].drop_duplicates().itertuples(index=False):
        assert outcome in path.split(">"), (outcome, path)


def test_no_negative_wait_and_appointments_after_requests(rep):
    ev = rep.events
    care = ev["outcome"].isin(CARE_CHANNELS)
    assert ev.loc[care, "t_appointment_min"].notna().all()
    assert (ev.loc[care, "t_appointment_min"] >= ev.loc[care, "t_request_min"]).all()
    assert (ev.loc[care, "wait_days"] >= 0).all()
    assert ev.loc[~care, "t_appointment_min"].isna().all()
    er = ev["outcome"] == "er"
    assert (ev.loc[er, "er_wait_min"] >= 0).all() and ev.loc[er, "er_wait_min"].notna().all()


def test_no_slot_is_booked_twice(rep):
    ev = rep.events
    booked = ev[ev["provider"] >= 0]
    clin = booked[booked["provider"] < rep.provider_names.index("tele_platform")]
    assert not clin.duplicated(["provider", "t_appointment_min"]).any()


def test_routine_waits_respect_patience_and_horizon(rep, model):
    ev = rep.events
    r = ev[(ev["need"] == "routine") & ev["outcome"].isin(CARE_CHANNELS)]
    horizon = model.pathways.booking_horizon_days
    retries = model.pathways.routine_max_retries * model.pathways.routine_retry_after_days
    assert (r["t_appointment_min"] - r["t_request_min"]).max() <= (horizon + retries) * 1440


def test_same_seed_same_results(exemple, model):
    from simsoins.config.model import RunConfig

    run = RunConfig(horizon_days=60, warmup_days=14, seed=5)
    a = simulate(exemple, model, run, 1).events
    b = simulate(exemple, model, run, 1).events
    pd.testing.assert_frame_equal(a, b)
    c = simulate(exemple, model, replace(run, seed=6), 1).events
    assert len(c) != len(a) or not np.array_equal(c["t_request_min"], a["t_request_min"])


def test_common_random_numbers_same_patients_in_every_scenario(exemple, model):
    from simsoins.config.model import RunConfig

    run = RunConfig(horizon_days=60, warmup_days=14, seed=5)
    base = simulate(exemple, model, run, 0).events
    cpts = simulate(exemple, with_cpts(model, 0.2), run, 0).events
    cols = ["t_request_min", "need", "commune", "age_band", "tele_eligible"]
    pd.testing.assert_frame_equal(base[cols], cpts[cols])
    # ... and the lever changes what happens to them
    assert (base["outcome"] != cpts["outcome"]).any()


def test_results_do_not_depend_on_the_number_of_workers(exemple, model):
    from simsoins.config.model import RunConfig

    models = {"baseline": model, "cpts": with_cpts(model)}
    one = tables(run_all(exemple, models, RunConfig(replications=2, horizon_days=40, warmup_days=7, seed=3,
                                                   jobs=1)))
    two = tables(run_all(exemple, models, RunConfig(replications=2, horizon_days=40, warmup_days=7, seed=3,
                                                   jobs=2)))
    for name in one:
        pd.testing.assert_frame_equal(one[name], two[name])


def test_kpis_are_in_their_ranges(rep):
    k = replication_kpis(rep)
    assert np.isnan(k.pop("sas_answer_minutes_mean"))  # no SAS in the baseline
    assert np.isnan(k.pop("sas_abandoned_share"))  # nor SAS calls
    for name, v in k.items():
        if name.endswith("_share") or "share." in name or name == "clinician_utilisation":
            assert 0 <= v <= 1, (name, v)
        else:
            assert v >= 0, (name, v)
    assert abs(sum(v for n, v in k.items() if n.startswith("acute_channel_share.")) - 1) < 1e-9


def test_the_router_shortcuts_change_nothing(exemple, model, monkeypatch):
    """The router's shortcuts only save work; with all of them off it must book exactly
    the same slots: practices found full are remembered and skipped; held slots are
    skipped while the last look-up shows none can be in time; each commune keeps its
    practices within a reach radius and a patient who would travel further gets them all."""
    import simsoins.sim.replication as model_module
    from simsoins.config.levers import SasLever
    from simsoins.config.model import RunConfig
    from simsoins.sim.book import SlotStore
    from simsoins.sim.router import Router

    m = with_cpts(model, 0.1)
    m = replace(m, levers=replace(m.levers, sas=SasLever(enabled=True)))
    run = RunConfig(horizon_days=60, warmup_days=14, seed=11)
    calls = {"practices": 0, "look_ups": 0}
    real_in, real_first_time = Router._earliest_in, SlotStore.first_time

    def counted_in(self, *args):
        calls["practices"] += 1
        return real_in(self, *args)

    def counted_first_time(self, lst, t_from):
        calls["look_ups"] += 1
        return real_first_time(self, lst, t_from)

    monkeypatch.setattr(Router, "_earliest_in", counted_in)
    monkeypatch.setattr(SlotStore, "first_time", counted_first_time)
    fast = simulate(exemple, m, run, 0).events
    fast_calls = dict(calls)
    calls.update(practices=0, look_ups=0)

    class Forgetful(list):
        def __setitem__(self, key, value):  # held-slot bounds are never kept
            pass

    real_init = Router.__init__

    def forgetful_init(self, **kw):
        real_init(self, **kw)
        self._held_from = Forgetful(self._held_from)

    monkeypatch.setattr(Router, "__init__", forgetful_init)
    monkeypatch.setattr(Router, "_bounds", lambda self, who, t_from, with_held: (-np.inf, -np.inf))
    monkeypatch.setattr(model_module, "reach_radius_km", lambda *a: 0.5)  # nearly every walk takes the full order
    slow = simulate(exemple, m, run, 0).events
    pd.testing.assert_frame_equal(fast, slow)
    assert fast_calls["practices"] < 0.9 * calls["practices"]  # the memory of full practices skipped some
    assert fast_calls["look_ups"] < 0.8 * calls["look_ups"]  # and fewer slot look-ups in all


def test_a_booking_of_another_slot_than_its_look_up_found_stops_the_run(exemple, model, monkeypatch):
    """The pathways book the slot that a list's last look-up found (its hint): a look-up of
    the same list in between would move the hint, and the run stops rather than log a
    booking that no pathway chose."""
    from simsoins.config.model import RunConfig
    from simsoins.sim.router import Router

    real = Router._earliest_in

    def meddling(self, clinicians, t_from, limit, with_held, t_now):
        best = real(self, clinicians, t_from, limit, with_held, t_now)
        if best is not None:
            self.first_time(best[1], best[2] + 1e-6)  # the hint moves past the slot found
        return best

    monkeypatch.setattr(Router, "_earliest_in", meddling)
    with pytest.raises(RuntimeError, match="its look-up found"):
        simulate(exemple, model, RunConfig(horizon_days=10, warmup_days=3, seed=1), 0)


def test_requests_reach_the_pathways_in_time_order(exemple, model, monkeypatch):
    """The memory of practices found full holds only while a request's earliest slot time
    never goes back (routine and acute each at a fixed lead): requests, retries a week
    later, answered SAS calls and patients asking again after a missed slot all come to
    the pathways in time order."""
    from simsoins.config.levers import SasLever
    from simsoins.config.model import RunConfig
    from simsoins.sim.router import Router

    m = with_cpts(model, 0.1)
    m = replace(m, levers=replace(m.levers, sas=SasLever(enabled=True)),
                pathways=replace(m.pathways, no_show_rejoin_probability=0.5))
    seen = {True: [], False: []}
    real = Router._other_practices

    def recorded(self, pt, t_from, limit, t_now, own, acute, path):
        seen[acute].append(t_from)
        return real(self, pt, t_from, limit, t_now, own, acute, path)

    monkeypatch.setattr(Router, "_other_practices", recorded)
    ev = simulate(exemple, m, RunConfig(horizon_days=60, warmup_days=14, seed=5), 0).events
    assert (ev["attempts"] > 1).any() and ev["sas_wait_min"].notna().any()  # retries and SAS calls did happen
    for acute, times in seen.items():
        assert len(times) > 100 and np.all(np.diff(times) >= 0), acute

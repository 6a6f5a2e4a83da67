"""The simulation's named records: the day's rows read by column name, the patient made in
one place, the deferred work's order, the flattened pathway parameters, the
teleconsultation lead read from the config, and a replication's steps."""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import fields, replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simsoins.config.model import RunConfig
from simsoins.sim import day_rows as columns
from simsoins.sim.clock import MIN_PER_DAY, weeks_until_july
from simsoins.sim.day_rows import DayRows, day_rows
from simsoins.sim.deferred import Deferred
from simsoins.sim.demand import DayRequests
from simsoins.sim.params import PathwayParams
from simsoins.sim.patient import Patient, new_patient
from simsoins.sim.replication import ReplicationRun, simulate

REAL_NAMES = ("T", "U_MT", "PATIENCE", "TRAVEL_KM", "U_UPTAKE", "U_NO_SHOW", "U_RETRY", "U_ER", "U_SAS", "U_ATTACH",
              "ER_SERVICE", "U_WALKIN", "U_HANGUP", "U_SEEN")
INT_NAMES = ("NEED", "COMMUNE", "TELE_OK", "TRIAGE", "MT")


def _day(n: int, rng: np.random.Generator) -> DayRequests:
    """A day of ``n`` requests whose every column holds its own values."""
    return DayRequests(t=np.sort(rng.uniform(0, MIN_PER_DAY, n)), need=rng.integers(0, 3, n),
                       commune=rng.integers(0, 500, n), age=rng.integers(0, 5, n), u_mt=rng.random(n),
                       tele_eligible=rng.random(n) < 0.5, patience=rng.uniform(0, 1e5, n),
                       travel_km=rng.uniform(0, 80, n), u_uptake=rng.random(n), u_er=rng.random(n),
                       u_no_show=rng.random(n), u_retry=rng.random(n), u_service=rng.random(n),
                       u_triage=rng.random(n), u_sas=rng.random(n), u_attach=rng.random(n),
                       u_walkin=rng.random(n), u_hangup=rng.random(n), u_seen=rng.random(n))


def test_each_row_column_has_its_own_place():
    """The column names are a numbering of each row's places: no two share one, none is left out."""
    assert sorted(getattr(columns, k) for k in REAL_NAMES) == list(range(len(REAL_NAMES)))
    assert sorted(getattr(columns, k) for k in INT_NAMES) == list(range(len(INT_NAMES)))


@settings(max_examples=30, deadline=None)
@given(n=st.integers(0, 300), seed=st.integers(0, 2**32 - 1))
def test_a_request_read_by_column_name_is_that_request(n, seed):
    rng = np.random.default_rng(seed)
    r = _day(n, rng)
    service, triage, mt = rng.uniform(1, 300, n), rng.integers(1, 4, n), rng.integers(-1, 900, n)
    rows = day_rows(r, er_service=service, triage=triage, mt=mt)
    assert len(rows) == n and rows.reals.dtype == np.float64 and rows.ints.dtype == np.int32
    source = {"T": r.t, "U_MT": r.u_mt, "PATIENCE": r.patience, "TRAVEL_KM": r.travel_km, "U_UPTAKE": r.u_uptake,
              "U_NO_SHOW": r.u_no_show, "U_RETRY": r.u_retry, "U_ER": r.u_er, "U_SAS": r.u_sas,
              "U_ATTACH": r.u_attach, "ER_SERVICE": service, "U_WALKIN": r.u_walkin, "U_HANGUP": r.u_hangup,
              "U_SEEN": r.u_seen}
    for name, col in source.items():
        assert np.array_equal(rows.reals[:, getattr(columns, name)], col), name
    source = {"NEED": r.need, "COMMUNE": r.commune, "TELE_OK": r.tele_eligible, "TRIAGE": triage, "MT": mt}
    for name, col in source.items():
        assert np.array_equal(rows.ints[:, getattr(columns, name)], col.astype(np.int32)), name


@pytest.mark.parametrize("n", [0, 1, 63, 64, 65, 200])
def test_blocks_hand_over_every_request_once_in_order(n):
    reals = np.arange(n * 14, dtype=np.float64).reshape(n, 14)
    ints = np.arange(n * 5, dtype=np.int32).reshape(n, 5)
    seen_reals, seen_ints = [], []
    for first, block_reals, block_ints in DayRows(reals=reals, ints=ints).blocks(block=64):
        assert first == len(seen_reals) and 0 < len(block_reals) == len(block_ints) <= 64
        seen_reals += block_reals
        seen_ints += block_ints
    assert seen_reals == reals.tolist() and seen_ints == ints.tolist()


def test_a_rows_reals_from_patience_on_are_the_patients_real_fields_in_order():
    """The day loop passes a row's tail to Patient as it is: each column must land in the
    field of its name."""
    real_fields = [f.name for f in fields(Patient)][-len(columns.PATIENT_REALS):]
    assert real_fields == list(columns.PATIENT_REALS)
    assert [getattr(columns, n) for n in REAL_NAMES[REAL_NAMES.index("PATIENCE"):]] == list(
        range(columns.PATIENCE, len(REAL_NAMES)))
    rows = day_rows(_day(5, np.random.default_rng(3)), er_service=np.arange(5.0), triage=np.ones(5, int),
                    mt=np.zeros(5, int))
    real = rows.reals[2].tolist()
    pt = Patient(7, 1, 2, 1, *real[columns.PATIENCE:])
    named = {"patience": columns.PATIENCE, "travel": columns.TRAVEL_KM, "u_uptake": columns.U_UPTAKE,
             "u_no_show": columns.U_NO_SHOW, "u_retry": columns.U_RETRY, "u_er": columns.U_ER,
             "u_sas": columns.U_SAS, "u_attach": columns.U_ATTACH, "er_service": columns.ER_SERVICE,
             "u_walkin": columns.U_WALKIN, "u_hangup": columns.U_HANGUP, "u_seen": columns.U_SEEN}
    assert {k: getattr(pt, k) for k in named} == {k: real[c] for k, c in named.items()}


def test_a_patient_is_made_field_by_field_and_asks_again_as_the_same_patient():
    values = {f.name: float(k) + 0.5 for k, f in enumerate(fields(Patient))}
    values.update(rid=3, commune=7, mt=11, tele_ok=1)
    pt = new_patient(**values)
    assert {f.name: getattr(pt, f.name) for f in fields(Patient)} == values
    fresh = {"u_uptake": 0.01, "u_no_show": 0.02, "u_retry": 0.03, "u_attach": 0.04}
    again = pt.asking_again(99, **fresh)
    assert {f.name: getattr(again, f.name) for f in fields(Patient)} == {**values, "rid": 99, **fresh}


@settings(max_examples=50, deadline=None)
@given(st.data())
def test_deferred_work_comes_out_as_from_one_heap_of_everything(data):
    """Items deferred to later days wait apart, yet come out in the order of one heap of
    every item, (time, order deferred): requests at times within each day take the items
    due by then (and what those defer), then the end of the day takes the rest of it."""
    deferred, reference, seq = Deferred(), [], 0
    out, expected = [], []
    for day in range(data.draw(st.integers(1, 6))):
        deferred.start_day(day)
        ends = sorted(data.draw(st.lists(st.floats(0, MIN_PER_DAY - 1e-6), max_size=6)))
        for now in [day * MIN_PER_DAY + x for x in ends] + [(day + 1) * MIN_PER_DAY]:
            at_end = now == (day + 1) * MIN_PER_DAY
            while deferred.heap and (deferred.heap[0][0] < now if at_end else deferred.heap[0][0] <= now):
                out.append(deferred.pop()[:3])
            while reference and (reference[0][0] < now if at_end else reference[0][0] <= now):
                expected.append(heapq.heappop(reference)[:3])
            if at_end:
                break
            for later in data.draw(st.lists(st.floats(0, 3 * MIN_PER_DAY), max_size=4)):
                seq += 1
                kind = data.draw(st.sampled_from(["routine", "sas", "rejoin"]))
                deferred.push(now + later, kind, None)
                heapq.heappush(reference, (now + later, seq, kind))
    assert out == expected


def test_pathway_params_take_each_field_by_its_name(model):
    p = {f.name: f for f in fields(model.pathways)}
    c = {f.name: f for f in fields(model.clinicians)}
    # every field its own value: a field read from another of the same type would show
    numbers = {k: 1000 + i if isinstance(getattr(model.pathways, k), int) else (i + 1) / 1000
               for i, k in enumerate(p)}
    distinct = replace(model, pathways=replace(model.pathways, **numbers),
                       clinicians=replace(model.clinicians, no_show_known=0.011, no_show_new=0.022, no_show_max=0.5,
                                          no_show_scale_days=9.5))
    params = PathwayParams.from_model(distinct)
    for f in fields(PathwayParams):
        source = distinct.pathways if f.name in p else distinct.clinicians
        assert f.name in p or f.name in c, f.name
        assert getattr(params, f.name) == getattr(source, f.name), f.name
    base = PathwayParams.from_model(model)
    assert base.tail_days() == 28 + 21 + 3  # booking horizon, three tries a week apart, the margin


@pytest.mark.parametrize(("start", "weeks"), [(dt.date(2026, 1, 1), 25), (dt.date(2026, 6, 30), 0),
                                              (dt.date(2026, 7, 1), 0), (dt.date(2026, 7, 20), 0),
                                              (dt.date(2026, 8, 1), 47), (dt.date(2026, 6, 24), 1)])
def test_weeks_until_july(start, weeks):
    assert weeks_until_july(start) == weeks


def _tele_leads(exemple, model, lead: int) -> np.ndarray:
    m = replace(model, pathways=replace(model.pathways, tele_min_lead_minutes=lead, tele_uptake=1.0))
    ev = simulate(exemple, m, RunConfig(horizon_days=21, warmup_days=7, seed=3), 0).events
    tele = ev[ev["outcome"] == "tele"]
    return (tele["t_appointment_min"] - tele["t_request_min"]).to_numpy()


def test_teleconsultations_start_no_sooner_than_the_configured_lead(exemple, model):
    default = _tele_leads(exemple, model, 15)
    assert len(default) > 50 and default.min() >= 15 and (default < 180).any()
    later = _tele_leads(exemple, model, 180)
    assert len(later) > 50 and later.min() >= 180


def test_a_replication_run_in_steps_gives_what_simulate_gives(exemple, model):
    run = RunConfig(horizon_days=14, warmup_days=7, seed=5)
    one = ReplicationRun(exemple, model, run, 1)
    assert one.book_days == 21 + one.params.tail_days()
    one.run()
    stepwise = one.result()
    assert len(stepwise.weekly) == one.book_days // 7 and one.env.now >= one.book_days * MIN_PER_DAY
    whole = simulate(exemple, model, run, 1)
    assert stepwise.events.equals(whole.events) and stepwise.er_stats.equals(whole.er_stats)

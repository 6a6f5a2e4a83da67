"""Time to care over every request (« délai d'accès aux soins », issue #21 item 1): the
Kaplan–Meier and cumulative-incidence curves against scipy and hand counts, what counting
those who left without care does to them, the event log's exit times, and the KPIs on a
short run with the SAS on."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from simsoins.results.kpis import GROUP_KPIS, group_kpis, measured, replication_kpis, time_to_care
from simsoins.results.stats import LEFT, PENDING, SEEN, care_curves, curve_at, curve_quantile
from simsoins.vocabulary import CARE_CHANNELS, MIN_PER_DAY

#: Delays (days, a few distinct values so that ties are frequent) and statuses.
requests = st.lists(st.tuples(st.integers(0, 12), st.sampled_from([SEEN, SEEN, LEFT, PENDING])), min_size=1,
                    max_size=60)


def _arrays(rows):
    delay = np.array([d for d, _ in rows], dtype=np.int64)
    status = np.array([s for _, s in rows], dtype=np.int8)
    return delay, status


@settings(max_examples=200, deadline=None)
@given(requests, st.booleans())
def test_kaplan_meier_is_scipys(rows, as_float):
    """1 − KM of the time to being seen, every request that is not seen censored at its
    delay, equals :func:`scipy.stats.ecdf` on the same censored data at every delay."""
    delay, status = _arrays(rows)
    seen = status == SEEN
    if not seen.any():
        assert len(care_curves(delay, status)[0]) == 0
        return
    d = delay / 3.0 if as_float else delay  # a float path (np.unique) and an integer one (bincount)
    times, km, _ = care_curves(d, status)
    ref = stats.ecdf(stats.CensoredData(uncensored=d[seen], right=d[~seen])).cdf
    for x in np.unique(np.concatenate([d, d + 0.5])):
        assert curve_at(times, km, x) == pytest.approx(ref.evaluate(x), abs=1e-12), x


def test_curves_on_a_hand_case():
    """Six requests: seen at 1, 2, 3, 5; left at 2 (tied with a consultation) and at 4."""
    delay = np.array([1, 2, 2, 3, 4, 5])
    status = np.array([SEEN, LEFT, SEEN, SEEN, LEFT, SEEN])
    times, km, cif = care_curves(delay, status)
    assert times.tolist() == [1, 2, 3, 5]
    # KM: 1 − S, S = 5/6, then ×4/5 (the one who left at 2 is still at risk at 2), ×2/3, ×0
    assert km == pytest.approx([1 / 6, 1 / 3, 5 / 9, 1.0])
    # cumulative incidence: the share of the six seen by then
    assert cif == pytest.approx([1 / 6, 2 / 6, 3 / 6, 4 / 6])
    assert curve_quantile(times, km, 0.5, 99.0) == 3 and curve_quantile(times, km, 0.9, 99.0) == 5
    assert curve_quantile(times, cif, 0.9, 99.0) == 99.0  # 2 of 6 never seen: never reaches 90 %
    assert curve_at(times, cif, 0.5) == 0.0 and curve_at(times, cif, 2.9) == pytest.approx(2 / 6)


@settings(max_examples=200, deadline=None)
@given(requests)
def test_cumulative_incidence_counts_every_request(rows):
    """With nothing pending, the share seen within x is the count seen within x over all
    requests; with nobody leaving, it is the Kaplan–Meier estimate."""
    delay, status = _arrays(rows)
    done = np.where(status == PENDING, LEFT, status)
    times, _, cif = care_curves(delay, done)
    for x in range(14):
        assert curve_at(times, cif, x) == pytest.approx(((done == SEEN) & (delay <= x)).sum() / len(delay))
    stay = np.where(status == LEFT, PENDING, status)
    _, km2, cif2 = care_curves(delay, stay)
    assert cif2 == pytest.approx(km2)


@settings(max_examples=200, deadline=None)
@given(requests, st.data())
def test_counting_those_who_left_never_shortens_the_time_to_care(rows, data):
    """Against the booked-only wait (those seen only), counting the requests that left
    while they waited never gives a shorter time to care: at every delay, no larger share
    seen (KM), so no shorter median or 90th centile.  And when more give up (seen requests
    turned into departures, at any time up to their consultation), the share of all
    requests seen within x never rises."""
    delay, status = _arrays(rows)
    status = np.where(status == PENDING, LEFT, status)
    seen = status == SEEN
    if not seen.any():
        return
    t_all, km_all, cif = care_curves(delay, status)
    t_booked, km_booked, _ = care_curves(delay[seen], status[seen])
    for x in range(14):
        assert curve_at(t_all, km_all, x) <= curve_at(t_booked, km_booked, x) + 1e-12
    for q in (0.5, 0.9):
        assert curve_quantile(t_all, km_all, q, np.inf) >= curve_quantile(t_booked, km_booked, q, np.inf)
    gives_up = np.array(data.draw(st.lists(st.booleans(), min_size=len(delay), max_size=len(delay)))) & seen
    earlier = np.array(data.draw(st.lists(st.integers(0, 12), min_size=len(delay), max_size=len(delay))))
    delay2 = np.where(gives_up, np.minimum(delay, earlier), delay)
    t_more, _, cif_more = care_curves(delay2, np.where(gives_up, LEFT, status))
    for x in range(14):
        assert curve_at(t_more, cif_more, x) <= curve_at(t_all, cif, x) + 1e-12


def test_quantile_never_reached_is_the_longest_delay_never_nan():
    minutes = np.array([60, 120, 3 * MIN_PER_DAY, 5 * MIN_PER_DAY])  # two seen, then two censored
    k = time_to_care(minutes, np.array([SEEN, SEEN, LEFT, LEFT]), "routine", within=(2,))
    assert k["routine_time_to_care_days_median"] == pytest.approx(120 / MIN_PER_DAY)
    assert k["routine_time_to_care_days_p90"] == 5.0  # S stays at 1/2: the longest delay, a lower bound
    assert k["routine_seen_within_2d_share"] == 0.5
    empty = time_to_care(np.array([], dtype=np.int64), np.array([], dtype=np.int8), "gp")
    assert all(np.isnan(v) for v in empty.values())


# ----------------------------------------------------------------------- on the engine
@pytest.fixture(scope="module")
def sas_rep(exemple, model):
    from simsoins.config.levers import SasLever
    from simsoins.config.model import RunConfig
    from simsoins.sim.replication import simulate

    m = replace(model, levers=replace(model.levers, sas=SasLever(enabled=True)))
    return simulate(exemple, m, RunConfig(horizon_days=90, warmup_days=28, seed=13), 0)


def test_exit_time_is_written_exactly_for_requests_that_left_without_care(sas_rep):
    ev = sas_rep.events
    care = ev["outcome"].isin(CARE_CHANNELS).to_numpy()
    t_exit = ev["t_exit_min"].to_numpy()
    assert ev["outcome"].notna().all()
    assert (np.isfinite(t_exit) == ~care).all()
    assert (t_exit[~care] >= ev["t_request_min"].to_numpy()[~care]).all()
    assert (ev.loc[ev["outcome"].isin(["gave_up", "er"]), "t_exit_min"].notna()).all()
    # a care outcome without a consultation is only the SAS's phone advice, if it is one
    no_appt = care & ~np.isfinite(ev["t_appointment_min"].to_numpy())
    assert set(ev.loc[no_appt, "outcome"].astype(str)) <= {"sas"}


def test_time_to_care_kpis_are_finite_with_the_sas_on(sas_rep):
    k = replication_kpis(sas_rep)
    names = ["routine_time_to_care_days_median", "routine_time_to_care_days_p90", "gp_time_to_care_days_median",
             "gp_time_to_care_days_p90", "routine_seen_within_2d_share", "routine_seen_within_7d_share",
             "gp_wait_days_median", "gp_wait_days_mean", "gp_within_1d_share", "routine_wait_days_mean"]
    for name in names:
        assert np.isfinite(k[name]), name
    assert 0 < k["routine_time_to_care_days_median"] <= k["routine_time_to_care_days_p90"]
    assert 0 < k["gp_time_to_care_days_median"] <= k["gp_time_to_care_days_p90"]
    assert k["gp_time_to_care_days_median"] < k["routine_time_to_care_days_median"]  # acute requests are quicker
    assert 0 < k["routine_seen_within_2d_share"] < k["routine_seen_within_7d_share"] < 1
    # nothing pending at the end: the share seen within 7 days is a plain count over every routine request
    ev = measured(sas_rep)
    rout = ev[ev["need"] == "routine"]
    delay = rout["t_appointment_min"] - rout["t_request_min"]
    plain = (rout["outcome"].isin(CARE_CHANNELS) & (delay.round() <= 7 * MIN_PER_DAY)).sum() / len(rout)
    assert k["routine_seen_within_7d_share"] == pytest.approx(plain)
    # every routine request that gave up waited: the KM median is no shorter than the booked-only one
    booked = delay[rout["outcome"].isin(CARE_CHANNELS)].round() / MIN_PER_DAY
    assert k["routine_time_to_care_days_median"] >= booked.quantile(0.5, interpolation="lower") - 1e-9


def test_group_kpis_carry_the_time_to_care(sas_rep, exemple):
    g = group_kpis(sas_rep, pd.Series(exemple.population, index=exemple.commune_code), pd.Series(dtype=float))
    assert set(g["kpi"]) == set(GROUP_KPIS)
    tc = g[(g["kpi"] == "routine_time_to_care_days_median") & (g["group_type"] == "age_band")]["value"]
    assert len(tc) == 5 and np.isfinite(tc).all() and (tc > 0).all()

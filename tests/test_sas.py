"""The SAS as a regulation service (simsoins.sim.sas, Router.after_sas): callers hang up
after their patience (the line alone is Erlang-A, M/M/c+M), the regulator's orientations
come in their stated shares, advice is not a consultation, no KPI is NaN with the SAS on,
and the SAS does more with more regulators and more SAS slots."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from theory_helpers import t_interval

from simsoins.config.levers import SasLever
from simsoins.config.model import RunConfig
from simsoins.config.schema import ConfigError
from simsoins.results.kpis import measured, replication_kpis
from simsoins.sim.replication import simulate
from simsoins.sim.sas import SasLine
from simsoins.vocabulary import CARE_CHANNELS, CHANNELS, DAYS_PER_YEAR, MIN_PER_DAY

RUN = RunConfig(horizon_days=91, warmup_days=28, seed=2024)
REPS = (0, 1)


def with_sas(model, **kw):
    return replace(model, levers=replace(model.levers, sas=SasLever(enabled=True, **kw)))


def sas_calls(rep):
    """The measured requests whose path went through the SAS."""
    ev = measured(rep)
    through = ev["path"].astype(str).str.split(">").apply(lambda p: "sas" in p).to_numpy()
    return ev[through]


# ------------------------------------------------------------------ the line alone: Erlang-A


def erlang_a(lam: float, mu: float, theta: float, c: int, n_max: int = 400) -> tuple[float, float]:
    """M/M/c+M (Erlang-A) by its birth-death chain: (share of callers who abandon, mean
    minutes in queue over all callers), by Little's law on the queue."""
    down = np.array([min(n, c) * mu + max(n - c, 0) * theta for n in range(1, n_max + 1)])
    log_p = np.concatenate([[0.0], np.cumsum(np.log(lam / down))])
    p = np.exp(log_p - log_p.max())
    p /= p.sum()
    queue = (np.maximum(np.arange(n_max + 1) - c, 0) * p).sum()
    return theta * queue / lam, queue / lam


@pytest.mark.parametrize("c, rho, hold", [(2, 0.9, 10.0), (3, 1.3, 5.0)])
def test_the_line_with_hang_ups_is_erlang_a(c, rho, hold):
    """c regulators round the clock, Poisson calls, exponential call lengths and patience
    (each drawn by inversion from its uniform): the share of callers who hang up and the
    mean time in queue (wait of the answered, hold time of the others) match Erlang-A,
    each within a Student-t 95 % CI over 12 runs (each drops its first 2,000 calls).  At
    ρ = 1.3 the line is stable only because callers leave."""
    mean_call = 6.0
    lam = rho * c / mean_call
    abandoned, in_queue = [], []
    for seed in range(12):
        rng = np.random.default_rng([11, c, seed])
        line = SasLine([c] * 24, mean_call, hold)
        t = np.cumsum(rng.exponential(1 / lam, 22_000))
        u = rng.random((2, len(t)))
        out = np.array([line.call(ti, ui, uh) for ti, ui, uh in zip(t.tolist(), u[0].tolist(), u[1].tolist())])
        answered, done = out[2_000:, 0], out[2_000:, 1]
        gone = np.isinf(answered)
        abandoned.append(gone.mean())
        in_queue.append(np.where(gone, done, answered).mean() - t[2_000:].mean())
    theory = erlang_a(lam, 1 / mean_call, 1 / hold, c)
    for label, values, th in (("P(abandon)", abandoned, theory[0]), ("time in queue", in_queue, theory[1])):
        m, lo, hi = t_interval(values)
        assert lo <= th <= hi, f"M/M/{c}+M ρ={rho} {label}: theory {th:.4f}, simulated {m:.4f} [{lo:.4f}, {hi:.4f}]"
        assert hi - lo < 0.2 * th, f"{label}: interval too wide to be informative"


def test_a_caller_who_hangs_up_leaves_the_seat_to_the_next():
    """One regulator; a 10-minute call at 0; a caller at 1 who holds 2 minutes hangs up at
    3; the caller at 4 is answered at 10, when the first call ends — not after a call of
    the one who left."""
    line = SasLine([1] * 24, 10.0, 2.0)
    u_ten = 1 - math.exp(-1.0)  # an exponential of mean 10 at this uniform: 10 minutes
    u_two = 1 - math.exp(-1.0)  # and a patience of mean 2: 2 minutes
    assert line.call(0.0, u_ten, 0.99) == pytest.approx((0.0, 10.0))  # answered at once
    assert line.call(1.0, u_ten, u_two) == (math.inf, pytest.approx(3.0))
    answered, _ = line.call(4.0, u_ten, 0.999999)  # holds on ≈ 28 minutes
    assert answered == pytest.approx(10.0)
    assert (line.n_calls, line.n_abandoned) == (2, 1)


# ------------------------------------------------------------------ the regulation in the pathways


@pytest.fixture(scope="module")
def sas_on(exemple, model):
    return {r: simulate(exemple, with_sas(model), RUN, r) for r in REPS}


def test_advice_is_not_a_consultation(sas_on):
    assert "sas_advice" in CHANNELS and "sas_advice" not in CARE_CHANNELS
    assert CARE_CHANNELS == ("own_gp", "other_gp", "cpts", "sas", "tele", "medicobus", "evening")
    assert len(CHANNELS) <= 15  # the path bitmask is an int16
    ev = sas_on[0].events
    advice = ev[ev["outcome"] == "sas_advice"]
    assert len(advice) > 50
    assert (advice["need"] == "acute").all()
    assert advice["t_appointment_min"].isna().all() and (advice["provider"] == -1).all()
    assert advice["path"].astype(str).str.endswith("sas>sas_advice").all()  # the outcome's bit, as for others
    # it leaves primary care when the call ends: after the request, by the answer and a call
    assert (advice["t_exit_min"] >= advice["t_request_min"] + advice["sas_wait_min"]).all()


def test_no_kpi_is_nan_with_the_sas_on(sas_on):
    for r in REPS:
        k = replication_kpis(sas_on[r])
        assert not [name for name, v in k.items() if np.isnan(v)]
        assert k["gp_wait_days_mean"] > 0 and k["acute_channel_share.sas_advice"] > 0


def test_the_orientations_come_in_their_shares(sas_on):
    """Of the answered calls, advice and SAMU (the ER at triage 1 or 2) come in their
    shares (u_sas is uniform and independent of the rest): within 4 binomial σ."""
    sas = SasLever()
    for r in REPS:
        calls = sas_calls(sas_on[r])
        answered = calls[calls["sas_wait_min"].notna()]
        n = len(answered)
        advice = (answered["outcome"] == "sas_advice").sum()
        samu = ((answered["outcome"] == "er") & answered["er_priority"].isin([1, 2])).sum()
        for count, share in ((advice, sas.advice_share), (samu, sas.samu_share)):
            assert abs(count - n * share) <= 4 * math.sqrt(n * share * (1 - share)) + 1, (count, n, share)


def test_hung_up_callers_go_on_at_the_hang_up_time(exemple, model):
    """A loaded line (1 regulator, 60-minute calls, 5 minutes' patience on hold): many
    callers hang up; they have no answer time, and those who end at the ER leave primary
    care after their request, by at most a few times the mean patience."""
    rep = simulate(exemple, with_sas(model, regulators=(1.0,) * 24, call_minutes_mean=60.0,
                                     hold_minutes_mean=5.0), RUN, 0)
    calls = sas_calls(rep)
    gone = calls[calls["sas_wait_min"].isna()]
    assert len(gone) > 0.3 * len(calls)
    assert replication_kpis(rep)["sas_abandoned_share"] == pytest.approx(len(gone) / len(calls))
    assert not (gone["outcome"] == "sas_advice").any()  # nobody advised them
    at_er = gone[gone["outcome"] == "er"]
    delay = at_er["t_exit_min"] - at_er["t_request_min"]
    assert len(at_er) > 10 and (delay > 0).all() and delay.mean() < 3 * 5.0


def test_the_sas_window_respects_the_patience(exemple, model):
    """Every acute patient accepts 6 hours at most: no SAS slot is booked later than 6
    hours after the request, though the SAS window is 48 hours."""
    m = with_sas(model, slot_share=0.1)
    m = replace(m, demand=replace(m.demand, acute_patience_hours=replace(m.demand.acute_patience_hours,
                                                                          median=6.0, sigma=0.0)))
    ev = simulate(exemple, m, RUN, 0).events
    booked = ev[ev["outcome"] == "sas"]
    assert len(booked) > 10
    assert (booked["t_appointment_min"] - booked["t_request_min"]).max() <= 6 * 60


def test_orientation_shares_must_leave_room(model):
    with pytest.raises(ConfigError, match="must be ≤ 1"):
        SasLever(advice_share=0.6, er_share=0.5).check("levers.sas")


# ------------------------------------------------------------------ more regulators, more SAS slots


def paired_kpis(exemple, model, **kw):
    """KPIs by replication with the SAS at ``kw``, on a small territory whose acute demand is
    doubled: enough acute requests that primary care cannot place reach the SAS for its
    effects to show in a short run."""
    d = model.demand
    pressed = replace(model, demand=replace(d, acute_per_year=tuple(2 * x for x in d.acute_per_year)))
    return {r: replication_kpis(simulate(exemple, with_sas(pressed, **kw), RUN, r)) for r in REPS}


def test_more_regulators_fewer_hang_ups_and_fewer_avoidable_er_visits(exemple, model):
    """A loaded line (30-minute calls, 10 minutes' patience): from 1 to 4 regulators, fewer
    callers hang up, and fewer acute requests end at the ER, in every replication.  Half
    the answers are advice here: a caller who hangs up goes on to the last resort, which
    on this small territory's evening care often works, so the ER falls only where the
    regulator's answer resolves more than the last resort would.  Sizes: the advice gained
    is half the calls newly answered (± 25 %), and the ER falls by no more than those
    calls (each changes at most its own outcome)."""
    loaded = {"call_minutes_mean": 30.0, "hold_minutes_mean": 10.0, "advice_share": 0.5}
    few, many = (paired_kpis(exemple, model, regulators=(float(n),) * 24, **loaded) for n in (1, 4))
    for r in REPS:
        assert many[r]["sas_abandoned_share"] < few[r]["sas_abandoned_share"] - 0.2
        assert many[r]["sas_answer_minutes_mean"] < few[r]["sas_answer_minutes_mean"]
        answered_gain = (few[r]["sas_abandoned_share"] - many[r]["sas_abandoned_share"]) * calls_share(many[r])
        advice_gain = many[r]["acute_channel_share.sas_advice"] - few[r]["acute_channel_share.sas_advice"]
        assert advice_gain == pytest.approx(0.5 * answered_gain, rel=0.25)
        er_drop = few[r]["acute_channel_share.er"] - many[r]["acute_channel_share.er"]
        assert 0 < er_drop <= answered_gain, (er_drop, answered_gain)
        assert many[r]["er_avoidable_visits_per_1000_year"] < few[r]["er_avoidable_visits_per_1000_year"]


def calls_share(k) -> float:
    """SAS calls per acute request: those that reached the SAS and ended anywhere."""
    return 1 - sum(k[f"acute_channel_share.{c}"] for c in ("own_gp", "other_gp", "cpts"))


def test_more_sas_slots_more_bookings_and_fewer_er_visits(exemple, model):
    """From 3 % to 9 % of GP slots held for the SAS: more SAS bookings and fewer acute
    requests at the ER, in every replication.  Size: SAS bookings grow by less than the
    slots tripled (at most × 3, plus noise), and the ER falls by no more than the bookings
    gained (each diverts at most one patient from the ER)."""
    low, high = (paired_kpis(exemple, model, slot_share=s) for s in (0.03, 0.09))
    for r in REPS:
        gain = high[r]["acute_channel_share.sas"] - low[r]["acute_channel_share.sas"]
        er_drop = low[r]["acute_channel_share.er"] - high[r]["acute_channel_share.er"]
        assert gain > 0.01 and high[r]["acute_channel_share.sas"] <= 3.3 * low[r]["acute_channel_share.sas"]
        assert 0 < er_drop <= gain, (er_drop, gain)


def test_the_sas_slots_are_held_by_the_volunteers(exemple, model):
    """A quarter of the MT-capable GPs volunteer, evenly down the list; each holds 4 × the
    slot share, so that together they hold the slot share of those GPs' slots."""
    from simsoins.levers import make_plan

    plan = make_plan(exemple, with_sas(model, slot_share=0.03, effecteur_share=0.25), RUN)
    capable = plan.mt_capable
    holding = plan.sas_share > 0
    assert not (holding & ~capable).any()
    assert holding.sum() == int(np.floor(capable.sum() * 0.25))
    assert np.allclose(plan.sas_share[holding], 0.12)
    everyone = make_plan(exemple, with_sas(model, slot_share=0.03, effecteur_share=1.0), RUN)
    assert np.allclose(everyone.sas_share[capable], 0.03)


def test_patients_the_samu_brings_in_are_not_avoidable_visits(exemple, model):
    """Avoidable ER visits are the acute requests queued after every triage level (walked
    in, or primary care had nothing); an acute patient the SAMU brings in is an emergency."""
    rep = simulate(exemple, with_sas(model, samu_share=0.5, advice_share=0.1), RUN, 0)
    ev = measured(rep)
    er = (ev["outcome"] == "er").to_numpy()
    acute = (ev["need"] == "acute").to_numpy()
    samu = er & acute & ev["er_priority"].isin([1, 2]).to_numpy()
    assert samu.sum() > 20
    k = replication_kpis(rep)
    years = (rep.window[1] - rep.window[0]) / MIN_PER_DAY / DAYS_PER_YEAR
    expected = (er & acute).sum() - samu.sum()
    assert k["er_avoidable_visits_per_1000_year"] == pytest.approx(expected / rep.population * 1000 / years)
    assert k["er_avoidable_share"] == pytest.approx(expected / er.sum())

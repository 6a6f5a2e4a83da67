"""Queueing-theory verification: the simulation against results known in closed form.

1. ER with c doctors, Poisson arrivals, exponential service = M/M/c: mean wait vs Erlang C,
   and (non-preemptive triage) each class's mean wait vs Cobham's formula.
2. ER with one doctor and deterministic service = M/D/1 (Pollaczek–Khinchine).
3. Little's law on the ER queue (exact on the sample path, and against the input rate);
   the SAS regulation line alone = M/M/c: mean wait vs Erlang C.
4. One GP's appointment book vs the discrete-time booking queue Q' = max(Q + A − c, 0):
   request-by-request replay of the rule, and the stationary law of the days to appointment.
5. Conservation: one outcome per request, ER visits = ER services, bookings ≤ offered slots.
6. Green & Savin (2008) panel: one slot a day, a booking horizon K, no-shows growing with
   the lead, patients who miss a slot asking again with probability r — the exact
   marked-backlog chain (backlog, wait, no-show and lost shares) and the critical load
   μ(1 − rγ_max): stable below it, a backlog growing at the predicted rate above it.

Statistical checks compare the theory with a Student-t confidence interval over
independent replications (each replication's estimate is one observation, so the
autocorrelation inside a run does not bias the interval).  Seeds are fixed; the theory is
computed from the inputs only, never from simulation output.  Each statistical check also
bounds the interval's width, so that it cannot pass by being uninformative, and is
two-stage (:func:`theory_helpers.assert_theory_in_ci`): a miss in the first batch of
replications is confirmed on an independent batch before failing, so that a change in
how the code draws random numbers does not fail a correct model one time in twenty.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from scipy import stats
from theory_helpers import (
    MIN_PER_DAY,
    Batches,
    assert_theory_in_ci,
    booking_model,
    booking_queue_theory,
    daily_schedule,
    er_only_model,
    erlang_c,
    in_window,
    lead_no_show,
    md1_wait,
    mmc_priority_waits,
    mmc_wait,
    one_commune_territory,
    panel_chain_theory,
    panel_model,
    replay_booking_rule,
    shipped_model,
    shipped_territory,
    t_interval,
    validated_run,
)

from simsoins.config.model import RunConfig
from simsoins.results.eventlog import CHANNELS
from simsoins.sim.capacity import tele_slots_per_hour
from simsoins.sim.replication import simulate

SERVICE_MIN = 30.0
ER_POPULATION = 10_000
#: one batch of ER runs: 10 replications of 300 days after a 5-day warm-up (the M/M/c
#: queues here relax within hours); 10,000–61,000 ER visits per replication.
ER_RUN = validated_run(RunConfig(replications=10, horizon_days=300, warmup_days=5, seed=20260101))


def er_setup(tmp_path, *, c: int, rho: float, distribution: str, run: RunConfig = ER_RUN):
    """Emergency-only territory whose one ER has ``c`` doctors round the clock, offered
    load ρ = λ·S / c.  Returns (λ per minute, batches of replications)."""
    lam = rho * c / SERVICE_MIN
    model = er_only_model(arrivals_per_min=lam, population=ER_POPULATION, service_mean=SERVICE_MIN,
                          distribution=distribution)
    territory = one_commune_territory(tmp_path, population=ER_POPULATION, er_doctors=c,
                                      schedule=["mon 08:00-12:00"], slot_minutes=20,
                                      clinician_defaults=model.clinicians)
    return lam, Batches(territory, model, run)


def mean_er_wait(rep) -> float:
    return float(er_visits(rep)["er_wait_min"].mean())


def er_visits(rep):
    """Measured-window emergencies; all of them must have been seen at the ER."""
    ev = in_window(rep)
    assert (ev["need"] == "emergency").all()
    assert (ev["outcome"] == "er").all()
    assert ev["er_wait_min"].notna().all() and (ev["er_wait_min"] >= 0).all()
    return ev


def check_arrival_rate(reps, lam):
    """The number of measured arrivals is Poisson(λ·T): pooled over replications it must
    lie within 4 standard deviations of λ·T (guards the demand side of the queue)."""
    n = sum(len(in_window(r)) for r in reps)
    expected = lam * sum(r.window[1] - r.window[0] for r in reps)
    assert abs(n - expected) < 4 * np.sqrt(expected), (n, expected)


# --------------------------------------------------------------- 1. M/M/c


@pytest.fixture(scope="module")
def mmc_runs(tmp_path_factory):
    """M/M/c runs, cached across the tests of this module: (c, ρ) → (λ, batches)."""
    cache = {}

    def get(c, rho):
        if (c, rho) not in cache:
            cache[c, rho] = er_setup(tmp_path_factory.mktemp(f"mmc{c}"), c=c, rho=rho, distribution="exponential")
        return cache[c, rho]

    return get


MMC_CASES = [pytest.param(3, 0.6, id="c3-rho0.60"), pytest.param(5, 0.85, id="c5-rho0.85")]


@pytest.mark.parametrize("c, rho", MMC_CASES)
def test_er_mean_wait_matches_erlang_c(mmc_runs, c, rho):
    """Constant staffing, Poisson arrivals, exponential service: the mean wait to first
    doctor contact is Erlang C's W_q = C(c, a) / (cμ − λ).  Triage is non-preemptive and
    all classes share one service law, so by the conservation law the overall mean wait
    is the FCFS one whatever the triage shares (kept at their defaults)."""
    lam, batches = mmc_runs(c, rho)
    check_arrival_rate(batches(0), lam)
    theory = mmc_wait(lam, SERVICE_MIN, c)
    assert_theory_in_ci(theory, batches, mean_er_wait, level=0.95, max_width=0.25 * theory,
                        label=f"M/M/{c} Erlang C mean wait (min)")
    # and the probability of waiting at all is Erlang C itself
    assert_theory_in_ci(erlang_c(c, lam * SERVICE_MIN), batches,
                        lambda r: float((er_visits(r)["er_wait_min"] > 0).mean()), level=0.95, max_width=0.05,
                        label=f"M/M/{c} P(wait > 0)")


@pytest.mark.parametrize("c, rho", MMC_CASES)
def test_er_triage_classes_match_cobham(mmc_runs, c, rho):
    """Non-preemptive priority M/M/c with a common service rate (Cobham 1954): class k
    waits W_k = C(c, a)/(cμ) / ((1 − σ_{k−1})(1 − σ_k)).  Checks that triage priority 1 is
    served first, non-preemptively (FCFS would give every class the Erlang C mean; the
    check fails if triage is ignored).  99 % intervals: three classes."""
    lam, batches = mmc_runs(c, rho)
    theory = mmc_priority_waits(lam, SERVICE_MIN, c, batches.model.er.triage_shares)
    for k, w_k in enumerate(theory, start=1):
        def class_mean(r, k=k):
            ev = er_visits(r)
            return float(ev.loc[ev["er_priority"] == k, "er_wait_min"].mean())

        assert_theory_in_ci(w_k, batches, class_mean, level=0.99, max_width=0.45 * w_k,
                            label=f"M/M/{c} triage class {k} mean wait (min)")


# --------------------------------------------------------------- 2. M/D/1


def test_er_single_doctor_deterministic_service_matches_md1(tmp_path):
    """One doctor, deterministic service S, ρ = 0.7: W_q = ρ / (2μ(1 − ρ)) = ρS / (2(1 − ρ)),
    half the M/M/1 value — so the interval must also exclude M/M/1 (service law honoured)."""
    rho = 0.7
    lam, batches = er_setup(tmp_path, c=1, rho=rho, distribution="deterministic")
    check_arrival_rate(batches(0), lam)
    theory = md1_wait(lam, SERVICE_MIN)
    assert_theory_in_ci(theory, batches, mean_er_wait, level=0.95, max_width=0.25 * theory,
                        label="M/D/1 mean wait (min)")
    _, lo, hi = t_interval([mean_er_wait(r) for r in batches(0)], 0.95)
    assert not lo <= mmc_wait(lam, SERVICE_MIN, 1) <= hi, "cannot tell M/D/1 from M/M/1"
    # deterministic service: busy time is exactly S per patient served
    for r in batches(0):
        st = r.er_stats.iloc[0]
        assert st["busy_minutes"] == pytest.approx(st["served"] * SERVICE_MIN, rel=1e-12)


# ------------------------------------------------------------- SAS line as M/M/c


@pytest.mark.parametrize("c, rho", [(2, 0.8), (4, 0.9)])
def test_sas_line_matches_erlang_c(c, rho):
    """The SAS regulation line alone (simsoins.sim.sas.SasLine): c regulators on duty round
    the clock, Poisson calls, exponential call lengths (drawn by inversion from the call's
    uniform) = M/M/c.  Mean wait vs Erlang C's W_q, and the share of calls that wait vs
    C(c, a), each within a Student-t 95 % CI over 12 independent runs; each run drops its
    first 2,000 calls (the line starts empty)."""
    from simsoins.sim.sas import SasLine

    mean_call = 6.0
    lam = rho * c / mean_call
    waits, waited = [], []
    for seed in range(12):
        rng = np.random.default_rng([7, c, seed])
        line = SasLine([c] * 24, mean_call)
        t = np.cumsum(rng.exponential(1 / lam, 22_000))
        w = np.array([line.call(ti, ui)[0] - ti for ti, ui in zip(t.tolist(), rng.random(len(t)).tolist())])[2_000:]
        waits.append(w.mean())
        waited.append((w > 1e-9).mean())
    for label, values, theory in (("mean wait", waits, mmc_wait(lam, mean_call, c)),
                                  ("P(wait > 0)", waited, erlang_c(c, lam * mean_call))):
        m, lo, hi = t_interval(values)
        assert lo <= theory <= hi, (f"SAS M/M/{c} ρ={rho} {label}: theory {theory:.4f}, "
                                    f"simulated {m:.4f} [{lo:.4f}, {hi:.4f}]")
        assert hi - lo < 0.25 * theory, f"{label}: interval too wide to be informative"


# --------------------------------------------------------------- 3. Little's law


def test_littles_law_er_queue_realistic_run():
    """Shipped example territory, mixed demand (emergencies and avoidable acute visits
    with their own priority and service factor), hourly staffing from the rule, the
    shipped service law (lognormal).  Over the whole run (the ER is drained at the end):
    time-average queue length L = area_queue / minutes equals λ·W with λ = visits / minutes
    and W the mean logged wait.  On a drained sample path ∫Q dt = Σ waits exactly, so the
    tolerance is only for floating-point sums."""
    model = shipped_model()
    territory = shipped_territory("exemple", model)
    rep = simulate(territory, model, RunConfig(horizon_days=120, warmup_days=14, seed=424242), 0)
    ev = rep.events
    visits = ev[ev["outcome"] == "er"]
    assert len(visits) > 1000
    assert visits["er_wait_min"].notna().all()
    waited = visits["er_wait_min"].to_numpy()
    assert (waited > 0).mean() > 0.05, "the queue should be non-trivial for this check to mean anything"
    for j, st in rep.er_stats.iterrows():
        w = visits.loc[visits["er_site"] == j, "er_wait_min"].to_numpy()
        minutes = st["minutes"]
        # the run lasts at least as long as the last request day and is drained afterwards
        assert minutes >= rep.window[1]
        L = st["area_queue"] / minutes
        lam = len(w) / minutes
        assert pytest.approx(lam * w.mean(), rel=1e-9) == L


def test_littles_law_er_queue_against_input_rate(mmc_runs):
    """Statistical version with the *input* arrival rate λ (not the observed one), over
    the whole run (warm-up included): L = area_queue / T ≈ λ·W within 3 % (M/M/5 at
    ρ = 0.85), and the utilisation law busy_minutes / T ≈ λ·S within 2 %.  T is the span
    in which patients arrive (warm-up + horizon); ``er_stats.minutes`` also counts the
    run's tail after the last request day, where nobody arrives, so it is not the
    denominator that goes with the input λ."""
    lam, batches = mmc_runs(5, 0.85)
    for r in batches(0):
        ev = r.events
        st = r.er_stats.iloc[0]
        arrival_span = r.window[1]  # = (warm-up + horizon) days, in minutes from 0
        assert st["minutes"] >= arrival_span
        w_mean = ev["er_wait_min"].mean()
        L = st["area_queue"] / arrival_span
        assert pytest.approx(lam * w_mean, rel=0.03) == L
        assert st["busy_minutes"] / arrival_span == pytest.approx(lam * SERVICE_MIN, rel=0.02)


# --------------------------------------------------------------- 4. booking queue

#: one GP open every day 08:00-12:00 with 30-min slots: c = 8 slots a day
SLOTS_PER_DAY = 8
BOOK_POPULATION = 1_000
#: ρ → run.  Near saturation the backlog makes long excursions (at ρ = 0.95, 1,000-day
#: means of the wait range from 0.6 to 3.5 days against a stationary 1.07), so the
#: replication means are skewed and need many long replications: that case is slow.
BOOK_RUNS = {0.85: validated_run(RunConfig(replications=10, horizon_days=3_000, warmup_days=56, seed=77)),
             0.95: validated_run(RunConfig(replications=40, horizon_days=3_650, warmup_days=112, seed=78))}


@pytest.fixture(scope="module", ids=lambda rho: f"rho{rho:.2f}",
                params=[0.85, pytest.param(0.95, marks=pytest.mark.slow)])
def booking_runs(request, tmp_path_factory):
    """Routine demand only, A ~ Poisson(ρc) requests a day, all made 00:00-01:00.

    Code facts this relies on (book.py, router.py, model.py): a routine request is handled
    at its request time t, in request-time order, and takes the earliest free open slot of
    its MT starting at or after t + routine_min_lead_minutes (60 min here, so every slot of
    the request day — the first at 08:00 — is still bookable) and no later than
    t + min(patience, booking horizon) (10,000 days and 365 days: never binding for this
    backlog).  Slots of past days are never offered (slot ≥ t_from).  Hence FIFO over the
    free slots from day d on, i.e. the rule of :func:`booking_queue_theory`."""
    rho = request.param
    model = booking_model(requests_per_day=rho * SLOTS_PER_DAY, population=BOOK_POPULATION)
    assert model.pathways.routine_min_lead_minutes < 8 * 60 - 60
    territory = one_commune_territory(tmp_path_factory.mktemp("book"), population=BOOK_POPULATION, er_doctors=1,
                                      schedule=daily_schedule("08:00", "12:00"), slot_minutes=30,
                                      clinician_defaults=model.clinicians)
    return rho, model, Batches(territory, model, BOOK_RUNS[rho])


def test_booking_follows_the_fifo_rule_request_by_request(booking_runs):
    """Replay Q' = max(Q + A − c, 0) on each replication's own daily request counts from an
    empty book: every request's logged wait_days must equal floor((Q_d + k) / c) exactly,
    and the appointment is never before the request (plus the minimum lead time)."""
    rho, model, batches = booking_runs
    lead = model.pathways.routine_min_lead_minutes
    n_days = BOOK_RUNS[rho].warmup_days + BOOK_RUNS[rho].horizon_days
    for r in batches(0):
        ev = r.events.sort_values("t_request_min", kind="stable")
        assert (ev["need"] == "routine").all()
        assert (ev["outcome"] == "own_gp").all(), ev["outcome"].value_counts()
        assert (ev["provider"] == 0).all() and (ev["mt_clinician"] == 0).all()
        assert (ev["t_request_min"] % MIN_PER_DAY < 60).all()
        assert (ev["t_appointment_min"] >= ev["t_request_min"] + lead).all()
        counts = np.bincount(ev["day"].to_numpy(), minlength=n_days)
        day, pos = replay_booking_rule(counts, SLOTS_PER_DAY)
        np.testing.assert_array_equal(ev["day"].to_numpy(), day)
        np.testing.assert_array_equal(ev["wait_days"].to_numpy(), pos // SLOTS_PER_DAY)
        # the exact slot: number (Q_d + k) mod c of its day, 08:00 + 30 min × that number
        slot_time = (day + pos // SLOTS_PER_DAY) * MIN_PER_DAY + 8 * 60 + 30 * (pos % SLOTS_PER_DAY)
        np.testing.assert_array_equal(ev["t_appointment_min"].to_numpy(), slot_time)


def test_booking_wait_distribution_matches_stationary_queue(booking_runs):
    """Days from request to appointment vs the stationary law of the booking queue
    (computed numerically from A ~ Poisson(ρc) and c alone): the mean wait must lie in
    the 95 % CI over replications, P(wait = 0) and P(wait ≤ 1) in their 99 % CIs.  A
    chi-square test on pooled requests would be invalid here: waits of requests of
    nearby days are strongly correlated through the backlog."""
    rho, _, batches = booking_runs
    theory = booking_queue_theory(rho * SLOTS_PER_DAY, SLOTS_PER_DAY)

    def waits(r):
        w = in_window(r)["wait_days"].to_numpy()
        assert len(w) > 0.9 * rho * SLOTS_PER_DAY * BOOK_RUNS[rho].horizon_days
        assert not np.isnan(w).any()
        return w

    assert_theory_in_ci(theory.mean_wait, batches, lambda r: waits(r).mean(), level=0.95,
                        max_width=0.3 * theory.mean_wait, label=f"booking ρ={rho} mean wait (days)")
    for k in (0, 1):
        assert_theory_in_ci(theory.p_wait_at_most(k), batches, lambda r, k=k: (waits(r) <= k).mean(), level=0.99,
                            max_width=0.08, label=f"booking ρ={rho} P(wait ≤ {k} d)")


# --------------------------------------------------------------- 5. conservation


def _with_cpts(model):
    cpts = replace(model.levers.cpts, enabled=True, pool_share=0.15)
    return replace(model, levers=replace(model.levers, cpts=cpts))


@pytest.mark.parametrize("variant", ["baseline", "cpts"])
def test_conservation_mixed_demand(variant):
    """Mixed demand on the shipped example territory (with and without the CPTS pool):
    every request ends in exactly one outcome; ER visits in the log = patients served by
    the ER sites; no provider has more bookings than offered slots in the window; no
    clinician or evening slot is booked twice, no tele slot beyond its parallel capacity."""
    model = shipped_model()
    if variant == "cpts":
        model = _with_cpts(model)
    territory = shipped_territory("exemple", model)
    rep = simulate(territory, model, RunConfig(horizon_days=90, warmup_days=28, seed=5150), 0)
    ev = rep.events
    assert set(ev["need"]) == {"routine", "acute", "emergency"}
    assert ev["request_id"].is_unique and (ev["request_id"].to_numpy() == np.arange(len(ev))).all()
    # one outcome each, from the list of channels
    assert ev["outcome"].notna().all(), ev.loc[ev["outcome"].isna()].head()
    assert set(ev["outcome"].unique()) <= set(CHANNELS)
    # ER: visits in the log = patients served (the run drains the ERs)
    er = ev["outcome"] == "er"
    assert int(er.sum()) == int(rep.er_stats["served"].sum())
    for j, st in rep.er_stats.iterrows():
        assert int((er & (ev["er_site"] == j)).sum()) == int(st["served"])
    assert ev.loc[er, "er_wait_min"].notna().all()
    assert ev.loc[~er, "er_wait_min"].isna().all()
    # bookings: a slot and provider for every booked outcome, nothing for the others
    booked = ev["provider"] >= 0
    assert (booked == ev["t_appointment_min"].notna()).all()
    assert not (booked & ev["outcome"].isin(["er", "gave_up"])).any()
    assert (ev.loc[booked, "t_appointment_min"] >= ev.loc[booked, "t_request_min"]).all()
    # booked ≤ offered, per provider, for slots dated in the measured window
    w0, w1 = rep.window
    t = ev["t_appointment_min"]
    in_w = booked & (t >= w0) & (t < w1)
    per_provider = ev.loc[in_w, "provider"].value_counts()
    offered = rep.offered.set_index("provider")["offered"]
    assert set(per_provider.index) <= set(offered.index)
    over = {int(p): (int(n), int(offered[p])) for p, n in per_provider.items() if n > offered[p]}
    assert not over, f"providers with more bookings than offered slots (booked, offered): {over}"
    # no double booking: one patient per clinician/evening slot; tele has parallel slots
    tele = rep.provider_names.index("tele_platform")
    single = ev[booked & (ev["provider"] != tele)]
    assert not single.duplicated(["provider", "t_appointment_min"]).any()
    per_hour = tele_slots_per_hour(model.tele, rep.population)
    parallel = max(1, round(per_hour * model.tele.slot_minutes / 60))
    tele_counts = ev.loc[booked & (ev["provider"] == tele), "t_appointment_min"].value_counts()
    assert (tele_counts <= parallel).all()


def test_conservation_with_same_day_retries():
    """A routine retry scheduled for later the same day (routine_retry_after_days < 1 is
    allowed by the config, > 0) must still be handled: every request ends in one outcome.
    (Regression: an earlier day loop filed such retries under the day being processed,
    after that day's list had been taken, and they were never handled.)"""
    model = shipped_model()
    model = replace(model, pathways=replace(model.pathways, routine_retry_after_days=0.25))
    territory = shipped_territory("exemple", model)
    ev = simulate(territory, model, RunConfig(horizon_days=28, warmup_days=7, seed=5150), 0).events
    lost = ev[ev["outcome"].isna()]
    assert lost.empty, (f"{len(lost)} of {len(ev)} requests have no outcome, e.g.\n"
                        f"{lost[['request_id', 't_request_min', 'need', 'attempts', 'path']].head()}")


# ------------------------------------------------- 6. Green & Savin (2008) panel

#: Test values (not calibration): no-shows from 5 % (same day) to 50 % (Green & Savin's
#: γ_0, γ_max), and 60 % of the patients who miss a slot ask again (r).  One slot a day
#: (μ = 1): the critical load is μ(1 − r·γ_max) = 0.7 requests a day.
GS_SAME_DAY, GS_MAX, GS_REJOIN = 0.05, 0.5, 0.6
GS_CRITICAL = 1.0 - GS_REJOIN * GS_MAX
GS_SLOT = 8 * 60  # the slot starts at 08:00: requests made again are made then
#: finite horizon K = 10 days, C = 2 days, Λ = 0.75 > the critical load (the horizon
#: binds: ≈7 % of requests lost)
GS_FINITE = {"lam": 0.75, "horizon": 10, "scale_days": 2.0,
             "run": validated_run(RunConfig(replications=20, horizon_days=3_000, warmup_days=56, seed=2008))}
#: a horizon of a year (never binding here), C = 1 day, Λ at 0.9 and 1.1 × the critical
#: load.  Below it the backlog relaxes slowly (excursions of months): a year of warm-up.
GS_LONG = 365
GS_BELOW = {"lam": 0.9 * GS_CRITICAL, "horizon": GS_LONG, "scale_days": 1.0,
            "run": validated_run(RunConfig(replications=15, horizon_days=3_650, warmup_days=365, seed=2009))}
GS_ABOVE = {"lam": 1.1 * GS_CRITICAL, "horizon": GS_LONG, "scale_days": 1.0,
            "run": validated_run(RunConfig(replications=20, horizon_days=3_000, warmup_days=56, seed=2010))}


def panel_setup(directory, *, lam, horizon, scale_days, run):
    """One GP with one 30-min slot a day at 08:00 (c = 1: Green & Savin's one-slot-per-
    period chain), routine demand only, Λ = ``lam`` Poisson requests a day made 00:00-01:00,
    booking horizon K = ``horizon`` days, no-shows γ(lead) with scale C = ``scale_days``,
    rejoining r.  Returns (model, batches)."""
    model = panel_model(requests_per_day=lam, population=BOOK_POPULATION, horizon_days=horizon,
                        no_show=GS_SAME_DAY, no_show_max=GS_MAX, scale_days=scale_days, rejoin=GS_REJOIN)
    territory = one_commune_territory(directory, population=BOOK_POPULATION, er_doctors=1,
                                      schedule=daily_schedule("08:00", "08:30"), slot_minutes=30,
                                      clinician_defaults=model.clinicians)
    return model, Batches(territory, model, run)


def gs_gamma(scale_days: float, horizon: int) -> np.ndarray:
    return lead_no_show(GS_SAME_DAY, GS_MAX, scale_days, np.arange(horizon + 1))


def asked_again(ev):
    """Requests made again after a missed slot (made at the slot's time, 08:00; new
    requests are made 00:00-01:00)."""
    minute = ev["t_request_min"] % MIN_PER_DAY
    assert ((minute < 60) | (minute == GS_SLOT)).all()
    return (minute == GS_SLOT).to_numpy()


def new_requests(rep):
    ev = in_window(rep)
    return ev[~asked_again(ev)]


def daily_backlog(rep) -> np.ndarray:
    """Booked slots at the start of each measured day d, before its requests: slots of
    days ≥ d booked on a day < d."""
    booked = rep.events[rep.events["provider"] >= 0]
    made = (booked["t_request_min"] // MIN_PER_DAY).to_numpy(dtype=int)
    slot = (booked["t_appointment_min"] // MIN_PER_DAY).to_numpy(dtype=int)
    diff = np.zeros(slot.max() + 2)
    np.add.at(diff, made + 1, 1)
    np.add.at(diff, slot + 1, -1)
    w0, w1 = (int(w // MIN_PER_DAY) for w in rep.window)
    return np.cumsum(diff)[w0:w1]


def lost_share(rep) -> float:
    return float((new_requests(rep)["outcome"] == "gave_up").mean())


def no_show_share(rep) -> float:
    ev = in_window(rep)
    return float(ev.loc[ev["provider"] >= 0, "no_show"].mean())


def again_per_day(rep) -> float:
    w0, w1 = rep.window
    return float(asked_again(in_window(rep)).sum() / ((w1 - w0) / MIN_PER_DAY))


def test_panel_chain_solver_checks():
    """The chain solver itself, against known cases: without rejoining (r = 0) and a
    horizon that never binds, the backlog is the booking queue Q' = max(Q + A − 1, 0) of
    section 4 and the no-show share is E[γ(wait)]; keeping the marks of the first L
    positions only, the two tail bounds bracket the full chain."""
    g = gs_gamma(2.0, 16)
    plain = panel_chain_theory(0.6, 16, g, 0.0)
    queue = booking_queue_theory(0.6, 1)
    np.testing.assert_allclose(plain.backlog[:8], queue.backlog[:8], atol=1e-6)
    assert plain.mean_wait == pytest.approx(queue.mean_wait, rel=1e-4)
    assert plain.no_show_share == pytest.approx(queue.wait[:16] @ g[:16], rel=1e-4)
    assert plain.again_per_day == 0 and plain.lost_share < 1e-5
    full = panel_chain_theory(0.7, 12, g[:13], GS_REJOIN)
    lo, hi = (panel_chain_theory(0.7, 12, g[:13], GS_REJOIN, tracked=6, tail_mark=m)
              for m in (GS_REJOIN * g[7], GS_REJOIN * GS_MAX))
    assert lo.mean_backlog < full.mean_backlog < hi.mean_backlog
    assert lo.again_per_day < full.again_per_day < hi.again_per_day


@pytest.fixture(scope="module")
def panel_finite(tmp_path_factory):
    return panel_setup(tmp_path_factory.mktemp("panel"), **GS_FINITE)


def test_panel_follows_the_day_rule_request_by_request(panel_finite):
    """Replay the day of :func:`theory_helpers.panel_chain_theory` on each replication's own
    requests: with E booked slots from day d on, the day's new requests wait E, E + 1, …
    days up to K − 1 and are lost beyond; the slot of the day is used if E ≥ 1, and a
    request made again at 08:00 (only at a slot whose patient did not come) waits E days
    (≤ K: never lost); E − 1 slots (+ 1 if asked again) remain for the next day."""
    model, batches = panel_finite
    K = model.pathways.booking_horizon_days
    for r in batches(0):
        ev = r.events.sort_values("t_request_min", kind="stable")
        again = asked_again(ev)
        missed = set(ev.loc[ev["no_show"], "t_appointment_min"])
        assert set(ev.loc[again, "t_request_min"]) <= missed and again.sum() > 100
        assert ev.loc[again, "t_request_min"].is_unique
        day = (ev["t_request_min"] // MIN_PER_DAY).to_numpy(dtype=int)
        expected = np.full(len(ev), -1.0)  # wait in days, -1 = lost
        e, k = 0, 0  # booked slots from day d on; next request
        for d in range(day.max() + 1):
            while k < len(ev) and day[k] == d and not again[k]:  # new requests, 00:00-01:00
                if e < K:
                    expected[k], e = e, e + 1
                k += 1
            e = max(e - 1, 0)  # the slot of day d, 08:00, is used if booked
            if k < len(ev) and day[k] == d:  # made again at 08:00: the first free slot from day d + 1
                expected[k], e = e + 1, e + 1
                k += 1
        np.testing.assert_array_equal(ev["wait_days"].fillna(-1).to_numpy(), expected)
        assert ((ev["outcome"] == "gave_up").to_numpy() == (expected < 0)).all()


def test_panel_no_shows_and_rejoining_follow_their_laws(panel_finite):
    """Each booking misses its slot with probability γ(lead) = γ_max − (γ_max − γ_0)·
    exp(−lead / C) (lead = wait_days: every request here is booked when made), and each
    no-show before the end of demand asks again with probability r.  Pooled over a batch:
    the no-shows by lead against γ(lead) (chi-square), and the requests made again against
    r × no-shows (z-test).  The draws are fresh uniforms at each booking, so these sums
    are martingales and the normal approximations hold although later leads depend on
    earlier no-shows.  p < 0.001 fails; a constant rate (γ_0 or γ_max) fails by far."""
    model, batches = panel_finite
    gamma = gs_gamma(model.clinicians.no_show_scale_days, model.pathways.booking_horizon_days)
    booked = [r.events[r.events["provider"] >= 0] for r in batches(0)]
    lead = np.concatenate([b["wait_days"].to_numpy(dtype=int) for b in booked])
    shows = np.concatenate([b["no_show"].to_numpy() for b in booked])
    n = np.bincount(lead, minlength=len(gamma))
    k = np.bincount(lead, weights=shows, minlength=len(gamma))
    used = n > 0
    chi2 = (((k - n * gamma) ** 2 / (n * gamma * (1 - gamma)))[used]).sum()
    assert stats.chi2.sf(chi2, used.sum()) > 1e-3, list(zip(n, k / np.maximum(n, 1), gamma))
    end = [(r.window[1], r.events) for r in batches(0)]
    missed = sum(int((ev["no_show"] & (ev["t_appointment_min"] < w1)).sum()) for w1, ev in end)
    again = sum(int(asked_again(ev).sum()) for _, ev in end)
    z = (again - GS_REJOIN * missed) / np.sqrt(missed * GS_REJOIN * (1 - GS_REJOIN))
    assert abs(z) < 3.29, (again, missed, again / missed)


def test_panel_backlog_matches_the_green_savin_chain(panel_finite):
    """Green & Savin (2008) panel model with a finite horizon K, no-shows γ(lead) and
    rejoining r, against the exact stationary law of its marked-backlog chain
    (:func:`theory_helpers.panel_chain_theory`, solved from the inputs only): (a) the
    backlog at the start of a day (mean; P(B ≤ 1), P(B ≤ 4)) and the mean wait of new
    requests, (b) the no-show share of bookings, (c) the share of new requests lost, and
    the requests made again per day.  95 % intervals for the mean backlog, (b) and (c),
    99 % for the others (all move together with the backlog).  Ignoring r, or the lead in
    γ, moves them all."""
    _, batches = panel_finite
    p = GS_FINITE
    theory = panel_chain_theory(p["lam"], p["horizon"], gs_gamma(p["scale_days"], p["horizon"]), GS_REJOIN)
    assert_theory_in_ci(theory.mean_backlog, batches, lambda r: daily_backlog(r).mean(), level=0.95,
                        max_width=0.15 * theory.mean_backlog, label="G&S backlog mean")
    for b in (1, 4):
        assert_theory_in_ci(theory.backlog[:b + 1].sum(), batches, lambda r, b=b: (daily_backlog(r) <= b).mean(),
                            level=0.99, max_width=0.12, label=f"G&S P(backlog ≤ {b})")
    assert_theory_in_ci(theory.mean_wait, batches, lambda r: new_requests(r)["wait_days"].mean(), level=0.99,
                        max_width=0.2 * theory.mean_wait, label="G&S mean wait of new requests (days)")
    assert_theory_in_ci(theory.no_show_share, batches, no_show_share, level=0.95, max_width=0.04,
                        label="G&S no-show share")
    assert_theory_in_ci(theory.lost_share, batches, lost_share, level=0.95, max_width=0.4 * theory.lost_share,
                        label="G&S lost share")
    assert_theory_in_ci(theory.again_per_day, batches, again_per_day, level=0.99,
                        max_width=0.15 * theory.again_per_day, label="G&S requests made again per day")


def below_critical_theory():
    """The chain for Λ = 0.9·μ(1 − rγ_max) with a year's horizon: levels capped at 120 days
    (the last ten hold < 1e-7) and marks kept for the first 6 positions, with the
    later ones' mark at r·γ(7) or r·γ_max — the two bounds, within 0.5 % of each other."""
    p, cap, kept = GS_BELOW, 120, 6
    gamma = gs_gamma(p["scale_days"], cap)
    lo, hi = (panel_chain_theory(p["lam"], cap, gamma, GS_REJOIN, tracked=kept, tail_mark=m)
              for m in (GS_REJOIN * gamma[kept + 1], GS_REJOIN * GS_MAX))
    assert hi.lost_share < 1e-6 and hi.backlog[-10:].sum() < 1e-7
    assert abs(hi.mean_wait - lo.mean_wait) < 0.005 * hi.mean_wait
    return hi


@pytest.fixture(scope="module")
def panel_below(tmp_path_factory):
    return panel_setup(tmp_path_factory.mktemp("below"), **GS_BELOW)


def test_panel_below_critical_load_is_stable(panel_below):
    """Critical load (Green & Savin): with an unbounded backlog, stable iff Λ < μ(1 − rγ_max).
    At Λ = 0.9·μ(1 − rγ_max) and a horizon that never binds, the run is stationary and
    matches the chain: the share of days that start with an empty book, the requests made
    again per day and the no-show share.  (Near the critical load the mean wait makes long
    excursions: its check needs long runs and is in the slow variant.)"""
    _, batches = panel_below
    theory = below_critical_theory()
    assert all(lost_share(r) == 0 for r in batches(0))
    assert_theory_in_ci(theory.backlog[0], batches, lambda r: (daily_backlog(r) == 0).mean(), level=0.95,
                        max_width=0.12, label="G&S below critical: P(empty book)")
    assert_theory_in_ci(theory.again_per_day, batches, again_per_day, level=0.95,
                        max_width=0.2 * theory.again_per_day, label="G&S below critical: made again per day")
    assert_theory_in_ci(theory.no_show_share, batches, no_show_share, level=0.95, max_width=0.06,
                        label="G&S below critical: no-show share")


@pytest.mark.slow
def test_panel_below_critical_load_mean_wait(tmp_path):
    """Slow: the mean wait of new requests at 0.9 × the critical load, over 80 runs of ten
    years, against the chain (its excursions make it a high-variance statistic)."""
    p = {**GS_BELOW, "run": validated_run(replace(GS_BELOW["run"], replications=80))}
    _, batches = panel_setup(tmp_path, **p)
    theory = below_critical_theory()
    assert_theory_in_ci(theory.mean_wait, batches, lambda r: new_requests(r)["wait_days"].mean(), level=0.95,
                        max_width=0.3 * theory.mean_wait, label="G&S below critical: mean wait (days)")


def test_panel_above_critical_load_grows(tmp_path):
    """At Λ = 1.1·μ(1 − rγ_max) — still below the slot rate μ, so only rejoining makes it
    unstable — the backlog grows without bound: once it is long, each slot's patient
    booked far ahead and asks again with probability ≈ r·γ_max (exact to 1e-4 beyond 8
    days here), so the wait of new requests grows by Λ/μ − (1 − rγ_max) days a day.  The
    least-squares slope of wait against request day over the last two thirds of each run
    must match it (95 % CI); the waits of the last third of every run are longer than
    those of its first third (more than twice on average); no request is lost (the year's
    horizon never binds).  With r = 0 the same load is stable."""
    p = GS_ABOVE
    _, batches = panel_setup(tmp_path, **p)
    drift = p["lam"] - GS_CRITICAL

    def wait_by_day(r):
        ev = new_requests(r)
        assert (ev["outcome"] == "own_gp").all()
        return ev["t_request_min"].to_numpy() / MIN_PER_DAY, ev["wait_days"].to_numpy()

    def late_slope(r):
        day, wait = wait_by_day(r)
        n = len(day) // 3
        return float(np.polyfit(day[n:], wait[n:], 1)[0])

    thirds = np.array([(w[:len(w) // 3].mean(), w[-(len(w) // 3):].mean()) for _, w in map(wait_by_day, batches(0))])
    assert (thirds[:, 1] > thirds[:, 0]).all() and thirds[:, 1].mean() > 2 * thirds[:, 0].mean(), thirds
    assert_theory_in_ci(drift, batches, late_slope, level=0.95, max_width=0.6 * drift,
                        label="G&S above critical: growth of the wait (days a day)")

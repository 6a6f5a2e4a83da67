"""Helpers for the queueing-theory checks of ``test_theory.py``.

* tiny one-commune territories written to a temporary directory;
* model configs that switch off everything but the mechanism under test;
* closed-form and numerical queueing results (Erlang C, Cobham's priority formula,
  Pollaczek–Khinchine for M/D/1, the stationary law of the discrete-time booking queue,
  Green & Savin's panel model with lead-dependent no-shows and rejoining as an exact
  marked-backlog chain);
* Student-t confidence intervals over replications.

Nothing here reads simulation results: the theory is computed from the inputs only.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse, stats
from scipy.sparse.linalg import spsolve

from simsoins.config.model import (
    ClinicianDefaults,
    DemandConfig,
    ErConfig,
    LognormalSpec,
    ModelConfig,
    PathwayConfig,
    RunConfig,
    TeleConfig,
)
from simsoins.territory import load_territory

ROOT = Path(__file__).resolve().parents[1]
MIN_PER_DAY = 1440.0
MIN_PER_YEAR = 365.0 * MIN_PER_DAY
N_BANDS = 5
ZERO_RATES = (0.0,) * N_BANDS
#: Flat weekday, month and hour profiles: a homogeneous Poisson stream of requests.
FLAT_PROFILES = {"weekday": (1.0,) * 7, **{f"season_{k}": (1.0,) * 12 for k in ("routine", "acute", "emergency")},
                 **{f"hour_{k}": (1.0,) * 24 for k in ("routine", "acute", "emergency")}}
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


# ------------------------------------------------------------------ territories


def one_commune_territory(directory: Path, *, population: int, er_doctors, schedule: list[str],
                          slot_minutes: int, clinician_defaults: ClinicianDefaults):
    """One commune, one practice, one GP (who accepts new patients, holds no same-day
    slots) and one ER in the commune; everybody has the GP as médecin traitant.

    ``er_doctors`` is a number (constant staffing) or 24 numbers (doctors per hour)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "communes.csv").write_text(
        f"code,name,population,lon,lat\n00001,Ville-Test,{population},1.0,47.0\n")
    (directory / "practices.csv").write_text(
        "practice_id,name,commune,kind\nP1,Cabinet test,00001,cabinet\n")
    (directory / "clinicians.csv").write_text(
        "clinician_id,practice_id,kind,schedule,accepts_new,slot_minutes,same_day_share\n"
        f"G1,P1,gp,book,yes,{slot_minutes},0\n")
    doctors = [float(er_doctors)] * 24 if np.isscalar(er_doctors) else [float(x) for x in er_doctors]
    cfg = {
        "name": "theory",
        "communes": str(directory / "communes.csv"),
        "practices": str(directory / "practices.csv"),
        "clinicians": str(directory / "clinicians.csv"),
        "schedules": {"book": list(schedule)},
        "age_structure": [0.2] * N_BANDS,
        "without_mt_share": 0.0,
        "er_sites": [{"name": "ER", "commune": "00001", "doctors": doctors}],
        "evening_sites": [],
        "panel_dispersion": 0.0,
        "panel_seed": 1,
    }
    return load_territory(cfg, clinician_defaults)


# ------------------------------------------------------------------------ models

#: No leave, no held slots, no no-shows: capacity is exactly the schedule.
PLAIN_CLINICIANS = ClinicianDefaults(same_day_share=0.0, leave_weeks=0.0, no_show_known=0.0, no_show_new=0.0)


def er_only_model(*, arrivals_per_min: float, population: int, service_mean: float, distribution: str,
                  triage_shares=(0.05, 0.35, 0.6)) -> ModelConfig:
    """Only emergencies, a homogeneous Poisson stream of ``arrivals_per_min`` (flat
    season, weekday and hour profiles), ER service with
    the given law and mean."""
    rate = arrivals_per_min * MIN_PER_YEAR / population  # per inhabitant per year
    demand = DemandConfig(routine_per_year=ZERO_RATES, acute_per_year=ZERO_RATES,
                          emergency_per_year=(rate,) * N_BANDS, **FLAT_PROFILES)
    _assert_flat(demand)
    return validated(ModelConfig(
        demand=demand,
        clinicians=PLAIN_CLINICIANS,
        # short booking horizon: the run's tail after the horizon only drains the ER
        pathways=PathwayConfig(booking_horizon_days=1, routine_retry_probability=0.0, routine_max_retries=0,
                               mt_loss_rate_per_year=0.0, tele_uptake=0.0),
        er=ErConfig(service_minutes_mean=service_mean, service_distribution=distribution,
                    triage_shares=tuple(triage_shares)),
        tele=TeleConfig(slots_per_hour_per_100k=0),
    ))


def booking_model(*, requests_per_day: float, population: int) -> ModelConfig:
    """Only routine requests, all made between 00:00 and 01:00, with infinite patience,
    a one-year booking horizon, no retry, no teleconsultation."""
    rate = requests_per_day * 365.0 / population
    demand = DemandConfig(routine_per_year=(rate,) * N_BANDS, acute_per_year=ZERO_RATES,
                          emergency_per_year=ZERO_RATES, **{**FLAT_PROFILES, "hour_routine": (1.0,) + (0.0,) * 23},
                          routine_patience_days=LognormalSpec(median=10_000.0, sigma=0.0))
    _assert_flat(demand, skip=("hour_routine",))
    return validated(ModelConfig(
        demand=demand,
        clinicians=PLAIN_CLINICIANS,
        pathways=PathwayConfig(booking_horizon_days=365, routine_retry_probability=0.0, routine_max_retries=0,
                               mt_loss_rate_per_year=0.0, tele_uptake=0.0, max_practices_tried=0),
        tele=TeleConfig(slots_per_hour_per_100k=0),
    ))


def panel_model(*, requests_per_day: float, population: int, horizon_days: int, no_show: float,
                no_show_max: float, scale_days: float, rejoin: float) -> ModelConfig:
    """:func:`booking_model` with Green & Savin's panel mechanisms: requests that would
    wait more than ``horizon_days`` are lost, no-shows grow with the lead from ``no_show``
    (same day) to ``no_show_max`` over ``scale_days``, and a patient who misses a slot asks
    again with probability ``rejoin``."""
    model = booking_model(requests_per_day=requests_per_day, population=population)
    return validated(dataclasses.replace(
        model,
        clinicians=dataclasses.replace(model.clinicians, no_show_known=no_show, no_show_new=no_show,
                                       no_show_max=no_show_max, no_show_scale_days=scale_days),
        pathways=dataclasses.replace(model.pathways, booking_horizon_days=horizon_days,
                                     no_show_rejoin_probability=rejoin),
    ))


def validated(model: ModelConfig) -> ModelConfig:
    """``model`` after a round trip through the config validation (ranges, lengths,
    shares summing to 1): the tests only use configurations a user could write."""
    from simsoins.config.model import build_model

    out = build_model(dataclasses.asdict(model), "model")
    assert out == model
    return out


def validated_run(run: RunConfig) -> RunConfig:
    """``run`` after a round trip through the config validation."""
    from simsoins.config.model import from_mapping

    out = from_mapping(RunConfig, dataclasses.asdict(run), "run")
    assert out == run
    return out


def _assert_flat(demand: DemandConfig, skip=()) -> None:
    """The theory assumes a homogeneous process."""
    for name in ("weekday", "season_routine", "season_acute", "season_emergency",
                 "hour_routine", "hour_acute", "hour_emergency"):
        if name not in skip:
            v = getattr(demand, name)
            assert min(v) == max(v), f"DemandConfig.{name} default is no longer flat: {v}"


def daily_schedule(start: str, end: str) -> list[str]:
    """The same session every day of the week."""
    return [f"{d} {start}-{end}" for d in DAYS]


# ------------------------------------------------------------- queueing formulas


def erlang_c(c: int, a: float) -> float:
    """Erlang C: probability of waiting in M/M/c with offered load ``a`` = λ/μ < c.
    Computed through the Erlang B recursion (numerically stable)."""
    if not 0 <= a < c:
        raise ValueError("need 0 ≤ a < c")
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    rho = a / c
    return b / (1 - rho + rho * b)


def mmc_wait(lam: float, mean_service: float, c: int) -> float:
    """Mean wait in queue of M/M/c: W_q = C(c, a) / (cμ − λ)."""
    mu = 1.0 / mean_service
    return erlang_c(c, lam / mu) / (c * mu - lam)


def mmc_priority_waits(lam: float, mean_service: float, c: int, shares) -> np.ndarray:
    """Mean wait of each class in M/M/c with non-preemptive priorities (class 0 first)
    and one service law for all (Cobham 1954):
    W_k = C(c, a) / (cμ) / ((1 − σ_{k−1})(1 − σ_k)),  σ_k = Σ_{i≤k} λ_i / (cμ)."""
    mu = 1.0 / mean_service
    w0 = erlang_c(c, lam / mu) / (c * mu)
    sigma = np.concatenate([[0.0], np.cumsum(np.asarray(shares, dtype=float) * lam / (c * mu))])
    return w0 / ((1 - sigma[:-1]) * (1 - sigma[1:]))


def md1_wait(lam: float, service: float) -> float:
    """Mean wait in queue of M/D/1 (Pollaczek–Khinchine): W_q = ρ / (2μ(1 − ρ))."""
    rho = lam * service
    if not 0 <= rho < 1:
        raise ValueError("need ρ < 1")
    return rho * service / (2 * (1 - rho))


@dataclass(frozen=True)
class BookingTheory:
    """Stationary law of the discrete-time booking queue (see :func:`booking_queue_theory`)."""

    backlog: np.ndarray  # P(Q = q) at the start of a day
    wait: np.ndarray  # P(a request waits w days), request-weighted

    @property
    def mean_wait(self) -> float:
        return float(np.arange(len(self.wait)) @ self.wait)

    def p_wait_at_most(self, w: int) -> float:
        return float(self.wait[: w + 1].sum())


def booking_queue_theory(mean_requests: float, slots_per_day: int, tol: float = 1e-10) -> BookingTheory:
    """Booking queue with A ~ Poisson(``mean_requests``) requests a day, all made before
    the day's first slot, ``slots_per_day`` = c slots a day, FIFO, earliest free slot.

    The backlog (slots already booked on days ≥ d at the start of day d) follows
    Q' = max(Q + A − c, 0); the request at 0-based position k among the Q + A of its day
    gets the (k+1)-th free-or-booked slot from day d on, i.e. waits floor(k / c) days.
    The stationary law of Q is solved on a truncated state space (the truncation is
    checked to carry negligible mass); the law of the wait is then
    P(W = w) = E[#{k ∈ [Q, Q + A) : floor(k / c) = w}] / E[A]."""
    c = int(slots_per_day)
    lam = float(mean_requests)
    if not 0 < lam < c:
        raise ValueError("need 0 < E[A] < c")
    a_max = int(stats.poisson.isf(tol, lam)) + 2
    pa = stats.poisson.pmf(np.arange(a_max + 1), lam)
    pa[-1] += stats.poisson.sf(a_max, lam)  # lump the (negligible) tail into the last atom
    n = 64
    while True:
        # transition matrix on {0..n}; the rare jump beyond n is clipped to n
        q = np.arange(n + 1)
        nxt = np.minimum(np.maximum(q[:, None] + np.arange(a_max + 1)[None, :] - c, 0), n)
        P = np.zeros((n + 1, n + 1))
        np.add.at(P, (np.repeat(q, a_max + 1), nxt.ravel()), np.tile(pa, n + 1))
        M = P.T - np.eye(n + 1)
        M[-1, :] = 1.0  # replace one balance equation by Σπ = 1
        rhs = np.zeros(n + 1)
        rhs[-1] = 1.0
        pi = np.linalg.solve(M, rhs)
        pi = np.clip(pi, 0, None)
        pi /= pi.sum()
        if pi[-(n // 4):].sum() < tol:
            break
        n *= 2
        if n > 8192:
            raise ValueError("booking queue too close to saturation for the truncated solve")
    q = np.arange(n + 1)[:, None]
    a = np.arange(a_max + 1)[None, :]
    weight = pi[:, None] * pa[None, :]
    n_w = (n + a_max) // c + 2
    per_w = np.empty(n_w)
    for w in range(n_w):
        overlap = np.clip(np.minimum(q + a, (w + 1) * c) - np.maximum(q, w * c), 0, None)
        per_w[w] = (weight * overlap).sum()
    # Σ_w per_w = E[A]: the positions of a day's requests are all counted once
    assert abs(per_w.sum() - (weight * a).sum()) < 1e-9 * lam
    return BookingTheory(backlog=pi, wait=per_w / per_w.sum())


def replay_booking_rule(counts_per_day: np.ndarray, slots_per_day: int) -> tuple[np.ndarray, np.ndarray]:
    """The rule above replayed on given daily request counts from an empty book.

    Returns, for every request in request-time order, its day d and its position
    Q_d + k among the slots from day d on: it waits (Q_d + k) // c days and gets slot
    number (Q_d + k) % c of that day."""
    days, positions = [], []
    q = 0
    for d, a in enumerate(np.asarray(counts_per_day, dtype=int)):
        days.append(np.full(a, d))
        positions.append(q + np.arange(a))
        q = max(q + a - slots_per_day, 0)
    return np.concatenate(days), np.concatenate(positions)


# ------------------------------------------------------------------- statistics


def t_interval(values, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and Student-t confidence interval (lo, hi) of ``values`` (one per replication)."""
    x = np.asarray(values, dtype=float)
    m = float(x.mean())
    h = float(stats.t.ppf(0.5 + level / 2, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x)))
    return m, m - h, m + h


class Batches:
    """Independent batches of replications of one configuration, simulated on demand
    and cached: batch k holds replications k·n … (k+1)·n − 1 of ``run`` (n =
    ``run.replications``); streams depend on (seed, replication) only, so batches are
    independent."""

    def __init__(self, territory, model: ModelConfig, run: RunConfig) -> None:
        self.territory, self.model, self.run = territory, model, run
        self._cache: dict[int, list] = {}

    def __call__(self, k: int = 0) -> list:
        if k not in self._cache:
            from simsoins.sim.replication import simulate

            n = self.run.replications
            self._cache[k] = [simulate(self.territory, self.model, self.run, r) for r in range(k * n, (k + 1) * n)]
        return self._cache[k]


def assert_theory_in_ci(theory: float, batches: Batches, statistic, *, level: float = 0.95,
                        max_width: float | None = None, label: str = "") -> None:
    """Two-stage confidence-interval check of a theoretical value.

    ``statistic(rep)`` gives one observation per replication.  The theory must lie in the
    Student-t interval at ``level`` over batch 0; if it does not, an independent
    confirmation batch (batch 1, same size) is simulated and the theory must lie in *its*
    interval.  With a correct model the false-alarm rate is (1 − level)² (0.25 % at 95 %)
    instead of 1 − level, so a harmless change in how the code draws random numbers (which
    re-draws every sample) does not break the test one time in twenty; a real bias of a
    few standard errors still fails both stages.  ``max_width`` bounds the interval width
    (absolute), so that the check cannot pass by being uninformative."""
    seen = []
    for k in (0, 1):
        mean, lo, hi = t_interval([statistic(r) for r in batches(k)], level)
        if max_width is not None:
            assert hi - lo < max_width, (f"{label}: {level:.0%} CI [{lo:.4g}, {hi:.4g}] wider than {max_width:.4g}: "
                                         "too imprecise to test anything")
        if lo <= theory <= hi:
            return
        seen.append(f"batch {k}: mean {mean:.5g}, CI [{lo:.5g}, {hi:.5g}]")
    raise AssertionError(f"{label}: theory {theory:.5g} outside the {level:.0%} Student-t CI of the first batch "
                         f"and of the independent confirmation batch ({'; '.join(seen)})")


def in_window(rep):
    """Requests made inside the measured window (after warm-up)."""
    ev = rep.events
    w0, w1 = rep.window
    return ev[(ev["t_request_min"] >= w0) & (ev["t_request_min"] < w1)]


# ------------------------------------------------------------- shipped configs


def shipped_model() -> ModelConfig:
    """The model of configs/config.yaml (levers as shipped)."""
    from omegaconf import OmegaConf

    from simsoins.config.model import build_model

    cfg = OmegaConf.to_container(OmegaConf.load(ROOT / "configs" / "config.yaml"))
    return build_model({k: cfg[k] for k in ("demand", "clinicians", "pathways", "er", "tele", "levers") if k in cfg})


def shipped_territory(name: str, model: ModelConfig):
    from omegaconf import OmegaConf

    cfg = OmegaConf.to_container(OmegaConf.load(ROOT / "configs" / "territory" / f"{name}.yaml"))
    return load_territory(cfg, model.clinicians)


# ------------------------------------------------- Green & Savin (2008) panel chain


def lead_no_show(same_day: float, top: float, scale_days: float, leads) -> np.ndarray:
    """γ(lead) = γ_max − (γ_max − γ_0)·exp(−lead / C) (Green & Savin 2008), lead in days."""
    return top - (top - same_day) * np.exp(-np.asarray(leads, dtype=float) / scale_days)


@dataclass(frozen=True)
class PanelTheory:
    """Stationary law of the one-slot-a-day panel chain (see :func:`panel_chain_theory`);
    per-day quantities are expectations over a stationary day."""

    backlog: np.ndarray  # P(B = b) at the start of a day (before its requests), b = 0..K
    wait: np.ndarray  # P(a booked new request waits w days), w = 0..K−1
    lost_share: float  # new requests lost (the book full up to the horizon) / new requests
    again_per_day: float  # requests made again after a missed slot, per day
    no_show_share: float  # no-shows / bookings (new requests and requests made again)

    @property
    def mean_backlog(self) -> float:
        return float(np.arange(len(self.backlog)) @ self.backlog)

    @property
    def mean_wait(self) -> float:
        return float(np.arange(len(self.wait)) @ self.wait)


def panel_chain_theory(mean_requests: float, horizon: int, gamma: np.ndarray, rejoin: float, *,
                       tracked: int | None = None, tail_mark: float | None = None) -> PanelTheory:
    """Green & Savin's panel model as the one GP books it: one slot a day, A ~
    Poisson(``mean_requests``) new requests a day made before the slot, each booking the
    first free slot from its day within ``horizon`` = K days (else lost), and missing it
    with probability ``gamma[lead]`` (lead = days from booking to slot, 0..K); a patient
    who misses the slot asks again at its time with probability ``rejoin`` = r, and books
    the first free slot from the next day on (lead = its position E ≥ 1, never lost: E ≤ K).

    Booked slots are always the days d … d + B − 1 (FIFO, no gaps), but B alone is not
    Markov: whether the patient of a slot will ask again depends on the lead they booked
    with.  Since that is decided, independently, at booking (probability r·γ(lead)), the
    state is the backlog *with a mark per booked slot*: m ∈ {0,1}^B, B = 0..K, 2^(K+1) − 1
    states.  A day: the first min(A, K − B) requests take positions B, B + 1, … (marked
    with probability r·γ(position)), the rest are lost; E = B + accepted; the slot of the
    day is used if E ≥ 1, and if its mark is set the patient asks again at position E
    (marked with probability r·γ(E)); then the marks shift by one day.  This is exact for
    the simulated model; the stationary law is solved with a sparse solver.

    For a long horizon, ``tracked`` = L < K keeps the marks of the first L positions only:
    a slot further on was booked at least L + 1 days ahead, and its mark is drawn, with
    probability ``tail_mark``, when it reaches position L − 1.  Exact if r·γ(lead) =
    ``tail_mark`` for every lead > L; since r·γ(lead) grows with the lead to r·γ_max, the
    chains with ``tail_mark`` = r·γ(L + 1) and r·γ_max bracket the model (fewer or more
    patients asking again, so a shorter or longer backlog — by coupling; checked against
    the full chain at K = 12).  The Poisson tail beyond 12 standard deviations is lumped
    into its last count (exact when that count already fills the horizon)."""
    K, lam = int(horizon), float(mean_requests)
    L = K if tracked is None else int(tracked)
    gamma = np.asarray(gamma, dtype=float)
    assert gamma.shape == (K + 1,) and 1 <= L <= K
    q = rejoin * gamma  # P(mark) by lead
    a_max = int(lam + 12 * math.sqrt(lam) + 12)
    pa = stats.poisson.pmf(np.arange(a_max + 1), lam)
    n_bits = np.minimum(np.arange(K + 1), L)
    base = np.concatenate([[0], np.cumsum(2 ** n_bits)])  # index of state (B, marks = 0)
    parts = []
    for b in range(K + 1):
        for a in range(min(K - b, a_max) + 1):
            p = pa[a] if a < min(K - b, a_max) else stats.poisson.sf(a - 1, lam)  # the last count takes the tail
            parts.extend(_panel_moves(b, a, p, q, L, tail_mark, base, n_bits))
    src, dst, val = (np.concatenate(v) for v in zip(*parts))
    n = base[-1]
    P = sparse.csr_matrix((val, (src, dst)), shape=(n, n))
    assert np.allclose(np.asarray(P.sum(axis=1)).ravel(), 1.0)
    pi = _stationary(P)
    state_b = np.repeat(np.arange(K + 1), 2 ** n_bits)
    head_marked = np.concatenate([np.arange(2 ** k) & 1 for k in n_bits]).astype(bool)
    p_b = np.bincount(state_b, weights=pi, minlength=K + 1)
    h_b = np.bincount(state_b[head_marked], weights=pi[head_marked], minlength=K + 1)
    return _panel_measures(lam, K, gamma, q, p_b, h_b)


def _panel_moves(b, a, p, q, L, tail_mark, base, n_bits):
    """(from, to, probability) of one day from every state of backlog ``b`` with ``a``
    requests booked (probability ``p``); see :func:`panel_chain_theory`."""
    x = np.arange(2 ** n_bits[b])
    e = b + a
    t = max(0, min(e, L + 1) - b)  # the day's requests whose marks are kept
    y = np.arange(2 ** t)
    marks = (y[:, None] >> np.arange(t)) & 1
    py = np.prod(np.where(marks, q[b:b + t], 1 - q[b:b + t]), axis=1) * p
    seq = (x[:, None] | (y[None, :] << n_bits[b])).ravel()
    pr = np.tile(py, len(x))
    src = np.repeat(base[b] + x, len(y))
    if e == 0:
        return [(src, np.full_like(src, base[0]), pr)]
    length = n_bits[b] + t - 1  # marks left once the day's slot is used
    head, rest = seq & 1, seq >> 1
    out = []
    for h in (0, 1):
        b_new = e - 1 + h  # a marked patient asks again, at position e (lead e)
        p_h = pr * (head == h)
        if n_bits[b_new] == length:
            out.append((src, base[b_new] + rest, p_h))
            continue
        qz = q[e] if b <= L else tail_mark  # the patient asking again, or a slot reaching position L − 1
        for z, pz in ((0, 1 - qz), (1, qz)):
            out.append((src, base[b_new] + (rest | (z << length)), p_h * pz))
    return out


def _stationary(P) -> np.ndarray:
    """π = πP, Σπ = 1, for an irreducible sparse transition matrix: fix π_0 and solve the
    other balance equations."""
    A = (sparse.identity(P.shape[0], format="csr") - P.T).tocsc()
    rest = spsolve(A[1:, 1:], -A[1:, [0]].toarray().ravel())
    pi = np.concatenate([[1.0], rest])
    assert (pi > -1e-12).all()
    return np.clip(pi, 0, None) / pi.sum()


def _panel_measures(lam, K, gamma, q, p_b, h_b) -> PanelTheory:
    """Per-day expectations from the law of B (``p_b``) and of (B, head slot marked) (``h_b``)."""
    a = np.arange(K + 1)
    pa = stats.poisson.pmf(a, lam)
    above = stats.poisson.sf(a, lam)  # P(A > j)
    per_w = np.zeros(K)  # booked new requests a day that wait w days
    accepted = 0.0
    again = no_show_again = 0.0
    for b in range(K + 1):
        m = K - b  # room
        acc = np.append(pa[:m], stats.poisson.sf(m - 1, lam))  # law of min(A, m), values 0..m
        accepted += p_b[b] * (acc @ np.arange(m + 1))
        per_w[b:] += p_b[b] * above[:m]  # position b + j is taken iff A > j (j < m)
        g_e = gamma[b:b + m + 1]  # γ(E) for the patient asking again at position E = b + accepted
        if b == 0:  # the head is the day's first request, marked with probability q(0)
            again += p_b[0] * q[0] * acc[1:].sum()
            no_show_again += p_b[0] * q[0] * (acc[1:] @ g_e[1:])
        else:
            again += h_b[b]
            no_show_again += h_b[b] * (acc @ g_e)
    assert abs(per_w.sum() - accepted) < 1e-9
    no_show = per_w @ gamma[:K] + no_show_again
    return PanelTheory(backlog=p_b, wait=per_w / per_w.sum(), lost_share=1 - accepted / lam,
                       again_per_day=again, no_show_share=no_show / (accepted + again))

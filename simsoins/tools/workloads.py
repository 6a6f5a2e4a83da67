"""What the bench (``python -m simsoins.bench``) runs: its inputs, a bare SimPy reference,
the default territory scaled k times, and a probe of slot look-ups.

:mod:`simsoins.tools.bench` times these; ``benchmarks/paired.py`` reads them (through the
names :mod:`simsoins.tools.bench` re-exports) from two checkouts side by side.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

import numpy as np
import simpy

from simsoins.vocabulary import MIN_PER_DAY


class MMcReference:
    """A bare SimPy M/M/c queue driven by scheduled callbacks, with no process per customer:
    the fastest SimPy can serve a queue, the yardstick of the model's speed.

    ``customers`` arrivals at rate λ = ρ·c·μ (μ = 1 per time unit), ``c`` servers; the
    inter-arrival and service times are drawn up front so that only the event loop is timed.
    """

    def __init__(self, customers: int, c: int, rho: float, seed: int) -> None:
        rng = np.random.default_rng(seed)
        mu = 1.0
        self.env = simpy.Environment()
        self.customers, self.c = customers, c
        self.inter = rng.exponential(1 / (rho * c * mu), customers).tolist()
        self.service = rng.exponential(1 / mu, customers).tolist()
        self.queue: deque[tuple[int, float]] = deque()  # (customer, arrival time) waiting for a server
        self.busy = 0  # servers in use
        self.next = 0  # the next customer to arrive
        self.waits = 0.0  # total time customers waited in the queue

    def start(self, k: int) -> None:
        """Customer ``k`` takes a server."""
        self.busy += 1
        self.env.timeout(self.service[k]).callbacks.append(self.done)

    def done(self, _event) -> None:
        """A service ends: the server takes the first customer waiting, if any."""
        self.busy -= 1
        if self.queue:
            k, t_arrival = self.queue.popleft()
            self.waits += self.env.now - t_arrival
            self.start(k)

    def arrive(self, _event) -> None:
        """The next customer arrives, is served or waits, and schedules the one after."""
        k = self.next
        self.next += 1
        if self.busy < self.c:
            self.start(k)
        else:
            self.queue.append((k, self.env.now))
        if k + 1 < self.customers:
            self.env.timeout(self.inter[k + 1]).callbacks.append(self.arrive)

    def rate(self) -> float:
        """Run every customer through; customers per CPU second of the event loop."""
        self.env.timeout(self.inter[0]).callbacks.append(self.arrive)
        t0 = time.process_time()
        self.env.run()
        return self.customers / (time.process_time() - t0)


def reference_mmc(customers: int = 200_000, c: int = 10, rho: float = 0.9, seed: int = 1) -> float:
    """Customers per CPU second of a bare SimPy M/M/c with callbacks (:class:`MMcReference`)."""
    return MMcReference(customers, c, rho, seed).rate()


def model_inputs(departement: str | None = None):
    """The default territory, model and run settings (or département ``departement``,
    built from the national tables as ``territory=departement territory.code=…`` does)."""
    from omegaconf import OmegaConf

    from simsoins.cli import MODEL_KEYS, config_dir
    from simsoins.config.model import RunConfig, build_model, from_mapping
    from simsoins.territory import load_territory

    root = Path(config_dir())
    cfg = cast(dict[str, Any], OmegaConf.to_container(OmegaConf.load(root / "config.yaml")))
    model = build_model({k: cfg[k] for k in MODEL_KEYS})
    if departement is None:
        terr = OmegaConf.load(root / "territory" / "loir_et_cher.yaml")
    else:
        terr = OmegaConf.merge(OmegaConf.load(root / "territory" / "departement.yaml"), {"code": departement})
    territory_cfg = cast(dict[str, Any], OmegaConf.to_container(terr, resolve=True))
    territory = load_territory(territory_cfg, model.clinicians, root / "territory")
    run = from_mapping(RunConfig, dict(cfg["run"]), "run")
    return territory, model, run


def _block(m: np.ndarray, copies: int, far: float = 1e6) -> np.ndarray:
    """A block-diagonal distance matrix (km): each copy of the territory ``far`` from the others."""
    out = np.full((m.shape[0] * copies, m.shape[1] * copies), far)
    for j in range(copies):
        out[j * m.shape[0]:(j + 1) * m.shape[0], j * m.shape[1]:(j + 1) * m.shape[1]] = m
    return out


def _half(t, k: float):
    """``k`` (< 1) × the population, and every ``1/k``-th clinician."""
    idx = np.arange(0, t.n_clinicians, round(1 / k))
    return replace(t, population=t.population * k, age_pop=t.age_pop * k,
                   clinician_id=tuple(t.clinician_id[i] for i in idx), clinician_practice=t.clinician_practice[idx],
                   clinician_kind=tuple(t.clinician_kind[i] for i in idx),
                   clinician_sessions=tuple(t.clinician_sessions[i] for i in idx),
                   clinician_slot_minutes=t.clinician_slot_minutes[idx],
                   clinician_same_day_share=t.clinician_same_day_share[idx],
                   clinician_accepts_new=t.clinician_accepts_new[idx])


def _copies(t, c: int):
    """``c`` disjoint copies of territory ``t`` side by side, each 5° of longitude east of
    the one before and far from the others on every distance matrix."""
    nc, npr = t.n_communes, len(t.practice_id)

    def ids(values):
        return tuple(f"{v}~{j}" for j in range(c) for v in values)

    def sites(items):
        return tuple(replace(s, commune=s.commune + j * nc) for j in range(c) for s in items)

    return replace(
        t, commune_code=ids(t.commune_code), commune_name=t.commune_name * c,
        commune_departement=t.commune_departement * c,
        lon=np.concatenate([t.lon + 5.0 * j for j in range(c)]), lat=np.tile(t.lat, c),
        population=np.tile(t.population, c), age_pop=np.tile(t.age_pop, (c, 1)),
        practice_id=ids(t.practice_id), practice_name=t.practice_name * c, practice_kind=t.practice_kind * c,
        practice_commune=np.concatenate([t.practice_commune + j * nc for j in range(c)]),
        clinician_id=ids(t.clinician_id),
        clinician_practice=np.concatenate([t.clinician_practice + j * npr for j in range(c)]),
        clinician_kind=t.clinician_kind * c, clinician_sessions=t.clinician_sessions * c,
        clinician_slot_minutes=np.tile(t.clinician_slot_minutes, c),
        clinician_same_day_share=np.tile(t.clinician_same_day_share, c),
        clinician_accepts_new=np.tile(t.clinician_accepts_new, c),
        er_sites=sites(t.er_sites), evening_sites=sites(t.evening_sites),
        km_commune_practice=_block(t.km_commune_practice, c), km_commune_er=_block(t.km_commune_er, c),
        km_commune_evening=_block(t.km_commune_evening, c),
    )


def scaled(territory, k: float):
    """``k`` × the work: for k ≥ 1, k disjoint copies of the territory side by side (every
    commune, practice, GP and site repeated, each copy far from the others; with
    :func:`scaled_plan`, their MT registrations too), so that the work per request is
    unchanged and the cost should grow linearly; for k = 0.5, half the population and
    every other clinician."""
    return _half(territory, k) if k < 1 else _copies(territory, round(k))


def scaled_plan(territory, model, run, base=None, copies: int = 1):
    """The scenario's plan for ``territory``; for ``copies`` copies of ``base`` (``scaled``),
    every copy starts with ``base``'s own MT registrations.  (The territory's gravity model
    draws each clinician's panel size at random: copies drawn anew would differ from the
    original, and the work per request with them.)"""
    from simsoins.levers import make_plan

    plan = make_plan(territory, model, run)
    if base is None or copies <= 1:
        return plan
    one = make_plan(base, model, run)
    if plan.panels.shape != (one.panels.shape[0] * copies, one.panels.shape[1] * copies):
        raise ValueError("the plan adds clinicians: copies of the base plan would not match")
    return replace(plan, panels=np.kron(np.eye(copies), one.panels), panel_cap=np.tile(one.panel_cap, copies))


#: Days of slots in each book of :func:`locality_probe`.
PROBE_DAYS = 600


def locality_probe(books=(211, 844, 3376), slots: int = 12_000, queries: int = 1_000_000) -> dict[int, float]:
    """Nanoseconds per slot look-up against the number of books visited at random: the same
    work per look-up, so any rise is the memory hierarchy (what a larger territory pays)."""
    from simsoins.sim.book import SlotStore

    span = PROBE_DAYS * MIN_PER_DAY
    out = {}
    for n in books:
        store = SlotStore([np.random.default_rng(i).uniform(0, span, slots) for i in range(n)])
        rng = np.random.default_rng(1)  # drawn up front: the timed loop only looks up
        order = rng.integers(0, n, queries).tolist()
        offsets = (rng.random(queries) * 5000).tolist()
        step = span / queries
        first_free, take, times, inf = store.first_free, store.take, store.times, float("inf")
        c0 = time.process_time()
        for k, j in enumerate(order):
            i = first_free(j, k * step + offsets[k])
            if times[i] < inf and k % 3 == 0:
                take(j, i)
        out[n] = (time.process_time() - c0) / queries * 1e9
    return out

"""One replication of the territory: wiring demand, books, pathways and ERs on SimPy.

``simulate(territory, model, run, replication)`` returns a :class:`Replication`, plain
data that pickles across worker processes: the event log, the weekly series and the
offered capacity.  The SimPy environment drives the calendar: a daily callback that
handles the day's requests in time order, an hourly ER staffing change, ER arrivals and
service completions as event callbacks, and a weekly snapshot.
"""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import simpy

from .calendar import MIN_PER_DAY, month_index
from .capacity import build_capacity, expected_er_arrivals
from .config import ModelConfig, RunConfig
from .demand import NEED_ACUTE, NEED_ROUTINE, DemandGenerator
from .er import EmergencyDepartment, hourly_driver, service_times
from .eventlog import CH, LogColumns, build_frame
from .panels import Panels
from .router import Router
from .streams import replication_streams
from .territory import Territory, initial_panels


@dataclass
class Replication:
    """What one replication leaves behind (pickles across processes)."""

    replication: int
    events: pd.DataFrame
    weekly: pd.DataFrame  # week, without_mt_share
    offered: pd.DataFrame  # provider, offered slots in the measured window
    er_stats: pd.DataFrame  # site, served, busy_minutes, area_queue, minutes
    window: tuple[float, float]  # measured window, minutes
    population: float
    provider_names: list[str]


@dataclass(frozen=True)
class _Params:
    """Flattened pathway and clinician parameters, for fast attribute access."""

    booking_horizon_days: int
    routine_min_lead_minutes: int
    acute_min_lead_minutes: int
    held_release_hours: float
    max_practices_tried: int
    routine_retry_probability: float
    routine_retry_after_days: float
    routine_max_retries: int
    acute_er_probability: float
    tele_uptake: float
    mt_attach_probability: float
    no_show_known: float
    no_show_new: float


def _params(model: ModelConfig) -> _Params:
    p, c = model.pathways, model.clinicians
    return _Params(p.booking_horizon_days, p.routine_min_lead_minutes, p.acute_min_lead_minutes,
                   p.held_release_hours, p.max_practices_tried, p.routine_retry_probability,
                   p.routine_retry_after_days, p.routine_max_retries, p.acute_er_probability, p.tele_uptake,
                   p.mt_attach_probability, c.no_show_known, c.no_show_new)


def simulate(territory: Territory, model: ModelConfig, run: RunConfig, replication: int) -> Replication:
    """Simulate replication ``replication`` (warm-up + horizon) and return its results."""
    t = territory
    streams = replication_streams(run.seed, replication)
    n_days = run.warmup_days + run.horizon_days
    p = _params(model)
    tail_days = p.booking_horizon_days + int(np.ceil(p.routine_retry_after_days * (p.routine_max_retries + 1))) + 2
    book_days = n_days + tail_days
    start = run.start
    months = month_index(start, book_days)
    july_week = max(0, (dt.date(start.year + (start.month > 7), 7, 1) - start).days // 7)

    nearest_er = t.km_commune_er.argmin(axis=1)
    cap = build_capacity(t, model, book_days, streams["leave"], july_week,
                         expected_er_arrivals(t, model, nearest_er))
    panels = Panels(initial_panels(t), t.population, model.clinicians.panel_room)
    practice_order = []
    for c in range(t.n_communes):
        order = np.argsort(t.km_commune_practice[c], kind="stable")
        practice_order.append([(int(q), float(t.km_commune_practice[c, q])) for q in order])
    evening_order = []
    for c in range(t.n_communes):
        order = np.argsort(t.km_commune_evening[c], kind="stable") if len(t.evening_sites) else []
        evening_order.append([(int(q), float(t.km_commune_evening[c, q])) for q in order])

    env = simpy.Environment()
    cols = LogColumns()
    chunks: list = []
    retries: dict[int, list] = {}
    er_pr = model.er

    def on_er_start(rid: int, wait: float) -> None:
        cols.er_wait[rid] = wait

    sites = [EmergencyDepartment(env, d, on_er_start) for d in cap.er_doctors]
    env.process(hourly_driver(env, sites))
    er_triage_cum = np.cumsum(er_pr.triage_shares)
    service_by_rid: dict[int, tuple[float, int]] = {}

    def er_visit(rid: int, t_arrive: float, commune: int, avoidable: bool) -> None:
        site = int(nearest_er[commune])
        service, prio = service_by_rid[rid]
        if avoidable:
            service *= er_pr.avoidable_service_factor
            prio = len(er_pr.triage_shares) + 1
        cols.er_site[rid] = site
        cols.er_priority[rid] = prio
        cols.distance[rid] = t.km_commune_er[commune, site]
        delay = t_arrive - env.now
        ev = env.timeout(delay)
        ev.callbacks.append(lambda _e, s=sites[site], r=rid, pr=prio, sv=service: s.arrive(r, pr, sv))

    def schedule_retry(t_retry: float, rid: int) -> None:
        retries.setdefault(int(t_retry // MIN_PER_DAY), []).append((t_retry, rid))

    router = Router(cap=cap, panels=panels, practice_of=[int(x) for x in t.clinician_practice],
                    practice_order=practice_order, evening_order=evening_order, params=p, cols=cols,
                    er_visit=er_visit, schedule_retry=schedule_retry)
    demand = DemandGenerator(model.demand, t.age_pop, months)
    attrs: dict[int, tuple] = {}  # attributes of requests waiting to retry
    weekly: list[tuple[int, float]] = []
    loss_per_week = 1 - (1 - model.pathways.mt_loss_rate_per_year) ** (7 / 365)

    def day_loop():
        offset = 0
        for d in range(book_days):
            due = sorted(retries.pop(d, []))
            if d < n_days:
                r = demand.day(d, streams["arrivals"], streams["attributes"])
                n = len(r)
                cols.grow(n)
                chunks.append(r)
                serv = service_times(r.u_service, er_pr.service_minutes_mean, er_pr.service_distribution,
                                     er_pr.service_cv)
                prio = np.searchsorted(er_triage_cum, r.u_triage, side="right") + 1
                lists = (r.t.tolist(), r.need.tolist(), r.commune.tolist(), r.u_mt.tolist(), r.patience.tolist(),
                         r.travel_km.tolist(), r.tele_eligible.tolist(), r.u_uptake.tolist(), r.u_no_show.tolist(),
                         r.u_retry.tolist(), r.u_er.tolist(), serv.tolist(), prio.tolist())
            else:
                n, lists = 0, None
            j = 0
            while j < n or due:
                if due and (j >= n or due[0][0] <= lists[0][j]):
                    t_now, rid = due.pop(0)
                    commune, mt, patience, travel, tele_ok, u_up, u_ns, u_rt = attrs[rid]
                    router.routine(rid, t_now, commune, mt, patience, travel, tele_ok, u_up, u_ns, u_rt,
                                   cols.attempts[rid])
                    if cols.outcome[rid] >= 0:
                        del attrs[rid]
                    continue
                (tt, need, commune, u_mt, patience, travel, tele_ok, u_up, u_ns, u_rt, u_er, sv,
                 pr) = (lst[j] for lst in lists)
                rid = offset + j
                j += 1
                if need == NEED_ROUTINE or need == NEED_ACUTE:
                    mt = panels.draw(commune, u_mt)
                    cols.mt[rid] = mt
                    if need == NEED_ROUTINE:
                        router.routine(rid, tt, commune, mt, patience, travel, tele_ok, u_up, u_ns, u_rt, 1)
                        if cols.outcome[rid] < 0:
                            attrs[rid] = (commune, mt, patience, travel, tele_ok, u_up, u_ns, u_rt)
                    else:
                        service_by_rid[rid] = (sv, pr)
                        router.acute(rid, tt, commune, mt, patience, travel, tele_ok, u_up, u_ns, u_er)
                        service_by_rid.pop(rid, None)
                else:
                    cols.mt[rid] = panels.draw(commune, u_mt)
                    cols.outcome[rid] = CH["er"]
                    cols.path[rid] = 1 << CH["er"]
                    service_by_rid[rid] = (sv, pr)
                    er_visit(rid, tt, commune, avoidable=False)
                    service_by_rid.pop(rid, None)
            offset += n
            if d % 7 == 6:
                panels.lose(streams["panels"], loss_per_week)
                weekly.append((d // 7, panels.without_mt_share()))
            yield env.timeout(MIN_PER_DAY)

    env.process(day_loop())
    env.run(until=book_days * MIN_PER_DAY)
    while any(s.queue or s.busy for s in sites):  # drain the ERs
        env.step()

    r_all = {k: np.concatenate([getattr(c, k) for c in chunks]) for k in ("t", "need", "commune", "age", "tele_eligible")}
    events = build_frame(replication, r_all["t"], r_all["need"], r_all["commune"], r_all["age"],
                         r_all["tele_eligible"], cols, t.commune_code, model.demand.age_bands)
    w0, w1 = run.warmup_days * MIN_PER_DAY, n_days * MIN_PER_DAY
    books = cap.clinician_books + [cap.tele_book] + cap.evening_books
    offered = pd.DataFrame({"provider": np.arange(len(books), dtype=np.int32),
                            "offered": [b.offered_between(w0, w1) for b in books]})
    er_stats = pd.DataFrame({"site": [s.name for s in t.er_sites],
                             "served": [s.n_served for s in sites],
                             "busy_minutes": [s.busy_minutes for s in sites],
                             "area_queue": [s.area_queue for s in sites],
                             "minutes": [env.now] * len(sites)})
    return Replication(replication, events, pd.DataFrame(weekly, columns=["week", "without_mt_share"]), offered,
                       er_stats, (float(w0), float(w1)), float(t.population.sum()), cap.provider_names)


def with_levers_off(model: ModelConfig) -> ModelConfig:
    """The same model with every lever at its baseline value."""
    from .config import Levers

    return replace(model, levers=Levers())


__all__ = ["Replication", "simulate", "with_levers_off", "heapq"]

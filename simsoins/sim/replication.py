"""One replication of the territory: wiring demand, books, pathways and ERs on SimPy.

``simulate(territory, model, run, replication)`` returns a :class:`~simsoins.results.record.ReplicationResult`, plain
data that pickles across worker processes: the event log, the weekly series and the
offered capacity.  The SimPy environment drives the calendar: a daily callback that
handles the day's requests in time order, an hourly ER staffing change, ER arrivals and
service completions as event callbacks, and a weekly snapshot.
"""

from __future__ import annotations

import datetime as dt
import gc
import heapq
from collections import deque
from dataclasses import dataclass

import numpy as np
import pandas as pd
import simpy

from simsoins.config.model import ModelConfig, RunConfig
from simsoins.fast.memory import huge_pages
from simsoins.levers import Plan, make_plan
from simsoins.results.eventlog import CH, LogColumns, build_frame
from simsoins.results.record import ReplicationResult
from simsoins.sim.capacity import build_capacity, expected_er_arrivals
from simsoins.sim.clock import MIN_PER_DAY, month_index
from simsoins.sim.demand import NEED_EMERGENCY, NEED_ROUTINE, DemandGenerator
from simsoins.sim.er import EmergencyDepartment, hourly_driver, service_times
from simsoins.sim.nearby import Nearby, reach_radius_km
from simsoins.sim.panels import Panels
from simsoins.sim.router import Patient, Router
from simsoins.sim.sas import SasLine
from simsoins.sim.streams import replication_streams
from simsoins.territory import Territory

ER_CHANNEL = CH["er"]
ER_PATH = 1 << CH["er"]
# Requests turned into Python rows at a time (see the day loop). Small enough that a block's
# objects are still in the processor's cache when the block is freed: cachegrind, 4 copies
# of Loir-et-Cher, 1 MB cache: 86 M misses with blocks of 512, 77 M (128), 75 M (64),
# 74 M (32, but 1 % more instructions); measured when the day was read column by column.
ROW_BLOCK = 64
# Rows of the day's requests written at a time (_rows): 2,048 float rows of 11 numbers are
# 180 kB, well within a core's cache.
ROWS_CHUNK = 2048


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
    no_show_max: float | None
    no_show_scale_days: float


def _params(model: ModelConfig) -> _Params:
    p, c = model.pathways, model.clinicians
    return _Params(p.booking_horizon_days, p.routine_min_lead_minutes, p.acute_min_lead_minutes,
                   p.held_release_hours, p.max_practices_tried, p.routine_retry_probability,
                   p.routine_retry_after_days, p.routine_max_retries, p.acute_er_probability, p.tele_uptake,
                   p.mt_attach_probability, c.no_show_known, c.no_show_new, c.no_show_max, c.no_show_scale_days)


class _AskingAgain:
    """Routine patients who miss an appointment (« lapin ») and ask again, with probability
    ``pathways.no_show_rejoin_probability``, at the time of the missed slot (Green & Savin
    2008's rejoining).  Each new request has its own row in the event log (id = the next
    free row, so the missed slot stays a booked no-show), the same patient (commune, age,
    need, MT, patience, travel, tele eligibility) and fresh uniforms for what it decides,
    from the ``rejoin`` stream.  Only slots before the end of demand (``demand_end``) lead
    to a new request: the run's tail only lets requests made by then reach an outcome."""

    def __init__(self, probability: float, demand_end: float, stream: np.random.Generator, cols: LogColumns,
                 defer) -> None:
        self.probability, self.demand_end, self.stream, self.cols, self.defer = (
            probability, demand_end, stream, cols, defer)
        self.rows: list[tuple[float, int, int]] = []  # (t, request id, id of the patient's first request)
        self._first: dict[int, int] = {}

    def missed(self, t_appt: float, pt: Patient) -> None:
        """Router callback at booking, for a routine patient who will not come."""
        if t_appt < self.demand_end and self.stream.random() < self.probability:
            self.defer(t_appt, "rejoin", pt)

    def request(self, pt: Patient, t: float) -> Patient:
        """The new request of the patient of ``pt``, made at ``t``."""
        cols = self.cols
        rid = cols.rows
        cols.grow(1)
        cols.mt[rid] = pt.mt
        self._first[rid] = first = self._first.get(pt.rid, pt.rid)
        self.rows.append((t, rid, first))
        u_up, u_ns, u_rt, u_at = self.stream.random(4).tolist()
        return Patient(rid, pt.commune, pt.mt, pt.patience, pt.travel, pt.tele_ok, u_up, u_ns, u_rt, pt.u_er,
                       pt.u_sas, u_at, pt.er_service)


def _rows(columns, dtype, chunk: int = ROWS_CHUNK) -> np.ndarray:
    """The columns side by side, one row per request (``np.column_stack``, cast to ``dtype``),
    written ``chunk`` rows at a time: each column is copied into a slice of rows that stays
    in the processor's cache until the next column comes, rather than into every row of the
    day, once per column (at 4 × Loir-et-Cher a day's rows do not fit in the core's cache)."""
    n = len(columns[0])
    out = np.empty((n, len(columns)), dtype=dtype)
    for b in range(0, n, chunk):
        e = b + chunk
        for j, col in enumerate(columns):
            out[b:e, j] = col[b:e]
    return out


def _request_columns(chunks: list, asked_again: list | None) -> dict[str, np.ndarray]:
    """Request time and attributes by request id: the days' requests (``chunks``, in id
    order) and the requests made again ((t, id, first id) rows), which copy their
    patient's first request."""
    out = {k: np.concatenate([c[k] for c in chunks]) for k in ("t", "need", "commune", "age", "tele_eligible")}
    if not asked_again:
        return out
    t, rid, first = (np.array(v) for v in zip(*asked_again))
    again = np.zeros(len(out["t"]) + len(rid), dtype=bool)
    again[rid] = True
    for k, v in out.items():
        full = np.empty(len(again), dtype=v.dtype)
        full[~again] = v
        full[rid] = full[first]
        out[k] = full
    out["t"][rid] = t
    return out


def _fill_distances(cols: LogColumns, commune: np.ndarray, t: Territory, tele_provider: int) -> None:
    """Kilometres from the patient's commune to where the request ended, written into
    ``cols.distance`` once the run is over: to the booked clinician's practice (or
    médicobus stop), evening site or ER; 0 for a teleconsultation or no appointment."""
    n = len(commune)
    dist = np.frombuffer(cols.distance, dtype=np.float32)[:n]  # a view: written in place
    provider = np.frombuffer(cols.provider, dtype=np.int32)[:n].astype(np.int64)
    er_site = np.frombuffer(cols.er_site, dtype=np.int16)[:n].astype(np.int64)
    at = (provider >= 0) & (provider < tele_provider)  # clinicians are providers 0 … tele − 1
    dist[at] = t.km_commune_practice[commune[at], t.clinician_practice[provider[at]]]
    at = provider > tele_provider  # evening sites follow the teleconsultation platform
    dist[at] = t.km_commune_evening[commune[at], provider[at] - tele_provider - 1]
    at = np.frombuffer(cols.outcome, dtype=np.int8)[:n] == ER_CHANNEL
    dist[at] = t.km_commune_er[commune[at], er_site[at]]


def simulate(territory: Territory, model: ModelConfig, run: RunConfig, replication: int,
             plan: Plan | None = None) -> ReplicationResult:
    """Simulate replication ``replication`` (warm-up + horizon) and return its results."""
    with huge_pages(False):  # but for the books (memory.py)
        return _simulate(territory, model, run, replication, plan)


def _simulate(territory: Territory, model: ModelConfig, run: RunConfig, replication: int,
              plan: Plan | None) -> ReplicationResult:
    plan = plan or make_plan(territory, model, run)
    t = plan.territory
    streams = replication_streams(run.seed, replication)
    n_days = run.warmup_days + run.horizon_days
    p = _params(model)
    sas_cfg = model.levers.sas
    tail_days = p.booking_horizon_days + int(np.ceil(p.routine_retry_after_days * (p.routine_max_retries + 1))) + 3
    book_days = n_days + tail_days
    start = run.start
    months = month_index(start, book_days)
    july_week = max(0, (dt.date(start.year + (start.month > 7), 7, 1) - start).days // 7)

    nearest_er = t.km_commune_er.argmin(axis=1)
    cap = build_capacity(plan, model, book_days, streams["leave"], july_week,
                         expected_er_arrivals(t, model, nearest_er))
    panels = Panels(plan.panels, t.population, plan.panel_cap, plan.mt_capable)
    radius = reach_radius_km(model.demand.travel_km.median, model.demand.travel_km.sigma)
    practices = Nearby(t.km_commune_practice, radius)
    evenings = Nearby(t.km_commune_evening, radius)

    env = simpy.Environment()
    cols = LogColumns()
    chunks: list = []
    # Retries, SAS call ends and requests made again: (time, seq, kind, patient). Those of the
    # day being run are in the heap ``pending``; later ones wait in a list per day, put into
    # the heap when their day comes. The order is the same as one heap of everything, but
    # the heap stays the size of a day's handful, not of a week's backlog of a large territory.
    pending: list = []
    later: dict[int, list] = {}
    today = [0]
    seq = [0]
    er_pr = model.er
    sas_wait: dict[int, float] = {}

    def on_er_start(rid: int, wait: float) -> None:
        cols.er_wait[rid] = wait

    sites = [EmergencyDepartment(env, d, on_er_start) for d in cap.er_doctors]
    env.process(hourly_driver(env, sites))
    er_triage_cum = np.cumsum(er_pr.triage_shares)

    def er_visit(rid: int, t_arrive: float, commune: int, avoidable: bool, service: float, prio: int) -> None:
        site = int(nearest_er[commune])
        if avoidable:
            service *= er_pr.avoidable_service_factor
            prio = len(er_pr.triage_shares) + 1
        cols.er_site[rid] = site
        cols.er_priority[rid] = prio
        if er_arrivals and t_arrive < er_arrivals[-1][0]:
            raise RuntimeError(f"ER arrival at {t_arrive} after one at {er_arrivals[-1][0]}: requests out of order")
        er_arrivals.append((t_arrive, sites[site], rid, prio, service))
        if len(er_arrivals) == 1:
            env.timeout(t_arrive - env.now).callbacks.append(next_er_arrival)

    # ER arrivals waiting for their time, in time order (the day loop handles requests in
    # time order): one timeout at a time walks them, rather than an event per arrival
    # waiting in SimPy's queue all day.
    er_arrivals: deque = deque()

    def next_er_arrival(_event) -> None:
        _, site, rid, prio, service = er_arrivals.popleft()
        site.arrive(rid, prio, service)
        if er_arrivals:
            env.timeout(er_arrivals[0][0] - env.now).callbacks.append(next_er_arrival)

    def defer(t_when: float, kind: str, pt: Patient) -> None:
        seq[0] += 1
        day = int(t_when // MIN_PER_DAY)
        if day <= today[0]:
            heapq.heappush(pending, (t_when, seq[0], kind, pt))
        else:
            later.setdefault(day, []).append((t_when, seq[0], kind, pt))

    sas_line = SasLine(sas_cfg.regulators, sas_cfg.call_minutes_mean) if sas_cfg.enabled else None

    def sas_call(t_call: float, pt: Patient) -> float:
        answered, done = sas_line.call(t_call, pt.u_attach)
        sas_wait[pt.rid] = answered - t_call
        return done

    rejoin_p = model.pathways.no_show_rejoin_probability
    asking = _AskingAgain(rejoin_p, n_days * MIN_PER_DAY, streams["rejoin"], cols, defer) if rejoin_p > 0 else None
    router = Router(cap=cap, plan=plan, panels=panels, practices=practices, evenings=evenings,
                    params=p, cols=cols, er_visit=er_visit, defer=defer,
                    sas_call=sas_call if sas_line is not None else None, sas=sas_cfg,
                    missed=asking.missed if asking is not None else None)
    demand = DemandGenerator(model.demand, t.age_pop, months, keep=plan.demand_keep, keep_from_day=plan.prevention_day,
                             tele_eligibility=plan.tele_eligibility, tele_old_factor=plan.tele_old_factor)
    weekly: list[tuple[int, float]] = []
    loss_per_week = 1 - (1 - model.pathways.mt_loss_rate_per_year) ** (7 / 365)
    departures = list(plan.departures)
    base_cap = plan.panel_cap.copy()

    def handle_pending(kind: str, pt: Patient, t_now: float) -> None:
        if kind == "routine":
            router.routine(pt, t_now, cols.attempts[pt.rid])
        elif kind == "sas":
            router.after_sas(pt, t_now)
        elif kind == "rejoin":
            router.routine(asking.request(pt, t_now), t_now, 1)

    draw, dirty, routine, acute, mt_col, heappop = (panels.draw, panels.dirty, router.routine, router.acute, cols.mt,
                                                    heapq.heappop)

    def day_loop():
        for d in range(book_days):
            today[0] = d
            due = later.pop(d, None)
            if due:  # every request of an earlier day was handled: the heap is empty
                pending.extend(due)
                heapq.heapify(pending)
            offset = cols.rows  # request ids: the rows so far (requests made again take theirs when made)
            while departures and departures[0][0] <= d:
                panels.release(departures.pop(0)[1])
            if plan.campaign is not None and plan.campaign[0] == d:
                panels.campaign(*plan.campaign[1:], km=t.km_commune_practice[:, t.clinician_practice])
            for c, rate, start_day in plan.cap_growth:
                if d >= start_day:
                    panels.cap[c] = np.ceil(base_cap[c] * (1 + rate * (d - start_day) / 365.0))
            day_end = (d + 1) * MIN_PER_DAY
            if d < n_days:
                r = demand.day(d, streams["arrivals"], streams["attributes"])
                cols.grow(len(r))
                # what the event log needs of the day's requests, compactly (the uniforms are not kept)
                chunks.append({"t": r.t, "need": r.need.astype(np.int8), "commune": r.commune.astype(np.int32),
                               "age": r.age.astype(np.int8), "tele_eligible": r.tele_eligible})
                serv = service_times(r.u_service, er_pr.service_minutes_mean, er_pr.service_distribution,
                                     er_pr.service_cv)
                prio = np.searchsorted(er_triage_cum, r.u_triage, side="right") + 1
                # every request's MT drawn at once from the registrations as they are now; a
                # request whose commune has registered someone since is drawn again when made
                mts = panels.draw_day(r.commune, r.u_mt)
                # The day's requests laid out row by row: a block of them is then read as two
                # runs of memory (its numbers, its integers), not as sixteen columns that a large
                # territory's day has long pushed out of the processor's caches by then.
                reals = _rows((r.t, r.u_mt, r.patience, r.travel_km, r.u_uptake, r.u_no_show, r.u_retry, r.u_er,
                               r.u_sas, r.u_attach, serv), np.float64)
                ints = _rows((r.need, r.commune, r.tele_eligible, prio, mts), np.int32)
                n_today = len(r)
            else:
                n_today = 0
            # The day's requests as Python rows, a block at a time: a block's objects stay in
            # the processor's cache while it is handled (a whole day of a large territory would not).
            for b0 in range(0, n_today, ROW_BLOCK):
                rows = zip(reals[b0:b0 + ROW_BLOCK].tolist(), ints[b0:b0 + ROW_BLOCK].tolist())
                for rid, ((tt, u_mt, patience, travel, u_up, u_ns, u_rt, u_er, u_sas, u_at, sv),
                          (need, commune, tele_ok, pr, mt)) in enumerate(rows, offset + b0):
                    while pending and pending[0][0] <= tt:
                        t_p, _, kind, pt = heappop(pending)
                        handle_pending(kind, pt, t_p)
                    if dirty[commune]:
                        mt = draw(commune, u_mt)
                    mt_col[rid] = mt
                    if need == NEED_ROUTINE:
                        routine(Patient(rid, commune, mt, patience, travel, tele_ok, u_up, u_ns, u_rt, u_er, u_sas,
                                        u_at, sv), tt, 1)
                    elif need == NEED_EMERGENCY:
                        cols.outcome[rid] = ER_CHANNEL
                        cols.path[rid] = ER_PATH
                        er_visit(rid, tt, commune, False, sv, pr)
                    else:
                        acute(Patient(rid, commune, mt, patience, travel, tele_ok, u_up, u_ns, u_rt, u_er, u_sas, u_at,
                                      sv), tt)
            while pending and pending[0][0] < day_end:
                t_p, _, kind, pt = heapq.heappop(pending)
                handle_pending(kind, pt, t_p)
            if d % 7 == 6:
                panels.lose(streams["panels"], loss_per_week)
                weekly.append((d // 7, panels.without_mt_share()))
            yield env.timeout(MIN_PER_DAY)

    env.process(day_loop())
    # The event loop makes millions of short-lived objects and almost no reference cycles
    # (about a thousand a year): the cyclic collector would only walk the books again
    # and again, at a cost that grows with the territory.
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        env.run(until=book_days * MIN_PER_DAY)
        while any(s.queue or s.busy for s in sites):  # drain the ERs
            env.step()
    finally:
        if gc_was_on:
            gc.enable()

    r_all = _request_columns(chunks, asking.rows if asking is not None else None)
    _fill_distances(cols, r_all["commune"], t, cap.tele_provider)
    events = build_frame(replication, r_all["t"], r_all["need"], r_all["commune"], r_all["age"],
                         r_all["tele_eligible"], cols, t.commune_code, model.demand.age_bands, sas_wait)
    w0, w1 = run.warmup_days * MIN_PER_DAY, n_days * MIN_PER_DAY
    books = cap.clinician_books + [cap.tele_book] + cap.evening_books
    offered = pd.DataFrame({"provider": np.arange(len(books), dtype=np.int32),
                            "offered": [b.offered_between(w0, w1) for b in books]})
    er_stats = pd.DataFrame({"site": [s.name for s in t.er_sites],
                             "served": [s.n_served for s in sites],
                             "busy_minutes": [s.busy_minutes for s in sites],
                             "area_queue": [s.area_queue for s in sites],
                             "minutes": [env.now] * len(sites)})
    return ReplicationResult(replication, events, pd.DataFrame(weekly, columns=["week", "without_mt_share"]), offered,
                       er_stats, (float(w0), float(w1)), float(t.population.sum()), cap.provider_names)

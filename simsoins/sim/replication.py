"""One replication of the territory (« une réplication »): demand, books, pathways and ERs
wired on SimPy.

``simulate(territory, model, run, replication)`` returns a
:class:`~simsoins.results.record.ReplicationResult`, plain data that pickles across worker
processes: the event log, the weekly series and the offered capacity.  The SimPy
environment drives the calendar: a daily process that handles the day's requests in time
order (:class:`ReplicationRun`), an hourly ER staffing change, ER arrivals and service
completions as event callbacks, and a weekly snapshot.
"""

from __future__ import annotations

import gc
from collections import deque
from itertools import count

import numpy as np
import pandas as pd
import simpy

from simsoins.config.model import ModelConfig, RunConfig
from simsoins.fast.memory import huge_pages
from simsoins.levers import Plan, make_plan
from simsoins.levers.hopital_proximite import UNIT_KIND
from simsoins.results.eventlog import CH, LogColumns, build_frame
from simsoins.results.record import ReplicationResult
from simsoins.results.yearly import year_windows
from simsoins.sim.asking_again import AskingAgain
from simsoins.sim.capacity import build_capacity, expected_er_arrivals
from simsoins.sim.channels import INF
from simsoins.sim.clock import DAYS_PER_WEEK, MIN_PER_DAY, month_index, weeks_until_july
from simsoins.sim.day_rows import (
    COMMUNE,
    ER_SERVICE,
    MT,
    NEED,
    PATIENCE,
    TELE_OK,
    TRIAGE,
    U_MT,
    DayRows,
    T,
    day_rows,
)
from simsoins.sim.deferred import ASKS_AGAIN, RETRY, SAS_ANSWERED, Deferred
from simsoins.sim.demand import NEED_EMERGENCY, NEED_ROUTINE, DemandGenerator
from simsoins.sim.er import ErArrivals, hourly_driver, service_times
from simsoins.sim.nearby import Nearby, reach_radius_km
from simsoins.sim.panels import Panels
from simsoins.sim.params import PathwayParams
from simsoins.sim.patient import Patient
from simsoins.sim.result import er_table, fill_distances, logged_attributes, offered_table, request_columns
from simsoins.sim.router import Router
from simsoins.sim.sas import SasLine
from simsoins.sim.streams import replication_streams
from simsoins.sim.walkin import WalkIns
from simsoins.territory import Territory
from simsoins.vocabulary import DAYS_PER_YEAR

ER_CHANNEL = CH["er"]
ER_PATH = 1 << CH["er"]


def simulate(territory: Territory, model: ModelConfig, run: RunConfig, replication: int,
             plan: Plan | None = None) -> ReplicationResult:
    """Simulate replication ``replication`` (warm-up + horizon) and return its results."""
    with huge_pages(False):  # but for the books (memory.py)
        one = ReplicationRun(territory, model, run, replication, plan)
        one.run()
        return one.result()


class ReplicationRun:
    """One replication: built by the constructor, run by :meth:`run`, read by :meth:`result`.

    Demand lasts ``n_days`` days (warm-up + horizon); the books run ``book_days`` days, a
    tail long enough for the last requests to reach an outcome.  Each day
    (:meth:`_run_day`) starts with the panels' changes of the day, then handles the day's
    requests in time order, each after the deferred work due by its time (retries, SAS
    calls ending, patients asking again), then the rest of the day's deferred work."""

    def __init__(self, territory: Territory, model: ModelConfig, run: RunConfig, replication: int,
                 plan: Plan | None = None) -> None:
        self.plan = plan or make_plan(territory, model, run)
        self.t = self.plan.territory
        self.model, self.run_cfg, self.replication = model, run, replication
        self.streams = replication_streams(run.seed, replication)
        self.params = PathwayParams.from_model(model)
        self.n_days = run.end_day
        self.book_days = self.n_days + self.params.tail_days()
        self._set_up_capacity()
        self.env = simpy.Environment()
        self.cols = LogColumns()
        self._set_up_er()
        self._set_up_pathways()
        self._set_up_demand()
        self._set_up_panel_changes()

    # ------------------------------------------------------------------ set-up
    def _set_up_capacity(self) -> None:
        """Books, ER staffing, MT registrations and each commune's sites within reach."""
        plan, t, model = self.plan, self.t, self.model
        self.nearest_er = t.km_commune_er.argmin(axis=1)
        self.cap = build_capacity(plan, model, self.book_days, self.streams["leave"],
                                  weeks_until_july(self.run_cfg.start), expected_er_arrivals(t, model, self.nearest_er))
        self.panels = Panels(plan.panels, t.population, plan.panel_cap, plan.mt_capable)
        radius = reach_radius_km(model.demand.travel_km.median, model.demand.travel_km.sigma)
        # unscheduled-care units are reached on their own (router.py), not as practices
        self.unit_practices = [q for q, kind in enumerate(t.practice_kind) if kind == UNIT_KIND]
        km = t.km_commune_practice.copy()
        km[:, self.unit_practices] = np.inf
        self.practices = Nearby(km, radius)
        self.units = Nearby(t.km_commune_practice[:, self.unit_practices], radius) if self.unit_practices else None
        self.evenings = Nearby(t.km_commune_evening, radius)
        self.walkins = WalkIns(plan, model.pathways.walkin, t.age_pop.shape[1], model.demand.travel_km.median,
                               tuple(self.unit_practices))

    def _set_up_er(self) -> None:
        """The ER sites, their hourly staffing and the patients' way to them."""
        er = self.model.er
        self.er = ErArrivals(self.env, self.cap.er_doctors, self.nearest_er, er.avoidable_service_factor,
                             len(er.triage_shares), self.cols)
        self.env.process(hourly_driver(self.env, self.er.sites))
        self.er_triage_cum = np.cumsum(er.triage_shares)

    def _set_up_pathways(self) -> None:
        """The router, the SAS line if the lever is on, the patients asking again if they do."""
        model, sas = self.model, self.model.levers.sas
        self.deferred = Deferred()
        self.sas_wait: dict[int, float] = {}  # request id → minutes until the SAS regulator answered
        self.sas_line = SasLine(sas.regulators, sas.call_minutes_mean, sas.hold_minutes_mean) if sas.enabled else None
        rejoin = model.pathways.no_show_rejoin_probability
        self.asking = (AskingAgain(rejoin, self.n_days * MIN_PER_DAY, self.streams["rejoin"], self.cols,
                                   self.deferred.push) if rejoin > 0 else None)
        self.router = Router(cap=self.cap, plan=self.plan, panels=self.panels, practices=self.practices,
                             evenings=self.evenings, params=self.params, cols=self.cols, er_visit=self.er.visit,
                             defer=self.deferred.push, sas_call=self._sas_call if self.sas_line is not None else None,
                             sas=sas, missed=self.asking.missed if self.asking is not None else None,
                             walkins=self.walkins, units=self.units, unit_practices=self.unit_practices)

    def _set_up_demand(self) -> None:
        """The requests' generator, and where each day's requests are kept for the event log."""
        plan, months = self.plan, month_index(self.run_cfg.start, self.book_days)
        self.demand = DemandGenerator(self.model.demand, self.t.age_pop, months, keep=plan.demand_keep,
                                      keep_from_day=plan.prevention_day, tele_eligibility=plan.tele_eligibility,
                                      tele_old_factor=plan.tele_old_factor, age_pop_by_year=plan.age_pop_by_year,
                                      age_pop_from_day=plan.age_pop_from_day)
        self.logged: list[dict[str, np.ndarray]] = []  # each day's requests, as the event log needs them

    def _set_up_panel_changes(self) -> None:
        """What changes the MT registrations over time, and the weekly series of patients
        without an MT."""
        self.departures = deque(self.plan.departures)  # (day, clinician), by day
        self.transfers = deque(self.plan.transfers)  # (day, clinician, to), by day
        self.base_cap = self.plan.panel_cap.copy()
        self.loss_per_week = 1 - (1 - self.model.pathways.mt_loss_rate_per_year) ** (DAYS_PER_WEEK / DAYS_PER_YEAR)
        self.weekly: list[tuple[int, float]] = []  # (week, share of patients without an MT)

    # ------------------------------------------------------------------ run
    def run(self) -> None:
        """Every day of the books, then the ERs until their last patient is seen."""
        self.env.process(self._days())
        # The event loop makes millions of short-lived objects and almost no reference cycles
        # (about a thousand a year): the cyclic collector would only walk the books again
        # and again, at a cost that grows with the territory.
        gc_was_on = gc.isenabled()
        gc.disable()
        try:
            self.env.run(until=self.book_days * MIN_PER_DAY)
            while self.er.busy():  # drain the ERs
                self.env.step()
        finally:
            if gc_was_on:
                gc.enable()

    def _days(self):
        """SimPy process: one day after another."""
        for d in range(self.book_days):
            self._run_day(d)
            yield self.env.timeout(MIN_PER_DAY)

    def _run_day(self, d: int) -> None:
        """Day ``d``: its start, its requests (while demand lasts), the rest of its deferred
        work, and on the week's last day the weekly snapshot."""
        self.deferred.start_day(d)
        self._start_day(d)
        if d < self.n_days:
            first_rid = self.cols.rows  # request ids: the rows so far
            self._handle_requests(self._draw_requests(d), first_rid)
        self._resume_before((d + 1) * MIN_PER_DAY)
        if d % DAYS_PER_WEEK == DAYS_PER_WEEK - 1:
            self._weekly_snapshot(d)

    def _start_day(self, d: int) -> None:
        """The panels' changes of day ``d``: GPs leaving or moving practice, the MT
        campaign, panels growing."""
        panels, plan, t = self.panels, self.plan, self.t
        while self.departures and self.departures[0][0] <= d:
            panels.release(self.departures.popleft()[1])
        while self.transfers and self.transfers[0].day <= d:
            move = self.transfers.popleft()
            panels.transfer(move.clinician, move.to)
        if plan.campaign is not None and plan.campaign[0] == d:
            panels.campaign(*plan.campaign[1:], km=t.km_commune_practice[:, t.clinician_practice])
        for c, rate, start_day in plan.cap_growth:
            if d >= start_day:
                panels.cap[c] = np.ceil(self.base_cap[c] * (1 + rate * (d - start_day) / DAYS_PER_YEAR))

    def _draw_requests(self, d: int) -> DayRows:
        """The requests made on day ``d``, with their ER service time, triage priority and
        MT drawn from the registrations as they are now (a request whose commune has
        registered someone since is drawn again when made)."""
        r = self.demand.day(d, self.streams["arrivals"], self.streams["attributes"])
        self.cols.grow(len(r))
        self.logged.append(logged_attributes(r))
        er = self.model.er
        service = service_times(r.u_service, er.service_minutes_mean, er.service_distribution, er.service_cv)
        triage = np.searchsorted(self.er_triage_cum, r.u_triage, side="right") + 1
        return day_rows(r, er_service=service, triage=triage, mt=self.panels.draw_day(r.commune, r.u_mt),
                        u_walkin=self.walkins.scaled_uniforms(r.u_walkin, r.age))

    def _handle_requests(self, day: DayRows, first_rid: int) -> None:
        """The day's requests, whose ids start at ``first_rid``, a block of rows at a time."""
        for b, reals, ints in day.blocks():
            self._handle_block(first_rid + b, reals, ints)

    def _handle_block(self, first_rid: int, reals: list, ints: list) -> None:
        """Requests ``first_rid``, ``first_rid`` + 1, … (rows of :mod:`~simsoins.sim.day_rows`)
        in time order, each after the deferred work due by its time."""
        heap, resume_until, emergency = self.deferred.heap, self._resume_until, self._emergency
        dirty, draw, mt_col = self.panels.dirty, self.panels.draw, self.cols.mt
        routine, acute = self.router.routine, self.router.acute
        for rid, real, integer in zip(count(first_rid), reals, ints):
            t = real[T]
            if heap and heap[0][0] <= t:
                resume_until(t)
            commune, mt, need = integer[COMMUNE], integer[MT], integer[NEED]
            if dirty[commune]:
                mt = draw(commune, real[U_MT])
            mt_col[rid] = mt
            if need == NEED_EMERGENCY:
                emergency(rid, t, commune, real[ER_SERVICE], integer[TRIAGE])
                continue
            # the row's reals from PATIENCE on are Patient's real fields, in order (day_rows.py)
            pt = Patient(rid, commune, mt, integer[TELE_OK], *real[PATIENCE:])
            if need == NEED_ROUTINE:
                routine(pt, t, 1)
            else:
                acute(pt, t)

    def _emergency(self, rid: int, t: float, commune: int, service: float, triage: int) -> None:
        """An emergency goes straight to the ER."""
        self.cols.outcome[rid] = ER_CHANNEL
        self.cols.path[rid] = ER_PATH
        self.cols.t_exit[rid] = t
        self.er.visit(rid, t, commune, False, service, triage)

    # ------------------------------------------------------------------ deferred work
    def _resume_until(self, t: float) -> None:
        """Deferred work due at or before ``t``, in order (including what it defers)."""
        heap, pop, resume = self.deferred.heap, self.deferred.pop, self._resume
        while heap and heap[0][0] <= t:
            t_due, _, kind, pt = pop()
            resume(kind, pt, t_due)

    def _resume_before(self, t: float) -> None:
        """Deferred work due before ``t``, in order (including what it defers)."""
        heap, pop, resume = self.deferred.heap, self.deferred.pop, self._resume
        while heap and heap[0][0] < t:
            t_due, _, kind, pt = pop()
            resume(kind, pt, t_due)

    def _resume(self, kind: str, pt: Patient, t: float) -> None:
        """Deferred work of ``kind`` (deferred.py) for ``pt``, due at ``t``."""
        if kind == RETRY:
            self.router.routine(pt, t, self.cols.attempts[pt.rid])
        elif kind == SAS_ANSWERED:  # the call is over: answered, or the caller hung up
            if pt.rid in self.sas_wait:
                self.router.after_sas(pt, t)
            else:
                self.router.after_sas_hang_up(pt, t)
        elif kind == ASKS_AGAIN and self.asking is not None:
            self.router.routine(self.asking.request(pt, t), t, 1)

    def _sas_call(self, t_call: float, pt: Patient) -> float:
        """Router callback: the patient calls the SAS at ``t_call``; the time the call ends
        (answered: its wait is logged) or the caller hangs up.  The patient's patience is
        what is left of it then: the wait for care counts from the request."""
        assert self.sas_line is not None
        answered, done = self.sas_line.call(t_call, pt.u_attach, pt.u_hangup)
        if answered < INF:
            self.sas_wait[pt.rid] = answered - t_call
        pt.patience -= done - t_call
        return done

    def _weekly_snapshot(self, d: int) -> None:
        """End of a week: some patients lose their MT (moves, changes of GP), and the share
        without one is recorded."""
        self.panels.lose(self.streams["panels"], self.loss_per_week)
        self.weekly.append((d // DAYS_PER_WEEK, self.panels.without_mt_share()))

    # ------------------------------------------------------------------ result
    def result(self) -> ReplicationResult:
        """The replication's event log and tables, once :meth:`run` is over."""
        t, cap, run = self.t, self.cap, self.run_cfg
        req = request_columns(self.logged, self.asking.rows if self.asking is not None else None)
        fill_distances(self.cols, req["commune"], t, cap.tele_provider)
        events = build_frame(self.replication, req["t"], req["need"], req["commune"], req["age"],
                             req["tele_eligible"], self.cols, t.commune_code, self.model.demand.age_bands,
                             self.sas_wait)
        w0, w1 = run.warmup_days * MIN_PER_DAY, self.n_days * MIN_PER_DAY
        return ReplicationResult(
            replication=self.replication,
            events=events,
            weekly=pd.DataFrame(self.weekly, columns=["week", "without_mt_share"]),
            offered=offered_table(cap, w0, w1),
            er_stats=er_table(t, self.er.sites, self.env.now),
            window=(float(w0), float(w1)),
            population=float(t.population.sum()),
            provider_names=cap.provider_names,
            offered_years=[offered_table(cap, a, b) for a, b in year_windows((w0, w1), run.years)]
            if run.years > 1 else [],
        )

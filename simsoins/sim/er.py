"""Emergency departments (« services d'urgences »): a real queue.

Each site has doctors on an hourly staffing profile and a waiting line ordered by triage
priority (1 = most urgent; avoidable visits from primary-care overflow come last), then
by arrival.  Service is not pre-empted: when staffing drops, doctors finish the patient in
hand.  Everything runs on SimPy events with plain callbacks — no process per patient.
The wait recorded is the time to first doctor contact (« délai de prise en charge
médicale »).
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Callable

import numpy as np
import simpy

from simsoins.results.eventlog import LogColumns
from simsoins.sim.clock import HOURS_PER_DAY, MIN_PER_HOUR
from simsoins.vocabulary import AVOIDABLE_ER_PRIORITY


class EmergencyDepartment:
    """One ER site: hourly staffed doctors, a priority queue, callbacks on a SimPy env."""

    def __init__(self, env: simpy.Environment, doctors_by_hour, on_start: Callable[[int, float], None]) -> None:
        if len(doctors_by_hour) != HOURS_PER_DAY:
            raise ValueError(f"doctors_by_hour needs {HOURS_PER_DAY} values")
        self.env = env
        self.doctors_by_hour = [round(x) for x in doctors_by_hour]
        self.capacity = self.doctors_by_hour[0]
        self.busy = 0
        self.queue: list[tuple[int, float, int, float]] = []
        self.on_start = on_start
        self.busy_minutes = 0.0
        self.staffed_minutes = 0.0
        self._last_change = 0.0
        self.n_served = 0
        self.area_queue = 0.0  # ∫ queue length dt, for Little's law
        self._last_q = 0.0

    def _account(self) -> None:
        now = self.env.now
        self.area_queue += len(self.queue) * (now - self._last_q)
        self._last_q = now

    def set_hour(self, hour: int) -> None:
        """Apply the staffing of hour-of-day ``hour`` (called at each full hour)."""
        self.capacity = self.doctors_by_hour[hour % HOURS_PER_DAY]
        self._start_waiting()

    def arrive(self, request_id: int, priority: int, service_minutes: float) -> None:
        """A patient registers now."""
        self._account()
        heapq.heappush(self.queue, (priority, self.env.now, request_id, service_minutes))
        self._start_waiting()

    def _start_waiting(self) -> None:
        while self.queue and self.busy < self.capacity:
            self._account()
            _, t_arrival, request_id, service = heapq.heappop(self.queue)
            self.busy += 1
            self.n_served += 1
            self.busy_minutes += service
            self.on_start(request_id, self.env.now - t_arrival)
            self.env.timeout(service).callbacks.append(self._done)

    def _done(self, _event) -> None:
        self.busy -= 1
        self._start_waiting()


class ErArrivals:
    """Patients on their way to the ER (« passages aux urgences »), each to the site nearest
    their commune, who register there at their time.

    They come in time order (the day loop hands requests over in time order), so they wait
    in a queue walked by one timeout at a time, rather than as an event per arrival waiting
    in SimPy's queue all day.  The site, triage priority and, when the patient is seen, the
    wait are written in the event log's columns."""

    def __init__(self, env: simpy.Environment, doctors: list[list[int]], nearest_site: np.ndarray,
                 avoidable_service_factor: float, triage_levels: int, cols: LogColumns) -> None:
        self.env, self.cols = env, cols
        self.sites = [EmergencyDepartment(env, d, self._seen) for d in doctors]
        self.nearest_site = nearest_site  # commune → ER site
        self.avoidable_service_factor = avoidable_service_factor
        assert triage_levels < AVOIDABLE_ER_PRIORITY  # checked with the config (ErConfig.check)
        self._waiting: deque[tuple[float, EmergencyDepartment, int, int, float]] = deque()

    def visit(self, rid: int, t_arrive: float, commune: int, avoidable: bool, service: float, priority: int) -> None:
        """Request ``rid`` reaches the ER at ``t_arrive`` (minutes), needing ``service``
        minutes of a doctor at triage ``priority``.  An avoidable visit (primary care had
        nothing in time) takes a share of that time and comes after every triage level."""
        site = int(self.nearest_site[commune])
        if avoidable:
            service *= self.avoidable_service_factor
            priority = AVOIDABLE_ER_PRIORITY  # after every triage level
        self.cols.er_site[rid] = site
        self.cols.er_priority[rid] = priority
        waiting = self._waiting
        if waiting and t_arrive < waiting[-1][0]:
            raise RuntimeError(f"ER arrival at {t_arrive} after one at {waiting[-1][0]}: requests out of order")
        waiting.append((t_arrive, self.sites[site], rid, priority, service))
        if len(waiting) == 1:
            self.env.timeout(t_arrive - self.env.now).callbacks.append(self._next)

    def _next(self, _event) -> None:
        """The first patient waiting registers now; the walk waits for the next one."""
        _, site, rid, priority, service = self._waiting.popleft()
        site.arrive(rid, priority, service)
        if self._waiting:
            self.env.timeout(self._waiting[0][0] - self.env.now).callbacks.append(self._next)

    def _seen(self, rid: int, wait: float) -> None:
        """Site callback: a doctor sees request ``rid`` after ``wait`` minutes."""
        self.cols.er_wait[rid] = wait

    def busy(self) -> bool:
        """Whether any site still has patients waiting or in hand."""
        return any(s.queue or s.busy for s in self.sites)


def staffing_rule(arrivals_per_hour: np.ndarray, service_minutes: float, target_occupancy: float,
                  min_doctors: int) -> list[int]:
    """Doctors per hour of day sized so that expected occupancy ≤ ``target_occupancy``
    (assumption: the real rosters of the territory's ERs are not public)."""
    load = np.asarray(arrivals_per_hour) * service_minutes / MIN_PER_HOUR
    return [max(min_doctors, math.ceil(x / target_occupancy)) for x in load]


def service_times(u: np.ndarray, mean: float, distribution: str, cv: float) -> np.ndarray:
    """Service times (minutes) from uniforms ``u`` by inversion, so that common random
    numbers give the same patient the same time in every scenario."""
    from scipy.special import ndtri

    u = np.clip(u, 1e-12, 1 - 1e-12)
    if distribution == "exponential":
        return -mean * np.log1p(-u)
    if distribution == "deterministic":
        return np.full_like(u, mean)
    sigma = math.sqrt(math.log1p(cv * cv))
    mu = math.log(mean) - sigma * sigma / 2
    return np.exp(mu + sigma * ndtri(u))


def hourly_driver(env: simpy.Environment, sites: list[EmergencyDepartment]):
    """SimPy process: change every site's staffing on the hour."""
    hour = 0
    while True:
        for s in sites:
            s.set_hour(hour)
        yield env.timeout(MIN_PER_HOUR)
        hour = (hour + 1) % HOURS_PER_DAY

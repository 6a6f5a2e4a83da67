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
from collections.abc import Callable

import numpy as np
import simpy

from simsoins.sim.clock import MIN_PER_HOUR


class EmergencyDepartment:
    """One ER site: hourly staffed doctors, a priority queue, callbacks on a SimPy env."""

    def __init__(self, env: simpy.Environment, doctors_by_hour, on_start: Callable[[int, float], None]) -> None:
        if len(doctors_by_hour) != 24:
            raise ValueError("doctors_by_hour needs 24 values")
        self.env = env
        self.doctors_by_hour = [int(round(x)) for x in doctors_by_hour]
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
        self.capacity = self.doctors_by_hour[hour % 24]
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
        hour = (hour + 1) % 24

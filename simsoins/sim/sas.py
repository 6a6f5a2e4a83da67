"""SAS regulation line (« service d'accès aux soins », 116 117 / 15): calls queue first
come, first served for the regulators on duty; each call takes a regulator's time.

Calls reach the line in time order (the day callback handles requests in time order), so
the first-come-first-served multi-server queue is computed exactly by giving each call
the seat that can answer it first — the Kiefer–Wolfowitz recursion — with seats on duty
by hour of day.
"""

from __future__ import annotations

import math

from simsoins.sim.clock import HOURS_PER_DAY, MIN_PER_HOUR


class SasLine:
    """Regulators on an hourly roster answering calls in arrival order."""

    def __init__(self, regulators_by_hour, call_minutes_mean: float) -> None:
        self.roster = [round(x) for x in regulators_by_hour]
        self.free = [0.0] * max(max(self.roster), 0)
        self.call_mean = call_minutes_mean
        self.n_calls = 0
        self.total_wait = 0.0

    def _on_duty_from(self, seat: int, t: float) -> float:
        """Earliest time ≥ t when ``seat`` is on duty (inf if never)."""
        for k in range(HOURS_PER_DAY * 8):  # the roster repeats every day: past this, never
            hour_start = (math.floor(t / MIN_PER_HOUR) + k) * MIN_PER_HOUR
            if seat < self.roster[int(hour_start // MIN_PER_HOUR) % HOURS_PER_DAY]:
                return max(t, hour_start)
        return math.inf

    def call(self, t: float, u: float) -> tuple[float, float]:
        """A call at ``t`` with uniform ``u``: (time answered, time the call ends)."""
        best, seat = math.inf, -1
        for s, free in enumerate(self.free):
            a = self._on_duty_from(s, max(t, free))
            if a < best:
                best, seat = a, s
        if seat < 0:
            return math.inf, math.inf
        length = -self.call_mean * math.log1p(-min(u, 1 - 1e-12))
        self.free[seat] = best + length
        self.n_calls += 1
        self.total_wait += best - t
        return best, best + length

"""SAS regulation line (« service d'accès aux soins », 116 117 / 15): calls queue first
come, first served for the regulators on duty; each answered call takes a regulator's
time; a caller not answered within their patience hangs up (« appel perdu »).

Calls reach the line in time order (the day callback handles requests in time order), so
the first-come-first-served multi-server queue is computed exactly by giving each call
the seat that can answer it first — the Kiefer–Wolfowitz recursion — with seats on duty
by hour of day.  With abandonment the recursion still holds: the time a call *would* be
answered (its offered wait) depends only on the earlier calls that were answered, so a
caller whose offered wait exceeds their patience leaves at arrival + patience and no seat
is taken: the next caller gets the seat (Erlang-A, M/M/c+M, with exponential patience).
"""

from __future__ import annotations

import math

from simsoins.sim.clock import HOURS_PER_DAY, MIN_PER_HOUR


def exponential_minutes(mean: float, u: float) -> float:
    """An exponential draw of mean ``mean`` by inversion of the uniform ``u``."""
    return -mean * math.log1p(-min(u, 1 - 1e-12))


class SasLine:
    """Regulators on an hourly roster answering calls in arrival order; callers hold on
    for an exponential patience of mean ``hold_minutes_mean`` (inf: they never hang up)."""

    def __init__(self, regulators_by_hour, call_minutes_mean: float, hold_minutes_mean: float = math.inf) -> None:
        self.roster = [round(x) for x in regulators_by_hour]
        self.free = [0.0] * max(max(self.roster), 0)
        self.call_mean = call_minutes_mean
        self.hold_mean = hold_minutes_mean
        self.n_calls = 0  # answered
        self.n_abandoned = 0  # hung up before an answer
        self.total_wait = 0.0  # minutes, over the answered calls

    def _on_duty_from(self, seat: int, t: float) -> float:
        """Earliest time ≥ t when ``seat`` is on duty (inf if never)."""
        for k in range(HOURS_PER_DAY * 8):  # the roster repeats every day: past this, never
            hour_start = (math.floor(t / MIN_PER_HOUR) + k) * MIN_PER_HOUR
            if seat < self.roster[int(hour_start // MIN_PER_HOUR) % HOURS_PER_DAY]:
                return max(t, hour_start)
        return math.inf

    def hold_minutes(self, u: float) -> float:
        """How long a caller with uniform ``u`` holds on (minutes)."""
        return exponential_minutes(self.hold_mean, u) if self.hold_mean < math.inf else math.inf

    def call(self, t: float, u: float, u_hold: float = 0.0) -> tuple[float, float]:
        """A call at ``t``: ``u`` draws its length, ``u_hold`` the caller's patience.
        (time answered, time the call ends) if answered; (inf, time the caller hangs up)
        if not answered within the patience."""
        best, seat = math.inf, -1
        for s, free in enumerate(self.free):
            a = self._on_duty_from(s, max(t, free))
            if a < best:
                best, seat = a, s
        hold = self.hold_minutes(u_hold)
        if best - t > hold or seat < 0:
            self.n_abandoned += 1
            return math.inf, t + hold
        length = exponential_minutes(self.call_mean, u)
        self.free[seat] = best + length
        self.n_calls += 1
        self.total_wait += best - t
        return best, best + length

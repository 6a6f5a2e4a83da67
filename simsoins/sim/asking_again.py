"""Routine patients who miss an appointment (« lapin ») and ask again (Green & Savin 2008's
rejoining)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from simsoins.results.eventlog import LogColumns
from simsoins.sim.deferred import ASKS_AGAIN
from simsoins.sim.panels import pair_uniforms
from simsoins.sim.patient import Patient

#: Uniforms of one asking again: whether to ask (the first), then the new request's.
UNIFORMS_PER_ASK = 5


class AskingAgain:
    """A routine patient who will miss an appointment asks again, with probability
    ``probability`` (``pathways.no_show_rejoin_probability``), at the time of the missed
    slot.  Each new request has its own row in the event log (id = the next free row, so
    the missed slot stays a booked no-show), the same patient (commune, age, need, MT,
    patience, travel, tele eligibility) and fresh uniforms for what it decides.  Every
    uniform here is a function of the run's ``rejoin`` key, the patient's first request and
    how many times they have asked again (:func:`~simsoins.sim.panels.pair_uniforms`), so
    the stream is drawn once whatever the scenario and the same patient decides the same
    in every scenario (common random numbers).  Only slots before the end of demand
    (``demand_end``, minutes) lead to a new request: the run's tail only lets requests made
    by then reach an outcome."""

    def __init__(self, probability: float, demand_end: float, stream: np.random.Generator, cols: LogColumns,
                 defer: Callable[[float, str, Patient], None]) -> None:
        self.probability, self.demand_end, self.cols, self.defer = probability, demand_end, cols, defer
        self.key = int(stream.integers(0, 2**63))
        #: (time, request id, id of the patient's first request) of every request made again
        self.rows: list[tuple[float, int, int]] = []
        self._first: dict[int, int] = {}
        self._times: dict[int, int] = {}  # first request id → requests made again so far

    def _uniforms(self, pt: Patient, n: int) -> list[float]:
        """``n`` uniforms of the next time the patient of ``pt`` asks again."""
        first = self._first.get(pt.rid, pt.rid)
        times = self._times.get(first, 0)
        slots = np.arange(n, dtype=np.int64) + UNIFORMS_PER_ASK * times
        return pair_uniforms(self.key, np.full(n, first, dtype=np.int64), slots).tolist()

    def missed(self, t_appt: float, pt: Patient) -> None:
        """Router callback at booking, for a routine patient who will not come."""
        if t_appt < self.demand_end and self._uniforms(pt, 1)[0] < self.probability:
            self.defer(t_appt, ASKS_AGAIN, pt)

    def request(self, pt: Patient, t: float) -> Patient:
        """The new request of the patient of ``pt``, made at ``t``."""
        cols = self.cols
        rid = cols.rows
        cols.grow(1)
        cols.mt[rid] = pt.mt
        _, u_uptake, u_no_show, u_retry, u_attach = self._uniforms(pt, UNIFORMS_PER_ASK)
        self._first[rid] = first = self._first.get(pt.rid, pt.rid)
        self._times[first] = self._times.get(first, 0) + 1
        self.rows.append((t, rid, first))
        return pt.asking_again(rid, u_uptake=u_uptake, u_no_show=u_no_show, u_retry=u_retry, u_attach=u_attach)

"""Routine patients who miss an appointment (« lapin ») and ask again (Green & Savin 2008's
rejoining)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from simsoins.results.eventlog import LogColumns
from simsoins.sim.deferred import ASKS_AGAIN
from simsoins.sim.patient import Patient


class AskingAgain:
    """A routine patient who will miss an appointment asks again, with probability
    ``probability`` (``pathways.no_show_rejoin_probability``), at the time of the missed
    slot.  Each new request has its own row in the event log (id = the next free row, so
    the missed slot stays a booked no-show), the same patient (commune, age, need, MT,
    patience, travel, tele eligibility) and fresh uniforms for what it decides, from the
    ``rejoin`` stream.  Only slots before the end of demand (``demand_end``, minutes) lead to a new
    request: the run's tail only lets requests made by then reach an outcome."""

    def __init__(self, probability: float, demand_end: float, stream: np.random.Generator, cols: LogColumns,
                 defer: Callable[[float, str, Patient], None]) -> None:
        self.probability, self.demand_end, self.stream, self.cols, self.defer = (
            probability, demand_end, stream, cols, defer)
        #: (time, request id, id of the patient's first request) of every request made again
        self.rows: list[tuple[float, int, int]] = []
        self._first: dict[int, int] = {}

    def missed(self, t_appt: float, pt: Patient) -> None:
        """Router callback at booking, for a routine patient who will not come."""
        if t_appt < self.demand_end and self.stream.random() < self.probability:
            self.defer(t_appt, ASKS_AGAIN, pt)

    def request(self, pt: Patient, t: float) -> Patient:
        """The new request of the patient of ``pt``, made at ``t``."""
        cols = self.cols
        rid = cols.rows
        cols.grow(1)
        cols.mt[rid] = pt.mt
        self._first[rid] = first = self._first.get(pt.rid, pt.rid)
        self.rows.append((t, rid, first))
        u_uptake, u_no_show, u_retry, u_attach = self.stream.random(4).tolist()
        return pt.asking_again(rid, u_uptake=u_uptake, u_no_show=u_no_show, u_retry=u_retry, u_attach=u_attach)

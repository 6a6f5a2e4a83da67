"""Work the pathways hand back to the day loop for later: routine retries, SAS calls
ending, patients asking again after a missed appointment."""

from __future__ import annotations

import heapq

from simsoins.sim.clock import MIN_PER_DAY
from simsoins.sim.patient import Patient

#: What to do with a deferred patient (:meth:`~simsoins.sim.replication.ReplicationRun._resume`).
RETRY, SAS_ANSWERED, ASKS_AGAIN = "routine", "sas", "rejoin"


class Deferred:
    """Deferred work as (time in minutes, sequence number, kind, patient), handled in time
    order and, at equal times, in the order deferred.

    Those of the day being run are in the heap ``heap``; later ones wait in a list per day
    and go into the heap when their day starts (:meth:`start_day`).  The order is the same as
    one heap of everything, but the heap stays the size of a day's handful, not of a week's
    backlog in a large territory."""

    __slots__ = ("_later", "_seq", "_today", "heap")

    def __init__(self) -> None:
        self.heap: list[tuple[float, int, str, Patient]] = []
        self._later: dict[int, list[tuple[float, int, str, Patient]]] = {}
        self._seq = 0
        self._today = 0

    def push(self, t: float, kind: str, pt: Patient) -> None:
        """Handle ``pt`` (``kind``: RETRY, SAS_ANSWERED or ASKS_AGAIN) at time ``t``."""
        self._seq += 1
        item = (t, self._seq, kind, pt)
        day = int(t // MIN_PER_DAY)
        if day <= self._today:
            heapq.heappush(self.heap, item)
        else:
            self._later.setdefault(day, []).append(item)

    def start_day(self, day: int) -> None:
        """Day ``day`` begins: its deferred work goes into the heap."""
        self._today = day
        due = self._later.pop(day, None)
        if due:  # every item of an earlier day was handled: the heap is empty
            self.heap.extend(due)
            heapq.heapify(self.heap)

    def pop(self) -> tuple[float, int, str, Patient]:
        """The earliest item."""
        return heapq.heappop(self.heap)

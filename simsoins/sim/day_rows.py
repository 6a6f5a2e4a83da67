"""A day's requests as rows, the form the event loop reads them in, their columns named once.

The day loop handles requests one at a time, in time order.  Reading sixteen numpy
columns element by element would touch sixteen places in memory per request, which a
large territory's day has long pushed out of the processor's caches; so the day's
requests are laid out row by row (:func:`simsoins.fast.rows.rows`) in two arrays, their
real numbers and their integers, and each request is two short runs of memory.  A column
is read by the name below: ``real[PATIENCE]``, ``integer[COMMUNE]``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from simsoins.fast.rows import rows
from simsoins.sim.demand import DayRequests

#: Columns of a request's real numbers (``DayRows.reals``): request time (minutes), the
#: uniform that draws the MT, then the real fields of :class:`~simsoins.sim.patient.Patient`
#: in its order: patience (minutes), travel limit (km), its uniforms, and ER doctor time
#: (minutes), then the walk-in, hang-up and seen-anyway uniforms.
(T, U_MT, PATIENCE, TRAVEL_KM, U_UPTAKE, U_NO_SHOW, U_RETRY, U_ER, U_SAS, U_ATTACH, ER_SERVICE, U_WALKIN, U_HANGUP,
 U_SEEN) = range(14)
#: The names of the real columns from PATIENCE on, as Patient names its fields.
PATIENT_REALS = ("patience", "travel", "u_uptake", "u_no_show", "u_retry", "u_er", "u_sas", "u_attach", "er_service",
                 "u_walkin", "u_hangup", "u_seen")
#: Columns of a request's integers (``DayRows.ints``): need (vocabulary.NEEDS), commune,
#: teleconsultation eligibility (0/1), ER triage priority (1 = most urgent) and MT drawn
#: at the start of the day (-1: none).
NEED, COMMUNE, TELE_OK, TRIAGE, MT = range(5)

#: Requests turned into Python lists at a time: few enough that a block's objects are
#: still in the processor's cache when the block is freed.
ROW_BLOCK = 64


@dataclass(frozen=True)
class DayRows:
    """The day's requests in time order, one row each: ``reals[i, T]`` … ``ints[i, MT]``."""

    reals: np.ndarray  # float64, requests × 14
    ints: np.ndarray  # int32, requests × 5

    def __len__(self) -> int:
        return len(self.reals)

    def blocks(self, block: int = ROW_BLOCK) -> Iterator[tuple[int, list, list]]:
        """(index of the block's first request, its real rows, its integer rows) for each
        block of ``block`` requests, as Python lists."""
        for b in range(0, len(self), block):
            yield b, self.reals[b:b + block].tolist(), self.ints[b:b + block].tolist()


def day_rows(r: DayRequests, *, er_service: np.ndarray, triage: np.ndarray, mt: np.ndarray,
             u_walkin: np.ndarray | None = None) -> DayRows:
    """The rows of the day's requests ``r``, with each one's ER doctor time (minutes), ER
    triage priority and MT as drawn now, and its walk-in uniform as the pathways compare it
    (``u_walkin``: scaled by the age band's factor, sim/walkin.py; None: ``r.u_walkin``)."""
    real = {T: r.t, U_MT: r.u_mt, PATIENCE: r.patience, TRAVEL_KM: r.travel_km, U_UPTAKE: r.u_uptake,
            U_NO_SHOW: r.u_no_show, U_RETRY: r.u_retry, U_ER: r.u_er, U_SAS: r.u_sas, U_ATTACH: r.u_attach,
            ER_SERVICE: er_service, U_WALKIN: r.u_walkin if u_walkin is None else u_walkin, U_HANGUP: r.u_hangup,
            U_SEEN: r.u_seen}
    integer = {NEED: r.need, COMMUNE: r.commune, TELE_OK: r.tele_eligible, TRIAGE: triage, MT: mt}
    return DayRows(reals=rows([real[k] for k in range(len(real))], np.float64),
                   ints=rows([integer[k] for k in range(len(integer))], np.int32))

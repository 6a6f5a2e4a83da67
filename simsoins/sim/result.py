"""A finished replication's columns turned into its :class:`~simsoins.results.record.ReplicationResult`
tables: the requests' own attributes, the distances travelled, the slots offered and the
ERs' counters."""

from __future__ import annotations

import numpy as np
import pandas as pd

from simsoins.results.eventlog import CH, LogColumns
from simsoins.sim.capacity import Capacity
from simsoins.sim.demand import DayRequests
from simsoins.sim.er import EmergencyDepartment
from simsoins.territory import Territory

#: Attributes of a request the event log takes from demand, by request id.
LOGGED = ("t", "need", "commune", "age", "tele_eligible")


def logged_attributes(r: DayRequests) -> dict[str, np.ndarray]:
    """What the event log needs of the day's requests ``r``, compactly (the uniforms are
    not kept)."""
    return {"t": r.t, "need": r.need.astype(np.int8), "commune": r.commune.astype(np.int32),
            "age": r.age.astype(np.int8), "tele_eligible": r.tele_eligible}


def request_columns(days: list[dict[str, np.ndarray]],
                    asked_again: list[tuple[float, int, int]] | None) -> dict[str, np.ndarray]:
    """Request time and attributes by request id: the days' requests (``days``, in id
    order, from :func:`logged_attributes`) and the requests made again ((time, id, first
    id) rows), which copy their patient's first request but for the time."""
    out = {k: np.concatenate([day[k] for day in days]) for k in LOGGED}
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


def fill_distances(cols: LogColumns, commune: np.ndarray, t: Territory, tele_provider: int) -> None:
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
    at = np.frombuffer(cols.outcome, dtype=np.int8)[:n] == CH["er"]
    dist[at] = t.km_commune_er[commune[at], er_site[at]]


def offered_table(cap: Capacity, w0: float, w1: float) -> pd.DataFrame:
    """Slots each provider offered between minutes ``w0`` and ``w1``, providers numbered as
    in the event log (clinicians, the teleconsultation platform, evening sites)."""
    books = [*cap.clinician_books, cap.tele_book, *cap.evening_books]
    return pd.DataFrame({"provider": np.arange(len(books), dtype=np.int32),
                         "offered": [b.offered_between(w0, w1) for b in books]})


def er_table(t: Territory, sites: list[EmergencyDepartment], minutes: float) -> pd.DataFrame:
    """Each ER site's counters at the end of the run (``minutes`` after its start)."""
    return pd.DataFrame({"site": [s.name for s in t.er_sites],
                         "served": [s.n_served for s in sites],
                         "busy_minutes": [s.busy_minutes for s in sites],
                         "area_queue": [s.area_queue for s in sites],
                         "minutes": [minutes] * len(sites)})

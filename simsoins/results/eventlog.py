"""The event log: one row per request, with a fixed schema (« journal des demandes »).

Columns are filled during the run into compact typed arrays indexed by request id and
turned into a :class:`pandas.DataFrame` with categoricals at the end.  KPIs, summaries
and dashboards are pure functions of this log.  The schema is pinned by a test; add
columns at the end, never rename one without a note in the changelog.
"""

from __future__ import annotations

from array import array
from typing import ClassVar

import numpy as np
import pandas as pd

from simsoins.vocabulary import BIT, CH, CHANNELS, MIN_PER_DAY  # noqa: F401 (re-exported for the log's readers)
from simsoins.vocabulary import NEEDS as NEED_NAMES

SCHEMA_VERSION = 2

#: Column → dtype of the event log as written to parquet.
SCHEMA = {
    "replication": "int32",
    "request_id": "int64",
    "t_request_min": "float64",
    "day": "int32",
    "commune": "category",
    "age_band": "category",
    "need": "category",
    "has_mt": "bool",
    "mt_clinician": "int32",
    "tele_eligible": "bool",
    "outcome": "category",
    "path": "category",
    "provider": "int32",
    "t_appointment_min": "float64",
    "wait_days": "float64",
    "no_show": "bool",
    "attempts": "int8",
    "distance_km": "float32",
    "er_site": "int16",
    "er_priority": "int8",
    "er_wait_min": "float64",
    "sas_wait_min": "float64",
    # when the request left primary care without a consultation (gave up, went to the ER)
    "t_exit_min": "float64",
}


class LogColumns:
    """Per-request outcome columns, grown by day and written by request id."""

    def __init__(self) -> None:
        self.rows = 0  # rows in use; the arrays hold more, blank, to grow into
        self.outcome = array("b")
        self.path = array("h")
        self.provider = array("i")
        self.t_appt = array("d")
        self.no_show = array("b")
        self.attempts = array("b")
        self.distance = array("f")
        self.mt = array("i")
        self.er_site = array("h")
        self.er_priority = array("b")
        self.er_wait = array("d")
        self.t_exit = array("d")

    #: column → value of a row not yet written
    BLANK: ClassVar[dict[str, float]] = {
        "outcome": -1, "path": 0, "provider": -1, "t_appt": float("nan"), "no_show": 0, "attempts": 1,
        "distance": 0.0, "mt": -1, "er_site": -1, "er_priority": 0, "er_wait": float("nan"),
        "t_exit": float("nan")}

    def grow(self, n: int) -> None:
        """``n`` more blank rows.  The arrays double when full: extended by what is needed,
        they would grow by 1/16 at a time and be copied whole each time (16 copies of the
        log in all).  Array repetition and extension run in C, element-free."""
        need = self.rows + n
        have = len(self.outcome)
        if need > have:
            more = max(need, 2 * have, 1024) - have
            for name, blank in self.BLANK.items():
                col = getattr(self, name)
                col.extend(array(col.typecode, (blank,)) * more)
        self.rows = need


def path_labels(mask: np.ndarray) -> pd.Categorical:
    """Bitmask of channels tried → 'own_gp>other_gp>tele' (channels in pathway order)."""
    # Masks are below 2 ** len(CHANNELS): the masks present, in order, from one count, and
    # each row's code from a table (np.unique would sort the whole column).
    present = np.flatnonzero(np.bincount(mask, minlength=1 << len(CHANNELS)))
    code = np.zeros(1 << len(CHANNELS), dtype=np.int64)
    code[present] = np.arange(len(present))
    labels = [">".join(c for c in CHANNELS if int(m) & BIT[c]) for m in present]
    return pd.Categorical.from_codes(code[mask], categories=labels)  # distinct masks, distinct labels


def _request_columns(replication: int, t_request: np.ndarray, day_request: np.ndarray, need: np.ndarray,
                     commune: np.ndarray, age: np.ndarray, tele_eligible: np.ndarray, commune_codes,
                     age_bands) -> dict[str, object]:
    """The columns that describe each request as it arrived (who, where, when, what need)."""
    n = len(t_request)
    return {
        "replication": np.full(n, replication, dtype=np.int32),
        "request_id": np.arange(n, dtype=np.int64),
        "t_request_min": t_request.astype(np.float64),
        "day": day_request.astype(np.int32),
        "commune": pd.Categorical.from_codes(commune.astype(np.int64), categories=list(commune_codes)),
        "age_band": pd.Categorical.from_codes(age.astype(np.int64), categories=list(age_bands)),
        "need": pd.Categorical.from_codes(need.astype(np.int64), categories=list(NEED_NAMES)),
        "tele_eligible": tele_eligible.astype(bool),
    }


def _outcome_columns(cols: LogColumns, day_request: np.ndarray) -> dict[str, object]:
    """The columns the run wrote for each request (outcome, provider, times): views of the
    log's arrays, copied once here; ``day_request``: each request's day (float)."""
    n = len(day_request)
    t_appt = np.frombuffer(cols.t_appt, dtype=np.float64)[:n]
    mt = np.frombuffer(cols.mt, dtype=np.int32)[:n]
    outcome = np.frombuffer(cols.outcome, dtype=np.int8)[:n]
    return {
        "has_mt": mt >= 0,
        "mt_clinician": mt.copy(),
        "outcome": pd.Categorical.from_codes(outcome.astype(np.int64), categories=list(CHANNELS)),
        "path": path_labels(np.frombuffer(cols.path, dtype=np.int16)[:n]),
        "provider": np.frombuffer(cols.provider, dtype=np.int32)[:n].copy(),
        "t_appointment_min": t_appt.copy(),
        # days from the day of request to the day of the appointment (calendar days)
        "wait_days": np.floor(t_appt / MIN_PER_DAY) - day_request,
        "no_show": np.frombuffer(cols.no_show, dtype=np.int8)[:n].astype(bool),
        "attempts": np.frombuffer(cols.attempts, dtype=np.int8)[:n].copy(),
        "distance_km": np.frombuffer(cols.distance, dtype=np.float32)[:n].copy(),
        "er_site": np.frombuffer(cols.er_site, dtype=np.int16)[:n].copy(),
        "er_priority": np.frombuffer(cols.er_priority, dtype=np.int8)[:n].copy(),
        "er_wait_min": np.frombuffer(cols.er_wait, dtype=np.float64)[:n].copy(),
        "sas_wait_min": np.full(n, np.nan),
        "t_exit_min": np.frombuffer(cols.t_exit, dtype=np.float64)[:n].copy(),
    }


def build_frame(replication: int, t_request: np.ndarray, need: np.ndarray, commune: np.ndarray,
                age: np.ndarray, tele_eligible: np.ndarray, cols: LogColumns, commune_codes, age_bands,
                sas_wait: dict[int, float] | None = None) -> pd.DataFrame:
    """The event log of one replication as a DataFrame with the pinned schema."""
    day_request = np.floor(t_request / MIN_PER_DAY)
    columns = {**_request_columns(replication, t_request, day_request, need, commune, age, tele_eligible,
                                  commune_codes, age_bands),
               **_outcome_columns(cols, day_request)}
    # Columns in schema order, each its own array: the frame takes the arrays as they are
    # (no consolidation into 2-D blocks, which would copy every column again).
    df = pd.DataFrame({name: columns[name] for name in SCHEMA}, copy=False)
    if sas_wait:
        ids = np.fromiter(sas_wait.keys(), dtype=np.int64, count=len(sas_wait))
        df.loc[ids, "sas_wait_min"] = np.fromiter(sas_wait.values(), dtype=float, count=len(sas_wait))
    assert list(df.columns) == list(SCHEMA)
    return df

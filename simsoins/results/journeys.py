"""Where a request's journey started and how much of a week a weekly row covers: the two
facts the dashboard needs to draw flows and weekly series without lying about them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from simsoins.vocabulary import CHANNELS, MIN_PER_DAY, MIN_PER_WEEK

#: The order in which the pathways try channels (sim/router.py, sim/pathways.py): the
#: médecin traitant, another practice (a médicobus stop is one of them, at its distance),
#: the CPTS pool, the SAS, teleconsultation, evening care, the ER, giving up.  A request's
#: ``path`` records *which* channels it tried (a bitmask), not when; the first of them in
#: this order is the first it tried.  One case is ambiguous: an unscheduled-care unit books
#: as ``other_gp`` after teleconsultation, so a path holding both counts as started at
#: another practice.
PATHWAY_ORDER = ("own_gp", "other_gp", "medicobus", "cpts", "sas", "tele", "evening", "er", "gave_up",
                 "sas_advice")


def first_of_path(path: str) -> str:
    """The first channel tried of a ``path`` label ('own_gp>other_gp>tele' → 'own_gp');
    '' for an empty path."""
    tried = set(path.split(">")) if path else set()
    return next((c for c in PATHWAY_ORDER if c in tried), "")


def first_tried(ev: pd.DataFrame) -> pd.Categorical:
    """Each request's first channel tried (categories :data:`CHANNELS`), from its ``path``;
    a request with an empty path (it went straight to its outcome) started at its outcome."""
    cat = ev["path"].cat
    firsts = [first_of_path(str(p)) for p in cat.categories]
    codes = np.array([CHANNELS.index(f) if f else -1 for f in firsts], dtype=np.int64)
    first = codes[cat.codes.to_numpy()] if len(codes) else np.full(len(ev), -1, dtype=np.int64)
    first = np.where(cat.codes.to_numpy() < 0, -1, first)
    first = np.where(first < 0, ev["outcome"].cat.codes.to_numpy(), first)
    return pd.Categorical.from_codes(first, categories=list(CHANNELS))


def week_days(weeks: np.ndarray, window: tuple[float, float]) -> np.ndarray:
    """Days of the measured ``window`` (minutes, whole days) inside each week of ``weeks``
    (week k: days 7k to 7k + 6 of the clock): 7 for a full week, fewer for the week the
    window starts or ends in when it does not start or end on a Monday."""
    start = np.asarray(weeks, dtype=np.float64) * MIN_PER_WEEK
    inside = np.minimum(start + MIN_PER_WEEK, window[1]) - np.maximum(start, window[0])
    return np.clip(np.rint(inside / MIN_PER_DAY), 0, 7).astype(np.int32)

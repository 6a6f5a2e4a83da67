"""The simulation clock: minutes from Monday 00:00 of the first simulated day."""

from __future__ import annotations

import datetime as dt

import numpy as np

# The clock's units, defined in the vocabulary and re-exported for the simulation's modules
from simsoins.vocabulary import DAYS_PER_WEEK, HOURS_PER_DAY, MIN_PER_DAY, MIN_PER_HOUR, MIN_PER_WEEK  # noqa: F401


def month_index(start: dt.date, n_days: int) -> np.ndarray:
    """Calendar month (0 = January) of each simulated day."""
    return np.array([(start + dt.timedelta(days=d)).month - 1 for d in range(n_days)], dtype=np.int64)


def weeks_until_july(start: dt.date) -> int:
    """Whole weeks from ``start`` to the next 1 July (0 if ``start`` is in July): the
    earliest week of the clinicians' summer leave block (:func:`~simsoins.sim.book.leave_days`)."""
    july = dt.date(start.year + (start.month > 7), 7, 1)
    return max(0, (july - start).days // DAYS_PER_WEEK)


def normalised(profile) -> np.ndarray:
    """A multiplicative profile rescaled to mean 1, so it moves *when*, not *how much*."""
    p = np.asarray(profile, dtype=float)
    return p / p.mean()

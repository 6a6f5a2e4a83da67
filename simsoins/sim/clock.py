"""The simulation clock: minutes from Monday 00:00 of the first simulated day."""

from __future__ import annotations

import datetime as dt

import numpy as np

from simsoins.vocabulary import MIN_PER_DAY, MIN_PER_HOUR, MIN_PER_WEEK  # noqa: F401 (the clock's units)


def month_index(start: dt.date, n_days: int) -> np.ndarray:
    """Calendar month (0 = January) of each simulated day."""
    return np.array([(start + dt.timedelta(days=d)).month - 1 for d in range(n_days)], dtype=np.int64)


def normalised(profile) -> np.ndarray:
    """A multiplicative profile rescaled to mean 1, so it moves *when*, not *how much*."""
    p = np.asarray(profile, dtype=float)
    return p / p.mean()

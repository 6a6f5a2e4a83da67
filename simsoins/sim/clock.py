"""The simulation clock: minutes from Monday 00:00 of the first simulated day."""

from __future__ import annotations

import datetime as dt

import numpy as np

MIN_PER_HOUR = 60
MIN_PER_DAY = 1440
MIN_PER_WEEK = 7 * MIN_PER_DAY


def month_index(start: dt.date, n_days: int) -> np.ndarray:
    """Calendar month (0 = January) of each simulated day."""
    return np.array([(start + dt.timedelta(days=d)).month - 1 for d in range(n_days)], dtype=np.int64)


def normalised(profile) -> np.ndarray:
    """A multiplicative profile rescaled to mean 1, so it moves *when*, not *how much*."""
    p = np.asarray(profile, dtype=float)
    return p / p.mean()

"""Selecting the best option of a simulated search (« où agir ») with a stated probability
of correct selection, from replications paired by common random numbers.

``y`` is a replications × options matrix of one KPI, row ``r`` of every option simulated
with the same random numbers (same seed and replication: the same patients), so the
differences of two options are paired. With ``n`` replications and ``k`` options,
``W_ij = t · S_ij / √n`` where ``S_ij`` is the standard deviation of the paired
differences ``y_i − y_j`` and ``t = t_{1−α/(k−1), n−1}`` (a Bonferroni bound: no
assumption on how CRN correlates the options). Lower is better.

- **Subset** (Nelson, Swann, Goldsman & Song 2001, Bonferroni form for CRN): option
  ``i`` is kept if ``ȳ_i ≤ ȳ_j + W_ij`` for every ``j``. The best option is dropped only
  if, for some ``j``, its paired mean difference exceeds its bound, each with
  probability ≤ α/(k−1): P(the best is in the subset) ≥ 1 − α.
- **Multiple comparisons with the best** (Hsu 1984): on the same event, for every option
  ``μ_i − min_{j≠i} μ_j ≤ D_i⁺ = max(0, max_{j≠i}(ȳ_i − ȳ_j + W_ij))``. For the option
  with the best mean, ``δ = D⁺``: P(it is within δ of the best) ≥ 1 − α.
- **Two stages** (Rinott 1978's rule with the Bonferroni paired t, as Nelson & Matejcik
  1995 do under CRN): ``N = max(n, ⌈(t · max S_ij / δ0)²⌉)`` replications of every option
  select one within ``δ0`` of the best with probability ≥ 1 − α.

Each statement assumes the paired differences are normal (means of many patients: a
replication's KPI averages thousands) and holds for the options as simulated.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from scipy import stats


class Selection(NamedTuple):
    """The outcome of :func:`select` (options in the order given)."""

    means: np.ndarray
    selected: int  # the option with the best mean
    subset: np.ndarray  # bool: may be the best (P ≥ 1 − alpha that the best is in)
    worse_by_at_most: np.ndarray  # D⁺: each option is at most this worse than the best
    delta: float  # the selected option is within delta of the best (P ≥ 1 − alpha)
    alpha: float
    replications: int


def bonferroni_t(alpha: float, k: int, n: int) -> float:
    """The one-sided Student-t quantile at ``1 − alpha/(k−1)`` with ``n − 1`` degrees of freedom."""
    return float(stats.t.ppf(1 - alpha / max(k - 1, 1), n - 1))


def paired_sd(y: np.ndarray) -> np.ndarray:
    """``S_ij``: the standard deviation of the paired differences of options ``i`` and ``j``."""
    d = y[:, :, None] - y[:, None, :]
    return d.std(axis=0, ddof=1)


def select(y, alpha: float = 0.05, lower_is_better: bool = True) -> Selection:
    """Subset, MCB bounds and the selected option's δ of the replications × options ``y``."""
    y = np.asarray(y, dtype=float)
    if not lower_is_better:
        y = -y
    n, k = y.shape
    if n < 2:
        raise ValueError(f"{n} replication(s): the paired bounds need at least 2")
    means = y.mean(axis=0)
    w = bonferroni_t(alpha, k, n) * paired_sd(y) / math.sqrt(n)
    diff = means[:, None] - means[None, :]  # ȳ_i − ȳ_j
    others = ~np.eye(k, dtype=bool)  # an option is not compared with itself
    subset = np.asarray(np.where(others, diff <= w, True).all(axis=1))
    upper = np.maximum(0.0, np.where(others, diff + w, -np.inf).max(axis=1))
    best = int(np.argmin(means))
    return Selection(means=means if lower_is_better else -means, selected=best, subset=subset,
                     worse_by_at_most=upper, delta=float(upper[best]), alpha=alpha, replications=n)


def two_stage_replications(y, alpha: float, indifference: float) -> int:
    """Replications per option a two-stage procedure needs, with ``y`` as its first stage,
    to select an option within ``indifference`` of the best with probability ≥ 1 − alpha."""
    y = np.asarray(y, dtype=float)
    n, k = y.shape
    if k < 2:
        return n
    s = float(paired_sd(y).max())
    return max(n, math.ceil((bonferroni_t(alpha, k, n) * s / indifference) ** 2))


def paired_vs_reference(y, reference, level: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean, low and high of each option's paired difference with ``reference`` (a
    Student-t interval per option, not simultaneous)."""
    d = np.asarray(y, dtype=float) - np.asarray(reference, dtype=float)[:, None]
    n = d.shape[0]
    mean = d.mean(axis=0)
    half = stats.t.ppf(0.5 + level / 2, n - 1) * d.std(axis=0, ddof=1) / math.sqrt(n)
    return mean, mean - half, mean + half

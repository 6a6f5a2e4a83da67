"""Output analysis helpers: MSER-5 warm-up, number of replications, calibration verdicts."""

import math

import numpy as np
import pandas as pd
from scipy import stats

from simsoins.tools.validate import TARGETS, calibration_table, mser5, replications_needed


def test_mser5_cuts_an_initial_transient():
    rng = np.random.default_rng(0)
    transient = np.linspace(10, 0, 40)                     # 8 batches of 5 decaying to steady state
    x = np.concatenate([transient, np.zeros(200)]) + rng.normal(0, 0.3, 240)
    cut = mser5(x)
    assert 6 <= cut <= 12                                # the transient, not the steady part
    assert mser5(rng.normal(0, 1, 240)) <= 3                # no transient: little or nothing to cut


def test_replications_needed_meets_the_precision_and_no_fewer_would():
    rng = np.random.default_rng(1)
    pilot = rng.normal(10, 2, 8)
    n = replications_needed(pilot, 0.05)
    s, m = pilot.std(ddof=1), pilot.mean()

    def half(k):
        return stats.t.ppf(0.975, k - 1) * s / math.sqrt(k)

    assert half(n) <= 0.05 * m < half(n - 1)


def test_calibration_verdicts_follow_the_tolerances():
    rows = []
    for tg in TARGETS:
        inside = (tg.low + tg.high) / 2
        rows += [("baseline", r, tg.kpi, "", inside) for r in range(3)]
    table = calibration_table(pd.DataFrame(rows, columns=["scenario", "replication", "kpi", "unit", "value"]))
    assert (table["verdict"] == "inside").all()
    rows = [(s, r, k, u, v * 10 + 1) for s, r, k, u, v in rows]
    table = calibration_table(pd.DataFrame(rows, columns=["scenario", "replication", "kpi", "unit", "value"]))
    assert (table["verdict"] == "outside").all()


def test_time_to_care_is_reported_without_a_band():
    from simsoins.tools.validate import TIME_TO_CARE_KPIS, _markdown, time_to_care_table

    rows = [("baseline", r, k, "", 5.0 + r) for k in TIME_TO_CARE_KPIS for r in range(3)]
    kpis = pd.DataFrame(rows, columns=["scenario", "replication", "kpi", "unit", "value"])
    care = time_to_care_table(kpis)
    assert list(care["kpi"]) == list(TIME_TO_CARE_KPIS) and (care["simulated_mean"] == 6.0).all()
    assert (care["ci_low"] < 6.0).all() and (care["n"] == 3).all()
    assert not set(TIME_TO_CARE_KPIS) & {tg.kpi for tg in TARGETS}  # no public figure: no verdict
    text = _markdown(calibration_table(kpis), 0, 56, pd.DataFrame(columns=["kpi", "pilot_n", "needed"]), "x", care)
    section = text.split("## Time to care over every request", 1)[1].split("## Warm-up", 1)[0]
    assert "| `routine_time_to_care_days_median` | 6.000 [" in section and "no band" in section

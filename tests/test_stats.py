"""Output analysis a reader can trust: paired p-values, Holm's correction over the KPIs a
table shows, shares' intervals within what a share can be, and the report's use of them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from simsoins.dashboard.i18n import translator
from simsoins.dashboard.report import _headline_versus
from simsoins.results.stats import SUMMARY_COLUMNS, clip_shares, holm, p_value, summarise, t_interval

p_values = st.lists(st.floats(0, 1, allow_nan=False), min_size=1, max_size=30)


def test_holm_on_a_worked_example():
    # sorted 0.005 ≤ 0.05/4, 0.01 ≤ 0.05/3, then 0.03 > 0.05/2: stop, 0.04 not rejected either
    assert holm([0.01, 0.04, 0.03, 0.005]).tolist() == [True, False, False, True]
    assert holm([0.01, 0.02, np.nan]).tolist() == [True, True, False]


@settings(max_examples=200, deadline=None)
@given(p_values)
def test_holm_lies_between_bonferroni_and_no_correction(ps):
    p = np.array(ps)
    rejected = holm(p)
    assert np.all(rejected <= (p <= 0.05))  # never more than each test alone
    assert np.all(rejected >= (p <= 0.05 / len(p)))  # at least what Bonferroni rejects
    # step-down: whatever is rejected, every smaller p-value is too
    if rejected.any():
        assert np.all(rejected[p < p[rejected].max()])


@pytest.mark.parametrize("n", [2, 5, 20])
def test_the_p_value_from_an_interval_is_the_t_tests(n):
    x = np.random.default_rng(n).normal(0.3, 1.0, n)
    m, lo, hi, k = t_interval(x)
    assert p_value(m, lo, hi, k) == pytest.approx(sps.ttest_1samp(x, 0.0).pvalue, rel=1e-9)
    assert np.isnan(p_value(m, np.nan, np.nan, 1))


def _kpis(values: dict[str, list[float]], unit: str) -> pd.DataFrame:
    return pd.DataFrame([(sc, rep, "k", unit, v) for sc, vs in values.items() for rep, v in enumerate(vs)],
                        columns=["scenario", "replication", "kpi", "unit", "value"])


def test_shares_intervals_stay_within_0_and_1_and_other_units_are_untouched():
    near_zero = {"baseline": [0.001, 0.02], "lever": [0.2, 0.9]}
    assert list(summarise(_kpis(near_zero, "share")).columns) == SUMMARY_COLUMNS
    share = summarise(_kpis(near_zero, "share")).set_index("scenario")
    days = summarise(_kpis(near_zero, "days")).set_index("scenario")
    assert share.loc["baseline", "ci_low"] == 0.0 and days.loc["baseline", "ci_low"] < 0
    assert share.loc["lever", "ci_high"] == 1.0 and days.loc["lever", "ci_high"] > 1
    assert share.loc["lever", "diff_ci_high"] <= 1.0
    # the p-value comes from the unclipped interval: the same for both units
    assert share.loc["lever", "diff_p"] == days.loc["lever", "diff_p"]
    assert clip_shares(days).equals(days)


def test_the_report_colours_only_what_survives_holms_correction():
    """Three KPIs, each difference's interval clear of 0: one with p = 1e-6, two with p =
    0.03 and 0.04, which Holm over the three does not keep (0.03 > 0.05 / 2)."""
    t = translator("fr")
    rows = []
    kpis = ("routine_wait_days_mean", "routine_wait_days_median", "er_wait_hours_mean")
    for kpi, diff, p in zip(kpis, (-1.0, -0.5, -0.4), (1e-6, 0.03, 0.04)):
        rows.append(dict(scenario="baseline", kpi=kpi, unit="days", mean=5.0, ci_low=4.9, ci_high=5.1, n=5))
        rows.append(dict(scenario="cpts", kpi=kpi, unit="days", mean=5.0 + diff, ci_low=4.0, ci_high=4.6, n=5,
                         diff_mean=diff, diff_ci_low=diff - 0.45, diff_ci_high=min(diff + 0.45, -0.01), diff_p=p))
    summ = pd.DataFrame(rows).set_index(["scenario", "kpi"])
    html = _headline_versus(summ, "baseline", "cpts", list(kpis), None, t)
    cells = html.split("<tr>")[2:]
    assert 'class="better"' in cells[0]
    assert 'class="ns"' in cells[1] and 'class="ns"' in cells[2]
    assert "correction de Holm sur les 3 indicateurs" in html
    assert html.count("différence non significative") == 2


@pytest.mark.parametrize(("reps", "warned"), [(2, True), (4, True), (5, False)])
def test_the_page_warns_below_five_replications(reps, warned):
    from simsoins.dashboard.report import _header

    kpis = _kpis({"baseline": [1.0] * reps}, "days")
    html = _header({"kpis": kpis}, ["baseline"], {"baseline": "#000"}, translator("fr"))
    assert f"Réplications par scénario : {reps}" in html
    assert ("intervalles de confiance sont peu fiables" in html) == warned

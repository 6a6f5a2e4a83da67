"""The comparison table ``python -m simsoins`` prints (simsoins/dashboard/console.py): in
the dashboard's language, shares in %, differences in points, ER waits in minutes, with
their intervals, and the KPI ids kept in the last column."""

from __future__ import annotations

import math
import os
import subprocess
import sys

import pandas as pd
import pytest
from conftest import ROOT

from simsoins.dashboard.console import comparison_table
from simsoins.dashboard.i18n import translator
from simsoins.results.kpis import KPI_UNITS

NAN = math.nan


def _summary() -> pd.DataFrame:
    rows = [  # scenario, kpi, unit, mean, ci_low, ci_high, diff_mean, diff_ci_low, diff_ci_high
        ("baseline", "routine_seen_within_7d_share", "share", 0.752, 0.741, 0.763, NAN, NAN, NAN),
        ("cpts", "routine_seen_within_7d_share", "share", 0.736, 0.726, 0.746, -0.016, -0.019, -0.013),
        ("baseline", "er_wait_hours_mean", "hours", 0.7, 0.65, 0.75, NAN, NAN, NAN),
        ("cpts", "er_wait_hours_mean", "hours", 0.71, 0.66, 0.76, 0.01, -0.002, 0.022),
        ("baseline", "routine_gave_up_share", "share", 0.1, 0.09, 0.11, NAN, NAN, NAN),
        ("cpts", "routine_gave_up_share", "share", 0.10058, 0.0905, 0.1106, 0.00058, 0.0002, 0.0009),
        ("baseline", "routine_time_to_care_days_median", "days", 4.1, 3.9, 4.3, NAN, NAN, NAN),
        ("cpts", "routine_time_to_care_days_median", "days", 2.8, 2.6, 3.0, -1.3, -1.5, -1.1)]
    cols = ["scenario", "kpi", "unit", "mean", "ci_low", "ci_high", "diff_mean", "diff_ci_low", "diff_ci_high"]
    return pd.DataFrame(rows, columns=cols)


def _row(table: str, kpi: str) -> list[str]:
    line = next(line for line in table.splitlines() if line.endswith("  " + kpi))
    return [c.strip() for c in line.split("  ") if c.strip()]


def test_the_french_table_says_percent_points_and_minutes_with_the_ids():
    table = comparison_table(_summary(), "cpts", "fr")
    header = table.splitlines()[0].split("  ")
    assert [h.strip() for h in header if h.strip()] == ["Indicateur", "baseline : moyenne [IC 95 %]",
                                                        "cpts : moyenne [IC 95 %]", "Différence [IC 95 %]", "id"]
    assert _row(table, "routine_seen_within_7d_share")[1:] == [
        "75,2\u00a0% [74,1 ; 76,3]", "73,6\u00a0% [72,6 ; 74,6]", "−1,6 [−1,9 ; −1,3] pts",
        "routine_seen_within_7d_share"]
    label, *cells = _row(table, "er_wait_hours_mean")
    assert label == "Attente moyenne aux urgences (minutes)"
    assert cells[:3] == ["42 [39 ; 45]", "43 [40 ; 46]", "+0,6 [−0,1 ; +1,3]"]  # 0.01 h = 0.6 min: never 0
    assert _row(table, "routine_time_to_care_days_median")[3] == "−1,3 [−1,5 ; −1,1]"


def test_a_small_effect_is_never_printed_as_zero():
    cells = _row(comparison_table(_summary(), "cpts", "fr"), "routine_gave_up_share")
    assert cells[3] == "+0,06 [+0,02 ; +0,09] pts"  # 0.058 points: not « 0,1 » nor « 0,0 »


def test_the_english_table_keeps_the_english_words():
    table = comparison_table(_summary(), "cpts", "en")
    assert table.splitlines()[0].startswith("Indicator") and "baseline mean [95% CI]" in table.splitlines()[0]
    assert _row(table, "routine_seen_within_7d_share")[3] == "−1.6 [−1.9, −1.3] pp"


def test_the_baseline_alone_has_no_difference_columns():
    base = _summary().query("scenario == 'baseline'")
    table = comparison_table(base, "baseline", "fr")
    assert "Différence" not in table and _row(table, "er_wait_hours_mean")[1] == "42 [39 ; 45]"


@pytest.mark.parametrize("lang, header", [("fr", "baseline : moyenne [IC 95 %]"), ("en", "baseline mean [95% CI]")])
def test_a_run_prints_the_table_in_the_dashboards_language(tmp_path, lang, header):
    env = {k: v for k, v in os.environ.items() if k != "SIMSOINS_CONFIG_DIR"}
    res = subprocess.run([sys.executable, "-m", "simsoins", "territory=exemple", "scenario=cpts", "run.replications=2",
                          "run.horizon_days=28", "run.warmup_days=7", "run.jobs=1", "dashboard.write=false",
                          f"dashboard.lang={lang}", f"hydra.run.dir={tmp_path / 'run'}"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert any(header in line for line in lines)
    er = next(line for line in lines if line.endswith("  er_wait_hours_mean"))
    assert "(minutes)" in er
    word = "réplications" if lang == "fr" else "replications"
    assert any(f"2 {word} × 28" in line for line in lines)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_kpi_has_a_name_in_each_language(lang):
    t = translator(lang)
    assert [k for k in KPI_UNITS if t.kpi(k) == k] == []  # the console and the page never show a raw id

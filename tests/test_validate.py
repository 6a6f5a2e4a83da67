"""Output analysis helpers: MSER-5 warm-up, number of replications, calibration verdicts."""

import math

import numpy as np
import pandas as pd
import pytest
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


def _kpis(value_of) -> pd.DataFrame:
    rows = [("baseline", r, tg.kpi, "", value_of(tg, r)) for tg in TARGETS for r in range(3)]
    return pd.DataFrame(rows, columns=["scenario", "replication", "kpi", "unit", "value"])


def test_time_to_care_is_reported_without_a_band():
    from simsoins.tools.validate import CANNOT, TIME_TO_CARE_KPIS, time_to_care_table
    from simsoins.tools.validate_report import markdown

    rows = [("baseline", r, k, "", 5.0 + r) for k in TIME_TO_CARE_KPIS for r in range(3)]
    kpis = pd.DataFrame(rows, columns=["scenario", "replication", "kpi", "unit", "value"])
    care = time_to_care_table(kpis)
    assert list(care["kpi"]) == list(TIME_TO_CARE_KPIS) and (care["simulated_mean"] == 6.0).all()
    assert (care["ci_low"] < 6.0).all() and (care["n"] == 3).all()
    assert not set(TIME_TO_CARE_KPIS) & {tg.kpi for tg in TARGETS}  # no public figure: no verdict
    reps = pd.DataFrame(columns=["kpi", "pilot_n", "needed"])
    text = markdown(calibration_table(kpis), 0, 56, reps, "x", care, CANNOT, "en")
    section = text.split("## Time to care over every request", 1)[1].split("## Warm-up", 1)[0]
    assert "| `routine_time_to_care_days_median` | 6.000 [" in section and "no band" in section
    fr = markdown(calibration_table(kpis), 0, 56, reps, "x", care, CANNOT)  # French by default
    section = fr.split("## Délai jusqu'au soin, toutes demandes", 1)[1].split("## Mise en route", 1)[0]
    assert "| `routine_time_to_care_days_median` | 6,000 [" in section and "aucune tolérance" in section


@pytest.mark.parametrize("lang, inside, outside", [("fr", "dans la tolérance", "hors tolérance"),
                                                   ("en", "inside", "outside")])
def test_each_verdict_is_printed_beside_its_tolerance(lang, inside, outside):
    """Every target's row shows its band [low, high] and the verdict judged against it, in
    calibration.md and on the console; a mean just outside the band is « outside »."""
    from simsoins.tools.validate import CANNOT, TIME_TO_CARE_KPIS, time_to_care_table
    from simsoins.tools.validate_report import console, markdown

    def value(tg, r):  # the first target just above its band, the others at its middle
        return tg.high * 1.01 + 0.001 if tg is TARGETS[0] else (tg.low + tg.high) / 2

    table = calibration_table(_kpis(value))
    care = time_to_care_table(pd.DataFrame(columns=["kpi", "value"]).astype({"value": float}))
    assert list(care["kpi"]) == list(TIME_TO_CARE_KPIS)
    md = markdown(table, 0, 56, pd.DataFrame(columns=["kpi", "pilot_n", "needed"]), "x", care, CANNOT, lang)
    out = console(table, care, "validation/calibration.md", lang)
    header = md.splitlines()[2]
    assert header.split(" | ")[3] == ("tolérance" if lang == "fr" else "tolerance")
    sep = "," if lang == "fr" else "."
    for i, tg in enumerate(TARGETS):
        band = f"{tg.low:g}–{tg.high:g}".replace(".", sep)
        verdict = outside if i == 0 else inside
        row = next(line for line in md.splitlines() if line.startswith(f"| `{tg.kpi}` |"))
        assert f"| {band} |" in row and row.endswith(f"| **{verdict}** |"), row
        line = next(line for line in out.splitlines() if line.strip().startswith(tg.kpi + " "))
        assert band in line and line.rstrip().endswith(verdict), line
    assert md.count(f"**{outside}**") == 1


def test_the_french_report_covers_every_target_and_reason():
    from simsoins.tools.validate import CANNOT
    from simsoins.tools.validate_report import CANNOT_FR, PUBLIC_FR, WORDS

    assert set(PUBLIC_FR) == {tg.kpi for tg in TARGETS}
    assert len(CANNOT_FR) == len(CANNOT)
    assert set(WORDS["fr"]) == set(WORDS["en"])


@pytest.mark.parametrize("lang", [None, "en"])
def test_the_command_writes_its_report_in_the_language_asked(lang, tmp_path, capsys):
    """``python -m simsoins.validate`` on a tiny run: French unless ``--lang en``; the CSV
    keeps its codes either way."""
    from simsoins.validate import main

    out = tmp_path / "v"
    args = ["--replications", "2", "--out", str(out), *(["--lang", lang] if lang else []),
            "territory=exemple", "run.horizon_days=14", "run.warmup_days=7", "run.jobs=1"]
    assert main(args) == 0
    md = (out / "calibration.md").read_text(encoding="utf-8")
    printed = capsys.readouterr().out
    french = lang is None
    assert md.startswith("# Rapport de calage — " if french else "# Calibration report — ")
    assert ("tolérance" if french else "tolerance") in printed.splitlines()[0]
    assert printed.rstrip().endswith(f"{'Rapport' if french else 'Report'} : {out / 'calibration.md'}"
                                     .replace(" :", " :" if french else ":"))
    csv = pd.read_csv(out / "calibration.csv")
    assert set(csv["verdict"]) <= {"inside", "outside"} and list(csv["kpi"]) == [tg.kpi for tg in TARGETS]

"""The planners' guide (docs/guide-planificateurs.md) stays true: its figures are those a
run of the current code gives (scripts/guide_figures.py writes them between markers), and
the scenarios, settings and studies it names exist.

The small run of the guide (§ 2, Val-Exemple, ≈ 5 s) is re-run by default; the
Loir-et-Cher run (≈ 90 s) behind ``slow``.  Same seed → same bytes, so the guide's text is
compared exactly, i.e. every number at the precision it is printed with.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("guide_figures", ROOT / "scripts" / "guide_figures.py")
assert _spec and _spec.loader
gf = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gf)

GUIDE_TEXT = gf.GUIDE.read_text(encoding="utf-8")
FIX = "the guide's figures drifted from the model: run `python scripts/guide_figures.py` and review the diff"


def _assert_blocks_match(run_name: str, run_dir: Path) -> None:
    new = gf.figures({run_name: run_dir})
    assert new, run_name
    old = gf.blocks_of(GUIDE_TEXT)
    for bid, text in new.items():
        assert old[bid] == text.strip(), f"block {bid}: {FIX}"


def test_the_guide_holds_every_block_filled():
    blocks = gf.blocks_of(GUIDE_TEXT)
    assert set(blocks) == set(gf.BLOCKS)
    assert all(len(b) > 40 for b in blocks.values())  # not left empty by a rewrite


def test_the_small_run_gives_the_guides_figures(tmp_path):
    run_dir = gf.run("exemple", tmp_path / "exemple", jobs=1)
    _assert_blocks_match("exemple", run_dir)
    # the block quotes the run's own numbers: the reference's median time to care, as printed
    s = pd.read_csv(run_dir / "summary.csv").set_index(["scenario", "kpi"])
    median = s.loc[("baseline", "routine_time_to_care_days_median"), "mean"]
    assert f"vaut {gf.num(median)} jours" in gf.blocks_of(GUIDE_TEXT)["exemple-ic"]


@pytest.mark.slow
def test_the_loir_et_cher_run_gives_the_guides_figures(tmp_path):
    _assert_blocks_match("loir_et_cher", gf.run("loir_et_cher", tmp_path / "lec", jobs=2))


def test_the_guide_states_the_command_it_ran():
    assert f"```bash\n{gf.command('exemple')}\n```" in GUIDE_TEXT
    assert f"`{gf.command('loir_et_cher')}`" in GUIDE_TEXT


# ------------------------------------------------------------------ the rewriting
def test_rewrite_changes_only_what_is_between_the_markers():
    text = "avant 1,0\n<!-- figures:begin a -->\nvieux 1,0\n<!-- figures:end a -->\naprès 1,0\n"
    out = gf.rewrite(text, {"a": "neuf 2,0\n"})
    assert out == "avant 1,0\n<!-- figures:begin a -->\nneuf 2,0\n<!-- figures:end a -->\naprès 1,0\n"
    assert gf.rewrite(out, {"a": "neuf 2,0"}) == out
    assert gf.blocks_of(out) == {"a": "neuf 2,0"}


def test_rewrite_names_a_block_whose_markers_are_gone():
    with pytest.raises(KeyError, match="'b'"):
        gf.rewrite("<!-- figures:begin a -->\nx\n<!-- figures:end a -->\n", {"b": "y"})


def test_numbers_are_written_the_french_way_and_a_small_effect_never_prints_as_zero():
    assert gf.num(1234.56) == "1\u202f234,6"
    assert gf.num(-1.25, 2) == "\u22121,25"
    assert gf.num(0.25, 2, signed=True) == "+0,25"
    # the example: −0.058 [−0.071 ; −0.047] printed with one decimal reads −0,1 [−0,1 ; 0,0]
    d = gf.diff_digits(-0.058, -0.071, -0.047)
    assert [gf.num(x, d) for x in (-0.058, -0.071, -0.047)] == ["\u22120,06", "\u22120,07", "\u22120,05"]
    assert gf.diff_digits(-18.9, -23.2, -14.6, base=0) == 0
    assert gf.diff_digits(0.004, 0.001, 0.007) == 3


# ------------------------------------------------------------------ seasonality (§ 6.7)
def test_monthly_wait_keeps_whole_measured_weeks_and_files_them_by_their_thursday(tmp_path):
    start = dt.date(2026, 11, 2)  # a Monday; warm-up 14 days, 28 measured: weeks 2–5 whole
    rows = [("baseline", r, w, "routine_wait_days_mean", 10.0 * w + r) for w in range(7) for r in (0, 1)]
    rows += [("cpts", 0, 3, "routine_wait_days_mean", 999.0), ("baseline", 0, 3, "er_visits", 999.0)]
    pd.DataFrame(rows, columns=["scenario", "replication", "week", "series", "value"]).to_parquet(
        tmp_path / "series.parquet")
    weekly, monthly = gf.monthly_wait(tmp_path, start, 14, 28)
    assert list(weekly.index) == [2, 3, 4, 5]
    assert list(weekly) == [20.5, 30.5, 40.5, 50.5]
    # weeks 2–3 (Thursdays 19 and 26 Nov) are November, 4–5 (3 and 10 Dec) December
    assert monthly.to_dict() == {11: 25.5, 12: 45.5}


def test_the_leave_rule_empties_the_practices_in_summer():
    share, monday = gf.leave_share_peak(dt.date(2026, 11, 2), 56, 365, draws=400)
    assert monday.month in (7, 8)
    assert 0.4 < share < 0.9  # half the leave in one block, started within 6 weeks of 1 July


# ------------------------------------------------------------------ what the guide names exists
def _scenario_names() -> set[str]:
    names: set[str] = set()
    for value in re.findall(r"scenario=([\w,\[\]]+)", GUIDE_TEXT):
        names.update(n for n in re.split(r"[\[\],]", value) if n)
    return names - {"MON_SCENARIO"}


def test_the_scenarios_studies_and_settings_named_in_the_guide_exist():
    scenarios = {p.stem for p in (ROOT / "configs" / "scenario").glob("*.yaml")}
    assert _scenario_names() and _scenario_names() <= scenarios
    studies = {p.stem for p in (ROOT / "configs" / "experiment").glob("*.yaml")}
    assert set(re.findall(r"\+experiment=(\w+)", GUIDE_TEXT)) <= studies
    for path in set(re.findall(r"scenario\.levers\.([\w.]+)", GUIDE_TEXT)):
        lever, *keys = path.split(".")
        node = yaml.safe_load((ROOT / "configs" / "scenario" / f"{lever}.yaml").read_text())["levers"][lever]
        for k in keys:
            assert k in node, f"scenario.levers.{path}: no {k!r} in configs/scenario/{lever}.yaml"
            node = node[k]


def test_the_error_quoted_in_the_guide_is_the_one_simsoins_prints(tmp_path):
    """§ 3.5 quotes the one line a schedule that is not a whole number of slots gets."""
    quoted = re.search(r"```\n(simsoins: error: [^\n]*)\n```", GUIDE_TEXT)
    assert quoted, "§ 3.5 no longer quotes an error line"
    csv = tmp_path / "clinicians.csv"
    src = (ROOT / "simsoins" / "data" / "territories" / "exemple" / "clinicians.csv").read_text(encoding="utf-8")
    bad = src.replace("E05,MSP-VB,gp,temps_partiel,yes", 'E05,MSP-VB,gp,"mon 08:30-12:30; tue 14:00-18:10",yes')
    assert bad != src
    csv.write_text(bad, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "simsoins", "territory=exemple", f"territory.clinicians={csv}",
                           f"hydra.run.dir={tmp_path / 'run'}"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.strip() == quoted.group(1)
    assert not (tmp_path / "run").exists()

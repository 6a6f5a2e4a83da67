"""Checks before any job runs (issue #22): a sweep checks every job's inputs — its values
and its territory's files — before the first job (finding 8), and the name ``baseline`` is
kept for the scenario with every lever off (finding 6)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from simsoins.cli.checks import check_values, compose_checked
from simsoins.config.model import ConfigError

ROOT = Path(__file__).resolve().parents[1]
SHORT = ["run.replications=2", "run.horizon_days=28", "run.warmup_days=7", "run.jobs=1"]


def simsoins(*args):
    env = {k: v for k, v in os.environ.items() if k != "SIMSOINS_CONFIG_DIR"}
    return subprocess.run([sys.executable, "-m", "simsoins", *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=300)


def bad_territory(folder: Path) -> Path:
    """territory=bad: the example territory with a communes file that lacks columns —
    its values are fine, only reading its files finds the fault."""
    (folder / "territory").mkdir(parents=True, exist_ok=True)
    (folder / "communes.csv").write_text("code,nom\n41001,X\n", encoding="utf-8")
    text = (ROOT / "configs" / "territory" / "exemple.yaml").read_text(encoding="utf-8")
    text = text.replace("communes: exemple/communes.csv", f"communes: {folder / 'communes.csv'}")
    (folder / "territory" / "bad.yaml").write_text(text.replace("name: exemple", "name: bad"), encoding="utf-8")
    return folder / "communes.csv"


def assert_no_job_ran(res, out: Path, *names: str) -> None:
    assert res.returncode == 2, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("simsoins: error: job 1 "), res.stderr
    for name in names:
        assert name in lines[0], lines[0]
    results = list(out.rglob("manifest.json")) + list(out.rglob("summary.csv")) + list(out.rglob("*.parquet"))
    assert not results, f"a job ran: {results}"


def test_a_bad_territory_file_in_the_second_job_stops_the_sweep_before_the_first(tmp_path):
    folder, out = tmp_path / "mine", tmp_path / "sweep"
    communes = bad_territory(folder)
    res = simsoins("-m", "territory=exemple,bad", *SHORT, f"hydra.sweep.dir={out}",
                   f"hydra.searchpath=[file://{folder}]")
    assert_no_job_ran(res, out, "territory=bad", str(communes), "missing column")


def test_a_study_over_territories_is_checked_before_its_first_job(tmp_path):
    folder, out = tmp_path / "mine", tmp_path / "sweep"
    bad_territory(folder)
    (folder / "experiment").mkdir()
    (folder / "experiment" / "deux.yaml").write_text(
        "# @package _global_\nhydra:\n  sweeper:\n    params:\n      territory: exemple,bad\n", encoding="utf-8")
    res = simsoins("-m", "+experiment=deux", *SHORT, f"hydra.sweep.dir={out}", f"hydra.searchpath=[file://{folder}]")
    assert_no_job_ran(res, out, "territory=bad")


# ------------------------------------------------------- the baseline's name


def test_a_scenario_named_baseline_with_a_lever_on_is_refused(tmp_path):
    out = tmp_path / "run"
    res = simsoins("scenario=cpts", "scenario.name=baseline", "territory=exemple", *SHORT, f"hydra.run.dir={out}")
    assert res.returncode == 2, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "scenario.name=baseline" in lines[0] and "scenario.levers.cpts" in lines[0], lines
    assert not out.exists()


@pytest.mark.parametrize("overrides", [
    ["scenario=cpts", "scenario.name=baseline"],
    ["scenario=plan_combine", "scenario.name=baseline"],
    ["scenario=assistants_medicaux", "scenario.name=baseline"],
])
def test_the_baseline_name_is_kept_for_no_lever(overrides):
    cfg = compose_checked([o for o in overrides if not o.startswith("scenario.name")], "test")
    cfg["scenario"]["name"] = "baseline"
    with pytest.raises(ConfigError, match=r"scenario\.name=baseline"):
        check_values(cfg)


@pytest.mark.parametrize("overrides", [["scenario=baseline"], ["scenario=cpts", "scenario.name=mon_cpts"],
                                       ["scenario=baseline", "+scenario.levers.cpts.enabled=false"]])
def test_the_baseline_and_other_names_are_accepted(overrides):
    check_values(compose_checked(overrides, "test"))

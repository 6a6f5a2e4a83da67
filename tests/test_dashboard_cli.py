"""``python -m simsoins.dashboard DIR1 DIR2``: runs that cannot be compared are refused in
one line (exit status 2, nothing written); the page goes into the first run's folder or
``--out``, never the working directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from test_dashboard import synthetic, write_run

from simsoins.dashboard.__main__ import main


def _run(folder: Path, *, territory: str = "Loir-et-Cher (41)", seed: int = 1, horizon: int = 365,
         warmup: int = 56, scenarios=("baseline", "cpts")) -> Path:
    """A run folder as the simulation writes it: its tables, scenarios.json and a manifest."""
    res = synthetic(scenarios=list(scenarios), seed=seed)
    res["scenarios"]["territory"] = territory
    write_run(folder, res)
    manifest = {"status": "complete", "results_format": 2, "seed": seed,
                "config": {"run": {"seed": seed, "horizon_days": horizon, "warmup_days": warmup}}}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


@pytest.fixture()
def elsewhere(tmp_path, monkeypatch) -> Path:
    """The working directory: the command must write nothing there."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    return cwd


@pytest.mark.parametrize("field, change, values", [
    ("territory", {"territory": "Val-Exemple (territoire fictif)"},
     "'Loir-et-Cher (41)' and 'Val-Exemple (territoire fictif)'"),
    ("run.horizon_days", {"horizon": 60}, "365 and 60"),
    ("run.warmup_days", {"warmup": 14}, "56 and 14"),
    ("run.seed", {"seed": 2}, "1 and 2"),
])
def test_runs_that_cannot_be_compared_are_refused_in_one_line(tmp_path, elsewhere, capsys, field, change, values):
    one = _run(tmp_path / "one")
    two = _run(tmp_path / "two", scenarios=("baseline", "tele"), **change)
    assert main([str(one), str(two)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"differ in {field}: {values}" in err and str(one) in err and str(two) in err
    assert not (one / "dashboard.html").exists() and not (two / "dashboard.html").exists()
    assert list(elsewhere.iterdir()) == []
    assert main([str(one), str(two), "--out", str(tmp_path / "out.html")]) == 2  # --out does not force it
    assert not (tmp_path / "out.html").exists()


def test_comparable_runs_go_into_the_first_runs_folder(tmp_path, elsewhere, capsys):
    one = _run(tmp_path / "one")
    two = _run(tmp_path / "two", scenarios=("baseline", "tele"))
    assert main([str(one), str(two)]) == 0
    assert list(elsewhere.iterdir()) == [] and not (two / "dashboard.html").exists()
    page = (one / "dashboard.html").read_text(encoding="utf-8")
    assert "cpts comparé à baseline" in page and "tele comparé à baseline" in page
    assert str(one / "dashboard.html") in capsys.readouterr().out


def test_runs_that_do_not_record_a_field_are_not_refused_for_it(tmp_path, elsewhere):
    """Results written by hand or before the manifest (no seed, no horizon): what both
    record is compared, here the territory only."""
    one = write_run(tmp_path / "one", synthetic())
    two = write_run(tmp_path / "two", synthetic(scenarios=["baseline", "tele"], seed=2))
    assert main([str(one), str(two)]) == 0 and (one / "dashboard.html").is_file()


def test_the_command_as_a_user_runs_it_writes_into_the_first_folder(tmp_path, elsewhere):
    one = _run(tmp_path / "one")
    two = _run(tmp_path / "two", scenarios=("baseline", "tele"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout's code, from another directory
    p = subprocess.run([sys.executable, "-m", "simsoins.dashboard", str(one), str(two)], cwd=elsewhere, env=env,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert (one / "dashboard.html").is_file() and list(elsewhere.iterdir()) == []
    bad = _run(tmp_path / "bad", seed=9)
    p = subprocess.run([sys.executable, "-m", "simsoins.dashboard", str(one), str(bad)], cwd=elsewhere, env=env,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 2 and p.stderr.count("\n") == 1
    assert p.stderr.startswith("python -m simsoins.dashboard: error: ") and "run.seed: 1 and 9" in p.stderr

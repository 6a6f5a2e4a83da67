"""Every named study runs end to end on a tiny horizon, as `python -m simsoins -m +experiment=NAME`."""

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
TINY = ["run.replications=1", "run.horizon_days=7", "run.warmup_days=0", "run.jobs=1", "run.event_log=none"]


def run_experiment(tmp_path, name, *extra):
    out = tmp_path / name
    env = {k: v for k, v in os.environ.items() if k != "SIMSOINS_CONFIG_DIR"}
    res = subprocess.run([sys.executable, "-m", "simsoins", "-m", f"+experiment={name}", *TINY, *extra,
                          f"hydra.sweep.dir={out}"], capture_output=True, text=True, cwd=tmp_path, env=env,
                         timeout=900)
    assert res.returncode == 0, res.stderr[-3000:]
    return out, pd.read_parquet(out / "sweep_kpis.parquet")


@pytest.mark.parametrize("name, jobs", [("tous_les_leviers", 11), ("assistants_dose_reponse", 5),
                                        ("sensibilite", 11)])
def test_study_runs_every_job_and_compares_them(tmp_path, name, jobs):
    out, table = run_experiment(tmp_path, name, "territory=exemple")
    assert table["job"].nunique() == jobs
    assert (out / "dashboard.html").is_file() and (out / "sweep_summary.csv").is_file()


def test_france_study_on_two_departements(tmp_path):
    out, table = run_experiment(tmp_path, "france", "territory.code=48,90")
    assert table["job"].nunique() == 2
    france = pd.read_csv(out / "france.csv", dtype={"code": str})
    assert set(france["code"]) == {"48", "90"}
    assert (out / "france.html").is_file()

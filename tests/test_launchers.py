"""Hydra launchers give the same results as the basic one: joblib (local processes), Ray
on a local cluster, submitit (locally, as on SLURM). Each job runs one scenario; results
are compared job by job, bit for bit."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SWEEP = ["-m", "territory=exemple", "scenario=baseline,cpts", "run.replications=2", "run.horizon_days=30",
         "run.warmup_days=7", "run.jobs=1"]
COLS = ["job", "scenario", "replication", "kpi", "value"]


def sweep(tmp_path, name, *launcher):
    out = tmp_path / name
    env = {k: v for k, v in os.environ.items() if k != "SIMSOINS_CONFIG_DIR"}
    res = subprocess.run([sys.executable, "-m", "simsoins", *SWEEP, *launcher, f"hydra.sweep.dir={out}"],
                         capture_output=True, text=True, cwd=ROOT, env=env, timeout=900)
    assert res.returncode == 0, res.stderr[-3000:]
    return pd.read_parquet(out / "sweep_kpis.parquet")[COLS].reset_index(drop=True)


def installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


@pytest.fixture(scope="module")
def basic(tmp_path_factory):
    return sweep(tmp_path_factory.mktemp("basic"), "basic")


@pytest.mark.slow
@pytest.mark.skipif(not installed("hydra_plugins.hydra_ray_launcher"),
                    reason='the Ray launcher is not installed (pip install -e ".[ray]")')
def test_ray_local_cluster_gives_the_same_results(tmp_path, basic):
    ray = sweep(tmp_path, "ray", "hydra/launcher=ray", "+hydra.launcher.ray.init.num_cpus=2",
                "+hydra.launcher.ray.init.include_dashboard=false")
    pd.testing.assert_frame_equal(ray, basic, check_exact=True)


@pytest.mark.slow
@pytest.mark.skipif(not installed("hydra_plugins.hydra_submitit_launcher"),
                    reason='the submitit launcher is not installed (pip install -e ".[slurm]")')
def test_submitit_launcher_gives_the_same_results(tmp_path, basic):
    sub = sweep(tmp_path, "submitit", "hydra/launcher=submitit_local")
    pd.testing.assert_frame_equal(sub, basic, check_exact=True)

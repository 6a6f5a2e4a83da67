"""The France sweep on a local Ray cluster (``hydra/launcher=ray_local``) gives, job by
job, the same bytes as the basic launcher; a sweep sent to a running cluster with a
relative sweep folder is refused before it starts (simsoins/cli/launchers.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from simsoins.cli.launchers import cluster_refusal

ROOT = Path(__file__).resolve().parents[1]
#: Two small départements, three weeks: the France study's command, shortened.
FRANCE = ["-m", "+experiment=france", "territory.code=48,90", "run.horizon_days=21", "run.warmup_days=7"]
#: What each job writes from its results (not its wall time, manifest.json, nor its log).
JOB_FILES = ["summary.csv", "kpis.parquet", "er_sites.parquet", "groups.parquet", "series.parquet",
             "quantiles.parquet", "channels.parquet", "utilisation.parquet", "communes.parquet", "scenarios.json"]
SWEEP_FILES = ["sweep_kpis.parquet", "sweep_summary.csv"]
#: france.csv's columns that measure the run, not its results.
MEASURED = ["wall_seconds", "peak_rss_mb"]


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("SIMSOINS_CONFIG_DIR", "RAY_ADDRESS")}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def simsoins(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "simsoins", *args], capture_output=True, text=True, cwd=cwd,
                          env=_env(), timeout=900)


def _raylets() -> set[int]:
    """Ids of the Ray node processes running on this machine."""
    found = set()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if b"raylet" in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0]:
                found.add(int(pid))
        except OSError:
            continue
    return found


@pytest.mark.slow
def test_france_sweep_on_a_local_ray_cluster_gives_the_basic_launchers_bytes(tmp_path):
    pytest.importorskip("ray", reason='Ray is not installed (pip install -e ".[ray]")')
    pytest.importorskip("hydra_plugins.hydra_ray_launcher",
                        reason='the Ray launcher plugin is not installed (pip install -e ".[ray]")')
    basic = simsoins(*FRANCE, f"hydra.sweep.dir={tmp_path / 'basic'}")
    assert basic.returncode == 0, basic.stderr[-3000:]
    before = _raylets()
    ray = simsoins(*FRANCE, "hydra/launcher=ray_local", "hydra.launcher.ray.init.num_cpus=2",
                   f"hydra.sweep.dir={tmp_path / 'ray'}")
    assert ray.returncode == 0, ray.stderr[-3000:]
    assert "Started a local Ray instance" in ray.stderr  # not a cluster that happened to run here
    assert _raylets() <= before, "the command's Ray instance outlived it"
    for job in ("0", "1"):
        for name in JOB_FILES:
            assert (tmp_path / "ray" / job / name).read_bytes() == (tmp_path / "basic" / job / name).read_bytes(), \
                f"job {job}: {name} differs"
        assert not (tmp_path / "ray" / job / "dashboard.html").exists()  # the France study writes none per job
    for name in SWEEP_FILES:
        assert (tmp_path / "ray" / name).read_bytes() == (tmp_path / "basic" / name).read_bytes(), name
    france = pd.read_csv(tmp_path / "ray" / "france.csv", dtype={"code": str})
    basic_france = pd.read_csv(tmp_path / "basic" / "france.csv", dtype={"code": str})
    pd.testing.assert_frame_equal(france.drop(columns=MEASURED), basic_france.drop(columns=MEASURED))
    assert sorted(france["code"]) == ["48", "90"]
    kpis = pd.read_parquet(tmp_path / "ray" / "0" / "kpis.parquet").set_index("kpi")["value"]
    assert kpis["gp_consultations_per_inhabitant_year"] > 1 and kpis["routine_wait_days_mean"] > 0  # it simulated


@pytest.mark.parametrize("launcher", [["hydra/launcher=ray_cluster"],
                                      ["hydra/launcher=ray", "hydra.launcher.ray.init.address=auto"],
                                      ["hydra/launcher=ray_local", "hydra.launcher.ray.init.address=10.0.0.1:6379"]])
def test_a_sweep_on_a_running_cluster_needs_an_absolute_folder(tmp_path, launcher):
    """Refused in one line before anything is made: the cluster's workers would write the
    results where the cluster was started, and the sweep would find none here."""
    res = simsoins("-m", "territory=exemple", "run.replications=1", *launcher, cwd=tmp_path)
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("simsoins: error: hydra.sweep.dir = multirun/<id>"), res.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("overrides", "multirun", "refused"), [
    (["hydra/launcher=ray_cluster", "hydra.sweep.dir=/shared/france"], True, False),
    (["hydra/launcher=ray_cluster", "hydra.sweep.dir=${hydra.runtime.cwd}/multirun/x"], True, False),
    (["hydra/launcher=ray_cluster", "hydra.sweep.dir=multirun/france"], True, True),
    (["hydra/launcher=ray_local"], True, False),  # its own instance: workers run here
    (["hydra/launcher=ray"], True, False),
    (["hydra/launcher=joblib", "hydra.launcher.ray.init.address=auto"], True, False),
    (["hydra/launcher=ray_cluster"], False, False),  # a single run launches nothing
])
def test_which_sweeps_need_an_absolute_folder(overrides, multirun, refused, monkeypatch):
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    assert (cluster_refusal(overrides, multirun) is not None) == refused


def test_ray_address_in_the_environment_is_a_running_cluster(monkeypatch):
    """``ray.init()`` without an address (the plugin's own option) connects to RAY_ADDRESS."""
    monkeypatch.setenv("RAY_ADDRESS", "10.0.0.1:6379")
    assert cluster_refusal(["hydra/launcher=ray"], True) is not None
    assert cluster_refusal(["hydra/launcher=ray_local"], True) is None

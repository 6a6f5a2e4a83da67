"""Reproducibility: the same config and seed give bit-identical results, whatever the
process, the number of worker processes or the Hydra launcher; every run directory says
how to reproduce it; a run that fails leaves no result behind.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import numpy
import pandas as pd
import pytest
import simpy
import yaml
from test_cli import ROOT
from test_config import base_cfg

import simsoins
import simsoins.cli as cli
import simsoins.cli.job as cli_job
from simsoins.results import outputs
from simsoins.results.cost_kpis import COST_KPI_UNITS
from simsoins.run.workers import run_all, tables

SEED = 4242  # not the default, so the manifest must record the seed actually used
ARGS = ["territory=exemple", "scenario=cpts", "run.replications=2", "run.horizon_days=30", "run.warmup_days=7",
        f"run.seed={SEED}"]
SWEEP = ["-m", "territory=exemple", "scenario=baseline,cpts", "run.replications=2", "run.horizon_days=30",
         "run.warmup_days=7", f"run.seed={SEED}", "run.jobs=1"]
RESULT_FILES = ("summary.csv", "kpis.parquet", "events.parquet", "groups.parquet", "series.parquet",
                "quantiles.parquet", "channels.parquet", "utilisation.parquet", "communes.parquet",
                "er_sites.parquet")


def _ok(res):
    assert res.returncode == 0, res.stderr[-3000:]
    return res


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Three runs of the same config and seed: two single-process ones in separate
    interpreters with different hash seeds (set/dict order must not leak into results),
    then one with two worker processes."""
    base = tmp_path_factory.mktemp("repro")
    dirs = {"a": base / "a", "b": base / "b", "jobs2": base / "jobs2"}

    def launch(name_hash_seed):
        name, hash_seed = name_hash_seed
        return _cli(*ARGS, "run.jobs=1", f"hydra.run.dir={dirs[name]}", hash_seed=hash_seed)

    with ThreadPoolExecutor(max_workers=2) as pool:
        for res in pool.map(launch, [("a", "0"), ("b", "12345")]):
            _ok(res)
    _ok(_cli(*ARGS, "run.jobs=2", f"hydra.run.dir={dirs['jobs2']}"))
    return dirs


def _cli(*args, hash_seed: str | None = None):
    """``python -m simsoins ARGS`` from the checkout (as tests/test_cli.py runs it)."""
    env = {k: v for k, v in os.environ.items() if k != "SIMSOINS_CONFIG_DIR"}
    if hash_seed is not None:
        env["PYTHONHASHSEED"] = hash_seed
    return subprocess.run([sys.executable, "-m", "simsoins", *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=600)


def _assert_same_results(d1: Path, d2: Path) -> None:
    for name in RESULT_FILES:
        p1, p2 = d1 / name, d2 / name
        assert p1.is_file() and p2.is_file(), name
        if name.endswith(".parquet"):
            pd.testing.assert_frame_equal(pd.read_parquet(p1), pd.read_parquet(p2), check_exact=True)
        else:
            pd.testing.assert_frame_equal(pd.read_csv(p1), pd.read_csv(p2), check_exact=True)
    # bit-identical files: pyarrow writes no timestamp, so bytes must match too
    assert (d1 / "kpis.parquet").read_bytes() == (d2 / "kpis.parquet").read_bytes()
    assert (d1 / "summary.csv").read_bytes() == (d2 / "summary.csv").read_bytes()


def test_same_config_and_seed_give_bit_identical_results(runs):
    _assert_same_results(runs["a"], runs["b"])
    kp = pd.read_parquet(runs["a"] / "kpis.parquet")
    assert set(kp["scenario"]) == {"baseline", "cpts"} and set(kp["replication"]) == {0, 1}
    # the resolved configs are the same too
    assert (runs["a"] / ".hydra" / "config.yaml").read_text() == (runs["b"] / ".hydra" / "config.yaml").read_text()


def test_worker_processes_do_not_change_results(runs):
    _assert_same_results(runs["a"], runs["jobs2"])


# ---------------------------------------------------------------- launchers


@pytest.fixture(scope="module")
def sweeps(tmp_path_factory):
    base = tmp_path_factory.mktemp("sweeps")
    _ok(_cli(*SWEEP, f"hydra.sweep.dir={base / 'basic'}"))
    return base


def test_a_sweep_gives_the_same_tables_as_a_paired_run(sweeps, runs):
    # common random numbers: a scenario's replications depend only on the seed and the
    # replication index, not on which other scenarios run in the same job
    basic = sweeps / "basic"
    jobs = [pd.read_parquet(basic / j / "kpis.parquet") for j in ("0", "1")]
    assert [set(df["scenario"]) for df in jobs] == [{"baseline"}, {"cpts"}]
    # the cost KPIs pair a scenario with the baseline's replication: a job alone has none
    # (docs/model.md §6); the sweep's summary pairs its jobs as the run does
    paired = pd.read_parquet(runs["a"] / "kpis.parquet")
    alone = pd.concat(jobs, ignore_index=True)
    pd.testing.assert_frame_equal(alone[~alone["kpi"].isin(COST_KPI_UNITS)].reset_index(drop=True),
                                  paired[~paired["kpi"].isin(COST_KPI_UNITS)].reset_index(drop=True), check_exact=True)
    summaries = [pd.read_csv(p).set_index(["scenario", "kpi"]).loc[[("cpts", k) for k in COST_KPI_UNITS]]
                 for p in (basic / "sweep_summary.csv", runs["a"] / "summary.csv")]
    pd.testing.assert_frame_equal(*(s[["mean", "ci_low", "ci_high"]] for s in summaries), rtol=1e-12)


def test_joblib_launcher_gives_the_same_tables_as_the_basic_launcher(sweeps):
    if importlib.util.find_spec("hydra_plugins.hydra_joblib_launcher") is None:
        pytest.skip("hydra-joblib-launcher is not installed (pip install hydra-joblib-launcher)")
    joblib = sweeps / "joblib"
    _ok(_cli(*SWEEP, "hydra/launcher=joblib", "hydra.launcher.n_jobs=2", f"hydra.sweep.dir={joblib}"))
    basic = sweeps / "basic"
    for job in ("0", "1"):
        _assert_same_results(basic / job, joblib / job)
    pd.testing.assert_frame_equal(pd.read_parquet(basic / "sweep_kpis.parquet"),
                                  pd.read_parquet(joblib / "sweep_kpis.parquet"), check_exact=True)


# --------------------------------------------------------- what a run records


def _recorded(run_dir: Path) -> tuple[dict, dict]:
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    config = yaml.safe_load((run_dir / ".hydra" / "config.yaml").read_text(encoding="utf-8"))
    return manifest, config


@pytest.mark.parametrize("which", ["a", "jobs2", "sweep-0", "sweep-1"])
def test_every_run_directory_records_config_seed_and_versions(runs, sweeps, which):
    run_dir = runs[which] if which in runs else sweeps / "basic" / which.split("-")[1]
    manifest, config = _recorded(run_dir)
    assert manifest["status"] == "complete"
    # the resolved config: the same in the manifest and in Hydra's record
    assert manifest["config"] == {k: v for k, v in config.items() if k != "hydra"}
    assert config["territory"]["name"] == "exemple"
    assert config["scenario"]["name"] in ("baseline", "cpts")
    assert config["run"]["horizon_days"] == 30 and config["run"]["replications"] == 2
    # the seed actually used
    assert manifest["seed"] == config["run"]["seed"] == SEED
    assert manifest["replications"] == 2
    # the package and the libraries results depend on, as installed
    v = manifest["versions"]
    assert v["simsoins"] == simsoins.__version__
    assert v["simpy"] == simpy.__version__
    assert v["numpy"] == numpy.__version__
    assert v["pandas"] == pd.__version__
    assert (run_dir / ".hydra" / "overrides.yaml").is_file()


def test_the_manifest_is_the_same_for_the_same_command(runs):
    m1, _ = _recorded(runs["a"])
    m2, _ = _recorded(runs["b"])
    for m in (m1, m2):
        m.pop("wall_seconds")
        assert 50 < m.pop("peak_rss_mb") < 20_000   # MB: a run holds tens of MB at least
    assert m1 == m2


# -------------------------------------------------------- failures midway


@pytest.fixture()
def small_job():
    cfg = base_cfg()
    cfg["run"].update(replications=1, horizon_days=7, warmup_days=0, jobs=1, seed=SEED)
    cfg["scenario"] = {"name": "cpts", "levers": {"cpts": {"enabled": True}}}
    return cli.prepare(cfg), cfg


class Boom(RuntimeError):
    pass


def _fail(exc=Boom):
    def raiser(*args, **kwargs):
        raise exc("simulated failure")

    return raiser


def _fail_on_call(n: int, real):
    calls = [0]

    def maybe(*args, **kwargs):
        calls[0] += 1
        if calls[0] == n:
            raise Boom("simulated failure while writing")
        return real(*args, **kwargs)

    return maybe


FAILURES = {
    "dashboard": lambda mp: mp.setattr(cli_job, "_dashboard", _fail()),
    "manifest": lambda mp: mp.setattr(outputs, "write_manifest", _fail()),
    "third-table": lambda mp: mp.setattr(outputs, "write_parquet", _fail_on_call(3, outputs.write_parquet)),
    "interrupt-in-dashboard": lambda mp: mp.setattr(cli_job, "_dashboard", _fail(KeyboardInterrupt)),
    "simulation": lambda mp: mp.setattr(cli_job, "run_all", _fail()),
}


def _leftovers(out: Path) -> list[str]:
    if not out.exists():
        return []
    return sorted(p.name for p in out.iterdir() if p.name not in ("simsoins.log", ".hydra"))


@pytest.mark.parametrize("where", list(FAILURES))
def test_a_run_that_fails_midway_leaves_no_result_files(tmp_path, monkeypatch, small_job, where):
    job, resolved = small_job
    out = tmp_path / "run"
    FAILURES[where](monkeypatch)
    expected = KeyboardInterrupt if where.startswith("interrupt") else Boom
    with pytest.raises(expected):
        cli.execute(job, out, resolved)
    for name in ("summary.csv", "kpis.parquet", "manifest.json"):
        assert not (out / name).exists(), name
    assert _leftovers(out) == []  # no other table, no scenarios.json, no dashboard, no .tmp file


def test_the_same_job_succeeds_once_the_failure_is_gone(tmp_path, monkeypatch, small_job):
    job, resolved = small_job
    out = tmp_path / "run"
    with monkeypatch.context() as mp:
        mp.setattr(cli_job, "_dashboard", _fail())
        with pytest.raises(Boom):
            cli.execute(job, out, resolved)
    cli.execute(job, out, resolved)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["seed"] == SEED
    assert all((out / name).is_file() for name in RESULT_FILES)


def test_a_failed_rerun_does_not_leave_a_stale_complete_manifest(tmp_path, monkeypatch, small_job):
    job, resolved = small_job
    out = tmp_path / "run"
    cli.execute(job, out, resolved)
    monkeypatch.setattr(cli_job, "_dashboard", _fail())
    with pytest.raises(Boom):
        cli.execute(job, out, resolved)
    manifest = out / "manifest.json"
    complete = manifest.is_file() and json.loads(manifest.read_text()).get("status") == "complete"
    if complete:
        assert all((out / name).is_file() for name in RESULT_FILES), _leftovers(out)


# ----------------------------------------------------- in-process invariants


def test_results_do_not_depend_on_the_event_log_setting_or_the_replication_count(small_job):
    job, _ = small_job
    run = replace(job.run, replications=2, horizon_days=14, warmup_days=7)

    def kpis(r):
        return tables(run_all(job.territory, job.models, r, plans=job.plans))["kpis"]

    ref = kpis(run)
    pd.testing.assert_frame_equal(kpis(replace(run, event_log="none")), ref, check_exact=True)
    pd.testing.assert_frame_equal(kpis(replace(run, event_log="all")), ref, check_exact=True)
    # replication 0 is the same whether 1 or 2 replications are run
    one = kpis(replace(run, replications=1))
    pd.testing.assert_frame_equal(one, ref[ref["replication"] == 0].reset_index(drop=True), check_exact=True)
    # and the seed matters
    other = kpis(replace(run, seed=SEED + 1))
    assert not other["value"].equals(ref["value"])


def test_results_of_another_format_are_refused_with_a_clear_message(tmp_path):
    """Reading results written by another version: a clear message, not a KeyError."""
    import json
    import subprocess
    import sys

    run = tmp_path / "old"
    run.mkdir()
    (run / "manifest.json").write_text(json.dumps({"status": "complete", "results_format": 99}))
    res = subprocess.run([sys.executable, "-m", "simsoins.dashboard", str(run)], capture_output=True, text=True,
                         timeout=120)
    assert res.returncode == 2
    assert "format 99" in res.stderr and "Traceback" not in res.stderr

"""A sweep is named by its content and resumes only what is still valid (issue #22,
finding 3): a data file or a swept value changed never reports stale results; the launcher
and ``run.jobs`` change nothing, so a resumed sweep simulates nothing again."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
TINY = ["territory=exemple", "run.replications=2", "run.horizon_days=28", "run.warmup_days=7"]
DOSES = ["scenario=assistants_medicaux", "scenario.levers.assistants_medicaux.count=0,2"]
KEPT = "already complete"
EXPERIMENT = """# @package _global_
defaults:
  - override /scenario: assistants_medicaux
hydra:
  sweeper:
    params:
      scenario.levers.assistants_medicaux.count: {values}
"""


def simsoins(cwd: Path, *args: str, configs: Path | None = None) -> str:
    """``python -m simsoins -m ARGS`` from ``cwd`` with this checkout's code; its log."""
    env = {k: v for k, v in os.environ.items() if k != "SIMSOINS_CONFIG_DIR"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    if configs is not None:
        env["SIMSOINS_CONFIG_DIR"] = str(configs)
    res = subprocess.run([sys.executable, "-m", "simsoins", "-m", *TINY, *args], capture_output=True, text=True,
                         cwd=cwd, env=env, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    return res.stdout + res.stderr


def sweep_dirs(cwd: Path) -> list[Path]:
    return sorted((cwd / "multirun").iterdir())


def stamps(sweep: Path) -> dict[str, int]:
    return {p.parent.name: p.stat().st_mtime_ns for p in sweep.glob("*/kpis.parquet")}


@pytest.fixture(scope="module")
def resumable(tmp_path_factory):
    """A two-job sweep run once into its default folder (``multirun/<id>``)."""
    cwd = tmp_path_factory.mktemp("resume")
    log = simsoins(cwd, *DOSES, "run.jobs=1")
    assert KEPT not in log
    (sweep,) = sweep_dirs(cwd)
    return cwd, sweep, stamps(sweep)


def test_the_same_sweep_again_resumes_and_simulates_nothing(resumable):
    cwd, sweep, before = resumable
    log = simsoins(cwd, *DOSES, "run.jobs=1")
    assert sweep_dirs(cwd) == [sweep]
    assert log.count(KEPT) == 2 and stamps(sweep) == before


@pytest.mark.parametrize("how", [
    pytest.param(["run.jobs=2"], id="run.jobs"),
    pytest.param(["run.jobs=2", "hydra/launcher=joblib", "hydra.launcher.n_jobs=2"], id="joblib-launcher",
                 marks=pytest.mark.slow),  # loky workers start slowly; the id is also checked in process below
])
def test_other_workers_or_launcher_find_the_same_sweep_and_simulate_nothing(resumable, how):
    cwd, sweep, before = resumable
    log = simsoins(cwd, *DOSES, *how)
    assert sweep_dirs(cwd) == [sweep], "the launcher or run.jobs changed the sweep id"
    assert log.count(KEPT) == 2 and stamps(sweep) == before


def _copy_exemple(tmp_path: Path) -> list[str]:
    """The exemple territory's tables copied into ``tmp_path``, as overrides."""
    data = ROOT / "simsoins" / "data" / "territories" / "exemple"
    out = []
    for table in ("communes", "practices", "clinicians"):
        shutil.copy(data / f"{table}.csv", tmp_path / f"{table}.csv")
        out.append(f"territory.{table}={tmp_path / f'{table}.csv'}")
    return out


def _kpis(sweep: Path) -> pd.DataFrame:
    return pd.read_parquet(sweep / "sweep_kpis.parquet")[["job", "replication", "kpi", "value"]]


@pytest.mark.parametrize("into", [pytest.param("default", marks=pytest.mark.slow), "same-folder"])
def test_a_commune_population_edited_in_the_csv_is_simulated_again(tmp_path, into):
    tables = _copy_exemple(tmp_path)
    where = [f"hydra.sweep.dir={tmp_path / 'sweep'}"] if into == "same-folder" else []
    args = [*tables, "scenario=baseline", "run.seed=1,2", "run.jobs=1", *where]
    simsoins(tmp_path, *args)
    (first,) = sweep_dirs(tmp_path) if not where else [tmp_path / "sweep"]
    before = _kpis(first)
    communes = tmp_path / "communes.csv"
    communes.write_text(communes.read_text(encoding="utf-8").replace("99001,Villebourg,9000",
                                                                     "99001,Villebourg,18000"), encoding="utf-8")
    log = simsoins(tmp_path, *args)
    assert KEPT not in log, "a job was kept though its territory's data changed"
    after = _kpis(tmp_path / "sweep" if where else next(p for p in sweep_dirs(tmp_path) if p != first))
    assert not before["value"].equals(after["value"])
    if not where:
        assert len(sweep_dirs(tmp_path)) == 2, "the data file's content is not in the sweep id"


@pytest.mark.parametrize("into", [pytest.param("default", marks=pytest.mark.slow), "same-folder"])
def test_a_swept_value_removed_from_an_experiment_is_not_reported(tmp_path, into):
    configs = tmp_path / "configs"
    shutil.copytree(ROOT / "configs", configs)
    experiment = configs / "experiment" / "essai.yaml"
    where = [f"hydra.sweep.dir={tmp_path / 'sweep'}"] if into == "same-folder" else []
    args = ["+experiment=essai", "run.jobs=1", *where]
    experiment.write_text(EXPERIMENT.format(values="0,2,4"), encoding="utf-8")
    simsoins(tmp_path, *args, configs=configs)
    experiment.write_text(EXPERIMENT.format(values="0,2"), encoding="utf-8")
    log = simsoins(tmp_path, *args, configs=configs)
    sweep = tmp_path / "sweep" if where else sweep_dirs(tmp_path)[-1]
    if not where:
        assert len(sweep_dirs(tmp_path)) == 2, "the swept values are not in the sweep id"
        sweep = next(p for p in sweep_dirs(tmp_path) if not (p / "2").exists())
    else:
        assert log.count(KEPT) == 2, "the jobs still swept were simulated again"
    counts = set(pd.read_parquet(sweep / "sweep_kpis.parquet")["scenario.levers.assistants_medicaux.count"])
    assert counts == {"0", "2"}
    summary = pd.read_csv(sweep / "sweep_summary.csv")
    assert not summary["scenario"].str.contains("count=4").any()


# ----------------------------------------------------------------------------- in process, fast


def sweep_id_of(*overrides: str, swept: tuple[str, ...] = (), params: dict | None = None) -> str:
    """The sweep id of a sweep composed from ``overrides`` sweeping ``swept`` (command line)
    and ``params`` (``hydra.sweeper.params``), as its master config resolves it."""
    from hydra import compose
    from omegaconf import open_dict

    from simsoins.cli.configs import config_tree
    from simsoins.run.sweep import sweep_id

    with config_tree():
        root = compose("config", overrides=list(overrides), return_hydra_config=True)
    with open_dict(root):
        root.hydra.overrides.task = [*overrides, *swept]
        if params is not None:
            root.hydra.sweeper.params = params
    return sweep_id(root)


def test_the_sweep_id_covers_the_swept_values_and_results_settings_but_not_workers_or_launcher(tmp_path):
    base = sweep_id_of(*TINY, "run.jobs=1", swept=("run.seed=1,2,4",))
    assert sweep_id_of(*TINY, "run.jobs=2", swept=("run.seed=1,2,4",)) == base
    assert sweep_id_of(*TINY, "run.jobs=1", "hydra/launcher=joblib", swept=("run.seed=1,2,4",)) == base
    assert sweep_id_of(*TINY, "run.jobs=1", swept=("run.seed=1,2",)) != base
    assert sweep_id_of(*TINY, "run.jobs=1", "run.event_log=all", swept=("run.seed=1,2,4",)) != base
    params = {"run.seed": "1,2,4"}
    assert sweep_id_of(*TINY, params=params) == sweep_id_of(*TINY, "run.jobs=3", params=params)
    assert sweep_id_of(*TINY, params={"run.seed": "1,2"}) != sweep_id_of(*TINY, params=params)


def test_the_sweep_id_covers_the_content_of_the_territory_files(tmp_path):
    tables = _copy_exemple(tmp_path)
    before = sweep_id_of(*TINY, *tables, swept=("run.seed=1,2",))
    communes = tmp_path / "communes.csv"
    communes.write_text(communes.read_text(encoding="utf-8").replace(",600,", ",601,"), encoding="utf-8")
    assert sweep_id_of(*TINY, *tables, swept=("run.seed=1,2",)) != before


def test_already_done_compares_the_data_files_content_and_ignores_run_jobs(tmp_path):
    import json

    from simsoins.run.sweep import already_done, manifest_inputs

    tables = _copy_exemple(tmp_path)
    resolved = {"territory": {k.split("=")[0].split(".")[1]: k.split("=")[1] for k in tables},
                "run": {"jobs": 1, "seed": 3}}
    (tmp_path / "manifest.json").write_text(json.dumps(
        {"status": "complete", "config": resolved, "inputs": manifest_inputs(resolved)}), encoding="utf-8")
    assert already_done(tmp_path, resolved)
    assert already_done(tmp_path, {**resolved, "run": {"jobs": 2, "seed": 3}})
    assert not already_done(tmp_path, {**resolved, "run": {"jobs": 1, "seed": 4}})
    clinicians = tmp_path / "clinicians.csv"
    clinicians.write_text(clinicians.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert not already_done(tmp_path, resolved)

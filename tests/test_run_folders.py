"""Run folders are never shared by accident (issue #22, findings 2 and 5): unique temporary
names, a lock held for the run's life, a fresh default folder per run, a complete run never
overwritten, and a failed or refused run removes only what it created."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from test_config import base_cfg

from simsoins.cli import execute, prepare
from simsoins.results import outputs
from simsoins.territory import PACKAGE_DATA

ROOT = Path(__file__).resolve().parents[1]
TINY = ["territory=exemple", "run.replications=2", "run.horizon_days=28", "run.warmup_days=7", "run.jobs=1"]
RESULT_FILES = ("summary.csv", "kpis.parquet", "events.parquet", "scenarios.json", "dashboard.html")


def start(*args: str, cwd: Path) -> subprocess.Popen:
    """``python -m simsoins`` with this worktree's code, from ``cwd``."""
    env = {k: v for k, v in os.environ.items() if k != "SIMSOINS_CONFIG_DIR"}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.Popen([sys.executable, "-m", "simsoins", *args], cwd=cwd, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(proc: subprocess.Popen) -> tuple[int, str]:
    _, err = proc.communicate(timeout=300)
    return proc.returncode, err


def refused_in_one_line(rc: int, err: str, *words: str) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert rc == 2 and len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith("simsoins: error: ") and all(w in lines[0] for w in words), lines[0]


def consistent(folder: Path) -> str:
    """The scenario of the complete run in ``folder``, every file agreeing on it."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "complete"
    scenarios = manifest["scenarios"]
    assert manifest["config"]["scenario"]["name"] == scenarios[-1]
    assert sorted(pd.read_csv(folder / "summary.csv")["scenario"].unique()) == sorted(scenarios)
    for name in ("kpis.parquet", "events.parquet"):
        assert sorted(pd.read_parquet(folder / name)["scenario"].unique()) == sorted(scenarios), name
    assert json.loads((folder / "scenarios.json").read_text(encoding="utf-8"))["order"] == scenarios
    overrides = yaml.safe_load((folder / ".hydra" / "overrides.yaml").read_text(encoding="utf-8"))
    assert f"scenario={scenarios[-1]}" in overrides
    return scenarios[-1]


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# ------------------------------------------------------------------------ two runs


def _race(tmp_path: Path) -> Path:
    folder = tmp_path / "run"
    procs = {sc: start(*TINY, f"scenario={sc}", f"hydra.run.dir={folder}", cwd=tmp_path) for sc in ("cpts", "sas")}
    ends = {sc: finish(p) for sc, p in procs.items()}
    winners = [sc for sc, (rc, _) in ends.items() if rc == 0]
    assert len(winners) == 1, ends  # one completes; the other is refused, never mixed in
    loser = next(sc for sc in ends if sc not in winners)
    rc, err = ends[loser]
    refused_in_one_line(rc, err, str(folder))
    assert consistent(folder) == winners[0]
    assert not list(folder.glob(".*.tmp")) and not (folder / outputs.LOCK_NAME).exists()
    return folder


@pytest.fixture(scope="module")
def raced(tmp_path_factory) -> Path:
    return _race(tmp_path_factory.mktemp("race"))


def test_two_runs_into_one_folder_one_is_refused(raced):
    assert (raced / "manifest.json").is_file()


@pytest.mark.slow
@pytest.mark.parametrize("attempt", range(4))
def test_two_runs_into_one_folder_repeatedly(tmp_path, attempt):
    _race(tmp_path)


def test_two_runs_started_together_get_their_own_default_folders(tmp_path):
    procs = {sc: start(*TINY, f"scenario={sc}", cwd=tmp_path) for sc in ("cpts", "sas")}
    ends = {sc: finish(p) for sc, p in procs.items()}
    assert all(rc == 0 for rc, _ in ends.values()), ends
    folders = sorted(p for p in (tmp_path / "outputs").glob("*/*") if p.is_dir())
    assert len(folders) == 2, folders
    assert sorted(consistent(f) for f in folders) == ["cpts", "sas"]
    for f in folders:  # outputs/DATE/TIME, with -2 only on a clash
        assert not list(f.glob(".*.tmp")) and not (f / outputs.LOCK_NAME).exists()
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", f.parent.name) and re.fullmatch(r"\d\d-\d\d-\d\d(-\d+)?", f.name)


def test_a_rerun_into_a_complete_folder_is_refused_and_changes_nothing(raced):
    before, scenario = snapshot(raced), consistent(raced)
    rc, err = finish(start(*TINY, "scenario=baseline", f"hydra.run.dir={raced}", cwd=raced.parent))
    refused_in_one_line(rc, err, str(raced), "complete run")
    assert snapshot(raced) == before
    assert consistent(raced) == scenario


def test_a_locked_folder_is_refused_before_hydra_touches_it(tmp_path):
    folder = tmp_path / "run"
    folder.mkdir()
    fd, created = outputs.lock_folder(folder)  # another run holding it
    try:
        rc, err = finish(start(*TINY, f"hydra.run.dir={folder}", cwd=tmp_path))
        refused_in_one_line(rc, err, str(folder), "in use")
        assert sorted(p.name for p in folder.iterdir()) == [outputs.LOCK_NAME]
    finally:
        outputs.unlock_folder(folder, fd, created)
    assert not any(folder.iterdir())


# ----------------------------------------------------------------------- failures


def test_a_run_killed_while_writing_leaves_no_manifest_and_a_rerun_completes(tmp_path):
    folder = tmp_path / "run"
    proc = start(*TINY, "scenario=cpts", f"hydra.run.dir={folder}", cwd=tmp_path)
    deadline = time.monotonic() + 240
    while not (folder / "summary.csv").exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL, "the run ended before the kill: nothing was tested"
    assert not (folder / "manifest.json").exists()  # no partial mix claims to be complete
    # the dead run's lock ended with it: the folder can be used again, and ends consistent
    rc, err = finish(start(*TINY, "scenario=sas", f"hydra.run.dir={folder}", cwd=tmp_path))
    assert rc == 0, err
    assert consistent(folder) == "sas"


def test_a_run_failing_midway_removes_exactly_what_it_wrote(tmp_path, monkeypatch):
    cfg = base_cfg()
    cfg["run"].update(replications=2, horizon_days=28, warmup_days=7, jobs=1)
    job = prepare(cfg)
    out = tmp_path / "run"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    real, calls = outputs.write_parquet, []

    def failing(df, path):
        calls.append(path)
        if len(calls) == 3:
            raise KeyboardInterrupt  # Ctrl-C in the middle of the write phase
        real(df, path)

    monkeypatch.setattr(outputs, "write_parquet", failing)
    with pytest.raises(KeyboardInterrupt):
        execute(job, out, cfg)
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


def test_a_bad_territory_in_the_users_own_folder_deletes_nothing(tmp_path):
    user = tmp_path / "user"
    user.mkdir()
    (user / "notes.txt").write_text("mine", encoding="utf-8")
    bad = tmp_path / "practices.csv"
    good = (PACKAGE_DATA / "exemple" / "practices.csv").read_text(encoding="utf-8")
    bad.write_text(good + "garbage,x\n", encoding="utf-8")
    args = [*TINY, f"territory.practices={bad}", "hydra.run.dir=."]
    rc, err = finish(start(*args, cwd=user))
    refused_in_one_line(rc, err, "territory.practices")
    assert sorted(p.name for p in user.iterdir()) == ["notes.txt"]  # nor .hydra, log or lock left
    (user / "notes.txt").unlink()
    rc, err = finish(start(*args, cwd=user))  # an empty folder of the user's: kept too
    refused_in_one_line(rc, err, "territory.practices")
    assert user.is_dir() and not any(user.iterdir())


# ------------------------------------------------------------------ the primitives


def test_temporary_files_have_unique_names_and_the_usual_mode(tmp_path):
    seen = []

    def write(tmp: Path) -> None:
        seen.append(tmp)
        assert tmp.parent == tmp_path and tmp.name != ".x.csv.tmp"
        tmp.write_text("a", encoding="utf-8")

    outputs.atomic_write(tmp_path / "x.csv", write)
    outputs.atomic_write(tmp_path / "x.csv", write)
    assert seen[0] != seen[1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.csv"]
    mask = os.umask(0)
    os.umask(mask)
    assert (tmp_path / "x.csv").stat().st_mode & 0o777 == 0o666 & ~mask


def test_a_folder_is_locked_once(tmp_path):
    fd, created = outputs.lock_folder(tmp_path)
    assert created
    with pytest.raises(outputs.FolderBusy):
        outputs.lock_folder(tmp_path)
    outputs.unlock_folder(tmp_path, fd, created)
    assert not (tmp_path / outputs.LOCK_NAME).exists()
    fd, created = outputs.lock_folder(tmp_path)
    outputs.unlock_folder(tmp_path, fd, created)

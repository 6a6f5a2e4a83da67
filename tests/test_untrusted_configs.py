"""Config files are data, never code (issue #22, finding 1): a territory, scenario or
experiment file, or a config folder of one's own, may not reach Hydra's callbacks,
launcher, sweeper or logging, nor name a ``_target_``. The command is refused in one line
naming the file and the key, exit status 2, before Hydra builds anything."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from omegaconf import OmegaConf

from simsoins.cli.configs import config_dir
from simsoins.cli.untrusted import code_refusal, composed_refusal, file_refusal

ROOT = Path(__file__).resolve().parents[1]
SHORT = ["run.replications=2", "run.horizon_days=28", "run.warmup_days=7", "run.jobs=1"]


def simsoins(*args, env_extra=None):
    env = {k: v for k, v in os.environ.items() if k != "SIMSOINS_CONFIG_DIR"}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "simsoins", *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=300)


def payload(target: Path) -> str:
    """The issue's attack: a callback that writes a file when Hydra builds it (the first
    half of the pathlib.Path.write_text + pandas.read_pickle chain)."""
    return f"""\
hydra:
  callbacks:
    pwn:
      _target_: pathlib.Path.write_text
      self:
        _target_: pathlib.Path
        _args_: ["{target}"]
      data: owned
"""


def territory_attack(folder: Path, target: Path) -> Path:
    (folder / "territory").mkdir(parents=True, exist_ok=True)
    path = folder / "territory" / "evil.yaml"
    exemple = (ROOT / "configs" / "territory" / "exemple.yaml").read_text(encoding="utf-8")
    path.write_text("# @package _global_\n" + payload(target) + "territory:\n"
                    + "".join(f"  {line}\n" for line in exemple.splitlines()), encoding="utf-8")
    return path


def assert_refused(res, *names: str, target: Path, out: Path) -> None:
    assert res.returncode == 2, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("simsoins: error: "), res.stderr
    for name in names:
        assert name in lines[0], lines[0]
    assert not target.exists(), "the payload ran"
    assert not out.exists(), "a run directory was written"


@pytest.mark.parametrize("how", ["searchpath", "config-dir", "SIMSOINS_CONFIG_DIR"])
def test_a_territory_file_that_sets_hydra_callbacks_is_refused_and_runs_nothing(tmp_path, how):
    target, out, folder = tmp_path / "PWNED", tmp_path / "out", tmp_path / "mine"
    if how == "SIMSOINS_CONFIG_DIR":
        shutil.copytree(config_dir(), folder)
    evil = territory_attack(folder, target)
    args, env = ["territory=evil", *SHORT, f"hydra.run.dir={out}"], {}
    if how == "searchpath":
        args.append(f"hydra.searchpath=[file://{folder}]")
    elif how == "config-dir":
        args[:0] = ["--config-dir", str(folder)]
    else:
        env = {"SIMSOINS_CONFIG_DIR": str(folder)}
    res = simsoins(*args, env_extra=env)
    assert_refused(res, str(evil), "@package _global_", target=target, out=out)


def test_an_experiment_that_sets_a_callback_is_refused_naming_the_key(tmp_path):
    target, out, folder = tmp_path / "PWNED", tmp_path / "sweep", tmp_path / "mine"
    (folder / "experiment").mkdir(parents=True)
    study = folder / "experiment" / "evil.yaml"
    study.write_text("# @package _global_\n" + payload(target)
                     + "    params:\n      run.seed: 1,2\n".replace("    params", "  sweeper:\n    params"),
                     encoding="utf-8")
    res = simsoins("-m", "+experiment=evil", "territory=exemple", *SHORT, f"hydra.sweep.dir={out}",
                   f"hydra.searchpath=[file://{folder}]")
    assert_refused(res, str(study), "hydra.callbacks.pwn", target=target, out=out)


def test_a_swept_territory_file_is_checked_too(tmp_path):
    target, out, folder = tmp_path / "PWNED", tmp_path / "sweep", tmp_path / "mine"
    evil = territory_attack(folder, target)
    res = simsoins("-m", "territory=exemple,evil", *SHORT, f"hydra.sweep.dir={out}", f"hydra.searchpath=[file://{folder}]")
    assert_refused(res, str(evil), target=target, out=out)


# ------------------------------------------------------------------ the rule


@pytest.mark.parametrize("group, package, content, primary, key", [
    ("territory", "", {"name": "x"}, False, "# @package _global_"),
    ("scenario", "", {"name": "x"}, False, "# @package _global_"),
    ("territory", "territory", {"communes": {"_target_": "os.system"}}, False, "territory.communes._target_"),
    ("scenario", "scenario", {"levers": {"cpts": {"x": "${_target_}"}}}, False, "scenario.levers.cpts.x"),
    ("experiment", "", {"hydra": {"job_logging": {"root": {"level": "INFO"}}}}, False, "hydra.job_logging.root.level"),
    ("experiment", "", {"hydra": {"job": {"env_set": {"LD_PRELOAD": "x"}}}}, False, "hydra.job.env_set.LD_PRELOAD"),
    ("experiment", "", {"hydra": {"sweeper": {"params": {"hydra.job_logging.root.level": "INFO,DEBUG"}}}}, False,
     "hydra.sweeper.params.hydra"),
    ("experiment", "", {"hydra": {"callbacks": {"c": {"_target_": "simsoins.run.sweep.SweepCallback"}}}}, False,
     "hydra.callbacks.c._target_"),
    ("sensitivity", "", {"hydra": {"mode": "MULTIRUN"}}, False, "hydra.mode"),
    ("", "", {"hydra": {"job_logging": {"handlers": {"h": {"class": "os.system"}}}}}, True, "hydra.job_logging"),
    ("", "", {"hydra": {"callbacks": {"c": {"_target_": "pandas.read_pickle"}}}}, True, "hydra.callbacks.c._target_"),
    ("hydra/job_logging", "hydra.job_logging", {"version": 1}, False, "hydra/job_logging"),
])
def test_the_rule_names_the_key(group, package, content, primary, key):
    found = file_refusal(group, package, content, primary)
    assert found is not None and key in found, found


@pytest.mark.parametrize("group, package, content, primary", [
    ("", "", {"hydra": {"job": {"name": "simsoins"}, "run": {"dir": "outputs/x"}, "sweep": {"dir": "m", "subdir": "0"},
                        "callbacks": {"sweep_comparison": {"_target_": "simsoins.run.sweep.SweepCallback"}}}}, True),
    ("experiment", "", {"run": {"replications": 5}, "hydra": {"sweeper": {"params": {"+sensitivity": "a,b"}}}}, False),
    ("territory", "territory", {"name": "x", "hydra": {"note": "lands at territory.hydra: plain data"}}, False),
    ("hydra/help", "hydra.help", {"app_name": "simsoins", "template": "${hydra.help.header}"}, False),
])
def test_what_the_rule_allows(group, package, content, primary):
    assert file_refusal(group, package, content, primary) is None


def _args(*overrides: str, multirun: bool = False) -> argparse.Namespace:
    return argparse.Namespace(overrides=list(overrides), multirun=multirun, config_name=None, config_path=None,
                              config_dir=None)


@pytest.mark.parametrize("study", sorted(p.stem for p in (Path(config_dir()) / "experiment").glob("*.yaml")))
def test_the_package_own_studies_pass(study):
    assert code_refusal(_args(f"+experiment={study}", multirun=True), "simsoins.cli.app", config_dir()) is None


@pytest.mark.parametrize("overrides, multirun", [
    (["territory=exemple,loir_et_cher,departement", "scenario=glob(*)"], True),
    (["scenario=[cpts,sas]"], False),
    (["hydra/launcher=joblib", "run.seed=1,2"], True),
])
def test_the_package_own_files_pass(overrides, multirun):
    assert code_refusal(_args(*overrides, multirun=multirun), "simsoins.cli.app", config_dir()) is None


@pytest.mark.parametrize("tree, key", [
    ({"hydra": {"job_logging": {"handlers": {"h": {"()": "os.system"}}}}}, "hydra.job_logging.handlers.h.()"),
    ({"hydra": {"hydra_logging": {"handlers": {"h": {"class": "x.Y"}}}}}, "hydra.hydra_logging.handlers.h.class"),
    ({"hydra": {"job_logging": {"handlers": {"h": {"stream": "ext://os.system"}}}}},
     "hydra.job_logging.handlers.h.stream"),
    ({"hydra": {"launcher": {"_target_": "os.system"}}}, "hydra.launcher._target_"),
    ({"hydra": {"callbacks": {"c": {"_target_": "simsoins.run.sweep.SweepCallback", "x": 1}}}}, "hydra.callbacks.c.x"),
    ({"territory": {"x": {"_target_": "os.system"}}}, "territory.x._target_"),
])
def test_the_composed_config_is_checked_whatever_set_it(tree, key):
    found = composed_refusal(OmegaConf.create(tree))
    assert found is not None and found.startswith(key), found

"""One source of defaults: the dataclasses of :mod:`simsoins.config.model` (levers included)
default to exactly the values of ``configs/config.yaml`` — what the command line runs and
what every published figure came from — so library use and the command line agree."""

from __future__ import annotations

import dataclasses
from typing import Any, cast

from hydra import compose, initialize_config_dir
from omegaconf import OmegaConf

from simsoins.cli import MODEL_KEYS, config_dir
from simsoins.cli.configs import plain
from simsoins.config.model import ModelConfig, RunConfig, build_model, from_mapping

#: Lever fields that config.yaml does not write out: weekly schedules, routes and hourly
#: staffing, documented next to their dataclass and set by the scenario files.
NOT_IN_YAML = {"levers.docteurs_juniors.schedule", "levers.nouveau_centre.schedule", "levers.medicobus.route",
               "levers.medicobus.sessions", "levers.sas.regulators", "levers.hopital_proximite.schedule"}


def composed() -> dict:
    """config.yaml as the command line composes it (its defaults list: Loir-et-Cher, baseline)."""
    with initialize_config_dir(config_dir(), version_base=None):
        return plain(compose("config"))


def differences(default: Any, configured: Any, path: str) -> list[str]:
    """Paths of the leaves where ``default`` and ``configured`` differ in value or type."""
    if dataclasses.is_dataclass(default):
        return [d for f in dataclasses.fields(default)
                for d in differences(getattr(default, f.name), getattr(configured, f.name),
                                     f"{path}.{f.name}" if path else f.name)]
    if typed(default) != typed(configured):
        return [f"{path}: dataclass default {default!r}, config.yaml {configured!r}"]
    return []


def typed(value: Any) -> Any:
    """``value`` with the type of each item, so that 1 and 1.0 differ (as they may in arithmetic)."""
    if isinstance(value, (tuple, list)):
        return (type(value), tuple(typed(v) for v in value))
    if isinstance(value, dict):
        return (dict, tuple((k, typed(v)) for k, v in value.items()))
    return (type(value), value)


def field_paths(record: Any, prefix: str) -> list[str]:
    """Dotted paths of every leaf field of dataclass instance ``record``."""
    out = []
    for f in dataclasses.fields(record):
        path = f"{prefix}.{f.name}" if prefix else f.name
        value = getattr(record, f.name)
        out += field_paths(value, path) if dataclasses.is_dataclass(value) else [path]
    return out


def has_path(data: dict, path: str) -> bool:
    for key in path.split("."):
        if not isinstance(data, dict) or key not in data:
            return False
        data = data[key]
    return True


def test_model_defaults_are_the_values_of_config_yaml():
    cfg = composed()
    configured = build_model({k: cfg[k] for k in MODEL_KEYS})
    assert differences(ModelConfig(), configured, "") == []


def test_run_defaults_are_the_values_of_config_yaml():
    configured = from_mapping(RunConfig, composed()["run"], "run")
    assert differences(RunConfig(), configured, "run") == []


def test_the_baseline_scenario_changes_no_lever():
    assert composed()["scenario"].get("levers") in ({}, None)


def test_config_yaml_writes_out_every_default():
    cfg = cast(dict, OmegaConf.to_container(OmegaConf.load(f"{config_dir()}/config.yaml")))
    paths = field_paths(ModelConfig(), "") + field_paths(RunConfig(), "run")
    assert [p for p in paths if p not in NOT_IN_YAML and not has_path(cfg, p)] == []
    assert all(has_path(dataclasses.asdict(ModelConfig()), p) for p in NOT_IN_YAML)


def test_a_changed_default_is_named():
    changed = dataclasses.replace(ModelConfig(), pathways=dataclasses.replace(ModelConfig().pathways,
                                                                              acute_er_probability=0.45))
    assert differences(changed, ModelConfig(), "") == [
        "pathways.acute_er_probability: dataclass default 0.45, config.yaml 0.6"]
    assert differences(RunConfig(jobs=1), RunConfig(), "run") == ["run.jobs: dataclass default 1, config.yaml 2"]

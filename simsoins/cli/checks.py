"""Overrides checked before Hydra runs: a bad one is refused with one line naming the key,
the value and what is allowed, and exit status 2, before any job starts.

What Hydra reports itself is left to it: a malformed command line (a flag among the
overrides, an unknown option) is its argument parser's usage error, exit status 2. Its
composition errors (an unknown scenario, a key that does not exist, a malformed
override) come as several lines with exit status 1, and it knows nothing of the model's
ranges: those are found here by composing the config once, as Hydra will, and reworded.
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from omegaconf import DictConfig, OmegaConf

from simsoins.cli.configs import compose_config, config_tree, group_options, plain
from simsoins.cli.values import validate_values
from simsoins.config.model import ConfigError

#: Values of one swept key checked before the sweep starts; the rest of a longer sweep
#: (seeds over a range) is checked as each job starts.
MAX_CHECKED_VALUES = 50


def refusal(overrides: list[str], multirun: bool = False) -> str | None:
    """The one-line message that refuses ``overrides``, or None if the config they compose
    is valid. A sweep is checked with every swept key at its first value (one composition),
    then each other value of each key against that config — not their cross product."""
    with config_tree():
        try:
            if multirun:
                _check_sweep(overrides)
            else:
                _compose_valid(overrides)
        except Exception as err:
            return _message(err, overrides)
    return None


def _compose_valid(overrides: list[str]) -> DictConfig:
    """The config composed with ``overrides``, after checking its values."""
    cfg = compose_config(overrides)
    check_values(plain(cfg))
    return cfg


def check_values(resolved: dict) -> None:
    """The composed config's values (:func:`validate_values`), and the baseline's name
    kept for the scenario with every lever off; ConfigError if either is wrong."""
    validate_values(resolved)
    scenario = resolved.get("scenario") or {}
    if not isinstance(scenario, dict) or scenario.get("name") != "baseline":
        return
    base = resolved.get("levers") or {}
    for lever, delta in (scenario.get("levers") or {}).items():
        if isinstance(delta, dict) and {**(base.get(lever) or {}), **delta} != base.get(lever):
            # the baseline alone would be simulated, the manifest saying the lever was on
            raise ConfigError(f"scenario.name=baseline: the name 'baseline' is kept for the scenario with every "
                              f"lever off, and scenario.levers.{lever} changes it; give this scenario another name")


@dataclass(frozen=True)
class SweptKey:
    """One swept override of a multirun (``scenario=baseline,cpts``, ``run.seed=range(5)``)."""

    index: int  #: its place among the overrides
    key: str  #: the key as written, with its ``+`` / ``++`` prefix or ``@package``
    path: str  #: the config key or config group it sets
    values: tuple[str, ...]  #: its values, each as override text

    def override(self, value: str) -> str:
        return f"{self.key}={value}"


def _swept_keys(overrides: list[str]) -> list[SweptKey]:
    from hydra.core.global_hydra import GlobalHydra
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.core.override_parser.types import Transformer

    # with the config loader, the parser expands glob(...) over a group's options
    parser = OverridesParser.create(config_loader=GlobalHydra.instance().config_loader())
    return [SweptKey(index=i, key=o.get_key_element(), path=o.key_or_group,
                     values=tuple(str(v) for v in o.sweep_iterator(transformer=Transformer.encode)))
            for i, o in enumerate(parser.parse_overrides(overrides)) if o.is_sweep_override()]


def _check_sweep(overrides: list[str]) -> None:
    swept = _swept_keys(overrides)
    first = list(overrides)
    for key in swept:
        first[key.index] = key.override(key.values[0])
    cfg = _compose_valid(first)
    for key in swept:
        options = group_options(key.path, overrides)
        for value in key.values[1:MAX_CHECKED_VALUES]:
            if options:
                _check_group_option(key, value, options, first)
            elif not key.path.startswith("hydra."):  # Hydra's own settings: Hydra checks them
                _check_value(cfg, key.path, value)


def _check_group_option(key: SweptKey, option: str, options: list[str], first: list[str]) -> None:
    """Another option of a swept config group (``scenario``, ``territory``…). What an
    option sets is only known by composing it (its own defaults list, its package, a
    user's file may hold a bad value): one composition per other option of a group."""
    if option not in options:
        raise ConfigError(f"{key.path}={option}: unknown {key.path}; available: {', '.join(options)}")
    _compose_valid([*first[:key.index], key.override(option), *first[key.index + 1:]])


def _check_value(cfg: DictConfig, path: str, text: str) -> None:
    """Another value of a swept config key, set on the composed config as Hydra sets it."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    value = OverridesParser.create().parse_override(f"{path}={text}").value()
    variant = copy.deepcopy(cfg)
    OmegaConf.update(variant, path, value, merge=True)
    check_values(plain(variant))


def _message(err: Exception, overrides: list[str]) -> str:
    """``err``, raised while composing or checking ``overrides``, as one line."""
    from hydra.errors import HydraException, MissingConfigException

    if isinstance(err, ConfigError):
        return str(err)
    if isinstance(err, MissingConfigException):
        return _missing_option(err)
    first = _first_line(err)
    if isinstance(err, HydraException) and first.startswith("Could not override '"):
        key = first.split("'")[1]
        return f"{key}: no such key in the config (a typo? a new key needs +{key}=...)"
    return malformed(overrides) or first


def _missing_option(err: Any) -> str:
    """An unknown option of a config group (``scenario=nope``) and the options there are."""
    group, _, name = str(err.missing_cfg_file or "").rpartition("/")
    if not group:
        return _first_line(err)
    options = ", ".join(err.options or group_options(group))
    return f"{group}={name}: unknown {group}; available: {options or 'none'}"


def _first_line(err: Exception) -> str:
    return (str(err).splitlines() or [type(err).__name__])[0]


def malformed(overrides: list[str]) -> str | None:
    """The first override that does not parse, as a one-line message."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    parser = OverridesParser.create()
    for o in overrides:
        try:
            parser.parse_overrides([o])
        except Exception as err:
            return f"{o}: malformed override ({_first_line(err)}); see key=value in the README"
    return None


# ------------------------------------------------------------- the other tools


def compose_checked(overrides: list[str], prog: str) -> dict:
    """The composed config (a plain dict) for a tool other than the main command
    (``python -m simsoins.validate``, ``.calibrate``): a bad override is one line on
    stderr naming the key, the value and what is allowed, and exit status 2."""
    with config_tree():
        try:
            return plain(_compose_valid(overrides))
        except Exception as err:
            message = _message(err, overrides)
    print(f"{prog}: error: {message}", file=sys.stderr)
    sys.exit(2)


def int_at_least(low: int) -> Callable[[str], int]:
    """argparse type: a whole number ≥ ``low``, with a message that says so."""
    import argparse

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if value < low:
            raise argparse.ArgumentTypeError(f"{text!r}: must be a whole number ≥ {low}")
        return value

    return parse


# ------------------------------------------------------------- a sweep's jobs


def sweep_refusal(args: Any, calling_module: str, config_path: str) -> str | None:
    """A sweep (``-m``) with every job composed as its launcher will compose it (the
    command's sweeps and a study's ``hydra.sweeper.params``), each job's inputs checked —
    its values, its territory's files, its levers — before the first job runs: the one-line
    message naming the first bad job, or None. Another sweeper than Hydra's basic one
    chooses its jobs as it runs: its jobs are checked as each starts."""
    from hydra.types import RunMode

    from simsoins.cli.untrusted import hydra_as_main

    with hydra_as_main(args, calling_module, config_path) as hydra:
        try:
            master = hydra.compose_config(args.config_name or "config", list(args.overrides),
                                          run_mode=RunMode.MULTIRUN, with_log_configuration=False)
            jobs = _sweep_jobs(hydra.config_loader, master)
        except Exception:
            return None  # left to Hydra, which then runs no job
        checked: set[str] = set()
        for num, overrides in enumerate(jobs):
            message = _job_refusal(hydra.config_loader, master, overrides, checked)
            if message:
                return f"job {num} ({' '.join(overrides)}): {message}; no job was run"
    return None


def _sweep_jobs(loader: Any, master: DictConfig) -> list[list[str]]:
    """Each job's overrides, in order, as Hydra's basic sweeper makes them."""
    from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
    from hydra.core.override_parser.overrides_parser import OverridesParser

    if OmegaConf.select(master, "hydra.sweeper._target_") != f"{BasicSweeper.__module__}.BasicSweeper":
        return []
    params = [f"{k}={v}" for k, v in (OmegaConf.select(master, "hydra.sweeper.params") or {}).items()]
    parsed = OverridesParser.create(config_loader=loader).parse_overrides([*params, *master.hydra.overrides.task])
    return [job for batch in BasicSweeper.split_arguments(parsed, None) for job in batch]


def _job_refusal(loader: Any, master: DictConfig, overrides: list[str], checked: set[str]) -> str | None:
    """One job's config, composed, checked as data (:mod:`~simsoins.cli.untrusted`) and
    prepared as the job will be (:func:`~simsoins.cli.job.prepare`); ``checked`` holds the
    configs already found good (a sweep over seeds reads the same files every time)."""
    from simsoins.cli.job import prepare
    from simsoins.cli.untrusted import composed_refusal

    try:
        cfg = loader.load_sweep_config(master, overrides)
        found = composed_refusal(cfg)
        if found:
            return found
        resolved = {k: plain(cfg[k]) if OmegaConf.is_config(cfg[k]) else cfg[k] for k in cfg if k != "hydra"}
        key = json.dumps({**resolved, "run": {**resolved.get("run", {}), "seed": None}}, sort_keys=True, default=str)
        if key not in checked:
            check_values(resolved)
            prepare(resolved, compare=False)
            checked.add(key)
    except Exception as err:
        return _message(err, overrides)
    return None

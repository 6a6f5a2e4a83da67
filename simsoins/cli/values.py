"""The composed config's values checked (cheap: no territory file is read): the top-level
blocks, the run settings, the baseline model and the scenario's delta over its levers."""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

from simsoins.config.costs import CostConfig
from simsoins.config.levers import Levers
from simsoins.config.model import ConfigError, DashboardConfig, ModelConfig, RunConfig, build_model, from_mapping, merge

#: The blocks of the config that make the model (:class:`ModelConfig`).
MODEL_KEYS = ("demand", "clinicians", "pathways", "er", "tele", "levers", "demography")
#: Every top-level block of the config but Hydra's own.
#: dose: simsoins/levers/dose.py; costs: simsoins/config/costs.py; ou_agir: simsoins/config/ou_agir.py
TOP_KEYS = set(MODEL_KEYS) | {"run", "territory", "scenario", "dashboard", "dose", "costs", "ou_agir"}
#: The keys of a scenario file (configs/scenario/*.yaml).
SCENARIO_KEYS = ("label", "levers", "name")
#: First characters that make a spreadsheet cell a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class CheckedConfig(NamedTuple):
    """The composed config's values, validated (the territory block aside)."""

    run: RunConfig
    baseline: ModelConfig
    scenario_model: ModelConfig
    scenario: str
    scenario_block: dict
    lang: str
    write_dashboard: bool
    costs: CostConfig = CostConfig()


def validate_values(cfg: dict) -> CheckedConfig:
    """Check every value of the composed config (a plain dict) but the territory's files;
    a bad one raises :class:`ConfigError` naming its full config path."""
    _check_blocks(cfg)
    base = {k: cfg.get(k) or {} for k in MODEL_KEYS}
    run = from_mapping(RunConfig, cfg.get("run"), "run")
    baseline = build_model(base)
    scen = _scenario_block(cfg)
    dashboard = from_mapping(DashboardConfig, cfg.get("dashboard"), "dashboard")
    # The scenario's delta over the baseline levers: its errors name scenario.levers.*
    levers = from_mapping(Levers, merge(base["levers"], scen.get("levers") or {}), "scenario.levers")
    return CheckedConfig(run=run, baseline=baseline, scenario_model=replace(baseline, levers=levers),
                         scenario=str(scen.get("name", "baseline")), scenario_block=scen, lang=dashboard.lang,
                         write_dashboard=dashboard.write, costs=from_mapping(CostConfig, cfg.get("costs"), "costs"))


def _check_blocks(cfg: dict) -> None:
    """No unknown top-level key; every block a mapping."""
    unknown = sorted(set(cfg) - TOP_KEYS - {"hydra"})
    if unknown:
        raise ConfigError(f"{unknown[0]}: unknown top-level key; allowed: {', '.join(sorted(TOP_KEYS))}")
    for key in TOP_KEYS:
        if cfg.get(key) is not None and not isinstance(cfg[key], dict):
            hint = f" (choose one with {key}=NAME)" if key in ("scenario", "territory") else ""
            raise ConfigError(f"{key} = {cfg[key]!r}: must be a mapping{hint}")


def _scenario_block(cfg: dict) -> dict:
    scen = cfg.get("scenario") or {}
    extra = sorted(set(scen) - set(SCENARIO_KEYS))
    if extra:
        raise ConfigError(f"scenario.{extra[0]}: unknown key; allowed: {', '.join(SCENARIO_KEYS)}")
    name = str(scen.get("name", "baseline"))
    if name.startswith(FORMULA_STARTS):
        # summary.csv holds the name as is, and a spreadsheet would run it as a formula
        raise ConfigError(f"scenario.name = {name!r}: must not begin with {' '.join(FORMULA_STARTS[:4])} "
                          "(a spreadsheet opening summary.csv would read it as a formula)")
    return scen

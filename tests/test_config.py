"""Config validation: one message naming the field, the value and what is allowed."""

import re

import pytest
from conftest import CONFIGS, territory_cfg

from simsoins.cli import prepare
from simsoins.config.model import ConfigError, RunConfig, build_model, from_mapping


def base_cfg():
    from omegaconf import OmegaConf

    cfg = OmegaConf.to_container(OmegaConf.load(CONFIGS / "config.yaml"))
    cfg.pop("defaults")
    cfg.pop("hydra")
    cfg["territory"] = territory_cfg("exemple")
    cfg["scenario"] = {"name": "baseline", "levers": {}}
    return cfg


def test_the_default_config_is_valid():
    job = prepare(base_cfg())
    assert list(job.models) == ["baseline"]


@pytest.mark.parametrize("path, value, expected", [
    (("run", "replications"), 0, "run.replications = 0: must be ≥ 1"),
    (("run", "horizon_days"), "long", "run.horizon_days = 'long': must be an integer"),
    (("run", "start_date"), "2026-11-03", "must be a Monday"),
    (("run", "event_log"), "some", "must be one of first, all, none"),
    (("pathways", "tele_uptake"), 2.0, "pathways.tele_uptake = 2.0: must be ≥ 0 and ≤ 1"),
    (("er", "service_minutes_mean"), 0, "er.service_minutes_mean = 0"),
    (("er", "triage_shares"), [0.5, 0.6, 0.1], "must sum to 1"),
    (("demand", "weekday"), [1, 1, 1], "must have 7 values"),
    (("demand", "routine_per_year"), [1, 2], "one value per age band"),
    (("demand", "acute_per_year"), [1, 1, -1, 1, 1], "must be ≥ 0"),
    (("clinicians", "same_day_share"), 1.2, "clinicians.same_day_share"),
    (("tele", "open_hours"), [22, 8], "start < end"),
    (("pathways", "no_such_key"), 1, "pathways.no_such_key: unknown key"),
])
def test_bad_values_name_the_field(path, value, expected):
    cfg = base_cfg()
    cfg[path[0]][path[1]] = value
    with pytest.raises(ConfigError) as err:
        prepare(cfg)
    assert expected in str(err.value)


def test_unknown_lever_member_is_refused():
    cfg = base_cfg()
    cfg["scenario"] = {"name": "cpts", "levers": {"cpts": {"enabled": True, "members": ["NOPE"]}}}
    with pytest.raises(ConfigError, match=re.escape("scenario.levers.cpts.members = 'NOPE'")):
        prepare(cfg)


def test_warmup_longer_than_horizon_is_refused():
    with pytest.raises(ConfigError, match=re.escape("run.warmup_days = 100")):
        from_mapping(RunConfig, {"warmup_days": 100, "horizon_days": 50}, "run")


def test_model_config_round_trip():
    m = build_model({"pathways": {"tele_uptake": 0.7}})
    assert m.pathways.tele_uptake == 0.7

"""Every config, scenario, territory and experiment composes and validates."""

from pathlib import Path

import pytest
from hydra import compose, initialize_config_dir
from omegaconf import OmegaConf

from simsoins.cli import config_dir, prepare

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted(p.stem for p in (ROOT / "configs" / "scenario").glob("*.yaml"))
TERRITORIES = sorted(p.stem for p in (ROOT / "configs" / "territory").glob("*.yaml"))
EXPERIMENTS = sorted(p.stem for p in (ROOT / "configs" / "experiment").glob("*.yaml"))
SENSITIVITY = sorted(p.stem for p in (ROOT / "configs" / "sensitivity").glob("*.yaml"))


def composed(overrides):
    with initialize_config_dir(config_dir(), version_base=None):
        cfg = compose("config", overrides=overrides, return_hydra_config=False)
    return OmegaConf.to_container(cfg, resolve=True)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_scenario_validates_on_both_territories(scenario):
    for territory in TERRITORIES:
        job = prepare(composed([f"scenario={scenario}", f"territory={territory}"]))
        assert next(iter(job.models)) == "baseline"


@pytest.mark.parametrize("experiment", EXPERIMENTS)
def test_every_experiment_composes_with_its_sweep(experiment):
    with initialize_config_dir(config_dir(), version_base=None):
        cfg = compose("config", overrides=[f"+experiment={experiment}"], return_hydra_config=True)
    assert cfg.hydra.sweeper.params, experiment


@pytest.mark.parametrize("option", SENSITIVITY)
def test_every_sensitivity_option_validates(option):
    prepare(composed([f"+sensitivity={option}", "territory=exemple"]))


#: Fields of the levers block that are hypotheses, not levers: a sensitivity option each
#: (docs/levers.md, "Not a lever: prevention").
NOT_LEVERS = {"prevention": "prevention_hypothetique"}


def test_there_is_a_scenario_per_lever():
    from simsoins.config.levers import Levers

    assert set(Levers.__dataclass_fields__) - set(NOT_LEVERS) <= set(SCENARIOS)
    assert not set(NOT_LEVERS) & set(SCENARIOS) and set(NOT_LEVERS.values()) <= set(SENSITIVITY)


def test_the_search_path_holds_only_hydra_and_the_config_tree():
    """Experiments are a config group of configs/, not a search-path plugin that other
    Hydra applications in the same environment would see."""
    from hydra.core.global_hydra import GlobalHydra

    with initialize_config_dir(config_dir(), version_base=None):
        sources = GlobalHydra.instance().config_loader().get_sources()
        assert sorted(s.provider for s in sources) == ["hydra", "main", "schema"]
        assert [s.path for s in sources if s.provider == "main"] == [config_dir()]
        assert "tous_les_leviers" in GlobalHydra.instance().config_loader().get_group_options("experiment")


def test_the_help_config_is_selected():
    with initialize_config_dir(config_dir(), version_base=None):
        cfg = compose("config", return_hydra_config=True)
    assert cfg.hydra.help.app_name == "simsoins" and "$APP_CONFIG_GROUPS" in cfg.hydra.help.template

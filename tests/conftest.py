"""Shared fixtures: the small synthetic territory and short runs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from omegaconf import OmegaConf

from simsoins.cli.values import MODEL_KEYS
from simsoins.config.model import ModelConfig, RunConfig, build_model
from simsoins.territory import load_territory

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ROOT / "configs"
SHARED_DATA = ROOT.parent / "shared" / "data"


def default_model() -> ModelConfig:
    """The model of configs/config.yaml (levers off)."""
    cfg = OmegaConf.to_container(OmegaConf.load(CONFIGS / "config.yaml"))
    return build_model({k: cfg[k] for k in MODEL_KEYS})


def territory_cfg(name: str) -> dict:
    return OmegaConf.to_container(OmegaConf.load(CONFIGS / "territory" / f"{name}.yaml"))


@pytest.fixture(scope="session")
def model() -> ModelConfig:
    return default_model()


@pytest.fixture(scope="session")
def exemple(model):
    return load_territory(territory_cfg("exemple"), model.clinicians)


@pytest.fixture(scope="session")
def loir_et_cher(model):
    return load_territory(territory_cfg("loir_et_cher"), model.clinicians)


@pytest.fixture()
def short_run() -> RunConfig:
    return RunConfig(replications=2, horizon_days=90, warmup_days=28, seed=7, jobs=1)


def with_cpts(model: ModelConfig, share: float = 0.1) -> ModelConfig:
    return replace(model, levers=replace(model.levers, cpts=replace(model.levers.cpts, enabled=True,
                                                                      pool_share=share)))

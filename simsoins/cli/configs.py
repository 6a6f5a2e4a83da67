"""The config tree (« arborescence de configuration »): where it is, and composing it with
Hydra outside a run (for checks and for the other tools)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import cast

from omegaconf import DictConfig, OmegaConf


def config_dir() -> str:
    """Absolute path of the config directory: $SIMSOINS_CONFIG_DIR, else the checkout's
    ``configs/``, else the copy shipped inside the package (non-editable installs)."""
    env = os.environ.get("SIMSOINS_CONFIG_DIR")
    if env:
        return str(Path(env).resolve())
    package = Path(__file__).resolve().parents[1]
    repo = package.parent / "configs"
    if (repo / "config.yaml").is_file():
        return str(repo)
    return str(package / "_configs")


def compose_config(overrides: list[str]) -> DictConfig:
    """``config.yaml`` composed with ``overrides`` (without the ``hydra`` block), as the
    command line composes it; raises Hydra's errors. Call it inside :func:`config_tree`."""
    from hydra import compose

    return compose("config", overrides=overrides)


def plain(cfg: DictConfig) -> dict:
    """``cfg`` resolved into plain dicts and lists (what validation and the model read);
    an interpolation ``${...}`` that does not resolve raises a ConfigError naming its key."""
    from omegaconf.errors import InterpolationResolutionError

    from simsoins.config.model import ConfigError

    try:
        return cast(dict, OmegaConf.to_container(cfg, resolve=True))
    except InterpolationResolutionError as err:
        reason = (str(err.msg).splitlines() or ["cannot be resolved"])[0]
        raise ConfigError(f"{err.full_key}: its interpolation ${{...}} does not resolve ({reason}); "
                          "it must name an existing key, e.g. ${run.seed}") from None


def config_tree():
    """Context manager in which Hydra knows the config tree (``initialize_config_dir``)."""
    from hydra import initialize_config_dir

    return initialize_config_dir(config_dir(), version_base=None)


def group_options(group: str, overrides: list[str] | None = None) -> list[str]:
    """The options of config group ``group`` (``scenario`` → baseline, cpts, …; [] if
    ``group`` is not a group), those of a ``hydra.searchpath`` among ``overrides``
    included. Call it inside :func:`config_tree`."""
    from hydra.core.global_hydra import GlobalHydra

    searchpath = [o for o in overrides or [] if o.startswith("hydra.searchpath=")]
    return GlobalHydra.instance().config_loader().get_group_options(group, config_name="config", overrides=searchpath)

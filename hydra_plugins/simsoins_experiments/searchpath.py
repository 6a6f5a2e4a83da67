"""Adds the simsoins experiments directory to Hydra's config search path."""

from __future__ import annotations

import os
from pathlib import Path

from hydra.core.config_search_path import ConfigSearchPath
from hydra.plugins.search_path_plugin import SearchPathPlugin


def experiments_dir() -> Path:
    """$SIMSOINS_EXPERIMENTS_DIR, else the checkout's ``experiments/``, else the copy
    shipped in the package."""
    env = os.environ.get("SIMSOINS_EXPERIMENTS_DIR")
    if env:
        return Path(env).resolve()
    import simsoins

    pkg = Path(simsoins.__file__).resolve().parent
    repo = pkg.parent / "experiments"
    return repo if (repo / "experiment").is_dir() else pkg / "_experiments"


class SimsoinsExperimentsSearchPath(SearchPathPlugin):
    def manipulate_search_path(self, search_path: ConfigSearchPath) -> None:
        search_path.append(provider="simsoins-experiments", path=f"file://{experiments_dir()}")

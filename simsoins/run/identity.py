"""Content identity of a run and of a sweep: what the "already done" check of a sweep's job
and the name of a sweep's directory compare.

- A job's identity is its resolved config (without ``hydra`` and :data:`NOT_RESULTS`) and
  the SHA-256 of the content of every data file its territory reads (never a timestamp):
  editing a commune's population in a CSV changes it, so the job is simulated again.
- A sweep's identity is the identity of the config composed without the swept values,
  the swept parameters (``hydra.sweeper.params`` and the command line's sweep overrides)
  and its territory's data files. The launcher (``hydra/launcher=…``, any ``hydra.*``)
  and ``run.jobs`` are left out: they do not change results, and a sweep resumed with
  another launcher or more workers finds the jobs already done.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf

from simsoins.territory.load import territory_files

#: Config keys that cannot change a run's result files: the worker processes of the
#: replications (results do not depend on them, tests/test_reproducible.py). Every other
#: key may, e.g. ``run.event_log`` (which event logs are written) or ``dashboard.lang``.
NOT_RESULTS = (("run", "jobs"),)


def digest(value: Any) -> str:
    """SHA-256 of ``value`` as canonical JSON (sorted keys)."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_sha256(path: Path) -> str:
    """SHA-256 of the file's content ("unreadable" if it cannot be read)."""
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return "unreadable"


def input_hashes(territory: Any, base_dir: Path | None = None) -> dict[str, str]:
    """Name → SHA-256 of every data file the territory block ``territory`` reads
    ("missing" for a file not found: the run itself refuses it)."""
    files = territory_files(territory, _territory_dir() if base_dir is None else base_dir)
    return {name: file_sha256(path) if path is not None else "missing" for name, path in files.items()}


def _territory_dir() -> Path:
    """Where relative territory files are looked up after the current directory."""
    from simsoins.cli.configs import config_dir  # lazy: the CLI imports this module

    return Path(config_dir()) / "territory"


def result_config(config: Mapping) -> dict:
    """``config`` as JSON types, without ``hydra`` and the keys of :data:`NOT_RESULTS`."""
    plain = json.loads(json.dumps({k: v for k, v in config.items() if k != "hydra"}, default=str))
    for block, key in NOT_RESULTS:
        if isinstance(plain.get(block), dict):
            plain[block].pop(key, None)
    return plain


def job_identity(resolved: Mapping, inputs: Mapping[str, str] | None = None) -> dict:
    """A job's identity: its config that changes results and its data files' hashes."""
    if inputs is None:
        inputs = input_hashes(resolved.get("territory"))
    return {"config": result_config(resolved), "inputs": dict(inputs)}


# ----------------------------------------------------------------------------- sweeps


def sweep_identity(root: DictConfig) -> dict:
    """A sweep's identity from its master config (composed without the swept values, with
    ``hydra``): the config that changes results, the swept parameters, the data hashes."""
    task = _task_config(root)
    return {"config": result_config(task), "swept": swept_parameters(root),
            "inputs": input_hashes(task.get("territory"))}


def _task_config(root: DictConfig) -> dict:
    """The config without ``hydra``, resolved key by key; a key that cannot be resolved
    (e.g. a value left to the swept jobs) is taken as written."""
    out: dict[str, Any] = {}
    for key in root:
        if key == "hydra":
            continue
        node = root._get_node(key)
        try:
            out[str(key)] = OmegaConf.to_container(root[key], resolve=True) if OmegaConf.is_config(node) else root[key]
        except Exception:  # OmegaConf raises many types; the identity must never fail
            out[str(key)] = OmegaConf.to_container(node, resolve=False) if OmegaConf.is_config(node) else str(node)
    return out


def swept_parameters(root: DictConfig) -> list[str]:
    """``hydra.sweeper.params`` as ``key=values`` then the command line's sweep overrides,
    in order (they set the jobs and their numbers), but those of :data:`NOT_RESULTS`."""
    hydra = root.get("hydra") or {}
    sweeper = hydra.get("sweeper") or {}
    params = sweeper.get("params") or {}
    swept = [f"{k}={params.get(k)}" for k in params]
    overrides = hydra.get("overrides") or {}
    swept += sweep_overrides([str(o) for o in overrides.get("task") or []])
    ignored = {".".join(k) for k in NOT_RESULTS}
    return [s for s in swept if s.split("=", 1)[0].lstrip("+~") not in ignored]


def sweep_overrides(overrides: list[str]) -> list[str]:
    """The overrides of ``overrides`` that sweep (``k=a,b``, ``k=range(…)``…)."""
    try:
        from hydra.core.override_parser.overrides_parser import OverridesParser

        parsed = OverridesParser.create().parse_overrides(overrides)
    except Exception:  # Hydra has parsed them already; keep every candidate
        return [o for o in overrides if "," in o or "(" in o]
    return [str(o.input_line) for o in parsed if o.is_sweep_override()]

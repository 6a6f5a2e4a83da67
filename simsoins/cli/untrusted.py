"""Config files are data, never code.

Hydra creates objects from config: every ``hydra.callbacks`` entry and the launcher and
sweeper are built from their ``_target_`` (any importable callable), and the logging
settings go to :func:`logging.config.dictConfig`, which calls any ``()`` factory or
``class``. A territory, scenario, sensitivity or experiment file, or a whole config tree
a user points to (``SIMSOINS_CONFIG_DIR``, ``--config-dir``, ``hydra.searchpath``), could
reach those keys with ``# @package _global_``: shared by a colleague, it would run code.

So, before Hydra builds anything, every config file the command composes that lies in a
folder (``file://`` sources; Hydra's own and its installed plugins' configs are code
already installed) is checked against a precise rule (:func:`file_refusal`):

- ``# @package``: a file lands in its own group's package; only ``experiment/`` and
  ``sensitivity/`` files may be ``_global_`` (the package's own are);
- ``hydra:``: the primary config may set ``hydra.job.name``, ``hydra.run.dir``,
  ``hydra.sweep.dir``/``subdir``, ``hydra.searchpath`` and the package's own callback
  (:data:`CALLBACKS`); any other file only ``hydra.sweeper.params`` (the values a study
  sweeps, over keys outside ``hydra``); ``hydra/help/`` files only the help text; no other
  option of a Hydra group may come from a folder;
- ``_target_``: nowhere but in that callback.

The composed config is then checked as a whole (:func:`composed_refusal`): whatever set
it, the callbacks, launcher, sweeper and logging may only name the package's own or
Hydra's (installed) classes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from omegaconf import DictConfig, OmegaConf

#: The only ``hydra.callbacks`` target: the sweep comparison (configs/config.yaml).
CALLBACKS = frozenset({"simsoins.run.sweep.SweepCallback"})
#: Where the launcher's and the sweeper's classes may come from: Hydra's own and its plugins.
PLUGIN_PREFIXES = ("hydra._internal.core_plugins.", "hydra_plugins.", "optuna.samplers.")
#: What the primary config may set under ``hydra`` (prefixes of dotted keys).
PRIMARY_HYDRA = ("hydra.job.name", "hydra.run.dir", "hydra.sweep.dir", "hydra.sweep.subdir", "hydra.searchpath",
                 "hydra.callbacks.")
#: Groups whose files may be ``# @package _global_`` (a study, a sensitivity variant).
GLOBAL_GROUPS = frozenset({"experiment", "sensitivity"})
DATA_ONLY = "config files are data, never code: see the README's 'Data, not code'"


def _walk(node: Any, path: str) -> Iterator[tuple[str, Any]]:
    """Every (dotted key, value) of a plain config tree, containers included."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        sub = f"{path}.{key}" if path else str(key)
        yield sub, value
        yield from _walk(value, sub)


def _is_hydra_key(key: str) -> bool:
    """A sweeper parameter that would set Hydra's own config (``hydra.…``, ``+hydra/…``)."""
    return key.lstrip("+~").startswith(("hydra.", "hydra/")) or key.lstrip("+~") == "hydra"


# ------------------------------------------------------------------ one file


def file_refusal(group: str, package: str, content: dict, primary: bool) -> str | None:
    """The key of a config file (``content``, in config group ``group``, landing at
    ``package``) that breaks the data-not-code rule, with why; None if none does."""
    if (group == "hydra" or group.startswith("hydra/")) and group != "hydra/help":
        return f"option of Hydra's group {group}: a config folder may only give hydra/help"
    own = group.replace("/", ".")
    if package != own and not (package == "" and (primary or group in GLOBAL_GROUPS)):
        return f"# @package {package or '_global_'}: a {group or 'primary'} file stays in its own package ({own})"
    placed: dict = content
    for part in reversed([p for p in package.split(".") if p]):
        placed = {part: placed}
    for key, value in _walk(placed, ""):
        why = _key_refusal(key, value, group, primary)
        if why:
            return f"{key}: {why}"
    return None


def _key_refusal(key: str, value: Any, group: str, primary: bool) -> str | None:
    if key == "defaults" or key.startswith("defaults."):  # its entries are loaded, and checked, as files
        return None
    if key.rpartition(".")[2] == "_target_":
        allowed = primary and key.startswith("hydra.callbacks.") and value in CALLBACKS
        return None if allowed else "_target_ names code to run"
    if isinstance(value, str) and "_target_" in value:
        return "_target_ names code to run"
    if not key.startswith("hydra.") or group == "hydra/help" or isinstance(value, dict | list):
        return None  # the leaves say what is set
    if primary:
        ok = any(key == p or key.startswith(p if p.endswith(".") else p + ".") for p in PRIMARY_HYDRA)
        return None if ok else "the primary config may only set hydra.job.name, run, sweep, searchpath, callbacks"
    if key.startswith("hydra.sweeper.params."):
        param = key[len("hydra.sweeper.params."):]
        return "a study may only sweep keys outside hydra" if _is_hydra_key(param) else None
    return "a data file may only set hydra.sweeper.params"


# ------------------------------------------------------------ the whole config


def composed_refusal(cfg: DictConfig) -> str | None:
    """The key of a composed config (with its ``hydra`` node) that would run code other
    than the package's or Hydra's own, with why; None if there is none."""
    tree = OmegaConf.to_container(cfg, resolve=False)
    assert isinstance(tree, dict)
    for key, value in _walk(tree, ""):
        why = _composed_key_refusal(key, value)
        if why:
            return f"{key}: {why}"
    return None


def _composed_key_refusal(key: str, value: Any) -> str | None:
    last = key.rpartition(".")[2]
    if key.startswith(("hydra.callbacks.", "hydra.launcher.", "hydra.sweeper.")) and last == "_target_":
        ok = value in CALLBACKS if key.startswith("hydra.callbacks.") else str(value).startswith(PLUGIN_PREFIXES)
        return None if ok else f"{value!r} is not the package's or Hydra's own class"
    if key.startswith("hydra.callbacks.") and key.count(".") == 3:
        return "a callback takes no setting but its _target_"
    if last == "_target_":
        return "_target_ names code to run"
    if key.startswith("hydra.sweeper.params.") and _is_hydra_key(key[len("hydra.sweeper.params."):]):
        return "a sweep may only sweep keys outside hydra"
    if key.startswith(("hydra.job_logging.", "hydra.hydra_logging.")):
        return _logging_refusal(last, value)
    return None


def _logging_refusal(last: str, value: Any) -> str | None:
    """dictConfig calls ``()`` factories and ``class`` targets and imports ``ext://`` objects."""
    if last == "()":
        return "a logging factory is code to run"
    if last == "class" and not str(value).startswith("logging."):
        return f"{value!r}: logging handlers are the logging module's own"
    if isinstance(value, str) and value.startswith("ext://") and value not in ("ext://sys.stdout", "ext://sys.stderr"):
        return f"{value!r}: only ext://sys.stdout and ext://sys.stderr"
    return None


# ------------------------------------------------------- the command composed


@contextmanager
def hydra_as_main(args: Any, calling_module: str, config_path: str) -> Iterator[Any]:
    """The Hydra object :func:`hydra.main` builds for this command line (same search
    path: ``--config-path``, ``--config-dir``), cleared on exit."""
    from hydra._internal.hydra import Hydra
    from hydra._internal.utils import create_automatic_config_search_path
    from hydra.core.config_search_path import SearchPathQuery
    from hydra.core.global_hydra import GlobalHydra

    search_path = create_automatic_config_search_path(None, calling_module, args.config_path or config_path)
    if args.config_dir is not None and os.path.isdir(args.config_dir):
        search_path.prepend(provider="command-line", path=f"file://{os.path.abspath(args.config_dir)}",
                            anchor=SearchPathQuery(provider="schema"))
    hydra = Hydra.create_main_hydra2(task_name="simsoins", config_search_path=search_path)
    try:
        yield hydra
    finally:
        GlobalHydra.instance().clear()


def files_refusal(loader: Any, repo: Any, config_name: str, overrides: list[str], run_mode: Any) -> str | None:
    """Every config file that ``overrides`` compose (found through ``repo``, Hydra's
    caching config repository), checked with :func:`file_refusal`."""
    from hydra._internal.defaults_list import create_defaults_list
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.types import RunMode

    parsed = OverridesParser.create().parse_overrides(overrides)
    defaults = create_defaults_list(repo=repo, config_name=config_name, overrides_list=parsed, prepend_hydra=True,
                                    skip_missing=run_mode == RunMode.MULTIRUN)
    seen: set[str] = set()
    for d in defaults.defaults:
        if d.config_path is None or d.config_path in seen:
            continue
        seen.add(d.config_path)
        loaded = repo.load_config(d.config_path)
        if loaded is None or not str(loaded.path).startswith("file://"):
            continue  # Hydra's own and its installed plugins' configs
        content = OmegaConf.to_container(loaded.config, resolve=False)
        group = d.config_path.rpartition("/")[0]
        why = file_refusal(group, d.package or "", content if isinstance(content, dict) else {}, d.primary)
        if why:
            return f"{loaded.path[len('file://'):]}/{d.config_path}.yaml: {why}"
    return None


def code_refusal(args: Any, calling_module: str, config_path: str) -> str | None:
    """The one-line message that refuses a command whose config would run code, or None.
    Checks the composed config, every file it composes and every file of each option of
    a swept config group (on the command line or in a study's ``hydra.sweeper.params``).
    A config that does not compose is left to Hydra, which then builds nothing."""
    from hydra.types import RunMode

    name = args.config_name or "config"
    mode = RunMode.MULTIRUN if args.multirun else RunMode.RUN
    with hydra_as_main(args, calling_module, config_path) as hydra:
        try:
            cfg = hydra.compose_config(name, list(args.overrides), run_mode=mode, with_log_configuration=False)
        except Exception:
            return None
        loader = hydra.config_loader
        _, repo = loader._parse_overrides_and_create_caching_repo(name, list(args.overrides))
        for variant in [list(args.overrides), *_group_variants(loader, name, cfg, list(args.overrides))]:
            found = _safe_files_refusal(loader, repo, name, variant, mode)
            if found:
                break
        found = found or composed_refusal(cfg)
    return f"{found} ({DATA_ONLY})" if found else None


def _safe_files_refusal(loader: Any, repo: Any, name: str, overrides: list[str], mode: Any) -> str | None:
    try:
        return files_refusal(loader, repo, name, overrides, mode)
    except Exception:  # a variant that does not compose: Hydra reports it when it comes to it
        return None


def _group_variants(loader: Any, name: str, cfg: DictConfig, overrides: list[str]) -> list[list[str]]:
    """One override list per option of each swept config group (the others left as
    given): every file a sweep's jobs will read, each composed once."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    params = [f"{k}={v}" for k, v in (OmegaConf.select(cfg, "hydra.sweeper.params") or {}).items()]
    parser = OverridesParser.create(config_loader=loader)
    searchpath = [o for o in overrides if o.startswith("hydra.searchpath=")]
    variants = []
    for o in parser.parse_overrides([*params, *overrides]):
        if not o.is_sweep_override() or not loader.get_group_options(o.key_or_group, config_name=name,
                                                                      overrides=searchpath):
            continue
        rest = [x for x in overrides if x.split("=", 1)[0] != (o.input_line or "").split("=", 1)[0]]
        variants += [[*rest, f"{o.get_key_element()}={v}"] for v in o.sweep_string_iterator()]
    return variants

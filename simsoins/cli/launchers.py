"""Two Ray launcher options for Hydra's ``hydra/launcher`` group, and the check a sweep on
a Ray cluster needs before it starts.

They are registered from code (Hydra's ConfigStore) rather than as files in
``configs/hydra/launcher/``: a config folder is data and may not give options of Hydra's
groups (:mod:`simsoins.cli.untrusted`). Both need the Ray extra (``pip install -e
".[ray]"``, the plugin hydra-ray-launcher); without it they are not offered, and Hydra
lists the launchers there are.

- ``ray_local``: a new Ray instance on this machine for this command, ended with it, even
  if another Ray instance runs here (``address: local``; the plugin's own ``ray`` option
  would connect to it and fail on its object-store setting); no dashboard.
- ``ray_cluster``: a Ray cluster already running (``ray start --head``), found as
  ``address: auto`` finds it; its workers run in the folder where it was started, not in
  this one, hence :func:`cluster_refusal`.

Both reserve one CPU per job (``ray.remote.num_cpus``): a job with ``run.jobs=N`` runs N
replications at once in worker processes of its own, so reserve N.
"""

from __future__ import annotations

import importlib.util
import os
from typing import Any

RAY_PLUGIN = "hydra_plugins.hydra_ray_launcher"
RAY_LAUNCHER = "hydra_plugins.hydra_ray_launcher.ray_launcher.RayLauncher"
#: The plugin's own default for a new instance (75 MB, set when the key is absent): a job
#: sends back only Hydra's small JobReturn, the results go to files.
OBJECT_STORE_BYTES = 78_643_200
#: Launcher options that connect to a cluster when given an address.
RAY_OPTIONS = ("ray", "ray_local", "ray_cluster")


def _ray_option(init: dict[str, Any]) -> dict[str, Any]:
    return {"_target_": RAY_LAUNCHER, "ray": {"init": init, "remote": {"num_cpus": 1}}}


RAY_LOCAL = _ray_option({"address": "local", "num_cpus": None, "include_dashboard": False,
                         "object_store_memory": OBJECT_STORE_BYTES})
# object_store_memory null: ray.init refuses the key when it connects to a running cluster.
# A cluster's workers do not inherit this shell's environment: the config folder is passed on.
RAY_CLUSTER = _ray_option({"address": "auto", "object_store_memory": None,
                           "runtime_env": {"env_vars": {"SIMSOINS_CONFIG_DIR": '${oc.env:SIMSOINS_CONFIG_DIR,""}'}}})


def register() -> None:
    """Offer ``hydra/launcher=ray_local`` and ``ray_cluster`` if the Ray plugin is installed."""
    if importlib.util.find_spec(RAY_PLUGIN) is None:
        return
    from hydra.core.config_store import ConfigStore

    store = ConfigStore.instance()
    store.store(group="hydra/launcher", name="ray_local", node=RAY_LOCAL, provider="simsoins")
    store.store(group="hydra/launcher", name="ray_cluster", node=RAY_CLUSTER, provider="simsoins")


def cluster_refusal(overrides: list[str], multirun: bool) -> str | None:
    """The one-line message refusing a sweep sent to a running Ray cluster with a relative
    ``hydra.sweep.dir`` (the default ``multirun/…`` is one), or None. The cluster's workers
    resolve it in the folder where the cluster was started: the jobs' results would land
    there, and the sweep's comparison, made here, would find none."""
    if not multirun:
        return None
    values = _override_values(overrides)
    if values is None or not _on_a_cluster(values):
        return None
    folder = values.get("hydra.sweep.dir")
    if isinstance(folder, str) and (os.path.isabs(folder) or folder.startswith(("${hydra.runtime.cwd}",
                                                                                "${hydra:runtime.cwd}"))):
        return None
    shown = "multirun/<id> (the default)" if folder is None else repr(folder)
    return (f"hydra.sweep.dir = {shown}: a sweep on a running Ray cluster needs an absolute folder that its "
            "workers see, e.g. hydra.sweep.dir=$PWD/multirun/france (they do not run in this directory)")


def _on_a_cluster(values: dict[str, Any]) -> bool:
    """True if the launcher chosen connects to a Ray cluster it did not start."""
    launcher = values.get("hydra/launcher")
    if launcher not in RAY_OPTIONS:
        return False
    address = values.get("hydra.launcher.ray.init.address", "auto" if launcher == "ray_cluster" else None)
    if address is None and launcher == "ray":  # ray.init() without an address reads RAY_ADDRESS
        address = os.environ.get("RAY_ADDRESS") or None
    return address not in (None, "local")


def _override_values(overrides: list[str]) -> dict[str, Any] | None:
    """Key (or group) → value of each override, as Hydra parses them (the last one wins);
    None if they do not parse (Hydra reports that itself)."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    try:
        parsed = OverridesParser.create().parse_overrides(overrides)
    except Exception:
        return None
    return {o.key_or_group: o.value() for o in parsed if not o.is_delete()}

"""Command line: ``python -m simsoins [scenario=NAME] [territory=NAME] [key=value ...]``.

Hydra composes the config; everything else works on plain, validated data.  A bad value
stops the run before any simulation with one line naming the field, the value and what
is allowed, and exit status 2.  With a scenario other than ``baseline``, the baseline is
run too with the same replication seeds (common random numbers) and the paired
difference is reported.

- :mod:`~simsoins.cli.app` — the console entry point :func:`run` and the Hydra task
  function :func:`main`;
- :mod:`~simsoins.cli.checks` — overrides checked before Hydra runs, every job of a sweep
  checked before the first (and the same check for the other tools: :func:`compose_checked`);
- :mod:`~simsoins.cli.values` — the composed config's values checked (:func:`validate_values`);
- :mod:`~simsoins.cli.job` — a validated run (:class:`Job`, :func:`prepare`) simulated and
  written into its directory (:func:`execute`);
- :mod:`~simsoins.cli.configs` — where the config tree is (:func:`config_dir`), composing it;
- :mod:`~simsoins.cli.untrusted` — config files a user supplies are data: no ``_target_``,
  callback or ``hydra:`` setting from them (:func:`code_refusal`).
"""

from simsoins.cli.app import main, run
from simsoins.cli.checks import compose_checked, int_at_least, refusal
from simsoins.cli.configs import config_dir
from simsoins.cli.job import Job, execute, prepare
from simsoins.cli.values import MODEL_KEYS, TOP_KEYS, CheckedConfig, validate_values
from simsoins.config.model import DashboardConfig

__all__ = ["MODEL_KEYS", "TOP_KEYS", "CheckedConfig", "DashboardConfig", "Job", "compose_checked", "config_dir",
           "execute", "int_at_least", "main", "prepare", "refusal", "run", "validate_values"]

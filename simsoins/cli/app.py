"""``python -m simsoins``: the console entry point :func:`run` and the Hydra task function
:func:`main` it hands over to."""

from __future__ import annotations

import logging
import shutil
import sys
from pathlib import Path
from typing import NoReturn

import hydra
import pandas as pd
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf

from simsoins.cli.checks import refusal, sweep_refusal
from simsoins.cli.configs import config_dir, plain
from simsoins.cli.job import Job, execute, prepare
from simsoins.cli.untrusted import code_refusal
from simsoins.config.model import ConfigError
from simsoins.results import stats
from simsoins.run.sweep import already_done, sweep_id

log = logging.getLogger("simsoins")
if not OmegaConf.has_resolver("simsoins_sweep_id"):
    OmegaConf.register_new_resolver("simsoins_sweep_id", lambda: sweep_id())


def run() -> None:
    """Console entry point: refuse a bad override in one line (exit status 2) before any
    job starts, then hand the command line, unchanged, to Hydra."""
    # Hydra's own parser (the one hydra.main reads the command line with): flags may come
    # after the overrides, and a malformed command line is its usage error, exit status 2.
    from hydra._internal.utils import get_args_parser

    args = get_args_parser().parse_args()
    # config files are data: checked before Hydra builds anything from them, in every mode
    message = None if args.shell_completion else code_refusal(args, main.__module__, config_dir())
    if not message and not _asks_hydra_only(args):
        message = refusal(args.overrides, multirun=args.multirun)
        if not message and args.multirun:  # every job's inputs, before the first job runs
            message = sweep_refusal(args, main.__module__, config_dir())
    if message:
        print(f"simsoins: error: {message}", file=sys.stderr)
        sys.exit(2)
    main()


def _asks_hydra_only(args) -> bool:
    """Help, information, the config printed, shell completion, another config tree:
    Hydra answers without running a job (and checks another tree itself)."""
    return bool(args.help or args.hydra_help or args.info or args.cfg or args.shell_completion
                or args.experimental_rerun or args.config_path or args.config_name or args.config_dir)


@hydra.main(config_path=config_dir(), config_name="config", version_base=None)
def main(cfg: DictConfig) -> None:
    """Hydra task function of ``python -m simsoins`` (see :func:`run`)."""
    hc = HydraConfig.get()
    out = Path(hc.runtime.output_dir)
    resolved = plain(cfg)
    multirun = hc.mode == RunMode.MULTIRUN
    if multirun and already_done(out, resolved):
        log.info("job %s already complete in %s: kept, not simulated again", hc.job.num, out)
        return
    _name_combination(resolved, list(hc.overrides.task))
    try:
        job = prepare(resolved, compare=not multirun)
    except ConfigError as err:
        _refuse(err, out)
    summary = execute(job, out, resolved, progress_bar=not multirun)
    if multirun:
        log.info("job %s done: %s", hc.job.num, out)
    else:
        _print_comparison(job, summary, out)


def _name_combination(resolved: dict, task_overrides: list[str]) -> None:
    """``scenario=[cpts,teleconsultation]``: a plan made of several levers, named after them."""
    choice = next((o.split("=", 1)[1] for o in task_overrides if o.startswith("scenario=")), "")
    if choice.startswith("[") and isinstance(resolved.get("scenario"), dict):
        names = [c.strip() for c in choice.strip("[]").split(",") if c.strip()]
        resolved["scenario"]["name"] = "+".join(names)
        resolved["scenario"]["label"] = " + ".join(names)


def _refuse(err: ConfigError, out: Path) -> NoReturn:
    """One line on stderr, no half-written run directory, exit status 2."""
    print(f"simsoins: error: {err}", file=sys.stderr)
    if out.is_dir() and {p.name for p in out.iterdir()} <= {".hydra", "simsoins.log", "__main__.log"}:
        shutil.rmtree(out, ignore_errors=True)
    sys.exit(2)


def _print_comparison(job: Job, summary: pd.DataFrame, out: Path) -> None:
    print()
    print(f"simsoins — {job.territory_label} — {job.run.replications} replications × "
          f"{job.run.horizon_days} days (after {job.run.warmup_days} days of warm-up), seed {job.run.seed}")
    print(stats.comparison_table(summary, job.scenario))
    print(f"\nResults: {out}  (summary.csv, kpis.parquet, events.parquet, dashboard.html)")

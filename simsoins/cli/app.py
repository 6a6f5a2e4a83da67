"""``python -m simsoins``: the console entry point :func:`run` and the Hydra task function
:func:`main` it hands over to."""

from __future__ import annotations

import errno
import functools
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import hydra
import numpy as np
import pandas as pd
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf

from simsoins.cli.checks import refusal, sweep_refusal
from simsoins.cli.configs import config_dir, plain
from simsoins.cli.job import (
    HYDRA_FILES,
    Job,
    RunRefused,
    claim_folder,
    execute,
    fresh_run_dir,
    held_claim,
    prepare,
    release_all,
)
from simsoins.cli.launchers import cluster_refusal, register
from simsoins.cli.untrusted import code_refusal
from simsoins.config.model import ConfigError
from simsoins.results.outputs import LOCK_NAME
from simsoins.run.sweep import already_done, sweep_id

log = logging.getLogger("simsoins")
if not OmegaConf.has_resolver("simsoins_sweep_id"):
    OmegaConf.register_new_resolver("simsoins_sweep_id", sweep_id)  # computed once: see sweep_id
register()  # hydra/launcher=ray_local, ray_cluster (simsoins/cli/launchers.py)


#: What the system says when the run folder cannot take the results: the user's disk or
#: rights, not a bug, so one line (exit status 2) rather than a traceback.
WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT, errno.EFBIG})
#: An event log takes ≈ 25 bytes per request on disk (parquet, measured on Loir-et-Cher and
#: the example territory); twice that for margin (and the temporary file of each write).
EVENT_BYTES_PER_REQUEST = 50
#: The rest: the dashboard (≈ 5 MB, plotly.js inlined) and the small tables, with margin.
OTHER_OUTPUT_BYTES = 20_000_000


def run() -> None:
    """Console entry point: :func:`_run`, with Ctrl-C ended in one line (exit status 130)
    wherever it comes (Hydra composing the config, a job, a sweep)."""
    try:
        _run()
    except KeyboardInterrupt:
        _fail("interrupted", 130)


def _fail(message: str, status: int) -> NoReturn:
    print(f"simsoins: error: {message}" if status == 2 else f"simsoins: {message}", file=sys.stderr)
    sys.exit(status)


def _run() -> None:
    """Refuse a bad override in one line (exit status 2) before any job starts, then hand
    the command line, unchanged, to Hydra."""
    # Hydra's own parser (the one hydra.main reads the command line with): flags may come
    # after the overrides, and a malformed command line is its usage error, exit status 2.
    from hydra._internal.utils import get_args_parser

    args = get_args_parser().parse_args()
    # config files are data: checked before Hydra builds anything from them, in every mode
    message = None if args.shell_completion else code_refusal(args, main.__module__, config_dir())
    hydra_only = _asks_hydra_only(args)
    if not message and not hydra_only:
        message = (cluster_refusal(args.overrides, args.multirun) or refusal(args.overrides, multirun=args.multirun)
                   or _unwritable_folder(args.overrides, args.multirun))
        if not message and args.multirun:  # every job's inputs, before the first job runs
            message = sweep_refusal(args, main.__module__, config_dir())
    if message:
        print(f"simsoins: error: {message}", file=sys.stderr)
        sys.exit(2)
    if not hydra_only:
        _claim_run_folder(args)
    try:
        main()
    finally:
        release_all(discard=True)  # a run folder Hydra never reached: what this run made goes


def _unwritable_folder(overrides: list[str], multirun: bool) -> str | None:
    """The one-line message refusing a run folder this user cannot create or write into
    (checked before Hydra, which would write its own files there first and fail with a
    traceback), or None. Its fixed part is checked: ``outputs`` of ``outputs/${now:…}``."""
    key = "hydra.sweep.dir" if multirun else "hydra.run.dir"
    given = next((o.split("=", 1)[1] for o in overrides if o.lstrip("+").startswith(key + "=")), None)
    folder = (given or ("multirun" if multirun else "outputs")).split("${", 1)[0] or "."
    existing = Path(folder).absolute()
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        reason = "not a folder"
    else:
        try:  # a probe folder made and removed: what Hydra is about to do, without leaving it
            with tempfile.TemporaryDirectory(dir=existing, prefix=".simsoins-probe-"):
                return None
        except OSError as err:
            reason = err.strerror or str(err)
    return f"{key} = {given or folder!r}: cannot write the results into {existing} ({reason}); choose another folder"


def _asks_hydra_only(args) -> bool:
    """Help, information, the config printed, shell completion, another config tree:
    Hydra answers without running a job (and checks another tree itself)."""
    return bool(args.help or args.hydra_help or args.info or args.cfg or args.shell_completion
                or args.experimental_rerun or args.config_path or args.config_name or args.config_dir)


def _one_line_errors(task: Callable[[DictConfig], None]) -> Callable[[DictConfig], None]:
    """The task function with the user's failures ended in one line: Ctrl-C (exit status
    130, saying what was kept), a bad input (2), a run folder that cannot take the results
    — full disk, read-only, no rights — (2, naming it). Anything else is a bug and keeps
    its traceback."""

    @functools.wraps(task)
    def guarded(cfg: DictConfig) -> None:
        out = Path(HydraConfig.get().runtime.output_dir)
        try:
            task(cfg)
        except KeyboardInterrupt:
            kept = "the results are complete" if (out / "manifest.json").is_file() else "no results kept"
            _fail(f"interrupted; {kept} in {out}", 130)
        except ConfigError as err:
            _fail(str(err), 2)
        except OSError as err:
            if err.errno not in WRITE_ERRNOS:
                raise
            _fail(f"cannot write the results in {out}: {os.strerror(err.errno)}; no results kept", 2)

    return guarded


@hydra.main(config_path=config_dir(), config_name="config", version_base=None)
@_one_line_errors
def main(cfg: DictConfig) -> None:
    """Hydra task function of ``python -m simsoins`` (see :func:`run`)."""
    with _run_folder():
        _main(cfg)


def _main(cfg: DictConfig) -> None:
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
        _check_output_folder(job, out)
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
    claim = held_claim(out)
    if claim is not None:  # only what this run created goes: never a folder or file it found
        claim.discard()
    sys.exit(2)


def _check_output_folder(job: Job, out: Path) -> None:
    """Before simulating: ConfigError if ``out`` cannot take a file (a probe created and
    removed) or its disk has less room than the results need (:func:`_output_bytes`)."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
        free = shutil.disk_usage(out).free
    except OSError as err:
        raise ConfigError(f"{out}: cannot write the results there ({err.strerror or err})") from None
    need = _output_bytes(job)
    if need > free:
        raise ConfigError(f"{out}: {free / 1e6:,.0f} MB free on its disk, the results need about "
                          f"{need / 1e6:,.0f} MB (fewer replications, a shorter horizon or run.event_log=none)")


def _output_bytes(job: Job) -> float:
    """A generous estimate of the bytes a run writes: the event logs kept (one row per
    request: the expected requests of each scenario's demand) dominate."""
    logs = {"all": job.run.replications, "first": 1}.get(job.run.event_log, 0)
    days = job.run.end_day
    people = job.territory.age_pop.sum(axis=0)
    requests = sum(float(people @ (np.add(np.add(d.routine_per_year, d.acute_per_year), d.emergency_per_year)))
                   for d in (m.demand for m in job.models.values())) * days / 365
    return OTHER_OUTPUT_BYTES + EVENT_BYTES_PER_REQUEST * requests * logs


def _print_comparison(job: Job, summary: pd.DataFrame, out: Path) -> None:
    """The comparison in the dashboard's language (KPI names, %, points, minutes; ids kept)."""
    from simsoins.dashboard import console
    from simsoins.dashboard.i18n import translator

    print()
    print(console.heading(job.territory_label, job.run.replications, job.run.end_day - job.run.warmup_days,
                          job.run.warmup_days, job.run.seed, job.lang))
    print(console.comparison_table(summary, job.scenario, job.lang))
    page = ", dashboard.html" if job.write_dashboard else ""
    years = ", years.csv" if job.run.years > 1 else ""
    files = f"summary.csv{years}, kpis.parquet, events.parquet{page}"
    print("\n" + translator(job.lang)("console.results", out=out, files=files))


# ------------------------------------------------ the run folder, held for the run's life


def _claim_run_folder(args) -> None:
    """A single run's folder made and locked before Hydra writes into it, so that a refusal
    (another run holds it, or it holds a complete run) touches nothing: the folder given
    with ``hydra.run.dir``, else a fresh ``outputs/DATE/TIME`` (``-2``… on a clash)."""
    if args.multirun:
        return
    given = _given_run_dir(args.overrides)
    try:
        if given is None:
            claim = fresh_run_dir()
            # before the user's overrides: Hydra's parser wants the positionals together
            sys.argv.insert(1, f"hydra.run.dir={os.path.relpath(claim.folder)}")
        elif "${" not in given:
            claim_folder(Path(given))
    except RunRefused as err:
        print(f"simsoins: error: {err}", file=sys.stderr)
        sys.exit(2)
    except OSError as err:
        print(f"simsoins: error: cannot create the run folder: {err.filename}: {err.strerror}", file=sys.stderr)
        sys.exit(2)


def _given_run_dir(overrides: list[str]) -> str | None:
    """The value of a ``hydra.run.dir`` override (as Hydra parses it), or None."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    try:
        parsed = OverridesParser.create().parse_overrides(overrides)
    except Exception:  # already refused by refusal(); Hydra reports it again
        return "${unparsed}"
    given = [str(o.value()) for o in parsed if o.key_or_group == "hydra.run.dir"]
    return given[-1] if given else None


@contextmanager
def _run_folder() -> Iterator[None]:
    """This job's folder held for its whole life: the claim :func:`run` made, else (a
    sweep's job, a folder named with an interpolation) one made now, after Hydra wrote
    its files there — a sweep's job folder is Hydra's, so a refusal may remove it."""
    hc = HydraConfig.get()
    out = Path(hc.runtime.output_dir)
    multirun = hc.mode == RunMode.MULTIRUN
    claim = held_claim(out)
    if claim is None:
        try:
            claim = claim_folder(out, made=[], refuse_complete=not multirun)
        except RunRefused as err:
            print(f"simsoins: error: {err}", file=sys.stderr)
            sys.exit(2)
        if multirun and {p.name for p in out.iterdir()} <= {*HYDRA_FILES, LOCK_NAME}:
            claim.absent, claim.made = set(HYDRA_FILES), [claim.folder]  # Hydra's new job folder
    try:
        yield
    finally:
        claim.release()

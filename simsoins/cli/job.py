"""A run: the composed config validated into a :class:`Job` (:func:`prepare`), simulated
and written into its run directory (:func:`execute`), which it holds (:class:`Claim`)."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import resource
import shutil
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd
from omegaconf import OmegaConf

from simsoins.cli.configs import config_dir
from simsoins.cli.values import validate_values
from simsoins.config.costs import CostConfig
from simsoins.config.model import ModelConfig, RunConfig
from simsoins.config.ou_agir import budget_sized
from simsoins.levers import Plan, make_plan
from simsoins.levers.dose import sized_config
from simsoins.levers.per100k import records_by_scenario, resolved_config
from simsoins.results import cost_kpis, costs, dose, outputs, stats, yearly
from simsoins.run.sweep import _comparable, manifest_inputs
from simsoins.run.workers import TaskResult, run_all, tables
from simsoins.territory import Territory, load_territory, territory_summary

log = logging.getLogger("simsoins")


@dataclass(frozen=True)
class Job:
    """A validated run: territory, one model per scenario (baseline first), run settings."""

    territory: Territory
    models: dict[str, ModelConfig]
    plans: dict[str, Plan]
    labels: dict[str, str]
    run: RunConfig
    scenario: str
    lang: str
    write_dashboard: bool
    territory_label: str
    #: the composed config as run: with a dose asked, the lever sized (simsoins/levers/dose.py)
    config: dict | None = None
    #: scenario → the sizes resolved from doses per 100,000 inhabitants (simsoins/levers/per100k.py)
    per_100k: dict[str, list[dict]] = field(default_factory=dict)
    #: the unit costs of the levers (simsoins/results/costs.py)
    costs: CostConfig = field(default_factory=CostConfig)


def prepare(cfg: dict, compare: bool = True) -> Job:
    """Validate the composed config (a plain dict) into a :class:`Job`; ConfigError if bad.
    With ``compare``, a scenario other than the baseline runs with the baseline (common
    random numbers); jobs of a sweep don't — the sweep pairs them by replication seed."""
    cfg = budget_sized(cfg)  # a placement search: the centre's GPs from its budget (ou_agir block)
    checked = validate_values(cfg)
    terr_cfg = cfg.get("territory") or {}
    territory = load_territory(terr_cfg, checked.baseline.clinicians, Path(config_dir()) / "territory",
                               checked.baseline.demand.age_bands)
    cfg, per_100k = resolved_config(cfg, territory, Path(config_dir()) / "scenario")
    if per_100k:  # a lever sized per 100,000 inhabitants: its absolute size, checked
        checked = validate_values(cfg)
    if checked.scenario != "baseline":  # a capacity lever sized to a dose (dose.target_share)
        cfg, sizing = sized_config(cfg, territory)
        if sizing is not None:
            checked = validate_values(cfg)
    models, labels = {}, {}
    if checked.scenario == "baseline" or compare:
        models["baseline"] = checked.baseline
        labels["baseline"] = "Situation actuelle" if checked.lang == "fr" else "Current situation"
    if checked.scenario != "baseline":
        models[checked.scenario] = checked.scenario_model
        labels[checked.scenario] = str(checked.scenario_block.get("label", checked.scenario))
    plans = {sc: make_plan(territory, m, checked.run, "levers" if sc == "baseline" else "scenario.levers")
             for sc, m in models.items()}
    return Job(territory=territory, models=models, plans=plans, labels=labels, run=checked.run,
               scenario=checked.scenario, lang=checked.lang, write_dashboard=checked.write_dashboard,
               territory_label=str(terr_cfg.get("label") or territory.name), config=cfg,
               per_100k=records_by_scenario(per_100k, list(models), checked.scenario_block.get("levers") or {}),
               costs=checked.costs)


def execute(job: Job, out: Path, resolved: dict, progress_bar: bool = False) -> pd.DataFrame:
    """Simulate, write every result file into ``out`` (manifest last) and return the summary.
    ``progress_bar``: a bar over replications on a terminal (never in sweep workers).
    If anything fails, the files this run wrote are removed: no half-written results."""
    t0 = time.perf_counter()
    reset_peak_rss()
    log.info("territory %s: %s", job.territory_label, territory_summary(job.territory))
    files = RunFiles(out)
    inputs = manifest_inputs(resolved)  # the data files' content as read, for a sweep's "already done"
    (out / "manifest.json").unlink(missing_ok=True)  # until this run completes, the directory is not
    try:
        results = _simulate(job, progress_bar, t0)
        summary = files.write_tables(job, results)
        files.write_scenarios(job, resolved)
        if job.write_dashboard:
            files.written.append(out / "dashboard.html")
            _dashboard(out, job.lang)
        outputs.write_manifest(out, {"seed": job.run.seed, "replications": job.run.replications,
                                     "scenarios": list(job.models), "config": _comparable(resolved), "inputs": inputs,
                                     "wall_seconds": round(time.perf_counter() - t0, 1),
                                     "peak_rss_mb": peak_rss_mb()})
    except BaseException:
        files.remove()
        log.error("run failed: no results were kept in %s", out)
        raise
    return summary


def reset_peak_rss() -> None:
    """Start this process's peak resident memory afresh (Linux: ``/proc/self/clear_refs``),
    so that a sweep worker running job after job reports each job's own peak."""
    with contextlib.suppress(OSError):  # not Linux, or not allowed: the peak is then the process's
        Path("/proc/self/clear_refs").write_text("5")


def peak_rss_mb() -> float:
    """Peak resident memory, MB, of this process since :func:`reset_peak_rss` (else since it
    started) and of its finished replication workers."""
    own_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    try:
        status = Path("/proc/self/status").read_text()
        own_kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
    except (OSError, StopIteration, ValueError):
        pass
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own_kb, children_kb) / 1024, 1)


class Progress:
    """Called as each replication ends: moves a bar on a terminal and logs a line."""

    def __init__(self, total: int, bar: bool, t0: float) -> None:
        from tqdm import tqdm

        self.total, self.done, self.t0 = total, 0, t0
        self.bar = tqdm(total=total, unit="replication", desc="simsoins", disable=None if bar else True)

    def __call__(self, res: TaskResult) -> None:
        self.done += 1
        self.bar.update(1)
        log.info("replication %d of %s done (%d/%d, %.0f s)", res.replication, res.scenario, self.done,
                 self.total, time.perf_counter() - self.t0)


def _simulate(job: Job, progress_bar: bool, t0: float) -> list[TaskResult]:
    """Every scenario × replication of ``job``, in order."""
    from tqdm.contrib.logging import logging_redirect_tqdm

    progress = Progress(job.run.replications * len(job.models), progress_bar, t0)
    with logging_redirect_tqdm(loggers=[logging.getLogger()]):
        results = run_all(job.territory, job.models, job.run, progress, job.plans)
    progress.bar.close()
    return results


class RunFiles:
    """The result files of one run directory, written one by one (each atomically) and
    remembered, so that a run that fails midway removes what it wrote."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.written: list[Path] = []
        self.doses: dict = {}

    def put(self, name: str, df: pd.DataFrame) -> None:
        path = self.out / name
        (outputs.write_csv if name.endswith(".csv") else outputs.write_parquet)(df, path)
        self.written.append(path)

    def write_tables(self, job: Job, results: list[TaskResult]) -> pd.DataFrame:
        """summary.csv, one parquet table per kind of result (communes.parquet: the
        communes with their consultations and accessibility, by scenario and replication)
        and the event log; returns the summary."""
        tab = tables(results)
        population = float(job.territory.population.sum())
        whole = with_cost_kpis(job, tab["kpis"], population)
        summary = cost_kpis.ratio_summary(stats.summarise(whole), whole)
        summary = dose.with_doses(summary, whole, population)
        self.doses = dose.scenario_doses(whole, population)
        by_year = with_yearly_cost_kpis(job, tab.pop("kpis_years"), population)
        tab["kpis"] = yearly.with_years(whole, by_year)
        self.out.mkdir(parents=True, exist_ok=True)
        self.put("summary.csv", summary)
        if len(by_year):
            self.put("years.csv", yearly.year_summary(by_year))
        for name, df in tab.items():
            self.put(f"{name}.parquet", df)
        events = [r.events.assign(scenario=r.scenario) for r in results if r.events is not None]
        if events:
            ev = pd.concat(events, ignore_index=True)
            ev["scenario"] = ev["scenario"].astype("category")
            self.put("events.parquet", ev)
        return summary

    def write_scenarios(self, job: Job, resolved: dict) -> None:
        """scenarios.json: order, labels and the config of each scenario, for the dashboard;
        each scenario's dose (:mod:`simsoins.results.dose`, once the tables are written)."""
        ran = job.config if job.config is not None else resolved
        configs = {sc: _sizes_note(job.per_100k.get(sc, []))
                   + OmegaConf.to_yaml(OmegaConf.create(_scenario_view(ran, sc))) for sc in job.models}
        info = {"order": list(job.models), "labels": job.labels, "configs": configs,
                "territory": job.territory_label,
                "territory_rules": list(job.territory.rules), "start_date": job.run.start_date, **self.doses,
                "synthetic_territory": (ran.get("territory") or {}).get("synthetic") is True,
                **({"per_100k": job.per_100k} if job.per_100k else {})}
        # each scenario's cost lines, for a sweep's comparison to pair them (simsoins/run/sweep.py)
        info["costs"] = costs.scenario_costs(job.plans, job.models, job.run, job.costs)
        info["unit_costs"] = dataclasses.asdict(job.costs)
        capped = {sc: plan.capped for sc, plan in job.plans.items() if plan.capped}
        if capped:  # a lever cut to the territory's size: {scenario: [{lever, key, asked, applied, limit}]}
            info["capped"] = capped
        outputs.write_text(json.dumps(info, ensure_ascii=False, indent=2), self.out / "scenarios.json")
        self.written.append(self.out / "scenarios.json")

    def remove(self) -> None:
        for path in self.written:
            path.unlink(missing_ok=True)


def with_cost_kpis(job: Job, kpis: pd.DataFrame, population: float) -> pd.DataFrame:
    """``kpis`` with the cost KPIs of every scenario × replication appended (none without
    the baseline: a sweep's job runs alone)."""
    records = costs.scenario_costs(job.plans, job.models, job.run, job.costs)
    rows = cost_kpis.rows_from_records(kpis, records, population, job.costs)
    return pd.concat([kpis, rows], ignore_index=True) if len(rows) else kpis


def with_yearly_cost_kpis(job: Job, by_year: pd.DataFrame, population: float) -> pd.DataFrame:
    """Each year's KPI rows (a run of several years) with that year's cost KPIs: what the
    levers cost in that year (an assistant in their second contract year, a centre open
    since March) against what that year gained."""
    windows = yearly.year_windows((float(job.run.warmup_days), float(job.run.end_day)), job.run.years)
    parts = []
    for year, rows in by_year.groupby(yearly.YEAR, sort=True):
        records = costs.scenario_costs(job.plans, job.models, job.run, job.costs, windows[int(year) - 1])
        extra = cost_kpis.rows_from_records(rows.drop(columns=yearly.YEAR), records, population, job.costs)
        parts.append(pd.concat([rows, extra.assign(**{yearly.YEAR: year})], ignore_index=True) if len(extra) else rows)
    return pd.concat(parts, ignore_index=True) if parts else by_year


def _sizes_note(records: list[dict]) -> str:
    """Comment lines heading a scenario's config view: each size resolved per 100,000."""
    return "".join(f"# {r['text']}\n" for r in records)


def _scenario_view(resolved: dict, scenario: str) -> dict:
    """The config as ``scenario`` ran it (the baseline: no lever changed)."""
    view = {k: v for k, v in resolved.items() if k != "hydra"}
    if scenario == "baseline":
        view = {**view, "scenario": {"name": "baseline", "levers": {}}}
    return view


def _dashboard(out: Path, lang: str) -> None:
    from simsoins.dashboard.report import build_html, load_results

    outputs.write_text(build_html(load_results(out), lang), out / "dashboard.html")


# ------------------------------------------------------------- the run directory

#: The default run directory, as configs/config.yaml's hydra.run.dir: ``python -m simsoins``
#: picks it itself (:func:`fresh_run_dir`), adding ``-2``, ``-3``… on a clash.
DEFAULT_RUN_DIR = "outputs/%Y-%m-%d/%H-%M-%S"
#: What Hydra writes into a run directory before the task function starts.
HYDRA_FILES = (".hydra", "simsoins.log", "__main__.log")


class RunRefused(Exception):
    """The run directory cannot be used (in use by another run, or holds a complete run)."""


@dataclass
class Claim:
    """A run directory held by this run (:func:`claim_folder`), with what the run created
    there before Hydra started, so that a refusal removes exactly that and nothing else."""

    folder: Path
    fd: int
    lock_created: bool
    made: list[Path] = field(default_factory=list)  # directories this run created, outermost first
    absent: set[str] = field(default_factory=set)  # HYDRA_FILES not there before the run

    def release(self) -> None:
        """End the lock (the run's files stay)."""
        if _CLAIMS.pop(self.folder, None) is self:
            outputs.unlock_folder(self.folder, self.fd, self.lock_created)

    def discard(self) -> None:
        """End the lock and remove what the run created: Hydra's files, the directories."""
        for name in self.absent:
            path = self.folder / name
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        self.release()
        _remove_dirs(self.made)


#: The run directories this process holds, by absolute path.
_CLAIMS: dict[Path, Claim] = {}


def claim_folder(folder: Path, made: list[Path] | None = None, refuse_complete: bool = True) -> Claim:
    """Create ``folder`` if needed and lock it for this run; RunRefused (nothing touched)
    if another run holds it or, with ``refuse_complete``, if it holds a complete run."""
    folder = Path(os.path.abspath(folder))
    made = made if made is not None else _make_dirs(folder)
    absent = {name for name in HYDRA_FILES if not os.path.lexists(folder / name)}
    try:
        fd, created = outputs.lock_folder(folder)
    except outputs.FolderBusy:
        _remove_dirs(made)
        raise RunRefused(f"{folder}: in use by another simsoins run ({outputs.LOCK_NAME} is locked); "
                         "wait for it to end or choose another hydra.run.dir") from None
    claim = Claim(folder, fd, created, made, absent)
    _CLAIMS[folder] = claim
    if refuse_complete and (folder / "manifest.json").exists():
        claim.release()
        raise RunRefused(f"{folder}: already holds a complete run (manifest.json), kept as it is; "
                         "choose another hydra.run.dir or remove that folder first")
    return claim


def held_claim(folder: Path) -> Claim | None:
    """The claim this process holds on ``folder``, if any."""
    return _CLAIMS.get(Path(os.path.abspath(folder)))


def release_all(discard: bool = False) -> None:
    """End every claim still held (``discard``: removing what their runs created)."""
    for claim in list(_CLAIMS.values()):
        claim.discard() if discard else claim.release()


def fresh_run_dir(now: datetime | None = None) -> Claim:
    """A new default run directory, claimed: ``outputs/DATE/TIME``, or ``TIME-2``, ``-3``…
    if another run made that one already (two runs started in the same second)."""
    base = Path((now or datetime.now()).strftime(DEFAULT_RUN_DIR))
    base.parent.mkdir(parents=True, exist_ok=True)
    for n in range(1, 10_000):
        candidate = base if n == 1 else base.with_name(f"{base.name}-{n}")
        try:
            candidate.mkdir()  # atomic: only one process makes it
        except FileExistsError:
            continue
        return claim_folder(candidate, made=[Path(os.path.abspath(candidate))])
    raise RunRefused(f"{base}: no free run directory name beside it")


def _make_dirs(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; the ones this call made, outermost first."""
    missing = [d for d in [folder, *folder.parents] if not d.exists()][::-1]
    made = []
    for d in missing:
        try:
            d.mkdir()
        except FileExistsError:  # made by someone else meanwhile: not ours
            continue
        made.append(d)
    return made



def _remove_dirs(made: list[Path]) -> None:
    """Remove the directories a run made, innermost first, each only if empty."""
    for folder in reversed(made):
        try:
            folder.rmdir()  # a file someone else put there meanwhile stays, and its folders
        except OSError:
            break

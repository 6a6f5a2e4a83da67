"""Sweeps (Hydra multirun): a sweep directory named by content, resumable jobs, and one
comparison over the sweep's jobs when it ends.

- The sweep directory is ``multirun/<id>`` where ``<id>`` is a short hash of the sweep's
  content identity (:func:`sweep_id`, :mod:`simsoins.run.identity`): the config that
  changes results, the swept parameters and the content of the territory's data files.
  Running the same sweep again, with any launcher or ``run.jobs``, finds the jobs already
  finished; changing a swept value, a setting or a data file gives a new directory.
- A job whose directory holds a complete ``manifest.json`` with the same identity (config
  and data file hashes) is skipped (see :func:`already_done`); its results are kept.
- :class:`SweepCallback` (``on_multirun_end``) writes ``sweep_kpis.parquet`` (one row per
  job × scenario × replication × KPI, with the swept values as columns),
  ``sweep_summary.csv``, ``scenarios.json`` (every job's scenarios, with their doses)
  and a comparison ``dashboard.html`` over the jobs of this sweep (a job folder left by
  another sweep into the same directory is left out).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pandas as pd
import yaml
from hydra.experimental.callback import Callback
from omegaconf import DictConfig, OmegaConf

from simsoins.config.costs import CostConfig
from simsoins.config.schema import from_mapping
from simsoins.results import cost_kpis, dose, outputs, stats, yearly
from simsoins.run.identity import digest, job_identity, sweep_identity

log = logging.getLogger("simsoins")
#: Name of the resolver :func:`sweep_id` (``hydra.sweep.dir: multirun/${simsoins_sweep_id:}``).
RESOLVER = "simsoins_sweep_id"


def sweep_id(_root_: DictConfig) -> str:
    """The ``${simsoins_sweep_id:}`` resolver: a short hash of the sweep's identity,
    computed once, from the master config, and kept in its resolver cache. Hydra copies
    that cache into every job's config (in any launcher's worker, as for ``${now:}``), so
    each job resolves the sweep directory of its sweep, not one of its own config."""
    cache = OmegaConf.get_cache(_root_)[RESOLVER]  # OmegaConf's use_cache refuses _root_
    if "id" not in cache:
        cache["id"] = digest(sweep_identity(_root_))[:10]
    return str(cache["id"])


def already_done(out: Path, resolved: dict) -> bool:
    """True if ``out`` holds a complete run with the identity of this job: the same config
    (but ``run.jobs``) and the same content of every data file it reads."""
    manifest = out / "manifest.json"
    if not manifest.is_file():
        return False
    try:
        info = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return False
    if not isinstance(info, dict) or info.get("status") != "complete" or not isinstance(info.get("config"), dict):
        return False
    stored = job_identity(info["config"], info.get("inputs") or {})
    return stored == job_identity(resolved)


def manifest_inputs(resolved: dict) -> dict[str, str]:
    """The ``inputs`` a run's manifest records: SHA-256 of each data file it reads."""
    return job_identity(resolved)["inputs"]


def _comparable(resolved: dict) -> dict:
    """The resolved config as its manifest stores it (JSON types, Hydra's own keys left out)."""
    return json.loads(json.dumps({k: v for k, v in resolved.items() if k != "hydra"}, default=str))


def _job_overrides(job_dir: Path) -> dict[str, str]:
    """The command-line overrides of a sweep's job (key → value)."""
    path = job_dir / ".hydra" / "overrides.yaml"
    if not path.is_file():
        return {}
    return _as_dict(yaml.safe_load(path.read_text(encoding="utf-8")) or [])


def _as_dict(overrides) -> dict[str, str]:
    """``["+k=v", …]`` → ``{"k": "v", …}``."""
    return dict(str(o).lstrip("+~").split("=", 1) for o in overrides if "=" in str(o))


def current_jobs(config: DictConfig) -> list[dict[str, str]] | None:
    """The overrides (key → value) of each job of this sweep, in job order, as Hydra's
    basic sweeper makes them from ``hydra.sweeper.params`` and the command line; None
    with another sweeper (then every job folder counts)."""
    sweeper = config.hydra.sweeper
    if not str(sweeper.get("_target_", "")).endswith("BasicSweeper"):
        return None
    try:
        from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
        from hydra.core.global_hydra import GlobalHydra
        from hydra.core.override_parser.overrides_parser import OverridesParser

        loader = GlobalHydra.instance().config_loader() if GlobalHydra.instance().is_initialized() else None
        params = [f"{k}={v}" for k, v in (sweeper.get("params") or {}).items()]
        overrides = params + list(config.hydra.overrides.task)
        parsed = OverridesParser.create(config_loader=loader).parse_overrides(overrides)
        batches = BasicSweeper.split_arguments(parsed, None)
    except Exception:  # a sweep Hydra ran; if it cannot be re-read, keep every job
        return None
    return [_as_dict(job) for batch in batches for job in batch]


def _of_sweep(dirs: list[Path], jobs: list[dict[str, str]]) -> list[Path]:
    """The job folders of ``dirs`` that are jobs of the sweep ``jobs`` (one per job: the one
    named by its number if several have its overrides); a folder left by another sweep
    into the same directory (e.g. a swept value since removed) is left out."""
    chosen: dict[int, Path] = {}
    for p in dirs:
        o = _job_overrides(p)
        if o not in jobs:
            log.info("%s: not a job of this sweep (%s), left out of its comparison", p, o)
            continue
        i = jobs.index(o)
        if i not in chosen or p.name == str(i):
            chosen[i] = p
    return [chosen[i] for i in sorted(chosen)]


def collect(sweep_dir: Path, jobs: list[dict[str, str]] | None = None) -> tuple[pd.DataFrame, list[tuple[Path, str]]]:
    """The tidy table of a sweep and the (job directory, label) of each complete job (of
    the sweep whose jobs' overrides are ``jobs``, if given)."""
    done = [p for p in Path(sweep_dir).iterdir() if (p / "manifest.json").is_file()]
    if jobs is not None:
        done = _of_sweep(done, jobs)
    jobs_dirs = sorted(done, key=lambda p: (len(p.name), p.name))
    overrides = {p: _job_overrides(p) for p in jobs_dirs}
    keys = sorted({k for o in overrides.values() for k in o})
    varying = [k for k in keys if len({o.get(k) for o in overrides.values()}) > 1 and k != "scenario"]
    parts, labels = [], []
    for p in jobs_dirs:
        kp = pd.read_parquet(p / "kpis.parquet")
        o = overrides[p]
        suffix = ",".join(f"{k.split('.')[-1]}={o.get(k, '')}" for k in varying)
        label_of = {s: (f"{s} [{suffix}]" if suffix else s) for s in kp["scenario"].unique()}
        kp.insert(0, "job", p.name)
        for k in keys:
            kp[k] = o.get(k, "")
        kp["label"] = kp["scenario"].map(label_of)
        parts.append(kp)
        labels.append((p, suffix))
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    return table, labels


def _write_summary(table: pd.DataFrame, sweep_dir: Path) -> tuple[dict, pd.DataFrame]:
    """``sweep_kpis.parquet`` (with each job's ``year`` rows, if any) and
    ``sweep_summary.csv``: every job's scenarios under their
    labels, compared with the baseline job, else the first job (e.g. a dose of 0), with
    their doses (:mod:`simsoins.results.dose`); returns the doses as scenarios.json has them,
    and the summary."""
    outputs.write_parquet(table, sweep_dir / "sweep_kpis.parquet")
    whole, _ = yearly.split_years(table)  # the summary is over each job's whole measured window
    long = whole.drop(columns=["scenario"]).rename(columns={"label": "scenario"})
    long = long.drop_duplicates(["scenario", "replication", "kpi"])
    order = list(dict.fromkeys(["baseline"] * ("baseline" in set(long["scenario"])) + list(long["scenario"])))
    long["scenario"] = pd.Categorical(long["scenario"], categories=order)
    kpis = (long.sort_values(["scenario", "replication"])[["scenario", "replication", "kpi", "unit", "value"]]
            .assign(scenario=lambda d: d["scenario"].astype(str)))
    population = _populations(table, sweep_dir)
    kpis = _with_costs(kpis, table, sweep_dir, population.get(order[0], float("nan")), order[0])
    summary = cost_kpis.ratio_summary(stats.summarise(kpis, baseline=order[0]), kpis)
    summary = dose.with_doses(summary, kpis, population, baseline=order[0])
    outputs.write_csv(summary, sweep_dir / "sweep_summary.csv")
    return dose.scenario_doses(kpis, population, baseline=order[0]), summary


def _with_costs(kpis: pd.DataFrame, table: pd.DataFrame, sweep_dir: Path, population: float, baseline: str
                ) -> pd.DataFrame:
    """``kpis`` (labelled scenarios) with the cost KPIs paired against ``baseline`` across
    jobs, from each job's ``scenarios.json["costs"]`` and the baseline job's unit costs;
    unchanged if a job has none (written before them) or no baseline ran."""
    records: dict[str, dict] = {}
    units: dict[str, dict] = {}
    for job, sc, label in table[["job", "scenario", "label"]].drop_duplicates().itertuples(index=False):
        path = Path(sweep_dir) / str(job) / "scenarios.json"
        info = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        if str(sc) in info.get("costs", {}):
            records[str(label)] = info["costs"][str(sc)]
            units[str(label)] = info.get("unit_costs", {})
    if baseline not in records:
        return kpis
    kept = kpis[~kpis["kpi"].isin(cost_kpis.COST_KPI_UNITS)]  # a job's own were against its own baseline
    rows = cost_kpis.rows_from_records(kept, records, population, from_mapping(CostConfig, units[baseline], "costs"),
                                       baseline)
    return pd.concat([kept, rows], ignore_index=True) if len(rows) else kpis


def _populations(table: pd.DataFrame, sweep_dir: Path) -> dict[str, float]:
    """Each labelled scenario's territory population (its job's communes.parquet)."""
    pops: dict[str, float] = {}
    for job, label in table[["job", "label"]].drop_duplicates().itertuples(index=False):
        path = Path(sweep_dir) / str(job) / "communes.parquet"
        if path.is_file():
            com = pd.read_parquet(path, columns=["code", "population"])  # a row per scenario × replication
            pops[str(label)] = float(com.drop_duplicates("code")["population"].sum())
    return pops


def _labelled(res: dict, suffix: str) -> dict:
    """A job's results with each scenario renamed ``scenario [suffix]`` (the swept values)."""
    if not suffix:
        return res
    rename = {s: f"{s} [{suffix}]" for s in res.get("scenarios", {}).get("order", [])}
    for key, df in list(res.items()):
        if isinstance(df, pd.DataFrame) and "scenario" in df.columns:
            res[key] = df.assign(scenario=df["scenario"].astype(str).replace(rename))
    meta = res.get("scenarios", {})
    meta["order"] = [rename.get(s, s) for s in meta.get("order", [])]
    for k in ("labels", "configs", "per_100k", "capped"):
        if k in meta:
            meta[k] = {rename.get(s, s): v for s, v in meta[k].items()}
    return res


def _merged_results(jobs: list[tuple[Path, str]]) -> dict:
    """Every job's stored results under their labels, merged; the baseline first."""
    from simsoins.dashboard.report import load_results, merge_results

    results = []
    for path, suffix in jobs:
        res = load_results(path)
        res.pop("summary", None)  # recomputed over the merged jobs, paired by replication
        results.append(_labelled(res, suffix))
    merged = merge_results(results)
    meta = merged.get("scenarios", {})
    if "baseline" in meta.get("order", []):
        meta["order"] = ["baseline"] + [s for s in meta["order"] if s != "baseline"]
    return merged


def comparison(sweep_dir: Path, lang: str = "fr", of_jobs: list[dict[str, str]] | None = None) -> None:
    """Write the sweep's tidy table, summary and comparison dashboard into ``sweep_dir``
    (over the jobs whose overrides are ``of_jobs``, if given; else every complete job)."""
    from simsoins.dashboard.report import write_dashboard

    sweep_dir = Path(sweep_dir)
    table, jobs = collect(sweep_dir, of_jobs)
    if table.empty:
        log.warning("sweep %s: no finished job to compare", sweep_dir)
        return
    doses, summary = _write_summary(table, sweep_dir)
    merged = _merged_results(jobs)
    merged["summary"] = summary  # paired across the jobs, the costs against the baseline job's
    merged.setdefault("scenarios", {}).update(doses)
    outputs.write_text(json.dumps(merged["scenarios"], ensure_ascii=False, indent=2), sweep_dir / "scenarios.json")
    write_dashboard(merged, sweep_dir / "dashboard.html", lang=lang)
    log.info("sweep comparison of %d jobs written to %s", len(jobs), sweep_dir)


class SweepCallback(Callback):
    """Hydra callback: after every job of a multirun, the comparison over all of them."""

    def on_multirun_end(self, config, **kwargs) -> None:
        lang = str(config.get("dashboard", {}).get("lang", "fr"))
        sweep_dir = Path(config.hydra.sweep.dir)
        jobs = current_jobs(config)
        comparison(sweep_dir, lang, jobs)
        if config.get("ou_agir") is not None:  # a placement search (configs/experiment/ou_agir.yaml)
            from simsoins.tools.ou_agir import write_report as write_search

            write_search(sweep_dir, collect(sweep_dir, jobs)[0], lang=lang)
        swept = set(config.hydra.sweeper.get("params") or {}) | {
            o.split("=", 1)[0] for o in config.hydra.overrides.task if "," in o}
        if swept & {"territory.code", "territory.departement"}:
            from simsoins.tools.france_report import write_report  # a sweep over départements: the France table and map

            write_report(sweep_dir, lang=lang)

"""Command line: ``python -m simsoins [scenario=NAME] [territory=NAME] [key=value ...]``.

Hydra composes the config; everything else works on plain, validated data.  A bad value
stops the run before any simulation with one line naming the field, the value and what
is allowed, and exit status 2.  With a scenario other than ``baseline``, the baseline is
run too with the same replication seeds (common random numbers) and the paired
difference is reported.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import hydra
import pandas as pd
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf

from simsoins.config.levers import Levers
from simsoins.config.model import ConfigError, ModelConfig, RunConfig, build_model, from_mapping, merge, rng
from simsoins.levers import Plan, make_plan
from simsoins.results import outputs, stats
from simsoins.run.sweep import _comparable, already_done, sweep_id
from simsoins.run.workers import run_all, tables
from simsoins.territory import Territory, load_territory, territory_summary

log = logging.getLogger("simsoins")
if not OmegaConf.has_resolver("simsoins_sweep_id"):
    OmegaConf.register_new_resolver("simsoins_sweep_id", lambda: sweep_id())
MODEL_KEYS = ("demand", "clinicians", "pathways", "er", "tele", "levers")
TOP_KEYS = set(MODEL_KEYS) | {"run", "territory", "scenario", "dashboard"}


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
    territory_label: str


def validate_values(cfg: dict):
    """Check every value of the config but the territory's files (cheap: no data read).
    Returns (run, baseline model, scenario model, scenario name, scenario block, language)."""
    unknown = sorted(set(cfg) - TOP_KEYS - {"hydra"})
    if unknown:
        raise ConfigError(f"{unknown[0]}: unknown top-level key; allowed: {', '.join(sorted(TOP_KEYS))}")
    for key in TOP_KEYS:
        if cfg.get(key) is not None and not isinstance(cfg[key], dict):
            raise ConfigError(f"{key} = {cfg[key]!r}: must be a mapping"
                              + (f" (choose one with {key}=NAME)" if key in ("scenario", "territory") else ""))
    run = from_mapping(RunConfig, cfg.get("run"), "run")
    base = {k: cfg.get(k) or {} for k in MODEL_KEYS}
    base_model = build_model(base)
    scen = cfg.get("scenario") or {}
    extra = sorted(set(scen) - {"name", "label", "levers"})
    if extra:
        raise ConfigError(f"scenario.{extra[0]}: unknown key; allowed: label, levers, name")
    name = str(scen.get("name", "baseline"))
    lang = from_mapping(DashboardConfig, cfg.get("dashboard"), "dashboard").lang
    # The scenario's delta over the baseline levers: its errors name scenario.levers.*
    levers = from_mapping(Levers, merge(base["levers"], scen.get("levers") or {}), "scenario.levers")
    scenario_model = replace(base_model, levers=levers)
    return run, base_model, scenario_model, name, scen, lang


@dataclass(frozen=True)
class DashboardConfig:
    """The dashboard's language: French (the planners') or English."""

    lang: str = field(default="fr", metadata=rng(choices=("fr", "en")))


def prepare(cfg: dict, compare: bool = True) -> Job:
    """Validate the composed config (a plain dict) into a :class:`Job`; ConfigError if bad.
    With ``compare``, a scenario other than the baseline runs with the baseline (common
    random numbers); jobs of a sweep don't — the sweep pairs them by replication seed."""
    run, base_model, scenario_model, name, scen, lang = validate_values(cfg)
    models, labels = {}, {}
    if name == "baseline" or compare:
        models["baseline"] = base_model
        labels["baseline"] = "Situation actuelle" if lang == "fr" else "Current situation"
    if name != "baseline":
        models[name] = scenario_model
        labels[name] = str(scen.get("label", name))
    terr_cfg = cfg.get("territory") or {}
    territory = load_territory(terr_cfg, base_model.clinicians, Path(config_dir()) / "territory",
                               base_model.demand.age_bands)
    plans = {sc: make_plan(territory, m, run, "levers" if sc == "baseline" else "scenario.levers")
             for sc, m in models.items()}
    return Job(territory, models, plans, labels, run, name, lang, str(terr_cfg.get("label", territory.name)))


def _refuse(err: ConfigError, out: Path) -> None:
    """One line on stderr, no half-written run directory, exit status 2."""
    print(f"simsoins: error: {err}", file=sys.stderr)
    if out.is_dir() and set(p.name for p in out.iterdir()) <= {".hydra", "simsoins.log", "__main__.log"}:
        shutil.rmtree(out, ignore_errors=True)
    sys.exit(2)


def execute(job: Job, out: Path, resolved: dict, progress_bar: bool = False) -> pd.DataFrame:
    """Simulate, write every result file into ``out`` (manifest last) and return the summary.
    ``progress_bar``: a bar over replications on a terminal (never in sweep workers)."""
    from tqdm import tqdm
    from tqdm.contrib.logging import logging_redirect_tqdm

    t0 = time.perf_counter()
    log.info("territory %s: %s", job.territory_label, territory_summary(job.territory))
    n_tasks = job.run.replications * len(job.models)
    done = [0]
    bar = tqdm(total=n_tasks, unit="replication", desc="simsoins", disable=None if progress_bar else True)

    def progress(res) -> None:
        done[0] += 1
        bar.update(1)
        log.info("replication %d of %s done (%d/%d, %.0f s)", res.replication, res.scenario, done[0], n_tasks,
                 time.perf_counter() - t0)

    written: list[Path] = []
    (out / "manifest.json").unlink(missing_ok=True)  # until this run completes, the directory is not
    try:
        with logging_redirect_tqdm(loggers=[logging.getLogger()]):
            results = run_all(job.territory, job.models, job.run, progress, job.plans)
        bar.close()
        tab = tables(results)
        summary = stats.summarise(tab["kpis"])
        out.mkdir(parents=True, exist_ok=True)

        def put(name: str, df: pd.DataFrame) -> None:
            path = out / name
            (outputs.write_csv if name.endswith(".csv") else outputs.write_parquet)(df, path)
            written.append(path)

        put("summary.csv", summary)
        for name, df in tab.items():
            put(f"{name}.parquet", df)
        t = job.territory
        put("communes.parquet", pd.DataFrame({"code": list(t.commune_code), "name": list(t.commune_name),
                                              "population": t.population, "lon": t.lon, "lat": t.lat}))
        events = [r.events.assign(scenario=r.scenario) for r in results if r.events is not None]
        if events:
            ev = pd.concat(events, ignore_index=True)
            ev["scenario"] = ev["scenario"].astype("category")
            put("events.parquet", ev)
        configs = {sc: OmegaConf.to_yaml(OmegaConf.create(_scenario_view(resolved, sc))) for sc in job.models}
        info = {"order": list(job.models), "labels": job.labels, "configs": configs,
                "territory": job.territory_label, "start_date": job.run.start_date}
        outputs.write_text(json.dumps(info, ensure_ascii=False, indent=2), out / "scenarios.json")
        written.append(out / "scenarios.json")
        _dashboard(out, job.lang)
        written.append(out / "dashboard.html")
        outputs.write_manifest(out, {"seed": job.run.seed, "replications": job.run.replications,
                                     "scenarios": list(job.models), "config": _comparable(resolved),
                                     "wall_seconds": round(time.perf_counter() - t0, 1)})
    except BaseException:
        for p in written:
            p.unlink(missing_ok=True)
        log.error("run failed: no results were kept in %s", out)
        raise
    return summary


def _scenario_view(resolved: dict, scenario: str) -> dict:
    view = {k: v for k, v in resolved.items() if k != "hydra"}
    if scenario == "baseline":
        view = {**view, "scenario": {"name": "baseline", "levers": {}}}
    return view


def _dashboard(out: Path, lang: str) -> None:
    from simsoins.dashboard.report import load_results, write_dashboard

    write_dashboard(load_results(out), out / "dashboard.html", lang=lang)


def _composition_error(overrides: list[str]) -> str | None:
    """Compose the config with ``overrides`` as Hydra would; a one-line message if it fails
    (unknown scenario or territory, a key that does not exist, a malformed override)."""
    from hydra import compose, initialize_config_dir
    from hydra.errors import HydraException, MissingConfigException

    try:
        with initialize_config_dir(config_dir(), version_base=None):
            cfg = compose("config", overrides=overrides)
        validate_values(OmegaConf.to_container(cfg, resolve=True))
    except ConfigError as err:
        return str(err)
    except MissingConfigException as err:
        group, _, name = str(getattr(err, "missing_cfg_file", "") or "").rpartition("/")
        options = ", ".join(getattr(err, "options", None) or
                            sorted(p.stem for p in (Path(config_dir()) / group).glob("*.yaml")) if group else [])
        if group:
            return f"{group}={name}: unknown {group}; available: {options or 'none'}"
        return str(err).splitlines()[0]
    except HydraException as err:
        first = str(err).splitlines()[0]
        if first.startswith("Could not override '"):
            key = first.split("'")[1]
            return f"{key}: no such key in the config (a typo? a new key needs +{key}=...)"
        return _malformed(overrides) or first
    except Exception as err:  # the override grammar raises plain errors too
        return _malformed(overrides) or str(err).splitlines()[0]
    return None


def compose_checked(overrides: list[str], prog: str) -> dict:
    """The composed config (a plain dict) for a tool other than the main command
    (``python -m simsoins.validate``, ``.calibrate``): a bad override is one line on
    stderr naming the key, the value and what is allowed, and exit status 2."""
    from hydra import compose, initialize_config_dir

    message = _composition_error(overrides)
    if message:
        print(f"{prog}: error: {message}", file=sys.stderr)
        sys.exit(2)
    with initialize_config_dir(config_dir(), version_base=None):
        return OmegaConf.to_container(compose("config", overrides=overrides), resolve=True)


def int_at_least(low: int):
    """argparse type: a whole number ≥ ``low``, with a message that says so."""
    import argparse

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if value < low:
            raise argparse.ArgumentTypeError(f"{text!r}: must be a whole number ≥ {low}")
        return value

    return parse


def _malformed(overrides: list[str]) -> str | None:
    """The first override that does not parse, as a one-line message."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    parser = OverridesParser.create()
    for o in overrides:
        try:
            parser.parse_overrides([o])
        except Exception as err:
            return f"{o}: malformed override ({str(err).splitlines()[0]}); see key=value in the README"
    return None


def _sweep_variants(overrides: list[str]) -> list[list[str]]:
    """For a multirun, one override list per swept value (the others at their first)."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    parsed = OverridesParser.create().parse_overrides(overrides)
    first = []
    sweeps = []
    for i, o in enumerate(parsed):
        if o.is_sweep_override():
            values = [str(v) for v in o.sweep_string_iterator()]
            first.append(f"{o.get_key_element()}={values[0]}")
            sweeps.append((i, o.get_key_element(), values))
        else:
            first.append(overrides[i])
    variants = [first]
    for i, key, values in sweeps:
        for v in values[1:50]:
            variants.append(first[:i] + [f"{key}={v}"] + first[i + 1:])
    return variants


def run() -> None:
    """Console entry point: check the overrides as a user error (one line, exit 2), then
    hand over to Hydra."""
    args = sys.argv[1:]
    # Flags may come after overrides (``scenario=a,b -m``): Hydra wants them first.
    flags = [a for a in args if a in ("-m", "--multirun")]
    args = flags + [a for a in args if a not in flags]
    sys.argv[1:] = args
    if not any(a in ("--help", "-h", "--hydra-help", "--info", "-i", "--cfg", "-c", "--shell-completion", "-sc")
               for a in args):
        overrides = [a for a in args if not a.startswith("-")]
        try:
            variants = _sweep_variants(overrides) if any(a in ("-m", "--multirun") for a in args) else [overrides]
        except Exception as err:
            message = _malformed(overrides) or str(err).splitlines()[0]
            print(f"simsoins: error: {message}", file=sys.stderr)
            sys.exit(2)
        for ov in variants:
            message = _composition_error(ov)
            if message:
                print(f"simsoins: error: {message}", file=sys.stderr)
                sys.exit(2)
    main()


@hydra.main(config_path=config_dir(), config_name="config", version_base=None)
def main(cfg: DictConfig) -> None:
    """Hydra task function of ``python -m simsoins`` (see :func:`run`)."""
    hc = HydraConfig.get()
    out = Path(hc.runtime.output_dir)
    resolved = OmegaConf.to_container(cfg, resolve=True)
    multirun = hc.mode == RunMode.MULTIRUN
    if multirun and already_done(out, resolved):
        log.info("job %s already complete in %s: kept, not simulated again", hc.job.num, out)
        return
    choice = next((o.split("=", 1)[1] for o in HydraConfig.get().overrides.task if o.startswith("scenario=")), "")
    if choice.startswith("[") and isinstance(resolved.get("scenario"), dict):
        # scenario=[cpts,teleconsultation]: a plan made of several levers, named after them
        names = [c.strip() for c in choice.strip("[]").split(",") if c.strip()]
        resolved["scenario"]["name"] = "+".join(names)
        resolved["scenario"]["label"] = " + ".join(names)
    try:
        job = prepare(resolved, compare=not multirun)
    except ConfigError as err:
        _refuse(err, out)
    summary = execute(job, out, resolved, progress_bar=not multirun)
    if multirun:
        log.info("job %s done: %s", hc.job.num, out)
        return
    print()
    print(f"simsoins — {job.territory_label} — {job.run.replications} replications × "
          f"{job.run.horizon_days} days (after {job.run.warmup_days} days of warm-up), seed {job.run.seed}")
    print(stats.comparison_table(summary, job.scenario))
    print(f"\nResults: {out}  (summary.csv, kpis.parquet, events.parquet, dashboard.html)")

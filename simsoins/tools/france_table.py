"""The France sweep as a table (« tableau des départements »).

Reads every finished job of a sweep over départements (``python -m simsoins -m
+experiment=france``) and returns one row per job's territory and scenario. A job's
territory is one département (``territory.code=48``) or several simulated as one
(``territory.code=[41,37,45]``): its codes come from ``.hydra/overrides.yaml``
(``territory.code`` or ``territory.departement``), else ``.hydra/config.yaml``, else
``manifest.json``, else the communes it ran (``communes.parquet``, e.g. a région given by
its code); its label and the rules it was built with from ``scenarios.json``
(``territory``, ``territory_rules``); its KPIs from ``summary.csv``; its ER sites from
``er_sites.parquet``; its wall time (and peak memory, when a run records it as
``peak_rss_mb``) from ``manifest.json``. :mod:`simsoins.tools.france_report` draws it.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from simsoins.territory.france import departements

log = logging.getLogger("simsoins")
#: KPIs carried into the table (ids of simsoins.results.kpis.KPI_UNITS); ``--kpi`` adds one.
KEY_KPIS = (
    "routine_wait_days_mean",
    "routine_wait_days_median",
    "routine_time_to_care_days_median",   # every routine request: gave-ups count as not seen
    "routine_time_to_care_days_p90",
    "routine_within_7d_share",
    "routine_gave_up_share",
    "acute_within_48h_share",
    "er_visits_per_1000_year",
    "er_avoidable_visits_per_1000_year",
    "er_wait_hours_mean",
    "gp_consultations_per_inhabitant_year",
    "without_mt_share",
    "clinician_utilisation",
)
#: Columns of :func:`france_table` before the KPIs. ``code``: the département's INSEE code,
#: or the codes of a multi-département territory joined by "+"; ``departements``: how many;
#: ``er_sites``: ER sites simulated; ``territory_rules``: rule ids joined by ";".
TABLE_COLUMNS = ["code", "name", "departements", "scenario", "job", "population", "gps", "gp_per_100k", "er_sites",
                 "replications", "lon", "lat", "wall_seconds", "peak_rss_mb", "territory_rules"]
#: The territory keys that name départements, as a user types them.
CODE_KEYS = ("territory.departement", "territory.code")
#: What a job file may hold that this module cannot read: the job is skipped, with a warning.
UNREADABLE = (OSError, ValueError, KeyError, TypeError, yaml.YAMLError)


@dataclass(frozen=True)
class Job:
    """What the table needs of one finished job besides its KPIs."""

    path: Path
    codes: tuple[str, ...]        # INSEE codes of the départements it simulated
    label: str                    # the territory's label (scenarios.json), e.g. "Creuse (23)"
    rules: tuple[str, ...]        # ids of simsoins.territory.rules.RULES it was built with
    wall_seconds: float           # NaN when the manifest does not say
    peak_rss_mb: float


def parse_codes(raw: Any) -> tuple[str, ...] | None:
    """``48``, ``"01"``, ``"2a"``, ``[41, 37, 45]`` or ``"[41,37,45]"`` → the INSEE codes;
    None if anything is not a metropolitan département (e.g. a région's code)."""
    if isinstance(raw, str) and raw.strip().startswith("["):
        raw = yaml.safe_load(raw)
    items = list(raw) if isinstance(raw, list | tuple) else [raw]
    known = departements().index
    out = []
    for item in items:
        text = str(item).strip().upper()
        text = "0" + text if text.isdigit() and len(text) == 1 else text  # Hydra reads 01 as 1
        if text not in known:
            return None
        out.append(text)
    return tuple(dict.fromkeys(out)) or None


def _from_overrides(job: Path) -> Any:
    """The départements a job's command-line overrides set (``territory.departement`` wins)."""
    path = job / ".hydra" / "overrides.yaml"
    if not path.is_file():
        return None
    found: dict[str, str] = {}
    for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
        key, _, value = str(item).lstrip("+~").partition("=")
        if key in CODE_KEYS:
            found[key] = value
    return found.get(CODE_KEYS[0], found.get(CODE_KEYS[1]))


def _territory_value(territory: Any) -> Any:
    """The ``departement`` (else ``code``) of a territory's config, if it has one."""
    if not isinstance(territory, dict):
        return None
    return territory.get("departement") or territory.get("code") or None


def _from_config(job: Path) -> Any:
    """The départements of a job's composed config (``.hydra/config.yaml``), else of its
    ``manifest.json``."""
    from omegaconf import OmegaConf

    path = job / ".hydra" / "config.yaml"
    if path.is_file():
        cfg = OmegaConf.load(path)
        value = _territory_value(OmegaConf.to_container(OmegaConf.select(cfg, "territory") or OmegaConf.create({}),
                                                        resolve=True))
        if value:
            return value
    manifest = _json(job / "manifest.json")
    return _territory_value((manifest.get("config") or {}).get("territory"))


def _from_communes(job: Path) -> tuple[str, ...] | None:
    """The départements of the communes a job simulated (INSEE commune codes start with the
    département's: 41xxx, 2Axxx, 751xx), in order; None if any is not metropolitan."""
    path = job / "communes.parquet"
    if not path.is_file():
        return None
    codes = pd.read_parquet(path, columns=["code"])["code"].astype(str).str[:2]
    return parse_codes(list(dict.fromkeys(codes)))


def job_codes(job: Path) -> tuple[str, ...] | None:
    """The INSEE codes of the départements a job simulated, or None if it ran none."""
    for raw in (_from_overrides(job), _from_config(job)):
        codes = parse_codes(raw) if raw not in (None, "") else None
        if codes:
            return codes
    return _from_communes(job)


def job_departement(job: Path) -> str | None:
    """The INSEE code of the one département a job ran; None if none or several."""
    codes = job_codes(job)
    return codes[0] if codes and len(codes) == 1 else None


def _json(path: Path) -> dict:
    """A job's JSON file as a dict ({} if absent or not an object)."""
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def _number(value: Any) -> float:
    """A manifest's figure as a float; NaN if absent or not a number."""
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else np.nan


def default_label(codes: tuple[str, ...]) -> str:
    """« Lozère (48) », or « Loir-et-Cher (41) + Indre-et-Loire (37) » for several."""
    deps = departements()
    return " + ".join(f"{deps.at[c, 'name']} ({c})" for c in codes)


def read_job(path: Path) -> Job | None:
    """The description of the finished job in ``path``; None if it ran no département."""
    codes = job_codes(path)
    if codes is None:
        return None
    info, manifest = _json(path / "scenarios.json"), _json(path / "manifest.json")
    label = info.get("territory")
    rules = info.get("territory_rules")
    return Job(path=path, codes=codes, label=label if isinstance(label, str) and label else default_label(codes),
               rules=tuple(r for r in rules if isinstance(r, str)) if isinstance(rules, list) else (),
               wall_seconds=_number(manifest.get("wall_seconds")), peak_rss_mb=_number(manifest.get("peak_rss_mb")))


def er_site_counts(path: Path) -> dict[str, int]:
    """Scenario → number of ER sites it simulated (``er_sites.parquet``, first replication)."""
    file = path / "er_sites.parquet"
    if not file.is_file():
        return {}
    er = pd.read_parquet(file, columns=["scenario", "replication"])
    first = er[er["replication"] == er.groupby("scenario", observed=True)["replication"].transform("min")]
    return {str(k): int(v) for k, v in first.groupby("scenario", observed=True).size().items()}


def _territory_figures(codes: tuple[str, ...]) -> dict:
    """Population, GPs (2024) and centroid of a territory of one or several départements
    (several: the population-weighted mean of their centroids)."""
    d = departements().loc[list(codes)]
    pop, gps = int(d["population"].sum()), int(d["gp_2024"].sum())
    return {"population": pop, "gps": gps, "gp_per_100k": round(100_000 * gps / pop, 1),
            "lon": float(np.average(d["lon"], weights=d["population"])),
            "lat": float(np.average(d["lat"], weights=d["population"]))}


def _rows(job: Job, scenario: str | None, kpis) -> list[dict]:
    """The rows of one finished job: one per scenario (``scenario`` only, if given)."""
    s = pd.read_csv(job.path / "summary.csv")
    sites = er_site_counts(job.path)
    base = {"code": "+".join(job.codes), "name": job.label, "departements": len(job.codes), "job": job.path.name,
            **_territory_figures(job.codes), "wall_seconds": job.wall_seconds, "peak_rss_mb": job.peak_rss_mb,
            "territory_rules": ";".join(job.rules)}
    rows = []
    for sc in [scenario] if scenario else list(dict.fromkeys(s["scenario"].astype(str))):
        block = s[s["scenario"].astype(str) == sc].set_index("kpi")
        if block.empty:
            continue
        row = {**base, "scenario": sc, "er_sites": sites.get(sc, np.nan), "replications": int(block["n"].max())}
        for k in kpis:
            for col, suffix in (("mean", ""), ("ci_low", "_ci_low"), ("ci_high", "_ci_high")):
                row[k + suffix] = float(block.at[k, col]) if k in block.index else np.nan
        rows.append(row)
    return rows


def _finished(sweep_dir: Path) -> list[Path]:
    """The sweep's job folders, in name order."""
    return sorted(p for p in Path(sweep_dir).iterdir() if p.is_dir())


def read_jobs(sweep_dir) -> tuple[list[Job], list[str]]:
    """The finished département jobs of a sweep, and the names of the folders skipped (a
    job without results, without département, or with a file this module cannot read:
    that one is logged at once, the others by :func:`warn_skipped`)."""
    jobs, skipped = [], []
    for path in _finished(Path(sweep_dir)):
        if not (path / "summary.csv").is_file():
            if (path / ".hydra").is_dir():
                skipped.append(path.name)
            continue
        try:
            job = read_job(path)
        except UNREADABLE as exc:
            log.warning("france_table: %s: %s", path.name, exc)
            job = None
        if job is None:
            skipped.append(path.name)
        else:
            jobs.append(job)
    return jobs, skipped


def warn_skipped(skipped: list[str]) -> None:
    """Say which job folders the table left out."""
    if skipped:
        log.warning("france_table: %d job(s) without results or département skipped: %s", len(skipped),
                    ", ".join(skipped[:10]))


def france_table(sweep_dir, scenario: str | None = None, kpis=KEY_KPIS, jobs: list[Job] | None = None) -> pd.DataFrame:
    """One row per job's territory (and scenario) of the sweep in ``sweep_dir``, sorted by code.

    ``scenario``: which scenario of each job's ``summary.csv`` to keep; by default every
    scenario the job ran (a France sweep runs one per job). ``jobs``: as read by
    :func:`read_jobs`, if already read.
    """
    if jobs is None:
        jobs, skipped = read_jobs(sweep_dir)
        warn_skipped(skipped)
    rows: list[dict] = []
    for job in jobs:
        try:
            rows += _rows(job, scenario, kpis)
        except UNREADABLE as exc:
            log.warning("france_table: %s: summary.csv unreadable, skipped: %s", job.path.name, exc)
    cols = TABLE_COLUMNS + [k + s for k in dict.fromkeys(kpis) for s in ("", "_ci_low", "_ci_high")]
    table = pd.DataFrame(rows, columns=cols)
    return table.sort_values(["code", "scenario"], kind="stable").reset_index(drop=True)

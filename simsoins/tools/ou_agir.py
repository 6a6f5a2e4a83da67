"""The report of a placement search (« où agir », ``python -m simsoins -m +experiment=ou_agir``):
which candidate commune is the best for a new centre de santé, with a stated probability
of correct selection (:mod:`simsoins.results.selection`).

At the end of the sweep (:class:`simsoins.run.sweep.SweepCallback`), the jobs' KPI on the
search's objective are paired by replication (the same seed in every job: common random
numbers), the reference job (``candidate_rank = -1``: no centre) gives each candidate's
difference with today — on the objective and, beside it, on giving up and avoidable ER
visits — and ``ou_agir.csv``, ``ou_agir.html`` (:mod:`simsoins.tools.ou_agir_page`)
and a short summary on the console are written.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pandas as pd

from simsoins.config.costs import CostConfig
from simsoins.config.levers import NO_CENTRE
from simsoins.config.ou_agir import LEVER, OuAgirConfig, centre_cost, centre_gps, ou_agir_config
from simsoins.config.schema import from_mapping
from simsoins.results import outputs
from simsoins.results.selection import Selection, paired_vs_reference, select, two_stage_replications
from simsoins.results.yearly import split_years

log = logging.getLogger("simsoins")
#: The swept key whose value is a job's candidate.
RANK_KEY = f"scenario.levers.{LEVER}.candidate_rank"
#: The downsides shown beside the objective, as each candidate's difference with today:
#: giving up and avoidable ER visits (column prefix → KPI).
BESIDE = {"gave_up": "routine_gave_up_share", "er_avoidable": "er_avoidable_visits_per_1000_year"}


def job_config(sweep_dir: Path, table: pd.DataFrame) -> dict:
    """The stored config of the sweep's first job (every job shares all but the rank)."""
    first = sorted(table["job"].unique(), key=lambda j: (len(str(j)), str(j)))[0]
    manifest = json.loads((Path(sweep_dir) / str(first) / "manifest.json").read_text(encoding="utf-8"))
    return manifest["config"]


def candidate_places(cfg: dict) -> pd.DataFrame:
    """Per candidate rank: the commune's row, code, name, position, population and access
    score, as the lever ranks them on the job's territory."""
    from simsoins.cli.configs import config_dir
    from simsoins.cli.values import validate_values
    from simsoins.levers.nouveau_centre import AUTO_MIN_POPULATION
    from simsoins.levers.places import access_score, auto_candidates
    from simsoins.territory import load_territory

    model = validate_values(cfg).baseline
    t = load_territory(cfg.get("territory") or {}, model.clinicians, Path(config_dir()) / "territory",
                       model.demand.age_bands)
    rows = auto_candidates(t, AUTO_MIN_POPULATION)
    score = access_score(t)
    return pd.DataFrame({"rank": range(len(rows)), "code": [t.commune_code[i] for i in rows],
                         "name": [t.commune_name[i] for i in rows], "lon": t.lon[rows], "lat": t.lat[rows],
                         "population": t.population[rows], "access_score": score[rows]})


def kpi_matrix(table: pd.DataFrame, kpi: str) -> pd.DataFrame:
    """Replications × candidate ranks of ``kpi`` (replications every job has, in order)."""
    whole, _ = split_years(table)  # a run of several years: its whole window
    rows = whole[whole["kpi"] == kpi]
    wide = rows.assign(rank=rows[RANK_KEY].astype(int)).pivot_table(index="replication", columns="rank",
                                                                    values="value", aggfunc="first")
    return wide.dropna().sort_index()


def search_table(wide: pd.DataFrame, places: pd.DataFrame, search: OuAgirConfig, costs: CostConfig
                 ) -> tuple[pd.DataFrame, Selection, int]:
    """One row per candidate (rank order) and the selection; the replications a two-stage
    procedure would need for ``search.indifference``."""
    ranks = [r for r in wide.columns if r != NO_CENTRE]
    y = wide[ranks].to_numpy()
    sel = select(y, search.alpha, lower_is_better=search.better == "lower")
    gps = centre_gps(search.budget_eur_per_year, costs)
    out = places.set_index("rank").loc[ranks].reset_index()
    out["centre_gps"] = gps
    out["cost_eur_per_year"] = centre_cost(gps, costs)
    out["kpi"] = search.kpi
    out["mean"] = sel.means
    if NO_CENTRE in wide.columns:
        out["reference_mean"] = float(wide[NO_CENTRE].mean())
        out["diff"], out["diff_ci_low"], out["diff_ci_high"] = paired_vs_reference(y, wide[NO_CENTRE].to_numpy())
    out["worse_than_best_at_most"] = sel.worse_by_at_most
    out["in_subset"] = sel.subset
    out["selected"] = np.arange(len(ranks)) == sel.selected
    out["replications"] = sel.replications
    return out, sel, two_stage_replications(-y if search.better == "higher" else y, search.alpha, search.indifference)


def with_beside(out: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """``out`` with each candidate's paired difference with today (and its 95 % CI) on the
    KPIs of :data:`BESIDE`, when the reference job ran."""
    out = out.copy()
    for prefix, kpi in BESIDE.items():
        wide = kpi_matrix(table, kpi)
        if NO_CENTRE not in wide.columns:
            continue
        diff = paired_vs_reference(wide[out["rank"].tolist()].to_numpy(), wide[NO_CENTRE].to_numpy())
        out[f"{prefix}_diff"], out[f"{prefix}_diff_ci_low"], out[f"{prefix}_diff_ci_high"] = diff
    return out


def write_report(sweep_dir, table: pd.DataFrame, lang: str = "fr") -> pd.DataFrame | None:
    """Write ``ou_agir.csv`` and ``ou_agir.html`` into ``sweep_dir`` from the sweep's tidy
    ``table`` (:func:`simsoins.run.sweep.collect`) and print the summary; None (logged) if
    the sweep has fewer than two replications or no candidate."""
    from simsoins.tools.ou_agir_page import page_html, summary_lines

    sweep_dir = Path(sweep_dir)
    if table.empty or RANK_KEY not in table:
        log.warning("ou_agir: no job of %s sweeps %s; no search report", sweep_dir, RANK_KEY)
        return None
    cfg = job_config(sweep_dir, table)
    search = ou_agir_config(cfg)
    wide = kpi_matrix(table, search.kpi)
    if len(wide) < 2 or not [r for r in wide.columns if r != NO_CENTRE]:
        log.warning("ou_agir: %d paired replication(s), %d candidate(s): the selection needs 2 and 1",
                    len(wide), len(wide.columns))
        return None
    costs = from_mapping(CostConfig, cfg.get("costs"), "costs")
    out, sel, two_stage = search_table(wide, candidate_places(cfg), search, costs)
    out = with_beside(out, table)
    outputs.write_csv(out, sweep_dir / "ou_agir.csv")
    outputs.write_text(page_html(out, sel, two_stage, search, lang), sweep_dir / "ou_agir.html")
    print("\n".join(summary_lines(out, sel, two_stage, search, lang)))
    log.info("ou_agir: %d candidates, report written to %s", len(out), sweep_dir / "ou_agir.html")
    return out

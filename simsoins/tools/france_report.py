"""The France sweep in one table and one map.

``python -m simsoins.france_report SWEEP_DIR [--geojson FILE] [--kpi KPI]`` reads every job
of a sweep over départements (``python -m simsoins -m +experiment=france``) and writes into
``SWEEP_DIR``:

- ``france.csv``: one row per département (and scenario): code, name, population, GPs per
  100,000 inhabitants, and the key KPIs with their 95 % confidence interval
  (``KPI``, ``KPI_ci_low``, ``KPI_ci_high``; no interval with one replication);
- ``france.html``: a self-contained map (plotly.js inline once, nothing fetched): points at
  the départements' centroids sized by population and coloured by the KPI, over the
  outlines carried in the package; or, with ``--geojson FILE``, a choropleth of the
  départements of that file (features matched on ``properties.code``).

Each job's département is read from ``.hydra/overrides.yaml`` (``territory.code`` or
``territory.departement``), else ``.hydra/config.yaml``, else ``manifest.json``; its KPIs
from ``summary.csv``.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from simsoins.results import outputs
from simsoins.territory.france import DATA, departements, normalise_code
from simsoins.tools.common import user_error

log = logging.getLogger("simsoins")
#: KPIs carried into the table (ids of simsoins.results.kpis.KPI_UNITS).
KEY_KPIS = (
    "routine_wait_days_mean",
    "routine_wait_days_median",
    "routine_within_7d_share",
    "routine_gave_up_share",
    "acute_within_48h_share",
    "er_avoidable_visits_per_1000_year",
    "er_wait_hours_mean",
    "gp_consultations_per_inhabitant_year",
    "without_mt_share",
    "clinician_utilisation",
)
LABELS = {
    "fr": {"routine_wait_days_mean": "Délai moyen d'un RDV programmé (jours)",
           "routine_wait_days_median": "Délai médian d'un RDV programmé (jours)",
           "routine_within_7d_share": "Part des RDV programmés sous 7 jours",
           "routine_gave_up_share": "Part des demandes programmées abandonnées",
           "acute_within_48h_share": "Part des demandes aiguës vues sous 48 h",
           "er_avoidable_visits_per_1000_year": "Passages évitables aux urgences /1000 hab./an",
           "er_wait_hours_mean": "Attente moyenne aux urgences (h)",
           "gp_consultations_per_inhabitant_year": "Consultations de MG par habitant et par an",
           "without_mt_share": "Part sans médecin traitant",
           "clinician_utilisation": "Taux d'occupation des médecins",
           "title": "Accès aux soins de médecine générale par département — {kpi}",
           "gp": "MG libéraux pour 100 000 hab.", "pop": "habitants",
           "note": "Simulation simsoins, une année par département ; coordonnées intra-départementales "
                   "synthétiques hors Loir-et-Cher (voir docs/france.md)."},
    "en": {"title": "Access to GP care by département — {kpi}", "gp": "self-employed GPs per 100,000",
           "pop": "inhabitants",
           "note": "simsoins simulation, one year per département; intra-département coordinates are "
                   "synthetic outside Loir-et-Cher (see docs/france.md)."},
}


def _code_from_overrides(job: Path) -> str | None:
    """The département a job's command-line overrides set (``territory.departement`` wins
    over ``territory.code``)."""
    path = job / ".hydra" / "overrides.yaml"
    if not path.is_file():
        return None
    found = None
    for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
        key, _, value = str(item).lstrip("+~").partition("=")
        if key in ("territory.departement", "territory.code"):
            found = value if key == "territory.departement" or found is None else found
    return found


def _code_from_config(job: Path) -> str | None:
    """The département of a job's composed config (``.hydra/config.yaml``), else of its
    ``manifest.json``."""
    from omegaconf import OmegaConf

    path = job / ".hydra" / "config.yaml"
    if path.is_file():
        cfg = OmegaConf.load(path)
        terr = OmegaConf.to_container(OmegaConf.select(cfg, "territory") or OmegaConf.create({}), resolve=True)
        value = _departement_of(terr)
        if value:
            return value
    path = job / "manifest.json"
    if path.is_file():
        return _departement_of((json.loads(path.read_text(encoding="utf-8")).get("config") or {}).get("territory"))
    return None


def _departement_of(territory: Any) -> str | None:
    """The ``departement`` (else ``code``) of a territory's config, if it has one."""
    if not isinstance(territory, dict):
        return None
    value = territory.get("departement") or territory.get("code")
    return str(value) if value else None


def job_departement(job: Path) -> str | None:
    """The INSEE code of the département a job ran, or None if it did not run one."""
    raw = _code_from_overrides(job) or _code_from_config(job)
    if raw is None:
        return None
    # Hydra reads territory.code=01 as the string "01" but territory.code=1 as 1.
    return normalise_code(raw)


#: Columns of :func:`france_table` before the KPIs.
TABLE_COLUMNS = ["code", "name", "scenario", "job", "population", "gps", "gp_per_100k", "replications", "lon", "lat",
                 "coordinates"]


def _department_row(code: str, dep: pd.Series, scenario: str, job: str, block: pd.DataFrame, kpis) -> dict:
    """One row of the table: département ``code`` (``dep``: its national figures), one
    scenario's KPIs (``block``: its rows of ``summary.csv``, by KPI) with their 95 % CI."""
    row = {"code": code, "name": dep["name"], "scenario": scenario, "job": job,
           "population": int(dep["population"]), "gps": int(dep["gp_2024"]),
           "gp_per_100k": round(100_000 * dep["gp_2024"] / dep["population"], 1),
           "replications": int(block["n"].max()), "lon": float(dep["lon"]), "lat": float(dep["lat"]),
           "coordinates": "real" if code == "41" else "synthetic"}
    for k in kpis:
        for col, suffix in (("mean", ""), ("ci_low", "_ci_low"), ("ci_high", "_ci_high")):
            row[k + suffix] = float(block.at[k, col]) if k in block.index else np.nan
    return row


def _job_rows(job: Path, code: str, deps: pd.DataFrame, scenario: str | None, kpis) -> list[dict]:
    """The rows of one finished job: one per scenario (``scenario`` only, if given)."""
    s = pd.read_csv(job / "summary.csv")
    scenarios = [scenario] if scenario else list(dict.fromkeys(s["scenario"]))
    dep = deps.loc[code]
    rows = []
    for sc in scenarios:
        block = s[s["scenario"] == sc].set_index("kpi")
        if not block.empty:
            rows.append(_department_row(code, dep, sc, job.name, block, kpis))
    return rows


def france_table(sweep_dir, scenario: str | None = None, kpis=KEY_KPIS) -> pd.DataFrame:
    """One row per département (and scenario) of the sweep in ``sweep_dir``.

    ``scenario``: which scenario of each job's ``summary.csv`` to keep; by default every
    scenario the job ran (a France sweep runs one per job).
    """
    deps = departements()
    rows: list[dict] = []
    skipped = []
    for job in sorted(p for p in Path(sweep_dir).iterdir() if p.is_dir()):
        finished = (job / "summary.csv").is_file()
        code = job_departement(job) if finished else None
        if code is not None:
            rows += _job_rows(job, code, deps, scenario, kpis)
        elif finished or (job / ".hydra").is_dir():
            skipped.append(job.name)
    if skipped:
        log.warning("france_table: %d job(s) without results or département skipped: %s", len(skipped),
                    ", ".join(skipped[:10]))
    cols = TABLE_COLUMNS + [k + s for k in kpis for s in ("", "_ci_low", "_ci_high")]
    table = pd.DataFrame(rows, columns=cols)
    return table.sort_values(["code", "scenario"], kind="stable").reset_index(drop=True)


def _outline_lines() -> tuple[list, list]:
    """Lon/lat of the carried département outlines as one line trace (None-separated)."""
    fc = json.loads((DATA / "departements.geojson").read_text(encoding="utf-8"))
    lon, lat = [], []
    for f in fc["features"]:
        g = f["geometry"]
        for poly in [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]:
            for ring in poly:
                lon += [p[0] for p in ring] + [None]
                lat += [p[1] for p in ring] + [None]
    return lon, lat


def _hover(table: pd.DataFrame, kpi: str, lang: str) -> list[str]:
    """Hover text of each département: name, code, the KPI with its CI, population, GPs."""
    L = LABELS[lang]
    out = []
    for r in table.itertuples(index=False):
        v, lo, hi = getattr(r, kpi), getattr(r, f"{kpi}_ci_low"), getattr(r, f"{kpi}_ci_high")
        ci = "" if np.isnan(lo) else f" [{lo:.2f} ; {hi:.2f}]"
        out.append(f"<b>{r.name} ({r.code})</b><br>{v:.2f}{ci}<br>{r.population:,} {L['pop']}"
                   f"<br>{r.gp_per_100k:.1f} {L['gp']}")
    return out


def _choropleth(table: pd.DataFrame, geojson_path, kpi: str, hover: list[str], colorbar: dict,
                featureidkey: str):
    """The départements of the GeoJSON file ``geojson_path`` coloured by ``kpi``."""
    import plotly.graph_objects as go

    gj = json.loads(Path(geojson_path).read_text(encoding="utf-8"))
    return go.Figure(go.Choropleth(geojson=gj, locations=table["code"], z=table[kpi], featureidkey=featureidkey,
                                   colorscale="YlOrRd", text=hover, hoverinfo="text", colorbar=colorbar,
                                   marker_line_color="white", marker_line_width=0.5))


def _points(table: pd.DataFrame, kpi: str, hover: list[str], colorbar: dict):
    """The départements as points at their centroids, sized by population and coloured by
    ``kpi``, over the outlines carried in the package."""
    import plotly.graph_objects as go

    olon, olat = _outline_lines()
    size = 6 + 34 * np.sqrt(table["population"] / max(float(table["population"].max()), 1.0))
    return go.Figure([
        go.Scattergeo(lon=olon, lat=olat, mode="lines", line={"color": "#bbbbbb", "width": 0.6},
                      hoverinfo="skip", showlegend=False),
        go.Scattergeo(lon=table["lon"], lat=table["lat"], mode="markers", text=hover, hoverinfo="text",
                      showlegend=False,
                      marker={"size": size, "color": table[kpi], "colorscale": "YlOrRd", "showscale": True,
                              "colorbar": colorbar, "line": {"color": "#555555", "width": 0.5},
                              "sizemode": "diameter", "opacity": 0.9}),
    ])


def _one_scenario(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of the table's first scenario (a map shows one)."""
    if "scenario" in table.columns and table["scenario"].nunique() > 1:
        first = table["scenario"].iloc[0]
        log.warning("france_map: several scenarios; mapping %s", first)
        return table[table["scenario"] == first]
    return table


def france_map(table: pd.DataFrame, geojson_path=None, kpi: str = "routine_wait_days_mean",
               lang: str = "fr", featureidkey: str = "properties.code"):
    """A plotly Figure of ``kpi`` by département; nothing is fetched from the network
    (no tiles, base geo layers hidden)."""
    L = LABELS.get(lang, LABELS["fr"])
    kpi_label = LABELS["fr"].get(kpi, kpi) if lang == "fr" else kpi
    table = _one_scenario(table)
    hover = _hover(table, kpi, lang)
    colorbar = {"title": {"text": kpi_label.replace(" (", "<br>("), "side": "right"}}
    if geojson_path:
        fig = _choropleth(table, geojson_path, kpi, hover, colorbar, featureidkey)
    else:
        fig = _points(table, kpi, hover, colorbar)
    fig.update_geos(visible=False, fitbounds="locations", projection_type="mercator")
    fig.update_layout(title={"text": L["title"].format(kpi=kpi_label)}, height=720,
                      margin={"l": 10, "r": 10, "t": 60, "b": 40},
                      annotations=[{"text": L["note"], "showarrow": False, "xref": "paper", "yref": "paper",
                                    "x": 0, "y": -0.04, "font": {"size": 11, "color": "#666666"}}])
    return fig


def write_report(sweep_dir, geojson_path=None, kpi: str = "routine_wait_days_mean", lang: str = "fr") -> pd.DataFrame:
    """Write ``france.csv`` and ``france.html`` into ``sweep_dir``; return the table."""
    sweep_dir = Path(sweep_dir)
    table = france_table(sweep_dir)
    outputs.write_csv(table, sweep_dir / "france.csv")
    if table.empty:
        log.warning("france_report: no finished département job in %s", sweep_dir)
        return table
    fig = france_map(table, geojson_path, kpi, lang)
    shown = ["code", "name", "scenario", "population", "gp_per_100k", kpi, f"{kpi}_ci_low", f"{kpi}_ci_high",
             "acute_within_48h_share", "er_avoidable_visits_per_1000_year"]
    listing = table[[c for c in dict.fromkeys(shown) if c in table.columns]].sort_values(kpi, ascending=False)
    html = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>simsoins — France</title>"
            "<style>body{font-family:sans-serif;margin:1em}table{border-collapse:collapse;font-size:13px}"
            "td,th{border:1px solid #ddd;padding:2px 6px;text-align:right}</style></head><body>"
            + fig.to_html(full_html=False, include_plotlyjs=True, config={"displaylogo": False})
            + listing.to_html(index=False, float_format=lambda x: f"{x:.3f}", na_rep="—")
            + "</body></html>")
    outputs.write_text(html, sweep_dir / "france.html")
    log.info("France report of %d département(s) written to %s", len(table), sweep_dir)
    return table


PROG = "python -m simsoins.france_report"


def parser() -> argparse.ArgumentParser:
    """The command line of ``python -m simsoins.france_report``."""
    ap = argparse.ArgumentParser(prog=PROG, description="Write the table and the map of a sweep over "
                                                        "départements (france.csv, france.html) into its folder.")
    ap.add_argument("sweep_dir", type=Path, metavar="SWEEP_DIR",
                    help="folder of a sweep over départements (python -m simsoins -m +experiment=france)")
    ap.add_argument("--geojson", type=Path, default=None, metavar="FILE",
                    help="outlines of the départements (features with properties.code) for a choropleth")
    ap.add_argument("--kpi", default="routine_wait_days_mean", choices=KEY_KPIS, metavar="KPI",
                    help=f"the KPI the map shows (default routine_wait_days_mean; one of {', '.join(KEY_KPIS)})")
    ap.add_argument("--lang", default="fr", choices=("fr", "en"), help="language of the map (default fr)")
    return ap


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    args = parser().parse_args(argv)
    if not args.sweep_dir.is_dir():
        user_error(PROG, f"{args.sweep_dir}: not a directory")
    if args.geojson and not args.geojson.is_file():
        user_error(PROG, f"--geojson {args.geojson}: file not found")
    table = write_report(args.sweep_dir, args.geojson, args.kpi, args.lang)
    print(f"{len(table)} département(s) -> {args.sweep_dir / 'france.csv'}, {args.sweep_dir / 'france.html'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The France sweep in one table and one map.

``python -m simsoins.france_report SWEEP_DIR [--kpi KPI] [--lang fr|en] [--geojson FILE]``
reads every job of a sweep over départements (``python -m simsoins -m +experiment=france``;
the rows: :mod:`simsoins.tools.france_table`) and writes into ``SWEEP_DIR``:

- ``france.csv``: one row per job's territory (and scenario): code(s), name, population,
  GPs per 100,000 inhabitants, ER sites, the key KPIs with their 95 % confidence interval
  (``KPI``, ``KPI_ci_low``, ``KPI_ci_high``; no interval with one replication), the job's
  wall time and the rules its territory was built with;
- ``france.html``: a self-contained page (plotly.js inline once, nothing fetched), in
  French by default: a choropleth of the KPI over the département outlines carried in the
  package (or those of ``--geojson FILE``, features matched on ``properties.code``), the
  table sortable by any column and first sorted by the KPI, and the list of what is still
  a rule (:mod:`simsoins.tools.france_rules`). A territory of several départements is in
  the table, not on the map (its KPI belongs to no single outline); the page says so.
"""

from __future__ import annotations

import argparse
import html
import json
import logging
from pathlib import Path

import pandas as pd

from simsoins.dashboard.i18n import Translator, digits_for, translator
from simsoins.dashboard.labels_france import EN, FR
from simsoins.results import outputs
from simsoins.results.kpis import KPI_UNITS
from simsoins.territory.france import DATA
from simsoins.tools.common import user_error
from simsoins.tools.france_rules import RuleUse, rules_used
from simsoins.tools.france_table import KEY_KPIS, france_table, read_jobs, warn_skipped

log = logging.getLogger("simsoins")
DEFAULT_KPI = "routine_wait_days_mean"
OUTLINES = DATA / "departements.geojson"
FEATURE_ID = "properties.code"  # a feature's département code in the outlines
PAGE_PREFIX = "france."
#: The page's own words, language → key → text: the ``france.*`` labels
#: (dashboard/labels_france.py, beside the dashboard's labels_fr.py and labels_en.py).
PAGE = {lang: {k.removeprefix(PAGE_PREFIX): v for k, v in words.items() if k.startswith(PAGE_PREFIX)}
        for lang, words in (("fr", FR), ("en", EN))}
#: KPIs of the page's table besides the chosen one (the CSV has them all).
SHOWN_KPIS = ("routine_wait_days_mean", "routine_time_to_care_days_median", "routine_time_to_care_days_p90",
              "routine_gave_up_share", "er_visits_per_1000_year", "er_avoidable_visits_per_1000_year",
              "gp_consultations_per_inhabitant_year")
#: Sort a column of the page's table on a click on its header (numbers by ``data-v``).
SORT_JS = """<script>document.querySelectorAll("table.sortable th").forEach(function(th,i){
th.addEventListener("click",function(){var tb=th.closest("table").tBodies[0],rows=Array.from(tb.rows),
up=th.dataset.dir!=="asc";th.dataset.dir=up?"asc":"desc";rows.sort(function(a,b){
var x=a.cells[i].dataset.v,y=b.cells[i].dataset.v,nx=parseFloat(x),ny=parseFloat(y);
var c=(isNaN(nx)||isNaN(ny))?(isNaN(nx)-isNaN(ny))||String(x).localeCompare(String(y)):nx-ny;
return up?c:-c;});rows.forEach(function(r){tb.appendChild(r);});});});</script>"""
STYLE = ("<style>body{font-family:sans-serif;margin:1em;max-width:1400px}table{border-collapse:collapse;"
         "font-size:13px}td,th{border:1px solid #ddd;padding:2px 6px;text-align:right}td{white-space:nowrap}"
         "th{cursor:pointer;max-width:11em;font-weight:600;background:#f4f4f4}"
         "td.t{text-align:left;white-space:normal}p.note,li{font-size:13px}</style>")


class ReportError(ValueError):
    """Bad input to the report (a KPI, an outlines file): the command reports it in one line."""


def check_kpi(kpi: str) -> None:
    """Refuse a KPI id that no run computes."""
    if kpi not in KPI_UNITS:
        raise ReportError(f"--kpi {kpi}: unknown KPI; allowed: {', '.join(KPI_UNITS)}")


def load_outlines(path=None) -> dict:
    """The département outlines (GeoJSON FeatureCollection whose features have
    ``properties.code``): the carried ones, or those of ``path``."""
    path = Path(path) if path else OUTLINES
    try:
        gj = json.loads(path.read_text(encoding="utf-8"))
        features = gj["features"]
        codes = [str(f["properties"]["code"]) for f in features]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ReportError(f"--geojson {path}: not a GeoJSON FeatureCollection whose features have "
                          f"properties.code ({type(exc).__name__}: {exc})") from None
    if not codes:
        raise ReportError(f"--geojson {path}: no feature")
    return gj


def _subset(gj: dict, codes, keep: bool) -> dict:
    """The features of ``gj`` whose code is (``keep``) or is not in ``codes``."""
    return {"type": "FeatureCollection",
            "features": [f for f in gj["features"] if (str(f["properties"]["code"]) in codes) == keep]}


def fmt(t: Translator, kpi: str, value: float) -> str:
    """A KPI's value the local way: a share in %, else with the unit's decimals."""
    unit = KPI_UNITS.get(kpi, "")
    return t.pct(value) if unit == "share" else t.num(value, digits_for(unit))


def _hover(table: pd.DataFrame, kpi: str, t: Translator) -> list[str]:
    """Hover text of each mapped département: name, the KPI with its CI, population, GPs."""
    L = PAGE[t.lang]
    out = []
    for r in table.to_dict("records"):
        lo, hi = r[f"{kpi}_ci_low"], r[f"{kpi}_ci_high"]
        ci = "" if pd.isna(lo) else f" [{fmt(t, kpi, lo)} ; {fmt(t, kpi, hi)}]"
        out.append(f"<b>{html.escape(r['name'])}</b><br>{fmt(t, kpi, r[kpi])}{ci}<br>"
                   f"{t.num(r['population'], 0)} {L['population'].lower()}<br>"
                   f"{t.num(r['gp_per_100k'])} {L['gp_per_100k']}")
    return out


def mapped_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The rows a map can show: one scenario (the first), one-département territories, each
    département once."""
    if table["scenario"].nunique() > 1:
        first = table["scenario"].iloc[0]
        log.warning("france_map: several scenarios; mapping %s", first)
        table = table[table["scenario"] == first]
    return table[table["departements"] == 1].drop_duplicates("code")


def france_map(table: pd.DataFrame, geojson_path=None, kpi: str = DEFAULT_KPI, lang: str = "fr"):
    """A plotly Figure: a choropleth of ``kpi`` over the département outlines (grey where the
    sweep ran none); nothing is fetched (no tiles, base geo layers hidden — see
    :func:`geo_assets_script`)."""
    import plotly.graph_objects as go

    t = translator(lang)
    gj, shown = load_outlines(geojson_path), mapped_rows(table)
    share = KPI_UNITS.get(kpi) == "share"
    others = _subset(gj, set(shown["code"]), keep=False)
    other_codes = [str(f["properties"]["code"]) for f in others["features"]]
    other_text = [f"{html.escape(str(f['properties'].get('nom', c)))} ({c}) — {PAGE[lang]['not_simulated']}"
                  for f, c in zip(others["features"], other_codes, strict=True)]
    fig = go.Figure([
        go.Choropleth(geojson=_subset(gj, set(shown["code"]), keep=True), locations=shown["code"], z=shown[kpi],
                      featureidkey=FEATURE_ID, colorscale="YlOrRd", text=_hover(shown, kpi, t), hoverinfo="text",
                      colorbar={"tickformat": ".0%" if share else None, "len": 0.8},
                      marker_line_color="white", marker_line_width=0.5, name=kpi),
        go.Choropleth(geojson=others, locations=other_codes, z=[0.0] * len(other_codes), featureidkey=FEATURE_ID,
                      colorscale=[[0, "#eeeeee"], [1, "#eeeeee"]], showscale=False, text=other_text,
                      hoverinfo="text", marker_line_color="white", marker_line_width=0.5, name="not simulated"),
    ])
    fig.update_geos(visible=False, fitbounds="locations", projection_type="mercator", scope="world", resolution=110)
    fig.update_layout(title={"text": PAGE[lang]["title"].format(kpi=t.kpi(kpi))}, height=720,
                      separators=",\u202f" if lang == "fr" else ".,",  # decimal comma in French, as the table
                      margin={"l": 10, "r": 10, "t": 60, "b": 40},
                      annotations=[{"text": PAGE[lang]["note"], "showarrow": False, "xref": "paper", "yref": "paper",
                                    "x": 0, "y": -0.04, "font": {"size": 11, "color": "#666666"}}])
    return fig


def geo_assets_script(fig) -> str:
    """An empty world map for plotly.js's geo plot, so that it fetches none from its CDN.

    plotly.js loads a topojson of the world (``<scope>_<resolution>m.json``) for any trace
    with a ``locationmode``, even ``geojson-id`` with every base layer hidden, and draws
    nothing when it cannot (offline, checked with headless Chromium). The base layers are
    hidden here, so an empty topology stands in for it."""
    geo = fig.layout.geo
    name = f"{(geo.scope or 'world').replace(' ', '-')}_{geo.resolution or 110}m"
    empty = json.dumps({"type": "Topology", "objects": {}, "arcs": []})
    return ("<script>window.PlotlyGeoAssets=window.PlotlyGeoAssets||{topojson:{}};"
            f"window.PlotlyGeoAssets.topojson[{json.dumps(name)}]={empty};</script>")


def _columns(table: pd.DataFrame, kpi: str) -> list[str]:
    """The columns of the page's table: the territory, the chosen KPI and its CI, the others."""
    cols = ["code", "name"] + (["scenario"] if table["scenario"].nunique() > 1 else [])
    cols += ["population", "gp_per_100k", "er_sites", kpi, "ci"] + [k for k in SHOWN_KPIS if k != kpi]
    return cols + [c for c in ("wall_seconds", "peak_rss_mb") if table[c].notna().any()]


def _cell(t: Translator, col: str, r: dict, kpi: str) -> str:
    """One ``<td>`` of the page's table (``data-v``: the value its column sorts on)."""
    if col == "ci":
        lo, hi = r[f"{kpi}_ci_low"], r[f"{kpi}_ci_high"]
        text = "—" if pd.isna(lo) else f"[{fmt(t, kpi, lo)} ; {fmt(t, kpi, hi)}]"
        return f'<td data-v="{"" if pd.isna(lo) else lo}">{text}</td>'
    v = r[col]
    if col in ("code", "name", "scenario"):
        return f'<td class="t" data-v="{html.escape(str(v))}">{html.escape(str(v))}</td>'
    if col in KPI_UNITS:
        text = fmt(t, col, v)
    else:
        text = t.num(v, 1 if col in ("gp_per_100k", "wall_seconds") else 0)
    return f'<td data-v="{"" if pd.isna(v) else v}">{text}</td>'


def table_html(table: pd.DataFrame, kpi: str, t: Translator) -> str:
    """The département table, sorted by ``kpi`` (descending), sortable by any column."""
    L = PAGE[t.lang]
    cols = _columns(table, kpi)
    head = "".join(f"<th>{html.escape(t.kpi(c) if c in KPI_UNITS else L[c])}</th>" for c in cols)
    rows = table.sort_values(kpi, ascending=False, kind="stable", na_position="last").to_dict("records")
    body = "".join("<tr>" + "".join(_cell(t, c, r, kpi) for c in cols) + "</tr>" for r in rows)
    return (f"<h2>{L['table']}</h2><p class=\"note\">{html.escape(L['sorted'].format(kpi=t.kpi(kpi)))}</p>"
            f"<table class=\"sortable\"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def rules_html(uses: list[RuleUse], n_departements: int, lang: str) -> str:
    """The list of what is still a rule, each with how many départements it concerns."""
    L = PAGE[lang]
    if not uses:
        return f"<h2>{L['rules']}</h2><p class=\"note\">{L['no_rules']}</p>"
    items = "".join(f"<li data-rule=\"{u.rule}\">{html.escape(u.text)} ({u.departements}/{n_departements})</li>"
                    for u in uses)
    return (f"<h2>{L['rules']}</h2><p class=\"note\">{L['rules_intro'].format(n=n_departements)}</p>"
            f"<ul class=\"rules\">{items}</ul>")


def _multi_note(table: pd.DataFrame, lang: str) -> str:
    """A line naming the multi-département territories left off the map, if any."""
    multi = table[table["departements"] > 1].drop_duplicates("code")
    if multi.empty:
        return ""
    names = ", ".join(f"{r['name']} [{r['code']}]" for r in multi.to_dict("records"))
    return f"<p class=\"note multi\">{html.escape(PAGE[lang]['multi'].format(names=names))}</p>"


def page_html(table: pd.DataFrame, uses: list[RuleUse], kpi: str, lang: str, geojson_path=None) -> str:
    """The self-contained ``france.html``: plotly.js inline once, nothing fetched."""
    from plotly.offline import get_plotlyjs

    t = translator(lang)
    n_deps = len({c for code in table["code"] for c in code.split("+")})
    fig = france_map(table, geojson_path, kpi, lang)
    return (f"<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>simsoins — France</title>"
            f"{STYLE}<script type=\"text/javascript\">{get_plotlyjs()}</script>{geo_assets_script(fig)}</head><body>"
            + fig.to_html(full_html=False, include_plotlyjs=False, div_id="france-map",  # fixed: same page, same bytes
                          config={"displaylogo": False})
            + _multi_note(table, lang) + table_html(table, kpi, t) + rules_html(uses, n_deps, lang)
            + SORT_JS + "</body></html>")


def write_report(sweep_dir, geojson_path=None, kpi: str = DEFAULT_KPI, lang: str = "fr") -> pd.DataFrame:
    """Write ``france.csv`` and ``france.html`` into ``sweep_dir``; return the table.
    Bad input (:class:`ReportError`) is found before anything is written."""
    sweep_dir = Path(sweep_dir)
    check_kpi(kpi)
    jobs, skipped = read_jobs(sweep_dir)
    table = france_table(sweep_dir, kpis=tuple(dict.fromkeys((*KEY_KPIS, kpi))), jobs=jobs)
    if not table.empty and table[kpi].isna().all():
        raise ReportError(f"--kpi {kpi}: no job of {sweep_dir} has it in its summary.csv")
    warn_skipped(skipped)
    if table.empty:
        outputs.write_csv(table, sweep_dir / "france.csv")
        log.warning("france_report: no finished département job in %s", sweep_dir)
        return table
    page = page_html(table, rules_used(jobs, translator(lang)), kpi, lang, geojson_path)
    outputs.write_csv(table, sweep_dir / "france.csv")
    outputs.write_text(page, sweep_dir / "france.html")
    log.info("France report of %d territory row(s) written to %s", len(table), sweep_dir)
    return table


PROG = "python -m simsoins.france_report"


def parser() -> argparse.ArgumentParser:
    """The command line of ``python -m simsoins.france_report``."""
    ap = argparse.ArgumentParser(prog=PROG, description="Write the table and the map of a sweep over "
                                                        "départements (france.csv, france.html) into its folder.")
    ap.add_argument("sweep_dir", type=Path, metavar="SWEEP_DIR",
                    help="folder of a sweep over départements (python -m simsoins -m +experiment=france)")
    ap.add_argument("--kpi", default=DEFAULT_KPI, metavar="KPI",
                    help=f"the KPI the map shows and the table is sorted by (default {DEFAULT_KPI}; any KPI id "
                         f"of summary.csv, e.g. {', '.join(KEY_KPIS[2:4])})")
    ap.add_argument("--lang", default="fr", choices=("fr", "en"), help="language of the page (default fr)")
    ap.add_argument("--geojson", type=Path, default=None, metavar="FILE",
                    help="other outlines of the départements (features with properties.code) than the carried ones")
    return ap


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    args = parser().parse_args(argv)
    if not args.sweep_dir.is_dir():
        user_error(PROG, f"{args.sweep_dir}: not a directory (expected a sweep folder, e.g. multirun/<id>)")
    try:
        if args.geojson:
            load_outlines(args.geojson)
        table = write_report(args.sweep_dir, args.geojson, args.kpi, args.lang)
    except ReportError as exc:
        user_error(PROG, str(exc))
    print(f"{len(table)} territory row(s) -> {args.sweep_dir / 'france.csv'}, {args.sweep_dir / 'france.html'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

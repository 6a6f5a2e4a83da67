"""Maps of the dashboard (« cartes »): the communes as points over their départements'
outlines, a level map (a wait or the accessibility index by commune, with the ER sites
sized by their visits) and a map of the paired difference scenario − référence, by
commune and, where the communes' EPCI and bassin de vie are known, by EPCI and bassin de
vie (population-weighted).

Offline: no tile layer, no plotly geo base map (it fetches its topojson from a CDN); lon/lat
scatters with equal-distance aspect, the outlines drawn as lines from the package's own
``simsoins/data/france/departements.geojson``.  Every view of a map (a scenario, or a
scenario at one level of aggregation) is a set of traces tagged in ``meta``; a dropdown at
the top left (away from plotly's mode bar, top right) shows one view at a time.  Text from
user files is HTML-escaped (plotly renders pseudo-HTML in hover text).

A commune's département, EPCI and bassin de vie are read from the run's communes table
when it carries them (``departement``, ``epci``, ``epci_name``, ``bassin_vie``,
``bassin_vie_name``), else from the national table ``simsoins/data/france/communes.csv.gz``
by INSEE code, when the commune lies within :data:`SAME_PLACE_KM` of that code's centroid
(an invented territory reusing real codes elsewhere gets no outline).  The synthetic
``exemple`` territory (codes 99xxx) has none: no outline, no aggregation.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import yaml

from simsoins.dashboard.equity import equity_wait
from simsoins.dashboard.i18n import Translator
from simsoins.results.stats import t_interval

#: The package's national tables (scripts/build_france.py), read here directly: the
#: dashboard imports nothing of the simulation's territory code.
DATA = Path(__file__).resolve().parents[1] / "data" / "france"
#: The outlines of the 96 metropolitan départements (IGN, simplified by scripts/build_france.py).
OUTLINES = DATA / "departements.geojson"
#: The national communes table, with each commune's dep, EPCI and bassin de vie.
NATIONAL = DATA / "communes.csv.gz"
KM_PER_DEGREE = 111.2  # of latitude (mean Earth radius 6,371 km × π / 180)
#: A run's commune is the national table's commune of the same code only this close to its
#: centroid (km): the package's territories use those very centroids (0 km); a user's own
#: coordinates (town hall, another centroid) may differ by a few km.  ASSUMPTION.
SAME_PLACE_KM = 5.0
#: The area columns of a commune, as the run's table may carry them → the national table's name.
AREA_COLUMNS = {"departement": "dep", "epci": "epci", "epci_name": "epci_name", "bassin_vie": "bassin_vie",
                "bassin_vie_name": "bassin_vie_name"}
#: Aggregation levels of the difference map: (code column, name column), in menu order.
LEVELS = {"epci": ("epci", "epci_name"), "bassin_vie": ("bassin_vie", "bassin_vie_name")}
ALWAYS = "always"  # ``meta`` of the traces every view shows (the outlines)
MAP_HEIGHT = 640
MAX_MARKER = 45  # px: diameter of the most populated commune (or busiest ER site)
FADED, SOLID = 0.25, 0.9  # opacity of a commune whose difference is / is not demonstrated
OUTLINE_COLOR = "#8c8c8c"
ER_COLOR = "#d62728"


class MapStyle(NamedTuple):
    """What a commune map shows: its title, the value's name and unit in the hover text and
    colour bar, and the colour scale (« YlOrRd »: high is worse; « YlOrRd_r »: low is)."""

    title: str
    value: str
    unit: str
    colorscale: str = "YlOrRd"


# ------------------------------------------------------------------ where the communes are

@lru_cache(maxsize=1)
def national_communes() -> pd.DataFrame:
    """The national table's communes (code, lon, lat, dep and, where built, the EPCI and
    bassin de vie columns; codes as text), one row per code."""
    text = ["dep", "code", "epci", "epci_name", "bassin_vie", "bassin_vie_name"]
    df = pd.read_csv(NATIONAL, comment="#", dtype=dict.fromkeys(text, str), keep_default_na=False)
    return df[[c for c in ["code", "lon", "lat", *text[:1], *text[2:]] if c in df.columns]].drop_duplicates("code")


def _km(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Distance in km, flat-Earth approximation (good to well under 1 % over a few km)."""
    dx = (np.asarray(lon2) - np.asarray(lon1)) * np.cos(np.radians(np.asarray(lat1)))
    return KM_PER_DEGREE * np.hypot(dx, np.asarray(lat2) - np.asarray(lat1))


@lru_cache(maxsize=1)
def _outlines() -> dict[str, list]:
    """Département code → its polygons (each a list of rings of [lon, lat])."""
    fc = json.loads(OUTLINES.read_text(encoding="utf-8"))
    return {f["properties"]["code"]: ([f["geometry"]["coordinates"]] if f["geometry"]["type"] == "Polygon"
                                      else f["geometry"]["coordinates"]) for f in fc["features"]}


def _communes(communes: pd.DataFrame) -> pd.DataFrame:
    """The communes, one row each, indexed by code (str)."""
    return communes.assign(code=communes["code"].astype(str)).drop_duplicates("code").set_index("code")


def commune_areas(communes: pd.DataFrame) -> pd.DataFrame:
    """Per commune code: the columns of :data:`AREA_COLUMNS` (None where unknown), from the
    run's table where it has them, else from the national table (same code, same place)."""
    com = _communes(communes)
    nat = national_communes().set_index("code").reindex(com.index)
    km = _km(com["lon"].to_numpy(float), com["lat"].to_numpy(float), nat["lon"].to_numpy(float),
                      nat["lat"].to_numpy(float))
    same = np.nan_to_num(km, nan=np.inf) <= SAME_PLACE_KM
    out = pd.DataFrame(index=com.index, columns=list(AREA_COLUMNS), dtype=object)
    for col, nat_col in AREA_COLUMNS.items():
        if nat_col in nat.columns:
            out.loc[same, col] = nat.loc[same, nat_col].astype(str).to_numpy()
        if col in com.columns:  # the run's own column wins where it is filled
            own = com[col].astype("string").str.strip()
            own = own.where(own.notna() & (own != "") & (own != "nan"))
            out[col] = own.astype(object).where(own.notna(), out[col])
    return out.where(out.notna() & (out != ""), None)


def outline_trace(departements, t: Translator) -> go.Scatter | None:
    """The outlines of ``departements`` (codes; unknown ones skipped) as one line trace; None if none."""
    polys = _outlines()
    xs: list[float | None] = []
    ys: list[float | None] = []
    for code in sorted({str(d) for d in departements if d} & set(polys)):
        for poly in polys[code]:
            for ring in poly:
                xs += [p[0] for p in ring] + [None]
                ys += [p[1] for p in ring] + [None]
    if not xs:
        return None
    return go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=OUTLINE_COLOR, width=1.2), hoverinfo="skip",
                      showlegend=False, name=t("map.outline"), meta=ALWAYS)


# ------------------------------------------------------------------------ statistics

def _interval(df: pd.DataFrame, by: str, value: str) -> pd.DataFrame:
    """Per ``by``: mean, Student-t 95 % CI (``lo``, ``hi``) and ``n`` of ``value`` over replications."""
    rows = {k: t_interval(g[value].to_numpy()) for k, g in df.groupby(by, sort=False, observed=True)}
    return pd.DataFrame.from_dict(rows, orient="index", columns=["mean", "lo", "hi", "n"])


def _commune_rows(groups: pd.DataFrame, kpi: str) -> pd.DataFrame:
    """groups.parquet's rows of ``kpi`` by commune: scenario, replication, group (code), value."""
    g = groups[(groups["group_type"].astype(str) == "commune") & (groups["kpi"].astype(str) == kpi)]
    return g.assign(scenario=g["scenario"].astype(str), group=g["group"].astype(str)).dropna(subset=["value"])


def paired_diffs(rows: pd.DataFrame, scenario: str, baseline: str, by: str = "group") -> pd.DataFrame:
    """Per ``by`` (a commune code, or an area): the baseline's and ``scenario``'s mean
    ``value`` over the replications both have, and the paired difference scenario −
    baseline by replication: its mean, 95 % CI (``lo``, ``hi``) and ``n``."""
    keys = [by, "replication"]
    b = rows[rows["scenario"] == baseline][[*keys, "value"]]
    s = rows[rows["scenario"] == scenario][[*keys, "value"]]
    d = s.merge(b, on=keys, suffixes=("", "_base"))
    if d.empty:
        return pd.DataFrame(columns=["mean", "lo", "hi", "n", "value", "base"])
    out = _interval(d.assign(diff=d["value"] - d["value_base"]), by, "diff")
    means = d.groupby(by, sort=False, observed=True)[["value", "value_base"]].mean()
    return out.join(means.rename(columns={"value_base": "base"}))


def area_rows(rows: pd.DataFrame, communes: pd.DataFrame, areas: pd.DataFrame, level: str) -> pd.DataFrame:
    """``rows`` (by commune) aggregated to the areas of ``level`` (:data:`LEVELS`): per
    scenario, replication and area, the population-weighted mean of the communes' values
    (the communes with a value in that replication); ``group`` is the area's code."""
    code = LEVELS[level][0]
    pop = _communes(communes)["population"].astype(float)
    d = rows.assign(area=rows["group"].map(areas[code]), w=rows["group"].map(pop)).dropna(subset=["area", "w"])
    d = d.assign(wv=d["w"] * d["value"])
    s = d.groupby(["scenario", "replication", "area"], observed=True)[["wv", "w"]].sum().reset_index()
    s = s[s["w"] > 0]
    return pd.DataFrame({"scenario": s["scenario"], "replication": s["replication"], "group": s["area"],
                         "value": s["wv"] / s["w"]})


def area_places(communes: pd.DataFrame, areas: pd.DataFrame, level: str) -> pd.DataFrame:
    """Per area of ``level``: name, population, number of communes, and its point (the
    population-weighted mean of its communes' lon/lat)."""
    code, name = LEVELS[level]
    com = _communes(communes).join(areas[[code, name]].rename(columns={code: "area", name: "area_name"}))
    com = com.dropna(subset=["area"]).assign(w=lambda c: c["population"].astype(float).clip(lower=1e-9))
    g = com.assign(wx=com["w"] * com["lon"], wy=com["w"] * com["lat"]).groupby("area", sort=True)
    out = g[["wx", "wy", "w"]].sum()
    names = g["area_name"].first().astype(str).str.replace("''", '"')  # DGCL writes CA de Blois ''Agglopolys''
    return pd.DataFrame({"name": names, "population": g["population"].sum(),
                         "communes": g.size(), "lon": out["wx"] / out["w"], "lat": out["wy"] / out["w"]})


def measured_days(results: dict) -> float | None:
    """Days of the measured period (horizon − warm-up) of the baseline's configuration in
    scenarios.json; None when it cannot be read."""
    meta = results.get("scenarios", {})
    configs, order = meta.get("configs", {}), meta.get("order", [])
    try:
        run = yaml.safe_load(str(configs[order[0]]))["run"]
        days = float(run["horizon_days"]) - float(run["warmup_days"])
    except (KeyError, IndexError, TypeError, ValueError, yaml.YAMLError):
        return None
    return days if days > 0 else None


# ------------------------------------------------------------------------ traces

def _layout(fig: go.Figure, title: str, t: Translator, com: pd.DataFrame, menu: list[dict]) -> go.Figure:
    """Title, equal-distance lon/lat axes and the view dropdown at the top left."""
    lat0 = float(com["lat"].mean()) if len(com) else 47.0
    fig.update_xaxes(title_text=t("fig.map.x"), showgrid=False, zeroline=False)
    # one degree of longitude is cos(latitude) degrees of latitude long: equal distances
    fig.update_yaxes(title_text=t("fig.map.y"), showgrid=False, zeroline=False, scaleanchor="x",
                     scaleratio=1 / math.cos(math.radians(lat0)))
    # the title (two lines at most) at the very top, the dropdown below it, above the plot
    fig.update_layout(title=dict(text=title, font=dict(size=15), y=0.985, yanchor="top", yref="container"),
                      height=MAP_HEIGHT, separators=t("fmt.separators"), template="plotly_white",
                      margin=dict(l=60, r=30, t=125 if menu else 80, b=50), showlegend=False,
                      hoverlabel=dict(namelength=-1), updatemenus=menu)
    return fig


def _menu(fig: go.Figure, views: list[tuple[str, str]]) -> list[dict]:
    """Show the first view's traces (and :data:`ALWAYS`); a dropdown of ``views`` (key,
    label) when there are several, at the top left (plotly's mode bar is top right)."""
    metas = [tr.meta for tr in fig.data]
    first = views[0][0] if views else None
    for tr in fig.data:
        tr.visible = tr.meta in (first, ALWAYS)
    if len(views) <= 1:
        return []
    buttons = [dict(label=label, method="update", args=[{"visible": [m in (key, ALWAYS) for m in metas]}])
               for key, label in views]
    return [dict(buttons=buttons, direction="down", x=0, xanchor="left", y=1.02, yanchor="bottom",
                 showactive=True)]


def _sizeref(biggest: float) -> float:
    """plotly's ``sizeref`` for area-sized markers: ``biggest`` gets :data:`MAX_MARKER` px."""
    return 2.0 * max(float(biggest), 1.0) / MAX_MARKER ** 2


def _level_trace(d: pd.DataFrame, view: str, pop_max: float, crange: tuple[float, float], style: MapStyle,
                 t: Translator) -> go.Scatter:
    """One scenario's communes (``d``: mean by commune with name, population, lon/lat),
    sized by population and coloured by their mean."""
    text = [f"{escape(str(n))} ({escape(c)})" for n, c in zip(d["name"], d.index)]
    return go.Scatter(
        x=d["lon"].round(4), y=d["lat"].round(4), mode="markers", name=escape(view), meta=view, text=text,
        customdata=d["population"].round(0).to_numpy(), showlegend=False,
        hovertemplate=f"<b>%{{text}}</b><br>{t('fig.map.pop')}{t('fmt.colon')}%{{customdata:,.0f}}<br>"
                      f"{style.value}{t('fmt.colon')}%{{marker.color:.1f}} {style.unit}"
                      f"<extra>{escape(view)}</extra>",
        marker=dict(size=d["population"].fillna(0).round(0), sizemode="area", sizeref=_sizeref(pop_max), sizemin=3,
                    color=d["mean"].round(2), colorscale=style.colorscale, cmin=crange[0], cmax=crange[1],
                    line=dict(width=0.5, color="#555555"), opacity=0.85,
                    colorbar=dict(title=dict(text=style.unit), thickness=14)))


def site_stats(er_sites: pd.DataFrame | None, communes: pd.DataFrame, days: float | None) -> pd.DataFrame:
    """Per scenario and ER site: visits (a year when ``days`` is known, else over the
    measured period) mean and 95 % CI over replications, with the site's commune lon/lat
    (a site stands at its commune's centroid: territory rule ``er_site_at_centroid``)."""
    cols = ["scenario", "name", "commune", "mean", "lo", "hi", "n", "lon", "lat"]
    if not isinstance(er_sites, pd.DataFrame) or er_sites.empty:
        return pd.DataFrame(columns=cols)
    per_year = 365.0 / days if days else 1.0
    er = er_sites.assign(scenario=er_sites["scenario"].astype(str), name=er_sites["name"].astype(str),
                         commune=er_sites["commune"].astype(str), key=lambda e: e["scenario"] + "\x00" + e["name"],
                         per=er_sites["visits"].astype(float) * per_year)
    st = _interval(er, "key", "per").reset_index(names="key")
    st[["scenario", "name"]] = st["key"].str.split("\x00", n=1, expand=True)
    st["commune"] = st["name"].map(er.drop_duplicates("name").set_index("name")["commune"])
    st = st.join(_communes(communes)[["lon", "lat"]], on="commune").dropna(subset=["lon", "lat"])
    return st[cols]


def _site_trace(st: pd.DataFrame, view: str, biggest: float, yearly: bool, t: Translator) -> go.Scatter:
    """One scenario's ER sites: diamonds sized by visits; hover: name, visits [95 % CI]."""
    unit = t("map.er.per_year") if yearly else t("map.er.per_period")
    ci = [t("ci", m=t.num(m, 0), lo=t.num(lo, 0), hi=t.num(hi, 0)) for m, lo, hi in zip(st["mean"], st["lo"], st["hi"])]
    return go.Scatter(
        x=st["lon"].round(4), y=st["lat"].round(4), mode="markers", meta=view, name=escape(view), showlegend=False,
        text=[escape(n) for n in st["name"]], customdata=ci,
        hovertemplate=f"<b>%{{text}}</b><br>{unit}{t('fmt.colon')}%{{customdata}}<extra>{escape(view)}</extra>",
        marker=dict(symbol="diamond", size=st["mean"].round(1), sizemode="area", sizeref=_sizeref(biggest),
                    sizemin=8, color="rgba(0,0,0,0)", line=dict(width=2.5, color=ER_COLOR)))


def commune_map(groups: pd.DataFrame, communes: pd.DataFrame, order: list[str], colors: dict[str, str],
                t: Translator, kpi: str | None = None, style: MapStyle | None = None,
                er_sites: pd.DataFrame | None = None, days: float | None = None) -> go.Figure:
    """Communes as points at their centroid over their départements' outlines, sized by
    population and coloured by ``kpi`` (mean over replications; default :func:`equity_wait`,
    a wait in days, unless ``style`` says what it is), with ``er_sites`` (er_sites.parquet)
    as diamonds sized by their visits a year (``days``: the measured period); one view per
    scenario, chosen in a dropdown.  One colour scale for all, over the full range of the
    means (the communes' table lists the same means: none lies beyond the scale)."""
    kpi = kpi or equity_wait(groups)
    style = style or MapStyle(t("fig.map", wait=t("wait." + kpi)), t("fig.map.value"), t("fig.map.days"))
    com = _communes(communes)
    rows = _commune_rows(groups, kpi)
    rows = rows[rows["group"].isin(com.index)]
    means = rows.groupby(["scenario", "group"], observed=True)["value"].mean()
    scen = [s for s in order if s in set(rows["scenario"])]
    crange = (float(means.min()), float(means.max())) if len(means) else (0.0, 1.0)
    sites = site_stats(er_sites, communes, days)
    fig = go.Figure()
    outline = outline_trace(commune_areas(communes)["departement"].dropna(), t)
    if outline is not None:
        fig.add_trace(outline)
    for s in scen:
        d = com.join(means.xs(s, level="scenario").rename("mean"), how="inner")
        fig.add_trace(_level_trace(d, s, float(com["population"].max()), crange, style, t))
        if not sites.empty and (sites["scenario"] == s).any():
            fig.add_trace(_site_trace(sites[sites["scenario"] == s], s, float(sites["mean"].max()), bool(days), t))
    title = style.title + (f"<br><sup>{t('map.er.legend')}</sup>" if not sites.empty else "")
    return _layout(fig, title, t, com, _menu(fig, [(s, escape(s)) for s in scen]))


def access_groups(commune_results: pd.DataFrame, kpi: str = "accessibility_index") -> pd.DataFrame:
    """``kpi`` of communes.parquet's results (:func:`~simsoins.dashboard.places.split_communes`)
    as rows of groups.parquet, one per scenario × replication × commune, for :func:`commune_map`."""
    return pd.DataFrame({"scenario": commune_results["scenario"].astype(str),
                         "replication": commune_results["replication"], "group_type": "commune",
                         "group": commune_results["code"].astype(str), "kpi": kpi,
                         "value": commune_results[kpi].astype(float)})


def access_map(commune_results: pd.DataFrame, communes: pd.DataFrame, order: list[str], colors: dict[str, str],
               t: Translator) -> go.Figure:
    """The simulated accessibility index by commune (low access in red)."""
    style = MapStyle(t("fig.access_map"), t("fig.access_map.value"), t("fig.access_map.unit"), "YlOrRd_r")
    return commune_map(access_groups(commune_results), communes, order, colors, t, "accessibility_index", style)


# ------------------------------------------------------------------ scenario − référence

def _diff_hover(d: pd.DataFrame, t: Translator) -> np.ndarray:
    """Per point: population, scenario value, baseline value, « difference [CI] », and a
    note when the CI covers 0 (or cannot be computed), formatted for the page (days)."""
    def days(x: float, digits: int = 1, signed: bool = False) -> str:
        return f"{t.num(x, digits, signed)} {t.unit('days', x)}"

    def one(r) -> list[str]:
        ci_ok = np.isfinite(r["lo"]) and np.isfinite(r["hi"])
        diff = (t("ci", m=days(r["mean"], 2, True), lo=t.num(r["lo"], 2, True), hi=t.num(r["hi"], 2, True))
                if ci_ok else days(r["mean"], 2, True))
        shown = ci_ok and (r["lo"] > 0 or r["hi"] < 0)
        return [t.num(r["population"], 0), days(r["value"]), days(r["base"]), diff,
                "" if shown else f"<br><i>{t('map.diff.ns')}</i>"]
    return np.array([one(r) for _, r in d.iterrows()], dtype=object).reshape(len(d), 5)


def _diff_trace(d: pd.DataFrame, view: str, label: str, cmax: float, t: Translator, unit: str) -> go.Scatter:
    """Points (communes or areas: ``d`` has name, population, lon, lat and the columns of
    :func:`paired_diffs`) coloured by the mean paired difference on a diverging scale
    centred on 0, faded where its 95 % CI covers 0."""
    shown = ((d["lo"] > 0) | (d["hi"] < 0)).to_numpy()
    name_of = d["name"] if "communes" in d.columns else [f"{n} ({c})" for n, c in zip(d["name"], d.index)]
    extra = f"<br>{t('map.area.communes')}{t('fmt.colon')}%{{hovertext}}" if "communes" in d.columns else ""
    hover = (f"<b>%{{text}}</b><br>{t('fig.map.pop')}{t('fmt.colon')}%{{customdata[0]}}{extra}<br>"
             f"{t('map.diff.value', scenario=label)}{t('fmt.colon')}%{{customdata[1]}}<br>"
             f"{t('map.diff.base')}{t('fmt.colon')}%{{customdata[2]}}<br>"
             f"{t('map.diff.diff')}{t('fmt.colon')}<b>%{{customdata[3]}}</b>%{{customdata[4]}}<extra>{label}</extra>")
    return go.Scatter(
        x=d["lon"].round(4), y=d["lat"].round(4), mode="markers", meta=view, name=label, showlegend=False,
        text=[escape(str(n)) for n in name_of], customdata=_diff_hover(d, t), hovertemplate=hover,
        hovertext=[str(n) for n in d["communes"]] if "communes" in d.columns else None,
        marker=dict(size=d["population"].fillna(0).round(0), sizemode="area",
                    sizeref=_sizeref(float(d["population"].max()) if len(d) else 1.0), sizemin=4,
                    color=d["mean"].round(3), colorscale="RdBu_r", cmin=-cmax, cmax=cmax, cmid=0,
                    opacity=np.where(shown, SOLID, FADED), line=dict(width=0.6, color="#444444"),
                    colorbar=dict(title=dict(text=t("map.diff.bar", unit=unit)), thickness=14)))


def difference_map(groups: pd.DataFrame, communes: pd.DataFrame, order: list[str], t: Translator,
                   kpi: str | None = None) -> go.Figure:
    """The paired difference scenario − référence of ``kpi`` (default :func:`equity_wait`, a
    wait in days: lower is better, so a shorter wait is blue) by commune: mean over the
    replications of the per-replication difference, 95 % CI, communes whose CI covers 0
    faded; one view per scenario, and per scenario by EPCI and by bassin de vie
    (population-weighted mean of the communes, per replication, then paired) when the
    communes' areas are known.  One symmetric colour scale (−m … +m, m the largest
    commune difference) for every view."""
    kpi = kpi or equity_wait(groups)
    com, areas, unit = _communes(communes), commune_areas(communes), t("fig.map.days")
    rows = _commune_rows(groups, kpi)
    rows = rows[rows["group"].isin(com.index)]
    base, others = order[0], [s for s in order[1:] if s in set(rows["scenario"])]
    diffs = {s: com.join(paired_diffs(rows, s, base), how="inner") for s in others}
    biggest = max([float(d["mean"].abs().max()) for d in diffs.values() if len(d)] or [0.0])
    cmax = biggest if np.isfinite(biggest) and biggest > 0 else 1.0
    levels = {lv: (area_rows(rows, communes, areas, lv), area_places(communes, areas, lv))
              for lv, (code, _) in LEVELS.items() if areas[code].notna().any()}
    fig, views = go.Figure(), []
    outline = outline_trace(areas["departement"].dropna(), t)
    if outline is not None:
        fig.add_trace(outline)
    for s in others:
        fig.add_trace(_diff_trace(diffs[s], s, escape(s), cmax, t, unit))
        views.append((s, t("map.view.communes", scenario=escape(s))))
        for lv, (ar, places) in levels.items():
            key = f"{s}\x00{lv}"
            fig.add_trace(_diff_trace(places.join(paired_diffs(ar, s, base), how="inner"), key, escape(s), cmax, t,
                                      unit))
            views.append((key, t("map.view." + lv, scenario=escape(s))))
    title = f"{t('map.diff', wait=t('wait.' + kpi), baseline=escape(base))}<br><sup>{t('map.diff.note')}</sup>"
    return _layout(fig, title, t, com, _menu(fig, views))

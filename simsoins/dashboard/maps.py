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

Where each commune is and what it belongs to: simsoins/dashboard/map_areas.py (the
synthetic ``exemple`` territory has no département, EPCI or bassin de vie: no outline, no
aggregation).
"""

from __future__ import annotations

import math
from html import escape
from typing import NamedTuple

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import yaml

from simsoins.dashboard.equity import equity_wait
from simsoins.dashboard.i18n import Translator
from simsoins.dashboard.map_areas import (
    LEVELS,
    area_places,
    area_rows,
    commune_areas,
    commune_rows,
    interval,
    one_per_code,
    outlines,
    paired_diffs,
)

ALWAYS = "\x00outline"  # ``meta`` of the traces every view shows (the outlines); no scenario's name
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


# ------------------------------------------------------------------ outlines, measured period

def outline_trace(departements, t: Translator) -> go.Scatter | None:
    """The outlines of ``departements`` (codes; unknown ones skipped) as one line trace; None if none."""
    polys = outlines()
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


def measured_days(results: dict) -> float | None:
    """Days of the measured period (``run.years`` × ``run.horizon_days``, the warm-up
    before it) of the baseline's configuration in scenarios.json; None when it cannot be
    read."""
    meta = results.get("scenarios", {})
    configs, order = meta.get("configs", {}), meta.get("order", [])
    try:
        run = yaml.safe_load(str(configs[order[0]]))["run"]
        days = float(run["horizon_days"]) * float(run.get("years", 1))
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
    fig.update_layout(title=dict(text=title, font=dict(size=15), y=0.975, yanchor="top", yref="container"),
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
    st = interval(er, "key", "per").reset_index(names="key")
    st[["scenario", "name"]] = st["key"].str.split("\x00", n=1, expand=True)
    st["commune"] = st["name"].map(er.drop_duplicates("name").set_index("name")["commune"])
    st = st.join(one_per_code(communes)[["lon", "lat"]], on="commune").dropna(subset=["lon", "lat"])
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
    com = one_per_code(communes)
    rows = commune_rows(groups, kpi)
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
    com, areas, unit = one_per_code(communes), commune_areas(communes), t("fig.map.days")
    rows = commune_rows(groups, kpi)
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
    title = f"{t('map.diff', wait=t('wait.' + kpi))}<br><sup>{t('map.diff.note')}</sup>"
    return _layout(fig, title, t, com, _menu(fig, views))

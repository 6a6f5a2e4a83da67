"""Figures of the dashboard: pure functions of the result tables (« graphiques »).

Each function takes pandas tables in the schema written by the simulation, ``order``
(scenario names, baseline first), ``colors`` (scenario → colour, see
:func:`scenario_colors`) and ``t`` (a :class:`~simsoins.dashboard.i18n.Translator`),
and returns a :class:`plotly.graph_objects.Figure`.  Tables are aggregated over
replications here, so the figures carry a few hundred points, not the raw tables.
Every trace is named after its scenario (``name`` = ``legendgroup`` = escaped scenario
name) and traces follow ``order``.  Text from user files is HTML-escaped because
plotly renders pseudo-HTML in labels and hover text.
"""

from __future__ import annotations

from html import escape

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from simsoins.dashboard import maps as M
from simsoins.dashboard.colors import CHANNEL_COLORS, SOURCE_COLOR, rgba  # noqa: F401 (re-exported)
from simsoins.dashboard.equity import equity_wait
from simsoins.dashboard.i18n import Translator, shown
from simsoins.dashboard.sankey import MIN_NODE_SHARE, sankey_figure
from simsoins.dashboard.years import year_labels
from simsoins.results.stats import rep_stats

BASELINE_GREY = "#7f7f7f"
#: Fixed qualitative palette (Okabe–Ito, colour-blind safe) for non-baseline scenarios.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#882255", "#117733")
HEIGHT = 430


def scenario_colors(order: list[str]) -> dict[str, str]:
    """Baseline (first) in grey, the others from :data:`PALETTE` in order."""
    return {s: BASELINE_GREY if i == 0 else PALETTE[(i - 1) % len(PALETTE)] for i, s in enumerate(order)}


def _present(order: list[str], df: pd.DataFrame) -> list[str]:
    have = set(df["scenario"].astype(str))
    return [s for s in order if s in have]


def _layout(fig: go.Figure, title: str, t: Translator, height: int = HEIGHT, **kw) -> go.Figure:
    fig.update_layout(title=dict(text=title, font=dict(size=15)), height=height, separators=t("fmt.separators"),
                      template="plotly_white", margin=dict(l=60, r=30, t=70, b=50),
                      legend=dict(orientation="h", y=-0.18), hoverlabel=dict(namelength=-1), **kw)
    return fig


def _pct_axis(t: Translator) -> dict:
    return dict(ticksuffix=t("fmt.pct"), rangemode="tozero")


def _err(s: pd.DataFrame, scale: float = 1.0) -> dict:
    return dict(type="data", symmetric=False, array=((s["hi"] - s["mean"]) * scale).round(3).to_numpy(),
                arrayminus=((s["mean"] - s["lo"]) * scale).round(3).to_numpy(), thickness=1.2, width=4)


def routine_ecdf(quantiles: pd.DataFrame, order: list[str], colors: dict[str, str], t: Translator) -> go.Figure:
    """ECDF of days to a routine appointment: mean over replications of each quantile q
    (x = wait in days, y = q in %), with reference lines at 2 and 7 days."""
    fig = go.Figure()
    q = quantiles.groupby(["scenario", "q"], observed=True, sort=False)["wait_days"].mean().reset_index()
    unit = t("fig.map.days")
    for s in _present(order, q):
        d = q[q["scenario"].astype(str) == s].sort_values("q")
        fig.add_trace(go.Scatter(x=d["wait_days"].round(3), y=(100 * d["q"]).round(2), mode="lines",
                                 name=escape(s), legendgroup=escape(s), line=dict(color=colors[s], width=2.5),
                                 hovertemplate=f"%{{x:.1f}} {unit}{t('fmt.colon')}%{{y:.0f}}{t('fmt.pct')}"
                                               f"<extra>{escape(s)}</extra>"))
    for x in (2, 7):
        fig.add_vline(x=x, line=dict(color="#bbbbbb", dash="dot", width=1))
    # the far tail (longest waits) would squash the curves: show up to the 98th centile
    body = q.loc[q["q"] <= 0.98, "wait_days"].max()
    xr = dict(range=[0, float(body) * 1.1]) if np.isfinite(body) and body > 0 else dict(rangemode="tozero")
    fig.update_xaxes(title_text=t("fig.ecdf.x"), **xr)
    fig.update_yaxes(title_text=t("fig.ecdf.y"), range=[0, 100.5], **_pct_axis(t))
    return _layout(fig, t("fig.ecdf"), t)


def _bar_by_scenario(fig, st: pd.DataFrame, xcol: str, xlabels: dict, order, colors, t, scale=100.0,
                     row=None, col=None, showlegend=True, suffix="") -> None:
    """One bar trace per scenario: x = ``xcol`` categories, y = mean with CI error bars."""
    for s in _present(order, st):
        d = st[st["scenario"].astype(str) == s].copy()
        d["_x"] = d[xcol].map(xlabels)
        d = d.dropna(subset=["_x"]).set_index("_x").reindex([v for v in xlabels.values() if v in set(d["_x"])])
        fig.add_trace(go.Bar(x=list(d.index), y=(d["mean"] * scale).round(3), error_y=_err(d, scale),
                             name=escape(s), legendgroup=escape(s), marker_color=colors[s], showlegend=showlegend,
                             customdata=np.c_[(d["lo"] * scale).round(2), (d["hi"] * scale).round(2)],
                             hovertemplate="%{x}" + t("fmt.colon") + t("ci", m="%{y:.1f}" + suffix,
                                                                       lo="%{customdata[0]:.1f}",
                                                                       hi="%{customdata[1]:.1f}")
                                           + f"<extra>{escape(s)}</extra>"),
                      row=row, col=col)


def routine_shares(kpis: pd.DataFrame, order: list[str], colors: dict[str, str], t: Translator) -> go.Figure:
    """Bars of ``routine_within_2d_share`` and ``routine_within_7d_share`` (%) with 95 % CI."""
    ids = ["routine_within_2d_share", "routine_within_7d_share"]
    st = rep_stats(kpis[kpis["kpi"].isin(ids)], ["scenario", "kpi"])
    fig = go.Figure()
    _bar_by_scenario(fig, st, "kpi", {k: t.kpi(k) for k in ids}, order, colors, t, suffix=t("fmt.pct"))
    fig.update_yaxes(title_text=t("fig.shares.y"), **_pct_axis(t))
    return _layout(fig, t("fig.shares"), t, barmode="group")


def acute_sankey(channels: pd.DataFrame, order: list[str], colors: dict[str, str], t: Translator) -> go.Figure:
    """Acute requests per scenario (mean per replication): need → first channel tried →
    outcome (:mod:`simsoins.dashboard.sankey`); the note says how small flows are drawn."""
    fig, settings = sankey_figure(channels, order, colors, t)
    fig = _layout(fig, t("fig.sankey"), t, **settings)
    return _note(fig, t("fig.sankey.note", share=t.pct(MIN_NODE_SHARE, 1)))


def _note(fig: go.Figure, text: str) -> go.Figure:
    """``text`` as the figure's subtitle (it goes with the figure into a PNG export)."""
    fig.update_layout(title_subtitle=dict(text=text, font=dict(size=12, color="#555555")),
                      margin_t=fig.layout.margin.t + 30)
    return fig


def full_weeks(d: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The rows of whole weeks (``days`` = 7) and the number of weeks left out: the measured
    window may start or end mid-week, and a count over a few days is not a week's count
    (a mean over them is noisy).  Results without ``days`` (written before it) are kept."""
    if "days" not in d.columns:
        return d, 0
    full = d["days"] >= 7
    return d[full], int(d.loc[~full, "week"].nunique())


def _weekly_scale(name: str, t: Translator) -> tuple[float, str]:
    """(factor, hover suffix) of a weekly series: shares in %, ER waits in minutes."""
    if name.endswith("_share"):
        return 100.0, t("fmt.pct")
    factor, unit, _ = shown(name, "")  # the page's units (i18n.SHOWN_AS): ER waits in minutes
    return (factor, " min") if unit == "minutes" else (1.0, "")


def date_axis(first: pd.Timestamp, last: pd.Timestamp, t: Translator) -> dict:
    """A date axis naming each month once: a tick every month (every 2, 3, 6 or 12 on longer
    spans, so the labels never crowd), « nov. 2026 »; plotly's own ticks fall every few
    weeks on a short run, repeating a month under a month-only format."""
    months = (last - first).days / 30.44
    step = next((m for m, span in ((1, 14), (2, 26), (3, 50), (6, 100)) if months <= span), 12)
    return dict(dtick=f"M{step}", tick0="2000-01-01", tickformat="%b %Y", hoverformat=t("fmt.date"))


def weekly_figure(series: pd.DataFrame, name: str, order: list[str], colors: dict[str, str], t: Translator,
                  start_date: str | None = None) -> go.Figure:
    """Weekly ``series`` (e.g. ``er_avoidable_visits``) per scenario: mean over replications
    as a line, min–max over replications as a band; x = week start date if ``start_date``.
    Partial weeks are left out (:func:`full_weeks`), and the subtitle says so."""
    d, dropped = full_weeks(series[series["series"].astype(str) == name])
    st = rep_stats(d, ["scenario", "week"]).sort_values("week")
    scale, suffix = _weekly_scale(name, t)
    fig = go.Figure()
    for s in _present(order, st):
        e = st[st["scenario"].astype(str) == s]
        x = e["week"].to_numpy()
        if start_date:
            x = (pd.Timestamp(start_date) + pd.to_timedelta(7 * e["week"].to_numpy(), unit="D")).strftime("%Y-%m-%d")
        es, c = escape(s), colors[s]
        fig.add_trace(go.Scatter(x=x, y=(e["max"] * scale).round(3), mode="lines", line=dict(width=0), name=es,
                                 legendgroup=es, showlegend=False, hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=x, y=(e["min"] * scale).round(3), mode="lines", line=dict(width=0), name=es,
                                 legendgroup=es, showlegend=False, fill="tonexty", fillcolor=rgba(c, 0.18),
                                 hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=x, y=(e["mean"] * scale).round(3), mode="lines", name=es, legendgroup=es,
                                 line=dict(color=c, width=2),
                                 hovertemplate=f"%{{y:.1f}}{suffix}<extra>{es}</extra>"))
    axis = {}
    if start_date and len(st):
        first = pd.Timestamp(start_date) + pd.Timedelta(days=7 * int(st["week"].min()))
        axis = date_axis(first, first + pd.Timedelta(days=7 * int(st["week"].max() - st["week"].min())), t)
    fig.update_xaxes(title_text=t("fig.weekly.x"), **axis)
    fig.update_yaxes(**(_pct_axis(t) if scale == 100.0 else dict(rangemode="tozero")))
    fig = _layout(fig, t("fig.weekly." + name) + f" — {t('fig.weekly.band')}", t, hovermode="x unified")
    return _note(fig, t("fig.weekly.partial", n=dropped)) if dropped else fig


def _age_key(band: str) -> tuple:
    head = "".join(ch for ch in band if ch.isdigit()) or "0"
    num = band.split("-")[0].rstrip("+")
    return (int(num) if num.isdigit() else int(head), band)


def equity_age(groups: pd.DataFrame, order: list[str], colors: dict[str, str], t: Translator) -> go.Figure:
    """Grouped bars by age band with 95 % CI: the wait of :func:`equity_wait` (days) and
    ``acute_within_48h_share`` (%)."""
    g = groups[groups["group_type"].astype(str) == "age_band"]
    wait = equity_wait(groups)
    panels = [(wait, 1.0, t("fig.age.wait", wait=t("wait." + wait)), ""),
              ("acute_within_48h_share", 100.0, t("fig.age.acute"), t("fmt.pct"))]
    fig = make_subplots(rows=1, cols=2, subplot_titles=[p[2] for p in panels], horizontal_spacing=0.1)
    bands = sorted(set(g["group"].astype(str)), key=_age_key)
    for j, (kpi, scale, _, suffix) in enumerate(panels, start=1):
        st = rep_stats(g[g["kpi"].astype(str) == kpi], ["scenario", "group"])
        st["group"] = st["group"].astype(str)
        _bar_by_scenario(fig, st, "group", {b: escape(b) for b in bands}, order, colors, t, scale=scale,
                         row=1, col=j, showlegend=(j == 1), suffix=suffix)
        fig.update_xaxes(title_text=t("fig.age.x"), row=1, col=j)
    fig.update_yaxes(rangemode="tozero", row=1, col=1)
    fig.update_yaxes(row=1, col=2, **_pct_axis(t))
    return _layout(fig, t("fig.age"), t, barmode="group")


def _ratio(u: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    s = u.groupby(by, observed=True, sort=False)[["offered", "booked"]].sum().reset_index()
    s = s[s["offered"] > 0]
    return s.assign(value=s["booked"] / s["offered"])


def clinician_utilisation(utilisation: pd.DataFrame, order: list[str], colors: dict[str, str],
                          t: Translator) -> go.Figure:
    """Box per scenario of booked / offered slots per clinician (mean over replications)."""
    u = utilisation[utilisation["kind"].astype(str) == "clinician"]
    per = _ratio(u, ["scenario", "replication", "provider"]).groupby(["scenario", "provider"], observed=True,
                                                                     sort=False)["value"].mean().reset_index()
    fig = go.Figure()
    for s in _present(order, per):
        d = per[per["scenario"].astype(str) == s]
        fig.add_trace(go.Box(y=(100 * d["value"]).round(2), name=escape(s), legendgroup=escape(s),
                             marker_color=colors[s], boxpoints="outliers", boxmean=True,
                             hovertemplate=f"%{{y:.1f}}{t('fmt.pct')}<extra>{escape(s)}</extra>"))
    fig.update_yaxes(title_text=t("fig.clinicians.y"), **_pct_axis(t))
    return _layout(fig, t("fig.clinicians"), t, showlegend=False)


def channel_utilisation(utilisation: pd.DataFrame, order: list[str], colors: dict[str, str],
                        t: Translator) -> go.Figure:
    """Bars of booked / offered slots of the ``tele`` and ``evening`` channels, 95 % CI."""
    kinds = ["tele", "evening"]
    u = utilisation[utilisation["kind"].astype(str).isin(kinds)]
    st = rep_stats(_ratio(u, ["scenario", "replication", "kind"]), ["scenario", "kind"])
    st["kind"] = st["kind"].astype(str)
    fig = go.Figure()
    _bar_by_scenario(fig, st, "kind", {k: t.channel(k) for k in kinds}, order, colors, t, suffix=t("fmt.pct"))
    fig.update_yaxes(title_text=t("fig.channels.y"), **_pct_axis(t))
    return _layout(fig, t("fig.channels"), t, barmode="group")


#: The KPIs of the trajectory figure: the wait of every request, giving up, the ER, the MT.
TRAJECTORY_KPIS = ("routine_time_to_care_days_median", "routine_gave_up_share", "er_avoidable_visits_per_1000_year",
                   "without_mt_share")


def trajectory(years: pd.DataFrame, order: list[str], colors: dict[str, str], t: Translator,
               labels: dict[int, str] | None = None) -> go.Figure:
    """Each of :data:`TRAJECTORY_KPIS` year by year (a run of several years): a line per
    scenario, its mean over replications with the 95 % CI as error bars; x = the years,
    named by ``labels`` (year → text) if given."""
    st = rep_stats(years[years["kpi"].isin(TRAJECTORY_KPIS)], ["scenario", "kpi", "year"]).sort_values("year")
    units = years.drop_duplicates("kpi").set_index("kpi")["unit"]
    fig = make_subplots(rows=2, cols=2, subplot_titles=[escape(t.kpi(k)) for k in TRAJECTORY_KPIS],
                        vertical_spacing=0.16, horizontal_spacing=0.1)
    for i, kpi in enumerate(TRAJECTORY_KPIS):
        scale = 100.0 if units.get(kpi) == "share" else 1.0
        for s in _present(order, st):
            e = st[(st["scenario"].astype(str) == s) & (st["kpi"] == kpi)]
            x = [(labels or {}).get(int(y), f"{t('fig.years.year')} {int(y)}") for y in e["year"]]
            fig.add_trace(go.Scatter(x=x, y=(e["mean"] * scale).round(3), error_y=_err(e, scale), name=escape(s),
                                     legendgroup=escape(s), showlegend=i == 0, mode="lines+markers",
                                     line=dict(color=colors[s], width=2),
                                     hovertemplate=f"%{{y:.2f}}{t('fmt.pct') if scale == 100 else ''}"
                                                   f"<extra>{escape(s)}</extra>"),
                          row=i // 2 + 1, col=i % 2 + 1)
        if scale == 100.0:
            fig.update_yaxes(ticksuffix=t("fmt.pct"), row=i // 2 + 1, col=i % 2 + 1)
    fig.update_annotations(font_size=12)
    return _note(_layout(fig, t("fig.years"), t, height=2 * HEIGHT - 80), t("fig.years.note"))


def catalogue(order: list[str], colors: dict, t, start_date=None) -> list[tuple]:
    """Every figure of the report, in page order: (section, file stem, tables it needs,
    maker(results) -> Figure). The page and the PNG export both read this list."""
    def weekly(name):
        return lambda r: weekly_figure(r["series"], name, order, colors, t, start_date)

    return [
        ("routine", "routine-ecdf", ("quantiles",), lambda r: routine_ecdf(r["quantiles"], order, colors, t)),
        ("routine", "routine-shares", ("kpis",), lambda r: routine_shares(r["kpis"], order, colors, t)),
        ("acute", "acute-sankey", ("channels",), lambda r: acute_sankey(r["channels"], order, colors, t)),
        ("er", "er-avoidable-visits", ("series",), weekly("er_avoidable_visits")),
        ("er", "er-wait-hours", ("series",), weekly("er_wait_hours_mean")),
        ("time", "time-routine-wait", ("series",), weekly("routine_wait_days_mean")),
        ("time", "time-trajectory", ("years",), lambda r: trajectory(r["years"], order, colors, t, year_labels(r, t))),
        ("time", "time-without-mt", ("series",), weekly("without_mt_share")),
        ("equity", "equity-age", ("groups",), lambda r: equity_age(r["groups"], order, colors, t)),
        ("equity", "equity-map", ("communes", "groups"),
         lambda r: M.commune_map(r["groups"], r["communes"], order, colors, t, er_sites=r.get("er_sites"),
                                 days=M.measured_days(r))),
        *([("equity", "equity-diff-map", ("communes", "groups"),
            lambda r: M.difference_map(r["groups"], r["communes"], order, t))] if len(order) > 1 else []),
        ("equity", "equity-access-map", ("commune_results",),
         lambda r: M.access_map(r["commune_results"], r["communes"], order, colors, t)),
        ("capacity", "capacity-clinicians", ("utilisation",),
         lambda r: clinician_utilisation(r["utilisation"], order, colors, t)),
        ("capacity", "capacity-channels", ("utilisation",),
         lambda r: channel_utilisation(r["utilisation"], order, colors, t)),
    ]

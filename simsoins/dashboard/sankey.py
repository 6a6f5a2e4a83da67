"""Where acute requests go (« parcours des demandes de soins non programmés »): a
two-level Sankey, need → first channel tried → outcome, one diagram per scenario.

Values are mean requests per replication from channels.parquet (``channel_counts`` in
results/kpis.py; its ``first`` column: results/journeys.py).  Results written before that
column existed give one level, need → outcome.  Small nodes are drawn wider than they are
(:data:`MIN_NODE_SHARE`) so that the flows that matter (CPTS, ER, giving up: 1–3 % of the
requests) stay readable; node labels and hover texts give the true numbers.
"""

from __future__ import annotations

from html import escape

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from simsoins.dashboard.colors import CHANNEL_COLORS, SOURCE_COLOR, rgba
from simsoins.dashboard.i18n import CHANNEL_ORDER, Translator
from simsoins.results.journeys import PATHWAY_ORDER

#: A display rule, not a model quantity: every node is drawn at least this share of the
#: requests (5 to 6 px of a diagram ROW_HEIGHT tall), its flows widened in proportion.
MIN_NODE_SHARE = 0.015
#: Up to this many scenarios, one diagram under the other; more: one at a time, chosen in a
#: dropdown (a dozen diagrams would make a page-long figure).
STACKED = 3
ROW_HEIGHT = 460
NEED = "acute"


def acute_flows(channels: pd.DataFrame) -> pd.DataFrame:
    """Mean acute requests per replication: columns ``scenario``, ``first`` (first channel
    tried; "" for results without it), ``outcome``, ``value`` (the flows met, > 0)."""
    reps = channels.groupby(channels["scenario"].astype(str), observed=True)["replication"].nunique()
    df = channels[channels["need"].astype(str) == NEED]
    keys = ["first", "outcome"] if "first" in df.columns else ["outcome"]
    df = df.assign(scenario=df["scenario"].astype(str), **{k: df[k].astype(str) for k in keys})
    out = df.groupby(["scenario", *keys], sort=False, observed=True)["count"].sum().reset_index()
    out["value"] = out["count"] / out["scenario"].map(reps)
    if "first" not in out.columns:
        out["first"] = ""
    return out.loc[out["value"] > 0, ["scenario", "first", "outcome", "value"]].reset_index(drop=True)


def drawn_values(flows: pd.DataFrame, floor: float = MIN_NODE_SHARE) -> np.ndarray:
    """The width to draw each flow of one scenario (``flows``: first, outcome, value): each
    outcome, then each first channel, at least ``floor`` of all requests, its flows widened
    in proportion; the flows of larger nodes are drawn as they are.  First channel → outcome
    widths add up to the first channel's width, so the diagram stays balanced."""
    v = flows["value"].to_numpy(dtype=float)
    least = floor * v.sum()
    into = pd.Series(v).groupby(flows["outcome"].to_numpy()).transform("sum").to_numpy()
    v = v * np.maximum(1.0, least / into)
    if (flows["first"] != "").any():
        out = pd.Series(v).groupby(flows["first"].to_numpy()).transform("sum").to_numpy()
        v = v * np.maximum(1.0, least / out)
    return v


def _ordered(names, order: tuple[str, ...]) -> list[str]:
    have = set(names) - {""}
    return [c for c in order if c in have] + sorted(have - set(order))


class Diagram:
    """The nodes and links of one scenario's Sankey, true and drawn values side by side."""

    def __init__(self, flows: pd.DataFrame, t: Translator) -> None:
        self.total = float(flows["value"].sum())
        firsts = _ordered(flows["first"], PATHWAY_ORDER)
        outs = _ordered(flows["outcome"], CHANNEL_ORDER)
        self.keys = [("need", NEED), *[("first", c) for c in firsts], *[("outcome", c) for c in outs]]
        index = {k: i for i, k in enumerate(self.keys)}
        drawn = drawn_values(flows)
        f = flows.assign(drawn=drawn)
        links = []  # (source, target, true value, drawn value, colour of)
        if firsts:
            per_first = f.groupby("first", sort=False)[["value", "drawn"]].sum()
            links += [(0, index[("first", c)], *per_first.loc[c], c) for c in firsts]
        for r in f.itertuples(index=False):
            src = index[("first", r.first)] if r.first else 0
            links.append((src, index[("outcome", r.outcome)], r.value, r.drawn, r.outcome))
        self.links = links
        self.node_true = np.zeros(len(self.keys))
        for _, target, true, _, _ in links:
            self.node_true[target] += true
        self.node_true[0] = self.total
        self.t = t

    def label(self, i: int) -> str:
        level, name = self.keys[i]
        t = self.t
        if level == "need":
            return f"{escape(t('fig.sankey.source'))} ({t.num(self.total, 0)})"
        share = self.node_true[i] / self.total if self.total else float("nan")
        return f"{escape(t.channel(name))} — {t.pct(share, 1 if share < 0.1 else 0)}"

    def trace(self, name: str, domain: dict, visible: bool) -> go.Sankey:
        t, total = self.t, self.total or 1.0
        unit, sep = t("fig.sankey.unit"), t("fmt.colon")
        colors = [SOURCE_COLOR if lv == "need" else CHANNEL_COLORS.get(c, SOURCE_COLOR) for lv, c in self.keys]
        src, tgt, true, drawn, of = zip(*self.links) if self.links else ((), (), (), (), ())
        return go.Sankey(
            name=escape(name), domain=domain, visible=visible, arrangement="snap", valueformat=".1f",
            textfont=dict(size=13, color="#1a1a1a", shadow="auto"),
            node=dict(label=[self.label(i) for i in range(len(self.keys))], color=colors, pad=12, thickness=16,
                      line=dict(width=0), customdata=np.round(self.node_true, 1),
                      hovertemplate=f"%{{label}}<br>%{{customdata:.1f}} {unit}<extra>{escape(name)}</extra>"),
            link=dict(source=list(src), target=list(tgt), value=np.round(drawn, 2),
                      customdata=np.c_[np.round(true, 1), np.round(100 * np.asarray(true) / total, 1)],
                      color=[rgba(CHANNEL_COLORS.get(c, SOURCE_COLOR), 0.35) for c in of],
                      hovertemplate=f"%{{source.label}} → %{{target.label}}<br>%{{customdata[0]:.1f}} {unit}"
                                    f"{sep}%{{customdata[1]:.1f}}{t('fmt.pct')}<extra>{escape(name)}</extra>"))


def _headers(domain: dict, levels: int, t: Translator) -> list[dict]:
    """« Besoin », « Premier recours tenté », « Issue » above the columns of a diagram."""
    keys = ["fig.sankey.need", "fig.sankey.first", "fig.sankey.outcome"] if levels == 3 else \
        ["fig.sankey.need", "fig.sankey.outcome"]
    x0, x1 = domain["x"]
    xs = np.linspace(x0, x1, len(keys))
    anchors = ["left", *["center"] * (len(keys) - 2), "right"]
    return [dict(text=f"<i>{escape(t(k))}</i>", x=float(x), xanchor=a, y=domain["y"][1], yanchor="bottom",
                 xref="paper", yref="paper", showarrow=False, font=dict(size=12, color="#555555"))
            for k, x, a in zip(keys, xs, anchors)]


def sankey_figure(channels: pd.DataFrame, order: list[str], colors: dict[str, str],
                  t: Translator) -> tuple[go.Figure, dict]:
    """One diagram per scenario of ``order`` (stacked, or one at a time in a dropdown above
    :data:`STACKED` scenarios); returns the figure and its layout settings (height, menu)."""
    flows = acute_flows(channels)
    scen = [s for s in order if s in set(flows["scenario"])]
    levels = 3 if (flows["first"] != "").any() else 2
    stacked = len(scen) <= STACKED
    rows = max(1, len(scen)) if stacked else 1
    fig = go.Figure()
    for i, s in enumerate(scen):
        r = i if stacked else 0
        top = 1 - r / rows - (0.1 if stacked else 0.16) / rows  # room for the title, or the menu
        domain = dict(x=[0.0, 1.0], y=[1 - (r + 1) / rows + 0.03 / rows, top])
        fig.add_trace(Diagram(flows[flows["scenario"] == s], t).trace(s, domain, stacked or i == 0))
        if stacked:
            fig.add_annotation(text=f"<b>{escape(s)}</b>", x=0.5, y=top + 0.05 / rows, xref="paper", yref="paper",
                               xanchor="center", yanchor="bottom", showarrow=False,
                               font=dict(color=colors[s], size=14))
        if stacked or i == 0:
            for a in _headers(domain, levels, t):
                fig.add_annotation(**a)
    menu = [] if stacked else [dict(
        buttons=[dict(label=escape(s), method="restyle", args=[{"visible": [j == i for j in range(len(scen))]}])
                 for i, s in enumerate(scen)], direction="down", x=0, xanchor="left", y=1.0, yanchor="top",
        showactive=True)]
    return fig, dict(height=110 + ROW_HEIGHT * rows + (40 if menu else 0), updatemenus=menu)

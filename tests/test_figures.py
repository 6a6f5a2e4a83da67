"""Figures that do not lie: partial weeks left out, each month named once on a date axis,
ER waits in minutes, and a two-level Sankey whose numbers add up to the channels table
while its small flows stay visible."""

from __future__ import annotations

from html import escape

import numpy as np
import pandas as pd
import pytest
from plotly.offline import get_plotlyjs
from test_browser import _chromium, needs_chromium, parse_dom

from simsoins.dashboard import figures as F
from simsoins.dashboard import sankey as S
from simsoins.dashboard.i18n import translator
from simsoins.results.journeys import first_of_path, first_tried, week_days
from simsoins.results.kpis import channel_counts, weekly_series
from simsoins.vocabulary import MIN_PER_DAY

T = translator()
ORDER = ["Situation de référence", "CPTS <b>10 %</b>"]  # titles as another part generates them
COLORS = F.scenario_colors(ORDER)
START = "2026-11-02"


def _series(weeks, days, name="er_avoidable_visits", value=lambda w, d: 100.0 * d / 7, reps=3,
            scenarios=ORDER) -> pd.DataFrame:
    """A weekly series table as the simulation writes it (``days=None``: written before the
    ``days`` column existed)."""
    rows = [(s, r, w, name, value(w, d), d) for s in scenarios for r in range(reps)
            for w, d in zip(weeks, days if days is not None else [7] * len(weeks))]
    df = pd.DataFrame(rows, columns=["scenario", "replication", "week", "series", "value", "days"])
    return df if days is not None else df.drop(columns="days")


def _mean_trace(fig, scenario):
    return next(tr for tr in fig.data if tr.name == escape(scenario) and tr.showlegend is not False)


# ------------------------------------------------------------------ partial weeks

def test_week_days_counts_the_window_inside_each_week():
    # 14 days of warm-up, 60 measured: weeks 2..10, the last one holds days 70–73
    assert week_days(np.arange(2, 11), (14 * MIN_PER_DAY, 74 * MIN_PER_DAY)).tolist() == [7] * 8 + [4]
    # the default run (56 + 365 days): its last week is a single day
    assert week_days(np.array([59, 60]), (56 * MIN_PER_DAY, 421 * MIN_PER_DAY)).tolist() == [7, 1]
    # a warm-up that is not whole weeks: the first week is partial too
    assert week_days(np.array([1, 2]), (10 * MIN_PER_DAY, 21 * MIN_PER_DAY)).tolist() == [4, 7]


def test_a_partial_last_week_is_left_out_and_said():
    weeks = list(range(2, 9))
    fig = F.weekly_figure(_series(weeks, [7] * 6 + [1]), "er_avoidable_visits", ORDER, COLORS, T, START)
    mean = _mean_trace(fig, ORDER[0])
    assert len(mean.x) == 6 and mean.x[-1] == "2026-12-21"  # week 7 starts 49 days after 2 Nov
    assert min(mean.y) == pytest.approx(100.0)  # the 1-day week (14.3) is not drawn as a collapse
    assert "1 semaine(s) incomplète(s)" in fig.layout.title.subtitle.text


def test_whole_weeks_have_no_note_and_old_results_are_drawn_as_they_are():
    weeks = list(range(2, 9))
    whole = F.weekly_figure(_series(weeks, [7] * 7), "er_avoidable_visits", ORDER, COLORS, T, START)
    assert len(_mean_trace(whole, ORDER[0]).x) == 7 and not whole.layout.title.subtitle.text
    old = F.weekly_figure(_series(weeks, None), "er_avoidable_visits", ORDER, COLORS, T, START)
    assert len(_mean_trace(old, ORDER[0]).x) == 7


def test_the_simulation_writes_each_weeks_length(exemple, model):
    from simsoins.config.model import RunConfig
    from simsoins.sim.replication import simulate

    rep = simulate(exemple, model, RunConfig(replications=1, horizon_days=18, warmup_days=10, seed=5, jobs=1), 0)
    s = weekly_series(rep)
    days = s.groupby("week")["days"].first()
    assert days.to_dict() == {1: 4, 2: 7, 3: 7}  # days 10–13, 14–20, 21–27
    # the partial week really is short (4 days of 7): fewer ER visits than a whole one
    visits = s[s["series"] == "er_visits"].set_index("week")["value"]
    assert visits[1] < 0.75 * visits[2]
    ch = channel_counts(rep)
    assert list(ch.columns) == ["need", "first", "outcome", "count"]
    ev = rep.events[(rep.events["t_request_min"] >= rep.window[0]) & (rep.events["t_request_min"] < rep.window[1])]
    assert ch["count"].sum() == ev["outcome"].notna().sum()
    acute = ch[ch["need"] == "acute"]
    assert acute["count"].sum() == ((ev["need"] == "acute") & ev["outcome"].notna()).sum()


# ------------------------------------------------------------------ month ticks, minutes

@pytest.mark.parametrize(("n_weeks", "step"), [(9, "M1"), (52, "M1"), (105, "M2"), (260, "M6")])
def test_each_month_is_named_once(n_weeks, step):
    fig = F.weekly_figure(_series(range(n_weeks), [7] * n_weeks), "er_avoidable_visits", ORDER, COLORS, T, START)
    ax = fig.layout.xaxis
    assert ax.dtick == step and ax.tickformat == "%b %Y"  # one tick per step, month and year: never repeated
    months = n_weeks * 7 / 30.44
    assert months / int(step[1:]) <= 27  # and never crowded


def test_er_waits_are_in_minutes():
    fig = F.weekly_figure(_series(range(4), [7] * 4, "er_wait_hours_mean", lambda w, d: 1.5), "er_wait_hours_mean",
                          ORDER, COLORS, T, START)
    assert set(_mean_trace(fig, ORDER[0]).y) == {90.0}
    assert "(minutes)" in fig.layout.title.text and "min" in _mean_trace(fig, ORDER[0]).hovertemplate


@needs_chromium
def test_rendered_month_ticks_are_unique(tmp_path):
    """A 60-day run's weekly figure in Chromium: no month label twice (plotly's own ticks
    fell every two weeks under a month-only format)."""
    fig = F.weekly_figure(_series(range(2, 11), [7] * 8 + [4]), "er_avoidable_visits", ORDER, COLORS, T, START)
    page = tmp_path / "ticks.html"
    page.write_text(f"<html><head><meta charset='utf-8'><script>{get_plotlyjs()}</script></head><body>"
                    f"{fig.to_html(full_html=False, include_plotlyjs=False, div_id='fig-er-0')}</body></html>",
                    encoding="utf-8")
    dom = parse_dom(_chromium(["--dump-dom"], page, tmp_path / "profile").stdout.decode("utf-8"))
    ticks = [t for t in dom.figs["fig-er-0"]["xticks"] if t]
    assert ticks and len(ticks) == len(set(ticks)), ticks
    assert len(ticks) <= 3, ticks  # 16 Nov – 4 Jan: December and January at most, and November's start


# ------------------------------------------------------------------ the Sankey

def test_first_channel_tried_follows_the_pathway_order():
    assert first_of_path("own_gp>other_gp>tele") == "own_gp"
    assert first_of_path("other_gp>cpts>evening>er") == "other_gp"
    assert first_of_path("cpts>medicobus") == "medicobus"  # a médicobus stop is tried with the practices
    assert first_of_path("sas>sas_advice") == "sas" and first_of_path("") == ""
    ev = pd.DataFrame({"path": pd.Categorical(["er", "", "own_gp>er"]),
                       "outcome": pd.Categorical(["er", "other_gp", "er"])})
    assert list(first_tried(ev)) == ["er", "other_gp", "own_gp"]  # an empty path started at its outcome


FLOWS = [("own_gp", "own_gp", 900), ("own_gp", "er", 5), ("other_gp", "other_gp", 80), ("other_gp", "gave_up", 10),
         ("er", "er", 5)]


def _channels(flows=FLOWS, reps=2, scenarios=ORDER, first=True) -> pd.DataFrame:
    rows = [(s, r, "acute", f, o, c * (1 + i) + r) for i, s in enumerate(scenarios) for r in range(reps)
            for f, o, c in flows]
    rows += [(s, r, "routine", "own_gp", "own_gp", 5000) for s in scenarios for r in range(reps)]
    df = pd.DataFrame(rows, columns=["scenario", "replication", "need", "first", "outcome", "count"])
    return df if first else df.groupby(["scenario", "replication", "need", "outcome"], as_index=False)["count"].sum()


def test_small_nodes_are_widened_to_the_minimum_and_no_more():
    flows = pd.DataFrame(FLOWS, columns=["first", "outcome", "value"])
    drawn = S.drawn_values(flows, 0.015)  # 15 of 1,000
    # ER outcome (10) → 15: its flows × 1.5; giving up (10) → 15; the ER as first channel
    # (7.5 once widened) → 15; large nodes unchanged
    np.testing.assert_allclose(drawn, [900, 7.5, 80, 15, 15])


def _nodes(trace):
    """Each node's drawn value (largest of in and out, as plotly draws it) and true value."""
    n = len(trace.node.label)
    into, out = np.zeros(n), np.zeros(n)
    for s, t, v in zip(trace.link.source, trace.link.target, trace.link.value):
        out[s] += v
        into[t] += v
    return np.maximum(into, out), np.asarray(trace.node.customdata, dtype=float)


def test_the_sankey_adds_up_to_the_channels_table():
    ch = _channels()
    fig = F.acute_sankey(ch, ORDER, COLORS, T)
    assert [tr.name for tr in fig.data] == [escape(s) for s in ORDER]
    for s, tr in zip(ORDER, fig.data):
        acute = ch[(ch["scenario"] == s) & (ch["need"] == "acute")]
        total = acute["count"].sum() / 2  # mean over the 2 replications
        true = np.asarray(tr.link.customdata, dtype=float)[:, 0]
        src, tgt = np.asarray(tr.link.source), np.asarray(tr.link.target)
        levels = [k[0] for k in S.Diagram(S.acute_flows(ch[ch["scenario"] == s]), T).keys]
        first = np.array([levels[i] == "first" for i in tgt])
        assert true[src == 0].sum() == pytest.approx(total)  # need = sum of first channels
        assert true[~first].sum() == pytest.approx(total)  # = sum of outcomes
        by_first = acute.groupby("first")["count"].sum() / 2
        assert sorted(true[first]) == pytest.approx(sorted(by_first))
        drawn, node_true = _nodes(tr)
        assert node_true[0] == pytest.approx(total)
        assert (drawn >= S.MIN_NODE_SHARE * total - 1e-6).all()  # every node visible
        big = node_true >= 0.2 * total
        np.testing.assert_allclose(drawn[big], node_true[big], rtol=0.02)  # large ones nearly true
    labels = " ".join(fig.data[0].node.label)
    assert "Urgences — 1,1\u00a0%" in labels and "Son médecin traitant — 90\u00a0%" in labels
    # the scenario titles are the names given, escaped; the note says how small flows are drawn
    texts = [a.text for a in fig.layout.annotations]
    assert f"<b>{escape(ORDER[1])}</b>" in texts and "Premier recours tenté" in " ".join(texts)
    assert "1,5\u00a0%" in fig.layout.title.subtitle.text


def test_results_without_the_first_channel_give_one_level():
    ch = _channels(first=False)
    fig = F.acute_sankey(ch, ORDER, COLORS, T)
    tr = fig.data[0]
    assert set(tr.link.source) == {0} and len(tr.node.label) == 5  # need → 4 outcomes
    assert np.asarray(tr.link.customdata, dtype=float)[:, 0].sum() == pytest.approx(1000 + 0.5 * 5)


def test_many_scenarios_are_shown_one_at_a_time():
    names = [f"Scénario {i}" for i in range(5)]
    fig = F.acute_sankey(_channels(scenarios=names), names, F.scenario_colors(names), T)
    assert [tr.visible for tr in fig.data] == [True] + [False] * 4
    buttons = fig.layout.updatemenus[0].buttons
    assert [b.label for b in buttons] == names
    assert buttons[3].args[0]["visible"] == [False, False, False, True, False]
    assert fig.layout.height < 700  # one diagram tall, not five

"""The dashboard's maps (simsoins/dashboard/maps.py): outlines of the communes' own
départements only, the paired difference scenario − référence by commune and by EPCI
(population-weighted) on a scale centred on 0, a level scale that covers every value the
page lists, the ER sites with their visits, and the national table's EPCI and bassin de
vie columns (scripts/build_france.py)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from test_browser import _chromium, _with_collector, needs_chromium, parse_dom

from simsoins.dashboard import map_areas as A
from simsoins.dashboard import maps as M
from simsoins.dashboard.equity import commune_table
from simsoins.dashboard.i18n import translator
from simsoins.dashboard.report import build_html

T = translator("fr")
KPI = "routine_time_to_care_days_median"
COLORS = {"baseline": "#7f7f7f", "cpts": "#0072B2"}


def _groups(values: dict[tuple[str, str], list[float]]) -> pd.DataFrame:
    """groups.parquet rows of KPI: (scenario, commune) → one value per replication."""
    rows = [(s, r, "commune", code, KPI, v) for (s, code), vs in values.items() for r, v in enumerate(vs)]
    return pd.DataFrame(rows, columns=["scenario", "replication", "group_type", "group", "kpi", "value"])


def _real_communes(*deps: str, per_dep: int = 6) -> pd.DataFrame:
    """A few real communes of each of ``deps``, as a run's communes table (no area column)."""
    nat = A.national_communes()
    pick = pd.concat([nat[nat["dep"] == d].head(per_dep) for d in deps])
    names = pd.read_csv(A.NATIONAL, comment="#", dtype=str, usecols=["code", "name", "population"])
    return pick[["code", "lon", "lat"]].merge(names, on="code").astype({"population": float})


def _views(fig) -> dict:
    return {tr.meta: tr for tr in fig.data if tr.meta != M.ALWAYS and tr.marker.symbol != "diamond"}


def _ring_points(codes: list[str]) -> int:
    fc = json.loads(A.OUTLINES.read_text(encoding="utf-8"))
    return sum(len(ring) for f in fc["features"] if f["properties"]["code"] in codes
               for poly in ([f["geometry"]["coordinates"]] if f["geometry"]["type"] == "Polygon"
                            else f["geometry"]["coordinates"]) for ring in poly)


# ------------------------------------------------------------------ outlines

def test_outline_covers_the_communes_departements_only():
    com = _real_communes("41", "23")
    groups = _groups({("baseline", c): [1.0, 2.0] for c in com["code"]})
    fig = M.commune_map(groups, com, ["baseline"], COLORS, T)
    outline = [tr for tr in fig.data if tr.meta == M.ALWAYS]
    assert len(outline) == 1 and outline[0].mode == "lines" and outline[0].visible
    xs = [x for x in outline[0].x if x is not None]
    # every vertex of Loir-et-Cher's and Creuse's outlines, and nothing else
    assert len(xs) == _ring_points(["41", "23"]) and len(xs) != _ring_points(["41"])
    assert min(xs) > 0.5 and max(xs) < 2.7  # 41 spans 0.58–2.25 °E, 23 1.37–2.61 °E; not Corsica's 9 °E


def test_no_outline_for_invented_communes_or_real_codes_placed_elsewhere():
    exemple = pd.DataFrame({"code": ["99001", "99002"], "name": ["Villebourg", "Les Prés"],
                            "population": [9000.0, 1200.0], "lon": [1.0, 1.08], "lat": [47.5, 47.54]})
    moved = exemple.assign(code=["41018", "41269"], lon=[5.0, 5.1], lat=[45.0, 45.1])  # real codes, 300 km away
    for com in (exemple, moved):
        fig = M.commune_map(_groups({("baseline", c): [1.0] for c in com["code"]}), com, ["baseline"], COLORS, T)
        assert [tr.meta for tr in fig.data] == ["baseline"]
        assert A.commune_areas(com).isna().all().all()


def test_the_runs_own_area_columns_win_over_the_national_table():
    com = _real_communes("41", per_dep=2).assign(epci=["E1", ""], epci_name=["Mine", ""])
    areas = A.commune_areas(com)
    nat = A.national_communes().set_index("code")
    assert areas["epci"].tolist() == ["E1", nat.loc[com["code"].iloc[1], "epci"]]
    assert areas["departement"].tolist() == ["41", "41"]


# ------------------------------------------------------------------ difference map

SMALL = pd.DataFrame({"code": ["99001", "99002", "99003"], "name": ["A", "B", "C"],
                      "population": [1000.0, 3000.0, 500.0], "lon": [1.0, 1.1, 1.2], "lat": [47.5, 47.6, 47.4],
                      "epci": ["E1", "E1", "E2"], "epci_name": ["Est", "Est", "Ouest"]})
VALUES = {("baseline", "99001"): [4.0, 5.0, 6.0], ("cpts", "99001"): [3.0, 5.0, 4.0],      # diffs −1, 0, −2
          ("baseline", "99002"): [10.0, 10.0, 10.0], ("cpts", "99002"): [8.0, 8.5, 7.5],  # −2, −1.5, −2.5
          ("baseline", "99003"): [2.0, 2.0, 2.0], ("cpts", "99003"): [3.0, 3.2, 2.8]}     # +1, +1.2, +0.8


def _ci(diffs):
    d = np.asarray(diffs)
    half = stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
    return d.mean(), d.mean() - half, d.mean() + half


def test_difference_map_shows_the_paired_means_on_a_scale_centred_on_zero():
    fig = M.difference_map(_groups(VALUES), SMALL, ["baseline", "cpts"], T)
    tr = _views(fig)["cpts"]
    assert [t.split(" (")[0] for t in tr.text] == ["A", "B", "C"]
    np.testing.assert_allclose(tr.marker.color, [-1.0, -2.0, 1.0])
    assert tr.marker.cmid == 0 and tr.marker.cmin == -tr.marker.cmax == -2.0  # symmetric, the largest |difference|
    assert tr.marker.colorscale[0][1].lower() != tr.marker.colorscale[-1][1].lower()  # diverging
    # A's CI [−3.48; +1.48] covers 0: faded; B [−3.24; −0.76] and C [+0.50; +1.50] do not
    _, lo, hi = _ci([-2.0, -1.5, -2.5])
    assert (round(lo, 2), round(hi, 2)) == (-3.24, -0.76)
    np.testing.assert_allclose(tr.marker.opacity, [M.FADED, M.SOLID, M.SOLID])
    b = list(tr.customdata[1])
    assert b[0] == T.num(3000, 0) and b[1] == "8,0 jours" and b[2] == "10,0 jours"
    assert b[3] == "−2,00 jours [−3,24 ; −0,76]" and b[4] == ""
    assert "non démontré" in tr.customdata[0][4]
    assert "bleu : plus court" in tr.marker.colorbar.title.text


def test_epci_aggregation_is_population_weighted_then_paired():
    fig = M.difference_map(_groups(VALUES), SMALL, ["baseline", "cpts"], T)
    views = _views(fig)
    assert set(views) == {"cpts", "cpts\x00epci"}  # no bassin de vie column: no such view
    tr = views["cpts\x00epci"]
    assert list(tr.text) == ["Est", "Ouest"] and list(tr.hovertext) == ["2", "1"]
    # Est, replication by replication: (1000 a + 3000 b) / 4000, then scenario − baseline
    a_b, a_s = np.array(VALUES[("baseline", "99001")]), np.array(VALUES[("cpts", "99001")])
    b_b, b_s = np.array(VALUES[("baseline", "99002")]), np.array(VALUES[("cpts", "99002")])
    est = (1000 * a_s + 3000 * b_s) / 4000 - (1000 * a_b + 3000 * b_b) / 4000
    np.testing.assert_allclose(tr.marker.color[0], round(est.mean(), 3))
    assert not np.isclose(est.mean(), (-1.0 + -2.0) / 2)  # not the plain mean of the communes
    assert tr.x[0] == round((1000 * 1.0 + 3000 * 1.1) / 4000, 4)  # the population-weighted point
    labels = [b.label for b in fig.layout.updatemenus[0].buttons]
    assert labels == ["cpts — par commune", "cpts — par EPCI (moyenne pondérée par la population)"]
    assert fig.layout.updatemenus[0].x == 0 and fig.layout.updatemenus[0].xanchor == "left"  # not under the mode bar


def test_loir_et_cher_difference_map_has_its_12_epci_and_23_bassins():
    com = _real_communes("41", per_dep=400)
    rng = np.random.default_rng(0)
    groups = _groups({(s, c): list(rng.uniform(1, 5, 3)) for s in ("baseline", "cpts") for c in com["code"]})
    views = _views(M.difference_map(groups, com, ["baseline", "cpts"], T))
    assert len(views["cpts"].x) == 267
    assert len(views["cpts\x00epci"].x) == 12 and len(views["cpts\x00bassin_vie"].x) == 23


# ------------------------------------------------------------------ level map and ER sites

def test_level_colour_range_covers_every_value_the_page_lists():
    values = {("baseline", f"9900{i}"): [float(v)] * 2 for i, v in enumerate([1, 2, 2, 2, 3, 2, 2, 10.2])}
    com = pd.DataFrame({"code": [f"9900{i}" for i in range(8)], "name": list("ABCDEFGH"),
                        "population": [100.0] * 8, "lon": np.linspace(1, 1.7, 8), "lat": [47.5] * 8})
    fig = M.commune_map(_groups(values), com, ["baseline"], COLORS, T)
    marker = _views(fig)["baseline"].marker
    assert marker.cmin == 1.0 and marker.cmax == 10.2
    listed = commune_table({"groups": _groups(values), "communes": com}, ["baseline"], T)
    assert "10,2" in listed and max(marker.color) == 10.2


def test_er_sites_are_drawn_sized_by_their_visits_a_year_with_a_ci():
    er = pd.DataFrame({"scenario": ["baseline"] * 4, "replication": [0, 1, 0, 1], "site": [0, 0, 1, 1],
                       "finess": ["1", "1", "2", "2"], "name": ["Urgences A", "Urgences A", "Urgences C", "Urgences C"],
                       "commune": ["99001", "99001", "99003", "99003"], "visits": [100, 120, 10, 10],
                       "avoidable_visits": [1, 1, 1, 1], "wait_hours_mean": [1.0] * 4})
    fig = M.commune_map(_groups(VALUES), SMALL, ["baseline", "cpts"], COLORS, T, er_sites=er, days=36.5)
    sites = [tr for tr in fig.data if tr.marker.symbol == "diamond"]
    assert len(sites) == 1 and sites[0].meta == "baseline" and sites[0].visible
    np.testing.assert_allclose(sites[0].marker.size, [1100.0, 100.0])  # 110 and 10 visits in 36.5 days
    assert (sites[0].x[0], sites[0].y[0]) == (1.0, 47.5)  # at its commune's centroid
    m, lo, hi = _ci([1000.0, 1200.0])
    assert sites[0].customdata[0] == T("ci", m=T.num(m, 0), lo=T.num(lo, 0), hi=T.num(hi, 0))
    assert "Passages par an" in sites[0].hovertemplate and "Urgences A" in sites[0].text
    # the dropdown switches the sites with the communes
    cpts = fig.layout.updatemenus[0].buttons[1].args[0]["visible"]
    assert [v for tr, v in zip(fig.data, cpts) if tr.marker.symbol == "diamond"] == [False]


def test_measured_days_come_from_the_baselines_configuration():
    config = "run:\n  horizon_days: 60\n  warmup_days: 14\n"
    res = {"scenarios": {"order": ["baseline"], "configs": {"baseline": config}}}
    assert M.measured_days(res) == 60.0  # the warm-up comes before the measured period
    config5 = "run:\n  horizon_days: 365\n  warmup_days: 56\n  years: 5\n"
    assert M.measured_days({"scenarios": {"order": ["baseline"], "configs": {"baseline": config5}}}) == 1825.0
    assert M.measured_days({"scenarios": {"order": ["baseline"], "configs": {"baseline": "not: [yaml"}}}) is None
    assert M.measured_days({}) is None


# ------------------------------------------------------------------ the national table

def test_national_table_carries_each_communes_epci_and_bassin_de_vie():
    nat = A.national_communes()
    assert len(nat) == 34788
    lec = nat[nat["dep"] == "41"]
    assert len(lec) == 267 and (lec["epci"] != "").all() and (lec["bassin_vie"] != "").all()
    assert lec["epci"].nunique() == 12 and lec["bassin_vie"].nunique() == 23  # as ../shared/data/README.md says
    blois = nat.set_index("code").loc["41018"]
    assert (blois["epci"], blois["bassin_vie"], blois["bassin_vie_name"]) == ("200030385", "41018", "Blois")
    assert "Agglopolys" in blois["epci_name"]
    # only the four island communes that belong to no EPCI by law have none
    assert sorted(nat.loc[nat["epci"] == "", "code"]) == ["22016", "29083", "29155", "85113"]
    assert (nat["bassin_vie"].str.len() == 5).all()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_page_has_the_difference_map_only_when_there_is_a_scenario(lang):
    com = SMALL
    one = build_html({"groups": _groups({k: v for k, v in VALUES.items() if k[0] == "baseline"}), "communes": com},
                     lang)
    two = build_html({"groups": _groups(VALUES), "communes": com}, lang)
    title = json.dumps(translator(lang)("map.diff.note"))[1:-1]
    assert title not in one and title in two


@needs_chromium
def test_page_with_the_maps_renders_without_js_error(tmp_path):
    """A Loir-et-Cher page (267 real communes, 3 ER sites, two scenarios): the level map,
    the difference map (by commune, EPCI, bassin de vie) and their dropdowns render in
    headless Chromium, offline, without a JavaScript error."""
    com = _real_communes("41", per_dep=400)
    rng = np.random.default_rng(1)
    groups = _groups({(s, c): list(rng.uniform(1, 5, 3)) for s in ("baseline", "cpts") for c in com["code"]})
    sites = ["41018", "41194", "41269"]
    er = pd.DataFrame([(s, r, i, f"F{i}", f"Urgences {c}", c, 1000 + 10 * r, 100, 1.0)
                       for s in ("baseline", "cpts") for r in range(3) for i, c in enumerate(sites)],
                      columns=["scenario", "replication", "site", "finess", "name", "commune", "visits",
                               "avoidable_visits", "wait_hours_mean"])
    page = tmp_path / "maps.html"
    page.write_text(build_html({"groups": groups, "communes": com, "er_sites": er}), encoding="utf-8")
    html = page.read_text(encoding="utf-8")
    assert html.count("Plotly.newPlot(") >= 2
    res = _chromium(["--dump-dom"], _with_collector(page, tmp_path / "page.html"), tmp_path / "profile")
    dom = parse_dom(res.stdout.decode("utf-8"))
    assert dom.loaded and dom.error_count == 0 and not dom.errors, dom.errors
    maps = [f for f in dom.figs.values() if "updatemenu-container" in f["inner"]]
    assert len(maps) == 2, list(dom.figs)  # the level map (two scenarios) and the difference map (three views)
    assert all("scatterlayer" in f["inner"] for f in maps)

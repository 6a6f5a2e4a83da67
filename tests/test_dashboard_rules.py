"""The dashboard says where the results are read what is still a rule in the territory, where
the ER visits go, and the communes' consultations and simulated accessibility (issue #23)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from html import escape

import pandas as pd
import pytest
from conftest import ROOT

from simsoins.dashboard.i18n import nonzero_digits, translator
from simsoins.dashboard.places import MAX_SITES, er_sites_tables
from simsoins.dashboard.report import build_html, load_results, merge_results
from simsoins.dashboard.titles import scenario_titles
from simsoins.territory.rules import RULES

RULE_IDS = ["communes_at_centroid", "er_rosters", "closed_border"]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """A tiny run of the new-centre scenario against the baseline, with three rules."""
    out = tmp_path_factory.mktemp("rules") / "run"
    res = subprocess.run([sys.executable, "-m", "simsoins", "territory=exemple", "scenario=nouveau_centre",
                          "run.replications=2", "run.horizon_days=28", "run.warmup_days=7", "run.jobs=1",
                          f"+territory.rules=[{','.join(RULE_IDS)}]", f"hydra.run.dir={out}"],
                         capture_output=True, text=True, cwd=ROOT, timeout=600,
                         env={k: v for k, v in os.environ.items() if k != "SIMSOINS_CONFIG_DIR"})
    assert res.returncode == 0, res.stderr
    return out


@pytest.fixture(scope="module")
def html(run) -> str:
    return (run / "dashboard.html").read_text(encoding="utf-8")


def _box(page: str) -> str:
    return page.split('<div class="rules" id="rules">', 1)[1].split("</div>", 1)[0]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_rule_has_a_text_in_both_languages(lang):
    t = translator(lang)
    other = translator("en" if lang == "fr" else "fr")
    for rule in RULES:
        assert t.has(f"rule.{rule}"), f"no {lang} text for rule {rule}"
        assert t(f"rule.{rule}") != other(f"rule.{rule}")


def test_the_page_shows_the_territorys_rules_in_the_header(run, html):
    assert json.loads((run / "scenarios.json").read_text())["territory_rules"] == RULE_IDS
    header = html.split("<main>", 1)[0]
    box = _box(header)  # in the header, before the results
    t = translator("fr")
    assert escape(t("rules.title")) in box
    assert [item.split("</li>")[0] for item in box.split("<li>")[1:]] == [escape(t(f"rule.{r}")) for r in RULE_IDS]
    english = build_html(load_results(run), "en")
    in_english = [escape(translator("en")(f"rule.{r}")) for r in RULE_IDS]
    assert [item.split("</li>")[0] for item in _box(english).split("<li>")[1:]] == in_english


def test_no_box_without_rules_and_an_unknown_rule_shows_its_id(run):
    res = load_results(run)
    res["scenarios"] = {**res["scenarios"], "territory_rules": []}
    assert 'class="rules"' not in build_html(res)
    res["scenarios"]["territory_rules"] = ["a_rule_of_a_newer_version"]
    assert "<li>a_rule_of_a_newer_version</li>" in _box(build_html(res))


def _cells(row: str) -> list[str]:
    return [c.split("</td>", 1)[0] for c in row.split("<td>")[1:]]


def test_the_er_sites_table_gives_each_sites_visits_and_their_change(run, html):
    er = pd.read_parquet(run / "er_sites.parquet")
    t = translator("fr")
    section = html.split('<section id="er">', 1)[1].split("</section>", 1)[0]
    table = section.split('id="er-sites">', 1)[1]
    assert table.startswith(escape(t("er_sites.title")))
    rows = table.split("</table>", 1)[0].split("<tr>")[2:]
    assert len(rows) == er["site"].nunique() >= 1
    cells = _cells(rows[0])
    site = er[er["site"] == 0]
    assert cells[:2] == ["Urgences de Villebourg", "Villebourg (99001)"]
    base = site[site["scenario"] == "baseline"].set_index("replication")
    scen = site[site["scenario"] == "nouveau_centre"].set_index("replication")
    assert cells[2] == t.num(base["visits"].mean(), 0)
    assert cells[4] == t.num(base["avoidable_visits"].mean(), 0)
    assert cells[6] == t.num(60 * base["wait_hours_mean"].mean(), 0)  # stored in hours, shown in minutes
    assert "(minutes)" in table.split("</tr>", 1)[0]
    diff = (scen["visits"] - base["visits"]).mean()
    assert cells[3].startswith(t.num(diff, 0, True) + " [")  # the paired difference and its interval
    wait = 60 * (scen["wait_hours_mean"] - base["wait_hours_mean"]).mean()
    assert cells[7].startswith(t.num(wait, nonzero_digits([wait], 0), True) + " [")  # never a non-zero as 0


def test_the_er_sites_table_lists_the_busiest_sites_first_and_says_how_many_are_left(run):
    er = pd.read_parquet(run / "er_sites.parquet")
    many = pd.concat([er.assign(site=i, name=f"Site {i}", finess=f"{i:09d}", visits=er["visits"] + i)
                      for i in range(MAX_SITES + 4)], ignore_index=True)
    page = er_sites_tables({"er_sites": many}, ["baseline", "nouveau_centre"], translator("en"))
    names = [r.split("<td>", 2)[1].split("</td>")[0] for r in page.split("</table>")[0].split("<tr>")[2:]]
    assert names[:3] == [f"Site {MAX_SITES + 3}", f"Site {MAX_SITES + 2}", f"Site {MAX_SITES + 1}"]
    assert len(names) == MAX_SITES and "… and 4 more sites" in page


def test_the_communes_consultations_and_accessibility_are_on_the_page(run, html):
    com = pd.read_parquet(run / "communes.parquet")
    t = translator("fr")
    assert json.dumps(t("fig.access_map"))[1:-1] in html  # the map's title, in the figure's JSON
    assert escape(t("intro.access")) in html
    table = html.split('<section id="equity">', 1)[1].split("<table>", 1)[1].split("</table>", 1)[0]
    head = table.split("</tr>", 1)[0]
    titles = scenario_titles(json.loads((run / "scenarios.json").read_text()), ["baseline", "nouveau_centre"])
    assert titles["nouveau_centre"] == "Nouveau centre de santé de 4 médecins"  # the page names scenarios by title
    assert escape(t("table.consultations", scenario=titles["baseline"])) in head
    assert escape(t("table.access", scenario=titles["nouveau_centre"])) in head
    first = table.split("</tr>", 1)[1].split("<tr>")[1]
    code = first.split("(", 1)[1].split(")", 1)[0]
    mine = com[com["code"] == code]
    acc = mine.groupby("scenario")["accessibility_index"].mean()
    cons = mine[mine["scenario"] == "baseline"]["gp_consultations_per_inhabitant_year"].mean()
    assert _cells(first)[-3:] == [t.num(cons, 2), t.num(acc["baseline"], 2), t.num(acc["nouveau_centre"], 2)]


def test_results_of_format_1_still_make_a_page(run, tmp_path):
    """A run written before communes.parquet held results: one row per commune, no
    access map, no ER sites table; the page says nothing is wrong."""
    old = tmp_path / "old"
    shutil.copytree(run, old)
    com = pd.read_parquet(old / "communes.parquet")
    com[["code", "name", "population", "lon", "lat"]].drop_duplicates("code").to_parquet(old / "communes.parquet")
    (old / "er_sites.parquet").unlink()
    manifest = json.loads((old / "manifest.json").read_text())
    (old / "manifest.json").write_text(json.dumps({**manifest, "results_format": 1}))
    page = build_html(load_results(old))
    t = translator("fr")
    assert json.dumps(t("fig.access_map"))[1:-1] not in page and 'id="er-sites"' not in page
    assert "Données non disponibles" not in page


def test_merged_runs_keep_the_communes_results_and_every_rule(run):
    a, b = load_results(run), load_results(run)
    b["scenarios"] = {**b["scenarios"], "territory_rules": ["closed_border", "gp_schedules"]}
    for key in ("kpis", "er_sites", "commune_results"):
        b[key] = b[key].assign(scenario=b[key]["scenario"].astype(str) + "_2")
    b["scenarios"]["order"] = [s + "_2" for s in b["scenarios"]["order"]]
    merged = merge_results([a, b])
    assert merged["scenarios"]["territory_rules"] == [*RULE_IDS, "gp_schedules"]
    assert set(merged["commune_results"]["scenario"]) == {"baseline", "nouveau_centre", "baseline_2",
                                                          "nouveau_centre_2"}
    assert merged["communes"]["code"].is_unique

"""france_report: the table of a sweep over départements, a choropleth over the carried
outlines that draws offline, the rules still used, multi-département territories and bad
input in one line."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import ROOT

from simsoins.dashboard.i18n import Translator
from simsoins.territory.france import departements
from simsoins.tools.france_report import PAGE, france_map, geo_assets_script, write_report
from simsoins.tools.france_report import main as report_main
from simsoins.tools.france_rules import rule_text, rules_used
from simsoins.tools.france_table import KEY_KPIS, TABLE_COLUMNS, france_table, job_codes, read_jobs

KPIS = ("routine_wait_days_mean", "routine_time_to_care_days_median", "routine_gave_up_share",
        "er_avoidable_visits_per_1000_year", "acute_within_48h_share")


def _fake_job(job, overrides: list[str], waits: list[float], rules=None, label=None, manifest=None,
              scenario: str = "baseline") -> None:
    """A finished job as a run writes it: overrides, summary.csv, scenarios.json, manifest."""
    (job / ".hydra").mkdir(parents=True)
    (job / ".hydra" / "overrides.yaml").write_text(yaml.safe_dump(["territory=departement", *overrides]))
    rows = []
    for i, kpi in enumerate(KPIS):
        m = float(np.mean(waits)) + i if kpi != "routine_gave_up_share" else 0.01 * len(waits)
        rows.append({"scenario": scenario, "kpi": kpi, "unit": "days", "mean": m, "ci_low": m - 1, "ci_high": m + 1,
                     "n": len(waits), "diff_mean": np.nan, "diff_ci_low": np.nan, "diff_ci_high": np.nan})
    pd.DataFrame(rows).to_csv(job / "summary.csv", index=False)
    info = {"order": [scenario]}
    if label:
        info["territory"] = label
    if rules is not None:
        info["territory_rules"] = rules
    (job / "scenarios.json").write_text(json.dumps(info))
    (job / "manifest.json").write_text(json.dumps({"status": "complete", **(manifest or {})}))


@pytest.fixture()
def sweep(tmp_path):
    _fake_job(tmp_path / "0", ["territory.code=48"], [4.0, 5.0], rules=["communes_at_centroid", "er_rosters"],
              label="Lozère (48)", manifest={"wall_seconds": 12.5, "peak_rss_mb": 310.0})
    pd.DataFrame({"scenario": ["baseline"] * 3, "replication": [0, 0, 1],
                  "finess": ["480000017", "480000025", "480000017"], "name": ["CH Mende", "CH Marvejols", "CH Mende"],
                  "commune": ["48095"] * 3, "visits": [10, 3, 11]}).to_parquet(tmp_path / "0" / "er_sites.parquet")
    _fake_job(tmp_path / "1", ["territory.code=1"], [7.0, 8.0], rules=["communes_at_centroid"])  # Hydra: 01 as 1
    _fake_job(tmp_path / "2", ["territory.departement=2A"], [6.0], rules=[])
    _fake_job(tmp_path / "3", ["territory.code=[41,37,45]"], [9.0], label="Centre-Val de Loire (41, 37, 45)",
              rules=["communes_at_centroid", "closed_border", "a_rule_of_tomorrow"])
    (tmp_path / "4" / ".hydra").mkdir(parents=True)                   # an unfinished job
    return tmp_path


def test_the_table_has_a_row_per_territory_with_its_figures(sweep):
    table = france_table(sweep)
    assert table["code"].tolist() == ["01", "2A", "41+37+45", "48"]
    assert list(table.columns[:len(TABLE_COLUMNS)]) == TABLE_COLUMNS
    lozere = table.set_index("code").loc["48"]
    assert lozere["name"] == "Lozère (48)" and lozere["routine_wait_days_mean"] == 4.5
    assert lozere["routine_wait_days_mean_ci_low"] == 3.5 and lozere["replications"] == 2
    assert lozere["gp_per_100k"] == pytest.approx(100_000 * 48 / 76_486, abs=0.05)
    assert lozere["er_sites"] == 2                                     # first replication's sites
    assert (lozere["wall_seconds"], lozere["peak_rss_mb"]) == (12.5, 310.0)
    assert lozere["territory_rules"] == "communes_at_centroid;er_rosters"
    assert np.isnan(lozere["clinician_utilisation"])                  # not in this fake summary
    ain = table.set_index("code").loc["01"]
    assert ain["name"] == "Ain (01)" and np.isnan(ain["er_sites"]) and np.isnan(ain["wall_seconds"])


def test_a_multi_departement_territory_is_one_row_with_their_sums(sweep):
    row = france_table(sweep).set_index("code").loc["41+37+45"]
    deps = departements().loc[["41", "37", "45"]]
    assert row["departements"] == 3 and row["name"] == "Centre-Val de Loire (41, 37, 45)"
    assert row["population"] == deps["population"].sum() and row["gps"] == deps["gp_2024"].sum()
    assert deps["lon"].min() < row["lon"] < deps["lon"].max()


def test_codes_come_from_the_config_or_the_communes_when_not_overridden(tmp_path):
    from omegaconf import OmegaConf

    job = tmp_path / "0"
    _fake_job(job, ["run.horizon_days=30"], [3.0])        # no territory override: the config's, 41
    OmegaConf.save(OmegaConf.create({"territory": {"name": "departement", "code": "41",
                                                   "departement": "${.code}"}}), job / ".hydra" / "config.yaml")
    assert job_codes(job) == ("41",)
    job = tmp_path / "1"
    _fake_job(job, ["territory.code=R24"], [3.0])         # a code this report does not know: the communes say
    pd.DataFrame({"code": ["41018", "37261", "41269"]}).to_parquet(job / "communes.parquet")
    assert job_codes(job) == ("41", "37")
    assert france_table(tmp_path)["code"].tolist() == ["41", "41+37"]


def test_the_map_is_a_choropleth_of_the_single_departements_over_the_carried_outlines(sweep):
    table = france_table(sweep)
    fig = france_map(table, kpi="routine_time_to_care_days_median")
    shown, rest = fig.data
    assert shown.type == "choropleth" and list(shown.locations) == ["01", "2A", "48"]   # not 41+37+45
    assert list(shown.z) == table.set_index("code").loc[["01", "2A", "48"], "routine_time_to_care_days_median"].tolist()
    assert sorted(f["properties"]["code"] for f in shown.geojson["features"]) == ["01", "2A", "48"]
    assert len(rest.geojson["features"]) == 93 and rest.showscale is False     # the others, grey
    assert fig.layout.geo.visible is False and fig.layout.geo.fitbounds == "locations"
    assert 'topojson["world_110m"]={"type": "Topology"' in geo_assets_script(fig)
    assert france_map(table, kpi="routine_gave_up_share").data[0].colorbar.tickformat == ".0%"


def _section(page: str, start: str) -> str:
    """The page from ``start`` on, entities decoded."""
    return html.unescape(page[page.index(start):])


def test_the_page_has_the_table_sorted_by_the_kpi_and_the_rules_in_french(sweep):
    report_main([str(sweep), "--kpi", "routine_time_to_care_days_median"])
    csv = pd.read_csv(sweep / "france.csv", dtype={"code": str})
    assert len(csv) == 4 and set(TABLE_COLUMNS + [k + s for k in KEY_KPIS for s in ("", "_ci_low")]) <= set(csv)
    page = (sweep / "france.html").read_text(encoding="utf-8")
    assert '"type":"choropleth"' in page and '<script src="http' not in page        # nothing fetched
    assert page.count("<script type=\"text/javascript\">/**") == 1                    # plotly.js once
    table = _section(page, PAGE["fr"]["table"])
    order = [table.index(n) for n in ("Centre-Val de Loire", "Ain (01)", "Corse-du-Sud (2A)", "Lozère (48)")]
    assert order == sorted(order)                                     # 10, 8.5, 7, 5.5 days: descending
    assert "Délai d'accès aux soins programmés, médiane" in table and "<td data-v=\"310.0\">310</td>" in table
    rules = _section(page, PAGE["fr"]["rules"])
    assert Translator("fr")("rule.communes_at_centroid")[:40] in html.unescape(rules)
    assert "(5/6)" in rules and "(2/6)" not in rules and rules.count("(3/6)") == 2   # closed_border, tomorrow's
    assert "(1/6)" in rules and "a_rule_of_tomorrow" in rules                          # er_rosters: Lozère only
    assert "synthétiques" not in page and "Centre-Val de Loire (41, 37, 45) [41+37+45]" in page


def test_the_page_in_english(sweep):
    write_report(sweep, kpi="er_avoidable_visits_per_1000_year", lang="en")
    page = (sweep / "france.html").read_text(encoding="utf-8")
    assert PAGE["en"]["rules"] in page and Translator("en")("rule.closed_border")[:40] in html.unescape(page)
    label = Translator("en").kpi("er_avoidable_visits_per_1000_year")
    assert f"Sorted by “{label}”, descending" in page and "<th>Territory</th>" in page


def test_rules_are_worded_by_the_dashboards_labels():
    assert rule_text("closed_border", Translator("fr")) == Translator("fr")("rule.closed_border")
    assert rule_text("closed_border", Translator("en")) == Translator("en")("rule.closed_border")
    assert rule_text("a_rule_of_tomorrow", Translator("fr")) == "a_rule_of_tomorrow"


def test_rules_are_counted_by_departement(sweep):
    uses = rules_used(read_jobs(sweep)[0], Translator("fr"))
    assert [(u.rule, u.departements) for u in uses] == [("communes_at_centroid", 5), ("er_rosters", 1),
                                                        ("closed_border", 3), ("a_rule_of_tomorrow", 3)]


def test_a_job_with_an_unreadable_file_is_skipped_not_fatal(sweep, caplog):
    (sweep / "1" / "scenarios.json").write_text("{not json")
    table = write_report(sweep)
    assert "01" not in set(table["code"]) and len(table) == 3
    assert "1: " in caplog.text


def command(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "SIMSOINS_CONFIG_DIR"}
    return subprocess.run([sys.executable, "-m", "simsoins.france_report", *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=300)


@pytest.mark.parametrize("args, says", [
    (["{sweep}/nope"], "nope: not a directory"),
    (["{sweep}", "--kpi", "routine_wait"], "--kpi routine_wait: unknown KPI; allowed: routine_time_to_care"),
    (["{sweep}", "--kpi", "no_show_share"], "--kpi no_show_share: no job of"),       # a KPI these jobs lack
    (["{sweep}", "--geojson", "{sweep}/0/summary.csv"], "summary.csv: not a GeoJSON FeatureCollection"),
])
def test_bad_input_is_one_line_exit_2_and_nothing_written(sweep, args, says):
    res = command(*(a.format(sweep=sweep) for a in args))
    assert res.returncode == 2, res.stderr
    assert res.stderr.count("\n") == 1 and says in res.stderr and "Traceback" not in res.stderr
    assert res.stderr.startswith("python -m simsoins.france_report: error: ")
    assert not (sweep / "france.html").exists() and not (sweep / "france.csv").exists()


@pytest.fixture(scope="module")
def real_sweep(tmp_path_factory):
    """Two tiny real jobs (Lozère, Territoire de Belfort), as a user runs a France sweep."""
    out = tmp_path_factory.mktemp("france") / "sweep"
    res = subprocess.run([sys.executable, "-m", "simsoins", "-m", "territory=departement", "territory.code=48,90",
                          "run.horizon_days=21", "run.warmup_days=7", "run.replications=1", "run.jobs=1",
                          f"hydra.sweep.dir={out}"], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert res.returncode == 0, res.stderr[-2000:]
    return out


def test_a_real_sweep_gets_its_report_at_the_end(real_sweep):
    table = pd.read_csv(real_sweep / "france.csv", dtype={"code": str})
    assert table["code"].tolist() == ["48", "90"] and (table["er_sites"] >= 1).all()
    assert (table["wall_seconds"] > 0).all() and (table["peak_rss_mb"] > 50).all()
    for k in ("routine_time_to_care_days_p90", "er_visits_per_1000_year", "gp_consultations_per_inhabitant_year"):
        assert table[k].notna().all() and (table[k] > 0).all(), k
    assert (table["er_visits_per_1000_year"] >= table["er_avoidable_visits_per_1000_year"]).all()
    assert '"type":"choropleth"' in (real_sweep / "france.html").read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="no headless Chromium to render the page")
def test_the_map_draws_offline_in_a_browser(real_sweep, tmp_path):
    """Chromium with every host unresolvable draws the 96 outlines (2 coloured, 94 grey):
    without the empty world map, plotly.js waits for its CDN and draws none."""
    res = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                          "--disable-background-networking", "--disable-component-update", "--disable-sync",
                          f"--user-data-dir={tmp_path / 'profile'}", "--host-resolver-rules=MAP * ~NOTFOUND",
                          "--virtual-time-budget=10000", "--dump-dom", (real_sweep / "france.html").as_uri()],
                         capture_output=True, text=True, timeout=120)
    assert len(re.findall(r'class="choroplethlocation"', res.stdout)) == 96


def test_the_same_sweep_gives_the_same_bytes(sweep):
    write_report(sweep)
    first = [(sweep / n).read_bytes() for n in ("france.csv", "france.html")]
    write_report(sweep)
    assert [(sweep / n).read_bytes() for n in ("france.csv", "france.html")] == first


def test_a_sweep_of_multi_departement_territories_only_has_an_empty_map_and_its_table(tmp_path):
    _fake_job(tmp_path / "0", ["territory.code=[41,37,45]"], [9.0], label="Centre-Val de Loire (41, 37, 45)")
    table = write_report(tmp_path)
    assert table["code"].tolist() == ["41+37+45"]
    fig = france_map(table)
    assert len(fig.data[0].locations) == 0 and len(fig.data[1].locations) == 96
    assert "[41+37+45]" in (tmp_path / "france.html").read_text(encoding="utf-8")

"""The ranking of the scenarios (simsoins/dashboard/ranking.py) and the honest headline's
numbers (simsoins/dashboard/i18n.py, report.py): verdicts with Holm's correction per row,
who gains on a hand example, doses, sorting in a real browser, the rounding rule that
keeps a non-zero difference off 0, ER waits in minutes, and a real 3-scenario page."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from html import escape
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_browser import _chromium, needs_chromium
from test_dashboard import synthetic

from simsoins.dashboard import ranking as R
from simsoins.dashboard.i18n import nonzero_digits, translator
from simsoins.dashboard.report import BEFORE_TIME_TO_CARE, BETTER, build_html, sentence

ROOT = Path(__file__).resolve().parents[1]
UNITS = {"routine_time_to_care_days_median": "days", "routine_seen_within_7d_share": "share",
         "routine_gave_up_share": "share", "acute_within_48h_share": "share",
         "er_visits_per_1000_year": "visits/1000 inhabitants/year",
         "er_avoidable_visits_per_1000_year": "visits/1000 inhabitants/year"}
#: scenario → KPI → (diff_mean, diff_ci_low, diff_ci_high, diff_p)
DIFFS = {
    "cpts": {"routine_time_to_care_days_median": (-0.058, -0.071, -0.045, 0.001),   # the example
             "routine_seen_within_7d_share": (-0.016, -0.019, -0.013, 0.0001),      # fewer seen in 7 days: worse
             "routine_gave_up_share": (0.002, -0.001, 0.005, 0.2),
             "acute_within_48h_share": (0.01, 0.002, 0.018, 0.03),                  # CI off 0, but not after Holm
             "er_visits_per_1000_year": (-3.0, -4.0, -2.0, 0.0005),
             "er_avoidable_visits_per_1000_year": (-2.0, -2.5, -1.5, 0.0002)},
    "tele": {"routine_time_to_care_days_median": (-2.0, -2.4, -1.6, 0.0001),
             "routine_seen_within_7d_share": (0.03, 0.02, 0.04, 0.0001),
             "routine_gave_up_share": (-0.01, -0.015, -0.005, 0.001),
             "acute_within_48h_share": (0.0, -0.01, 0.01, 1.0),
             "er_visits_per_1000_year": (4.0, 1.0, 7.0, 0.01),
             "er_avoidable_visits_per_1000_year": (1.0, -1.0, 3.0, 0.3)},
    "sas": {"routine_time_to_care_days_median": (0.3, 0.1, 0.5, 0.004)},
}
ORDER = ["baseline", "cpts", "tele", "sas"]


def hand_summary() -> pd.DataFrame:
    rows = [dict(scenario="baseline", kpi=k, unit=u, mean=1.0, diff_mean=np.nan, diff_ci_low=np.nan,
                 diff_ci_high=np.nan, diff_p=np.nan) for k, u in UNITS.items()]
    rows += [dict(scenario=s, kpi=k, unit=UNITS[k], mean=1.0, diff_mean=m, diff_ci_low=lo, diff_ci_high=hi, diff_p=p)
             for s, d in DIFFS.items() for k, (m, lo, hi, p) in d.items()]
    return pd.DataFrame(rows).set_index(["scenario", "kpi"])


def hand_groups() -> pd.DataFrame:
    """Time to care by commune, 3 replications: the reference waits 5 days everywhere;
    per replication, cpts changes commune A by −1.0/−1.2/−0.8, B by −2.1/−1.9/−2.0, C by
    −0.5/+0.5/0 (no clear change), D by +1.0/+1.1/+0.9 (longer)."""
    change = {"A": (-1.0, -1.2, -0.8), "B": (-2.1, -1.9, -2.0), "C": (-0.5, 0.5, 0.0), "D": (1.0, 1.1, 0.9)}
    rows = []
    for c, d in change.items():
        for r in range(3):
            rows.append(("baseline", r, "commune", c, "routine_time_to_care_days_median", 5.0))
            rows.append(("cpts", r, "commune", c, "routine_time_to_care_days_median", 5.0 + d[r]))
            rows.append(("tele", r, "commune", c, "routine_time_to_care_days_median", 5.0 + 0.01 * r))
    return pd.DataFrame(rows, columns=["scenario", "replication", "group_type", "group", "kpi", "value"])


def hand_results() -> dict:
    communes = pd.DataFrame({"code": ["A", "B", "C", "D"], "name": ["Ambloy", "Blois", "Cour", "Dhuizon"],
                             "population": [1000.0, 3000.0, 500.0, 200.0], "lon": [1.0] * 4, "lat": [47.0] * 4})
    kpis = []  # slots offered / requested a week: cpts adds none, tele adds 47 slots a week
    for s, extra in (("baseline", 0.0), ("cpts", 0.0), ("tele", 47.0), ("sas", 0.0)):
        for r in range(3):
            kpis += [(s, r, "gp_slots_offered_per_week", "slots/week", 1000.0 + extra),
                     (s, r, "gp_requests_per_week", "requests/week", 900.0)]
    configs = {"tele": "scenario:\n  name: tele\n  levers:\n    teleconsultation:\n      extra_slots_per_hour: 8\n"
                       "      uptake_gain: 0.2\n",
               "cpts": "scenario: {name: cpts, levers: {cpts: {enabled: true, pool_share: 0.1}}}\n"}
    return {"groups": hand_groups(), "communes": communes,
            "kpis": pd.DataFrame(kpis, columns=["scenario", "replication", "kpi", "unit", "value"]),
            "scenarios": {"order": ORDER, "configs": configs}}


@pytest.fixture(scope="module")
def table() -> str:
    return R.ranking_section(hand_results(), hand_summary(), ORDER, translator("fr"), BETTER, BEFORE_TIME_TO_CARE)


def _rows(html: str) -> list[list[str]]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [r.split("</tr>")[0].split("<td")[1:] for r in body.split("<tr>")[1:]]


def test_one_row_per_scenario_in_order_with_the_six_kpis_and_the_dose_and_who_columns(table):
    rows = _rows(table)
    assert [r[0].split("<b>")[1].split("</b>")[0] for r in rows] == ["cpts", "tele", "sas"]
    assert all(len(r) == 1 + 1 + 6 + 1 for r in rows)
    head = table.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert head.count("<th") == 9 and "Qui y gagne" in head and "Renoncements" in head
    assert head.count('data-dir="-1"') == 1 + 4  # scenario, time to care, gave up, both ER visits: lower first


def test_cells_give_the_difference_its_interval_and_a_verdict(table):
    cpts = _rows(table)[0]
    assert cpts[2] == (' class="better" data-v="-0.058">−0,06<br>[−0,07 ; −0,05]'
                       '<span class="verdict">mieux</span></td>')
    assert 'class="worse"' in cpts[3] and "−1,6<br>[−1,9 ; −1,3]<span" in cpts[3] and ">pire<" in cpts[3]
    assert 'class="ns"' in cpts[4] and "pas de différence démontrée" in cpts[4]
    # the acute share's CI is off 0 (p = 0.03): Holm, 5th smallest p of the row's 6, needs p ≤ 0.05/2
    assert 'class="ns"' in cpts[5] and "+1,0<br>[+0,2 ; +1,8]<span" in cpts[5]
    tele = _rows(table)[1]
    assert 'class="worse"' in tele[6] and "+4,0<br>[+1,0 ; +7,0]" in tele[6]  # more ER visits: worse, shown
    sas = _rows(table)[2]
    assert 'class="worse"' in sas[2] and sas[3:8] == [' data-v="">—</td>'] * 5  # KPIs it lacks: a dash


def test_the_dose_cell_gives_slots_per_100k_the_lever_sizes_and_says_organisational(table):
    cpts, tele, sas = _rows(table)
    assert "organisationnel" in cpts[1] and "cpts.pool_share = 0.1" in cpts[1]
    # 47 slots a week for 4,700 inhabitants → 1,000 per 100,000
    assert tele[1].startswith(' data-v="1000">+1\u202f000,0<br>')
    assert "teleconsultation.extra_slots_per_hour = 8" in tele[1] and "uptake_gain" not in tele[1]
    assert sas[1] == ' data-v="0">organisationnel</td>'  # no stored config: no size to show


def test_who_gains_on_a_hand_example(table):
    effects = R.commune_effects(hand_results(), "baseline")
    w = R.who_gains(effects, "cpts")
    # A (1,000 inh., −1.0 d) and B (3,000 inh., −2.0 d) gain; C's CI spans 0; D (200 inh.) loses 1.0 d
    assert w["gain_pop"] == 4000 and w["gain_days"] == pytest.approx((1000 * 1.0 + 3000 * 2.0) / 4000)
    assert w["loss_pop"] == 200 and w["loss_days"] == pytest.approx(1.0)
    cpts, tele, _ = _rows(table)
    assert cpts[-1] == ' data-v="4000">4\u202f000 habitants gagnent 1,8 jour<br>200 habitants perdent 1,0 jour</td>'
    assert tele[-1] == ' data-v="0">—</td>'  # longer everywhere by a hair, never clearly: nobody


def test_the_table_says_how_it_counts_and_sorts(table):
    assert escape("correction de Holm sur les 6 indicateurs de chaque ligne") in table
    assert "IC 95 % entièrement sous 0" in table and "pondéré" in table
    assert table.count("<script>") == 1 and "Plotly" not in table


def test_no_ranking_below_two_scenarios_besides_the_reference():
    assert R.ranking_section(hand_results(), hand_summary(), ORDER[:2], translator("fr"), BETTER) == ""
    page = build_html(synthetic(scenarios=["baseline", "cpts"]))
    assert '<section id="ranking">' not in page and 'href="#ranking"' not in page


def test_english_verdicts():
    en = R.ranking_section(hand_results(), hand_summary(), ORDER, translator("en"), BETTER)
    assert ">better<" in en and ">worse<" in en and ">no difference shown<" in en
    assert "4,000 inhabitants gain 1.8 days" in en


# ------------------------------------------------------------------ sorting in Chromium

CLICKS = """<script>window.addEventListener('load',function(){
var ths=document.querySelectorAll('table.ranking th'),out=[];
function names(){return Array.prototype.map.call(document.querySelectorAll('table.ranking tbody tr'),
function(r){return r.cells[0].querySelector('b').textContent;}).join(',');}
ths[2].click();out.push(names());ths[2].click();out.push(names());ths[3].click();out.push(names());
ths[8].click();out.push(names());ths[2].className.indexOf('desc')<0||out.push('stale-arrow');
var d=document.createElement('div');d.id='out';d.textContent=out.join('|');document.body.appendChild(d);});</script>"""


@needs_chromium
def test_clicking_a_header_sorts_the_rows_offline(tmp_path, table):
    page = tmp_path / "ranking.html"
    page.write_text(f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>{table}{CLICKS}</body></html>",
                    encoding="utf-8")
    res = _chromium(["--dump-dom"], page, tmp_path / "profile")
    dom = res.stdout.decode()
    out = dom.split('<div id="out">', 1)[1].split("</div>", 1)[0]
    # time to care (lower is better): best first (tele −2.0, cpts −0.058, sas +0.3), then reversed;
    # seen within 7 days (higher is better): tele +3 pts, cpts −1.6 pts, sas has none (last);
    # who gains: most inhabitants first
    assert out.split("|") == ["tele,cpts,sas", "sas,cpts,tele", "tele,cpts,sas", "cpts,tele,sas"]


# ------------------------------------------------------------------ the honest numbers

def test_the_rounding_rule_keeps_a_non_zero_difference_off_zero():
    t = translator("fr")
    assert t.diff(-0.058, -0.071, -0.045, "days") == "−0,06 [−0,07 ; −0,05]"  # not "−0,1 [−0,1 ; 0,0]"
    assert t.diff(-1.3, -1.5, -1.1, "days") == "−1,3 [−1,5 ; −1,1]"  # one decimal when it is enough
    assert t.diff(0.3, -0.004, 0.6, "days") == "+0,300 [−0,004 ; +0,600]"  # the bound below 0 stays below
    assert t.diff(0.0, -0.2, 0.2, "days") == "0,0 [−0,2 ; +0,2]"
    assert nonzero_digits([0.00049], 1) == 4 and nonzero_digits([float("nan"), 0.0, 12.0], 1) == 1
    assert translator("en").diff(-0.00058, -0.00071, -0.00045, "share") == "−0.06 [−0.07, −0.05] pp"


def test_headline_and_sentences_use_the_rule():
    t = translator("fr")
    base = pd.Series(dict(unit="days", mean=4.1, ci_low=3.9, ci_high=4.3))
    scen = pd.Series(dict(unit="days", mean=4.042, ci_low=3.85, ci_high=4.25, diff_mean=-0.058, diff_ci_low=-0.071,
                          diff_ci_high=-0.045))
    assert sentence("routine_time_to_care_days_median", base, scen, t).endswith(
        "passe de 4,1 à 4,0 jours (différence −0,06 jour, IC 95 % −0,07 à −0,05).")
    res = synthetic(scenarios=["baseline", "cpts"])
    s = res["summary"]
    at = (s["scenario"] == "cpts") & (s["kpi"] == "routine_gave_up_share")
    s.loc[at, ["diff_mean", "diff_ci_low", "diff_ci_high"]] = [-0.00058, -0.00071, -0.00045]
    head = build_html(res).split('<section id="headline">', 1)[1].split("</section>", 1)[0]
    assert '<td class="better">−0,06 [−0,07 ; −0,05] pts</td>' in head


def test_er_waits_are_shown_in_minutes():
    t = translator("fr")
    base = pd.Series(dict(unit="hours", mean=0.7, ci_low=0.65, ci_high=0.75))
    scen = pd.Series(dict(unit="hours", mean=0.6, ci_low=0.55, ci_high=0.65, diff_mean=-0.1, diff_ci_low=-0.12,
                          diff_ci_high=-0.08))
    assert sentence("er_wait_hours_mean", base, scen, t) == (
        "L'attente moyenne aux urgences passe de 42 à 36 minutes (différence −6 minutes, IC 95 % −7 à −5).")
    res = synthetic(scenarios=["baseline", "cpts"])  # 3.5 h in the reference, 30 % shorter in cpts
    head = build_html(res).split('<section id="headline">', 1)[1].split("</section>", 1)[0]
    row = head.split("Attente moyenne aux urgences (minutes)</td>", 1)[1].split("</tr>", 1)[0]
    b = res["summary"].set_index(["scenario", "kpi"]).loc[("baseline", "er_wait_hours_mean")]
    assert row.startswith(f"<td>{round(60 * b['mean'])} [") and "(heures)" not in head
    assert "0,7 h" not in head and "3,5 [" not in row
    minutes = 60 * b["mean"]  # the sentence under the table says the same, scaled once
    assert f"L'attente moyenne aux urgences passe de {round(minutes)} à" in head.replace("&#x27;", "'")


# ------------------------------------------------------------------ a real 3-scenario page

@pytest.fixture(scope="module")
def real_page(tmp_path_factory) -> tuple[Path, str]:
    """Two tiny runs (cpts, teleconsultation, each with its baseline) merged by
    ``python -m simsoins.dashboard DIR1 DIR2``."""
    tmp = tmp_path_factory.mktemp("ranking")
    env = {k: v for k, v in os.environ.items() if k != "SIMSOINS_CONFIG_DIR"}
    for sc in ("cpts", "teleconsultation"):
        res = subprocess.run([sys.executable, "-m", "simsoins", "territory=exemple", f"scenario={sc}",
                              "run.replications=2", "run.horizon_days=28", "run.warmup_days=7", "run.jobs=1",
                              "dashboard.write=false", f"hydra.run.dir={tmp / sc}"],
                             capture_output=True, text=True, cwd=ROOT, timeout=600, env=env)
        assert res.returncode == 0, res.stderr
    out = tmp / "both.html"
    res = subprocess.run([sys.executable, "-m", "simsoins.dashboard", tmp / "cpts", tmp / "teleconsultation",
                          "--out", out], capture_output=True, text=True, cwd=ROOT, timeout=600, env=env)
    assert res.returncode == 0, res.stderr
    return tmp, out.read_text(encoding="utf-8")


def test_a_real_three_scenario_page_has_the_ranking(real_page):
    tmp, page = real_page
    section = page.split('<section id="ranking">', 1)[1].split("</section>", 1)[0]
    assert section.startswith("<h2>2. Classement des scénarios</h2>")
    rows = _rows(section)
    titles = [r[0].split("<b>")[1].split("</b>")[0] for r in rows]  # titles from the runs' parameters
    assert [x.split(" ")[0] for x in titles] == ["CPTS", "Téléconsultation"], titles
    assert all(len(r) == 9 for r in rows)
    assert "organisationnel" in rows[0][1]  # the CPTS moves slots, adds none
    assert "teleconsultation.extra_slots_per_hour = 8" in rows[1][1]
    assert page.index('<section id="ranking">') < page.index('<section id="routine">')
    # the warnings of this run: synthetic territory, 28 days measured, 2 replications
    box = page.split('<div class="warnings"', 1)[1].split("</div>", 1)[0]
    assert "Territoire fictif" in box and "Période mesurée de 28 jours" in box and "Seulement 2 réplication" in box
    assert json.loads((tmp / "cpts" / "scenarios.json").read_text())["synthetic_territory"] is True


def test_a_size_cut_to_the_territory_shows_the_applied_value_beside_the_asked_one():
    cfg = {"scenario": {"levers": {"assistants_medicaux": {"count": 30, "acts_gain": 0.072}}}}
    capped = [{"lever": "assistants_medicaux", "key": "count", "asked": 30, "applied": 10, "limit": 10}]
    assert R.lever_sizes(cfg) == ["assistants_medicaux.count = 30"]
    assert R.lever_sizes(cfg, capped, translator("fr")) == [
        "assistants_medicaux.count = 10 (demandé : 30, limite du territoire)"]
    assert R.lever_sizes(cfg, [{**capped[0], "key": "other"}], translator("fr")) == ["assistants_medicaux.count = 30"]

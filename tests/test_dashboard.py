"""Tests of the planners' dashboard (simsoins.dashboard) on small synthetic result tables."""

from __future__ import annotations

import json
import subprocess
import sys
from html import escape
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from plotly.offline import get_plotlyjs
from scipy import stats

from simsoins.dashboard import figures as F
from simsoins.dashboard import maps as M
from simsoins.dashboard.i18n import CHANNEL_ORDER, translator
from simsoins.dashboard.report import SECTIONS, build_html, load_results, sentence, write_dashboard

ROOT = Path(__file__).resolve().parents[1]
EVIL = "<script>alert(1)</script>"
SCENARIOS = ["baseline", "cpts"]
KPIS = {"routine_time_to_care_days_median": "days", "routine_time_to_care_days_p90": "days",
        "routine_seen_within_7d_share": "share", "routine_gave_up_share": "share",
        "er_visits_per_1000_year": "visits/1000 inhabitants/year", "routine_wait_days_median": "days",
        "routine_wait_days_mean": "days", "routine_wait_days_p90": "days",
        "routine_within_2d_share": "share", "routine_within_7d_share": "share", "acute_within_48h_share": "share",
        "er_avoidable_visits_per_1000_year": "visits/1000 inhabitants/year", "er_wait_hours_mean": "hours",
        "without_mt_share": "share", "gp_consultations_per_inhabitant_year": "consultations/inhabitant/year",
        "clinician_utilisation": "share"}
BASE = {"routine_time_to_care_days_median": 3.5, "routine_time_to_care_days_p90": 12.0,
        "routine_seen_within_7d_share": 0.75, "routine_gave_up_share": 0.1, "er_visits_per_1000_year": 300.0,
        "routine_wait_days_median": 3.0, "routine_wait_days_mean": 4.1, "routine_wait_days_p90": 9.0,
        "routine_within_2d_share": 0.40, "routine_within_7d_share": 0.80, "acute_within_48h_share": 0.70,
        "er_avoidable_visits_per_1000_year": 80.0, "er_wait_hours_mean": 3.5, "without_mt_share": 0.11,
        "gp_consultations_per_inhabitant_year": 4.2, "clinician_utilisation": 0.9}


def _summary(kpis: pd.DataFrame, baseline: str) -> pd.DataFrame:
    """summary.csv as the simulation writes it (Student-t CIs, paired differences)."""
    def ci(x):
        x = np.asarray(x, float)
        h = stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x))
        return x.mean(), x.mean() - h, x.mean() + h, len(x)
    rows = []
    for (s, k), d in kpis.groupby(["scenario", "kpi"], sort=False):
        m, lo, hi, n = ci(d["value"])
        row = dict(scenario=s, kpi=k, unit=d["unit"].iloc[0], mean=m, ci_low=lo, ci_high=hi, n=n,
                   diff_mean=np.nan, diff_ci_low=np.nan, diff_ci_high=np.nan)
        if s != baseline:
            b = kpis[(kpis["scenario"] == baseline) & (kpis["kpi"] == k)].set_index("replication")["value"]
            dm, dlo, dhi, _ = ci(d.set_index("replication")["value"] - b)
            row.update(diff_mean=dm, diff_ci_low=dlo, diff_ci_high=dhi)
        rows.append(row)
    return pd.DataFrame(rows)


def synthetic(scenarios=SCENARIOS, reps: int = 3, seed: int = 1, kpis: dict[str, str] = KPIS) -> dict:
    """Small result tables in the simulation's schema (the KPIs of ``kpis``); scenario i
    shortens waits."""
    rng = np.random.default_rng(seed)
    communes = pd.DataFrame({"code": ["41001", "41002", "41003", "41004"],
                             "name": ["Ambloy", "Angé", EVIL, "Blois"],
                             "population": [187.0, 795.0, 1200.0, 45000.0],
                             "lon": [0.97, 1.24, 1.10, 1.33], "lat": [47.71, 47.32, 47.50, 47.59]})
    k, g, se, q, ch, u = [], [], [], [], [], []
    for i, s in enumerate(scenarios):
        for r in range(reps):
            eff = 1 - 0.3 * i
            for kpi, unit in kpis.items():
                v = BASE[kpi] * (eff if unit in ("days", "hours") else 1 + 0.1 * i) * (1 + 0.01 * rng.normal())
                k.append((s, r, kpi, unit, v))
            for gt, groups in (("age_band", ["0-14", "15-44", "75+"]), ("commune", list(communes["code"]))):
                for j, grp in enumerate(groups):
                    wait = 4.1 * eff * (2.0 if grp == "41003" else 1 + 0.1 * j) + 0.05 * rng.normal()
                    g += [(s, r, gt, grp, "routine_wait_days_mean", wait)]
                    if "routine_time_to_care_days_median" in kpis:
                        g.append((s, r, gt, grp, "routine_time_to_care_days_median", 1.1 * wait))
                    g += [
                          (s, r, gt, grp, "acute_within_48h_share", 0.7 + 0.05 * i + 0.01 * rng.normal())]
            for w in range(10):
                peak = 1.5 if 3 <= w <= 5 else 1.0
                se += [(s, r, w, "routine_wait_days_mean", 4.1 * eff * peak + 0.1 * rng.normal()),
                       (s, r, w, "er_visits", 300 * peak), (s, r, w, "er_avoidable_visits", 60 * peak * eff),
                       (s, r, w, "er_wait_hours_mean", 3.5 * peak), (s, r, w, "without_mt_share", 0.11)]
            grid = np.linspace(0, 1, 101)
            q += [(s, r, float(x), float(20 * eff * x ** 2)) for x in grid]
            for o in CHANNEL_ORDER:
                ch += [(s, r, "acute", o, int(rng.integers(50, 200))), (s, r, "routine", o, 500)]
            for p in range(5):
                u.append((s, r, p, f"Dr {p}", "clinician", 100, int(rng.integers(60, 100)), 3))
            u += [(s, r, 5, "tele_platform", "tele", 200, 120 + 20 * i, 5),
                  (s, r, 6, "evening", "evening", 100, 80, 2)]
    table = pd.DataFrame(k, columns=["scenario", "replication", "kpi", "unit", "value"])
    return {
        "summary": _summary(table, scenarios[0]), "kpis": table,
        "groups": pd.DataFrame(g, columns=["scenario", "replication", "group_type", "group", "kpi", "value"]),
        "series": pd.DataFrame(se, columns=["scenario", "replication", "week", "series", "value"]),
        "quantiles": pd.DataFrame(q, columns=["scenario", "replication", "q", "wait_days"]),
        "channels": pd.DataFrame(ch, columns=["scenario", "replication", "need", "outcome", "count"]),
        "utilisation": pd.DataFrame(u, columns=["scenario", "replication", "provider", "name", "kind", "offered",
                                                "booked", "no_show"]),
        "communes": communes,
        "scenarios": {"order": list(scenarios), "labels": {s: f"Scénario {s}" for s in scenarios},
                      "configs": {s: f"name: {s}\nlevers: {{}}  # <b>not bold</b>\n" for s in scenarios},
                      "territory": "Loir-et-Cher (41)", "start_date": "2026-11-02"},
    }


def write_run(d: Path, res: dict) -> Path:
    """Write ``res`` as a run directory (the simulation's file names)."""
    d.mkdir(parents=True, exist_ok=True)
    for key, df in res.items():
        if key == "summary":
            df.to_csv(d / "summary.csv", index=False)
        elif key == "scenarios":
            (d / "scenarios.json").write_text(json.dumps(df, ensure_ascii=False), encoding="utf-8")
        else:
            df.to_parquet(d / f"{key}.parquet", index=False)
    return d


@pytest.fixture(scope="module")
def res() -> dict:
    return synthetic()


@pytest.fixture(scope="module")
def html_fr(res) -> str:
    return build_html(res)


def test_plotlyjs_inlined_once_and_offline(html_fr):
    js = get_plotlyjs()
    assert html_fr.count(js[:400]) == 1
    assert html_fr.index(js[:400]) < html_fr.index("</head>")
    assert "<script src=" not in html_fr and "cdn.plot.ly" not in html_fr.replace(js, "")
    assert html_fr.replace(js, "").count("Plotly.newPlot(") == 12  # one call per figure (the difference map: 12th)


def test_every_section_present(html_fr):
    for name in SECTIONS:  # the ranking needs two scenarios besides the reference (tests/test_ranking.py)
        assert (f'<section id="{name}">' in html_fr) == (name != "ranking")
    for heading in ("Résultats principaux", "Délais pour un rendez-vous programmé", "Demandes de soins non programmés",
                    "Urgences", "Évolution dans le temps", "Équité", "Capacités", "Paramètres des scénarios"):
        assert heading in html_fr
    assert "Données non disponibles" not in html_fr
    assert html_fr.count("<details>") == len(SCENARIOS)


def test_french_by_default_english_option(res, html_fr):
    assert '<html lang="fr">' in html_fr
    assert escape("Délai d'accès aux soins programmés, médiane, toutes demandes (jours)") in html_fr
    assert json.dumps("Son médecin traitant")[1:-1] in html_fr  # Sankey label, inside the figure JSON
    assert escape("Le délai médian d'accès aux soins programmés (toutes les demandes, renoncements compris) passe de "
                  "3,5 à") in html_fr
    en = build_html(res, lang="en")
    assert '<html lang="en">' in en
    assert "Time to scheduled care, median, all requests (days)" in en
    assert escape("Délai d'accès aux soins programmés") not in en
    assert "The median time to scheduled care (every request, gave-ups included) goes from 3.5 to" in en


def test_sentences_french_numbers_and_significance():
    t = translator("fr")
    base = pd.Series(dict(unit="days", mean=4.1, ci_low=3.9, ci_high=4.3))
    scen = pd.Series(dict(unit="days", mean=2.8, ci_low=2.6, ci_high=3.0, diff_mean=-1.3, diff_ci_low=-1.5,
                          diff_ci_high=-1.1))
    assert sentence("routine_wait_days_mean", base, scen, t) == (
        "Le délai moyen des rendez-vous programmés obtenus (hors renoncements) passe de 4,1 à 2,8 jours "
        "(différence −1,3 jour, IC 95 % −1,5 à −1,1).")
    ns = scen.copy()
    ns[["diff_mean", "diff_ci_low", "diff_ci_high"]] = [-0.1, -0.3, 0.1]
    assert "différence non significative" in sentence("routine_wait_days_mean", base, ns, t)
    share = pd.Series(dict(unit="share", mean=0.42, ci_low=0.4, ci_high=0.44))
    s2 = pd.Series(dict(unit="share", mean=0.551, ci_low=0.53, ci_high=0.57, diff_mean=0.131, diff_ci_low=0.11,
                        diff_ci_high=0.152))
    assert "passe de 42,0\u00a0% à 55,1\u00a0% (différence +13,1 points, IC 95 % +11,0 à +15,2)" in sentence(
        "routine_within_2d_share", share, s2, t)
    assert t.num(1234.5) == "1\u202f234,5" and translator("en").num(1234.5) == "1,234.5"


def test_baseline_only_shows_kpis_with_ci():
    html = build_html(synthetic(scenarios=["baseline"]))
    assert "Seule la situation de référence" in html
    assert escape("Délai d'accès aux soins programmés, médiane, toutes demandes (jours)") in html
    assert "IC 95 %" in html and "passe de" not in html


def test_commune_named_script_is_escaped(res, html_fr):
    assert EVIL not in html_fr
    assert escape(EVIL) in html_fr
    assert "&lt;b&gt;not bold&lt;/b&gt;" in html_fr  # config YAML is escaped too
    fig = M.commune_map(res["groups"], res["communes"], SCENARIOS, F.scenario_colors(SCENARIOS), translator())
    text = " ".join(_first_view(fig).text)
    assert escape(EVIL) in text and EVIL not in text


def _names(fig) -> list[str]:
    return list(dict.fromkeys(tr.name for tr in fig.data))


def _first_view(fig):
    """A map's first scenario's commune trace (the département outline, if any, comes first)."""
    return next(tr for tr in fig.data if tr.meta != M.ALWAYS)


def test_figures_cover_every_scenario_in_order(res):
    order = ["baseline", "cpts", "tele"]
    r = synthetic(scenarios=order)
    colors, t = F.scenario_colors(order), translator()
    assert colors["baseline"] == F.BASELINE_GREY and len(set(colors.values())) == 3
    figs = [F.routine_ecdf(r["quantiles"], order, colors, t), F.routine_shares(r["kpis"], order, colors, t),
            F.acute_sankey(r["channels"], order, colors, t),
            F.weekly_figure(r["series"], "er_avoidable_visits", order, colors, t, "2026-11-02"),
            F.weekly_figure(r["series"], "without_mt_share", order, colors, t),
            F.equity_age(r["groups"], order, colors, t),
            F.clinician_utilisation(r["utilisation"], order, colors, t),
            F.channel_utilisation(r["utilisation"], order, colors, t)]
    for fig in figs:
        assert _names(fig) == order, fig.layout.title.text
        assert "(" in fig.layout.title.text  # the unit is in the title
    fig = M.commune_map(r["groups"], r["communes"], order, colors, t)
    assert _names(go.Figure(data=[tr for tr in fig.data if tr.meta != M.ALWAYS])) == order
    # display order is the given order, not the tables' order
    rev = order[::-1]
    assert _names(F.routine_ecdf(r["quantiles"], rev, colors, t)) == rev


def test_write_dashboard_atomic_and_missing_file(tmp_path, res):
    partial = {k: v for k, v in res.items() if k != "series"}
    out = write_dashboard(partial, tmp_path / "sub" / "dashboard.html")
    assert out.is_file() and not (tmp_path / "sub" / "dashboard.html.tmp").exists()
    text = out.read_text(encoding="utf-8")
    assert "Données non disponibles (fichier series.parquet absent ou vide)." in text


def test_load_results_roundtrip(tmp_path, res):
    d = write_run(tmp_path / "run", {k: v for k, v in res.items() if k != "utilisation"})
    loaded = load_results(d)
    assert "utilisation" not in loaded and set(loaded) == set(res) - {"utilisation"}
    assert loaded["scenarios"]["territory"] == "Loir-et-Cher (41)"
    assert all(isinstance(c, str) for c in loaded["communes"]["code"])  # INSEE codes stay text


def _cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "simsoins.dashboard", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def test_cli_rebuilds_from_run_dirs(tmp_path, res):
    d = write_run(tmp_path / "run1", res)
    p = _cli(d)
    assert p.returncode == 0, p.stderr
    html = (d / "dashboard.html").read_text(encoding="utf-8")
    assert "Résultats principaux" in html and escape(EVIL) in html and EVIL not in html
    d2 = write_run(tmp_path / "run2", synthetic(scenarios=["baseline", "tele"], seed=2))
    out = tmp_path / "both_en.html"
    p = _cli(d, d2, "--lang", "en", "--out", out)
    assert p.returncode == 0, p.stderr
    both = out.read_text(encoding="utf-8")
    assert "Headline results" in both and "tele compared with baseline" in both
    assert "cpts compared with baseline" in both and both.count("<details>") == 3


def test_cli_missing_directory_exits_2(tmp_path):
    p = _cli(tmp_path / "nope")
    assert p.returncode == 2
    assert len(p.stderr.strip().splitlines()) == 1 and "nope" in p.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _cli(empty).returncode == 2


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_channel_of_the_vocabulary_has_a_label_and_a_colour(lang):
    from simsoins.vocabulary import CHANNELS

    t = translator(lang)
    assert list(CHANNEL_ORDER) == list(CHANNELS)
    for channel in CHANNELS:
        assert t.has(f"channel.{channel}"), f"no {lang} label for channel {channel}"
        assert t.channel(channel) != channel
        assert channel in F.CHANNEL_COLORS, f"no colour for channel {channel}"
    assert len({F.CHANNEL_COLORS[c] for c in CHANNELS}) == len(CHANNELS)  # told apart in the Sankey


def test_the_dashboard_never_imports_the_simulation():
    modules = ["simsoins.dashboard", "simsoins.dashboard.__main__", "simsoins.dashboard.equity",
               "simsoins.dashboard.export", "simsoins.dashboard.figures", "simsoins.dashboard.i18n",
               "simsoins.dashboard.plotly_locale", "simsoins.dashboard.report"]
    code = ("import importlib, sys\n"
            f"for m in {modules!r}:\n"
            "    importlib.import_module(m)\n"
            "print(' '.join(sorted(sys.modules)))")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert p.returncode == 0, p.stderr
    loaded = p.stdout.split()
    assert "simsoins.dashboard.report" in loaded
    for engine in ("simsoins.sim", "simsoins.levers", "simsoins.territory"):
        assert not [m for m in loaded if m == engine or m.startswith(engine + ".")], engine


def _headline_rows(html: str) -> list[str]:
    """The KPI labels of the headline section's first table, in order."""
    section = html.split('<section id="headline">', 1)[1].split("</table>", 1)[0]
    return [cell.split("</td>", 1)[0] for cell in section.split("<tr><td>")[1:]]


def test_headline_counts_every_request_and_shows_giving_up_and_er_visits(html_fr):
    t = translator("fr")
    rows = _headline_rows(html_fr)
    assert rows[:3] == [escape(t.kpi(k)) for k in ("routine_time_to_care_days_median", "routine_time_to_care_days_p90",
                                                   "routine_seen_within_7d_share")]
    for kpi in ("routine_gave_up_share", "er_visits_per_1000_year", "er_avoidable_visits_per_1000_year"):
        assert escape(t.kpi(kpi)) in rows, kpi
    assert not [r for r in rows if "hors renoncements" in r]  # no booked-only wait in the headline
    assert "Kaplan–Meier" in html_fr.split('<section id="routine">')[0]  # the headline says how it counts


def test_headline_of_results_written_before_time_to_care_shows_the_booked_only_waits():
    old = {k: v for k, v in KPIS.items() if "time_to_care" not in k and "seen_within" not in k}
    rows = _headline_rows(build_html(synthetic(kpis=old)))
    t = translator("fr")
    assert rows[:3] == [escape(t.kpi(k)) for k in ("routine_wait_days_median", "routine_wait_days_p90",
                                                   "routine_within_7d_share")]
    assert escape(t.kpi("routine_gave_up_share")) in rows


def test_equity_shows_time_to_care_when_the_run_has_it(res):
    order, t = SCENARIOS, translator("fr")
    colors = F.scenario_colors(order)
    fig = M.commune_map(res["groups"], res["communes"], order, colors, t)
    assert fig.layout.title.text.startswith("Délai médian d'accès aux soins programmés, toutes demandes")
    g = res["groups"]
    mean = g[(g["kpi"] == "routine_time_to_care_days_median") & (g["group"] == "41003")
             & (g["scenario"] == "baseline")]["value"].mean()
    first = _first_view(fig)
    assert np.isclose(first.marker.color[list(first.text).index(f"{escape(EVIL)} (41003)")], round(mean, 2))
    old = g[g["kpi"] != "routine_time_to_care_days_median"]
    assert "hors renoncements" in M.commune_map(old, res["communes"], order, colors, t).layout.title.text
    assert "hors renoncements" in F.equity_age(old, order, colors, t).layout.annotations[0].text

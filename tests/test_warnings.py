"""The warnings box at the top of the dashboard (simsoins/dashboard/warnings.py): few
replications, a short measured period, a synthetic territory, capped doses; built from
hand-made results dicts."""

from __future__ import annotations

from html import escape

from test_dashboard import EVIL, synthetic

from simsoins.dashboard.i18n import translator
from simsoins.dashboard.report import build_html
from simsoins.dashboard.warnings import warning_lines, warnings_box


def _box(page: str) -> str:
    return page.split('<div class="warnings" role="note">', 1)[1].split("</div>", 1)[0]


def test_few_replications_is_a_warning_box_at_the_top_of_the_page():
    page = build_html(synthetic(reps=3))
    header = page.split("<header>", 1)[1].split("</header>", 1)[0]
    assert "Seulement 3 réplication(s) par scénario (moins de 5)" in _box(header)
    assert header.index('class="warnings"') < header.index("Territoire :")  # first thing under the title
    assert "page.few_reps" not in page and "moins de 5 : les intervalles" not in header  # no longer a meta line
    assert 'class="warnings"' not in build_html(synthetic(reps=5))  # nothing to warn about: no box


def test_a_short_run_warns_that_the_seasons_are_not_covered():
    res = synthetic(reps=5)
    res["scenarios"]["configs"] = {"baseline": "run:\n  horizon_days: 365\n  warmup_days: 56\n",
                                   "cpts": "run:\n  horizon_days: 60\n  warmup_days: 14\n"}
    lines = warning_lines(res, 5, translator("fr"))
    assert lines == [lines[0]] and lines[0].startswith("Période mesurée de 60 jours, moins d'un an")
    res["scenarios"]["configs"]["cpts"] = "run: {horizon_days: 365}\n"
    assert warning_lines(res, 5, translator("fr")) == []
    res["scenarios"]["configs"]["cpts"] = "run: [not, a, mapping\n"  # unreadable YAML: no warning, no crash
    assert warning_lines(res, 5, translator("fr")) == []


def test_a_synthetic_territory_is_said_so_from_scenarios_json_or_the_stored_config():
    t = translator("fr")
    res = synthetic(reps=5)
    assert warning_lines(res, 5, t) == []
    res["scenarios"]["synthetic_territory"] = True
    assert warning_lines(res, 5, t)[0].startswith("Territoire fictif")
    del res["scenarios"]["synthetic_territory"]  # a merged page keeps the configs, not the flag
    res["scenarios"]["configs"]["cpts"] = "territory:\n  name: exemple\n  synthetic: true\n"
    assert warning_lines(res, 5, t)[0].startswith("Territoire fictif")
    res["scenarios"]["configs"]["cpts"] = "territory:\n  synthetic: 'true'\n"  # only a real true counts
    assert warning_lines(res, 5, t) == []


def test_each_capped_dose_gets_a_line():
    res = synthetic(reps=5)
    res["scenarios"]["capped"] = {
        "assistants_medicaux": [{"lever": "assistants_medicaux", "key": "count", "asked": 30, "applied": 10,
                                 "limit": 10}],
        EVIL: [{"lever": "medicobus", "key": "sessions", "asked": 12, "applied": 9.5, "limit": 9.5},
               "not a record"]}
    fr = warning_lines(res, 5, translator("fr"))
    assert fr == ["assistants_medicaux : assistants_medicaux.count demandé 30, ramené à 10 (limite du territoire : "
                  "10) ; les résultats valent pour 10.",
                  f"{EVIL} : medicobus.sessions demandé 12, ramené à 9,50 (limite du territoire : 9,50) ; les "
                  "résultats valent pour 9,50."]
    box = warnings_box(res, 5, translator("en"))
    assert ("assistants_medicaux: assistants_medicaux.count asked 30, capped to 10 (the territory&#x27;s limit: "
            "10)") in box
    assert EVIL not in box and escape(EVIL) in box
    assert box.count("<li>") == 2


def test_a_comparison_without_the_baseline_says_what_it_is_measured_against():
    res = synthetic(reps=5)
    assert warning_lines(res, 5, translator("fr")) == []  # the baseline first: nothing to say
    res["scenarios"]["order"] = [s for s in res["scenarios"]["order"] if s != "baseline"] + ["baseline"]
    first = res["scenarios"]["order"][0]
    assert warning_lines(res, 5, translator("en")) == [
        f"No baseline in this comparison: every difference is measured against « {first} ». To compare with the "
        "current situation, add it to the sweep (scenario=baseline,…)."]
    res["scenarios"]["ids"] = {first: "baseline"}  # a page whose titles replaced the ids keeps them
    assert warning_lines(res, 5, translator("en")) == []

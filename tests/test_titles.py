"""Scenario titles made from the parameters a run applied (simsoins/dashboard/titles.py),
and the lever sizes cut to the territory (``scenarios.json["capped"]``)."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from html import unescape

import pandas as pd
import pytest
import yaml
from conftest import ROOT

from simsoins.config.model import RunConfig
from simsoins.dashboard.i18n import translator
from simsoins.dashboard.titles import AUTO_CABINES, TITLES, relabel, scenario_title, scenario_titles
from simsoins.levers import make_plan, teleconsultation

RUN = RunConfig(horizon_days=28, warmup_days=7, seed=11)
SCENARIOS = ROOT / "configs" / "scenario"


def _view(levers: dict, name: str = "x", base: dict | None = None) -> str:
    """A scenario's config view as scenarios.json stores it (YAML of the config as run)."""
    return yaml.safe_dump({"levers": base or {}, "scenario": {"name": name, "levers": levers}})


def _meta(configs: dict[str, str], **extra) -> dict:
    return {"order": list(configs), "configs": configs, "territory": "Val-Exemple", **extra}


def _file_levers(name: str) -> dict:
    return yaml.safe_load((SCENARIOS / f"{name}.yaml").read_text(encoding="utf-8"))["levers"]


@pytest.mark.parametrize("name, fr, en", [
    ("assistants_medicaux", "Assistants médicaux pour 30 médecins", "Medical assistants for 30 GPs"),
    ("departs_retraite", "10 départs de médecins non remplacés", "10 GPs leaving, not replaced"),
    ("docteurs_juniors", "20 docteurs juniors par promotion", "20 junior doctors a cohort"),
    ("nouveau_centre", "Nouveau centre de santé de 4 médecins", "New health centre with 4 GPs"),
    ("teleconsultation", "Téléconsultation : +8 créneaux par heure, 5 cabines",
     "Teleconsultation: +8 slots an hour, 5 cabins"),
    ("medicobus", "Médicobus : 5 arrêts par semaine", "Medicobus: 5 stops a week"),
    ("sas", "SAS : 2 régulateurs à l'heure de pointe", "SAS: 2 regulators at the busiest hour"),
    ("hopital_proximite", "Hôpital de proximité : 1 médecin de garde", "Local hospital: 1 doctor on duty"),
    ("cpts", "CPTS : 10 % des créneaux partagés, un médecin traitant pour 20 % de ceux qui n'en ont pas",
     "CPTS: 10 % of slots shared, an MT for 20 % of patients without one"),
])
def test_each_scenario_file_gets_a_title_from_its_parameters(name, fr, en):
    meta = _meta({name: _view(_file_levers(name), name)})
    assert scenario_title(meta, name, translator("fr")) == fr
    assert scenario_title(meta, name, translator("en")) == en


def test_a_size_given_on_the_command_line_is_the_size_in_the_title():
    """The file says 30; the run applied 3: the title says 3, never the file's number."""
    levers = _file_levers("assistants_medicaux")
    levers["assistants_medicaux"]["count"] = 3
    meta = _meta({"am": _view(levers, "assistants_medicaux")})
    assert scenario_title(meta, "am", translator("fr")) == "Assistants médicaux pour 3 médecins"


def test_a_capped_size_is_titled_with_the_size_applied():
    capped = {"am": [{"lever": "assistants_medicaux", "key": "count", "asked": 30, "applied": 10, "limit": 10}]}
    meta = _meta({"am": _view(_file_levers("assistants_medicaux"), "assistants_medicaux")}, capped=capped)
    assert scenario_title(meta, "am", translator("fr")) == "Assistants médicaux pour 10 médecins"


def test_a_dose_per_100k_is_said_beside_the_size_it_resolved_into():
    levers = {"assistants_medicaux": {"count": 33, "per_100k": None}}
    per = {"am": [{"lever": "assistants_medicaux", "key": "count", "per_100k": 10.0, "value": 33}]}
    meta = _meta({"am": _view(levers, "assistants_medicaux")}, per_100k=per)
    assert scenario_title(meta, "am", translator("fr")) == ("Assistants médicaux pour 33 médecins "
                                                           "(10 pour 100 000 hab.)")


def test_a_plan_joins_its_levers_and_a_lever_switched_off_is_left_out():
    levers = {**_file_levers("cpts"), **_file_levers("assistants_medicaux"),
              "medicobus": {"enabled": False}, "departs_retraite": {"count": 0}}
    meta = _meta({"plan": _view(levers, "plan")})
    assert scenario_title(meta, "plan", translator("fr")) == (
        "CPTS : 10 % des créneaux partagés, un médecin traitant pour 20 % de ceux qui n'en ont pas"
        " + Assistants médicaux pour 30 médecins")


def test_prevention_is_titled_as_a_hypothesis_with_its_reductions():
    levers = {"prevention": {"acute_reduction": 0.05, "emergency_reduction": 0.03, "routine_reduction": 0.0}}
    meta = _meta({"p": _view(levers, "p")})
    assert scenario_title(meta, "p", translator("fr")) == ("Prévention (hypothèse) : −5 % de demandes aiguës, "
                                                          "−3 % de passages aux urgences")


def test_the_reference_is_named_after_the_territory_and_titles_are_unique():
    configs = {"baseline [run.seed=1]": _view({}, "baseline"), "baseline [run.seed=2]": _view({}, "baseline"),
               "cpts": _view(_file_levers("cpts"), "cpts")}
    titles = scenario_titles(_meta(configs), list(configs), "fr")
    assert titles["baseline [run.seed=1]"] == "Référence (Val-Exemple) [baseline [run.seed=1]]"
    assert titles["baseline [run.seed=2]"] == "Référence (Val-Exemple) [baseline [run.seed=2]]"
    assert len(set(titles.values())) == 3
    assert scenario_titles(_meta({"baseline": _view({}, "baseline")}), ["baseline"], "en") == {
        "baseline": "Reference (Val-Exemple)"}


def test_a_scenario_without_a_readable_config_keeps_its_id():
    meta = _meta({"a": "name: a\nlevers: {}  # written by hand", "b": "[unclosed"})
    assert scenario_titles(meta, ["a", "b", "c"], "fr") == {"a": "a", "b": "b", "c": "c"}


def test_relabel_renames_every_table_and_key_and_keeps_the_ids():
    meta = _meta({"baseline": _view({}, "baseline"), "am": _view(_file_levers("assistants_medicaux"), "am")},
                 labels={"baseline": "Situation actuelle", "am": "am"},
                 dose_slots_per_week={"baseline": 0.0, "am": 7.0})
    kpis = pd.DataFrame({"scenario": ["baseline", "am"], "kpi": ["k", "k"], "value": [1.0, 2.0]})
    res = {"kpis": kpis, "scenarios": meta}
    out = relabel(res, "fr")
    ref, am = "Référence (Val-Exemple)", "Assistants médicaux pour 30 médecins"
    assert list(out["kpis"]["scenario"]) == [ref, am] and list(kpis["scenario"]) == ["baseline", "am"]
    assert out["scenarios"]["order"] == [ref, am]
    assert set(out["scenarios"]["configs"]) == {ref, am} and out["scenarios"]["dose_slots_per_week"][am] == 7.0
    assert out["scenarios"]["ids"] == {ref: "baseline", am: "am"}
    assert relabel(out, "fr") is out  # already relabelled: as it is


def test_the_titles_cabines_are_the_levers():
    assert AUTO_CABINES == teleconsultation.AUTO_CABINES


def test_every_lever_has_a_title_in_both_languages(model):
    assert set(TITLES) == {f.name for f in dataclasses.fields(model.levers)}
    for lang in ("fr", "en"):
        t = translator(lang)
        assert all(t.has(f"title.{lever}") for lever in TITLES), lang


# ------------------------------------------------------------- sizes cut to the territory


def _with(model, lever: str, **values):
    return dataclasses.replace(model, levers=dataclasses.replace(
        model.levers, **{lever: dataclasses.replace(getattr(model.levers, lever), **values)}))


@pytest.mark.parametrize("lever, values, key, applied", [
    ("assistants_medicaux", {"count": 30}, "count", 10),   # the synthetic territory has 10 GPs
    ("docteurs_juniors", {"count": 50}, "count", 3),       # 3 practices with a GP, one junior each
])
def test_a_size_beyond_the_territory_is_recorded_with_what_was_applied(model, exemple, lever, values, key,
                                                                       applied, caplog):
    plan = make_plan(exemple, _with(model, lever, **values), RUN, "scenario.levers")
    assert plan.capped == [{"lever": lever, "key": key, "asked": values[key], "applied": applied,
                            "limit": applied}]
    assert f"scenario.levers.{lever}.count = {values[key]}" in caplog.text
    within = make_plan(exemple, _with(model, lever, **{key: applied}), RUN, "scenario.levers")
    assert within.capped == []


def test_a_centre_short_of_gps_to_move_in_records_them_and_keeps_its_size(model, exemple, caplog):
    """20 GPs asked to move in, the synthetic territory's 10 within reach: 10 move, the 10
    others come as newcomers, so the centre still has 20 (its title's size)."""
    plan = make_plan(exemple, _with(model, "nouveau_centre", enabled=True, gps=20, from_existing_share=1.0), RUN,
                     "scenario.levers")
    assert plan.capped == [{"lever": "nouveau_centre", "key": "movers", "asked": 20, "applied": 10, "limit": 10}]
    assert plan.territory.n_clinicians == exemple.n_clinicians + 10  # the newcomers
    assert "20 GPs asked to move in, 10 within 20 km" in caplog.text


def test_a_run_records_the_cap_and_titles_the_page_with_the_size_applied(tmp_path):
    out = tmp_path / "run"
    res = subprocess.run([sys.executable, "-m", "simsoins", "territory=exemple", "scenario=assistants_medicaux",
                          "scenario.levers.assistants_medicaux.count=30", "run.replications=2",
                          "run.horizon_days=28", "run.warmup_days=7", "run.jobs=1", f"hydra.run.dir={out}"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    info = json.loads((out / "scenarios.json").read_text(encoding="utf-8"))
    assert info["capped"] == {"assistants_medicaux": [
        {"lever": "assistants_medicaux", "key": "count", "asked": 30, "applied": 10, "limit": 10}]}
    assert "assistants_medicaux.count = 30: territory exemple has 10 GPs" in (out / "simsoins.log").read_text()
    page = unescape((out / "dashboard.html").read_text(encoding="utf-8"))
    assert "Assistants médicaux pour 10 médecins" in page and "pour 30 médecins" not in page
    assert "Référence (Val-Exemple (territoire fictif))" in page
    assert "<small style=color:#888>assistants_medicaux</small>" in page  # the id, once, to find the config
    assert ">assistants_medicaux<" not in page.replace("<small style=color:#888>assistants_medicaux</small>", "")


def test_a_run_within_the_territory_records_no_cap(tmp_path):
    out = tmp_path / "run"
    res = subprocess.run([sys.executable, "-m", "simsoins", "territory=exemple", "scenario=assistants_medicaux",
                          "scenario.levers.assistants_medicaux.count=3", "run.replications=2",
                          "run.horizon_days=28", "run.warmup_days=7", "run.jobs=1", "dashboard.write=false",
                          f"hydra.run.dir={out}"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    info = json.loads((out / "scenarios.json").read_text(encoding="utf-8"))
    assert "capped" not in info
    assert scenario_titles(info, info["order"], "fr")["assistants_medicaux"] == "Assistants médicaux pour 3 médecins"

"""All of France: every metropolitan département builds a valid territory from the carried
national tables; the France report is tested in test_france_report.py."""

from __future__ import annotations

import csv
import time

import numpy as np
import pytest
import yaml
from conftest import ROOT, SHARED_DATA

from simsoins.config.model import ClinicianDefaults, RunConfig
from simsoins.config.schema import ConfigError
from simsoins.territory import load_territory
from simsoins.territory.france import AGE_FRANCE, DATA, communes, departement_config, departements

CODES = [f"{i:02d}" for i in range(1, 96) if i != 20] + ["2A", "2B"]


def test_the_package_carries_96_departements_and_small_tables():
    deps = departements()
    assert sorted(deps.index) == sorted(CODES)
    assert sum(p.stat().st_size for p in DATA.iterdir()) < 1.5e6
    c = communes()
    assert set(c["dep"]) == set(CODES)
    assert c.groupby("dep")["population"].sum().equals(deps["population"].sort_index().rename_axis("dep")
                                                       .rename("population"))


def test_every_departement_builds_a_valid_territory_quickly():
    deps = departements()
    defaults = ClinicianDefaults()
    t0 = time.perf_counter()
    for code in CODES:
        t = load_territory({"departement": code}, defaults)
        d = deps.loc[code]
        assert t.n_clinicians == d["gp_2024"], code                       # data.ameli.fr 2024
        assert sum(s == "temps_partiel" for s in _schedules(code)) == d["mep_2024"], code
        assert round(t.population.sum()) == d["population"], code          # INSEE
        assert np.allclose(t.age_pop.sum(axis=1), t.population)
        assert 1 <= len(t.er_sites) <= 8 and len(t.evening_sites) >= len(t.er_sites)
        assert np.isfinite(t.lon).all() and np.isfinite(t.lat).all()
        assert np.bincount(t.clinician_practice).max() <= 5              # practices of ≤ 5 GPs
        assert t.km_commune_practice.shape == (t.n_communes, len(t.practice_id))
    assert time.perf_counter() - t0 < 30  # 3-5 s here


def _schedules(code):
    return departement_config(code)["clinicians"]["schedule"].tolist()


@pytest.mark.parametrize("code", ["99", "20", "971", "2C", ""])
def test_an_unknown_code_is_refused_with_the_allowed_codes(code):
    with pytest.raises(ConfigError, match=r"territory\.departement = .*unknown département.*2A, 2B"):
        departement_config(code)


def test_codes_are_normalised():
    assert departement_config(1)["departement"] == "01"
    assert departement_config("2a")["departement"] == "2A"


def test_loir_et_cher_uses_the_real_coordinates_and_reproduces_the_default_territory(loir_et_cher):
    t = load_territory({"departement": "41"}, ClinicianDefaults())
    assert t.commune_code == loir_et_cher.commune_code
    assert np.allclose(t.lon, loir_et_cher.lon) and np.allclose(t.lat, loir_et_cher.lat)
    assert t.practice_id == loir_et_cher.practice_id and t.clinician_id == loir_et_cher.clinician_id
    assert t.clinician_sessions == loir_et_cher.clinician_sessions
    assert sorted(loir_et_cher.commune_code[s.commune] for s in t.er_sites) == \
        sorted(loir_et_cher.commune_code[s.commune] for s in loir_et_cher.er_sites)
    assert len(t.evening_sites) == 3


def test_synthetic_coordinates_are_deterministic_and_inside_the_departement():
    a, b = departement_config("48")["communes"], departement_config("48")["communes"]
    assert a.equals(b)
    d = departements().loc["48"]
    chef = a.set_index("code").loc[d["chef_lieu"]]
    assert (chef["lon"], chef["lat"]) == pytest.approx((d["lon"], d["lat"]), abs=1e-4)  # at the centroid
    assert a["lon"].between(2.9, 4.0).all() and a["lat"].between(44.1, 45.0).all()       # Lozère's box


def test_paris_marseille_lyon_by_arrondissement():
    paris = departement_config("75")
    assert len(paris["communes"]) == 20 and paris["communes"]["code"].str.startswith("751").all()
    assert len(paris["er_sites"]) == 8   # one per started 300,000 inhabitants, in distinct arrondissements
    t = load_territory({"departement": "75"}, ClinicianDefaults())
    assert t.km_commune_practice.max() < 25
    lyon = departement_config("69")
    names = [s["name"] for s in lyon["er_sites"]]
    assert sum("Lyon" in n for n in names) == 2 and len(names) <= 8


def _composed(overrides):
    """The config as the command line resolves it (``departement: ${.code}``)."""
    from hydra import compose, initialize_config_dir
    from omegaconf import OmegaConf

    from simsoins.cli import config_dir

    with initialize_config_dir(config_dir(), version_base=None):
        return OmegaConf.to_container(compose("config", overrides=overrides), resolve=True)


def test_the_yaml_alias_code_and_user_overrides():
    from simsoins.cli import prepare

    job = prepare(_composed(["territory=departement", "territory.code=90"]))
    assert job.territory.n_clinicians == departements().loc["90", "gp_2024"]
    assert job.territory_label == "Département 90"
    job = prepare(_composed(["territory=departement", "territory.departement=2B", "territory.without_mt_share=0.2",
                             "+territory.age_structure=[0.2,0.3,0.2,0.2,0.1]"]))
    assert job.territory.without_mt_share == 0.2 and job.territory.commune_code[0].startswith("2B")
    assert job.territory_label == "Département 2B"
    assert job.territory.age_pop[0, 0] == pytest.approx(0.2 * job.territory.population[0])
    assert prepare(_composed(["territory=departement"])).territory.n_communes == 267   # default: 41


def test_an_unresolved_alias_is_explained():
    with pytest.raises(ConfigError, match="unresolved"):
        departement_config("${.code}")


def test_age_structure_is_a_stated_assumption():
    assert sum(AGE_FRANCE) == pytest.approx(1.0)
    assert departement_config("23")["age_structure"] == list(AGE_FRANCE)


@pytest.mark.skipif(not (SHARED_DATA / "france" / "professionnels-liberaux-departement-2024.csv").is_file(),
                    reason="the open-data folder ../shared/data is not beside this checkout")
def test_carried_figures_match_the_open_data():
    with (SHARED_DATA / "france" / "professionnels-liberaux-departement-2024.csv").open(encoding="utf-8-sig") as fh:
        gp = {r["departement"]: int(r["effectif"]) for r in csv.DictReader(fh)
              if r["profession_sante"] == "Ensemble des médecins généralistes" and r["classe_age"] == "tout_age"}
    with (SHARED_DATA / "france" / "populations-legales-communes.csv").open(encoding="utf-8-sig") as fh:
        pop = {}
        for r in csv.DictReader(fh, delimiter=";"):
            pop[r["DEP"]] = pop.get(r["DEP"], 0) + int(r["PMUN"])
    deps = departements()
    for code in CODES:
        assert deps.loc[code, "gp_2024"] == gp[code] and deps.loc[code, "population"] == pop[code]


def test_a_small_departement_simulates_a_short_horizon(model):
    from simsoins.results.kpis import replication_kpis
    from simsoins.sim.replication import simulate

    t = load_territory({"departement": "90"}, model.clinicians)   # Territoire de Belfort
    rep = simulate(t, model, RunConfig(replications=1, horizon_days=14, warmup_days=7, seed=3, jobs=1), 0)
    k = replication_kpis(rep)
    assert len(rep.events) > 10_000
    assert 0 <= k["routine_wait_days_mean"] < 30 and 0 <= k["acute_within_48h_share"] <= 1


def test_the_france_experiment_sweeps_every_code():
    cfg = yaml.safe_load((ROOT / "configs" / "experiment" / "france.yaml").read_text(encoding="utf-8"))
    swept = str(cfg["hydra"]["sweeper"]["params"]["territory.code"]).split(",")
    assert sorted(swept) == sorted(CODES)
    assert len(swept) == 96 and cfg["run"]["replications"] == 1


@pytest.mark.skipif(not (SHARED_DATA / "france" / "populations-legales-communes.csv").is_file(),
                    reason="the open-data folder ../shared/data is not beside this checkout")
def test_the_builder_reproduces_the_carried_tables(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_france", ROOT / "scripts" / "build_france.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    builder.OUT = tmp_path
    builder.main(SHARED_DATA)
    for name in ("communes.csv.gz", "departements.csv", "departements.geojson"):
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name

"""All of France: every metropolitan département builds a valid territory from the carried
national tables; the France report is tested in test_france_report.py."""

from __future__ import annotations

import csv

import numpy as np
import pytest
import yaml
from conftest import ROOT, SHARED_DATA

from simsoins.config.model import ClinicianDefaults, RunConfig
from simsoins.config.schema import ConfigError
from simsoins.territory import load_territory
from simsoins.territory.france import DATA, communes, departement_config, departements

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
    for code in CODES:
        t = load_territory({"departement": code}, defaults)
        d = deps.loc[code]
        assert t.n_clinicians == d["gp_2024"], code                       # data.ameli.fr 2024
        assert sum(s == "temps_partiel" for s in _schedules(code)) == d["mep_2024"], code
        assert round(t.population.sum()) == d["population"], code          # INSEE
        assert np.allclose(t.age_pop.sum(axis=1), t.population)
        assert len(t.er_sites) >= 1 and len(t.evening_sites) >= 1
        assert all(len(f) == 9 for s in t.er_sites for f in s.finess.split(";")), code
        assert len({s.commune for s in t.er_sites}) == len(t.er_sites), code      # one site per commune
        assert np.isfinite(t.lon).all() and np.isfinite(t.lat).all()
        assert np.bincount(t.clinician_practice).max() <= 5              # practices of ≤ 5 GPs
        assert t.km_commune_practice.shape == (t.n_communes, len(t.practice_id))
        assert t.name == f"{d['name']} ({code})"


def _schedules(code):
    return departement_config(code)["clinicians"]["schedule"].tolist()


@pytest.mark.parametrize("code", ["99", "20", "971", "2C", "", [], ["41", "99"]])
def test_an_unknown_code_is_refused_with_the_allowed_codes(code):
    with pytest.raises(ConfigError, match=r"territory\.departement = .*(unknown département|at least one).*2A, 2B"):
        departement_config(code)


def test_codes_are_normalised():
    assert departement_config(1)["departement"] == "01"
    assert departement_config("2a")["departement"] == "2A"
    assert departement_config(["45", 37, "41", "41"])["departement"] == ["37", "41", "45"]


def test_loir_et_cher_reproduces_the_default_territory(loir_et_cher):
    t = load_territory({"departement": "41"}, ClinicianDefaults())
    assert t.commune_code == loir_et_cher.commune_code
    assert np.allclose(t.lon, loir_et_cher.lon) and np.allclose(t.lat, loir_et_cher.lat)
    assert t.practice_id == loir_et_cher.practice_id and t.clinician_id == loir_et_cher.clinician_id
    assert t.clinician_sessions == loir_et_cher.clinician_sessions
    assert [(s.finess, s.commune) for s in t.er_sites] == [(s.finess, s.commune) for s in loir_et_cher.er_sites]
    assert np.allclose(t.age_pop, loir_et_cher.age_pop, rtol=1e-4)
    assert len(t.evening_sites) == 3


def test_centroids_are_the_real_ones():
    """IGN centroids, as the open-data README quotes them (Blois 47.581 N 1.306 E)."""
    c = communes().set_index("code")
    assert (c.loc["41018", "lat"], c.loc["41018", "lon"]) == pytest.approx((47.581, 1.306), abs=1e-3)
    guéret = departement_config("23")["communes"].set_index("code").loc["23096"]
    assert (guéret["lat"], guéret["lon"]) == pytest.approx((46.17, 1.87), abs=0.02)
    ajaccio = departement_config("2A")["communes"].set_index("code").loc["2A004"]
    assert (ajaccio["lat"], ajaccio["lon"]) == pytest.approx((41.93, 8.70), abs=0.05)


def test_gps_practise_where_the_bpe_counts_them():
    """BPE 2020 counts scaled to the 2024 head count: Blois had 52 of Loir-et-Cher's 271,
    so it gets 52 × 211 / 271 ≈ 40 of the 211; a commune without a GP in 2020 gets none."""
    cfg = departement_config("41")
    per_commune = cfg["practices"].merge(cfg["clinicians"], on="practice_id").groupby("commune").size()
    assert per_commune["41018"] == round(52 * 211 / 271)
    bpe = communes().set_index("code")["gps_2020"]
    assert (bpe.loc[per_commune.index] > 0).all()
    creuse = departement_config("23")
    assert len(creuse["clinicians"]) == departements().loc["23", "gp_2024"]


def test_er_sites_are_the_sae_general_units():
    cfg = departement_config("41")
    assert [(s["finess"], s["commune"]) for s in cfg["er_sites"]] == [
        ("410000020", "41018"), ("410000046", "41194"), ("410000038", "41269")]
    names = " ".join(s["name"] for s in departement_config("75")["er_sites"])
    assert "ROBERT DEBRE" not in names.upper()          # a paediatric-only unit: not modelled
    assert len(departement_config("23")["er_sites"]) == 2
    tours = {s["commune"]: s for s in departement_config("37")["er_sites"]}   # two units at Chambray-lès-Tours
    assert tours["37050"]["finess"] == "370004467;370007569" and " + " in tours["37050"]["name"]


def test_paris_marseille_lyon_by_arrondissement():
    paris = departement_config("75")
    assert len(paris["communes"]) == 20 and paris["communes"]["code"].str.startswith("751").all()
    assert {s["commune"][:3] for s in paris["er_sites"]} == {"751"}
    assert "plm_gp_split" in paris["rules"] and "plm_gp_split" not in departement_config("23")["rules"]
    t = load_territory({"departement": "75"}, ClinicianDefaults())
    assert t.km_commune_practice.max() < 25


def test_each_commune_takes_its_departements_age_structure():
    cfg = departement_config(["23", "93"])
    c = cfg["communes"]
    deps = departements()
    for dep, code in (("23", "23096"), ("93", "93066")):
        row = c.set_index("code").loc[code]
        share = row["pop_75+"] / row["population"]
        ages = deps.loc[dep, ["age_0_14", "age_15_44", "age_45_59", "age_60_74", "age_75p"]]
        assert share == pytest.approx(ages["age_75p"] / ages.sum(), rel=1e-6)
    assert c.set_index("code").loc["23096", "pop_75+"] / c.set_index("code").loc["23096", "population"] > 0.15


def test_several_departements_are_one_territory():
    one = departement_config(["41", "37", "45"])
    assert one["label"] == "Indre-et-Loire (37), Loir-et-Cher (41), Loiret (45)"
    assert one["clinicians"]["clinician_id"].is_unique and one["practices"]["practice_id"].is_unique
    assert len(one["clinicians"]) == departements().loc[["37", "41", "45"], "gp_2024"].sum()
    region = departement_config(None, region="24")
    assert region["label"] == "Centre-Val de Loire (région 24)"
    assert sorted({c[:2] for c in region["communes"]["code"]}) == ["18", "28", "36", "37", "41", "45"]
    with pytest.raises(ConfigError, match=r"territory\.region = '99'.*24 Centre-Val de Loire"):
        departement_config(None, region="99")


def test_a_border_commune_books_across_the_border(model):
    """Montrichard (41, on the Cher) has practices of Indre-et-Loire among its nearest: alone,
    Loir-et-Cher sends all its patients to practices in 41; with 37, some are seen in 37."""
    from simsoins.sim.replication import simulate

    alone = load_territory({"departement": "41"}, model.clinicians)
    both = load_territory({"departement": ["41", "37"]}, model.clinicians)
    for t, expect_37 in ((alone, False), (both, True)):
        row = t.commune_code.index("41151")
        nearest = np.argsort(t.km_commune_practice[row])[:5]
        assert any(t.commune_code[t.practice_commune[p]].startswith("37") for p in nearest) == expect_37
    rep = simulate(both, model, RunConfig(replications=1, horizon_days=14, warmup_days=7, seed=3, jobs=1), 0)
    ev = rep.events
    in_practice = ev["outcome"].astype(str).isin(["own_gp", "other_gp"])
    seen = ev[in_practice & ev["commune"].astype(str).str.startswith("41")]
    practice_commune = np.asarray(both.commune_code)[both.practice_commune[both.clinician_practice]]
    across = practice_commune[seen["provider"].to_numpy()]
    share_37 = np.mean([c.startswith("37") for c in across])
    assert 0.002 < share_37 < 0.2, share_37          # a border fringe, not the whole département


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
    assert job.territory_label == "Territoire de Belfort (90)"
    job = prepare(_composed(["territory=departement", "territory.departement=2B", "territory.without_mt_share=0.2",
                             "+territory.age_structure=[0.2,0.3,0.2,0.2,0.1]"]))
    assert job.territory.without_mt_share == 0.2 and job.territory.commune_code[0].startswith("2B")
    assert job.territory_label == "Haute-Corse (2B)"
    assert job.territory.age_pop[0, 0] == pytest.approx(0.2 * job.territory.population[0])
    from simsoins.territory.load import with_departement

    two = with_departement({"departement": ["41", "37"], "age_structure": [0.2, 0.3, 0.2, 0.2, 0.1]})
    assert "departement" in two["communes"] and not any(c.startswith("pop_") for c in two["communes"])
    assert prepare(_composed(["territory=departement"])).territory.n_communes == 267   # default: 41


def test_an_unresolved_alias_is_explained():
    with pytest.raises(ConfigError, match="unresolved"):
        departement_config("${.code}")


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
    population = departements()["population"]
    assert list(population[swept]) == sorted(population, reverse=True)      # largest first
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
    for name in ("communes.csv.gz", "departements.csv", "departements.geojson", "er_sites.csv"):
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name

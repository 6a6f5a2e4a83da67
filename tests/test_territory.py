"""Territories: the real Loir-et-Cher carried into the project, and the loader's checks."""

import csv
from pathlib import Path

import numpy as np
import pytest
from conftest import SHARED_DATA, territory_cfg

from simsoins.config.model import ConfigError
from simsoins.territory import initial_panels, load_territory, weekly_slots


def test_loir_et_cher_has_the_public_figures(loir_et_cher):
    t = loir_et_cher
    assert t.n_communes == 267
    assert round(t.population.sum()) == 328_543          # INSEE populations légales
    assert t.n_clinicians == 211                          # data.ameli.fr 2024
    assert t.commune_name[t.commune_code.index("41018")] == "Blois"
    assert len(t.er_sites) == 3
    assert np.allclose(t.age_pop.sum(axis=1), t.population)


@pytest.mark.skipif(not (SHARED_DATA / "loir-et-cher" / "communes.csv").is_file(),
                    reason="the open-data folder ../shared/data is not beside this checkout")
def test_loir_et_cher_matches_the_open_data(loir_et_cher):
    with (SHARED_DATA / "loir-et-cher" / "communes.csv").open(encoding="utf-8") as fh:
        rows = {r["code_insee"]: r for r in csv.DictReader(fh)}
    t = loir_et_cher
    assert set(rows) == set(t.commune_code)
    for i, code in enumerate(t.commune_code):
        assert int(rows[code]["population_municipale"]) == t.population[i]
        assert abs(float(rows[code]["lon"]) - t.lon[i]) < 1e-4


def test_capacity_is_near_the_cnam_activity_figure(loir_et_cher):
    # ≈5,000 consultations per full-activity GP per year (CNAM), 45.8 worked weeks
    per_gp = weekly_slots(loir_et_cher).mean() * (52 - 6.2)
    assert 4_300 < per_gp < 5_300


def test_initial_panels_register_the_stated_share(loir_et_cher):
    m = initial_panels(loir_et_cher)
    with_mt = m.sum() / loir_et_cher.population.sum()
    assert abs(with_mt - (1 - loir_et_cher.without_mt_share)) < 0.002
    assert np.allclose(m.sum(axis=1), loir_et_cher.population * (1 - loir_et_cher.without_mt_share), atol=3)
    sizes = m.sum(axis=0)
    assert sizes.min() > 0 and 1_000 < np.median(sizes) < 2_000


def _write(tmp_path: Path, communes: str, practices: str, clinicians: str) -> dict:
    (tmp_path / "c.csv").write_text(communes)
    (tmp_path / "p.csv").write_text(practices)
    (tmp_path / "k.csv").write_text(clinicians)
    cfg = territory_cfg("exemple")
    cfg.update(communes=str(tmp_path / "c.csv"), practices=str(tmp_path / "p.csv"),
               clinicians=str(tmp_path / "k.csv"), er_sites=[{"name": "ER", "commune": "1"}], evening_sites=[])
    return cfg


GOOD_C = "code,name,population,lon,lat\n1,A,1000,1.0,47.0\n2,B,500,1.1,47.1\n"
GOOD_P = "practice_id,name,commune,kind\nP1,Cab,1,cabinet\n"
GOOD_K = "clinician_id,practice_id,kind,schedule\nG1,P1,gp,temps_plein\n"


def test_a_planner_written_territory_loads(tmp_path, model):
    t = load_territory(_write(tmp_path, GOOD_C, GOOD_P, GOOD_K), model.clinicians)
    assert t.n_communes == 2 and t.n_clinicians == 1


@pytest.mark.parametrize("communes, practices, clinicians, message", [
    ("code,name,population,lon\n1,A,10,1\n", GOOD_P, GOOD_K, "missing column"),
    ("code,name,population,lon,lat\n1,A,dix,1,47\n", GOOD_P, GOOD_K, "must be a number"),
    ("code,name,population,lon,lat\n1,A,10,1,47\n1,B,10,1,47\n", GOOD_P, GOOD_K, "duplicate id"),
    ("code,name,population,lon,lat\n1,A,0,1,47\n", GOOD_P, GOOD_K, "population is 0"),
    (GOOD_C, "practice_id,name,commune,kind\nP1,Cab,9,cabinet\n", GOOD_K, "unknown commune"),
    (GOOD_C, "practice_id,name,commune,kind\nP1,Cab,1,hopital\n", GOOD_K, "must be one of"),
    (GOOD_C, GOOD_P, "clinician_id,practice_id,kind,schedule\nG1,P9,gp,temps_plein\n", "unknown practice"),
    (GOOD_C, GOOD_P, "clinician_id,practice_id,kind,schedule\nG1,P1,gp,nuit\n", "unknown schedule"),
    (GOOD_C, GOOD_P, "clinician_id,practice_id,kind,schedule\nG1,P1,gp,temps_plein\nG1,P1,gp,temps_plein\n",
     "duplicate id"),
])
def test_bad_territory_files_are_refused(tmp_path, model, communes, practices, clinicians, message):
    with pytest.raises(ConfigError, match=message):
        load_territory(_write(tmp_path, communes, practices, clinicians), model.clinicians)

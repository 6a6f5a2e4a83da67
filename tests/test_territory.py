"""Territories: the real Loir-et-Cher carried into the project, and the loader's checks."""

import csv
from pathlib import Path

import numpy as np
import pytest
from conftest import SHARED_DATA, territory_cfg
from hypothesis import given
from hypothesis import strategies as st

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


# ----------------------------------------------------------------------------- the package's parts


def _territory_imports() -> dict[str, set[str]]:
    """Module → the modules of simsoins.territory it imports (anywhere in its body)."""
    import ast

    pkg = Path(__file__).resolve().parents[1] / "simsoins" / "territory"
    graph = {}
    for path in pkg.glob("*.py"):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("simsoins.territory"):
                names.add(node.module.removeprefix("simsoins.territory").lstrip(".") or "__init__")
            elif isinstance(node, ast.Import):
                names |= {a.name.removeprefix("simsoins.territory").lstrip(".") for a in node.names
                          if a.name.startswith("simsoins.territory.")}
        graph[path.stem] = names
    return graph


def test_the_territory_modules_import_one_way():
    graph = _territory_imports()
    assert all("__init__" not in deps for name, deps in graph.items() if name != "__init__")
    assert "load" not in graph["france"] and "france" in graph["load"]
    done: set[str] = set()

    def visit(name, path):
        assert name not in path, f"import cycle: {' -> '.join([*path, name])}"
        if name not in done:
            for dep in graph[name]:
                visit(dep, [*path, name])
            done.add(name)

    for name in graph:
        visit(name, [])


def test_readers_check_each_table_on_its_own():
    import pandas as pd

    from simsoins.territory.readers import read_communes, read_practices

    communes = pd.DataFrame({"code": ["1", "2"], "name": ["A", "B"], "population": [100, 300],
                             "lon": [1.0, 1.1], "lat": [47.0, 47.1],
                             "pop_young": [40, 100], "pop_old": [60, 200]})
    c = read_communes(communes, None, ("young", "old"), ())
    assert c.row_of == {"1": 0, "2": 1}
    assert c.age_pop.tolist() == [[40.0, 60.0], [100.0, 200.0]]      # the file's own age columns
    c = read_communes(communes.drop(columns=["pop_young", "pop_old"]), None, ("young", "old"), (0.25, 0.75))
    assert c.age_pop.tolist() == [[25.0, 75.0], [75.0, 225.0]]       # else the stated shares
    p = read_practices(pd.DataFrame({"practice_id": [" P1 "], "name": ["Cab"], "commune": ["2"],
                                     "kind": ["msp"]}), None, c.row_of)
    assert p.id == ("P1",) and p.commune.tolist() == [1] and p.row_of == {"P1": 0}
    with pytest.raises(ConfigError, match=r"territory\.practices: row 2, commune = '3': unknown commune code"):
        read_practices(pd.DataFrame({"practice_id": ["P1"], "name": ["Cab"], "commune": ["3"], "kind": ["msp"]}),
                       None, c.row_of)


@pytest.mark.parametrize("slot", ["inf", "nan", "0", "20.5", "vingt"])
def test_a_slot_length_that_is_not_whole_minutes_is_refused(tmp_path, model, slot):
    k = f"clinician_id,practice_id,kind,schedule,slot_minutes\nG1,P1,gp,temps_plein,{slot}\n"
    with pytest.raises(ConfigError, match=r"row 2 \(G1\), slot_minutes = .*whole number of minutes from 1 to 240"):
        load_territory(_write(tmp_path, GOOD_C, GOOD_P, k), model.clinicians)


def test_sessions_written_in_a_cell_and_their_overlaps():
    from simsoins.territory import Session, parse_sessions

    assert parse_sessions("tue 14:00-18:00; mon 08:30-12:30;", "f") == (Session(0, 510, 750), Session(1, 840, 1080))
    with pytest.raises(ConfigError, match=r"^f: sessions overlap on mon \(08:30-12:30 and 12:00-14:00\)$"):
        parse_sessions(["mon 12:00-14:00", "mon 08:30-12:30"], "f")


def test_road_km_scales_the_great_circle_distance():
    from simsoins.territory.geometry import haversine_km, road_km

    lon, lat = np.array([1.0, 2.0]), np.array([47.0, 47.0])
    assert road_km(lon, lat, [], 1.3).shape == (2, 0)                  # a territory without evening sites
    km = road_km(lon, lat, [1], 1.3)
    assert km[0, 0] == 1.3 * haversine_km(1.0, 47.0, 2.0, 47.0) and km[1, 0] == 0
    assert 75 < haversine_km(1.0, 47.0, 2.0, 47.0) < 77               # one degree of longitude at 47° N


@given(st.integers(0, 300), st.floats(0, 1))
def test_evenly_chosen_picks_the_share_spread_along_the_row(n, share):
    from simsoins.territory.apportion import evenly_chosen

    k = round(n * share)
    chosen = evenly_chosen(n, k)
    assert len(chosen) == n and sum(chosen) == k
    for prefix in range(n + 1):                                       # never more than one ahead or behind
        assert abs(sum(chosen[:prefix]) - prefix * k / max(n, 1)) < 1


@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=30), st.integers(0, 500))
def test_apportion_gives_the_total_with_the_floor(weights, extra):
    from simsoins.territory.apportion import apportion

    alloc = apportion(weights, len(weights) + extra)
    assert sum(alloc) == len(weights) + extra and min(alloc) >= 1
    if sum(weights):
        quotas = [extra * w / sum(weights) for w in weights]
        assert all(abs(a - 1 - q) < 1 for a, q in zip(alloc, quotas))  # largest remainder: within one

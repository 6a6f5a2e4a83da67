"""All of France: any metropolitan département as a territory, built from national tables.

``territory=departement territory.code=NN`` (or ``territory.departement=NN``) makes
:func:`~simsoins.territory.load.load_territory` call :func:`departement_config`, which builds
the département from the compact tables carried in ``simsoins/data/france/`` (built by
``scripts/build_france.py`` from INSEE, IGN and data.ameli.fr open data, Licence Ouverte):

- **communes** and their population municipale (INSEE populations légales). Paris,
  Marseille and Lyon appear as their arrondissements (20, 16 and 9 units), as in INSEE's file.
- **coordinates — SYNTHETIC outside Loir-et-Cher.** Commune coordinates are not in the
  carried data, so each commune is placed by a deterministic rule inside the département's
  outline (IGN, simplified): the chef-lieu at the outline's centroid; every other commune,
  in INSEE-code order, at the next point of a Halton sequence (bases 2 and 3) over the
  outline's bounding box that falls inside the outline — an even, reproducible spread with
  the real number of communes; the arrondissements of Paris, Marseille and Lyon at Halton
  points in a disc around the chef-lieu of radius √(population / (π × 5,000 inh./km²)),
  clipped to the outline. Intra-département distances are therefore synthetic: right
  in scale (commune density, département size), wrong commune by commune. Loir-et-Cher
  (41) uses the real IGN centroids of ``data/territories/loir-et-cher/communes.csv``.
- **GPs**: the 2024 head count of self-employed GPs (data.ameli.fr) placed by the
  Loir-et-Cher rule (``scripts/build_loir_et_cher.py``): communes of ≥ 1,000 inhabitants,
  proportionally to population by largest remainder, at least one each (if there are fewer
  GPs than such communes, one in each of the most populous); practices of ≤ 5 GPs (3 or
  more = an MSP); the MEP GPs part-time, the others 70 % « temps plein », 30 % with Saturday
  morning. For 41 this reproduces ``loir-et-cher/practices.csv`` and ``clinicians.csv``.
- **emergency departments — ASSUMPTION**: one in the chef-lieu and one in each town of
  ≥ 15,000 inhabitants, at most 6 towns, by population (Paris, Marseille, Lyon count as one
  town each); a town with arrondissements gets one ER per started 300,000 inhabitants, in
  its most populous arrondissements. Staffing follows the model's rule (``er.staffing_rule``),
  so one site per place is enough whatever the population.
- **evening and weekend care (PDSA) — ASSUMPTION**: in the ER towns, one doctor per
  110,000 inhabitants (the ratio of the default territory: 3 for 328,543), at least one per
  ER site, shared among the sites by the population nearest to each; same sessions as in
  ``configs/territory/loir_et_cher.yaml``.
- **age structure — ASSUMPTION** outside 41: France at 1 January 2021 (INSEE: 17.75 % under
  15, 17.33 % aged 60-74, 9.52 % aged 75+), the 15-44 / 45-59 split national-like. 41 keeps
  its own (``loir_et_cher.yaml``). Départements differ a lot (75+ from ≈6 % to ≈16 %).
- **residents without a médecin traitant**: 11 % everywhere (national, CNAM 2021).

Every key can still be overridden under ``territory.`` (schedules, er_sites, ...).
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from simsoins.config.schema import ConfigError
from simsoins.territory.apportion import apportion, evenly_chosen
from simsoins.territory.geometry import ROAD_FACTOR, halton_points, haversine_km, inside_outline

DATA = Path(__file__).resolve().parents[1] / "data" / "france"
LOIR_ET_CHER = Path(__file__).resolve().parents[1] / "data" / "territories" / "loir-et-cher" / "communes.csv"
#: Cities given by arrondissement in INSEE's file: city code → prefix of its arrondissements.
PLM = {"75056": "751", "13055": "132", "69123": "6938"}
# GP placement, the Loir-et-Cher rule (ASSUMPTION: where each GP practises is not public as
# a tidy file; scripts/build_loir_et_cher.py):
MIN_POP = 1000            # inhabitants of a commune that hosts GPs
MAX_GROUP = 5             # GPs per practice at most
MSP_MIN_GPS = 3           # a practice of this many GPs or more is an MSP
#: Schedules of the GPs who are not MEP: 70 % weekdays, 30 % with Saturday morning (ASSUMPTION).
SCHEDULE_MIX = (("temps_plein", 0.70), ("temps_plein_samedi", 0.30))
PART_TIME = "temps_partiel"  # the MEP GPs' schedule (ASSUMPTION: part-time)
ER_MIN_POP = 15_000       # ASSUMPTION: towns with an ER besides the chef-lieu
ER_MAX_TOWNS = 6          # ASSUMPTION: at most this many ER towns
ER_PER_INHABITANTS = 300_000   # ASSUMPTION: a city with arrondissements: one ER per started 300,000
EVENING_PER_INHABITANTS = 110_000  # ASSUMPTION: as the default territory (3 for 328,543)
EVENING_SLOT_MINUTES = 15  # ASSUMPTION: as configs/territory/loir_et_cher.yaml
CITY_DENSITY = 5_000.0    # inh./km², radius of the disc holding a city's arrondissements (ASSUMPTION)
CENTRE_CANDIDATES = 512   # Halton points searched for a centre when the centroid falls outside
WITHOUT_MT_SHARE = 0.11   # national, CNAM 2021 (CALIBRATION §3)
PANEL_DISPERSION = 0.35   # as configs/territory/loir_et_cher.yaml (ASSUMPTION, CALIBRATION §2)
PANEL_SEED = 41           # fixed: panels are data, not noise
#: 0-14, 15-44, 45-59, 60-74, 75+: France 1 Jan 2021 (INSEE) for 0-14, 60-74, 75+;
#: 15-44 / 45-59: ASSUMPTION (national-like split of the rest).
AGE_FRANCE = (0.1775, 0.362, 0.192, 0.1733, 0.0952)
#: Loir-et-Cher 2021 (configs/territory/loir_et_cher.yaml; 60+ and 75+: CALIBRATION §2).
AGE_LOIR_ET_CHER = (0.155, 0.304, 0.2155, 0.2007, 0.1248)
#: Weekly schedules as configs/territory/loir_et_cher.yaml: 9 half-days (ASSUMPTION; 9.5
#: half-days a week, DREES Panel 4 2019, CALIBRATION §2), the MEP GPs 6 (ASSUMPTION).
SCHEDULES = {
    "temps_plein": ["mon 08:30-12:30", "mon 14:00-18:00", "tue 08:30-12:30", "tue 14:00-18:00",
                    "wed 08:30-12:30", "thu 08:30-12:30", "thu 14:00-18:00", "fri 08:30-12:30", "fri 14:00-18:00"],
    "temps_plein_samedi": ["mon 08:30-12:30", "mon 14:00-18:00", "tue 08:30-12:30", "tue 14:00-18:00",
                           "wed 08:30-12:30", "thu 08:30-12:30", "fri 08:30-12:30", "fri 14:00-18:00",
                           "sat 08:30-12:30"],
    "temps_partiel": ["mon 08:30-12:30", "tue 08:30-12:30", "tue 14:00-18:00", "thu 08:30-12:30",
                      "fri 08:30-12:30", "fri 14:00-18:00"],
}
#: Evening and weekend care (PDSA) hours, as configs/territory/loir_et_cher.yaml (ASSUMPTION).
EVENING_SESSIONS = ["mon 20:00-24:00", "tue 20:00-24:00", "wed 20:00-24:00", "thu 20:00-24:00",
                    "fri 20:00-24:00", "sat 12:00-24:00", "sun 08:00-24:00"]
ALLOWED = "01…19, 21…95, 2A, 2B (metropolitan France)"


# ----------------------------------------------------------------------------- tables


@lru_cache(maxsize=1)
def departements() -> pd.DataFrame:
    """The 96 metropolitan départements (index: code): name, chef_lieu, population,
    gp_2024, mep_2024, lon, lat (centroid of the outline)."""
    df = pd.read_csv(DATA / "departements.csv", comment="#", dtype={"code": str, "chef_lieu": str})
    return df.set_index("code")


@lru_cache(maxsize=1)
def communes() -> pd.DataFrame:
    """Every metropolitan commune (Paris, Marseille, Lyon by arrondissement): dep, code,
    name, population."""
    df = pd.read_csv(DATA / "communes.csv.gz", comment="#", dtype={"dep": str, "code": str, "name": str},
                     keep_default_na=False)
    df["population"] = df["population"].astype(np.int64)
    return df


@lru_cache(maxsize=1)
def _outlines() -> dict[str, list[np.ndarray]]:
    """Every ring (outer and holes, all parts) of each département, as closed (n, 2) arrays."""
    fc = json.loads((DATA / "departements.geojson").read_text(encoding="utf-8"))
    out = {}
    for feature in fc["features"]:
        g = feature["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        out[feature["properties"]["code"]] = [np.asarray(r, dtype=float) for p in polys for r in p]
    return out


def normalise_code(code, field: str = "territory.departement") -> str:
    """``'41'``, ``41``, ``'2a'`` → the INSEE code; anything else → ConfigError."""
    text = str(code).strip().upper()
    if text.startswith("${"):
        raise ConfigError(f"{field} = {code!r}: unresolved interpolation; resolve the config first "
                          f"(OmegaConf.to_container(cfg, resolve=True)) or give the code itself")
    if text.isdigit() and len(text) == 1:
        text = "0" + text
    if text not in departements().index:
        raise ConfigError(f"{field} = {code!r}: unknown département code; allowed: {ALLOWED}")
    return text


# ----------------------------------------------------------------------------- coordinates


def place_communes(dep: str, table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(lon, lat) of each row of ``table`` (communes of ``dep``) by the module's rule: the
    chef-lieu at the centre, the others at the next Halton points inside the outline."""
    real = _real_coordinates(dep, table)
    if real is not None:
        return real
    rings = _outlines()[dep]
    centre = _centre(dep, rings)
    codes = table["code"].to_numpy()
    lon, lat = np.full(len(codes), np.nan), np.full(len(codes), np.nan)
    _place_chef_lieu(str(departements().loc[dep, "chef_lieu"]), table, rings, centre, lon, lat)
    rest = np.flatnonzero(np.isnan(lon))
    rest = rest[np.argsort(codes[rest], kind="stable")]  # INSEE-code order
    pts = halton_points(len(rest), rings)
    lon[rest], lat[rest] = pts[:, 0], pts[:, 1]
    return lon, lat


def _real_coordinates(dep: str, table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray] | None:
    """Loir-et-Cher's real IGN centroids, when the carried file covers every commune."""
    if dep != "41" or not LOIR_ET_CHER.is_file():
        return None
    real = pd.read_csv(LOIR_ET_CHER, comment="#", dtype={"code": str}).set_index("code")
    if not set(real.index) >= set(table["code"]):
        return None
    r = real.loc[table["code"]]
    return r["lon"].to_numpy(float), r["lat"].to_numpy(float)


def _centre(dep: str, rings: list[np.ndarray]) -> tuple[float, float]:
    """The outline's centroid, or, if it falls outside (a crescent), the nearest point inside."""
    d = departements().loc[dep]
    centre = (float(d["lon"]), float(d["lat"]))
    if inside_outline(np.array([centre[0]]), np.array([centre[1]]), rings)[0]:
        return centre
    cand = halton_points(CENTRE_CANDIDATES, rings)
    k = np.argmin(haversine_km(cand[:, 0], cand[:, 1], *centre))
    return cand[k, 0], cand[k, 1]


def _place_chef_lieu(chef: str, table: pd.DataFrame, rings: list[np.ndarray], centre: tuple[float, float],
                     lon: np.ndarray, lat: np.ndarray) -> None:
    """Write the chef-lieu's coordinates into ``lon``/``lat``: at the centre, or, for a city
    by arrondissement, at Halton points in a disc of the city's area around it."""
    codes = table["code"].to_numpy()
    prefix = PLM.get(chef)
    if prefix:
        arr = np.flatnonzero([c.startswith(prefix) for c in codes])
        radius = math.sqrt(table["population"].to_numpy()[arr].sum() / (math.pi * CITY_DENSITY))
        pts = halton_points(len(arr), rings, centre, radius)
        lon[arr], lat[arr] = pts[:, 0], pts[:, 1]
    else:
        at = np.flatnonzero(codes == chef)
        lon[at], lat[at] = centre


# ----------------------------------------------------------------------------- GPs


def place_gps(table: pd.DataFrame, n_gp: int, n_mep: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Practices and clinicians by the Loir-et-Cher rule (see the module docstring)."""
    rows = table.to_dict("records")
    hosts = [r for r in rows if r["population"] >= MIN_POP] or list(rows)
    hosts.sort(key=lambda r: -r["population"])
    hosts = hosts[:n_gp]
    counts = apportion([r["population"] for r in hosts], n_gp)
    practices: list[list[str]] = []
    clinicians: list[list[str]] = []
    for r, n in zip(hosts, counts):
        sizes = _group_sizes(n)
        for g, size in enumerate(sizes):
            pid = f"P{r['code']}-{g + 1}"
            kind = "msp" if size >= MSP_MIN_GPS else "cabinet"
            label = "MSP" if kind == "msp" else "Cabinet"
            practices.append([pid, f"{label} {r['name']}" + (f" {g + 1}" if len(sizes) > 1 else ""), r["code"], kind])
            clinicians += [[f"G{len(clinicians) + j + 1:03d}", pid, "gp"] for j in range(size)]
    for row, schedule in zip(clinicians, _schedules(len(clinicians), n_mep)):
        row.append(schedule)
    return (pd.DataFrame(practices, columns=["practice_id", "name", "commune", "kind"]),
            pd.DataFrame(clinicians, columns=["clinician_id", "practice_id", "kind", "schedule"]))


def _group_sizes(n: int) -> list[int]:
    """``n`` GPs of one commune in the fewest practices of ≤ MAX_GROUP, sizes as even as can be."""
    groups = -(-n // MAX_GROUP)
    return [n // groups + (1 if g < n % groups else 0) for g in range(groups)]


def _schedules(n: int, n_mep: int) -> list[str]:
    """Each GP's schedule name: the ``n_mep`` MEP GPs spread evenly part-time, the others
    shared between the two full-time schedules of :data:`SCHEDULE_MIX`, spread evenly."""
    step = n / max(n_mep, 1)
    mep_rows = {int(i * step) for i in range(n_mep)}
    others = [i for i in range(n) if i not in mep_rows]
    first = evenly_chosen(len(others), round(len(others) * SCHEDULE_MIX[0][1]))
    out = [PART_TIME] * n
    for i, is_first in zip(others, first):
        out[i] = SCHEDULE_MIX[0][0] if is_first else SCHEDULE_MIX[1][0]
    return out


# ----------------------------------------------------------------------------- care sites


def _town_of(code: str) -> str:
    """The town a commune belongs to: its city for an arrondissement, else itself."""
    for city, prefix in PLM.items():
        if code.startswith(prefix):
            return city
    return code


def care_sites(dep: str, table: pd.DataFrame, lon: np.ndarray, lat: np.ndarray) -> tuple[list[dict], list[dict]]:
    """ER sites and evening-care sites by the module's rule (ASSUMPTION)."""
    at = _er_communes(dep, table)
    names, codes = table["name"].tolist(), table["code"].tolist()
    er = [{"name": f"Urgences {names[i]}", "commune": codes[i]} for i in at]
    return er, _evening_sites(table, lon, lat, at)


def _er_communes(dep: str, table: pd.DataFrame) -> list[int]:
    """Row numbers of the ER communes: one per ER town, several arrondissements for a city."""
    pop = table["population"].to_numpy(float)
    town = [_town_of(c) for c in table["code"].tolist()]
    town_pop: dict[str, float] = {}
    for t, p in zip(town, pop):
        town_pop[t] = town_pop.get(t, 0.0) + p
    at: list[int] = []
    for t in _er_towns(str(departements().loc[dep, "chef_lieu"]), town_pop):
        members = sorted((i for i, x in enumerate(town) if x == t), key=lambda i: -pop[i])
        n = min(len(members), math.ceil(town_pop[t] / ER_PER_INHABITANTS)) if t in PLM else 1
        at += members[:n]
    return at


def _er_towns(chef: str, town_pop: dict[str, float]) -> list[str]:
    """The chef-lieu, then the towns of ≥ ER_MIN_POP by population, at most ER_MAX_TOWNS
    (or the most populous town if none qualifies)."""
    others = sorted((t for t in town_pop if t != chef and town_pop[t] >= ER_MIN_POP), key=lambda t: -town_pop[t])
    towns = ([chef] if chef in town_pop else []) + others
    return towns[:ER_MAX_TOWNS] or [max(town_pop, key=lambda t: town_pop[t])]


def _evening_sites(table: pd.DataFrame, lon: np.ndarray, lat: np.ndarray, at: list[int]) -> list[dict]:
    """Evening care in the ER communes ``at``: doctors in proportion to population, shared
    among the sites by the population nearest to each (one site entry per doctor)."""
    pop = table["population"].to_numpy(float)
    names, codes = table["name"].tolist(), table["code"].tolist()
    km = haversine_km(lon[:, None], lat[:, None], lon[at][None, :], lat[at][None, :])
    catchment = np.bincount(km.argmin(axis=1), weights=pop, minlength=len(at))
    n_doctors = max(len(at), round(pop.sum() / EVENING_PER_INHABITANTS))
    evening = []
    for i, n in zip(at, apportion(list(catchment), n_doctors)):
        for j in range(n):
            evening.append({"name": f"Maison médicale de garde {names[i]}" + (f" {j + 1}" if n > 1 else ""),
                            "commune": codes[i], "slot_minutes": EVENING_SLOT_MINUTES,
                            "sessions": list(EVENING_SESSIONS)})
    return evening


# ----------------------------------------------------------------------------- entry point


def departement_config(code) -> dict:
    """The ``territory`` mapping of metropolitan département ``code`` ('01'…'95', '2A', '2B').

    Tables are DataFrames (``communes``, ``practices``, ``clinicians``); the other keys are
    those of ``configs/territory/*.yaml``. Unknown code → :class:`ConfigError`.
    """
    dep = normalise_code(code)
    d = departements().loc[dep]
    table = communes()[lambda c: c["dep"] == dep].reset_index(drop=True)
    lon, lat = place_communes(dep, table)
    practices, clinicians = place_gps(table, int(d["gp_2024"]), int(d["mep_2024"]))
    er, evening = care_sites(dep, table, lon, lat)
    label = f"{d['name']} ({dep})"
    return {
        "name": label,
        "label": label,
        "departement": dep,
        "communes": pd.DataFrame({"code": table["code"], "name": table["name"], "population": table["population"],
                                  "lon": np.round(lon, 5), "lat": np.round(lat, 5)}),
        "practices": practices,
        "clinicians": clinicians,
        "age_structure": list(AGE_LOIR_ET_CHER if dep == "41" else AGE_FRANCE),
        "without_mt_share": WITHOUT_MT_SHARE,
        "panel_dispersion": PANEL_DISPERSION,
        "panel_seed": PANEL_SEED,
        "road_factor": ROAD_FACTOR,
        "schedules": {k: list(v) for k, v in SCHEDULES.items()},
        "er_sites": er,
        "evening_sites": evening,
        "coordinates": "real (IGN)" if dep == "41" else "synthetic (simsoins.territory.france rule)",
    }

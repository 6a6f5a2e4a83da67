"""All of France: any metropolitan département as a territory, built from national tables.

``territory=departement territory.code=NN`` (or ``territory.departement=NN``) makes
:func:`~simsoins.territory.load_territory` call :func:`departement_config`, which builds
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

import math
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from simsoins.config.schema import ConfigError
from simsoins.territory import haversine_km

DATA = Path(__file__).resolve().parents[1] / "data" / "france"
LOIR_ET_CHER = Path(__file__).resolve().parents[1] / "data" / "territories" / "loir-et-cher" / "communes.csv"
#: Cities given by arrondissement in INSEE's file: city code → prefix of its arrondissements.
PLM = {"75056": "751", "13055": "132", "69123": "6938"}
MIN_POP = 1000            # GP host communes (Loir-et-Cher rule)
MAX_GROUP = 5             # GPs per practice at most
SCHEDULE_MIX = (("temps_plein", 0.70), ("temps_plein_samedi", 0.30))
ER_MIN_POP = 15_000       # ASSUMPTION: towns with an ER besides the chef-lieu
ER_MAX_TOWNS = 6
ER_PER_INHABITANTS = 300_000   # a city with arrondissements: one ER per started 300,000
EVENING_PER_INHABITANTS = 110_000  # ASSUMPTION: as the default territory (3 for 328,543)
CITY_DENSITY = 5_000.0    # inh./km², radius of the disc holding a city's arrondissements
WITHOUT_MT_SHARE = 0.11   # national, CNAM 2021 (CALIBRATION §3)
#: 0-14, 15-44, 45-59, 60-74, 75+: France 1 Jan 2021 (INSEE) for 0-14, 60-74, 75+;
#: 15-44 / 45-59: ASSUMPTION (national-like split of the rest).
AGE_FRANCE = (0.1775, 0.362, 0.192, 0.1733, 0.0952)
#: Loir-et-Cher 2021 (configs/territory/loir_et_cher.yaml).
AGE_LOIR_ET_CHER = (0.155, 0.304, 0.2155, 0.2007, 0.1248)
SCHEDULES = {
    "temps_plein": ["mon 08:30-12:30", "mon 14:00-18:00", "tue 08:30-12:30", "tue 14:00-18:00",
                    "wed 08:30-12:30", "thu 08:30-12:30", "thu 14:00-18:00", "fri 08:30-12:30", "fri 14:00-18:00"],
    "temps_plein_samedi": ["mon 08:30-12:30", "mon 14:00-18:00", "tue 08:30-12:30", "tue 14:00-18:00",
                           "wed 08:30-12:30", "thu 08:30-12:30", "fri 08:30-12:30", "fri 14:00-18:00",
                           "sat 08:30-12:30"],
    "temps_partiel": ["mon 08:30-12:30", "tue 08:30-12:30", "tue 14:00-18:00", "thu 08:30-12:30",
                      "fri 08:30-12:30", "fri 14:00-18:00"],
}
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
    import json

    fc = json.loads((DATA / "departements.geojson").read_text(encoding="utf-8"))
    out = {}
    for f in fc["features"]:
        g = f["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        out[f["properties"]["code"]] = [np.asarray(r, dtype=float) for p in polys for r in p]
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


# ----------------------------------------------------------------------------- placement


def _halton(index: np.ndarray, base: int) -> np.ndarray:
    """Radical inverse of ``index`` in ``base`` (the Halton sequence)."""
    i = index.astype(np.int64).copy()
    f, r = 1.0, np.zeros(len(i))
    while (i > 0).any():
        f /= base
        r += f * (i % base)
        i //= base
    return r


def _inside(x: np.ndarray, y: np.ndarray, rings: list[np.ndarray]) -> np.ndarray:
    """Even-odd rule over every ring (handles holes and several parts)."""
    inside = np.zeros(len(x), dtype=bool)
    for ring in rings:
        x1, y1, x2, y2 = ring[:-1, 0], ring[:-1, 1], ring[1:, 0], ring[1:, 1]
        cross = (y1[None, :] > y[:, None]) != (y2[None, :] > y[:, None])
        with np.errstate(divide="ignore", invalid="ignore"):
            xint = x1[None, :] + (y[:, None] - y1[None, :]) * (x2 - x1)[None, :] / (y2 - y1)[None, :]
        inside ^= (cross & (x[:, None] < xint)).sum(axis=1) % 2 == 1
    return inside


def _halton_points(n: int, rings: list[np.ndarray], centre: tuple[float, float] | None = None,
                   radius_km: float | None = None) -> np.ndarray:
    """The first ``n`` Halton points inside the outline (in a disc around ``centre`` if given)."""
    if n <= 0:
        return np.zeros((0, 2))
    allpts = np.vstack(rings)
    lo, hi = allpts.min(axis=0), allpts.max(axis=0)
    got: list[np.ndarray] = []
    start, have = 1, 0
    for _ in range(60):
        batch = max(64, 3 * (n - have))
        idx = np.arange(start, start + batch)
        start += batch
        u, v = _halton(idx, 2), _halton(idx, 3)
        if centre is None:
            x, y = lo[0] + u * (hi[0] - lo[0]), lo[1] + v * (hi[1] - lo[1])
        else:
            r = radius_km * np.sqrt(u)
            x = centre[0] + r * np.cos(2 * np.pi * v) / (111.32 * math.cos(math.radians(centre[1])))
            y = centre[1] + r * np.sin(2 * np.pi * v) / 110.57
        ok = _inside(x, y, rings)
        got.append(np.column_stack([x[ok], y[ok]]))
        have += int(ok.sum())
        if have >= n:
            break
    pts = np.vstack(got)
    if len(pts) < n:  # a disc almost outside the outline: fall back to the whole outline
        return _halton_points(n, rings) if centre is not None else pts
    return pts[:n]


def place_communes(dep: str, table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(lon, lat) of each row of ``table`` (communes of ``dep``) by the module's rule."""
    if dep == "41" and LOIR_ET_CHER.is_file():
        real = pd.read_csv(LOIR_ET_CHER, comment="#", dtype={"code": str}).set_index("code")
        if set(real.index) >= set(table["code"]):
            r = real.loc[table["code"]]
            return r["lon"].to_numpy(float), r["lat"].to_numpy(float)
    d = departements().loc[dep]
    rings = _outlines()[dep]
    centre = (float(d["lon"]), float(d["lat"]))
    if not _inside(np.array([centre[0]]), np.array([centre[1]]), rings)[0]:
        cand = _halton_points(512, rings)
        centre = tuple(cand[np.argmin(haversine_km(cand[:, 0], cand[:, 1], *centre))])
    codes = table["code"].to_numpy()
    lon, lat = np.full(len(codes), np.nan), np.full(len(codes), np.nan)
    chef = str(d["chef_lieu"])
    prefix = PLM.get(chef)
    if prefix:  # the chef-lieu's arrondissements: a disc around the centre
        arr = np.flatnonzero([c.startswith(prefix) for c in codes])
        radius = math.sqrt(table["population"].to_numpy()[arr].sum() / (math.pi * CITY_DENSITY))
        pts = _halton_points(len(arr), rings, centre, radius)
        lon[arr], lat[arr] = pts[:, 0], pts[:, 1]
    else:
        at = np.flatnonzero(codes == chef)
        lon[at], lat[at] = centre
    rest = np.flatnonzero(np.isnan(lon))
    rest = rest[np.argsort(codes[rest], kind="stable")]
    pts = _halton_points(len(rest), rings)
    lon[rest], lat[rest] = pts[:, 0], pts[:, 1]
    return lon, lat


def apportion(weights, total: int, minimum: int = 1) -> list[int]:
    """Largest-remainder apportionment with a floor of ``minimum`` per item."""
    n = len(weights)
    rest = total - minimum * n
    s = float(sum(weights))
    quotas = [rest * w / s for w in weights] if s > 0 else [rest / n] * n
    alloc = [int(q) for q in quotas]
    left = rest - sum(alloc)
    order = sorted(range(n), key=lambda i: quotas[i] - alloc[i], reverse=True)
    for i in order[:left]:
        alloc[i] += 1
    return [minimum + a for a in alloc]


def place_gps(table: pd.DataFrame, n_gp: int, n_mep: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Practices and clinicians by the Loir-et-Cher rule (see the module docstring)."""
    rows = table.to_dict("records")
    hosts = [r for r in rows if r["population"] >= MIN_POP] or list(rows)
    hosts.sort(key=lambda r: -r["population"])
    hosts = hosts[:n_gp]
    counts = apportion([r["population"] for r in hosts], n_gp)
    practices, clinicians = [], []
    k = 0
    for r, n in zip(hosts, counts):
        groups = -(-n // MAX_GROUP)
        sizes = [n // groups + (1 if g < n % groups else 0) for g in range(groups)]
        for g, size in enumerate(sizes):
            pid = f"P{r['code']}-{g + 1}"
            kind = "msp" if size >= 3 else "cabinet"
            label = "MSP" if kind == "msp" else "Cabinet"
            practices.append([pid, f"{label} {r['name']}" + (f" {g + 1}" if groups > 1 else ""), r["code"], kind])
            for _ in range(size):
                k += 1
                clinicians.append([f"G{k:03d}", pid, "gp"])
    step = len(clinicians) / max(n_mep, 1)
    mep_rows = {int(i * step) for i in range(n_mep)}
    others = [i for i in range(len(clinicians)) if i not in mep_rows]
    cut = round(len(others) * SCHEDULE_MIX[0][1])
    for j, i in enumerate(others):
        first = (j * cut) // len(others) != ((j + 1) * cut) // len(others)
        clinicians[i].append(SCHEDULE_MIX[0][0] if first else SCHEDULE_MIX[1][0])
    for i in mep_rows:
        clinicians[i].append("temps_partiel")
    return (pd.DataFrame(practices, columns=["practice_id", "name", "commune", "kind"]),
            pd.DataFrame(clinicians, columns=["clinician_id", "practice_id", "kind", "schedule"]))


def _town_of(code: str) -> str:
    """The town a commune belongs to: its city for an arrondissement, else itself."""
    for city, prefix in PLM.items():
        if code.startswith(prefix):
            return city
    return code


def care_sites(dep: str, table: pd.DataFrame, lon: np.ndarray, lat: np.ndarray) -> tuple[list[dict], list[dict]]:
    """ER sites and evening-care sites by the module's rule (ASSUMPTION)."""
    codes = table["code"].tolist()
    pop = table["population"].to_numpy(float)
    town = [_town_of(c) for c in codes]
    town_pop: dict[str, float] = {}
    for t, p in zip(town, pop):
        town_pop[t] = town_pop.get(t, 0.0) + p
    chef = str(departements().loc[dep, "chef_lieu"])
    others = sorted((t for t in town_pop if t != chef and town_pop[t] >= ER_MIN_POP), key=lambda t: -town_pop[t])
    towns = ([chef] if chef in town_pop else []) + others
    towns = towns[:ER_MAX_TOWNS] or [max(town_pop, key=town_pop.get)]
    at: list[int] = []  # row numbers of the ER communes
    for t in towns:
        members = sorted((i for i, x in enumerate(town) if x == t), key=lambda i: -pop[i])
        n = min(len(members), math.ceil(town_pop[t] / ER_PER_INHABITANTS)) if t in PLM else 1
        at += members[:n]
    names = table["name"].tolist()
    er = [{"name": f"Urgences {names[i]}", "commune": codes[i]} for i in at]
    # Evening care: doctors in proportion to population, shared by nearest-site catchment.
    km = haversine_km(lon[:, None], lat[:, None], lon[at][None, :], lat[at][None, :])
    catchment = np.bincount(km.argmin(axis=1), weights=pop, minlength=len(at))
    n_doctors = max(len(at), round(pop.sum() / EVENING_PER_INHABITANTS))
    evening = []
    for i, n in zip(at, apportion(list(catchment), n_doctors)):
        for j in range(n):
            evening.append({"name": f"Maison médicale de garde {names[i]}" + (f" {j + 1}" if n > 1 else ""),
                            "commune": codes[i], "slot_minutes": 15, "sessions": list(EVENING_SESSIONS)})
    return er, evening


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
        "panel_dispersion": 0.35,
        "panel_seed": 41,
        "road_factor": 1.3,
        "schedules": {k: list(v) for k, v in SCHEDULES.items()},
        "er_sites": er,
        "evening_sites": evening,
        "coordinates": "real (IGN)" if dep == "41" else "synthetic (simsoins.territory.france rule)",
    }

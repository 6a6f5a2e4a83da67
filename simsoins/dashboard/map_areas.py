"""Where a run's communes are and what they belong to, for the dashboard's maps
(simsoins/dashboard/maps.py): their départements' outlines, their EPCI and bassin de vie,
and the paired statistics of a commune KPI by commune or by area.

A commune's département, EPCI and bassin de vie are read from the run's communes table
when it carries them (``departement``, ``epci``, ``epci_name``, ``bassin_vie``,
``bassin_vie_name``), else from the national table ``simsoins/data/france/communes.csv.gz``
(scripts/build_france.py) by INSEE code, when the commune lies within
:data:`SAME_PLACE_KM` of that code's centroid: an invented territory reusing real codes
elsewhere gets no area.  The synthetic ``exemple`` territory (codes 99xxx) has none.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from simsoins.results.stats import rep_stats

#: The package's national tables (scripts/build_france.py), read here directly: the
#: dashboard imports nothing of the simulation's territory code.
DATA = Path(__file__).resolve().parents[1] / "data" / "france"
#: The outlines of the 96 metropolitan départements (IGN, simplified by scripts/build_france.py).
OUTLINES = DATA / "departements.geojson"
#: The national communes table, with each commune's dep, EPCI and bassin de vie.
NATIONAL = DATA / "communes.csv.gz"
KM_PER_DEGREE = 111.2  # of latitude (mean Earth radius 6,371 km × π / 180)
#: A run's commune is the national table's commune of the same code only this close to its
#: centroid (km): the package's territories use those very centroids (0 km); a user's own
#: coordinates (town hall, another centroid) may differ by a few km.  ASSUMPTION.
SAME_PLACE_KM = 5.0
#: The area columns of a commune, as the run's table may carry them → the national table's name.
AREA_COLUMNS = {"departement": "dep", "epci": "epci", "epci_name": "epci_name", "bassin_vie": "bassin_vie",
                "bassin_vie_name": "bassin_vie_name"}
#: Aggregation levels of the difference map: (code column, name column), in menu order.
LEVELS = {"epci": ("epci", "epci_name"), "bassin_vie": ("bassin_vie", "bassin_vie_name")}


# ------------------------------------------------------------------ where the communes are

@lru_cache(maxsize=1)
def national_communes() -> pd.DataFrame:
    """The national table's communes (code, lon, lat, dep and, where built, the EPCI and
    bassin de vie columns; codes as text), one row per code."""
    text = ["dep", "code", "epci", "epci_name", "bassin_vie", "bassin_vie_name"]
    df = pd.read_csv(NATIONAL, comment="#", dtype=dict.fromkeys(text, str), keep_default_na=False)
    return df[[c for c in ["code", "lon", "lat", *text[:1], *text[2:]] if c in df.columns]].drop_duplicates("code")


def _km(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Distance in km, flat-Earth approximation (good to well under 1 % over a few km)."""
    dx = (np.asarray(lon2) - np.asarray(lon1)) * np.cos(np.radians(np.asarray(lat1)))
    return KM_PER_DEGREE * np.hypot(dx, np.asarray(lat2) - np.asarray(lat1))


@lru_cache(maxsize=1)
def outlines() -> dict[str, list]:
    """Département code → its polygons (each a list of rings of [lon, lat])."""
    fc = json.loads(OUTLINES.read_text(encoding="utf-8"))
    return {f["properties"]["code"]: ([f["geometry"]["coordinates"]] if f["geometry"]["type"] == "Polygon"
                                      else f["geometry"]["coordinates"]) for f in fc["features"]}


def one_per_code(communes: pd.DataFrame) -> pd.DataFrame:
    """The communes, one row each, indexed by code (str)."""
    return communes.assign(code=communes["code"].astype(str)).drop_duplicates("code").set_index("code")


def commune_areas(communes: pd.DataFrame) -> pd.DataFrame:
    """Per commune code: the columns of :data:`AREA_COLUMNS` (None where unknown), from the
    run's table where it has them, else from the national table (same code, same place)."""
    com = one_per_code(communes)
    nat = national_communes().set_index("code").reindex(com.index)
    km = _km(com["lon"].to_numpy(float), com["lat"].to_numpy(float), nat["lon"].to_numpy(float),
             nat["lat"].to_numpy(float))
    same = np.nan_to_num(km, nan=np.inf) <= SAME_PLACE_KM
    out = pd.DataFrame(index=com.index, columns=list(AREA_COLUMNS), dtype=object)
    for col, nat_col in AREA_COLUMNS.items():
        if nat_col in nat.columns:
            out.loc[same, col] = nat.loc[same, nat_col].astype(str).to_numpy()
        if col in com.columns:  # the run's own column wins where it is filled
            own = com[col].astype("string").str.strip()
            own = own.where(own.notna() & (own != "") & (own != "nan"))
            out[col] = own.astype(object).where(own.notna(), out[col])
    return out.where(out.notna() & (out != ""), None)


# ------------------------------------------------------------------------ statistics

def interval(df: pd.DataFrame, by: str, value: str) -> pd.DataFrame:
    """Per ``by``: mean, Student-t 95 % CI (``lo``, ``hi``) and ``n`` of ``value`` over
    replications (:func:`~simsoins.results.stats.rep_stats`), indexed by ``by``."""
    return rep_stats(df, [by], value).set_index(by)[["mean", "lo", "hi", "n"]]


def commune_rows(groups: pd.DataFrame, kpi: str) -> pd.DataFrame:
    """groups.parquet's rows of ``kpi`` by commune: scenario, replication, group (code), value."""
    g = groups[(groups["group_type"].astype(str) == "commune") & (groups["kpi"].astype(str) == kpi)]
    return g.assign(scenario=g["scenario"].astype(str), group=g["group"].astype(str)).dropna(subset=["value"])


def paired_diffs(rows: pd.DataFrame, scenario: str, baseline: str, by: str = "group") -> pd.DataFrame:
    """Per ``by`` (a commune code, or an area): the baseline's and ``scenario``'s mean
    ``value`` over the replications both have, and the paired difference scenario −
    baseline by replication: its mean, 95 % CI (``lo``, ``hi``) and ``n``."""
    keys = [by, "replication"]
    b = rows[rows["scenario"] == baseline][[*keys, "value"]]
    s = rows[rows["scenario"] == scenario][[*keys, "value"]]
    d = s.merge(b, on=keys, suffixes=("", "_base"))
    if d.empty:
        return pd.DataFrame(columns=["mean", "lo", "hi", "n", "value", "base"])
    out = interval(d.assign(diff=d["value"] - d["value_base"]), by, "diff")
    means = d.groupby(by, sort=False, observed=True)[["value", "value_base"]].mean()
    return out.join(means.rename(columns={"value_base": "base"}))


def area_rows(rows: pd.DataFrame, communes: pd.DataFrame, areas: pd.DataFrame, level: str) -> pd.DataFrame:
    """``rows`` (by commune) aggregated to the areas of ``level`` (:data:`LEVELS`): per
    scenario, replication and area, the population-weighted mean of the communes' values
    (the communes with a value in that replication); ``group`` is the area's code."""
    code = LEVELS[level][0]
    pop = one_per_code(communes)["population"].astype(float)
    d = rows.assign(area=rows["group"].map(areas[code]), w=rows["group"].map(pop)).dropna(subset=["area", "w"])
    d = d.assign(wv=d["w"] * d["value"])
    s = d.groupby(["scenario", "replication", "area"], observed=True)[["wv", "w"]].sum().reset_index()
    s = s[s["w"] > 0]
    return pd.DataFrame({"scenario": s["scenario"], "replication": s["replication"], "group": s["area"],
                         "value": s["wv"] / s["w"]})


def area_places(communes: pd.DataFrame, areas: pd.DataFrame, level: str) -> pd.DataFrame:
    """Per area of ``level``: name, population, number of communes, and its point (the
    population-weighted mean of its communes' lon/lat)."""
    code, name = LEVELS[level]
    com = one_per_code(communes).join(areas[[code, name]].rename(columns={code: "area", name: "area_name"}))
    com = com.dropna(subset=["area"]).assign(w=lambda c: c["population"].astype(float).clip(lower=1e-9))
    g = com.assign(wx=com["w"] * com["lon"], wy=com["w"] * com["lat"]).groupby("area", sort=True)
    out = g[["wx", "wy", "w"]].sum()
    names = g["area_name"].first().astype(str).str.replace("''", '"')  # DGCL writes CA de Blois ''Agglopolys''
    return pd.DataFrame({"name": names, "population": g["population"].sum(),
                         "communes": g.size(), "lon": out["wx"] / out["w"], "lat": out["wy"] / out["w"]})

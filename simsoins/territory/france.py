"""All of France: any metropolitan département, several of them, or a région, as a territory.

``territory=departement territory.code=NN`` (a list, ``territory.code=[41,37,45]``, or a
région, ``territory.region=24``) makes :func:`~simsoins.territory.load.load_territory` call
:func:`departement_config`, which builds one connected territory from the compact tables
carried in ``simsoins/data/france/`` (built by ``scripts/build_france.py`` from INSEE, IGN,
DREES and data.ameli.fr open data, Licence Ouverte):

- **communes**, their population municipale (INSEE populations légales) and their **real
  centroids** (IGN Admin Express). Paris, Marseille and Lyon appear as their arrondissements.
- **GPs where they practise**: INSEE BPE 2020 counts of self-employed GPs by commune, scaled
  to the département's 2024 head count (data.ameli.fr) by largest remainder. Rules: the
  GPs of a commune form practices of ≤ 5 (3 or more = an MSP); the MEP GPs part-time, the
  others 70 % « temps plein », 30 % with Saturday morning; Paris, Lyon and Marseille GPs are
  split over arrondissements in proportion to population (in the BPE table itself).
- **emergency departments**: the general emergency units open in 2022 (DREES SAE), with
  their FINESS, at their commune's centroid. Paediatric units are not modelled (children
  use the general units). Doctors per hour follow the model's staffing rule.
- **evening and weekend care (PDSA) — ASSUMPTION**: in the ER communes, one doctor per
  110,000 inhabitants (the default territory's ratio: 3 for 328,543), at least one per
  commune, shared by the population nearest to each.
- **age structure**: each commune takes its département's INSEE 2025 structure.
- **residents without a médecin traitant**: 11 % everywhere (national, CNAM 2021).

Several départements are one territory: patients book the nearest practice or ER across
a border between them; the territory's outer border stays closed. The rules still used
are listed under ``rules`` (:mod:`simsoins.territory.rules`) and shown with the results.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from simsoins.config.model import AGE_BANDS
from simsoins.config.schema import ConfigError
from simsoins.territory.apportion import apportion, evenly_chosen
from simsoins.territory.geometry import ROAD_FACTOR, haversine_km

DATA = Path(__file__).resolve().parents[1] / "data" / "france"
#: Départements of Paris, Lyon and Marseille, whose GPs BPE splits by arrondissement on population.
PLM_DEPARTEMENTS = ("13", "69", "75")
MAX_GROUP = 5             # ASSUMPTION: GPs per practice at most
MSP_MIN_GPS = 3           # ASSUMPTION: a practice of this many GPs or more is an MSP
#: Schedules of the GPs who are not MEP: 70 % weekdays, 30 % with Saturday morning (ASSUMPTION).
SCHEDULE_MIX = (("temps_plein", 0.70), ("temps_plein_samedi", 0.30))
PART_TIME = "temps_partiel"  # the MEP GPs' schedule (ASSUMPTION: part-time)
ER_UNIT = "GEN"           # general emergency units (SAE); paediatric units (PED) are not modelled
EVENING_PER_INHABITANTS = 110_000  # ASSUMPTION: as the default territory (3 for 328,543)
EVENING_SLOT_MINUTES = 15  # ASSUMPTION: as configs/territory/loir_et_cher.yaml
WITHOUT_MT_SHARE = 0.11   # national, CNAM 2021 (CALIBRATION §3)
PANEL_DISPERSION = 0.35   # as configs/territory/loir_et_cher.yaml (ASSUMPTION, CALIBRATION §2)
PANEL_SEED = 41           # fixed: panels are data, not noise
#: departements.csv's age columns, in the order of config.model.AGE_BANDS (INSEE 2025).
AGE_COLUMNS = ("age_0_14", "age_15_44", "age_45_59", "age_60_74", "age_75p")
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
#: What is still a rule in a built territory (simsoins.territory.rules); plm_gp_split is
#: added when Paris, Lyon or Marseille is in it.
BUILT_RULES = ("communes_at_centroid", "gps_scaled_from_2020", "gp_practice_grouping", "gp_schedules",
               "er_rosters", "er_site_at_centroid", "evening_care_sites", "age_structure_departement",
               "without_mt_share", "closed_border")


# ----------------------------------------------------------------------------- tables


@lru_cache(maxsize=1)
def departements() -> pd.DataFrame:
    """The 96 metropolitan départements (index: code): name, region, region_name,
    chef_lieu, population, gp_2024, mep_2024, lon, lat, age_* (INSEE 2025 by band)."""
    df = pd.read_csv(DATA / "departements.csv", comment="#",
                     dtype={"code": str, "chef_lieu": str, "region": str})
    return df.set_index("code")


@lru_cache(maxsize=1)
def communes() -> pd.DataFrame:
    """Every metropolitan commune (Paris, Marseille, Lyon by arrondissement): dep, code,
    name, population, lon, lat (IGN centroid), gps_2020 (BPE)."""
    df = pd.read_csv(DATA / "communes.csv.gz", comment="#", dtype={"dep": str, "code": str, "name": str},
                     keep_default_na=False)
    df["population"] = df["population"].astype(np.int64)
    return df


@lru_cache(maxsize=1)
def er_units() -> pd.DataFrame:
    """The emergency units open in 2022 (SAE): finess, name, type, dep, commune, smur."""
    return pd.read_csv(DATA / "er_sites.csv", comment="#", dtype=str, keep_default_na=False)


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


def normalise_codes(value, field: str = "territory.departement") -> list[str]:
    """One code or a list of codes → the sorted, distinct INSEE codes (ConfigError if none)."""
    items = list(value) if isinstance(value, list | tuple) else [value]
    if not items:
        raise ConfigError(f"{field} = []: give at least one département code; allowed: {ALLOWED}")
    return sorted({normalise_code(c, field) for c in items})


def region_codes(region, field: str = "territory.region") -> list[str]:
    """The départements of metropolitan région ``region`` (INSEE code, e.g. 24)."""
    deps = departements()
    text = str(region).strip()
    codes = sorted(deps.index[deps["region"] == text])
    if not codes:
        allowed = ", ".join(f"{r} {n}" for r, n in sorted(set(zip(deps["region"], deps["region_name"]))))
        raise ConfigError(f"{field} = {region!r}: unknown région code; allowed: {allowed}")
    return codes


# ----------------------------------------------------------------------------- GPs


def place_gps(table: pd.DataFrame, n_gp: int, n_mep: int, prefix: str = "G") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Practices and clinicians of one département: its ``n_gp`` GPs shared among the
    communes in proportion to their BPE 2020 count (``gps_2020``), then grouped by rule."""
    counts = apportion(table["gps_2020"].tolist(), n_gp, minimum=0)
    practices: list[list[str]] = []
    clinicians: list[list[str]] = []
    for r, n in zip(table.to_dict("records"), counts):
        sizes = _group_sizes(n) if n else []
        for g, size in enumerate(sizes):
            pid = f"P{r['code']}-{g + 1}"
            kind = "msp" if size >= MSP_MIN_GPS else "cabinet"
            label = "MSP" if kind == "msp" else "Cabinet"
            practices.append([pid, f"{label} {r['name']}" + (f" {g + 1}" if len(sizes) > 1 else ""), r["code"], kind])
            clinicians += [[f"{prefix}{len(clinicians) + j + 1:03d}", pid, "gp"] for j in range(size)]
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


def territory_gps(codes: list[str], table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Practices and clinicians of every département in ``codes``; clinician ids carry the
    département when there are several (``G41-001``)."""
    deps = departements()
    parts = [place_gps(table[table["dep"] == dep], int(deps.loc[dep, "gp_2024"]), int(deps.loc[dep, "mep_2024"]),
                       prefix="G" if len(codes) == 1 else f"G{dep}-")
             for dep in codes]
    return (pd.concat([p for p, _ in parts], ignore_index=True),
            pd.concat([c for _, c in parts], ignore_index=True))


# ----------------------------------------------------------------------------- care sites


def er_sites(codes: list[str]) -> list[dict]:
    """The general emergency units of the départements ``codes`` (SAE 2022), one site per
    commune: units of one commune share its centroid, so patients could not tell them
    apart; they are one site, their names joined by « + », their FINESS ids by « ; »."""
    units = er_units()
    units = units[(units["type"] == ER_UNIT) & units["dep"].isin(codes)].sort_values(["dep", "commune", "finess"])
    return [{"name": "Urgences " + " + ".join(g["name"]), "commune": commune, "finess": ";".join(g["finess"])}
            for commune, g in units.groupby("commune", sort=False)]


def evening_sites(table: pd.DataFrame, er_communes: list[str]) -> list[dict]:
    """Evening care in the ER communes: doctors in proportion to population, shared among
    the communes by the population nearest to each (one site entry per doctor)."""
    at = [int(i) for i in pd.Index(table["code"]).get_indexer(sorted(set(er_communes)))]
    lon, lat = table["lon"].to_numpy(float), table["lat"].to_numpy(float)
    pop = table["population"].to_numpy(float)
    names, codes = table["name"].tolist(), table["code"].tolist()
    km = haversine_km(lon[:, None], lat[:, None], lon[at][None, :], lat[at][None, :])
    catchment = np.bincount(km.argmin(axis=1), weights=pop, minlength=len(at))
    n_doctors = max(len(at), round(pop.sum() / EVENING_PER_INHABITANTS))
    out = []
    for i, n in zip(at, apportion(list(catchment), n_doctors)):
        for j in range(n):
            out.append({"name": f"Maison médicale de garde {names[i]}" + (f" {j + 1}" if n > 1 else ""),
                        "commune": codes[i], "slot_minutes": EVENING_SLOT_MINUTES,
                        "sessions": list(EVENING_SESSIONS)})
    return out


# ----------------------------------------------------------------------------- age


def age_columns(table: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """``pop_<band>`` columns: each commune's population split by its département's shares."""
    deps = departements()
    shares = deps.loc[table["dep"], list(AGE_COLUMNS)].to_numpy(float)
    shares /= shares.sum(axis=1, keepdims=True)
    pop = table["population"].to_numpy(float)[:, None] * shares
    return pd.DataFrame(pop, columns=[f"pop_{b}" for b in AGE_BANDS], index=table.index)


def age_structure(codes: list[str]) -> list[float]:
    """The territory's age shares (INSEE 2025), for a config whose bands differ from the carried ones."""
    counts = departements().loc[codes, list(AGE_COLUMNS)].to_numpy(float).sum(axis=0)
    return [float(x) for x in counts / counts.sum()]


# ----------------------------------------------------------------------------- entry point


def label_of(codes: list[str], region: str = "") -> str:
    """« Creuse (23) », « Cher (18), Indre (36) », « Centre-Val de Loire (région 24) »."""
    deps = departements()
    if region:
        return f"{deps.loc[codes[0], 'region_name']} (région {region})"
    return ", ".join(f"{deps.loc[c, 'name']} ({c})" for c in codes)


def departement_config(code, region: str = "") -> dict:
    """The ``territory`` mapping of one or several metropolitan départements (``code``: a
    code or a list of codes), or of région ``region`` when given.

    Tables are DataFrames (``communes``, ``practices``, ``clinicians``); the other keys are
    those of ``configs/territory/*.yaml``. Unknown code → :class:`ConfigError`.
    """
    codes = region_codes(region) if region else normalise_codes(code)
    table = communes()[lambda c: c["dep"].isin(codes)].reset_index(drop=True)
    practices, clinicians = territory_gps(codes, table)
    er = er_sites(codes)
    label = label_of(codes, str(region).strip() if region else "")
    rules = BUILT_RULES + (("plm_gp_split",) if set(codes) & set(PLM_DEPARTEMENTS) else ())
    return {
        "name": label,
        "label": label,
        "departement": codes[0] if len(codes) == 1 else codes,
        "communes": pd.concat([table[["code", "name", "population", "lon", "lat"]], age_columns(table, codes),
                               table[["dep"]].rename(columns={"dep": "departement"})], axis=1),
        "practices": practices,
        "clinicians": clinicians,
        "age_structure": age_structure(codes),
        "without_mt_share": WITHOUT_MT_SHARE,
        "panel_dispersion": PANEL_DISPERSION,
        "panel_seed": PANEL_SEED,
        "road_factor": ROAD_FACTOR,
        "schedules": {k: list(v) for k, v in SCHEDULES.items()},
        "er_sites": er,
        "evening_sites": evening_sites(table, [s["commune"] for s in er]),
        "rules": list(rules),
    }

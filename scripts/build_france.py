"""Build the compact national tables of ``simsoins/data/france/`` from the public open data.

Reads, from a folder of open data (by default ``../shared/data`` beside the checkout):

- ``france/populations-legales-communes.csv`` (INSEE populations légales, ``;``-separated);
- ``france/departements.csv`` (INSEE COG: code, name, chef-lieu);
- ``france/professionnels-liberaux-departement-2024.csv`` (data.ameli.fr, 2024 head counts);
- ``france/departements-version-simplifiee.geojson`` (IGN outlines of the départements);
- ``france/communes-centroides.csv.gz`` (IGN centroid of every commune);
- ``france/bpe-medecins-communes.csv`` (INSEE BPE 2020: self-employed GPs by commune of practice);
- ``france/communes-epci.csv.gz`` (DGCL 2025: the EPCI of each commune; INSEE 2022: its bassin de vie);
- ``france/urgences-sites.csv`` (DREES SAE 2022: emergency sites, FINESS, commune);
- ``france/population-age-departements.csv`` (INSEE 2025: population by age band);
- ``france/apl-poids-age-medecine-generale.csv`` (DREES/Cnam: GP consumption by age, printed
  collapsed to the model's five bands for ``demand.*_per_year``);

and writes the project's own tables for the 96 metropolitan départements (overseas left out):

- ``communes.csv.gz``: dep, code, name, population (population municipale), lon, lat (IGN
  centroid), gps_2020 (BPE 2020 self-employed GPs practising there), epci, epci_name (the
  EPCI à fiscalité propre on 1 January 2025, SIREN and DGCL name), bassin_vie, bassin_vie_name
  (INSEE bassin de vie 2022: code of its central commune, name); Paris, Marseille and Lyon
  appear as their arrondissements, as in the INSEE file;
- ``departements.csv``: code, name, région (code, name), chef-lieu code, population (sum of the
  communes), GPs 2024 (all self-employed GPs, of which MEP), the outline's centroid (lon, lat),
  and the INSEE 2025 population in the model's five age bands;
- ``er_sites.csv``: the emergency sites open in 2022 (FINESS, name, type GEN/PED, commune, SMUR);
- ``departements.geojson``: outlines simplified (Douglas-Peucker, 0.004°, borders shared by
  two départements simplified identically) with coordinates rounded to 3 decimals (≈100 m).

Usage: ``python scripts/build_france.py [OPEN_DATA_DIR]``. Nothing in the package imports
this script: the model reads only the tables above (see ``simsoins/france.py``).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "simsoins" / "data" / "france"
TOLERANCE = 0.004  # degrees (≈ 300-450 m): simplification of the outlines
DIGITS = 3
GP_ALL = "Ensemble des médecins généralistes"
GP_MEP = "Médecins généralistes à expertise particulière (MEP)"


def metropolitan(code: str) -> bool:
    return len(code) == 2 and (code.isdigit() or code in ("2A", "2B")) and code != "20"


#: The model's age bands (simsoins.config.model.AGE_BANDS) as INSEE five-year columns.
AGE_BANDS = {"0_14": ("p00_04", "p05_09", "p10_14"),
             "15_44": ("p15_19", "p20_24", "p25_29", "p30_34", "p35_39", "p40_44"),
             "45_59": ("p45_49", "p50_54", "p55_59"), "60_74": ("p60_64", "p65_69", "p70_74"),
             "75p": ("p75_79", "p80_84", "p85_89", "p90_94", "p95p")}


def read_departements(src: Path) -> list[dict]:
    regions = {}
    with (src / "populations-legales-communes.csv").open(encoding="utf-8-sig") as fh:
        for r in csv.DictReader(fh, delimiter=";"):
            regions[r["DEP"]] = (r["REG"], r["Région"])
    with (src / "departements.csv").open(encoding="utf-8-sig") as fh:
        rows = [r for r in csv.DictReader(fh) if metropolitan(r["DEP"])]
    return [{"code": r["DEP"], "name": r["LIBELLE"], "chef_lieu": r["CHEFLIEU"], "region": regions[r["DEP"]][0],
             "region_name": regions[r["DEP"]][1]} for r in rows]


def read_communes(src: Path, codes: set[str]) -> list[tuple]:
    """(dep, code, name, population, lon, lat, gps_2020, epci, epci_name, bassin_vie,
    bassin_vie_name) of every commune, by code."""
    with gzip.open(src / "communes-centroides.csv.gz", "rt", encoding="utf-8") as fh:
        where = {r["code_insee"]: (r["lon"], r["lat"]) for r in csv.DictReader(fh)}
    with (src / "bpe-medecins-communes.csv").open(encoding="utf-8-sig") as fh:
        gps = {r["code_insee"]: int(r["nb_medecins_generalistes"]) for r in csv.DictReader(fh)}
    areas = read_areas(src)
    out = []
    with (src / "populations-legales-communes.csv").open(encoding="utf-8-sig") as fh:
        for r in csv.DictReader(fh, delimiter=";"):
            if r["DEP"] in codes:
                out.append((r["DEP"], r["COM"], r["Commune"], int(r["PMUN"]), *where[r["COM"]], gps.get(r["COM"], 0),
                            *areas[r["COM"]]))
    out.sort(key=lambda r: r[1])
    assert set(gps) <= {r[1] for r in out}, "a BPE commune is not in the population file"
    return out


def read_areas(src: Path) -> dict[str, tuple[str, str, str, str]]:
    """Commune code → (EPCI SIREN, EPCI name, bassin de vie code, bassin de vie name); the
    four island communes that belong to no EPCI by law have both EPCI cells empty."""
    with gzip.open(src / "communes-epci.csv.gz", "rt", encoding="utf-8") as fh:
        return {r["code_insee"]: (r["epci_siren"], r["epci_nom"], r["bassin_vie_code"], r["bassin_vie_nom"])
                for r in csv.DictReader(fh)}


def read_ages(src: Path) -> dict[str, dict[str, int]]:
    """INSEE 2025 population of each département in the model's five age bands."""
    with (src / "population-age-departements.csv").open(encoding="utf-8-sig") as fh:
        return {r["dep"]: {band: sum(int(r[c]) for c in cols) for band, cols in AGE_BANDS.items()}
                for r in csv.DictReader(fh)}


def read_er_sites(src: Path, codes: set[str]) -> list[list]:
    """finess, name, type, dep, commune, smur of every emergency unit of metropolitan France."""
    with (src / "urgences-sites.csv").open(encoding="utf-8-sig") as fh:
        rows = [r for r in csv.DictReader(fh) if r["dep"] in codes]
    return sorted([r["finess"], r["nom"], r["type"], r["dep"], r["code_insee"], r["smur"]] for r in rows)


def age_weights(src: Path) -> dict[str, float]:
    """DREES/Cnam relative GP consumption (poids 2023) collapsed to the model's five bands,
    each five-year band weighted by metropolitan France's population in it (INSEE 2025)."""
    with (src / "apl-poids-age-medecine-generale.csv").open(encoding="utf-8-sig") as fh:
        weight = [float(r["poids_2023"]) for r in csv.DictReader(fh)]
    columns = [c for cols in AGE_BANDS.values() for c in cols]
    with (src / "population-age-departements.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    pop = {c: sum(int(r[c]) for r in rows) for c in columns}
    w_of = dict(zip(columns, [*weight[:18], weight[18], weight[18]]))  # 90-94 and 95+ share « 90 ans et plus »
    return {band: sum(pop[c] * w_of[c] for c in cols) / sum(pop[c] for c in cols) for band, cols in AGE_BANDS.items()}


def read_gps(src: Path) -> dict[str, dict[str, int]]:
    gps: dict[str, dict[str, int]] = defaultdict(dict)
    with (src / "professionnels-liberaux-departement-2024.csv").open(encoding="utf-8-sig") as fh:
        for r in csv.DictReader(fh):
            if r["classe_age"] != "tout_age" or r["annee"] != "2024":
                continue
            if r["profession_sante"] == GP_ALL:
                gps[r["departement"]]["gp"] = int(r["effectif"])
            elif r["profession_sante"] == GP_MEP:
                gps[r["departement"]]["mep"] = int(r["effectif"])
    return gps


# ----------------------------------------------------------------- outlines


def _rings(geom: dict) -> list[list[list[list[float]]]]:
    """Polygons (each a list of rings) of a Polygon or MultiPolygon."""
    return [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]


def _dp(points: list[tuple[float, float]], tol: float) -> list[tuple[float, float]]:
    """Douglas-Peucker on an open polyline (end points kept)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        i, j = stack.pop()
        (x1, y1), (x2, y2) = points[i], points[j]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        best, k = -1.0, -1
        for m in range(i + 1, j):
            x, y = points[m]
            d = abs(dy * (x - x1) - dx * (y - y1)) / norm if norm else ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
            if d > best:
                best, k = d, m
        if k >= 0 and best > tol:
            keep[k] = True
            stack += [(i, k), (k, j)]
    return [p for p, kp in zip(points, keep) if kp]


def simplify(features: list[dict], tol: float = TOLERANCE, digits: int = DIGITS) -> dict[str, list]:
    """Simplified polygons per département; a border shared by two départements is
    split at the same junctions on both sides, so both get the same simplified line."""
    rnd = lambda p: (round(p[0], digits), round(p[1], digits))  # noqa: E731
    owners: dict[tuple[float, float], set[str]] = defaultdict(set)
    rings_of: dict[str, list[list[list[tuple[float, float]]]]] = {}
    for f in features:
        code = f["properties"]["code"]
        polys = []
        for poly in _rings(f["geometry"]):
            rings = []
            for ring in poly:
                pts = []
                for p in map(rnd, ring):
                    if not pts or pts[-1] != p:
                        pts.append(p)
                if pts[0] == pts[-1]:
                    pts.pop()
                rings.append(pts)
                for p in pts:
                    owners[p].add(code)
            polys.append(rings)
        rings_of[code] = polys
    out = {}
    for code, polys in rings_of.items():
        new_polys = []
        for rings in polys:
            new_rings = []
            for pts in rings:
                n = len(pts)
                # Junctions: where the set of départements sharing the vertex changes.
                fixed = [i for i in range(n) if owners[pts[i]] != owners[pts[i - 1]]
                         or owners[pts[i]] != owners[pts[(i + 1) % n]] or len(owners[pts[i]]) > 2]
                if not fixed:
                    far = max(range(n), key=lambda i: (pts[i][0] - pts[0][0]) ** 2 + (pts[i][1] - pts[0][1]) ** 2)
                    fixed = sorted({0, far})
                res: list[tuple[float, float]] = []
                for a, b in zip(fixed, [*fixed[1:], fixed[0] + n]):
                    seg = [pts[i % n] for i in range(a, b + 1)]
                    # Same result whichever side walks the border: simplify in a canonical direction.
                    flip = seg[0] > seg[-1]
                    s = _dp(seg[::-1] if flip else seg, tol)
                    res += (s[::-1] if flip else s)[:-1]
                if len(res) >= 3:
                    new_rings.append([list(p) for p in [*res, res[0]]])
            if new_rings:
                new_polys.append(new_rings)
        out[code] = new_polys
    return out


def centroid(polys: list) -> tuple[float, float]:
    """Area centroid of the outer rings (lon/lat plane; fine at département scale)."""
    a_sum = cx = cy = 0.0
    for rings in polys:
        ring = rings[0]
        for (x1, y1), (x2, y2) in pairwise(ring):
            cross = x1 * y2 - x2 * y1
            a_sum += cross
            cx += (x1 + x2) * cross
            cy += (y1 + y2) * cross
    return cx / (3 * a_sum), cy / (3 * a_sum)


def write_communes(communes: list[tuple]) -> None:
    buf = io.StringIO()
    buf.write(f"# {len(communes)} communes of metropolitan France (Paris, Marseille, Lyon by arrondissement).\n")
    buf.write("# population = population municipale, INSEE populations légales (millésime 2021, in force\n")
    buf.write("# 1 Jan 2024), via datagouv/decoupage-administratif. lon, lat: area-weighted centroid of the\n")
    buf.write("# commune's outline, IGN Admin Express COG 2018 (communes merged since: parts weighted by area).\n")
    buf.write("# gps_2020: self-employed GPs practising in the commune, INSEE BPE 2020 (equipment D201), via the\n")
    buf.write("# Observatoire des territoires (ANCT); Paris, Lyon, Marseille split by arrondissement in proportion\n")
    buf.write("# to population (a rule). Licence Ouverte (Etalab).\n")
    buf.write("# epci, epci_name: EPCI a fiscalite propre on 1 Jan 2025 (SIREN, name), DGCL composition communale\n")
    buf.write("# des EPCI 2025 (Banatic), via datagouv/decoupage-administratif, Licence Ouverte; empty for the four\n")
    buf.write("# island communes in no EPCI. bassin_vie, bassin_vie_name: INSEE bassin de vie 2022 (code of its\n")
    buf.write("# central commune), table d'appartenance geographique des communes at 1 Jan 2024, as compiled in\n")
    buf.write("# the R package COGugaison (ODbL): (c) Code Officiel Geographique (Insee) et package R COGugaison.\n")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["dep", "code", "name", "population", "lon", "lat", "gps_2020", "epci", "epci_name", "bassin_vie",
                "bassin_vie_name"])
    w.writerows(communes)
    with gzip.GzipFile(OUT / "communes.csv.gz", "wb", mtime=0) as gz:
        gz.write(buf.getvalue().encode("utf-8"))


def write_departements(deps: list[dict], pop: dict[str, int], gps: dict, ages: dict, polys: dict) -> None:
    with (OUT / "departements.csv").open("w", newline="", encoding="utf-8") as fh:
        fh.write("# 96 metropolitan départements. name, chef_lieu, region: INSEE COG; population: sum of\n")
        fh.write("# communes.csv.gz (INSEE populations légales); gp_2024: self-employed GPs (all, incl. MEP),\n")
        fh.write("# mep_2024: GPs with a particular practice (MEP), data.ameli.fr 2024 (Assurance Maladie);\n")
        fh.write("# lon, lat: centroid of the outline in departements.geojson (IGN, simplified); age_*: population\n")
        fh.write("# by age band at 1 Jan 2025, INSEE estimations de population (Dec 2024, provisional).\n")
        fh.write("# Licence Ouverte (Etalab).\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["code", "name", "region", "region_name", "chef_lieu", "population", "gp_2024", "mep_2024",
                    "lon", "lat", *(f"age_{b}" for b in AGE_BANDS)])
        for d in sorted(deps, key=lambda d: d["code"]):
            lon, lat = centroid(polys[d["code"]])
            g = gps[d["code"]]
            w.writerow([d["code"], d["name"], d["region"], d["region_name"], d["chef_lieu"], pop[d["code"]], g["gp"],
                        g.get("mep", 0), f"{lon:.4f}", f"{lat:.4f}", *ages[d["code"]].values()])


def write_er_sites(sites: list[list]) -> None:
    with (OUT / "er_sites.csv").open("w", newline="", encoding="utf-8") as fh:
        fh.write(f"# {len(sites)} emergency units of metropolitan France open in 2022 (GEN general, PED paediatric;\n")
        fh.write("# a site with both has two rows): geographic FINESS, name, département, commune (INSEE code),\n")
        fh.write("# smur = 1 if the same FINESS declares a SMUR. DREES, SAE 2022 bases statistiques (URGENCES2, ID,\n")
        fh.write("# SMURSAMU). Licence Ouverte. No coordinates: a site is placed at its commune's centroid.\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["finess", "name", "type", "dep", "commune", "smur"])
        w.writerows(sites)


def write_outlines(deps: list[dict], polys: dict) -> None:
    names = {d["code"]: d["name"] for d in deps}
    fc = {"type": "FeatureCollection",
          "source": "IGN outlines via gregoiredavid/france-geojson (version simplifiée), further simplified "
                    "(Douglas-Peucker 0.004 deg, 3 decimals) by scripts/build_france.py. Licence Ouverte.",
          "features": [{"type": "Feature", "id": c, "properties": {"code": c, "nom": names[c]},
                        "geometry": ({"type": "Polygon", "coordinates": polys[c][0]} if len(polys[c]) == 1
                                     else {"type": "MultiPolygon", "coordinates": polys[c]})}
                       for c in sorted(polys)]}
    (OUT / "departements.geojson").write_text(json.dumps(fc, ensure_ascii=False, separators=(",", ":")),
                                              encoding="utf-8")


def main(src: Path) -> None:
    src = src / "france"
    deps = read_departements(src)
    codes = {d["code"] for d in deps}
    assert len(codes) == 96, len(codes)
    communes = read_communes(src, codes)
    gps = read_gps(src)
    geo = json.loads((src / "departements-version-simplifiee.geojson").read_text(encoding="utf-8"))
    feats = [f for f in geo["features"] if f["properties"]["code"] in codes]
    assert {f["properties"]["code"] for f in feats} == codes
    polys = simplify(feats)
    OUT.mkdir(parents=True, exist_ok=True)
    pop: dict[str, int] = defaultdict(int)
    for dep, _, _, p, *_ in communes:
        pop[dep] += p
    write_communes(communes)
    write_departements(deps, pop, gps, read_ages(src), polys)
    sites = read_er_sites(src, codes)
    write_er_sites(sites)
    write_outlines(deps, polys)
    sizes = {p.name: p.stat().st_size for p in OUT.iterdir() if p.is_file()}
    print(f"{len(communes)} communes, {len(deps)} départements, {sum(gps[c]['gp'] for c in codes)} GPs 2024, "
          f"{sum(c[6] for c in communes)} GPs BPE 2020, {len(sites)} emergency units -> {OUT} {sizes}")
    print("DREES/Cnam GP consumption by model age band (poids 2023, national weights):",
          {b: round(w, 4) for b, w in age_weights(src).items()})


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data")

"""Build the compact national tables of ``simsoins/data/france/`` from the public open data.

Reads, from a folder of open data (by default ``../shared/data`` beside the checkout):

- ``france/populations-legales-communes.csv`` (INSEE populations légales, ``;``-separated);
- ``france/departements.csv`` (INSEE COG: code, name, chef-lieu);
- ``france/professionnels-liberaux-departement-2024.csv`` (data.ameli.fr, 2024 head counts);
- ``france/departements-version-simplifiee.geojson`` (IGN outlines of the départements);

and writes the project's own tables for the 96 metropolitan départements (overseas left out):

- ``communes.csv.gz``: dep, code, name, population (population municipale); Paris, Marseille
  and Lyon appear as their arrondissements, as in the INSEE file;
- ``departements.csv``: code, name, chef-lieu code, population (sum of the communes), GPs
  2024 (all self-employed GPs, of which MEP), the outline's centroid (lon, lat);
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


def read_departements(src: Path) -> list[dict]:
    with (src / "departements.csv").open(encoding="utf-8-sig") as fh:
        rows = [r for r in csv.DictReader(fh) if metropolitan(r["DEP"])]
    return [{"code": r["DEP"], "name": r["LIBELLE"], "chef_lieu": r["CHEFLIEU"]} for r in rows]


def read_communes(src: Path, codes: set[str]) -> list[tuple[str, str, str, int]]:
    out = []
    with (src / "populations-legales-communes.csv").open(encoding="utf-8-sig") as fh:
        for r in csv.DictReader(fh, delimiter=";"):
            if r["DEP"] in codes:
                out.append((r["DEP"], r["COM"], r["Commune"], int(r["PMUN"])))
    out.sort(key=lambda r: r[1])
    return out


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

    pop = defaultdict(int)
    for dep, _, _, p in communes:
        pop[dep] += p
    buf = io.StringIO()
    buf.write(f"# {len(communes)} communes of metropolitan France (Paris, Marseille, Lyon by arrondissement).\n")
    buf.write("# population = population municipale, INSEE populations légales (millésime 2021, in force\n")
    buf.write("# 1 Jan 2024), via datagouv/decoupage-administratif. Licence Ouverte (Etalab).\n")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["dep", "code", "name", "population"])
    w.writerows(communes)
    with gzip.GzipFile(OUT / "communes.csv.gz", "wb", mtime=0) as gz:
        gz.write(buf.getvalue().encode("utf-8"))

    with (OUT / "departements.csv").open("w", newline="", encoding="utf-8") as fh:
        fh.write("# 96 metropolitan départements. name, chef_lieu: INSEE COG; population: sum of communes.csv.gz\n")
        fh.write("# (INSEE populations légales); gp_2024: self-employed GPs (all, incl. MEP), mep_2024: GPs with a\n")
        fh.write("# particular practice (MEP), data.ameli.fr 2024 (Assurance Maladie); lon, lat: centroid of the\n")
        fh.write("# outline in departements.geojson (IGN, simplified). Licence Ouverte (Etalab).\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["code", "name", "chef_lieu", "population", "gp_2024", "mep_2024", "lon", "lat"])
        for d in sorted(deps, key=lambda d: d["code"]):
            lon, lat = centroid(polys[d["code"]])
            g = gps[d["code"]]
            w.writerow([d["code"], d["name"], d["chef_lieu"], pop[d["code"]], g["gp"], g.get("mep", 0),
                        f"{lon:.4f}", f"{lat:.4f}"])

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
    n_pts = sum(len(r) for p in polys.values() for rings in p for r in rings)
    sizes = {p.name: p.stat().st_size for p in OUT.iterdir() if p.is_file()}
    print(f"{len(communes)} communes, {len(deps)} départements, {sum(gps[c]['gp'] for c in codes)} GPs, "
          f"{n_pts} outline points -> {OUT} {sizes}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data")

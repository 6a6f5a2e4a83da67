"""Build the default territory's data files from the public open data.

Reads the Loir-et-Cher communes (INSEE populations légales, IGN centroids) and the
2024 self-employed GP head count (data.ameli.fr) from a folder of open data (by default
``../shared/data`` beside the checkout) and writes the project's own compact tables:

- ``simsoins/data/territories/loir-et-cher/communes.csv``: code, name, population, lon, lat;
- ``.../practices.csv`` and ``.../clinicians.csv``: GPs placed by the stated rule below.

Placement rule (an assumption: where each GP practises is not public as a tidy file):
the 211 GPs go to the communes of at least ``MIN_POP`` inhabitants, proportionally to
population by largest remainder, at least one per such commune; within a commune they
form practices of at most ``MAX_GROUP`` GPs (3 or more = an MSP).  The 19 GPs « à
expertise particulière » (MEP) get the part-time schedule.  Replace the two CSV files by
the real list (annuaire santé / RPPS) when you have it.

Usage: ``python scripts/build_loir_et_cher.py [OPEN_DATA_DIR]``
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "simsoins" / "data" / "territories" / "loir-et-cher"
MIN_POP = 1000
MAX_GROUP = 5
SCHEDULE_MIX = (("temps_plein", 0.70), ("temps_plein_samedi", 0.30))


def gp_head_count(prof_csv: Path, dep: str = "41") -> tuple[int, int]:
    """(all self-employed GPs, of which MEP) for département ``dep`` in 2024."""
    total = mep = None
    with prof_csv.open(encoding="utf-8-sig") as fh:
        for r in csv.DictReader(fh):
            if r["departement"] != dep or r["classe_age"] != "tout_age":
                continue
            if r["profession_sante"] == "Ensemble des médecins généralistes":
                total = int(r["effectif"])
            elif r["profession_sante"].startswith("Médecins généralistes à expertise particulière"):
                mep = int(r["effectif"])
    return total, mep


def apportion(weights: list[float], total: int, minimum: int = 1) -> list[int]:
    """Largest-remainder apportionment with a floor of ``minimum`` per item."""
    n = len(weights)
    base = [minimum] * n
    rest = total - minimum * n
    s = sum(weights)
    quotas = [rest * w / s for w in weights]
    alloc = [int(q) for q in quotas]
    left = rest - sum(alloc)
    order = sorted(range(n), key=lambda i: quotas[i] - alloc[i], reverse=True)
    for i in order[:left]:
        alloc[i] += 1
    return [b + a for b, a in zip(base, alloc)]


def main(src: Path) -> None:
    communes = list(csv.DictReader((src / "loir-et-cher" / "communes.csv").open(encoding="utf-8")))
    n_gp, n_mep = gp_head_count(src / "france" / "professionnels-liberaux-departement-2024.csv")
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "communes.csv").open("w", newline="", encoding="utf-8") as fh:
        fh.write("# Loir-et-Cher (41): 267 communes. Population municipale: INSEE populations légales;\n")
        fh.write("# centroids: IGN Admin Express COG 2018 (merged communes: area-weighted). Licence Ouverte.\n")
        w = csv.writer(fh)
        w.writerow(["code", "name", "population", "lon", "lat"])
        for r in communes:
            w.writerow([r["code_insee"], r["nom"], r["population_municipale"], r["lon"], r["lat"]])

    hosts = [r for r in communes if int(r["population_municipale"]) >= MIN_POP]
    hosts.sort(key=lambda r: -int(r["population_municipale"]))
    counts = apportion([int(r["population_municipale"]) for r in hosts], n_gp)
    practices, clinicians = [], []
    k = 0
    for r, n in zip(hosts, counts):
        groups = -(-n // MAX_GROUP)
        sizes = [n // groups + (1 if g < n % groups else 0) for g in range(groups)]
        for g, size in enumerate(sizes):
            pid = f"P{r['code_insee']}-{g + 1}"
            kind = "msp" if size >= 3 else "cabinet"
            label = "MSP" if kind == "msp" else "Cabinet"
            practices.append([pid, f"{label} {r['nom']}" + (f" {g + 1}" if groups > 1 else ""), r["code_insee"], kind])
            for _ in range(size):
                k += 1
                clinicians.append([f"G{k:03d}", pid, "gp"])
    # Schedules: MEP GPs part-time; the others by the stated mix, spread evenly.
    n_mep = n_mep or 0
    step = len(clinicians) / max(n_mep, 1)
    mep_rows = {int(i * step) for i in range(n_mep)}
    others = [i for i in range(len(clinicians)) if i not in mep_rows]
    cut = round(len(others) * SCHEDULE_MIX[0][1])
    for j, i in enumerate(others):
        clinicians[i].append(SCHEDULE_MIX[0][0] if (j * cut) // len(others) != ((j + 1) * cut) // len(others) else SCHEDULE_MIX[1][0])
    for i in mep_rows:
        clinicians[i].append("temps_partiel")
    with (OUT / "practices.csv").open("w", newline="", encoding="utf-8") as fh:
        fh.write(f"# {len(practices)} practices placed by rule (scripts/build_loir_et_cher.py): GPs in communes\n")
        fh.write(f"# of >= {MIN_POP} inhabitants, proportional to population, groups of <= {MAX_GROUP}. ASSUMPTION.\n")
        w = csv.writer(fh)
        w.writerow(["practice_id", "name", "commune", "kind"])
        w.writerows(practices)
    with (OUT / "clinicians.csv").open("w", newline="", encoding="utf-8") as fh:
        fh.write(f"# {n_gp} self-employed GPs (incl. {n_mep} MEP, part-time here), Loir-et-Cher 2024:\n")
        fh.write("# data.ameli.fr (Assurance Maladie), Licence Ouverte. Placement and schedules: ASSUMPTION.\n")
        w = csv.writer(fh)
        w.writerow(["clinician_id", "practice_id", "kind", "schedule"])
        w.writerows(clinicians)
    print(f"{len(communes)} communes, {len(practices)} practices, {len(clinicians)} GPs -> {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data")

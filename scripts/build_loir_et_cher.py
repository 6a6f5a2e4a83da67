"""Build the default territory's data files from the public open data.

Reads the Loir-et-Cher communes (INSEE populations légales, IGN centroids) and the
2024 self-employed GP head count (data.ameli.fr) from a folder of open data (by default
``../shared/data`` beside the checkout) and writes the project's own compact tables:

- ``simsoins/data/territories/loir-et-cher/communes.csv``: code, name, population, lon, lat;
- ``.../practices.csv`` and ``.../clinicians.csv``: GPs placed by the stated rule below.

Placement: the 211 GPs go to the communes where INSEE's BPE 2020 counts self-employed GPs
(equipment D201, 271 in Loir-et-Cher), in proportion to those counts by largest remainder
(the national table ``simsoins/data/france/communes.csv.gz``, built by
``scripts/build_france.py``: run that first); within a commune they form practices of at
most ``MAX_GROUP`` GPs (3 or more = an MSP) — a rule: practices are not public as a table.
The 19 GPs « à expertise particulière » (MEP) get the part-time schedule.  Replace the two
CSV files by the real list (annuaire santé / RPPS) when you have it.

Usage: ``python scripts/build_loir_et_cher.py [OPEN_DATA_DIR]``
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "simsoins" / "data" / "territories" / "loir-et-cher"
sys.path.insert(0, str(ROOT))
from simsoins.territory.france import MAX_GROUP, place_gps  # noqa: E402  (the shared placement rule)
from simsoins.territory.france import communes as national_communes  # noqa: E402


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
    table = national_communes()[lambda c: c["dep"] == "41"].reset_index(drop=True)
    assert table["code"].tolist() == [r["code_insee"] for r in communes]
    practices, clinicians = place_gps(table, n_gp, n_mep or 0)
    with (OUT / "practices.csv").open("w", newline="", encoding="utf-8") as fh:
        fh.write(f"# {len(practices)} practices (scripts/build_loir_et_cher.py): the 2024 GPs in the communes where\n")
        fh.write("# INSEE BPE 2020 counts them, in proportion to those counts; grouped in practices of <= "
                 f"{MAX_GROUP} (ASSUMPTION).\n")
        practices.to_csv(fh, index=False, lineterminator="\r\n")
    with (OUT / "clinicians.csv").open("w", newline="", encoding="utf-8") as fh:
        fh.write(f"# {n_gp} self-employed GPs (incl. {n_mep} MEP, part-time here), Loir-et-Cher 2024:\n")
        fh.write("# data.ameli.fr (Assurance Maladie), Licence Ouverte. Placement and schedules: ASSUMPTION.\n")
        clinicians.to_csv(fh, index=False, lineterminator="\r\n")
    print(f"{len(communes)} communes, {len(practices)} practices, {len(clinicians)} GPs -> {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data")

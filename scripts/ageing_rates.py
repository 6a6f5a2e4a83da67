"""Print the yearly share of each age band that moves up to the next (``demography.ageing.moving_up``).

The share is the band's top five-year group / 5 over the band's population (the people in
the band's last year of age, ages spread evenly within the group), from INSEE's
*estimations de population au 1er janvier 2025* by département and five-year group
(``../shared/data/france/population-age-departements.csv``, Licence Ouverte).  Prints the
metropolitan figures (the config's defaults) and, with département codes as arguments,
theirs::

    python scripts/ageing_rates.py [PATH] [41 18 …]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "france" / "population-age-departements.csv"
#: each band but the last (0-14, 15-44, 45-59, 60-74): its population column, its top five-year group
BANDS = (("pop_0_14", "p10_14"), ("pop_15_44", "p40_44"), ("pop_45_59", "p55_59"), ("pop_60_74", "p70_74"))
YEARS_PER_GROUP = 5


def moving_up(rows: list[dict[str, str]]) -> list[float]:
    """The share of each band that reaches the next band in a year, over ``rows`` together."""
    def total(col: str) -> float:
        return sum(float(r[col]) for r in rows)
    return [total(top) / YEARS_PER_GROUP / total(band) for band, top in BANDS]


def main(argv: list[str]) -> None:
    path = Path(argv[0]) if argv and argv[0].endswith(".csv") else DEFAULT
    codes = [a for a in argv if not a.endswith(".csv")]
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    print("metropolitan France:", [round(x, 4) for x in moving_up(rows)])
    for code in codes:
        print(f"département {code}:", [round(x, 4) for x in moving_up([r for r in rows if r["dep"] == code])])


if __name__ == "__main__":
    main(sys.argv[1:])

"""The ``ou_agir:`` block of a placement search (« où agir »,
``configs/experiment/ou_agir.yaml``): the yearly budget that sizes the new centre, the
KPI the options are compared on and the selection's error rate.

The budget buys a centre de santé at the cost model's prices (:mod:`simsoins.results.costs`):
its ACI a year plus the deficit of each salaried GP a year
(:class:`~simsoins.config.costs.CostConfig`), so the centre has
⌊(budget − ACI) / deficit per GP⌋ GPs, at least one. :func:`budget_sized` writes that
size into the scenario's ``nouveau_centre.gps`` before the plans are built.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field

from simsoins.config.costs import CostConfig
from simsoins.config.schema import ConfigError, from_mapping, rng
from simsoins.results.kpis import KPI_UNITS

#: The lever a search places and the key of its size.
LEVER, SIZE = "nouveau_centre", "gps"


@dataclass(frozen=True)
class OuAgirConfig:
    """A placement search's settings."""

    #: public money a year for the centre (ACI + GP deficits). ASSUMPTION: 200 k€ buys
    #: 4 GPs at 39,533 € ACI (ameli 2022) + 33,000 € per GP (≈ 2023), CALIBRATION §18.3
    budget_eur_per_year: float = field(default=200_000.0, metadata=rng(0, lo_open=True))
    #: the objective (simsoins/results/kpis.py); lower is better unless ``better: higher``
    kpi: str = "routine_time_to_care_days_mean"
    better: str = field(default="lower", metadata=rng(choices=("lower", "higher")))
    #: 1 − alpha: the stated probability of correct selection. ASSUMPTION: the usual 5 %
    alpha: float = field(default=0.05, metadata=rng(0, 0.5, lo_open=True, hi_open=True))
    #: options shown in the report's table
    top: int = field(default=3, metadata=rng(1, 1_000))
    #: the indifference zone δ0 (KPI units) of the replications a two-stage procedure
    #: would need. ASSUMPTION: 0.02 days (≈ 30 min) of mean time to care, a quarter of what
    #: one 4-GP centre changes in its first year on Loir-et-Cher (≈ 0.07 days, this search)
    indifference: float = field(default=0.02, metadata=rng(0, lo_open=True))

    def check(self, path: str) -> None:
        if self.kpi not in KPI_UNITS:
            raise ConfigError(f"{path}.kpi = {self.kpi!r}: not a KPI; allowed: {', '.join(sorted(KPI_UNITS))}")


def ou_agir_config(cfg: dict) -> OuAgirConfig:
    """The ``ou_agir`` block of the composed config, checked."""
    return from_mapping(OuAgirConfig, cfg.get("ou_agir"), "ou_agir")


def centre_cost(gps: int, costs: CostConfig) -> float:
    """Euros a year of a centre de santé of ``gps`` salaried GPs, all there: its ACI and
    each GP's deficit (the cost model's lines, :func:`simsoins.results.costs.centre`)."""
    return costs.centre_aci_eur_per_year + gps * costs.centre_deficit_eur_per_gp_year


def centre_gps(budget: float, costs: CostConfig) -> int:
    """The GPs of a centre de santé that ``budget`` euros a year pay (:func:`centre_cost`)."""
    per_gp = costs.centre_deficit_eur_per_gp_year
    gps = math.floor((budget - costs.centre_aci_eur_per_year) / per_gp) if per_gp > 0 else 0
    if gps < 1:
        need = centre_cost(1, costs)
        raise ConfigError(f"ou_agir.budget_eur_per_year = {budget:g}: pays no GP of a centre de santé "
                          f"(ACI {costs.centre_aci_eur_per_year:g} € + {per_gp:g} € per GP a year); "
                          f"allowed: at least {need:g}")
    return gps


def budget_sized(cfg: dict) -> dict:
    """``cfg`` with the scenario's new centre sized by ``ou_agir.budget_eur_per_year``;
    ``cfg`` itself without an ``ou_agir`` block or when the scenario adds no centre."""
    if cfg.get("ou_agir") is None:
        return cfg
    search = ou_agir_config(cfg)
    lever = ((cfg.get("scenario") or {}).get("levers") or {}).get(LEVER) or {}
    if not lever.get("enabled"):
        return cfg
    if lever.get("kind", "centre_sante") != "centre_sante" or lever.get("per_100k") is not None:
        raise ConfigError(f"scenario.levers.{LEVER}: a search sized by ou_agir.budget_eur_per_year places a "
                          "centre de santé (kind: centre_sante, per_100k: null)")
    gps = centre_gps(search.budget_eur_per_year, from_mapping(CostConfig, cfg.get("costs"), "costs"))
    out = copy.deepcopy(cfg)
    out["scenario"]["levers"][LEVER][SIZE] = gps
    return out

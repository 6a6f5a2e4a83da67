"""The GPs' retirements and installations over a multi-year run (read by
:mod:`simsoins.levers.gp_demography`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GpDemography:
    """Retirements by age and installations of GPs, year after year."""

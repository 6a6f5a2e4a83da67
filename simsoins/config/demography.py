"""What changes over a multi-year run (« évolution démographique »): the GPs' retirements
and installations (:class:`~simsoins.config.gp_demography.GpDemography`) and the ageing of
the population (:class:`~simsoins.config.ageing.Ageing`).  A one-year run simulates the
territory as it is; a run of ``run.years`` ≥ 2 makes it change year after year
(``enabled: auto``), unless told otherwise.  docs/model.md ("Several years") gives the
rules and their sources."""

from __future__ import annotations

from dataclasses import dataclass, field

from simsoins.config.ageing import Ageing
from simsoins.config.gp_demography import GpDemography
from simsoins.config.schema import rng

#: ``enabled`` values: ``auto`` turns the changes on in runs of two years or more.
ENABLED = ("auto", "on", "off")


@dataclass(frozen=True)
class DemographyConfig:
    """Whether the territory changes over the run, and how."""

    enabled: str = field(default="auto", metadata=rng(choices=ENABLED))
    gps: GpDemography = field(default_factory=GpDemography)
    ageing: Ageing = field(default_factory=Ageing)

    def applies(self, years: int) -> bool:
        """The changes run in a run of ``years`` years."""
        return self.enabled == "on" or (self.enabled == "auto" and years >= 2)

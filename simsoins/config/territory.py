"""The ``territory`` block of the config, typed and range-checked (« description du
territoire »): where its tables are, and the figures that go with them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from simsoins.config.schema import ConfigError, rng


@dataclass(frozen=True)
class SiteConfig:
    """An ER or evening-care site: commune, and for evening care its sessions."""

    name: str = "site"
    commune: str = ""  # INSEE code of the site's commune
    slot_minutes: int = field(default=15, metadata=rng(1, 240))  # minutes per « créneau » (ASSUMPTION)
    sessions: tuple[str, ...] = ()  # evening care: weekly sessions, "mon 20:00-24:00"
    doctors: tuple[float, ...] = field(default=(), metadata=rng(0, 10_000))  # ER: per hour of day, 24 values
    finess: str = ""  # ER: FINESS of the site (établissement géographique), shown in er_sites.parquet

    def check(self, path: str) -> None:
        """Refuse a site without a commune and an ER staffing line that is not 24 whole numbers."""
        if not self.commune:
            raise ConfigError(f"{path}.commune: missing; give the INSEE code of the site's commune")
        if self.doctors and (len(self.doctors) != 24 or any(d != int(d) for d in self.doctors)):
            raise ConfigError(f"{path}.doctors = {list(self.doctors)}: must be 24 non-negative whole numbers "
                              "(doctors on duty, one per hour)")


@dataclass(frozen=True)
class TerritoryConfig:
    """A territory: its tables (CSV paths, or tables given by a builder) and figures."""

    name: str = "territory"
    label: str = ""
    communes: Any = ""  # CSV path or DataFrame: code, name, population, lon, lat
    practices: Any = ""  # CSV path or DataFrame: practice_id, name, commune, kind
    clinicians: Any = ""  # CSV path or DataFrame: clinician_id, practice_id, kind, schedule
    # shares of the population per age band (config.model.AGE_BANDS), summing to 1
    age_structure: tuple[float, ...] = field(default=(), metadata=rng(0, 1))
    # residents without a « médecin traitant » at the start: 11 % (CNAM 2021, CALIBRATION §3)
    without_mt_share: float = field(default=0.11, metadata=rng(0, 1))
    # sd of the log panel-size factor: half of GPs have 600-1,300 adult MT patients (CNAM
    # 2021, CALIBRATION §2) -> ASSUMPTION 0.25
    panel_dispersion: float = field(default=0.25, metadata=rng(0, 3))
    panel_seed: int = field(default=41, metadata=rng(0, 2**32 - 1))
    # road km ≈ 1.3 × straight-line km (ASSUMPTION; simsoins.territory.geometry.ROAD_FACTOR)
    road_factor: float = field(default=1.3, metadata=rng(1, 5))
    schedules: dict[str, tuple[str, ...]] = field(default_factory=dict)  # name → sessions
    er_sites: tuple[SiteConfig, ...] = ()
    evening_sites: tuple[SiteConfig, ...] = ()
    # INSEE code of a département to build (simsoins.territory.france), or a list of codes
    # simulated as one territory
    departement: Any = ""
    code: Any = ""  # short alias of departement, resolved in configs/territory/departement.yaml
    region: str = ""  # INSEE code of a région: its départements as one territory (wins over departement)
    rules: tuple[str, ...] = ()  # what is still a rule here: ids of simsoins.territory.rules.RULES
    #: a made-up territory (configs/territory/exemple.yaml): the dashboard warns that its geography is not real
    synthetic: bool = False

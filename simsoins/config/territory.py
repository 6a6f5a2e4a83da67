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
    commune: str = ""
    slot_minutes: int = field(default=15, metadata=rng(1, 240))
    sessions: tuple[str, ...] = ()
    doctors: tuple[float, ...] = field(default=(), metadata=rng(0, 10_000))

    def check(self, path: str) -> None:
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
    communes: Any = ""
    practices: Any = ""
    clinicians: Any = ""
    age_structure: tuple[float, ...] = field(default=(), metadata=rng(0, 1))
    without_mt_share: float = field(default=0.11, metadata=rng(0, 1))
    panel_dispersion: float = field(default=0.25, metadata=rng(0, 3))
    panel_seed: int = field(default=41, metadata=rng(0, 2**32 - 1))
    road_factor: float = field(default=1.3, metadata=rng(1, 5))
    schedules: dict[str, tuple[str, ...]] = field(default_factory=dict)
    er_sites: tuple[SiteConfig, ...] = ()
    evening_sites: tuple[SiteConfig, ...] = ()
    departement: str = ""
    code: str = ""
    coordinates: str = ""

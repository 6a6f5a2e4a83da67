"""The GPs' retirements and installations over a multi-year run (read by
:mod:`simsoins.levers.gp_demography`; the rule and its sources: docs/model.md, "Several
years: GPs")."""

from __future__ import annotations

from dataclasses import dataclass, field

from simsoins.config.schema import ConfigError, rng

#: ``age_shares`` gives the GPs' ages in five-year bands from 25–29 to 70–74.
AGE_BAND_FROM = 25
AGE_BAND_YEARS = 5
AGE_BANDS = 10
#: How far the shares may sum from 1 (they are rounded percentages).
SHARES_TOLERANCE = 0.005

#: National pyramid of GPs' ages (shares, 25–29 … 70–74). CALIBRATION §20: CNOM Atlas 2021
#: for 30–34 (12.3 %), 45–49 (10.3 %) and 60–64 (19 %); the other bands are an ASSUMPTION
#: chosen so that the mean age is ≈ 50.7 (DREES 2021: 51.1; 2023: 50.8) and 26 % are 60 or
#: older (CNOM: 23 % in 2024 to 28 % in 2017, all specialties).
DEFAULT_AGE_SHARES = (0.02, 0.123, 0.09, 0.09, 0.103, 0.13, 0.184, 0.19, 0.05, 0.02)


@dataclass(frozen=True)
class GpDemography:
    """Retirements by age and installations of GPs, year after year.  A year of the run
    is ``run.horizon_days`` days (365 by default)."""

    #: share of the territory's GPs in each age band at the run's start (see
    #: :data:`DEFAULT_AGE_SHARES`): no département pyramid is public (CALIBRATION §22)
    age_shares: tuple[float, ...] = field(default=DEFAULT_AGE_SHARES, metadata=rng(0, 1))
    #: age at which a GP stops, mean: 65.2 for liberal GPs (CARMF 2008, CALIBRATION §20)
    retirement_age_mean: float = field(default=65.2, metadata=rng(50, 80))
    #: its standard deviation (years): ASSUMPTION — CARMF's peak at 66 (> 1/3 stop then)
    #: with some working past 69 in cumul emploi-retraite (CALIBRATION §20)
    retirement_age_sd: float = field(default=2.5, metadata=rng(0, 10))
    #: a GP already past their drawn retirement age (cumul emploi-retraite) stops within
    #: this many years, uniformly (years). ASSUMPTION: 6 — those in cumul are 72.2 on
    #: average (CARMF 2023, CALIBRATION §20)
    cumul_years: float = field(default=6.0, metadata=rng(0, 20))
    #: new GPs a year, as a share of the territory's initial GPs [derived]: ≈ 4 % retire a
    #: year (CALIBRATION §20) and liberal GPs fell by ≈ 0.3 %/yr (55,000 in 2005 → 52,500
    #: in 2020, CNAM 2021, §2): 4 % − 0.3 % ≈ 3.7 %.  0 = departures without replacement
    installations_per_year: float = field(default=0.037, metadata=rng(0, 1))

    def check(self, path: str) -> None:
        """One share per band, summing to 1."""
        shares = list(self.age_shares)
        if len(shares) != AGE_BANDS or abs(sum(shares) - 1) > SHARES_TOLERANCE:
            last = AGE_BAND_FROM + AGE_BAND_YEARS * AGE_BANDS - 1
            raise ConfigError(f"{path}.age_shares = {shares}: must be {AGE_BANDS} shares (ages {AGE_BAND_FROM}–"
                              f"{last} in five-year bands) summing to 1 (± {SHARES_TOLERANCE})")

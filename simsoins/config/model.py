"""Typed, frozen model configuration.

Hydra composes plain mappings; :func:`build_model` turns them into the frozen dataclasses
of this module (validated by :mod:`simsoins.config.schema`). A bad value raises
:class:`ConfigError`, whose message names the full config path, the value and what is
allowed — the entry point prints it as one line and exits with status 2.

The defaults are those of ``configs/config.yaml`` (what the command line runs, and what
every published figure came from); ``tests/test_defaults.py`` checks that they agree
field by field.  The YAML is where each default's source is documented in full; the
comments here give its gist (CALIBRATION §N = the project's calibration notes,
docs/calibration-sources.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from simsoins.config.demography import DemographyConfig
from simsoins.config.levers import Levers
from simsoins.config.schema import ConfigError, _check_range, check_date, from_mapping, merge, rng  # noqa: F401
from simsoins.vocabulary import AVOIDABLE_ER_PRIORITY, NEEDS

# --------------------------------------------------------------------------- run

#: The dates a run may start on. Results carry pandas timestamps, whose calendar ends on
#: 2262-04-11; the longest run (:data:`MAX_RUN_DAYS`, plus the books' tail) started on
#: the last date allowed ends well before that.
START_DATE_RANGE = (dt.date(1900, 1, 1), dt.date(2199, 12, 31))
#: The longest run: warm-up + years × horizon (days), thirty years.
MAX_RUN_DAYS = 10_950


@dataclass(frozen=True)
class RunConfig:
    """How a run is simulated: length, replications, seed, worker processes."""

    #: replications (Student-t 95 % CI over them): 5 gives the main KPIs a CI within 5 % of
    #: their mean on Loir-et-Cher (``python -m simsoins.validate``)
    replications: int = field(default=5, metadata=rng(1, 10_000))
    horizon_days: int = field(default=365, metadata=rng(1, 3_650))  # measured period: one year
    #: measured years: ``years`` consecutive periods of ``horizon_days`` each, KPIs per
    #: period (``year`` in kpis.parquet) and over all of them
    years: int = field(default=1, metadata=rng(1, 20))
    #: books fill within the 28-day booking horizon; 8 weeks to be safe
    warmup_days: int = field(default=56, metadata=rng(0, 3_650))
    seed: int = field(default=20261102, metadata=rng(0, 2**63 - 1))
    #: worker processes for replications (results do not depend on it)
    jobs: int = field(default=2, metadata=rng(1, 1_024))
    #: a Monday; docteurs juniors start on 2 Nov 2026 (CALIBRATION §10)
    start_date: str = "2026-11-02"
    #: which replications' event logs are written
    event_log: str = field(default="first", metadata=rng(choices=("first", "all", "none")))

    def check(self, path: str) -> None:
        try:
            d = dt.date.fromisoformat(self.start_date)
        except ValueError:
            raise ConfigError(
                f"{path}.start_date = {self.start_date!r}: must be a date YYYY-MM-DD"
            ) from None
        lo, hi = START_DATE_RANGE
        if not lo <= d <= hi:
            raise ConfigError(f"{path}.start_date = {self.start_date!r}: must be between {lo} and {hi}")
        if d.weekday() != 0:
            raise ConfigError(
                f"{path}.start_date = {self.start_date!r}: must be a Monday "
                "(the clock starts on Monday 00:00)"
            )
        if self.end_day > MAX_RUN_DAYS:
            raise ConfigError(
                f"{path}.years = {self.years}: warm-up + years × horizon_days = {self.end_day} days; "
                f"at most {MAX_RUN_DAYS:,} (thirty years)"
            )
        if self.warmup_days > self.horizon_days:
            raise ConfigError(
                f"{path}.warmup_days = {self.warmup_days}: must be ≤ run.horizon_days "
                f"({self.horizon_days})"
            )

    @property
    def end_day(self) -> int:
        """The day the measured window ends: warm-up, then ``years`` × ``horizon_days``."""
        return self.warmup_days + self.years * self.horizon_days

    @property
    def start(self) -> dt.date:
        return dt.date.fromisoformat(self.start_date)


# ------------------------------------------------------------------------ demand

AGE_BANDS = ("0-14", "15-44", "45-59", "60-74", "75+")


@dataclass(frozen=True)
class LognormalSpec:
    """A lognormal law given by its median and the sigma of its logarithm."""

    median: float = field(default=1.0, metadata=rng(0, lo_open=True))
    sigma: float = field(default=0.5, metadata=rng(0, 5))


@dataclass(frozen=True)
class DemandConfig:
    """Demand: yearly rates per inhabitant by age band and need, and when patients ask."""

    age_bands: tuple[str, ...] = AGE_BANDS
    # Requests per inhabitant per year by age band. Routine + acute per band ∝ the DREES/Cnam
    # relative GP consumption by age (APL weights 2023 collapsed to these bands:
    # simsoins.results.communes.APL_AGE_WEIGHTS, printed by scripts/build_france.py), scaled
    # so that Loir-et-Cher's 2025 population asks 3.26 a year as before (≈ 3.0 GP requests
    # in all, CALIBRATION §1, §14): 3.102 × weight − acute.
    routine_per_year: tuple[float, ...] = field(default=(1.46, 1.98, 2.82, 3.56, 4.83), metadata=rng(0, 100))
    #: soins non programmés: 11-19 % of GP activity (DREES ER 471, CALIBRATION §1)
    acute_per_year: tuple[float, ...] = field(default=(0.75, 0.45, 0.4, 0.42, 0.55), metadata=rng(0, 100))
    #: to the ER whatever primary care offers; with avoidable visits (≈ 17 %), ≈ 0.31 ED visits
    #: in all (DREES ER 1320, CALIBRATION §8)
    emergency_per_year: tuple[float, ...] = field(default=(0.285, 0.22, 0.19, 0.24, 0.455), metadata=rng(0, 100))
    # Month profiles (Jan..Dec), rescaled to mean 1: winter epidemics, Doctolib peaks up to
    # +35 % (CALIBRATION §1); the summer dip is an ASSUMPTION.
    season_routine: tuple[float, ...] = field(
        default=(1.08, 1.05, 1.08, 1.0, 0.98, 1.0, 0.9, 0.78, 1.05, 1.04, 1.02, 1.02), metadata=rng(0, 10))
    season_acute: tuple[float, ...] = field(
        default=(1.35, 1.25, 1.1, 0.95, 0.9, 0.9, 0.8, 0.75, 0.95, 1.0, 1.05, 1.3), metadata=rng(0, 10))
    season_emergency: tuple[float, ...] = field(
        default=(1.08, 1.02, 1.0, 0.98, 1.0, 1.02, 1.05, 1.02, 0.97, 0.97, 0.95, 1.04), metadata=rng(0, 10))
    #: Monday..Sunday, rescaled to mean 1: Monday = 20 % of the week, Sunday ≈ 1 % (CALIBRATION §1)
    weekday: tuple[float, ...] = field(default=(1.4, 1.1, 1.0, 1.0, 1.05, 0.35, 0.1), metadata=rng(0, 10))
    # Hour-of-day profiles (00h..23h): not public (CALIBRATION §17), ASSUMPTION.
    hour_routine: tuple[float, ...] = field(
        default=(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0, 8.0, 10.0, 9.0, 8.0,
                 5.0, 4.0, 7.0, 7.0, 6.0, 5.0, 4.0, 2.0, 1.0, 0.5, 0.0, 0.0), metadata=rng(0, 100))
    hour_acute: tuple[float, ...] = field(
        default=(0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.6, 3.0, 9.0, 9.0, 7.0, 5.0,
                 4.0, 4.0, 5.0, 5.0, 4.0, 4.0, 3.5, 3.0, 2.0, 1.5, 1.0, 0.5), metadata=rng(0, 100))
    hour_emergency: tuple[float, ...] = field(
        default=(1.5, 1.1, 0.9, 0.8, 0.8, 0.9, 1.5, 3.0, 5.0, 6.5, 7.0, 6.5,
                 6.0, 6.0, 6.0, 6.0, 6.0, 6.0, 6.0, 6.0, 5.0, 4.0, 3.0, 2.0), metadata=rng(0, 100))
    # Teleconsultation eligibility: ASSUMPTION, checked against tele = 2.2 % of rural GP
    # activity (DREES ER 1249, CALIBRATION §6).
    tele_eligible_routine: float = field(default=0.3, metadata=rng(0, 1))
    tele_eligible_acute: float = field(default=0.4, metadata=rng(0, 1))
    tele_eligible_75plus_factor: float = field(default=0.4, metadata=rng(0, 1))
    #: longest wait accepted: ASSUMPTION, fitted (docs/calibration.md, 2026-12-04)
    routine_patience_days: LognormalSpec = LognormalSpec(median=16.32, sigma=0.8)
    #: acute: "within 24-48 h", ASSUMPTION
    acute_patience_hours: LognormalSpec = LognormalSpec(median=30.0, sigma=0.5)
    #: travel limit: ASSUMPTION; DREES APL counts practices within ~20 min (CALIBRATION §13)
    travel_km: LognormalSpec = LognormalSpec(median=15.0, sigma=0.5)

    def check(self, path: str) -> None:
        self._check_age_bands(path)
        for name, size in _PROFILE_SIZES:
            v = getattr(self, name)
            if len(v) != size:
                raise ConfigError(f"{path}.{name}: must have {size} values, got {len(v)}")
            # a profile is rescaled by its mean: that mean must be a positive number (a
            # profile of zeros and one denormal value sums to more than 0, but its mean is 0)
            if not sum(v) / len(v) > 0:
                raise ConfigError(f"{path}.{name} = {list(v)}: must not be all zero (its mean must be positive)")

    def _check_age_bands(self, path: str) -> None:
        n = len(self.age_bands)
        if n == 0:
            raise ConfigError(f"{path}.age_bands = []: must name at least one age band")
        if len(set(self.age_bands)) != n:
            raise ConfigError(f"{path}.age_bands = {list(self.age_bands)}: names must be unique")
        for name in ("routine_per_year", "acute_per_year", "emergency_per_year"):
            v = getattr(self, name)
            if len(v) != n:
                raise ConfigError(f"{path}.{name} = {list(v)}: must have one value per age band ({n})")


#: (field, length) of the demand profiles: weekday, month of year, hour of day
_PROFILE_SIZES = (("weekday", 7), *((f"season_{k}", 12) for k in NEEDS), *((f"hour_{k}", 24) for k in NEEDS))


# --------------------------------------------------------------------- capacity


@dataclass(frozen=True)
class ClinicianDefaults:
    """Defaults for clinicians whose row in the territory file leaves a column empty."""

    slot_minutes: int = field(default=20, metadata=rng(1, 240))  # 18 min mean consultation (CALIBRATION §2)
    #: held for same-day care: ASSUMPTION fitted (docs/calibration.md; soins non programmés = 11-19 % of activity)
    same_day_share: float = field(default=0.3, metadata=rng(0, 1))
    leave_weeks: float = field(default=6.2, metadata=rng(0, 52))  # DREES Panel 4 2019 (CALIBRATION §2)
    no_show_known: float = field(default=0.03, metadata=rng(0, 1))  # Doctolib 2022-24 (CALIBRATION §5)
    no_show_new: float = field(default=0.054, metadata=rng(0, 1))  # Doctolib 2024 (CALIBRATION §5)
    #: 65 % of GPs refuse new MT patients (DREES Panel 4 2022, CALIBRATION §2)
    accepts_new_share: float = field(default=0.35, metadata=rng(0, 1))
    panel_room: float = field(default=0.02, metadata=rng(0, 10))  # ASSUMPTION: panels may grow 2 %
    # No-shows that grow with the lead time (Green & Savin 2008): None = the constant rates
    # above; else γ(lead) = no_show_max − (no_show_max − γ_0)·exp(−lead / no_show_scale_days),
    # γ_0 = no_show_known or no_show_new (the same-day rate), lead in whole days.
    # ASSUMPTION, off by default: fitted values not retrieved (CALIBRATION §15.1).
    no_show_max: float | None = field(default=None, metadata=rng(0, 1))
    no_show_scale_days: float = field(default=7.0, metadata=rng(0, 3_650, lo_open=True))
    # A GP who takes no new MT patient still sees a patient who is not theirs (another
    # practice's, or without an MT), for this share of requests. Acute: ASSUMPTION (not
    # published; unscheduled care of strangers is part of GP practice, DREES ER 471, §1).
    # Routine: UFC-Que Choisir 2019 mystery shopping, 9 % of GPs "see the patient first"
    # among the 53 % who do not accept a new MT patient outright: 9 / 53 ≈ 0.17 (CALIBRATION §2).
    non_accepting_sees_acute_share: float = field(default=0.5, metadata=rng(0, 1))
    non_accepting_sees_routine_share: float = field(default=0.17, metadata=rng(0, 1))

    def check(self, path: str) -> None:
        if self.no_show_max is not None and self.no_show_max < max(self.no_show_known, self.no_show_new):
            raise ConfigError(
                f"{path}.no_show_max = {self.no_show_max!r}: must be ≥ the same-day rates {path}.no_show_known "
                f"({self.no_show_known}) and {path}.no_show_new ({self.no_show_new}), or null (constant rates)"
            )


@dataclass(frozen=True)
class WalkInConfig:
    """Direct ER walk-ins (« recours direct aux urgences »): an acute patient who goes to the
    ER without trying primary care, with probability ``office_probability`` × the hour's
    factor × a distance factor × the age band's factor × ``mt_factor`` if they have an MT
    (sim/walkin.py).  CALIBRATION §8: 6 in 10 ED patients self-referred, "absence of MT"
    cited by 6 %; the values are ASSUMPTIONs, set so that avoidable visits are ≈ 17 % of ED
    visits (Cour des comptes 2017; 27 % DREES 2013)."""

    #: weekdays 08:00-20:00 and Saturday 08:00-12:00, when GP practices are open: ASSUMPTION
    office_probability: float = field(default=0.07, metadata=rng(0, 1))
    #: Monday-Friday 20:00-24:00: ASSUMPTION (practices closed, CALIBRATION §8)
    evening_factor: float = field(default=2.5, metadata=rng(0, 100))
    #: every day 00:00-08:00: ASSUMPTION
    night_factor: float = field(default=3.0, metadata=rng(0, 100))
    #: Saturday from 12:00, Sunday 08:00-24:00: ASSUMPTION
    weekend_factor: float = field(default=2.5, metadata=rng(0, 100))
    # Distance factor ((d_pc + offset) / (d_er + offset)) ** elasticity, within its bounds:
    # d_er the nearest ER, d_pc the nearest practice, evening site or unscheduled-care unit
    # open at that hour within the median travel limit (none: the upper bound). ASSUMPTION
    # (no French estimate found).
    distance_elasticity: float = field(default=0.5, metadata=rng(0, 10))
    distance_offset_km: float = field(default=5.0, metadata=rng(0, 1_000, lo_open=True))
    distance_factor_bounds: tuple[float, ...] = field(default=(0.3, 2.0), metadata=rng(0, 100))
    #: an answer counts at an hour if it is on within this many hours of it (a practice
    #: reopening after lunch, not the next morning): ASSUMPTION
    answer_within_hours: float = field(default=3.0, metadata=rng(0, 168))
    #: per age band (demand.age_bands): children and young adults self-refer more: ASSUMPTION
    age_factors: tuple[float, ...] = field(default=(1.3, 1.2, 0.9, 0.8, 0.9), metadata=rng(0, 100))
    #: having a médecin traitant: ASSUMPTION ("absence of MT" cited by 6 %, CALIBRATION §8)
    mt_factor: float = field(default=0.8, metadata=rng(0, 100))
    #: with the SAS on, share of would-be walk-ins who call it first: ASSUMPTION (CALIBRATION §7)
    sas_first_share: float = field(default=0.3, metadata=rng(0, 1))

    def check(self, path: str) -> None:
        lo_hi = self.distance_factor_bounds
        if len(lo_hi) != 2 or lo_hi[0] > lo_hi[1]:
            raise ConfigError(f"{path}.distance_factor_bounds = {list(lo_hi)}: must be [low, high] with low ≤ high")


@dataclass(frozen=True)
class PathwayConfig:
    """Patients' pathways: booking rules, retries, fall-backs to the ER."""

    booking_horizon_days: int = field(default=28, metadata=rng(1, 365))  # ASSUMPTION: books open 4 weeks ahead
    # Shortest notice of a booking by need (minutes), and how long before a held same-day
    # slot is opened to all if unused (hours): ASSUMPTION.
    routine_min_lead_minutes: int = field(default=60, metadata=rng(0, 10_080))
    acute_min_lead_minutes: int = field(default=30, metadata=rng(0, 1_440))
    # ASSUMPTION: the platform's first free slot at least 15 min ahead
    tele_min_lead_minutes: int = field(default=15, metadata=rng(0, 1_440))
    held_release_hours: float = field(default=3.0, metadata=rng(0, 48))
    #: practices called before giving up: ASSUMPTION
    max_practices_tried: int = field(default=8, metadata=rng(0, 1_000))
    #: a routine patient who found nothing tries again a week later: ASSUMPTION fitted (docs/calibration.md)
    routine_retry_probability: float = field(default=0.3, metadata=rng(0, 1))
    routine_retry_after_days: float = field(default=7.0, metadata=rng(0, 365, lo_open=True))
    routine_max_retries: int = field(default=2, metadata=rng(0, 20))
    #: acute with nothing in primary care: share who then go to the ER (the rest renounce).
    #: ASSUMPTION; with the walk-ins, checked against avoidable ER visits = 6-27 % of ED
    #: visits (CALIBRATION §8)
    acute_er_probability: float = field(default=0.6, metadata=rng(0, 1))
    tele_uptake: float = field(default=0.5, metadata=rng(0, 1))  # ASSUMPTION: accepts a teleconsultation
    #: a patient without an MT registers after a visit if there is room: ASSUMPTION
    mt_attach_probability: float = field(default=0.25, metadata=rng(0, 1))
    mt_loss_rate_per_year: float = field(default=0.02, metadata=rng(0, 1))  # ASSUMPTION: moves, changes of GP
    #: a routine patient who misses the appointment asks again at its time (« rejoint la
    #: file », Green & Savin 2008's r): ASSUMPTION, off by default
    no_show_rejoin_probability: float = field(default=0.0, metadata=rng(0, 1))
    walkin: WalkInConfig = WalkInConfig()


@dataclass(frozen=True)
class ErConfig:
    """Emergency departments: service times, triage and staffing rule."""

    #: doctor time per ER patient: ASSUMPTION
    service_minutes_mean: float = field(default=45.0, metadata=rng(0, 1_440, lo_open=True))
    service_distribution: str = field(
        default="lognormal", metadata=rng(choices=("exponential", "lognormal", "deterministic"))
    )
    service_cv: float = field(default=0.8, metadata=rng(0, 5))
    #: avoidable visits take less doctor time: ASSUMPTION
    avoidable_service_factor: float = field(default=0.6, metadata=rng(0, 10, lo_open=True))
    #: triage levels 1-3 of emergencies: ASSUMPTION
    triage_shares: tuple[float, ...] = field(default=(0.05, 0.35, 0.6), metadata=rng(0, 1))
    #: staffing rule: ASSUMPTION (rosters not public)
    target_occupancy: float = field(default=0.85, metadata=rng(0.05, 1))
    min_doctors: int = field(default=1, metadata=rng(0, 1_000))

    def check(self, path: str) -> None:
        if abs(sum(self.triage_shares) - 1.0) > 1e-6:
            raise ConfigError(
                f"{path}.triage_shares = {list(self.triage_shares)}: must sum to 1"
            )
        if len(self.triage_shares) >= AVOIDABLE_ER_PRIORITY:
            raise ConfigError(f"{path}.triage_shares = {list(self.triage_shares)}: at most "
                              f"{AVOIDABLE_ER_PRIORITY - 1} triage levels")


@dataclass(frozen=True)
class TeleConfig:
    """Teleconsultation platform serving the territory (« plateformes de téléconsultation »)."""

    # Platform lines grow with the territory it serves: slots per hour per 100,000
    # inhabitants. ASSUMPTION sized so that tele ≈ 2-3 % of GP activity in a rural
    # département (DREES ER 1249, CALIBRATION §6).
    slots_per_hour_per_100k: float = field(default=1.2, metadata=rng(0, 1_000))
    slot_minutes: int = field(default=15, metadata=rng(1, 240))
    open_hours: tuple[int, ...] = field(default=(8, 22), metadata=rng(0, 24))
    open_days: tuple[int, ...] = field(default=(0, 1, 2, 3, 4, 5, 6), metadata=rng(0, 6))

    def check(self, path: str) -> None:
        if len(self.open_hours) != 2 or self.open_hours[0] >= self.open_hours[1]:
            raise ConfigError(
                f"{path}.open_hours = {list(self.open_hours)}: must be [start, end] with start < end"
            )


@dataclass(frozen=True)
class ModelConfig:
    """Everything a replication needs besides the territory and the seed."""

    demand: DemandConfig = DemandConfig()
    clinicians: ClinicianDefaults = ClinicianDefaults()
    pathways: PathwayConfig = PathwayConfig()
    er: ErConfig = ErConfig()
    tele: TeleConfig = TeleConfig()
    levers: Levers = field(default_factory=Levers)
    demography: DemographyConfig = field(default_factory=DemographyConfig)


@dataclass(frozen=True)
class DashboardConfig:
    """The dashboard's language: French (the planners') or English; whether each run writes
    its own ``dashboard.html`` (a large sweep may leave them out: it has its own report)."""

    lang: str = field(default="fr", metadata=rng(choices=("fr", "en")))
    write: bool = True


def build_model(data: Mapping, path: str = "") -> ModelConfig:
    """Model config from a plain mapping (the Hydra config minus run/territory/hydra)."""
    model = from_mapping(ModelConfig, data, path)
    _check_walkin_age_factors(model, f"{path}.pathways.walkin" if path else "pathways.walkin")
    return model


def _check_walkin_age_factors(model: ModelConfig, path: str) -> None:
    """The walk-in factors by age band match the demand's age bands (two blocks, one rule)."""
    n, factors = len(model.demand.age_bands), model.pathways.walkin.age_factors
    if len(factors) != n:
        raise ConfigError(f"{path}.age_factors = {list(factors)}: must have one value per age band ({n})")

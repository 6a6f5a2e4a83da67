"""Policy levers (« leviers »): typed parameters, every one off or zero in the baseline.

Each lever drives its own mechanism (see :mod:`simsoins.levers` and docs/levers.md); the
size of its effect is a parameter whose default comes from a public evaluation, cited in
``configs/scenario/*.yaml`` next to the value.  Dates are ISO strings; an empty date
means the start of the run.  Places are INSEE commune codes or practice / clinician ids
of the territory; ``auto`` lets a stated rule choose them on any territory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from simsoins.config.schema import ConfigError, check_date, rng
from simsoins.vocabulary import WEEKDAYS

#: Largest dose per 100,000 inhabitants a lever takes (``per_100k``, simsoins/levers/per100k.py):
#: a guard, above the densest département's self-employed GPs (Hautes-Alpes, 125 per 100,000:
#: data.ameli.fr 2024, simsoins/data/france/departements.csv; France 81).
PER_100K_MAX = 200.0


#: ``nouveau_centre.candidate_rank`` of a search's reference job: no centre is added.
NO_CENTRE = -1


def per_100k_field(at_least_one: bool = False) -> Any:
    """A lever's ``per_100k``: its size per 100,000 inhabitants of the territory, resolved
    into the absolute size before the plan is built (null: the absolute size is used);
    ``at_least_one``: the lever has at least one (a centre's GP, a unit's doctor), so 0 is refused."""
    return field(default=None, metadata=rng(0, PER_100K_MAX, lo_open=at_least_one))


class _Dated:
    """Mixin: validate every ``*date`` field."""

    __dataclass_fields__: ClassVar[dict[str, Any]]

    def check(self, path: str) -> None:
        for name in self.__dataclass_fields__:
            if name.endswith("date"):
                check_date(f"{path}.{name}", getattr(self, name))


@dataclass(frozen=True)
class CptsLever(_Dated):
    """CPTS: member practices move a share of their slots into a shared pool (« créneaux
    de soins non programmés de la CPTS ») open to any patient of its area, with or without
    an MT; and a campaign that gives an MT to residents without one, within panel room."""

    enabled: bool = False
    # ASSUMPTION, within the SNP share of GP activity, 11-19 % (CALIBRATION §1, DREES ER 471)
    pool_share: float = field(default=0.1, metadata=rng(0, 1))
    members: tuple[str, ...] = ("all",)
    area: tuple[str, ...] = ("all",)
    mt_campaign_share: float = field(default=0.0, metadata=rng(0, 1))
    mt_campaign_room: float = field(default=0.05, metadata=rng(0, 1))  # ASSUMPTION
    start_date: str = ""


@dataclass(frozen=True)
class AssistantsLever(_Dated):
    """Assistants médicaux: ``count`` GPs (listed, else those with the most MT patients per
    slot) see more patients per hour and may take larger MT panels, after a ramp-up."""

    count: int = field(default=0, metadata=rng(0, 100_000))
    per_100k: float | None = per_100k_field()  # GPs with an assistant per 100,000 inhabitants
    clinicians: tuple[str, ...] = ()
    # CALIBRATION §9 (CNAM evaluation, 402 GPs over 48 months): +7.2 % acts per worked
    # day; MT panel +19.5 % over four years
    acts_gain: float = field(default=0.072, metadata=rng(0, 2))
    panel_gain: float = field(default=0.195, metadata=rng(0, 5))
    panel_gain_years: float = field(default=4.0, metadata=rng(0, 50, lo_open=True))
    ramp_months: float = field(default=6.0, metadata=rng(0, 120))  # ASSUMPTION
    start_date: str = ""
    #: GPs given an assistant on each anniversary of ``start_date`` during the run, the next
    #: ones in the ranking (0: none; ASSUMPTION, a planner's choice: 7,240 contracts after
    #: 4.5 years nationally, ≈ 1,600 a year, CALIBRATION §9)
    added_per_year: int = field(default=0, metadata=rng(0, 100_000))


@dataclass(frozen=True)
class JuniorsLever(_Dated):
    """Docteurs juniors: a cohort of ``count`` fourth-year residents each November, hosted
    by practices with a GP (« maître de stage ») in the least served communes first (or
    the listed ``practices``), each with their own schedule and book and the GPs' leave,
    supervised by a GP of the practice who loses a share of their own slots."""

    count: int = field(default=0, metadata=rng(0, 5_000))  # per cohort; ≈3,700 nationally in 2026 (CALIBRATION §19)
    per_100k: float | None = per_100k_field()  # juniors per cohort per 100,000 inhabitants
    practices: tuple[str, ...] = ()
    # ASSUMPTION: one junior per host practice (Nouvelle-Aquitaine: 508 volunteer
    # supervisors for ≈ 300 juniors, CALIBRATION §19); never more than its GPs
    per_practice: int = field(default=1, metadata=rng(1, 100))
    start_date: str = "2026-11-02"  # the first cohort's start (CALIBRATION §19)
    months: float = field(default=12.0, metadata=rng(0, 120, lo_open=True))  # two semesters (CALIBRATION §10)
    # a new cohort every 2 November: the reform is permanent, one intake a year
    # (CALIBRATION §19); 0 = every year of the run
    cohorts: int = field(default=0, metadata=rng(0, 100))
    #: size of each cohort relative to ``count`` (the last repeated): the general-medicine
    #: internat posts three years before, 2023 intake 3,858 → Nov 2026, 2024 intake 2,963 →
    #: Nov 2027 (2,963 / 3,858 = 0.768), 2025 intake 3,894 → Nov 2028 (1.009) (CALIBRATION §19)
    cohort_scale: tuple[float, ...] = field(default=(1.0, 0.768, 1.009), metadata=rng(0, 10))
    # 7 half-days of 30-minute slots: 56 a week, above the 200-a-month floor of décret
    # 2025-850 (≈ 46 a week, CALIBRATION §10); the days and length: ASSUMPTION
    schedule: tuple[str, ...] = ("mon 08:30-12:30", "mon 14:00-18:00", "tue 08:30-12:30", "tue 14:00-18:00",
                                 "thu 08:30-12:30", "thu 14:00-18:00", "fri 08:30-12:30")
    slot_minutes: int = field(default=30, metadata=rng(1, 240))
    same_day_share: float = field(default=0.2, metadata=rng(0, 1))  # ASSUMPTION
    # ASSUMPTION: supervision intensity is not published (CALIBRATION §10)
    supervision_share: float = field(default=0.1, metadata=rng(0, 1))

    def check(self, path: str) -> None:
        super().check(path)
        if not self.cohort_scale:
            raise ConfigError(f"{path}.cohort_scale = []: must give at least one relative size (1.0: every "
                              "cohort of count)")


#: Share of a new centre's GPs who come from the area's practices, by kind, when
#: ``from_existing_share`` is not given. ASSUMPTION (no published figure, CALIBRATION §11):
#: an MSP mostly regroups GPs already in place; a centre de santé mostly hires salaried
#: GPs who were not practising there (young GPs, GPs from elsewhere).
FROM_EXISTING_SHARE = {"centre_sante": 0.25, "msp": 0.75}


@dataclass(frozen=True)
class NewCentreLever(_Dated):
    """A new centre de santé or MSP at ``commune`` (``auto``: the most under-served large
    commune): ``gps`` GPs, a share ``from_existing_share`` of them moving in from the
    area's practices (with their patients), the others newcomers joining over
    ``ramp_months`` after opening; same-day slots open to every patient; a centre de
    santé has extended hours and salaried GPs, an MSP standard hours."""

    enabled: bool = False
    commune: str = "auto"
    #: with ``commune: auto``, the rank of the commune among the candidates least served
    #: first (0: the least served); -1: no centre, the paired reference of a placement
    #: search (configs/experiment/ou_agir.yaml, docs/experiments/ou_agir.md)
    candidate_rank: int = field(default=0, metadata=rng(NO_CENTRE, 10_000))
    kind: str = field(default="centre_sante", metadata=rng(choices=("centre_sante", "msp")))
    gps: int = field(default=4, metadata=rng(1, 1_000))  # ASSUMPTION
    per_100k: float | None = per_100k_field(at_least_one=True)  # the centre's GPs per 100,000 inhabitants
    #: null = the kind's default (FROM_EXISTING_SHARE: centre 0.25, MSP 0.75; ASSUMPTION)
    from_existing_share: float | None = field(default=None, metadata=rng(0, 1))
    opening_date: str = ""
    ramp_months: float = field(default=12.0, metadata=rng(0, 120))  # ASSUMPTION
    # centre de santé: evenings to 20:00 and Saturday morning: open ≥ 5 days a week, a
    # France Santé criterion (CALIBRATION §11); the hours: ASSUMPTION
    schedule: tuple[str, ...] = ("mon 08:00-12:00", "mon 14:00-20:00", "tue 08:00-12:00", "tue 14:00-20:00",
                                 "wed 08:00-12:00", "thu 08:00-12:00", "thu 14:00-20:00", "fri 08:00-12:00",
                                 "sat 09:00-12:00")
    # MSP: a full-time liberal GP's nine half-days (as the territories' `temps_plein`);
    # ASSUMPTION (≈ 36 h of consultations a week)
    msp_schedule: tuple[str, ...] = ("mon 08:30-12:30", "mon 14:00-18:00", "tue 08:30-12:30", "tue 14:00-18:00",
                                     "wed 08:30-12:30", "thu 08:30-12:30", "thu 14:00-18:00", "fri 08:30-12:30",
                                     "fri 14:00-18:00")
    slot_minutes: int = field(default=20, metadata=rng(1, 240))  # ≈ 18 minutes a consultation (CALIBRATION §2)
    same_day_share: float = field(default=0.3, metadata=rng(0, 1))  # ASSUMPTION

    @property
    def existing_share(self) -> float:
        """Share of the GPs who come from the area's practices (the kind's default if unset)."""
        return FROM_EXISTING_SHARE[self.kind] if self.from_existing_share is None else self.from_existing_share


@dataclass(frozen=True)
class TeleLever:
    """Teleconsultation: more platform capacity, higher uptake, and cabines (pharmacies,
    mairies) in named communes that make older patients eligible and raise uptake there."""

    extra_slots_per_hour: int = field(default=0, metadata=rng(0, 1_000))
    per_100k: float | None = per_100k_field()  # extra slots per hour per 100,000 inhabitants
    uptake_gain: float = field(default=0.0, metadata=rng(0, 1))
    eligibility_gain: float = field(default=0.0, metadata=rng(0, 10))
    cabines: tuple[str, ...] = ()
    cabine_uptake_gain: float = field(default=0.2, metadata=rng(0, 1))  # ASSUMPTION


@dataclass(frozen=True)
class MedicobusLever(_Dated):
    """A médicobus: a weekly route (weekday → commune, ``auto`` = the most under-served
    communes without a practice) with one GP and their slots at each stop."""

    enabled: bool = False
    # Monday to Friday, one commune a day (the Orne's and the Cher's médicobus, CALIBRATION §12)
    route: dict[str, str] = field(default_factory=lambda: dict.fromkeys(WEEKDAYS[:5], "auto"))
    # 7 hours of 15-minute slots: 28 a day, near the Orne's ≈ 25 patients a day (CALIBRATION §21)
    sessions: tuple[str, ...] = ("09:00-12:30", "13:30-17:00")
    slot_minutes: int = field(default=15, metadata=rng(1, 240))
    start_date: str = ""

    def check(self, path: str) -> None:
        super().check(path)
        bad = sorted(set(self.route) - set(WEEKDAYS))
        if bad:
            raise ConfigError(f"{path}.route.{bad[0]}: unknown weekday; use {', '.join(WEEKDAYS)}")


@dataclass(frozen=True)
class SasLever:
    """SAS (service d'accès aux soins): acute requests that primary care could not place
    call a regulation line; a caller not answered within their patience hangs up; the
    regulator gives advice on the phone (« conseil médical ») or orients the patient to a
    SAS slot held by GPs (« effecteurs ») within ``hours_window``, teleconsultation,
    evening care, the ER or the SAMU.  The orientation shares are of answered calls; the
    rest (1 − their sum) are given a SAS slot."""

    enabled: bool = False
    # regulators per hour, call length, slot and orientation shares: ASSUMPTION (SAS
    # volumes and orientations are not published, CALIBRATION §7)
    regulators: tuple[float, ...] = field(default=(1.0,) * 8 + (2.0,) * 12 + (1.0,) * 4, metadata=rng(0, 1_000))
    #: regulators at the busiest hour per 100,000 inhabitants, the roster's shape kept
    per_100k: float | None = per_100k_field()
    call_minutes_mean: float = field(default=8.0, metadata=rng(0, 600, lo_open=True))
    # mean patience on hold (exponential): ASSUMPTION; 16 % of calls to the 15 went
    # unanswered in 2016 (SAE, egora.fr 23/08/2018, Samu-Urgences de France target: 1 %)
    hold_minutes_mean: float = field(default=20.0, metadata=rng(0, 10_000, lo_open=True))
    # share of MT-capable GPs' slots held for the SAS, in all: ASSUMPTION
    slot_share: float = field(default=0.03, metadata=rng(0, 1))
    # share of MT-capable GPs who volunteer as effecteurs and hold them: ≈ 8,000 registered
    # effecteurs for 80 % of the population (DGOS, Le Quotidien du médecin 15/03/2024) over
    # 51,775 liberal GPs (CALIBRATION §2): 8,000 / (0.8 × 51,775) ≈ 0.2
    effecteur_share: float = field(default=0.2, metadata=rng(0, 1, lo_open=True))
    advice_share: float = field(default=0.2, metadata=rng(0, 1))
    tele_share: float = field(default=0.1, metadata=rng(0, 1))
    evening_share: float = field(default=0.05, metadata=rng(0, 1))
    # acute requests need a GP by definition (docs/model.md): few sent to hospital
    er_share: float = field(default=0.05, metadata=rng(0, 1))
    samu_share: float = field(default=0.01, metadata=rng(0, 1))
    # triage level 1 among SAMU patients: ASSUMPTION, as in the ER's levels 1-2 (0.05 / 0.40)
    samu_priority1_share: float = field(default=0.125, metadata=rng(0, 1))
    # the SAS target: a GP appointment within 48 h (CALIBRATION §7)
    hours_window: float = field(default=48.0, metadata=rng(0, 24 * 14, lo_open=True))

    #: orientations of an answered call in the order of the cumulative shares drawn from
    #: ``u_sas`` (simsoins.sim.router); a SAS slot is the rest
    ORIENTATIONS: ClassVar[tuple[str, ...]] = ("advice", "tele", "evening", "er", "samu")

    def orientation_shares(self) -> tuple[float, ...]:
        """The shares of :data:`ORIENTATIONS`, in order."""
        return tuple(getattr(self, f"{o}_share") for o in self.ORIENTATIONS)

    def check(self, path: str) -> None:
        if len(self.regulators) != 24:
            raise ConfigError(f"{path}.regulators: must have 24 values (one per hour), got {len(self.regulators)}")
        part = [x for x in self.regulators if x != int(x)]
        if part:
            raise ConfigError(f"{path}.regulators = {part[0]:g}: regulators on duty in an hour must be a whole "
                              "number (0, 1, 2, …)")
        total = sum(self.orientation_shares())
        if total > 1 + 1e-9:
            raise ConfigError(f"{path}: advice_share + tele_share + evening_share + er_share + samu_share "
                              f"= {total:g} must be ≤ 1 (the rest are given a SAS slot)")


@dataclass(frozen=True)
class HospitalLever(_Dated):
    """Hôpital de proximité: an unscheduled-care consultation unit (« soins non
    programmés ») at a local hospital (``auto``: the most under-served commune of ≥ 2,000
    inhabitants), every slot same-day and open to every acute patient, none for routine."""

    enabled: bool = False
    commune: str = "auto"
    #: doctors on duty during its hours (posts of a rota): ASSUMPTION (size not published, CALIBRATION §12)
    doctors: int = field(default=1, metadata=rng(1, 1_000))
    per_100k: float | None = per_100k_field(at_least_one=True)  # doctors on duty per 100,000 inhabitants
    # 08:00-20:00 seven days a week: ASSUMPTION (hours of the units not published, CALIBRATION §12)
    schedule: tuple[str, ...] = tuple(f"{d} 08:00-20:00" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
    slot_minutes: int = field(default=20, metadata=rng(1, 240))  # ≈ 18 minutes a consultation (CALIBRATION §2)
    opening_date: str = ""


@dataclass(frozen=True)
class PreventionLever(_Dated):
    """Prevention as a hypothesis (not a policy lever: no sourced effect): lower demand for
    some needs by a stated share, from a start date; used by the sensitivity
    ``prevention_hypothetique``."""

    routine_reduction: float = field(default=0.0, metadata=rng(0, 1))
    acute_reduction: float = field(default=0.0, metadata=rng(0, 1))
    emergency_reduction: float = field(default=0.0, metadata=rng(0, 1))
    start_date: str = ""


@dataclass(frozen=True)
class DeparturesLever:
    """Départs à la retraite: GPs leave without replacement on given dates; their
    patients lose their MT and look for another.  Either list ``clinicians`` with
    ``dates`` (same length), or give ``count`` GPs leaving evenly over the first
    ``spread_months`` (chosen by a stated rule: one in each of the largest practices)."""

    clinicians: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    count: int = field(default=0, metadata=rng(0, 100_000))
    per_100k: float | None = per_100k_field()  # GPs leaving per 100,000 inhabitants
    spread_months: float = field(default=6.0, metadata=rng(0, 120))  # ASSUMPTION

    def check(self, path: str) -> None:
        if len(self.dates) != len(self.clinicians):
            raise ConfigError(f"{path}.dates: must have one date per listed clinician "
                              f"({len(self.clinicians)}), got {len(self.dates)}")
        for i, d in enumerate(self.dates):
            check_date(f"{path}.dates[{i}]", d, allow_empty=False)


@dataclass(frozen=True)
class FranceSanteLever:
    """The « France Santé » label (LFSS 2026 art. 63): ``count`` existing practices (listed
    in ``practices``, else MSP and centres de santé first, then the largest by GPs) hold at
    least ``reserved_share`` of their GPs' slots for acute requests within 48 h, open to
    every patient of the area, and their GPs are SAS effecteurs when the SAS runs."""

    enabled: bool = False
    # Loir-et-Cher: 10 labelled structures announced 9 January 2026 (CALIBRATION §11)
    count: int = field(default=10, metadata=rng(0, 100_000))
    practices: tuple[str, ...] = ()
    # « rendez-vous sous 48 h » criterion; the share it takes is not published: ASSUMPTION
    # (the top of the SNP share of GP activity, 11-19 %, DREES ER 471, doubled: 0.4)
    reserved_share: float = field(default=0.4, metadata=rng(0, 1))


@dataclass(frozen=True)
class MissionsLever(_Dated):
    """Missions de solidarité territoriale: ``volunteers`` GPs from outside the zone (listed
    in ``clinicians``, else the GPs of the practices nearest the zone, one a practice in
    turn) each give ``days_per_month`` of their working days to consultations at
    ``commune`` (``auto``: the least served commune of the territory), from ``start_date``;
    their own practice loses those days."""

    enabled: bool = False
    # ≈ 202 volunteers for 29 red EPCI in Nouvelle-Aquitaine, Sep 2025: ≈ 7 an EPCI (CALIBRATION §18)
    volunteers: int = field(default=7, metadata=rng(0, 100_000))
    clinicians: tuple[str, ...] = ()
    # 1-2 days a month, « up to 2 days » (CALIBRATION §11, §18)
    days_per_month: int = field(default=2, metadata=rng(1, 20))
    commune: str = "auto"
    start_date: str = ""


@dataclass(frozen=True)
class Levers:
    """Policy levers; every lever off (or zero) is the baseline."""

    cpts: CptsLever = CptsLever()
    assistants_medicaux: AssistantsLever = AssistantsLever()
    docteurs_juniors: JuniorsLever = JuniorsLever()
    nouveau_centre: NewCentreLever = NewCentreLever()
    teleconsultation: TeleLever = TeleLever()
    medicobus: MedicobusLever = MedicobusLever()
    sas: SasLever = SasLever()
    hopital_proximite: HospitalLever = HospitalLever()
    prevention: PreventionLever = PreventionLever()
    departs_retraite: DeparturesLever = DeparturesLever()
    france_sante: FranceSanteLever = FranceSanteLever()
    missions_solidarite: MissionsLever = MissionsLever()

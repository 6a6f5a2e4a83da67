"""Public cost of a plan's levers (« coût public »), euros a year: pure functions of the
plan as applied (sizes cut to the territory included: the GPs who got an assistant, the
juniors placed, the centre's GPs, the médicobus stops, the cabins), the levers' settings
and :class:`~simsoins.config.costs.CostConfig` — nothing is drawn at random.

Each cost is a set of *spells*: a rate in euros a year from a start day to an end day
(days from the run's start, as the plan counts them).  A lever's cost per year is what its
spells spend inside the measured window (after the warm-up) over the window's length in
years, so a lever that opens mid-window, a cohort that leaves, or an assistant contract
that moves into its second year are counted for the days they run.  The costs that depend
on what the replication did (teleconsultation acts, SAS consultations) are in
:mod:`simsoins.results.cost_kpis`.  docs/levers.md ("Costs") is the table of formulas.

The plan is read by its fields (``plan.territory``, ``plan.start_day``…): this module does
not import the levers' code, which needs the engine (tests/test_layout.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

import numpy as np

from simsoins.config.costs import CostConfig
from simsoins.config.levers import Levers
from simsoins.config.model import ModelConfig, RunConfig
from simsoins.vocabulary import DAYS_PER_YEAR, MIN_PER_HOUR

MONTHS_PER_YEAR = 12.0
SEMESTERS_PER_YEAR = 2.0
WEEKS_PER_YEAR = DAYS_PER_YEAR / 7.0
#: The id of the practice :mod:`simsoins.levers.nouveau_centre` adds.
CENTRE_ID = "NC-1"
#: The practice kind of :mod:`simsoins.levers.hopital_proximite`'s unit.
HOSPITAL_UNIT_KIND = "unite_snp"
#: The id prefix of the zone's clinicians :mod:`simsoins.levers.missions_solidarite` adds.
MISSION_CLINICIAN_PREFIX = "MS-G"


class Spell(NamedTuple):
    """``eur_per_year`` spent from day ``start`` to day ``end`` (days from the run's start)."""

    start: float
    end: float
    eur_per_year: float


def window_cost(spells: list[Spell], window_days: tuple[float, float]) -> float:
    """Euros a year the ``spells`` spend inside ``window_days`` ([first day, end day)):
    each rate × the days it runs in the window, over the window's length."""
    w0, w1 = window_days
    if w1 <= w0:
        return 0.0
    spent = sum(s.eur_per_year * max(0.0, min(s.end, w1) - max(s.start, w0)) for s in spells)
    return float(spent / (w1 - w0))


def contract_spells(start: float, aid_by_year: tuple[float, ...], scale: float = 1.0) -> list[Spell]:
    """An aid paid by contract year from ``start``: year k gets ``aid_by_year[k]``, the last
    value from then on."""
    last = len(aid_by_year) - 1
    return [Spell(start + k * DAYS_PER_YEAR, start + (k + 1) * DAYS_PER_YEAR if k < last else np.inf,
                  scale * aid_by_year[k]) for k in range(len(aid_by_year))]


def plan_day(date: str, run_start: dt.date) -> float:
    """Day of ``date`` from the run's start (an empty date: the start)."""
    return 0.0 if not date else float((dt.date.fromisoformat(date) - run_start).days)


def assistants(plan: Any, costs: CostConfig) -> list[Spell]:
    """The CNAM aid of each GP's assistant (the GPs the plan gave one: its panel-cap
    growth records), by contract year from the lever's start, × the assistant's FTE."""
    return [s for g in plan.cap_growth for s in contract_spells(g.start_day, costs.assistant_aid_eur,
                                                                costs.assistant_fte)]


def juniors(plan: Any, costs: CostConfig) -> list[Spell]:
    """Each docteur junior placed, from their cohort's start to its end: pay, activity
    bonus, the ZIP top-up for the ``zip_share`` placed in a ZIP, and their supervisor's fees."""
    zip_top_up = costs.zip_share * (costs.junior_zip_eur_per_month + costs.supervisor_zip_eur_per_month)
    rate = (MONTHS_PER_YEAR * (costs.junior_pay_eur_per_month + costs.supervisor_eur_per_month + zip_top_up)
            + SEMESTERS_PER_YEAR * costs.junior_activity_bonus_eur_per_semester)
    kinds = plan.territory.clinician_kind
    return [Spell(float(plan.start_day[c]), float(plan.end_day[c]), rate)
            for c in range(len(kinds)) if kinds[c] == "junior"]


def centre(plan: Any, levers: Levers, costs: CostConfig, run_start: dt.date) -> dict[str, list[Spell]]:
    """A new centre from its opening: the ACI of its kind (an MSP's or a centre de
    santé's) and, for a centre de santé, the deficit of each of its salaried GPs (those
    who moved in and the newcomers, each from the day they work there)."""
    t = plan.territory
    if CENTRE_ID not in t.practice_id:
        return {}
    p = t.practice_id.index(CENTRE_ID)
    kind = t.practice_kind[p]
    opening = plan_day(levers.nouveau_centre.opening_date, run_start)
    aci = costs.msp_aci_eur_per_year if kind == "msp" else costs.centre_aci_eur_per_year
    out = {"aci": [Spell(opening, np.inf, aci)]}
    if kind == "centre_sante":
        gps = np.flatnonzero(np.asarray(t.clinician_practice) == p)
        out["gps"] = [Spell(max(opening, float(plan.start_day[c])), float(plan.end_day[c]),
                            costs.centre_deficit_eur_per_gp_year) for c in gps]
    return out


def paid_by_the_hour(plan: Any, kind: str, eur_per_hour: float) -> list[Spell]:
    """Each clinician of the practices of ``kind`` paid by the hour of their weekly
    sessions, every week, from the day they start to the day they stop."""
    t = plan.territory
    at = [p for p, k in enumerate(t.practice_kind) if k == kind]
    return [Spell(float(plan.start_day[c]), float(plan.end_day[c]),
                  sum(s.end - s.start for s in t.clinician_sessions[c]) / MIN_PER_HOUR * WEEKS_PER_YEAR * eur_per_hour)
            for c in np.flatnonzero(np.isin(t.clinician_practice, at))]


def medicobus(plan: Any, levers: Levers, costs: CostConfig, run_start: dt.date) -> dict[str, list[Spell]]:
    """The médicobus GPs paid by the hour of their stops, and the vehicle spread over its
    years from the lever's start (only if the plan has stops)."""
    gps = paid_by_the_hour(plan, "medicobus", costs.medicobus_gp_eur_per_hour)
    if not gps:
        return {}
    start = plan_day(levers.medicobus.start_date, run_start)
    return {"gps": gps, "vehicle": [Spell(start, np.inf, costs.medicobus_vehicle_eur / costs.medicobus_vehicle_years)]}


def cabines(plan: Any, costs: CostConfig) -> list[Spell]:
    """Each teleconsultation cabin (a commune where the plan makes the oldest band
    eligible) for the whole run: its price spread over its years and its running cost."""
    n = int(np.isfinite(np.asarray(plan.tele_old_factor, dtype=float)).sum())
    return [Spell(0.0, np.inf, n * (costs.cabine_eur / costs.cabine_years + costs.cabine_running_eur_per_year))]


def cpts(plan: Any, levers: Levers, costs: CostConfig) -> list[Spell]:
    """The ACI of the CPTS that cover the area: its population over a mean CPTS's, × the
    mean ACI of a CPTS, for the whole run (the pool works from the start)."""
    if not levers.cpts.enabled:
        return []
    covered = float(np.asarray(plan.territory.population)[np.asarray(plan.cpts_area, dtype=bool)].sum())
    return [Spell(0.0, np.inf, covered / costs.cpts_population * costs.cpts_aci_eur_per_year)]


def sas(plan: Any, levers: Levers, costs: CostConfig) -> dict[str, list[Spell]]:
    """The regulators paid by the hour of their roster, every day, and each effecteur's
    yearly forfait, for the whole run (the SAS's consultations: cost_kpis)."""
    if not levers.sas.enabled:
        return {}
    hours = sum(levers.sas.regulators) * DAYS_PER_YEAR
    effecteurs = int((np.asarray(plan.sas_share) > 0).sum())
    return {"regulators": [Spell(0.0, np.inf, hours * costs.sas_regulator_eur_per_hour)],
            "effecteurs": [Spell(0.0, np.inf, effecteurs * costs.sas_effecteur_eur_per_year)]}


def applied(plan: Any, lever: str, key: str, asked: int) -> int:
    """A lever's size as the plan applied it: the asked one, or the one it was cut to
    (``plan.capped``, :meth:`~simsoins.levers.builder.LeverContext.cap`)."""
    return next((int(r["applied"]) for r in plan.capped if r["lever"] == lever and r["key"] == key), asked)


def france_sante(plan: Any, levers: Levers, costs: CostConfig) -> list[Spell]:
    """Each labelled structure's share of the programme, for the whole run (the label
    counts from the run's start: simsoins/levers/france_sante.py)."""
    cfg = levers.france_sante
    if not cfg.enabled:
        return []
    n = len(cfg.practices) if cfg.practices else applied(plan, "france_sante", "count", cfg.count)
    return [Spell(0.0, np.inf, n * costs.france_sante_eur_per_structure_year)]


def missions(plan: Any, levers: Levers, costs: CostConfig) -> list[Spell]:
    """Each volunteer's mission days a year × the daily allowance, while their mission runs
    (the zone's clinicians the lever adds: simsoins/levers/missions_solidarite.py)."""
    if not levers.missions_solidarite.enabled:
        return []
    rate = levers.missions_solidarite.days_per_month * MONTHS_PER_YEAR * costs.missions_eur_per_day
    ids = plan.territory.clinician_id
    return [Spell(float(plan.start_day[c]), float(plan.end_day[c]), rate)
            for c in range(len(ids)) if ids[c].startswith(MISSION_CLINICIAN_PREFIX)]


def plan_cost_lines(plan: Any, levers: Levers, costs: CostConfig, run_start: dt.date,
                    window_days: tuple[float, float]) -> dict[str, float]:
    """Euros a year in the measured window, per line ``lever.item``, of what the plan
    applies (the lines of a lever the plan does not use are 0)."""
    spells: dict[str, list[Spell]] = {
        "assistants_medicaux.aid": assistants(plan, costs),
        "docteurs_juniors.pay_and_supervision": juniors(plan, costs),
        "cpts.aci": cpts(plan, levers, costs),
        "teleconsultation.cabines": cabines(plan, costs),
        **{f"nouveau_centre.{k}": v for k, v in centre(plan, levers, costs, run_start).items()},
        **{f"medicobus.{k}": v for k, v in medicobus(plan, levers, costs, run_start).items()},
        **{f"sas.{k}": v for k, v in sas(plan, levers, costs).items()},
        "hopital_proximite.doctors": paid_by_the_hour(plan, HOSPITAL_UNIT_KIND, costs.hospital_doctor_eur_per_hour),
        "france_sante.label": france_sante(plan, levers, costs),
        "missions_solidarite.days": missions(plan, levers, costs),
    }
    return {line: window_cost(s, window_days) for line, s in spells.items()}


def tele_lever_on(levers: Levers) -> bool:
    """Whether the teleconsultation lever adds anything (its acts are then charged:
    :func:`simsoins.results.cost_kpis.counted_costs`)."""
    t = levers.teleconsultation
    return bool(t.extra_slots_per_hour > 0 or t.uptake_gain > 0 or t.eligibility_gain > 0 or t.cabines)


def scenario_costs(plans: dict[str, Any], models: dict[str, ModelConfig], run: RunConfig, costs: CostConfig,
                   window: tuple[float, float] | None = None) -> dict[str, dict]:
    """Per scenario: its plan's cost lines a year in the run's measured window, or in
    ``window`` (days: a year of a run of several years) (:func:`plan_cost_lines`), and
    whether its teleconsultation lever is on, as ``scenarios.json["costs"]`` keeps them:
    ``{"lines": {...}, "teleconsultation_lever": bool}``."""
    window = window or (float(run.warmup_days), float(run.end_day))
    return {sc: {"lines": plan_cost_lines(plans[sc], models[sc].levers, costs, run.start, window),
                 "teleconsultation_lever": tele_lever_on(models[sc].levers)} for sc in plans}

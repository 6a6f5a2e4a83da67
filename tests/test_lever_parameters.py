"""Every documented lever parameter is a mechanism: moved from its scenario's value, it
changes the event log — unless it is declared inert below, with the reason.

The fields are read from the lever dataclasses of :mod:`simsoins.config.levers`, so a new
field fails :func:`test_every_lever_field_is_declared_moved_or_inert` until it is given a
moved value (:data:`MOVED`) or a reason (:data:`INERT`).  Each lever is switched on with
the values of its scenario file (fitted to the small synthetic territory by
:data:`EXEMPLE_FIT`), one short replication is run with it, and one per moved field."""

from __future__ import annotations

import dataclasses
from functools import cache
from typing import Any

import pytest
from omegaconf import OmegaConf

from simsoins.config.levers import Levers
from simsoins.config.model import RunConfig
from simsoins.config.schema import from_mapping, merge
from simsoins.levers import make_plan
from simsoins.levers.per100k import resolve_levers
from simsoins.sim.replication import simulate
from tests.conftest import CONFIGS, default_model, territory_cfg

#: A short run: ten weeks, two of them warm-up, from Monday 2 November 2026.
RUN = RunConfig(horizon_days=56, warmup_days=14, seed=2024)
#: Where each lever's "on" values come from (configs/...); the default: its scenario file.
ON_VALUES = {"prevention": "sensitivity/prevention_hypothetique.yaml"}
#: Scenario values that do not fit the synthetic territory (10 GPs in 3 practices).
EXEMPLE_FIT: dict[str, dict[str, Any]] = {
    "assistants_medicaux": {"count": 4},
    "docteurs_juniors": {"count": 2},
    "departs_retraite": {"count": 3},
    "medicobus": {"route": {"mon": "auto", "wed": "auto"}},
    "missions_solidarite": {"volunteers": 2},
}


@dataclasses.dataclass(frozen=True)
class Move:
    """A moved value; ``context``: other fields set in both runs (the field matters only
    with them); ``also``: other fields that must move with it (a pair that goes together)."""

    value: Any
    context: dict[str, Any] = dataclasses.field(default_factory=dict)
    also: dict[str, Any] = dataclasses.field(default_factory=dict)


LATER = "2026-12-01"  # a date inside the test run, after its start

MOVED: dict[str, Move] = {
    "cpts.enabled": Move(False),
    "cpts.pool_share": Move(0.3),
    "cpts.members": Move(("MSP-VB",)),
    "cpts.area": Move(("99001",)),
    "cpts.mt_campaign_share": Move(0.6),
    "cpts.mt_campaign_room": Move(0.6),
    "cpts.start_date": Move(LATER),
    "assistants_medicaux.count": Move(1),
    "assistants_medicaux.per_100k": Move(10.0),  # 16,300 inhabitants: 2 assistants, not 4
    "assistants_medicaux.clinicians": Move(("E06",)),
    "assistants_medicaux.acts_gain": Move(0.3),
    "assistants_medicaux.panel_gain": Move(3.0, context={"count": 10}),
    "assistants_medicaux.panel_gain_years": Move(0.1, context={"count": 10}),
    "assistants_medicaux.ramp_months": Move(0.0),
    "assistants_medicaux.start_date": Move(LATER),
    # a lever started a year before the run: its first anniversary falls inside it
    "assistants_medicaux.added_per_year": Move(2, context={"start_date": "2025-12-01", "ramp_months": 0.0}),
    "docteurs_juniors.count": Move(1),
    "docteurs_juniors.per_100k": Move(6.0),  # 1 junior, not 2
    "docteurs_juniors.practices": Move(("CAB-SE",)),
    "docteurs_juniors.per_practice": Move(2, context={"count": 4}),  # 3 practices: a cap that binds
    "docteurs_juniors.start_date": Move(LATER),
    "docteurs_juniors.months": Move(1.0),
    "docteurs_juniors.schedule": Move(("mon 08:30-12:30",)),
    "docteurs_juniors.slot_minutes": Move(15),
    "docteurs_juniors.same_day_share": Move(0.8),
    "docteurs_juniors.supervision_share": Move(0.6),
    "nouveau_centre.enabled": Move(False),
    "nouveau_centre.commune": Move("99005"),
    "nouveau_centre.candidate_rank": Move(1),  # the second least served candidate commune
    "nouveau_centre.kind": Move("msp"),
    "nouveau_centre.gps": Move(8),
    "nouveau_centre.per_100k": Move(50.0),  # 8 GPs, not 4
    "nouveau_centre.from_existing_share": Move(1.0),
    "nouveau_centre.opening_date": Move(LATER),
    "nouveau_centre.ramp_months": Move(0.0),
    "nouveau_centre.schedule": Move(("mon 08:00-12:00",)),
    "nouveau_centre.msp_schedule": Move(("mon 08:30-12:30",), context={"kind": "msp", "from_existing_share": 0.0}),
    "nouveau_centre.slot_minutes": Move(10),
    "nouveau_centre.same_day_share": Move(0.9),
    # the synthetic territory's platform binds below 8 extra slots an hour, not above
    "teleconsultation.extra_slots_per_hour": Move(1),
    "teleconsultation.per_100k": Move(6.0),  # 16,300 inhabitants: 1 extra slot an hour, not 8
    "teleconsultation.uptake_gain": Move(0.6),
    "teleconsultation.eligibility_gain": Move(2.0),
    "teleconsultation.cabines": Move(()),
    "teleconsultation.cabine_uptake_gain": Move(0.8),
    "medicobus.enabled": Move(False),
    "medicobus.route": Move({"tue": "99005"}),
    "medicobus.sessions": Move(("09:00-12:30",)),
    "medicobus.slot_minutes": Move(30),
    "medicobus.start_date": Move(LATER),
    "sas.enabled": Move(False),
    "sas.regulators": Move((4.0,) * 24),
    "sas.per_100k": Move(30.0, context={"call_minutes_mean": 60.0}),  # 5 at the busiest hour, not 2
    "sas.call_minutes_mean": Move(60.0),
    "sas.slot_share": Move(0.3),
    "sas.advice_share": Move(0.7),
    "sas.hours_window": Move(4.0),
    "sas.hold_minutes_mean": Move(1.0, context={"call_minutes_mean": 60.0}),
    "sas.effecteur_share": Move(1.0),
    "sas.tele_share": Move(0.5),
    "sas.evening_share": Move(0.5),
    "sas.er_share": Move(0.5),
    "sas.samu_share": Move(0.5),
    "sas.samu_priority1_share": Move(1.0, context={"samu_share": 0.5}),
    "hopital_proximite.enabled": Move(False),
    "hopital_proximite.commune": Move("99005"),
    "hopital_proximite.doctors": Move(6),
    "hopital_proximite.per_100k": Move(30.0),  # 5 doctors, not 1
    "hopital_proximite.schedule": Move(("mon 09:00-17:00",)),
    "hopital_proximite.slot_minutes": Move(10),
    "hopital_proximite.opening_date": Move(LATER),
    "prevention.routine_reduction": Move(0.3),
    "prevention.acute_reduction": Move(0.5),
    "prevention.emergency_reduction": Move(0.5),
    "prevention.start_date": Move(LATER),
    "departs_retraite.clinicians": Move(("E01",), also={"dates": ("2026-11-20",)}),
    "departs_retraite.dates": Move(("2026-12-20",), context={"clinicians": ("E01",), "dates": ("2026-11-20",)}),
    "departs_retraite.count": Move(1),
    "departs_retraite.per_100k": Move(6.0),  # 1 GP leaving, not 3
    "departs_retraite.spread_months": Move(0.0),
    "france_sante.enabled": Move(False),
    "france_sante.count": Move(1),
    "france_sante.practices": Move(("CAB-SE",), context={"count": 1}),
    "france_sante.reserved_share": Move(0.8),
    "missions_solidarite.enabled": Move(False),
    "missions_solidarite.volunteers": Move(1),
    "missions_solidarite.clinicians": Move(("E06",)),
    "missions_solidarite.days_per_month": Move(1),
    "missions_solidarite.commune": Move("99003"),
    "missions_solidarite.start_date": Move(LATER),
}

INERT: dict[str, str] = {
    "docteurs_juniors.cohorts": "the next cohort starts a year after the first, after this short run "
                                "(test_levers: a new cohort replaces the leaving one)",
    "docteurs_juniors.cohort_scale": "the second cohort starts after this short run "
                                     "(test_calendars: cohort sizes follow the scale)",
}


def lever_fields() -> list[str]:
    """``lever.field`` for every field of every lever dataclass."""
    levers = Levers()
    return [f"{lv.name}.{f.name}" for lv in dataclasses.fields(levers)
            for f in dataclasses.fields(getattr(levers, lv.name))]


def test_every_lever_field_is_declared_moved_or_inert():
    declared = set(MOVED) | set(INERT)
    assert not set(MOVED) & set(INERT)
    assert sorted(set(lever_fields()) - declared) == [], "give each new lever field a Move or an inert reason"
    assert sorted(declared - set(lever_fields())) == []


@cache
def exemple():
    from simsoins.territory import load_territory

    return load_territory(territory_cfg("exemple"), default_model().clinicians)


def on_values(name: str) -> dict:
    """The lever's values in its scenario file (or :data:`ON_VALUES`), fitted to the
    synthetic territory."""
    path = CONFIGS / ON_VALUES.get(name, f"scenario/{name}.yaml")
    scenario = OmegaConf.to_container(OmegaConf.load(path))["levers"][name]
    return {**scenario, **EXEMPLE_FIT.get(name, {})}


def events(name: str, values: dict):
    """The event log of one short replication with lever ``name`` at ``values``."""
    model = default_model()
    base = OmegaConf.to_container(OmegaConf.load(CONFIGS / "config.yaml"))["levers"][name]
    cfg = from_mapping(type(getattr(model.levers, name)), merge(base, values), f"levers.{name}")
    # a dose per 100,000 inhabitants is resolved from the territory's population, as prepare() does
    levers, _ = resolve_levers(dataclasses.replace(model.levers, **{name: cfg}), float(exemple().population.sum()))
    m = dataclasses.replace(model, levers=levers)
    return simulate(exemple(), m, RUN, 0, make_plan(exemple(), m, RUN)).events


@cache
def reference(name: str, context: tuple) -> Any:
    """The event log with the lever on (and ``context``): shared by its fields."""
    return events(name, {**on_values(name), **dict(context)})


#: One field per lever runs by default; the others behind ``-m slow``.
FAST = {"docteurs_juniors.supervision_share", "assistants_medicaux.per_100k",
        "nouveau_centre.from_existing_share", "prevention.start_date",
        "nouveau_centre.msp_schedule", "docteurs_juniors.months", "france_sante.reserved_share",
        "missions_solidarite.days_per_month"}


@pytest.mark.parametrize("path", [pytest.param(p, marks=() if p in FAST else pytest.mark.slow) for p in MOVED])
def test_moving_a_lever_parameter_changes_the_event_log(path):
    name, field_ = path.split(".")
    move = MOVED[path]
    context = tuple(sorted(move.context.items()))
    before = reference(name, context)
    after = events(name, {**on_values(name), **move.context, **move.also, field_: move.value})
    assert not after.equals(before), f"{path}: moving it to {move.value!r} leaves the event log unchanged"

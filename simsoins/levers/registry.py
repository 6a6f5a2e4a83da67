"""The levers, in the order a plan applies them, and the fold that makes the plan.

A lever is a module of this package with a ``check`` of the places it names (optional),
and an ``add`` (stage 1: it brings practices or clinicians) and/or a ``shape`` (stage 2:
it changes the plan), see :mod:`simsoins.levers.builder`.  :data:`LEVERS` lists them with
the name of their field in :class:`~simsoins.config.levers.Levers`.  Order matters: new
clinicians are numbered in the order stage 1 adds them, and gains add up in the order
they are recorded; keep the order below when adding a lever (append yours to its stage).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from simsoins.config.model import ConfigError, ModelConfig, RunConfig
from simsoins.levers import (
    ageing,
    assistants_medicaux,
    cpts,
    departs_retraite,
    docteurs_juniors,
    france_sante,
    gp_demography,
    hopital_proximite,
    medicobus,
    missions_solidarite,
    nouveau_centre,
    prevention,
    sas,
    teleconsultation,
)
from simsoins.levers.builder import Additions, LeverContext, settle
from simsoins.levers.plan import Plan
from simsoins.territory import Territory


@dataclass(frozen=True)
class Lever:
    """A lever's mechanism: ``name`` is its field in the ``levers`` config block (and its
    scenario file); ``check`` refuses unknown places even when the lever is off; ``add``
    runs in stage 1, ``shape`` in stage 2.  Each receives the lever's config."""

    name: str
    check: Callable[[Any, LeverContext], None] | None = None
    add: Callable[[Additions, Any, LeverContext], None] | None = None
    shape: Callable[[Plan, Any, LeverContext], None] | None = None


LEVERS: tuple[Lever, ...] = (
    # stage 1, in this order: it numbers the clinicians they add
    Lever("docteurs_juniors", check=docteurs_juniors.check, add=docteurs_juniors.add),
    Lever("nouveau_centre", check=nouveau_centre.check, add=nouveau_centre.add),
    Lever("hopital_proximite", check=hopital_proximite.check, add=hopital_proximite.add),
    Lever("medicobus", check=medicobus.check, add=medicobus.add),
    # its shape (the visitors it adds are never MT) runs first in stage 2, before the
    # levers that read who may be an MT (the SAS's effecteurs, the CPTS campaign)
    Lever("missions_solidarite", check=missions_solidarite.check, add=missions_solidarite.add,
          shape=missions_solidarite.shape),
    # stage 2, in this order
    Lever("assistants_medicaux", check=assistants_medicaux.check, shape=assistants_medicaux.shape),
    Lever("departs_retraite", check=departs_retraite.check, shape=departs_retraite.shape),
    Lever("cpts", check=cpts.check, shape=cpts.shape),
    Lever("sas", shape=sas.shape),
    Lever("prevention", shape=prevention.shape),
    Lever("teleconsultation", check=teleconsultation.check, shape=teleconsultation.shape),
    Lever("france_sante", check=france_sante.check, shape=france_sante.shape),
)


def check_places(ctx: LeverContext) -> None:
    """Every commune, practice and clinician a lever names must exist, even when the lever
    is off — a typo must not hide until the day someone switches it on."""
    for lever in LEVERS:
        if lever.check is not None:
            lever.check(getattr(ctx.model.levers, lever.name), ctx)


def make_plan(territory: Territory, model: ModelConfig, run: RunConfig, path: str = "levers",
              replication: int = 0) -> Plan:
    """Apply every lever of ``model`` to ``territory``; ConfigError on a bad place or id
    (named under ``path``, the config path of the levers).  In a run of several years the
    GPs' retirements depend on ``replication`` (:func:`varies_by_replication`)."""
    _refuse_unresolved(model, path)
    ctx = LeverContext(territory=territory, model=model, run=run, path=path, replication=replication)
    check_places(ctx)
    additions = Additions(territory)
    for lever in LEVERS:
        if lever.add is not None:
            lever.add(additions, getattr(model.levers, lever.name), ctx)
    # GPs retire and install, the population ages: not levers, after them
    changes = model.demography.applies(run.years)
    if changes:
        gp_demography.add(additions, model.demography.gps, ctx)
    plan = settle(additions, ctx)
    for lever in LEVERS:
        if lever.shape is not None:
            lever.shape(plan, getattr(model.levers, lever.name), ctx)
    if changes:
        gp_demography.shape(plan, model.demography.gps, ctx)
        ageing.shape(plan, model.demography.ageing, ctx)
    plan.capped = list(ctx.capped)
    return plan


def _refuse_unresolved(model: ModelConfig, path: str) -> None:
    """A ``per_100k`` still set is refused: it is turned into the lever's absolute size
    from the territory's population before the plans are built
    (:mod:`simsoins.levers.per100k`), never read by a lever — nor left to look like none."""
    for lever in LEVERS:
        per = getattr(getattr(model.levers, lever.name), "per_100k", None)
        if per is not None:
            raise ConfigError(f"{path}.{lever.name}.per_100k = {per:g}: not resolved into the lever's absolute "
                              "size (simsoins.levers.per100k.resolve_levers does it; python -m simsoins too)")


def varies_by_replication(model: ModelConfig, run: RunConfig) -> bool:
    """Whether the plan differs between replications: in a run with the demographic
    changes, each replication draws its own GP ages (the same in every scenario)."""
    return model.demography.applies(run.years)

"""The « France Santé » label (LFSS 2026 art. 63): labelled structures guarantee an
appointment within 48 h and take part in the SAS (CALIBRATION §11, §18).

``count`` existing practices of the territory are labelled: those listed in
``practices``, else a stated rule — MSP and centres de santé first (the structures the
label was built on, and a GP + nurse team by definition), then the practices with the most
GPs (the others cannot keep a 48-h promise alone); among equals, the practice in the least
served commune by the access score first (the label is meant for access), then the
territory's order.
Each labelled practice:

- holds at least ``reserved_share`` of its GPs' slots for acute requests (the same
  « held » slots the model keeps for short-notice care, raised where they were fewer), and
  opens them to every acute patient of the area within their travel limit, not only its
  own patients — as a new centre's same-day slots are;
- takes part in the SAS: when the ``sas`` lever runs, every GP of the practice who may be
  a médecin traitant becomes an effecteur holding the SAS lever's own share per effecteur
  (:func:`simsoins.levers.sas.per_effecteur`); without the SAS there is no regulation line
  to serve.

The label comes with no new GP: it reorganises slots.  Labelled from the run's start (the
network's target was 2,000 structures by mid-2026, before 2 November 2026).
"""

from __future__ import annotations

import dataclasses
import logging

import numpy as np

from simsoins.config.levers import FranceSanteLever
from simsoins.levers import sas
from simsoins.levers.builder import LeverContext
from simsoins.levers.places import access_score
from simsoins.levers.plan import Plan

NAME = "france_sante"
#: Practice kinds labelled first by the rule (group structures with a nurse). CALIBRATION §18:
#: eligible MSP, centres de santé, group practices, hôpitaux de proximité, médicobus…
FIRST_KINDS = ("msp", "centre_sante")
#: Kinds never chosen by the rule: not a practice of the territory's own GPs.
NOT_LABELLED = ("medicobus", "hopital_proximite")
log = logging.getLogger(__name__)


def check(cfg: FranceSanteLever, ctx: LeverContext) -> None:
    """The listed practices exist (even with the lever off)."""
    ctx.territory.practice_index(list(cfg.practices), ctx.where(f"{NAME}.practices"))


def labelled(cfg: FranceSanteLever, ctx: LeverContext) -> list[int]:
    """Rows of the labelled practices of the territory as written (listed, or by the rule),
    at most as many as there are; a count cut to the territory is logged and recorded."""
    t = ctx.territory
    if cfg.practices:
        return t.practice_index(list(cfg.practices), ctx.where(f"{NAME}.practices"))
    gps = np.bincount(t.clinician_practice[np.array(t.clinician_kind) == "gp"], minlength=len(t.practice_id))
    kinds = np.array(t.practice_kind)
    eligible = np.flatnonzero((gps > 0) & ~np.isin(kinds, NOT_LABELLED))
    first = np.isin(kinds[eligible], FIRST_KINDS)
    score = access_score(t)[t.practice_commune[eligible]]
    order = eligible[np.lexsort((score, -gps[eligible], ~first))]  # MSP/CdS, most GPs, least served; stable
    if cfg.count > len(order):
        log.warning("%s = %d: the territory has %d practices with a GP; all are labelled",
                    ctx.where(f"{NAME}.count"), cfg.count, len(order))
        ctx.cap(NAME, "count", cfg.count, len(order), len(order))
    return [int(p) for p in order[:cfg.count]]


def shape(plan: Plan, cfg: FranceSanteLever, ctx: LeverContext) -> None:
    """Raise the labelled practices' held share, open it to all, make their GPs effecteurs."""
    if not cfg.enabled:
        return
    practices = labelled(cfg, ctx)
    t = plan.territory
    in_label = np.isin(t.clinician_practice, practices)
    held = np.where(in_label, np.maximum(t.clinician_same_day_share, cfg.reserved_share), t.clinician_same_day_share)
    plan.territory = dataclasses.replace(t, clinician_same_day_share=held)
    plan.open_held[practices] = True
    if ctx.model.levers.sas.enabled:
        each = sas.per_effecteur(ctx.model.levers.sas)
        plan.sas_share = np.where(in_label & plan.mt_capable, np.maximum(plan.sas_share, each), plan.sas_share)

"""The pathway and clinician parameters the router reads on every request, flattened into
one record (:class:`PathwayParams`) from the model's config."""

from __future__ import annotations

import math
from dataclasses import dataclass

from simsoins.config.model import ModelConfig


@dataclass(frozen=True, slots=True)
class PathwayParams:
    """``model.pathways`` and ``model.clinicians`` fields the pathways use, one attribute
    look-up away (units as in :class:`~simsoins.config.model.PathwayConfig`)."""

    booking_horizon_days: int
    routine_min_lead_minutes: int
    acute_min_lead_minutes: int
    tele_min_lead_minutes: int
    held_release_hours: float
    max_practices_tried: int
    routine_retry_probability: float
    routine_retry_after_days: float
    routine_max_retries: int
    acute_er_probability: float
    tele_uptake: float
    mt_attach_probability: float
    no_show_known: float  # same-day no-show rate of a patient the clinician knows
    no_show_new: float  # and of a new patient
    no_show_max: float | None  # None: no-show rates do not grow with the lead
    no_show_scale_days: float
    non_accepting_sees_acute_share: float  # a GP who takes no new MT patient sees a stranger
    non_accepting_sees_routine_share: float

    @classmethod
    def from_model(cls, model: ModelConfig) -> PathwayParams:
        p, c = model.pathways, model.clinicians
        return cls(
            booking_horizon_days=p.booking_horizon_days,
            routine_min_lead_minutes=p.routine_min_lead_minutes,
            acute_min_lead_minutes=p.acute_min_lead_minutes,
            tele_min_lead_minutes=p.tele_min_lead_minutes,
            held_release_hours=p.held_release_hours,
            max_practices_tried=p.max_practices_tried,
            routine_retry_probability=p.routine_retry_probability,
            routine_retry_after_days=p.routine_retry_after_days,
            routine_max_retries=p.routine_max_retries,
            acute_er_probability=p.acute_er_probability,
            tele_uptake=p.tele_uptake,
            mt_attach_probability=p.mt_attach_probability,
            no_show_known=c.no_show_known,
            no_show_new=c.no_show_new,
            no_show_max=c.no_show_max,
            no_show_scale_days=c.no_show_scale_days,
            non_accepting_sees_acute_share=c.non_accepting_sees_acute_share,
            non_accepting_sees_routine_share=c.non_accepting_sees_routine_share,
        )

    def tail_days(self, margin_days: int = 3) -> int:
        """Days the books run past the last day of demand so that every request can reach
        an outcome: the booking horizon, every retry, and a ``margin_days`` margin."""
        retries = self.routine_retry_after_days * (self.routine_max_retries + 1)
        return self.booking_horizon_days + math.ceil(retries) + margin_days

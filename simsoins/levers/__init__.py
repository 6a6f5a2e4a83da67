"""Levers as mechanisms: turn a territory and a model's levers into a :class:`Plan`.

A plan is what a replication needs beyond the territory as written: the clinicians and
practices a lever adds (docteurs juniors, a new centre, a hôpital de proximité, médicobus
stops), when each clinician starts and stops working, how their slots per session change
over time (assistants médicaux: more; supervising a junior: fewer), which slots go to a
CPTS pool or to the SAS, who leaves and when, the MT campaign, and the demand and
teleconsultation changes.  With every lever off the plan is the territory unchanged.

One module per lever (named as its field in the ``levers`` config block) holds its
mechanism; :mod:`~simsoins.levers.registry` lists them in the order they apply and folds
them into a plan (:func:`make_plan`); :mod:`~simsoins.levers.builder` holds the two
stages they plug into, :mod:`~simsoins.levers.plan` the records, and
:mod:`~simsoins.levers.places` the rules that place a lever on any territory (``auto``).
"""

from simsoins.levers.builder import extend
from simsoins.levers.places import CATCHMENT_KM, access_score, day_of
from simsoins.levers.plan import INF, Campaign, CapGrowth, Departure, Gain, Plan
from simsoins.levers.registry import LEVERS, check_places, make_plan

__all__ = ["CATCHMENT_KM", "INF", "LEVERS", "Campaign", "CapGrowth", "Departure", "Gain", "Plan", "access_score",
           "check_places", "day_of", "extend", "make_plan"]

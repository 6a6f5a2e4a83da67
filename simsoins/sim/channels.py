"""The outcome channels as the pathways write them (codes of :data:`simsoins.vocabulary.CH`)."""

from __future__ import annotations

from simsoins.vocabulary import BIT, CH

OWN, OTHER, CPTS, SAS, TELE, MEDICOBUS, EVENING, ER, GAVE_UP, SAS_ADVICE = (CH[k] for k in (
    "own_gp", "other_gp", "cpts", "sas", "tele", "medicobus", "evening", "er", "gave_up", "sas_advice"))
OWN_BIT = BIT["own_gp"]
INF = float("inf")

"""The population's ageing over a multi-year run (read by :mod:`simsoins.levers.ageing`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Ageing:
    """How the population of each age band moves on, year after year."""

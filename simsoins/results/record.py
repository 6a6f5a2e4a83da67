"""The result of one replication, as the simulation hands it to the results layer."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass
class ReplicationResult:
    """What one replication leaves behind: plain data that pickles across processes, from
    which every KPI is computed (:mod:`simsoins.results.kpis`)."""

    replication: int
    events: pd.DataFrame
    weekly: pd.DataFrame  # week, without_mt_share
    offered: pd.DataFrame  # provider, offered slots in the measured window
    er_stats: pd.DataFrame  # site, served, busy_minutes, area_queue, minutes
    window: tuple[float, float]  # measured window, minutes
    population: float
    provider_names: list[str]
    #: in a run of several years (``run.years``), the offered slots of each year's window,
    #: the window split into that many equal periods; empty in a one-year run
    offered_years: list[pd.DataFrame] = field(default_factory=list)

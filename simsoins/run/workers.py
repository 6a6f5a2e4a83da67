"""Replications across scenarios, in worker processes, with common random numbers.

Each task is one (scenario, replication); its random streams depend only on the run seed
and the replication index, so the same replication of every scenario sees the same
patients, and results are identical whatever the number of worker processes.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simsoins.config.model import ModelConfig, RunConfig
from simsoins.levers import make_plan
from simsoins.levers.registry import varies_by_replication
from simsoins.results import kpis as K
from simsoins.results.communes import CommunePlaces, commune_table, standardised_population
from simsoins.results.yearly import YEAR, YEAR_DTYPE, yearly_kpis
from simsoins.sim.replication import simulate
from simsoins.territory import Territory

log = logging.getLogger(__name__)


@dataclass
class TaskResult:
    """Tables left by one (scenario, replication): small aggregates, and the event log if kept."""

    scenario: str
    replication: int
    kpis: dict[str, float]
    groups: pd.DataFrame
    series: pd.DataFrame
    quantiles: pd.DataFrame
    channels: pd.DataFrame
    utilisation: pd.DataFrame
    er_sites: pd.DataFrame
    communes: pd.DataFrame
    events: pd.DataFrame | None
    #: year of a run of several years → its KPIs (results/yearly.py); {} in a one-year run
    years: dict[int, dict[str, float]] = field(default_factory=dict)


_STATE: dict = {}


def _init(territory: Territory, models: dict[str, ModelConfig], run: RunConfig, plans: dict | None = None) -> None:
    plans = plans or {sc: make_plan(territory, m, run) for sc, m in models.items()}
    _STATE.update(territory=territory, models=models, run=run, plans=plans)


def _worker_init(*args) -> None:
    """A worker ignores Ctrl-C: the terminal sends SIGINT to the whole process group, and
    the parent alone should react (stop the pool, say so in one line) rather than every
    worker printing its own KeyboardInterrupt traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _init(*args)


def _started(pool: ProcessPoolExecutor, tasks: list) -> Iterator[TaskResult]:
    """``pool.map`` over ``tasks`` (it submits them all, starting the workers), with a
    Ctrl-C meanwhile noted and raised once they have all started: raised midway, it would
    leave a worker unknown to the pool, alive after the run; and a worker started before
    it ran :func:`_worker_init` would print a traceback. (Blocking the signal would not do:
    it blocks it in one thread only.)"""
    if threading.current_thread() is not threading.main_thread():  # signals only go there
        return pool.map(_task, tasks)
    noted: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: noted.append(signum))
    try:
        started = pool.map(_task, tasks)
    finally:
        signal.signal(signal.SIGINT, previous)
    if noted:
        raise KeyboardInterrupt
    return started


def _task(args: tuple[str, int, bool]) -> TaskResult:
    scenario, rep, keep_events = args
    t, run, model = _STATE["territory"], _STATE["run"], _STATE["models"][scenario]
    plan = make_plan(t, model, run, replication=rep) if varies_by_replication(model, run) else _STATE["plans"][scenario]
    bands = model.demand.age_bands
    r = simulate(t, model, run, rep, plan)
    commune_pop = pd.Series(t.population, index=list(t.commune_code))
    age_pop = pd.Series(t.age_pop.sum(axis=0), index=list(bands))
    return TaskResult(scenario, rep, K.replication_kpis(r), K.group_kpis(r, commune_pop, age_pop),
                      K.weekly_series(r), K.wait_quantiles(r), K.channel_counts(r), K.utilisation(r),
                      K.er_site_visits(r, er_site_records(t)), commune_table(r, commune_places(plan.territory, bands)),
                      r.events if keep_events else None, yearly_kpis(r))


def commune_places(t: Territory, bands: tuple[str, ...]) -> CommunePlaces:
    """The communes of ``t`` (a plan's territory: its practices and clinicians include what
    the levers add) as :func:`~simsoins.results.communes.commune_table` reads them."""
    return CommunePlaces(code=t.commune_code, name=t.commune_name, population=t.population, lon=t.lon, lat=t.lat,
                         population_standardised=standardised_population(t.age_pop, bands),
                         km_commune_practice=t.km_commune_practice, clinician_practice=t.clinician_practice)


def er_site_records(t: Territory) -> pd.DataFrame:
    """The territory's ER sites, by row: FINESS id (empty if the territory has none), name,
    commune (INSEE code)."""
    return pd.DataFrame({"finess": [s.finess for s in t.er_sites],
                         "name": [s.name for s in t.er_sites],
                         "commune": [t.commune_code[s.commune] for s in t.er_sites]})


def run_all(territory: Territory, models: dict[str, ModelConfig], run: RunConfig,
            on_done: Callable[[TaskResult], None] | None = None, plans: dict | None = None) -> list[TaskResult]:
    """Run every scenario × replication; results sorted by (scenario order, replication)."""
    tasks = [(sc, rep, run.event_log == "all" or (run.event_log == "first" and rep == 0))
             for rep in range(run.replications) for sc in models]
    jobs = min(run.jobs, len(tasks), os.cpu_count() or 1)
    results: list[TaskResult] = []
    if jobs <= 1:
        _init(territory, models, run, plans)
        for task in tasks:
            res = _task(task)
            results.append(res)
            if on_done:
                on_done(res)
    else:
        pool = ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init, initargs=(territory, models, run, plans))
        try:
            for res in _started(pool, tasks):
                results.append(res)
                if on_done:
                    on_done(res)
        except BaseException:
            _stop(pool)
            raise
        pool.shutdown()
    order = {sc: i for i, sc in enumerate(models)}
    return sorted(results, key=lambda r: (order[r.scenario], r.replication))


def _stop(pool: ProcessPoolExecutor) -> None:
    """End the workers now (Ctrl-C, a failure): ``shutdown(wait=True)`` would wait for the
    replications running, minutes on a large territory."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # no public way before Python 3.14
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        p.terminate()
    for p in processes:
        p.join()


def tables(results: list[TaskResult], units: dict[str, str] = K.KPI_UNITS) -> dict[str, pd.DataFrame]:
    """Long tables over all tasks, each with scenario and replication columns first;
    ``kpis_years``: the KPIs of each year of a run of several years (empty otherwise)."""
    kp = pd.DataFrame([(r.scenario, r.replication, k, units[k], v) for r in results for k, v in r.kpis.items()],
                      columns=["scenario", "replication", "kpi", "unit", "value"])
    kp = kp.astype({"replication": "int32", "value": "float64"})
    by_year = pd.DataFrame([(r.scenario, r.replication, y, k, units[k], v) for r in results
                            for y, kpis in r.years.items() for k, v in kpis.items()],
                           columns=["scenario", "replication", YEAR, "kpi", "unit", "value"])
    out = {"kpis": kp, "kpis_years": by_year.astype({"replication": "int32", YEAR: YEAR_DTYPE, "value": "float64"})}
    for name in ("groups", "series", "quantiles", "channels", "utilisation", "er_sites", "communes"):
        parts = []
        for r in results:
            df = getattr(r, name).copy()
            df.insert(0, "replication", np.int32(r.replication))
            df.insert(0, "scenario", r.scenario)
            parts.append(df)
        out[name] = pd.concat(parts, ignore_index=True)
    return out

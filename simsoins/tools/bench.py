"""Benchmark: ``python -m simsoins.bench [--days N] [--record] [--history FILE]``.

Measures, in one process run (the machines are shared and noisy, so figures are given as
ratios measured side by side):

(a) the full model on the default territory — requests per second of CPU, wall time and
    peak memory of one replication with its event log and KPIs (the scenario's plan is
    timed apart: a sweep builds it once for all its replications);
(b) a reference: a bare SimPy M/M/c (c = 10, ρ = 0.9, 200,000 customers) driven by
    scheduled callbacks with no process per customer — customers per second of CPU;
(c) how cost grows with work: 0.5×, 1×, 2× and 4× the default territory (population and
    clinicians scaled together; 2× and 4× are exact copies, their MT registrations too),
    on shorter runs repeated in interleaved rounds; and the 4× run against four 1× runs in
    a row, the same work over the same length of time;
(d) 4 replications across 2 worker processes against one.

Then each target of the speed work (``TARGETS``) with its figure and whether it is met;
the last line reads ``requests_per_s=… reference_per_s=… ratio=… peak_rss_mb=…``.
``--record`` appends the figures to the history file (``--history``, by default
``benchmarks/history.csv`` in the current directory).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import resource
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from simsoins.tools.common import user_error
from simsoins.tools.workloads import locality_probe, reference_mmc, scaled, scaled_plan
from simsoins.tools.workloads import model_inputs as _model_inputs

if TYPE_CHECKING:
    from simsoins.config.model import ModelConfig, RunConfig
    from simsoins.territory import Territory

__all__ = ["TARGETS", "_model_inputs", "locality_probe", "main", "record", "reference_mmc", "scaled",
           "scaled_plan", "verdicts"]

PROG = "python -m simsoins.bench"
#: Scales of the work of the scaling runs (× the default territory).
SCALES = (0.5, 1, 2, 4)


@dataclass(frozen=True)
class BenchRun:
    """One replication to time: ``territory`` (for copies: ``copies`` copies of ``base``,
    which keep ``base``'s MT registrations, see :func:`scaled_plan`)."""

    territory: Territory
    model: ModelConfig
    run: RunConfig
    replication: int = 0
    base: Territory | None = None
    copies: int = 1


@dataclass(frozen=True)
class Measure:
    """What one timed replication cost."""

    cpu: float  # CPU seconds of the simulation and its KPIs
    wall: float  # wall-clock seconds of the same
    requests: int  # requests simulated (rows of the event log)
    rss_mb: float  # peak resident memory of the process, MB
    wait: float  # the run's mean routine wait, days (a check that the copies behave alike)
    plan_cpu: float  # CPU seconds of the scenario's plan, built before the replication


def measure(job: BenchRun) -> Measure:
    """One replication in this (fresh) process.

    The scenario's plan (initial MT registrations, the levers' changes) is built first and
    timed apart, as a sweep builds it once per scenario for all its replications; the
    replication is the simulation with its KPIs."""
    from simsoins.results.kpis import replication_kpis
    from simsoins.sim.replication import simulate

    c0 = time.process_time()
    plan = scaled_plan(job.territory, job.model, job.run, job.base, job.copies)
    plan_cpu = time.process_time() - c0
    w0, c0 = time.perf_counter(), time.process_time()
    r = simulate(job.territory, job.model, job.run, job.replication, plan)
    kpis = replication_kpis(r)
    return Measure(cpu=time.process_time() - c0, wall=time.perf_counter() - w0, requests=len(r.events),
                   rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                   wait=kpis["routine_wait_days_mean"], plan_cpu=plan_cpu)


def _in_fresh_process(job: BenchRun) -> Measure:
    """:func:`measure` in a new worker process: its peak memory is this run's alone."""
    with ProcessPoolExecutor(max_workers=1) as pool:
        return pool.submit(measure, job).result()


def record(path: Path, row: dict) -> None:
    """Append ``row`` to the history file ``path``.  A column the file does not have yet is
    added to it, blank in the earlier rows; a column of the file that ``row`` lacks (a run
    with ``--no-scaling``) stays blank in it.  The file is written whole to a temporary file
    beside it, then put in its place: an interrupted bench leaves the history as it was."""
    rows: list[dict] = []
    columns = list(row)
    if path.exists():
        with path.open(newline="") as fh:
            reader = csv.DictReader(fh)
            rows = list(reader)
            known = list(reader.fieldnames or [])
            columns = known + [k for k in row if k not in known]
    rows.append(row)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, restval="")
        w.writeheader()
        w.writerows(rows)
    tmp.replace(path)


#: The targets of the speed and memory work, set for a territory-year (the defaults:
#: ``--days 365``, ``--scaling-days 90``) on one core of this project's machine:
#: (figure, what it is, the limit, whether the figure must stay at most the limit).
TARGETS = (
    ("ratio", "model / reference rate", 0.25, False),
    ("peak_rss_gb", "peak memory of the full run, GB", 1.5, True),
    ("cost_ratio_4x", "4× the work, fastest run against fastest 1× run", 4.4, True),
    ("cost_ratio_4x_equal_length", "4× the work against four 1× runs in a row", 4.4, True),
    ("speedup_2_workers", "2 worker processes against one", 1.7, False),
)


def verdicts(figures: dict[str, float]) -> list[str]:
    """One line per target whose figure this run measured: the figure, the limit and
    whether it is met (a run with ``--no-scaling`` has no scaling figures)."""
    out = []
    for key, label, limit, at_most in TARGETS:
        if key not in figures:
            continue
        value = figures[key]
        met = value <= limit if at_most else value >= limit
        out.append(f"{label}: {value:.2f}, target {'≤' if at_most else '≥'} {limit:g}: "
                   f"{'met' if met else 'NOT MET'}")
    return out


def _spread(ratios: list[float]) -> str:
    """``median m, lo–hi`` of ``ratios``."""
    return f"median {float(np.median(ratios)):.2f}, {min(ratios):.2f}–{max(ratios):.2f}"


def parser() -> argparse.ArgumentParser:
    """The command line of ``python -m simsoins.bench``."""
    from simsoins.cli import int_at_least

    ap = argparse.ArgumentParser(prog=PROG, description="Time the model against a bare SimPy reference, "
                                                        "its cost against the work, and its worker processes.")
    ap.add_argument("--days", type=int_at_least(1), default=365, metavar="DAYS",
                    help="simulated days after warm-up (default 365)")
    ap.add_argument("--no-scaling", action="store_true", help="skip the 0.5×…4× scaling runs")
    ap.add_argument("--scaling-days", type=int_at_least(1), default=90, metavar="DAYS",
                    help="days after warm-up of each scaling run (default 90; the warm-up is the model's)")
    ap.add_argument("--rounds", type=int_at_least(1), default=5, metavar="N",
                    help="scaling rounds, interleaved; each scale keeps its fastest (default 5)")
    ap.add_argument("--locality", action="store_true", help="also time slot look-ups against the number of books")
    ap.add_argument("--departements", default="", metavar="CODES",
                    help="also one replication of each of these départements (INSEE codes, comma-separated, "
                         "e.g. 48,41,75,59: docs/france.md's cost table), its cost per request against the "
                         "default territory's")
    ap.add_argument("--departement-days", type=int_at_least(1), default=365, metavar="DAYS",
                    help="days after warm-up of each département run (default 365)")
    ap.add_argument("--record", action="store_true", help="append the figures to the history file (--history)")
    ap.add_argument("--history", type=Path, default=Path("benchmarks/history.csv"), metavar="FILE",
                    help="the history file --record appends to (default: benchmarks/history.csv in the "
                         "current directory; its folder must exist)")
    return ap


def _checked_codes(text: str) -> list[str]:
    """The INSEE codes of ``--departements``, checked before any run."""
    codes = [c for c in text.split(",") if c.strip()]
    if not codes:
        return []
    from simsoins.config.model import ConfigError
    from simsoins.territory.france import normalise_code

    try:
        return [normalise_code(c, "--departements") for c in codes]
    except ConfigError as err:
        user_error(PROG, str(err))


def _checked_history(args: argparse.Namespace) -> None:
    """With ``--record``, the history file's folder must exist: say so before any run."""
    folder = args.history.parent
    if args.record and not folder.is_dir():
        user_error(PROG, f"--history {args.history}: folder {folder} does not exist "
                         "(run from the project's root, or give --history FILE)")


@dataclass
class Figures:
    """The bench's figures: the full run, and the ratios recorded in the history."""

    full: Measure
    reference_per_s: float
    row: dict[str, float] = field(default_factory=dict)  # history column → figure

    @property
    def requests_per_s(self) -> float:
        return self.full.requests / self.full.cpu


def measure_full_model(territory, model, run) -> Figures:
    """(a) and (b): the reference's rate, then one replication of the full model."""
    # The reference is short: keep its best of three, which only makes the ratio harder to meet.
    ref = max(reference_mmc() for _ in range(3))
    full = _in_fresh_process(BenchRun(territory, model, run))
    req_s = full.requests / full.cpu
    print(f"reference M/M/10 (rho=0.9, 200,000 customers, callbacks): {ref:,.0f} customers/s (best of 3)")
    print(f"full model, {territory.name}, {run.warmup_days}+{run.horizon_days} days: {full.requests:,} requests, "
          f"cpu {full.cpu:.1f} s, wall {full.wall:.1f} s, {req_s:,.0f} requests/s, "
          f"peak RSS {full.rss_mb:.0f} MB; the scenario's plan, built once for all its replications: "
          f"cpu {full.plan_cpu:.2f} s")
    row = {"requests_per_s": req_s, "reference_per_s": ref, "ratio": req_s / ref, "peak_rss_mb": full.rss_mb,
           "wall_s": full.wall}
    return Figures(full=full, reference_per_s=ref, row=row)


@dataclass
class ScalingRuns:
    """The scaling runs of every round: each scale's CPU seconds and fastest run, and the
    CPU seconds of four 1× runs in a row (the 4× run's work over the same length of time)."""

    cpu: dict[float, list[float]] = field(default_factory=lambda: {k: [] for k in SCALES})
    best: dict[float, Measure] = field(default_factory=dict)
    four_ones: list[float] = field(default_factory=list)

    def add(self, k: float, r: Measure) -> None:
        self.cpu[k].append(r.cpu)
        if k not in self.best or r.cpu < self.best[k].cpu:
            self.best[k] = r


def _scaling_rounds(territory, model, short, rounds: int) -> ScalingRuns:
    """Every scale once per round, rounds interleaved: a noisy neighbour slows one run, not
    every run of one scale.  Each round also runs 1× three more times in a row: the fastest
    of five short runs is further below their typical time than the fastest of five long
    ones, so the ratio of the fastest single runs leans against the larger scale; sums of
    equal length do not."""
    inputs = {k: territory if k == 1 else scaled(territory, k) for k in SCALES}
    runs = ScalingRuns()
    for _ in range(rounds):
        for k in SCALES:
            copies = {"base": territory, "copies": int(k)} if k > 1 else {}
            r = _in_fresh_process(BenchRun(inputs[k], model, short, **copies))
            runs.add(k, r)
            if k == 1:
                more = sum(_in_fresh_process(BenchRun(territory, model, short)).cpu for _ in range(3))
                runs.four_ones.append(r.cpu + more)
    return runs


def measure_scaling(territory, model, run, args: argparse.Namespace) -> dict[str, float]:
    """(c): cost against work; the history's ``cost_ratio_*`` figures."""
    short = replace(run, horizon_days=args.scaling_days)
    rounds = args.rounds
    runs = _scaling_rounds(territory, model, short, rounds)
    one, cpu = runs.best[1], runs.cpu
    row = {}
    print(f"scaling, {short.warmup_days}+{short.horizon_days} days, fastest of {rounds} rounds:")
    for k in SCALES:
        r = runs.best[k]
        print(f"scale {k:>3}×: {r.requests:>9,} requests, cpu {r.cpu:7.1f} s, "
              f"cost ratio to 1× {r.cpu / one.cpu:.2f} (work ratio {r.requests / one.requests:.2f}), "
              f"{r.requests / r.cpu:,.0f} requests/s, routine wait {r.wait:.2f} d; plan cpu {r.plan_cpu:.2f} s")
        row[f"cost_ratio_{k}x"] = r.cpu / one.cpu
    # each round's own ratio (its runs are minutes apart: the machine's load moves less)
    print(f"4× against 1×, round by round: {_spread([a / b for a, b in zip(cpu[4], cpu[1])])} "
          f"over {len(cpu[4])} rounds")
    row["cost_ratio_4x_equal_length"] = 4 * min(cpu[4]) / min(runs.four_ones)
    print(f"4× against four 1× runs in a row (the same work, the same length of time): fastest against "
          f"fastest {row['cost_ratio_4x_equal_length']:.2f}; round by round: "
          f"{_spread([4 * a / b for a, b in zip(cpu[4], runs.four_ones)])}")
    return row


def measure_departements(codes: list[str], full: Measure, days: int) -> None:
    """One replication of each département; its cost per request against ``full``'s."""
    print("départements, one replication each in a fresh process "
          "(cost per request against the default territory's run above):")
    for code in codes:
        t_dep, m_dep, r_dep = _model_inputs(code)
        r_dep = replace(r_dep, horizon_days=days, replications=1, jobs=1)
        d = _in_fresh_process(BenchRun(t_dep, m_dep, r_dep))
        per_req = d.cpu / d.requests / (full.cpu / full.requests)
        print(f"{code:>3} {t_dep.name}, {r_dep.warmup_days}+{r_dep.horizon_days} days: "
              f"population {t_dep.population.sum():,.0f}, {t_dep.n_clinicians} GPs, "
              f"{len(t_dep.practice_id)} practices; {d.requests:,} requests, cpu {d.cpu:.1f} s, "
              f"{d.requests / d.cpu:,.0f} requests/s, cost per request {per_req:.2f} × the default's, "
              f"peak RSS {d.rss_mb / 1024:.2f} GB")


def measure_workers(territory, model, run) -> float:
    """(d): four replications on one worker process, then on two; the speed-up."""
    from simsoins.run.workers import run_all

    # Four replications, so that starting the worker processes weighs little against the work.
    four = replace(run, replications=4)
    t0 = time.perf_counter()
    run_all(territory, {"baseline": model}, replace(four, jobs=1))
    one_worker = time.perf_counter() - t0
    t0 = time.perf_counter()
    run_all(territory, {"baseline": model}, replace(four, jobs=2))
    two_workers = time.perf_counter() - t0
    print(f"4 replications: 1 worker {one_worker:.1f} s, 2 workers {two_workers:.1f} s, "
          f"speed-up {one_worker / two_workers:.2f}× (cores: {os.cpu_count()})")
    return one_worker / two_workers


def print_targets(figures: Figures, args: argparse.Namespace) -> None:
    """Each target of :data:`TARGETS` this run measured, met or not."""
    print(f"targets (set for --days 365 --scaling-days 90; this run: --days {args.days} --scaling-days "
          f"{args.scaling_days}; the 4× figures move with the machine's load):")
    for line in verdicts({**figures.row, "peak_rss_gb": figures.full.rss_mb / 1024}):
        print(f"  {line}")


def history_row(figures: Figures, days: int) -> dict:
    """The history file's row: date, machine, days, then every figure to 4 significant digits."""
    return {"date": dt.date.today().isoformat(), "machine": f"{platform.machine()} {os.cpu_count()} cores",
            "days": days, **{k: f"{v:.4g}" for k, v in figures.row.items()}}


def main(argv: list[str] | None = None) -> int:
    """Run every measurement, print the figures and targets; returns the exit status."""
    args = parser().parse_args(argv)
    codes = _checked_codes(args.departements)  # a bad code or folder stops the bench before any run
    _checked_history(args)
    territory, model, run = _model_inputs()
    run = replace(run, horizon_days=args.days, warmup_days=min(run.warmup_days, args.days), replications=1, jobs=1)
    figures = measure_full_model(territory, model, run)
    if not args.no_scaling:
        figures.row.update(measure_scaling(territory, model, run, args))
    if codes:
        measure_departements(codes, figures.full, args.departement_days)
    if args.locality:
        probe = locality_probe()
        print("slot look-ups, books visited at random: " + ", ".join(f"{n} books {ns:.0f} ns"
                                                                      for n, ns in probe.items()))
    figures.row["speedup_2_workers"] = measure_workers(territory, model, run)
    print_targets(figures, args)
    if args.record:
        record(args.history, history_row(figures, args.days))
    print(f"requests_per_s={figures.requests_per_s:.0f} reference_per_s={figures.reference_per_s:.0f} "
          f"ratio={figures.requests_per_s / figures.reference_per_s:.3f} peak_rss_mb={figures.full.rss_mb:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

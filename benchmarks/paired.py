"""Paired timings of two checkouts of simsoins, for changes of a few per cent.

    python benchmarks/paired.py CHECKOUT_A CHECKOUT_B [--pairs 10] [--scale 4] [--days 60]
    python benchmarks/paired.py CHECKOUT_A CHECKOUT_B --departement 59 --days 40

On a machine shared with other tenants, runs one after the other differ with the
neighbours' load by more than the change to be seen.  Here both versions run *at the same
time*, one per core, so that the load falls on both alike; the cores are swapped at each
pair and the version started first every two pairs (the one started first may run faster).
Each run is one replication in a fresh process (the bench's territory: ``--scale``
disjoint copies of the default territory, or ``--departement``), timed in CPU seconds of
its SimPy event loop.  Prints each pair's B/A ratio, then their mean, median and the
standard error of the mean.  Needs 2 cores and Linux (CPU affinity).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

# One run, in a fresh process whose ``simsoins`` is the checkout's: only names that both
# sides have (the bench's inputs and copies, the model's simulate).
CHILD = """
import sys, time
from dataclasses import replace
import simpy
try:  # the package's layout since the restructuring, else the flat one before it
    from simsoins.tools import bench
    from simsoins.sim.replication import simulate
except ImportError:
    from simsoins import bench
    from simsoins.model import simulate
scale, days, code = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] or None
territory, model, run = bench._model_inputs(code) if code else bench._model_inputs()
run = replace(run, horizon_days=days, replications=1, jobs=1)
t = territory if scale == 1 else bench.scaled(territory, scale)
plan = bench.scaled_plan(t, model, run, *((territory, scale) if scale > 1 else ()))
class LoopTimer:  # CPU seconds spent in SimPy's event loop, over every environment's runs
    spent = 0.0
    loop = simpy.Environment.run
    @staticmethod
    def run(env, *a, **kw):
        c0 = time.process_time()
        try:
            return LoopTimer.loop(env, *a, **kw)
        finally:
            LoopTimer.spent += time.process_time() - c0
simpy.Environment.run = LoopTimer.run
simulate(t, model, run, 0, plan)
print(LoopTimer.spent)
"""


def _start(checkout: Path, cpu: int, args) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(args.scale), str(args.days), args.departement or ""],
        env={**os.environ, "PYTHONPATH": str(checkout)}, stdout=subprocess.PIPE, text=True,
        preexec_fn=lambda: os.sched_setaffinity(0, {cpu}))


def parser() -> argparse.ArgumentParser:
    """The command line of ``python benchmarks/paired.py``."""
    ap = argparse.ArgumentParser(prog="python benchmarks/paired.py",
                                 description="Time two checkouts of simsoins side by side, one per core.")
    ap.add_argument("a", type=Path, help="checkout A (a directory holding simsoins/ and configs/)")
    ap.add_argument("b", type=Path, help="checkout B")
    ap.add_argument("--pairs", type=int, default=10, help="pairs of runs (default 10)")
    ap.add_argument("--scale", type=int, default=4, help="copies of the default territory (default 4)")
    ap.add_argument("--departement", default="",
                    help="a département's INSEE code instead of the copies (both checkouts from 2026-11-29 on)")
    ap.add_argument("--days", type=int, default=60, help="days after warm-up of each run (default 60)")
    return ap


def _check(ap: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Both checkouts exist, the machine has the 2 cores, and there are pairs to swap."""
    for side in (args.a, args.b):
        if not (side / "simsoins" / "__init__.py").is_file():
            ap.error(f"{side}: not a checkout of simsoins (no simsoins/__init__.py in it)")
    if not hasattr(os, "sched_setaffinity") or len(os.sched_getaffinity(0)) < 2:
        ap.error("needs Linux and 2 cores: the two versions run at the same time, one per core")
    if args.pairs < 2:
        ap.error(f"--pairs = {args.pairs}: at least 2 (the cores and the order are swapped between pairs)")


def _pair(p: int, cpus: list[int], args: argparse.Namespace) -> tuple[float, float]:
    """Pair ``p``: A and B at the same time, cores swapped every pair, the one started
    first every two pairs; each side's CPU seconds."""
    ca, cb = cpus if p % 2 == 0 else cpus[::-1]
    if p % 4 < 2:
        run_a = _start(args.a, ca, args)
        run_b = _start(args.b, cb, args)
    else:
        run_b = _start(args.b, cb, args)
        run_a = _start(args.a, ca, args)
    out_a, out_b = run_a.communicate()[0], run_b.communicate()[0]
    if run_a.returncode or run_b.returncode:
        sys.exit(f"pair {p}: a run failed (exit {run_a.returncode}, {run_b.returncode})")
    return float(out_a.split()[-1]), float(out_b.split()[-1])


def main(argv=None) -> None:
    """Run the pairs; print each pair's ratio, then their mean, median and standard error."""
    ap = parser()
    args = ap.parse_args(argv)
    _check(ap, args)
    cpus = sorted(os.sched_getaffinity(0))[:2]
    ratios = []
    for p in range(args.pairs):
        a, b = _pair(p, cpus, args)
        ratios.append(b / a)
        print(f"pair {p}: A {a:.2f} s, B {b:.2f} s, B/A {b / a:.3f}", flush=True)
    sem = statistics.stdev(ratios) / len(ratios) ** 0.5
    print(f"B/A: mean {statistics.mean(ratios):.3f} ± {sem:.3f} (standard error), "
          f"median {statistics.median(ratios):.3f}, over {len(ratios)} pairs")


if __name__ == "__main__":
    main()

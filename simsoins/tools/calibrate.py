"""Fit the uncertain parameters to public figures: ``python -m simsoins.calibrate``.

The procedure (documented in docs/calibration.md, written by this command):

1. **Parameters**: the defaults marked ASSUMPTION that drive waits and renouncement most —
   the routine patience median (days), the probability of trying again a week later after
   finding nothing, and the share of slots held for same-day care (see :data:`PARAMETERS`,
   each with the range searched).
2. **Fit targets** (in-sample): the public figures those parameters should reproduce —
   mean GP wait (DREES ER 1085), share seen the same or next day (DREES ER 1085), share of
   routine requests given up (DREES ER 1085: > 90 % of contacts get an appointment) — see
   :data:`FIT_TARGETS`. Every other target of :data:`simsoins.tools.validate.TARGETS` is kept
   **out of the fit** and reported as an out-of-sample check.
3. **Loss**: the sum of squared deviations, each divided by the target's tolerance
   half-width; a one-sided target counts only beyond its bound.
4. **Search**: a grid over the ranges (every point is one replication of the baseline with
   the same seed — common random numbers make the loss surface smooth enough to compare
   points), then Nelder–Mead (scipy) from the best grid point, inside the ranges.
5. **Check**: the fitted point and the current defaults, ``--replications`` replications
   of the full horizon each, every target with its 95 % CI and verdict.

Writes ``fit.csv`` (every point evaluated, its KPIs and loss), ``fit.md`` (the report)
and ``fitted_overrides.txt`` (the fitted values, one ``key=value`` override a line:
``python -m simsoins $(cat fitted_overrides.txt)``) into ``--out`` (default ``calibration/``).
"""

from __future__ import annotations

import argparse
import copy
import itertools
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from simsoins.tools.common import figure, user_error
from simsoins.tools.validate import TARGETS, calibration_table


@dataclass(frozen=True)
class Parameter:
    """An uncertain parameter: its config key, the range searched and the grid points."""

    key: str
    low: float
    high: float
    grid: tuple[float, ...]
    why: str


PARAMETERS = (
    Parameter("demand.routine_patience_days.median", 7.0, 28.0, (9.0, 14.0, 21.0),
              "longest wait a patient accepts for a routine visit (not measured in France)"),
    Parameter("pathways.routine_retry_probability", 0.3, 0.95, (0.45, 0.65, 0.85),
              "tries again a week later after finding nothing"),
    Parameter("clinicians.same_day_share", 0.05, 0.30, (0.10, 0.15, 0.22),
              "share of slots held for same-day care (SNP = 11-19 % of activity, DREES ER 471)"),
)


@dataclass(frozen=True)
class FitTarget:
    """A public figure in the loss: its point value (or a one-sided bound)."""

    kpi: str
    value: float
    half_width: float  # tolerance half-width: the deviation that counts as 1
    side: str = "both"  # "both", or "below" (only values above count)


FIT_TARGETS = (
    FitTarget("gp_wait_days_mean", 6.0, 2.0),
    FitTarget("gp_within_1d_share", 0.49, 0.09),
    FitTarget("routine_gave_up_share", 0.10, 0.05, "below"),
)


def loss(kpis: dict[str, float], targets=FIT_TARGETS) -> float:
    """Sum of squared scaled deviations from the fit targets (held-out KPIs play no part)."""
    total = 0.0
    for tg in targets:
        d = (kpis[tg.kpi] - tg.value) / tg.half_width
        if tg.side == "below":
            d = max(d, 0.0)
        total += d * d
    return total


def _set(cfg: dict, key: str, value: float) -> None:
    """Set the dotted ``key`` of ``cfg`` to ``value``."""
    node = cfg
    *path, last = key.split(".")
    for k in path:
        node = node[k]
    node[last] = float(value)


class Evaluator:
    """Runs the baseline at parameter points (one replication each, common seed)."""

    def __init__(self, cfg: dict, params=PARAMETERS) -> None:
        from simsoins.cli import prepare

        self.cfg, self.params = cfg, params
        job = prepare(cfg)
        self.territory, self.run = job.territory, replace(job.run, event_log="none")
        self.rows: list[dict] = []

    def model(self, x) -> tuple:
        """(model, plan) at point ``x``; the territory is reloaded, since clinician
        parameters (e.g. the same-day share) are set per clinician when it is read."""
        from simsoins.cli import config_dir, validate_values
        from simsoins.levers import make_plan
        from simsoins.territory import load_territory

        cfg = copy.deepcopy(self.cfg)
        for p, v in zip(self.params, x):
            _set(cfg, p.key, v)
        _, model, *_ = validate_values(cfg)
        territory = load_territory(cfg.get("territory") or {}, model.clinicians, Path(config_dir()) / "territory",
                                   model.demand.age_bands)
        return model, make_plan(territory, model, self.run)

    def __call__(self, points, stages, replications: int = 1, horizon_days: int | None = None) -> list[float]:
        """KPIs and loss of each point (run in parallel, one task per point × replication);
        ``stages`` labels each point (or all of them, if a string)."""
        from simsoins.run.workers import run_all, tables

        run = replace(self.run, replications=replications,
                      horizon_days=horizon_days or self.run.horizon_days)
        names = [f"p{len(self.rows) + i}" for i in range(len(points))]
        built = {n: self.model(x) for n, x in zip(names, points)}
        results = run_all(self.territory, {n: m for n, (m, _) in built.items()}, run,
                          plans={n: plan for n, (_, plan) in built.items()})
        kp = tables(results)["kpis"]
        out = []
        stages = [stages] * len(points) if isinstance(stages, str) else stages
        for n, x, stage in zip(names, points, stages):
            means = kp[kp["scenario"] == n].groupby("kpi")["value"].mean().to_dict()
            f = loss(means)
            self.rows.append({"point": n, "stage": stage, **{p.key: float(v) for p, v in zip(self.params, x)},
                              "loss": f, **{tg.kpi: means.get(tg.kpi, np.nan) for tg in TARGETS}})
            out.append(f)
        best = min(r["loss"] for r in self.rows)
        print(f"calibrate: {len(self.rows)} points evaluated ({stages[-1]}), last loss {out[-1]:.3f}, "
              f"best {best:.3f}", flush=True)
        return out


def fit(ev: Evaluator, default, max_evals: int, horizon_days: int) -> np.ndarray:
    """Grid (and the defaults, for comparison), then Nelder–Mead from the best grid point;
    returns the best point found."""
    grid = list(itertools.product(*(p.grid for p in ev.params)))
    ev([tuple(default), *grid], ["default"] + ["grid"] * len(grid), horizon_days=horizon_days)
    lo = np.array([p.low for p in ev.params])
    hi = np.array([p.high for p in ev.params])
    best = min((r for r in ev.rows if r["stage"] == "grid"), key=lambda r: r["loss"])
    x0 = np.array([best[p.key] for p in ev.params])
    scale = hi - lo

    def f(z):  # search in units of each range, clipped into it
        x = np.clip(lo + z * scale, lo, hi)
        return ev([tuple(x)], "nelder-mead", horizon_days=horizon_days)[0]

    if max_evals > 0:
        simplex = [(x0 - lo) / scale] + [(x0 - lo) / scale + 0.08 * np.eye(len(x0))[i] for i in range(len(x0))]
        minimize(f, (x0 - lo) / scale, method="Nelder-Mead",
                 options={"maxfev": max_evals, "initial_simplex": np.array(simplex), "xatol": 0.01, "fatol": 0.01})
    best = min(ev.rows, key=lambda r: r["loss"])
    return np.array([best[p.key] for p in ev.params])


def _parameters_section(ev: Evaluator, fitted: np.ndarray, default: np.ndarray) -> list[str]:
    """The parameters searched: why each is uncertain, its range and grid, default and fit."""
    lines = ["## Parameters", "", "| parameter | why it is uncertain | range searched | grid | default | fitted |",
             "|---|---|---|---|---|---|"]
    for p, d, f in zip(ev.params, default, fitted):
        lines.append(f"| `{p.key}` | {p.why} | {p.low:g}–{p.high:g} | {', '.join(f'{g:g}' for g in p.grid)} | "
                     f"{d:g} | **{f:.3g}** |")
    return lines


def _fit_section(ev: Evaluator, fit_days: int) -> list[str]:
    """The fit targets, the search and the loss at the fitted point and the defaults."""
    lines = ["", "## Fit targets (in the loss)", "", "| KPI | target | counts as 1 | side |", "|---|---|---|---|"]
    for tg in FIT_TARGETS:
        lines.append(f"| `{tg.kpi}` | {tg.value:g} | ± {tg.half_width:g} | "
                     f"{'only above' if tg.side == 'below' else 'both'} |")
    n_grid = sum(r["stage"] == "grid" for r in ev.rows)
    n_nm = sum(r["stage"] == "nelder-mead" for r in ev.rows)
    lines += ["", f"Search: {n_grid} grid points then {n_nm} Nelder–Mead evaluations, one replication "
              f"of {ev.run.warmup_days} + {fit_days} days each, seed {ev.run.seed} for every point.", ""]
    best = min(ev.rows, key=lambda r: r["loss"])
    at_default = next(r for r in ev.rows if r["stage"] == "default")
    return [*lines, f"Loss at the fitted point {best['loss']:.3f}, at the current defaults {at_default['loss']:.3f} "
                    "(same runs); every point is in `fit.csv`.", ""]


def _check_section(ev: Evaluator, name: str, table: pd.DataFrame, replications: int) -> list[str]:
    """One check (``name``: the fitted values or the defaults): every target, its verdict."""
    fit_kpis = {tg.kpi for tg in FIT_TARGETS}
    f = figure
    lines = [f"## Check: {name}", "",
             f"{replications} replications of {ev.run.warmup_days} + {ev.run.horizon_days} days.", "",
             "| KPI | public figure | tolerance | simulated mean [95 % CI] | role | verdict |",
             "|---|---|---|---|---|---|"]
    for r in table.itertuples():
        role = "fit" if r.kpi in fit_kpis else ("tuned by hand (demand rates)" if r.role == "tuned"
                                                else "out-of-sample")
        lines.append(f"| `{r.kpi}` | {r.public_figure} | {f(r.tolerance_low)}–{f(r.tolerance_high)} | "
                     f"{f(r.simulated_mean)} [{f(r.ci_low)}, {f(r.ci_high)}] | {role} | **{r.verdict}** |")
    return [*lines, ""]


def report(ev: Evaluator, fitted: np.ndarray, default: np.ndarray, checks: dict[str, pd.DataFrame],
           fit_days: int, replications: int) -> str:
    """``fit.md``: the parameters, the fit and each check (``replications`` replications)."""
    lines = ["# Calibration fit — " + ev.territory.name, "",
             "Written by `python -m simsoins.calibrate` (procedure in the module docstring); do not edit by hand.", ""]
    lines += _parameters_section(ev, fitted, default) + _fit_section(ev, fit_days)
    for name, table in checks.items():
        lines += _check_section(ev, name, table, replications)
    return "\n".join(lines)


PROG = "python -m simsoins.calibrate"


def parser() -> argparse.ArgumentParser:
    """The command line of ``python -m simsoins.calibrate``."""
    from simsoins.cli import int_at_least

    ap = argparse.ArgumentParser(prog=PROG, description="Fit the uncertain parameters to public figures and "
                                                        "check the fit on the figures kept out of it.")
    ap.add_argument("--fit-days", type=int_at_least(1), default=365, metavar="DAYS",
                    help="days after warm-up of each fit run (default 365: the targets are yearly figures)")
    ap.add_argument("--max-evals", type=int_at_least(0), default=15, metavar="N",
                    help="Nelder-Mead evaluations after the grid (default 15)")
    ap.add_argument("--replications", type=int_at_least(2), default=5, metavar="N",
                    help="replications of the final checks (default 5)")
    ap.add_argument("--out", type=Path, default=Path("calibration"), metavar="DIR",
                    help="folder for fit.csv, fit.md and fitted_overrides.txt (default: calibration)")
    ap.add_argument("overrides", nargs="*", help="config overrides, e.g. territory=exemple")
    return ap


def _evaluator(cfg: dict) -> Evaluator:
    """The evaluator of ``cfg``; a bad config stops the command (one line, exit status 2)."""
    from simsoins.config.model import ConfigError

    try:
        return Evaluator(cfg)
    except ConfigError as err:
        user_error(PROG, str(err))


def check(ev: Evaluator, points: dict[str, np.ndarray], replications: int) -> dict[str, pd.DataFrame]:
    """Each of ``points`` (name → parameter values) run ``replications`` times in full:
    its calibration table."""
    from simsoins.run.workers import run_all, tables

    models = {name: ev.model(x) for name, x in points.items()}
    run = replace(ev.run, replications=replications)
    kp = tables(run_all(ev.territory, {n: m for n, (m, _) in models.items()}, run,
                        plans={n: p for n, (_, p) in models.items()}))["kpis"]
    return {name: calibration_table(kp[kp["scenario"] == name]) for name in points}


def write_fit(out: Path, ev: Evaluator, fitted: np.ndarray, fit_md: str) -> None:
    """``fit.csv`` (every point evaluated), ``fit.md`` and ``fitted_overrides.txt`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(ev.rows).to_csv(out / "fit.csv", index=False)
    (out / "fit.md").write_text(fit_md, encoding="utf-8")
    (out / "fitted_overrides.txt").write_text(
        "".join(f"{p.key}={v:.4g}\n" for p, v in zip(ev.params, fitted)), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    from simsoins.cli import compose_checked

    args = parser().parse_args(argv)
    cfg = compose_checked(args.overrides, PROG)
    ev = _evaluator(cfg)
    default = np.array([_get(cfg, p.key) for p in ev.params])
    fitted = fit(ev, default, args.max_evals, args.fit_days)
    checks = check(ev, {"fitted values": fitted, "current defaults": default}, args.replications)
    write_fit(args.out, ev, fitted, report(ev, fitted, default, checks, args.fit_days, args.replications))
    for name, table in checks.items():
        print(f"\n{name}:")
        print(table[["kpi", "public_figure", "simulated_mean", "ci_low", "ci_high", "verdict"]].to_string(index=False))
    print(f"\nReport: {args.out / 'fit.md'}; fitted values as overrides: {args.out / 'fitted_overrides.txt'}")
    return 0


def _get(cfg: dict, key: str) -> float:
    """The value at the dotted ``key`` of ``cfg``."""
    node: Any = cfg
    for k in key.split("."):
        node = node[k]
    return float(node)


if __name__ == "__main__":
    raise SystemExit(main())

"""The results section of ``docs/levers.md``, regenerated from two studies.

``python -m simsoins.levers_report [--replications N] [--horizon-days D] [--territory NAME]
[--out FILE] [--sweeps ALL DOSE] [OVERRIDE …]`` runs the studies ``tous_les_leviers`` (each
lever at its policy size) and ``dose_egale`` (the capacity levers at an equal dose), or
reads two finished sweep directories (``--sweeps``), and writes between the markers
:data:`BEGIN` and :data:`END` of ``FILE`` (default: ``docs/levers.md``), leaving the rest of
the file as it is: per lever its dose (slots a week, per 100,000 inhabitants), its effect
on the KPIs of :data:`REPORT_KPIS` (paired difference to the baseline, 95 % interval), and
the levers ranked by their effect on the time to care per 100 slots a week at equal dose.
Extra ``OVERRIDE`` arguments go to both sweeps (e.g. ``hydra/launcher=joblib``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import yaml

from simsoins.tools.common import figure, user_error

PROG = "python -m simsoins.levers_report"
BEGIN, END = "<!-- levers-report:begin -->", "<!-- levers-report:end -->"
#: The time to care over every request, first KPI id present in the summary wins (the
#: booked-only mean wait when the all-request one is not computed).
TIME_TO_CARE = ("routine_time_to_care_days_median", "routine_wait_days_mean")
#: The KPIs reported after the time to care: id → column heading.
OTHER_KPIS = {"routine_within_7d_share": "routine within 7 days (pts)",
              "routine_gave_up_share": "routine gave up (pts)",
              "acute_within_48h_share": "acute within 48 h (pts)",
              "er_avoidable_visits_per_1000_year": "avoidable ER visits (/1,000/yr)",
              "er_visits_per_1000_year": "ER visits (/1,000/yr)"}
STUDIES = ("tous_les_leviers", "dose_egale")
DEFAULT_OUT = Path(__file__).resolve().parents[2] / "docs" / "levers.md"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    p.add_argument("--replications", type=int, help="replications of each job (default: the studies')")
    p.add_argument("--horizon-days", type=int, help="measured days (default: the config's, 365)")
    p.add_argument("--warmup-days", type=int, help="warm-up days (default: the config's, 56)")
    p.add_argument("--territory", help="territory config (default: the config's, loir_et_cher)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the file with the markers (docs/levers.md)")
    p.add_argument("--sweeps", type=Path, nargs=2, metavar=("ALL", "DOSE"),
                   help="read these finished sweeps (tous_les_leviers, dose_egale) instead of running them")
    p.add_argument("--work", type=Path, default=Path("multirun") / "levers_report", help="where the sweeps run")
    p.add_argument("overrides", nargs="*", help="more overrides for both sweeps")
    return p


def run_overrides(args: argparse.Namespace) -> list[str]:
    """The command-line overrides the options stand for."""
    out = [f"territory={args.territory}"] if args.territory else []
    for key, value in (("replications", args.replications), ("horizon_days", args.horizon_days),
                       ("warmup_days", args.warmup_days)):
        if value is not None:
            out.append(f"run.{key}={value}")
    return out + list(args.overrides)


def run_study(name: str, overrides: list[str], sweep_dir: Path) -> Path:
    """Run the study ``name`` as ``python -m simsoins -m +experiment=NAME`` into ``sweep_dir``."""
    cmd = [sys.executable, "-m", "simsoins", "-m", f"+experiment={name}", "run.event_log=none", *overrides,
           f"hydra.sweep.dir={sweep_dir.resolve()}"]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        user_error(PROG, f"{name} failed: {(res.stderr.strip().splitlines() or ['?'])[-1]}")
    return sweep_dir


def load_sweep(sweep_dir: Path) -> tuple[pd.DataFrame, dict, dict]:
    """A finished sweep's summary, scenarios (with their doses) and config."""
    summary, scen, cfg = (sweep_dir / name for name in ("sweep_summary.csv", "scenarios.json", "multirun.yaml"))
    if not summary.is_file():
        user_error(PROG, f"{sweep_dir}: no sweep_summary.csv (not a finished sweep)")
    meta = json.loads(scen.read_text(encoding="utf-8")) if scen.is_file() else {}
    config = yaml.safe_load(cfg.read_text(encoding="utf-8")) if cfg.is_file() else {}
    return pd.read_csv(summary), meta, config or {}


def settings_line(summary: pd.DataFrame, meta: dict, config: dict) -> str:
    """Where, when and how long the studies ran."""
    run = config.get("run") or {}
    return (f"{meta.get('territory', '?')}, seed {run.get('seed', '?')}, {int(summary['n'].max())} replications × "
            f"({run.get('warmup_days', '?')} days of warm-up + {run.get('horizon_days', '?')} measured days), "
            f"measured on {dt.date.today().isoformat()} (`{PROG}`)")


def time_kpi(summary: pd.DataFrame) -> str:
    """The time-to-care KPI this summary has (:data:`TIME_TO_CARE`)."""
    have = set(summary["kpi"])
    return next((k for k in TIME_TO_CARE if k in have), TIME_TO_CARE[-1])


def _diff(row: pd.Series | None, unit: str) -> str:
    """« −0.123 [−0.200, −0.050] »; shares in percentage points."""
    if row is None or pd.isna(row["diff_mean"]):
        return "—"
    k = 100.0 if unit == "share" else 1.0
    m, lo, hi = (k * row[c] for c in ("diff_mean", "diff_ci_low", "diff_ci_high"))
    return f"{figure(m)} [{figure(lo)}, {figure(hi)}]" if pd.notna(lo) else figure(m)


def _level(row: pd.Series | None, unit: str) -> str:
    if row is None:
        return "—"
    k = 100.0 if unit == "share" else 1.0
    m, lo, hi = (k * row[c] for c in ("mean", "ci_low", "ci_high"))
    return f"{figure(m)} [{figure(lo)}, {figure(hi)}]" if pd.notna(lo) else figure(m)


def _dose(meta: dict, scenario: str) -> tuple[str, str]:
    """Dose cells: slots a week (or « organisational ») and per 100,000 inhabitants."""
    d = (meta.get("dose_slots_per_week") or {}).get(scenario)
    per = (meta.get("dose_slots_per_week_per_100k") or {}).get(scenario)
    kind = (meta.get("dose_kind") or {}).get(scenario)
    if d is None:
        return "—", "—"
    text = f"{d:+.0f}" + (" (organisational)" if kind == "organisational" else
                          " (demand)" if kind == "demand" else "")
    return text, (f"{per:+.1f}" if per is not None else "—")


def lever_table(summary: pd.DataFrame, meta: dict) -> str:
    """Markdown table: the baseline's levels, then each scenario's dose and differences."""
    kpis = [time_kpi(summary), *OTHER_KPIS]
    s = summary.assign(scenario=summary["scenario"].astype(str)).set_index(["scenario", "kpi"])
    units = summary.drop_duplicates("kpi").set_index("kpi")["unit"]
    heads = [f"time to care, {kpis[0]} (days)", *OTHER_KPIS.values()]
    lines = ["| scenario | dose (slots/week) | dose per 100,000 | " + " | ".join(heads) + " |",
             "|---" * (3 + len(kpis)) + "|"]
    order = list(dict.fromkeys(meta.get("order") or list(summary["scenario"].astype(str))))
    for i, sc in enumerate(order):
        rows = [s.loc[(sc, k)] if (sc, k) in s.index else None for k in kpis]
        if i == 0:
            cells = ["—", "—"] + [_level(r, str(units.get(k, ""))) for r, k in zip(rows, kpis)]
            lines.append(f"| {sc} (level) | " + " | ".join(cells) + " |")
            continue
        cells = [*_dose(meta, sc), *(_diff(r, str(units.get(k, ""))) for r, k in zip(rows, kpis))]
        lines.append(f"| `{sc}` (difference) | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def ranking(summary: pd.DataFrame) -> str:
    """The levers at equal dose, ranked by their effect on the time to care per 100 slots a week."""
    kpi = time_kpi(summary)
    r = summary[(summary["kpi"] == kpi) & summary["diff_per_100_slots"].notna()]
    r = r.sort_values("diff_per_100_slots")
    lines = [f"| rank | lever | dose (slots/week) | {kpi} per 100 slots/week (days) [95 % CI] |", "|---|---|---|---|"]
    for i, row in enumerate(r.itertuples(index=False), start=1):
        lines.append(f"| {i} | `{row.scenario}` | {row.dose_slots_per_week:+.0f} | {figure(row.diff_per_100_slots)} "
                     f"[{figure(row.diff_per_100_slots_ci_low)}, {figure(row.diff_per_100_slots_ci_high)}] |")
    return "\n".join(lines)


def section(studies: dict[str, tuple[pd.DataFrame, dict, dict]]) -> str:
    """The markdown between the markers."""
    (all_s, all_m, all_c), (eq_s, eq_m, eq_c) = studies["tous_les_leviers"], studies["dose_egale"]
    share = 100 * float((eq_c.get("dose") or {}).get("target_share") or float("nan"))
    return "\n\n".join([
        f"{settings_line(all_s, all_m, all_c)}; paired difference to the baseline by replication (common random "
        "numbers), mean [95 % CI]; shares in percentage points. Dose: GP-type slots added a week over the "
        "measured window, scenario minus baseline (`simsoins/results/dose.py`).",
        "### Each lever at its policy size (`tous_les_leviers`)", lever_table(all_s, all_m),
        f"### The capacity levers at an equal dose (`dose_egale`, {share:g} % of the baseline's slots a week)",
        lever_table(eq_s, eq_m),
        "### Equal-dose ranking (time to care per 100 slots a week)", ranking(eq_s)])


def write_section(path: Path, text: str) -> None:
    """Replace what lies between :data:`BEGIN` and :data:`END` in ``path`` with ``text``."""
    doc = path.read_text(encoding="utf-8")
    if doc.count(BEGIN) != 1 or doc.count(END) != 1 or doc.index(BEGIN) > doc.index(END):
        user_error(PROG, f"{path}: needs one {BEGIN} line followed by one {END} line")
    head, rest = doc.split(BEGIN)
    tail = rest.split(END)[1]
    path.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    args = parser().parse_args(argv)
    if not args.out.is_file():
        user_error(PROG, f"--out {args.out}: file not found")
    if args.sweeps:
        dirs = dict(zip(STUDIES, args.sweeps))
    else:
        over = run_overrides(args)
        dirs = {name: run_study(name, over, args.work / name) for name in STUDIES}
    studies = {name: load_sweep(d) for name, d in dirs.items()}
    write_section(args.out, section(studies))
    print(f"levers report -> {args.out}")
    return 0

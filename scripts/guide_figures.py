"""The figures of the planners' guide (docs/guide-planificateurs.md), produced by runs of
the current code, so that the guide never quotes a number the model no longer gives.

    python scripts/guide_figures.py                  # runs both runs, rewrites the guide
    python scripts/guide_figures.py --only exemple   # the small run only (a few seconds)
    python scripts/guide_figures.py --check          # exit 1 if the guide's figures drifted

The guide's numbers sit between markers ``<!-- figures:begin ID -->`` and
``<!-- figures:end ID -->``; everything between them is rewritten, the prose around is
left alone.  Two runs (:data:`RUNS`):

- ``exemple``: the guide's first try (§ 2), CPTS on the synthetic Val-Exemple territory,
  3 replications of 60 days (≈ 5 s); tests/test_guide.py re-runs it by default;
- ``loir_et_cher``: ``python -m simsoins scenario=cpts`` with its defaults (Loir-et-Cher,
  5 replications of one year after 8 weeks of warm-up; ≈ 90 s on one core); its headline
  table (§ 4.1) and the month-by-month wait of its reference (§ 6.6, the seasonality).
  tests/test_guide.py re-runs it behind ``@pytest.mark.slow``.

Same seed → same bytes, so the text is compared exactly: a change of the model that moves a
printed figure makes the test fail until this script is run again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "guide-planificateurs.md"

#: Run name → the command-line settings of ``python -m simsoins`` (the rest are defaults).
RUNS: dict[str, tuple[str, ...]] = {
    "exemple": ("territory=exemple", "scenario=cpts", "run.replications=3", "run.horizon_days=60",
                "run.warmup_days=14"),
    "loir_et_cher": ("scenario=cpts",),
}
MINUS = "\u2212"
PER_1000 = "pour 1 000 habitants par an|pour 1 000 habitants par an"
NBSP = "\u00a0"
MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")
BEGIN = "<!-- figures:begin {id} -->"
END = "<!-- figures:end {id} -->"


# ------------------------------------------------------------------ French numbers
def num(x: float, digits: int = 1, signed: bool = False) -> str:
    """« 4,1 », « −1,3 », « +0,25 », « 1 234 »: French decimal comma and minus sign."""
    if x is None or not math.isfinite(float(x)):
        return "—"
    x = round(float(x), digits)
    s = f"{abs(x):,.{digits}f}".replace(",", "\u202f").replace(".", ",")
    if x < 0:
        return MINUS + s
    return ("+" + s) if signed and x > 0 else s


def diff_digits(m: float, lo: float, hi: float, base: int = 1) -> int:
    """Decimals for a difference and its CI: ``base``, more when needed so that no non-zero
    figure prints as 0 (−0.058 [−0.071 ; −0.047] → « −0,06 [−0,07 ; −0,05] »), at most 3."""
    smallest = min((abs(v) for v in (m, lo, hi) if v), default=1.0)
    d = base
    while d < 3 and round(smallest, d) == 0:
        d += 1
    return d


def days_word(x: float) -> str:
    """« jour » below 2 in size (French agreement), « jours » from 2."""
    return "jour" if abs(x) < 2 else "jours"


class Summary:
    """The rows of a run's summary.csv that the guide quotes, by (scenario, KPI)."""

    def __init__(self, run_dir: Path) -> None:
        self.df = pd.read_csv(run_dir / "summary.csv").set_index(["scenario", "kpi"])

    def level(self, scenario: str, kpi: str, scale: float = 1.0, digits: int = 1) -> tuple[str, str, str]:
        r = self.df.loc[(scenario, kpi)]
        return tuple(num(scale * r[c], digits) for c in ("mean", "ci_low", "ci_high"))  # type: ignore[return-value]

    def diff(self, scenario: str, kpi: str, scale: float = 1.0, digits: int = 1) -> tuple[str, str, str, bool]:
        """Difference scenario − reference [CI] and whether the CI leaves out 0."""
        r = self.df.loc[(scenario, kpi)]
        m, lo, hi = (scale * r[c] for c in ("diff_mean", "diff_ci_low", "diff_ci_high"))
        d = diff_digits(m, lo, hi, digits)
        return num(m, d, True), num(lo, d, True), num(hi, d, True), bool(lo > 0 or hi < 0)


# ------------------------------------------------------------------ the runs
def run(name: str, out: Path, jobs: int = 1) -> Path:
    """Run :data:`RUNS` ``[name]`` into ``out`` with this checkout's code; return ``out``."""
    args = [sys.executable, "-m", "simsoins", *RUNS[name], f"run.jobs={jobs}", f"hydra.run.dir={out}"]
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(RUNS[name])}: exit {done.returncode}\n{done.stderr[-2000:]}")
    return out


def command(name: str) -> str:
    return "python -m simsoins " + " ".join(RUNS[name])


# ------------------------------------------------------------------ exemple (§ 2, § 6.1, § 6.2)
def exemple_command(run_dir: Path) -> str:
    return f"```bash\n{command('exemple')}\n```"


def exemple_ci(run_dir: Path) -> str:
    """§ 6.1: overlapping levels, a significant paired difference; then a non-significant one."""
    s = Summary(run_dir)
    k = "routine_time_to_care_days_median"
    b, c, (d, lo, hi, sig) = s.level("baseline", k), s.level("cpts", k), s.diff("cpts", k)
    overlap = float(s.df.loc[("baseline", k), "ci_high"]) >= float(s.df.loc[("cpts", k), "ci_low"])
    first = (f"Dans l'exemple du § 2, le délai médian d'accès aux soins programmés vaut {b[0]} jours "
             f"[{b[1]} ; {b[2]}] dans la référence et {c[0]} jours [{c[1]} ; {c[2]}] avec la CPTS : "
             + ("les deux fourchettes se chevauchent, et pourtant " if overlap else "")
             + f"la différence appariée, {d} {days_word(s.df.loc[('cpts', k), 'diff_mean'])} "
             f"[{lo} ; {hi}], est {'significative' if sig else 'non significative'}.")
    k = "routine_seen_within_7d_share"
    d, lo, hi, sig = s.diff("cpts", k, 100)
    verb = "baisse" if d.startswith(MINUS) else "monte"
    word = "point" if abs(100 * s.df.loc[("cpts", k), "diff_mean"]) < 2 else "points"
    second = (f"À l'inverse, la part des demandes programmées vues sous 7 jours {verb} de "
              f"{d.lstrip('+' + MINUS)} {word}, avec un intervalle de {lo} à {hi} points : "
              f"{'significatif' if sig else 'non significatif'}.")
    return first + "\n" + second


def _moves(s: Summary, kpi: str, scale: float, unit: str, plural: bool = False) -> str:
    """« augmente de 1,7 point [IC 95 % +1,6 ; +1,8] », « baisse de … », or « ne change pas de
    façon démontrée (…) » when the CI holds 0; ``unit`` is « singular|plural » (French:
    singular below 2 in size)."""
    d, lo, hi, sig = s.diff("cpts", kpi, scale)
    m = scale * float(s.df.loc[("cpts", kpi), "diff_mean"])
    one, many = unit.split("|")
    size = f"{d.lstrip('+' + MINUS)} {one if abs(m) < 2 else many} [IC 95 % {lo} ; {hi}]"
    if not sig:
        return ("ne changent" if plural else "ne change") + f" pas de façon démontrée ({d} ; IC 95 % {lo} à {hi})"
    verb = ("augmentent", "baissent") if plural else ("augmente", "baisse")
    return f"{verb[0] if m > 0 else verb[1]} de {size}"


def exemple_tradeoff(run_dir: Path) -> str:
    """§ 6.2: the trade-off the CPTS makes on the synthetic territory."""
    s = Summary(run_dir)
    occ = num(100 * float(s.df.loc[("baseline", "clinician_utilisation"), "mean"]), 0)
    return (
        "Un levier améliore rarement tout. Dans l'exemple du § 2, avec la CPTS, la part des demandes non "
        f"programmées vues par un médecin sous 48 h {_moves(s, 'acute_within_48h_share', 100, 'point|points')}, "
        "les passages évitables aux urgences "
        f"{_moves(s, 'er_avoidable_visits_per_1000_year', 1, PER_1000, plural=True)} et la part des habitants "
        f"sans médecin traitant {_moves(s, 'without_mt_share', 100, 'point|points')}. Mais les créneaux mis en "
        "commun sont pris sur les agendas : dans ce territoire fictif déjà saturé (médecins occupés à "
        f"{occ}{NBSP}% dans la référence), le délai médian d'accès aux soins programmés "
        f"{_moves(s, 'routine_time_to_care_days_median', 1, 'jour|jours')} et le renoncement aux soins "
        f"programmés {_moves(s, 'routine_gave_up_share', 100, 'point|points')}. C'est précisément le genre "
        "d'arbitrage que l'outil sert à rendre visible.")


# ------------------------------------------------------------------ Loir-et-Cher (§ 4.1, § 6.6)
#: (KPI, French label, scale, decimals of the levels, short name, +1 if higher is better else −1)
LEC_ROWS = (
    ("routine_time_to_care_days_median", "Délai médian d'accès aux soins programmés, toutes demandes (jours)", 1, 1,
     "délai médian d'accès aux soins programmés", -1),
    ("routine_time_to_care_days_p90", "Délai au 90ᵉ centile, toutes demandes (jours)", 1, 1,
     "délai au 90ᵉ centile", -1),
    ("routine_seen_within_7d_share", "Demandes programmées vues sous 7 jours (%)", 100, 1,
     "demandes programmées vues sous 7 jours", 1),
    ("routine_gave_up_share", "Renoncement aux soins programmés (%)", 100, 1, "renoncement", -1),
    ("acute_within_48h_share", "Soins non programmés : médecin vu sous 48 h (%)", 100, 1,
     "soins non programmés vus sous 48 h", 1),
    ("er_visits_per_1000_year", "Passages aux urgences, tous (pour 1 000 habitants par an)", 1, 1,
     "passages aux urgences", -1),
    ("er_avoidable_visits_per_1000_year", "Passages évitables aux urgences (pour 1 000 habitants par an)", 1, 1,
     "passages évitables aux urgences", -1),
    ("er_wait_hours_mean", "Attente moyenne aux urgences (minutes)", 60, 0, "attente aux urgences", -1),
    ("without_mt_share", "Habitants sans médecin traitant (%)", 100, 1, "habitants sans médecin traitant", -1),
)


def _verdicts(s: Summary) -> str:
    """Which headline KPIs the CPTS improves, worsens, or leaves with no shown difference."""
    groups: dict[str, list[str]] = {"mieux": [], "moins bien": [], "sans différence démontrée": []}
    for kpi, _, scale, _, short, better in LEC_ROWS:
        _, _, _, sig = s.diff("cpts", kpi, scale)
        gain = better * float(s.df.loc[("cpts", kpi), "diff_mean"]) > 0
        groups["sans différence démontrée" if not sig else "mieux" if gain else "moins bien"].append(short)
    parts = [f"{word} : {', '.join(names)}" for word, names in groups.items() if names]
    return "Avec la CPTS, " + " ; ".join(parts) + "."


def lec_table(run_dir: Path) -> str:
    """§ 4.1: the headline KPIs of ``python -m simsoins scenario=cpts``, reference vs CPTS."""
    s = Summary(run_dir)
    lines = ["| indicateur | référence [IC 95 %] | CPTS [IC 95 %] | différence [IC 95 %] |", "|---|---|---|---|"]
    for kpi, label, scale, digits, _, _ in LEC_ROWS:
        b, c = s.level("baseline", kpi, scale, digits), s.level("cpts", kpi, scale, digits)
        d, lo, hi, sig = s.diff("cpts", kpi, scale, digits)
        mark = "" if sig else " (n. s.)"
        lines.append(f"| {label} | {b[0]} [{b[1]} ; {b[2]}] | {c[0]} [{c[1]} ; {c[2]}] | {d} [{lo} ; {hi}]{mark} |")
    return "\n".join([*lines, "", _verdicts(s)])


def monthly_wait(run_dir: Path, start: dt.date, warmup_days: int, horizon_days: int) -> tuple[pd.Series, pd.Series]:
    """The reference's weekly mean wait of the booked routine appointments (series.parquet,
    ``routine_wait_days_mean``, mean over replications), whole weeks of the measured window
    only; and its mean by calendar month (a week counts in the month of its Thursday)."""
    s = pd.read_parquet(run_dir / "series.parquet")
    s = s[(s["scenario"] == "baseline") & (s["series"] == "routine_wait_days_mean")]
    whole = (7 * s["week"] >= warmup_days) & (7 * s["week"] + 7 <= warmup_days + horizon_days)
    weekly = s[whole].groupby("week")["value"].mean()
    month = [(start + dt.timedelta(days=7 * int(w) + 3)).month for w in weekly.index]
    return weekly, weekly.groupby(month).mean()


def leave_share_peak(start: dt.date, warmup_days: int, horizon_days: int, draws: int = 2000) -> tuple[float, dt.date]:
    """Share of GPs on leave in the week with most of them away, and that week's Monday,
    under the model's own leave rule (:func:`simsoins.sim.book.leave_days`) for this run's
    length; averaged over ``draws`` clinicians (a property of the rule, not of one run)."""
    from simsoins.config.model import ModelConfig
    from simsoins.sim.book import leave_days
    from simsoins.sim.clock import weeks_until_july
    from simsoins.sim.params import PathwayParams

    model = ModelConfig()
    n_days = warmup_days + horizon_days + PathwayParams.from_model(model).tail_days()
    rng = np.random.default_rng(0)
    away = np.zeros(n_days)
    for _ in range(draws):
        away[leave_days(rng, model.clinicians.leave_weeks, n_days, weeks_until_july(start))] += 1
    weeks = away[: n_days // 7 * 7].reshape(-1, 7).mean(axis=1) / draws
    peak = int(np.argmax(weeks))
    return float(weeks[peak]), start + dt.timedelta(days=7 * peak)


def lec_season(run_dir: Path) -> str:
    """§ 6.6: the reference's wait month by month, its peak and trough, and the leave rule."""
    from simsoins.config.model import RunConfig

    cfg = RunConfig()
    weekly, monthly = monthly_wait(run_dir, cfg.start, cfg.warmup_days, cfg.horizon_days)
    hi_m, lo_m = int(monthly.idxmax()), int(monthly.idxmin())
    peak_week = int(weekly.idxmax())
    peak_day = cfg.start + dt.timedelta(days=7 * peak_week)
    share, leave_day = leave_share_peak(cfg.start, cfg.warmup_days, cfg.horizon_days)
    head = "| mois | " + " | ".join(MONTHS) + " |"
    row = "| délai moyen (jours) | " + " | ".join(num(monthly.get(m + 1, float("nan"))) for m in range(12)) + " |"
    return "\n".join([
        f"Sur le Loir-et-Cher (`{command('loir_et_cher')}`, situation de référence, moyenne des "
        f"{cfg.replications} réplications), "
        "le délai moyen des rendez-vous programmés obtenus, par mois de la demande :", "",
        head, "|---|" + "---|" * 12, row, "",
        f"Le mois le plus chargé est {_month_name(hi_m)} ({num(monthly[hi_m])} jours en moyenne), le plus calme "
        f"{_month_name(lo_m)} ({num(monthly[lo_m])} jours) ; la pire semaine, celle du "
        f"{_date(peak_day)}, atteint {num(weekly[peak_week])} jours. D'après la règle de congés du modèle, "
        f"{num(100 * share, 0)}{NBSP}% des médecins sont absents la semaine du {_date(leave_day)}."])


def _date(d: dt.date) -> str:
    """« 26 juillet 2027 »."""
    return f"{d.day}{NBSP}{_month_name(d.month)} {d.year}"


def _month_name(m: int) -> str:
    return ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
            "novembre", "décembre")[m - 1]


#: Block id → (run, function of the run's folder giving the block's text).
BLOCKS: dict[str, tuple[str, Callable[[Path], str]]] = {
    "exemple-commande": ("exemple", exemple_command),
    "exemple-ic": ("exemple", exemple_ci),
    "exemple-arbitrage": ("exemple", exemple_tradeoff),
    "lec-cpts": ("loir_et_cher", lec_table),
    "lec-saison": ("loir_et_cher", lec_season),
}


# ------------------------------------------------------------------ the guide
def blocks_of(text: str) -> dict[str, str]:
    """The guide's current blocks: id → text between its markers (stripped)."""
    pat = re.compile(r"<!-- figures:begin ([\w-]+) -->\n(.*?)\n<!-- figures:end \1 -->", re.S)
    return {m.group(1): m.group(2).strip() for m in pat.finditer(text)}


def rewrite(text: str, new: dict[str, str]) -> str:
    """``text`` with each block of ``new`` replaced; a block id without both markers raises
    :class:`KeyError` naming it (the guide was edited: put the markers back)."""
    for bid, body in new.items():
        begin, end = BEGIN.format(id=bid), END.format(id=bid)
        i, j = text.find(begin), text.find(end)
        if i < 0 or j < i:
            raise KeyError(f"{GUIDE.name}: block {bid!r} has no '{begin}' … '{end}' markers")
        text = text[: i + len(begin)] + "\n" + body.strip() + "\n" + text[j:]
    return text


def figures(run_dirs: dict[str, Path]) -> dict[str, str]:
    """Every block whose run is in ``run_dirs``: id → new text."""
    return {bid: fn(run_dirs[r]) for bid, (r, fn) in BLOCKS.items() if r in run_dirs}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--only", choices=sorted(RUNS), action="append", help="run only this run (repeatable)")
    ap.add_argument("--check", action="store_true", help="change nothing; exit 1 if a figure of the guide drifted")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes per run (results do not depend on it)")
    args = ap.parse_args(argv)
    names = args.only or list(RUNS)
    with tempfile.TemporaryDirectory(prefix="guide-figures-") as tmp:
        dirs = {n: run(n, Path(tmp) / n, args.jobs) for n in names}
        new = figures(dirs)
    old = GUIDE.read_text(encoding="utf-8")
    text = rewrite(old, new)
    if args.check:
        stale = sorted(b for b in new if blocks_of(old).get(b) != new[b].strip())
        print(f"stale blocks: {', '.join(stale)}" if stale else "the guide's figures are up to date")
        return 1 if stale else 0
    if text != old:
        GUIDE.write_text(text, encoding="utf-8")
    print(f"{GUIDE.relative_to(ROOT)}: {len(new)} blocks ({'rewritten' if text != old else 'unchanged'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

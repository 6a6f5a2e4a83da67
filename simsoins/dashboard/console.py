"""The comparison table ``python -m simsoins`` prints when a run ends, in the dashboard's
language (``dashboard.lang``): KPI names from the dashboard's labels, shares in %,
differences of shares in points, ER waits in minutes, each with its 95 % interval; the KPI
id stays in the last column, so that a reader can find it in summary.csv.  A value that is
not 0 is never printed as 0 (:func:`~simsoins.dashboard.i18n.nonzero_digits`, the page's rule)."""

from __future__ import annotations

import math

import pandas as pd

from simsoins.dashboard.i18n import Translator, digits_for, nonzero_digits, shown, translator


def _cell(t: Translator, kpi: str, m: float, lo: float, hi: float, unit: str, diff: bool = False) -> str:
    """« 42,0 % [41,1 ; 43,0] », « +1,2 [+0,4 ; +2,0] pts », « 62 [55 ; 70] » (minutes)."""
    factor, shown_unit, _ = shown(kpi, unit)
    scale = 100.0 if unit == "share" else factor
    # minutes: whole for a wait, one decimal for a difference (a few seconds still show)
    base = (1 if diff else 0) if shown_unit != unit else (1 if unit == "share" else digits_for(unit))
    vals = [scale * float(x) for x in (m, lo, hi)]
    if not math.isfinite(vals[0]):
        return "—"
    d = nonzero_digits(vals, base)
    mid = t.num(vals[0], d, diff) + (t("fmt.pct") if unit == "share" and not diff else "")
    tail = f" {t('pts')}" if unit == "share" and diff else ""
    if not (math.isfinite(vals[1]) and math.isfinite(vals[2])):
        return mid + tail
    return t("ci", m=mid, lo=t.num(vals[1], d, diff), hi=t.num(vals[2], d, diff)) + tail


def comparison_table(summary: pd.DataFrame, scenario: str | None, lang: str = "fr",
                     baseline: str = "baseline") -> str:
    """Plain-text table: KPI label, baseline mean [95 % CI], scenario mean [95 % CI],
    difference [95 % CI], KPI id (summary.csv's ``kpi``)."""
    t = translator(lang)
    if baseline not in set(summary["scenario"]):
        baseline, scenario = scenario or str(summary["scenario"].iloc[0]), None
    base = summary[summary["scenario"] == baseline].set_index("kpi")
    sc = summary[summary["scenario"] == scenario].set_index("kpi") if scenario and scenario != baseline else None
    header = [t("col.kpi"), t("console.mean", scenario=baseline)]
    header += [t("console.mean", scenario=scenario), t("col.diff")] if sc is not None else []
    rows = [[*header, "id"]]
    for kpi, b in base.iterrows():
        unit = str(b["unit"])
        row = [t.kpi_label(str(kpi)), _cell(t, str(kpi), b["mean"], b["ci_low"], b["ci_high"], unit)]
        if sc is not None and kpi in sc.index:
            s = sc.loc[kpi]
            row += [_cell(t, str(kpi), s["mean"], s["ci_low"], s["ci_high"], unit),
                    _cell(t, str(kpi), s["diff_mean"], s["diff_ci_low"], s["diff_ci_high"], unit, diff=True)]
        elif sc is not None:
            row += ["—", "—"]
        rows.append([*row, str(kpi)])
    widths = [max(len(r[i]) for r in rows) for i in range(len(header) + 1)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def heading(territory: str, replications: int, horizon: int, warmup: int, seed: int, lang: str = "fr") -> str:
    """The line above the table: what was run."""
    return translator(lang)("console.heading", territory=territory, reps=replications, days=horizon,
                            warmup=warmup, seed=seed)


__all__ = ["comparison_table", "heading"]

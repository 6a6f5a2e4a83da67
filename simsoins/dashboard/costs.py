"""The « Coût public » lines under a scenario's headline table: its public cost a year
against the baseline and the cost of a unit of each gain, with their 95 % intervals, from
``summary.csv``'s cost KPIs (simsoins/results/cost_kpis.py, docs/model.md §6); nothing for
a run written without them."""

from __future__ import annotations

import math
from html import escape

import pandas as pd

from simsoins.dashboard.i18n import Translator

#: What the lines show, in order: the cost, the cost per unit of each gain, the ER saving (not deducted).
COST_LINE_KPIS = ("public_cost_eur_per_year", "cost_eur_per_wait_day_avoided", "cost_eur_per_gave_up_avoided",
                  "cost_eur_per_avoidable_er_visit_avoided", "er_cost_avoided_eur_per_year")


def cost_lines(summ: pd.DataFrame, scenario: str, t: Translator) -> str:
    """A short list under the headline table of ``scenario`` (``summ`` indexed by
    scenario and KPI); a ratio without a gain says so rather than showing a number."""
    kpis = [k for k in COST_LINE_KPIS if (scenario, k) in summ.index]
    if not kpis:
        return ""
    items = []
    for k in kpis:
        r = summ.loc[(scenario, k)]
        m = float(r["mean"])
        value = t.ci(m, float(r["ci_low"]), float(r["ci_high"]), str(r["unit"])) if math.isfinite(m) \
            else t("cost.no_gain")
        items.append(f"<li>{escape(t.kpi_label(k))} : {escape(value)}</li>" if t.lang == "fr"
                     else f"<li>{escape(t.kpi_label(k))}: {escape(value)}</li>")
    return f"<p class=\"meta\"><strong>{escape(t('cost.title'))}</strong></p><ul>{''.join(items)}</ul>"

"""The dashboard's dose table (« doses »): what each scenario adds to the GP-type slots a
week, in common units (:mod:`simsoins.results.dose`), with the effect on the mean routine
wait per 100 slots a week."""

from __future__ import annotations

from html import escape

import numpy as np
import pandas as pd

from simsoins.dashboard.i18n import Translator
from simsoins.results import dose as D

#: The KPI whose effect per 100 slots a week the table shows (first present wins).
EFFECT_KPIS = ("routine_time_to_care_days_median", "routine_wait_days_mean")
#: A lever's size given per 100,000 inhabitants, as ``scenarios.json`` records it
#: (``per_100k``, simsoins/levers/per100k.py), under the scenario's name.
PER_100K_TEXT = {"fr": "{size} : {per} pour 100 000 habitants × {population}",
                 "en": "{size}: {per} per 100,000 inhabitants × {population}"}


def doses_of(results: dict) -> pd.DataFrame:
    """The dose table (:func:`simsoins.results.dose.dose_table`) of the results, from the
    KPI table and the communes' population; empty without them."""
    kpis, communes = results.get("kpis"), results.get("communes")
    order = results.get("scenarios", {}).get("order") or []
    if not isinstance(kpis, pd.DataFrame) or not order:
        return pd.DataFrame()
    population = float(communes["population"].sum()) if isinstance(communes, pd.DataFrame) else float("nan")
    return D.dose_table(kpis, population, baseline=str(order[0]))


def _effect(summary: pd.DataFrame | None, scenario: str, dose: float, kind: str) -> tuple[str, float]:
    """(KPI id, its paired difference per 100 slots a week) for ``scenario``."""
    if not isinstance(summary, pd.DataFrame) or kind not in ("capacity", "demand") or not dose:
        return "", float("nan")
    s = summary[summary["scenario"].astype(str) == scenario]
    for kpi in EFFECT_KPIS:
        row = s[s["kpi"].astype(str) == kpi]
        if len(row):
            return kpi, float(row["diff_mean"].iloc[0]) * D.PER_SLOTS / dose
    return "", float("nan")


def _sizes(results: dict, scenario: str, t: Translator) -> str:
    """The sizes ``scenario``'s levers took from doses per 100,000 inhabitants, one line each."""
    records = ((results.get("scenarios") or {}).get("per_100k") or {}).get(scenario) or []
    lines = []
    for r in records:
        value = r.get("value")
        size = max(value, default=0) if isinstance(value, list) else value
        per = f"{float(r.get('per_100k', float('nan'))):g}"
        text = PER_100K_TEXT.get(t.lang, PER_100K_TEXT["en"]).format(
            size=f"{r.get('lever')}.{r.get('key')} = {size}", population=t.num(r.get("population"), 0),
            per=per.replace(".", ",") if t.lang == "fr" else per)
        lines.append(f"<br><small>{escape(text)}</small>")
    return "".join(lines)


def dose_table(results: dict, order: list[str], t: Translator) -> str:
    """HTML: each scenario's dose (slots a week [95 % CI], per 100,000 inhabitants, % of
    the baseline's slots), its kind, and the effect per 100 slots a week; "" without data."""
    doses = doses_of(results)
    if doses.empty:
        return ""
    doses = doses.set_index("scenario")
    summary = results.get("summary")
    rows, effect_kpi = [], ""
    for sc in order[1:]:
        if sc not in doses.index:
            continue
        d = doses.loc[sc]
        kpi, per = _effect(summary, sc, float(d["dose_slots_per_week"]), str(d["kind"]))
        effect_kpi = effect_kpi or kpi
        ci = (t("ci", m=t.num(d["dose_slots_per_week"], 0, True), lo=t.num(d["dose_ci_low"], 0, True),
                hi=t.num(d["dose_ci_high"], 0, True)) if np.isfinite(d["dose_ci_low"])
              else t.num(d["dose_slots_per_week"], 0, True))
        rows.append(f"<tr><td>{escape(sc)}{_sizes(results, sc, t)}</td><td>{ci}</td>"
                    f"<td>{t.num(d['dose_slots_per_week_per_100k'], 1, True)}"
                    f"</td><td>{t.pct(d['dose_share'], 2, True)}</td><td>{escape(t('dose.kind.' + str(d['kind'])))}"
                    f"</td><td>{t.num(per, 3, True)}</td></tr>")
    if not rows:
        return ""
    effect = t.kpi(effect_kpi) if effect_kpi else "—"
    return (f"<h3>{escape(t('dose.title'))}</h3><p>{escape(t('dose.intro'))}</p><table><tr>"
            f"<th>{t('col.scenario')}</th><th>{t('dose.col.slots')}</th><th>{t('dose.col.per_100k')}</th>"
            f"<th>{t('dose.col.share')}</th><th>{t('dose.col.kind')}</th>"
            f"<th>{escape(t('dose.col.effect', kpi=effect))}</th></tr>{''.join(rows)}</table>")

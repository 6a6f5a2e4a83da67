"""The ranking of the scenarios (« Classement des scénarios »): one table over every
scenario against the reference, for pages with at least two of them (a sweep's comparison,
``python -m simsoins.dashboard DIR1 DIR2 …``).

One row per scenario: its dose (slots a week per 100,000 inhabitants, the lever sizes it
ran with), then for each KPI of :data:`RANKING_KPIS` the paired difference with the
reference [95 % CI] and a verdict word (better / worse / no difference shown), significance
by Holm's correction over the row's KPIs (as the headline does over its table's); last,
who gains: the population of the communes whose time to care falls with a 95 % CI below 0,
and their population-weighted mean gain in days (:func:`commune_effects`).  A click on a
column header sorts the rows on the cells' ``data-v`` (:data:`SORT_JS`, no library).
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

import numpy as np
import pandas as pd

from simsoins.dashboard.doses import doses_of
from simsoins.dashboard.equity import equity_wait
from simsoins.dashboard.i18n import Translator, nonzero_digits, shown
from simsoins.dashboard.warnings import stored_configs
from simsoins.results.stats import holm, rep_stats

#: The ranking's KPIs, in column order: waits, giving up, acute care, then the ER.
RANKING_KPIS = ("routine_time_to_care_days_median", "routine_seen_within_7d_share", "routine_gave_up_share",
                "acute_within_48h_share", "er_visits_per_1000_year", "er_avoidable_visits_per_1000_year")
#: Scenarios besides the reference needed for the table (one alone is the headline's).
MIN_SCENARIOS = 2
#: Lever keys that give its size (« taille du levier »), shown in the dose cell.
SIZE_KEYS = ("count", "gps", "doctors", "extra_slots_per_hour", "pool_share", "per_100k", "routine_reduction",
             "acute_reduction", "emergency_reduction")


#: Sorting by a click on a header: numbers of the cells' ``data-v`` (empty: last); a column
#: with ``data-dir="-1"`` (lower is better) sorts ascending first, so the best row comes first.
SORT_JS = """<script>(function(){function sortBy(th){var table=th.closest('table'),body=table.tBodies[0];
var col=Array.prototype.indexOf.call(th.parentNode.children,th),first=parseFloat(th.getAttribute('data-dir'))||1;
var asc=th.classList.contains('asc')?false:th.classList.contains('desc')?true:first<0;
Array.prototype.forEach.call(th.parentNode.children,function(h){h.classList.remove('asc','desc');});
th.classList.add(asc?'asc':'desc');var rows=Array.prototype.slice.call(body.rows);
function key(r){var v=r.cells[col].getAttribute('data-v');return v===null||v===''?NaN:parseFloat(v);}
rows.sort(function(a,b){var x=key(a),y=key(b);if(isNaN(x))return isNaN(y)?0:1;if(isNaN(y))return -1;
return asc?x-y:y-x;});rows.forEach(function(r){body.appendChild(r);});}
document.addEventListener('click',function(e){var th=e.target.closest&&e.target.closest('table.ranking th[data-dir]');
if(th)sortBy(th);});})();</script>"""


def shows_ranking(order: list[str]) -> bool:
    """Whether a page with these scenarios (the reference first) has the ranking section."""
    return len(order) - 1 >= MIN_SCENARIOS


def commune_effects(results: dict, baseline: str) -> pd.DataFrame:
    """Per scenario and commune: the paired difference (scenario − reference, same
    replication) of the time to care the equity section shows (:func:`equity_wait`), mean
    over replications with its Student-t 95 % CI (``mean``, ``lo``, ``hi``, ``n``), and the
    commune's ``population``; empty without per-commune results."""
    groups, communes = results.get("groups"), results.get("communes")
    if not isinstance(groups, pd.DataFrame) or not isinstance(communes, pd.DataFrame) or groups.empty:
        return pd.DataFrame(columns=["scenario", "group", "mean", "lo", "hi", "n", "population"])
    g = groups[(groups["group_type"].astype(str) == "commune") & (groups["kpi"].astype(str) == equity_wait(groups))]
    g = g.assign(scenario=g["scenario"].astype(str), group=g["group"].astype(str))
    base = g[g["scenario"] == baseline][["replication", "group", "value"]].rename(columns={"value": "b"})
    d = g[g["scenario"] != baseline].merge(base, on=["replication", "group"])
    st = rep_stats(d.assign(value=d["value"] - d["b"]), ["scenario", "group"])
    pop = communes.assign(code=communes["code"].astype(str)).drop_duplicates("code").set_index("code")["population"]
    return st.assign(population=st["group"].map(pop).astype(float))


def who_gains(effects: pd.DataFrame, scenario: str) -> dict[str, float]:
    """``gain_pop``: population of ``scenario``'s communes whose mean difference is < 0 with
    its CI below 0; ``gain_days``: their population-weighted mean gain (days, > 0); and the
    same for the communes that lose (``loss_pop``, ``loss_days``): a gain never hides a loss."""
    e = effects[(effects["scenario"] == scenario) & effects["population"].notna()]
    out = {}
    for name, rows, sign in (("gain", e[(e["mean"] < 0) & (e["hi"] < 0)], -1.0),
                             ("loss", e[(e["mean"] > 0) & (e["lo"] > 0)], 1.0)):
        pop = float(rows["population"].sum())
        out[f"{name}_pop"] = pop
        out[f"{name}_days"] = float(sign * (rows["mean"] * rows["population"]).sum() / pop) if pop > 0 else np.nan
    return out


def _who_cell(effects: pd.DataFrame, scenario: str, t: Translator) -> str:
    w = who_gains(effects, scenario)
    def days(x: float) -> str:
        return f"{t.num(x, nonzero_digits([x]))} {t.unit('days', x)}"
    parts = [t(f"ranking.{k}", n=t.num(w[f"{k}_pop"], 0), d=days(w[f"{k}_days"]))
             for k in ("gain", "loss") if w[f"{k}_pop"] > 0]
    return f"<td data-v=\"{w['gain_pop']:.0f}\">{'<br>'.join(escape(p) for p in parts) or '—'}</td>"


def lever_sizes(cfg: Mapping, capped: list | None = None, t: Translator | None = None) -> list[str]:
    """« lever.key = value » for each size key (:data:`SIZE_KEYS`) a scenario's stored
    config (:func:`~simsoins.dashboard.warnings.stored_configs`) sets on its levers; a size
    cut to the territory (``capped``: ``scenarios.json["capped"]`` records of the scenario)
    gives the applied value, the asked one after it."""
    levers = (cfg.get("scenario") or {}).get("levers") if isinstance(cfg.get("scenario"), Mapping) else None
    if not isinstance(levers, Mapping):
        return []
    cut = {(r.get("lever"), r.get("key")): r for r in capped or [] if isinstance(r, Mapping)}
    sizes = [(f"{lever}.{k}", v, cut.get((lever, k))) for lever, block in levers.items() if isinstance(block, Mapping)
             for k, v in block.items() if k in SIZE_KEYS and isinstance(v, (int, float)) and not isinstance(v, bool)]
    return [f"{name} = {v}" if rec is None or t is None else t("ranking.capped", size=name, applied=rec.get("applied"),
                                                                  asked=v) for name, v, rec in sizes]


def _dose_cell(doses: pd.DataFrame, cfg: Mapping, scenario: str, t: Translator, capped: list | None = None) -> str:
    """Slots a week per 100,000 inhabitants (« organisationnel »: the lever adds none), the sizes."""
    sizes = lever_sizes(cfg, capped, t)
    small = "".join(f"<br><small>{escape(s)}</small>" for s in sizes)
    if doses.empty or scenario not in doses.index:
        return f"<td data-v=\"\">—{small}</td>"
    d = doses.loc[scenario]
    per = float(d["dose_slots_per_week_per_100k"])
    if str(d["kind"]) == "organisational":
        return f"<td data-v=\"0\">{escape(t('dose.kind.organisational'))}{small}</td>"
    v = f"{per:.6g}" if np.isfinite(per) else ""
    return f"<td data-v=\"{v}\">{escape(t('ranking.dose', n=t.num(per, 1, True)))}{small}</td>"


def _verdict(kpi: str, diff: float, significant: bool, better: Mapping[str, int]) -> str:
    if not significant:
        return "ns"
    b = better.get(kpi, 0)
    return "" if b == 0 or not np.isfinite(diff) else ("better" if b * diff > 0 else "worse")


def _kpi_cells(summ: pd.DataFrame, scenario: str, kpis: list[str], better: Mapping[str, int], t: Translator) -> str:
    """The row's difference cells, significance by Holm over the row's KPIs."""
    have = [k for k in kpis if (scenario, k) in summ.index]
    significant = dict(zip(have, holm([summ.loc[(scenario, k)]["diff_p"] for k in have])))
    cells = []
    for k in kpis:
        if k not in significant:
            cells.append("<td data-v=\"\">—</td>")
            continue
        r = summ.loc[(scenario, k)]
        factor, unit, _ = shown(k, str(r["unit"]))
        m, lo, hi = (factor * float(r[c]) for c in ("diff_mean", "diff_ci_low", "diff_ci_high"))
        cls = _verdict(k, m, bool(significant[k]), better)
        word = t("ranking.verdict." + (cls or "different"))
        v = f"{m:.6g}" if np.isfinite(m) else ""
        attr = f" class=\"{cls}\"" if cls else ""
        text = escape(t.diff(m, lo, hi, unit, points=False)).replace(" [", "<br>[", 1)  # the interval on its own line
        cells.append(f"<td{attr} data-v=\"{v}\">{text}<span class=\"verdict\">{escape(word)}</span></td>")
    return "".join(cells)


def _header(kpis: list[str], better: Mapping[str, int], t: Translator) -> str:
    def th(text: str, direction: int) -> str:
        return f"<th data-dir=\"{direction}\">{escape(text)}</th>"
    cols = "".join(th(t("ranking.col." + k) if t.has("ranking.col." + k) else t.kpi(k), better.get(k, 0) or 1)
                   for k in kpis)
    return (f"<thead><tr>{th(t('col.scenario'), -1)}{th(t('ranking.col.dose'), 1)}{cols}"
            f"{th(t('ranking.col.who'), 1)}</tr></thead>")


def ranking_section(results: dict, summ: pd.DataFrame, order: list[str], t: Translator,
                    better: Mapping[str, int], before: Mapping[str, str] | None = None) -> str:
    """HTML of the ranking: the table, how it is read (verdicts, Holm, who gains) and the
    sorting script; "" with fewer than :data:`MIN_SCENARIOS` scenarios besides the reference.
    ``summ``: the summary indexed by (scenario, kpi) with ``diff_p``; ``before``: a KPI →
    the one results written before it existed hold instead."""
    base = order[0] if order else ""
    kpis = [k if (base, k) in summ.index else (before or {}).get(k, k) for k in RANKING_KPIS]
    others = [s for s in order[1:] if any((s, k) in summ.index for k in kpis)]
    if len(others) < MIN_SCENARIOS:
        return ""
    doses = doses_of(results)
    doses = doses.set_index("scenario") if not doses.empty else doses
    effects = commune_effects(results, base)
    configs = stored_configs(results)
    labels = (results.get("scenarios") or {}).get("labels", {})
    capped = (results.get("scenarios") or {}).get("capped") or {}
    rows = []
    for i, s in enumerate(others):
        label = f"<br><small>{escape(str(labels[s]))}</small>" if labels.get(s) else ""
        dose = _dose_cell(doses, configs.get(s, {}), s, t, capped.get(s) if isinstance(capped, Mapping) else None)
        rows.append(f"<tr><td data-v=\"{i}\"><b>{escape(s)}</b>{label}</td>{dose}"
                    f"{_kpi_cells(summ, s, kpis, better, t)}{_who_cell(effects, s, t)}</tr>")
    return (f"<div class=\"ranking-wrap\"><table class=\"ranking\">{_header(kpis, better, t)}<tbody>{''.join(rows)}"
            f"</tbody></table></div><p class=\"meta\">{escape(t('ranking.holm', n=len(kpis)))}</p>"
            f"<p class=\"meta\">{escape(t('ranking.who', baseline=base))}</p>{SORT_JS}")

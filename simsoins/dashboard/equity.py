"""Who waits (« pour qui »): the wait shown by age band and by commune, and the table of the
communes that wait longest.

The equity figures and table show the time to care over every routine request
(``routine_time_to_care_days_median``: those who gave up count while they waited), or the
booked-only mean wait for results written before it existed.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from simsoins.dashboard.i18n import Translator

#: The wait the equity section shows, first the one present in the groups table.
EQUITY_WAITS = ("routine_time_to_care_days_median", "routine_wait_days_mean")


def equity_wait(groups: pd.DataFrame) -> str:
    """The KPI of :data:`EQUITY_WAITS` that ``groups`` holds (the first one if none)."""
    have = set(groups["kpi"].astype(str)) if "kpi" in groups.columns else set()
    return next((k for k in EQUITY_WAITS if k in have), EQUITY_WAITS[0])


def commune_table(results: dict, order: list[str], t: Translator, n: int = 10) -> str:
    """HTML table of the ``n`` communes with the longest wait (:func:`equity_wait`) in the
    baseline, with every scenario's value."""
    g = results["groups"]
    kpi = equity_wait(g)
    g = g[(g["group_type"].astype(str) == "commune") & (g["kpi"].astype(str) == kpi)]
    wide = (g.assign(scenario=g["scenario"].astype(str)).groupby(["group", "scenario"], observed=True)["value"]
            .mean().unstack("scenario"))
    scen = [s for s in order if s in wide.columns]
    if not scen or scen[0] != order[0]:
        return ""
    com = results["communes"].drop_duplicates("code").set_index("code")
    top = wide[scen].dropna(subset=[scen[0]]).sort_values(scen[0], ascending=False).head(n)
    head = "".join(f"<th>{escape(s)}</th>" for s in scen)
    extra_head, extra = _access_columns(results, scen, t)
    rows = "".join(
        f"<tr><td>{escape(str(com['name'].get(c, c)))} ({escape(str(c))})</td>"
        f"<td>{t.num(com['population'].get(c, float('nan')), 0)}</td>"
        + "".join(f"<td>{t.num(v)}</td>" for v in r) + extra(c) + "</tr>" for c, r in top.iterrows())
    return (f"<h3>{escape(t('table.communes', n=n, wait=t('wait.' + kpi)))}</h3><table><tr><th>{t('table.commune')}"
            f"</th><th>{t('fig.map.pop')}</th>{head}{extra_head}</tr>{rows}</table>")


def commune_means(results: dict, kpi: str) -> pd.DataFrame:
    """Commune × scenario: ``kpi`` of communes.parquet's results (``commune_results``), mean
    over replications; empty without them (results written before format 2)."""
    cr = results.get("commune_results")
    if not isinstance(cr, pd.DataFrame) or kpi not in cr.columns:
        return pd.DataFrame()
    return (cr.assign(scenario=cr["scenario"].astype(str), code=cr["code"].astype(str))
            .groupby(["code", "scenario"], observed=True)[kpi].mean().unstack("scenario"))


def _access_columns(results: dict, scen: list[str], t: Translator):
    """(header cells, commune code → row cells) of the commune table's last columns: the
    baseline's GP consultations per inhabitant a year, then each scenario's simulated
    accessibility index; none without commune results."""
    cons = commune_means(results, "gp_consultations_per_inhabitant_year")
    acc = commune_means(results, "accessibility_index")
    if cons.empty or acc.empty:
        return "", lambda code: ""
    have = [s for s in scen if s in acc.columns]
    head = (f"<th>{escape(t('table.consultations', scenario=scen[0]))}</th>"
            + "".join(f"<th>{escape(t('table.access', scenario=s))}</th>" for s in have))

    def cells(code: str) -> str:
        def get(df: pd.DataFrame, s: str) -> float:
            return float(df.at[code, s]) if code in df.index and s in df.columns else float("nan")
        return f"<td>{t.num(get(cons, scen[0]), 2)}</td>" + "".join(f"<td>{t.num(get(acc, s), 2)}</td>" for s in have)
    return head, cells

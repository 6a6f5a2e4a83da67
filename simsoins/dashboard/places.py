"""Where care lands, on the dashboard: the ER sites' visits (« où vont les passages aux
urgences »), the communes' consultations and simulated accessibility, and the box of what
is still a rule in the territory (« ce qui reste une hypothèse sur cette carte »).

``communes.parquet`` has one row per scenario × replication × commune since results format
2 (one row per commune before): :func:`split_communes` keeps both readings, the communes
themselves (``communes``, one row each) and their results (``commune_results``).
"""

from __future__ import annotations

from html import escape

import numpy as np
import pandas as pd

from simsoins.dashboard.i18n import Translator, nonzero_digits, shown
from simsoins.results.stats import rep_stats

#: The communes' own columns (the rest of communes.parquet are results).
COMMUNE_COLUMNS = ["code", "name", "population", "lon", "lat"]
#: The ER sites' measures shown, with their decimals and the factor they are shown with
#: (the mean wait, stored in hours, in minutes as everywhere on the page).
ER_MEASURES = {"visits": (0, 1.0), "avoidable_visits": (0, 1.0),
               "wait_hours_mean": (0, shown("er_wait_hours_mean", "hours")[0])}
#: Most ER sites listed (the busiest in the baseline); the page says how many are left out.
MAX_SITES = 30
#: An ER site: these columns of er_sites.parquet, together.
SITE_KEY = ["finess", "name", "commune"]


def split_communes(results: dict) -> dict:
    """``results`` with ``communes`` one row per commune and, when communes.parquet holds
    results (a ``scenario`` column), those rows as ``commune_results``; in place."""
    com = results.get("communes")
    if isinstance(com, pd.DataFrame) and "scenario" in com.columns:
        results["commune_results"] = com.assign(code=com["code"].astype(str))
        results["communes"] = com[[c for c in COMMUNE_COLUMNS if c in com.columns]].drop_duplicates(
            "code", ignore_index=True)
    return results


# ------------------------------------------------------------------ the territory's rules

def rules_box(meta: dict, t: Translator) -> str:
    """HTML: the territory's rules (``territory_rules`` of scenarios.json), each in the
    page's language; "" when the run lists none."""
    rules = [str(r) for r in meta.get("territory_rules") or []]
    if not rules:
        return ""
    items = "".join(f"<li>{escape(t('rule.' + r))}</li>" for r in rules)
    return (f"<div class=\"rules\" id=\"rules\"><b>{escape(t('rules.title'))}</b>"
            f"<p>{escape(t('rules.intro'))}</p><ul>{items}</ul></div>")


# ------------------------------------------------------------------------- ER sites

def _site_label(row: pd.Series, names: pd.Series) -> tuple[str, str]:
    """(site name, « commune name (code) ») as escaped HTML."""
    code = str(row["commune"])
    commune = f"{escape(str(names.get(code, code)))} ({escape(code)})" if code else "—"
    return escape(str(row["name"])), commune


def _site_stats(er: pd.DataFrame, scenario: str) -> pd.DataFrame:
    """One row per site of ``scenario``: each measure's mean over replications."""
    d = er[er["scenario"] == scenario]
    return d.groupby(SITE_KEY, sort=False)[list(ER_MEASURES)].mean().reset_index()


def _site_diffs(er: pd.DataFrame, scenario: str, baseline: str) -> pd.DataFrame:
    """Per site and measure: the paired difference ``scenario`` − ``baseline`` by
    replication, its mean and 95 % CI (``mean``, ``lo``, ``hi``)."""
    keys = [*SITE_KEY, "replication"]
    b = er[er["scenario"] == baseline][[*keys, *ER_MEASURES]]
    s = er[er["scenario"] == scenario][[*keys, *ER_MEASURES]]
    d = s.merge(b, on=keys, suffixes=("", "_b"))
    long = pd.concat([d[[*keys]].assign(measure=m, value=d[m] - d[m + "_b"]) for m in ER_MEASURES])
    return rep_stats(long, [*SITE_KEY, "measure"]).set_index([*SITE_KEY, "measure"])


def _diff_cell(diffs: pd.DataFrame, key: tuple, measure: str, t: Translator) -> str:
    """« +12 [+3 ; +21] » for one site and measure, « — » if not computed."""
    if (*key, measure) not in diffs.index:
        return "—"
    (digits, factor), r = ER_MEASURES[measure], diffs.loc[(*key, measure)]
    m, lo, hi = (factor * float(r[c]) for c in ("mean", "lo", "hi"))
    digits = nonzero_digits([m, lo, hi], digits)  # a non-zero difference never printed as 0
    mid = t.num(m, digits, True)
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return mid
    return t("ci", m=mid, lo=t.num(lo, digits, True), hi=t.num(hi, digits, True))


def _site_rows(base: pd.DataFrame, diffs: pd.DataFrame | None, names: pd.Series, t: Translator) -> str:
    """Table rows: each site's baseline measures, and their differences if ``diffs``."""
    rows = []
    for _, r in base.iterrows():
        key = tuple(r[c] for c in SITE_KEY)
        cells = "".join(f"<td>{t.num(f * r[m], d)}</td>" + (f"<td>{_diff_cell(diffs, key, m, t)}</td>"
                                                           if diffs is not None else "")
                        for m, (d, f) in ER_MEASURES.items())
        site, commune = _site_label(r, names)
        rows.append(f"<tr><td>{site}</td><td>{commune}</td>{cells}</tr>")
    return "".join(rows)


def _site_head(t: Translator, versus: bool) -> str:
    """The header row: site, commune, then each measure (and its difference)."""
    cells = []
    for m in ER_MEASURES:
        what = t("er_sites.col." + m)
        cells.append(f"<th>{escape(t('er_sites.col.base', what=what) if versus else what)}</th>")
        if versus:
            cells.append(f"<th>{escape(t('er_sites.col.diff', what=what))}</th>")
    return f"<tr><th>{escape(t('er_sites.col.site'))}</th><th>{escape(t('table.commune'))}</th>{''.join(cells)}</tr>"


def er_sites_tables(results: dict, order: list[str], t: Translator) -> str:
    """HTML: the visits, avoidable visits and mean wait of each ER site in the baseline,
    and for each other scenario their paired difference to it; "" without er_sites."""
    er = results.get("er_sites")
    if not isinstance(er, pd.DataFrame) or not order or er.empty:
        return ""
    er = er.assign(scenario=er["scenario"].astype(str), **{c: er[c].astype(str) for c in SITE_KEY})
    base = _site_stats(er, order[0]).sort_values("visits", ascending=False, kind="stable")
    if base.empty:
        return ""
    com = results.get("communes")
    names = (com.assign(code=com["code"].astype(str)).drop_duplicates("code").set_index("code")["name"]
             if isinstance(com, pd.DataFrame) else pd.Series(dtype=str))
    more = (f"<p class=\"meta\">{escape(t('er_sites.more', n=len(base) - MAX_SITES))}</p>"
            if len(base) > MAX_SITES else "")
    base = base.head(MAX_SITES)
    out = [f"<h3 id=\"er-sites\">{escape(t('er_sites.title'))}</h3><p>{escape(t('er_sites.intro'))}</p>"]
    others = [s for s in order[1:] if s in set(er["scenario"])]
    if not others:
        out.append(f"<table>{_site_head(t, False)}{_site_rows(base, None, names, t)}</table>{more}")
    for s in others:
        out.append(f"<h4>{escape(t('vs', scenario=s, baseline=order[0]))}</h4><table>{_site_head(t, True)}"
                   f"{_site_rows(base, _site_diffs(er, s, order[0]), names, t)}</table>{more}")
    return "".join(out)

"""``ou_agir.html`` and the console summary of a placement search
(:mod:`simsoins.tools.ou_agir`): in French, or English with ``dashboard.lang=en``.

The page is self-contained (plotly.js inline, nothing fetched, no base map): the stated
probability of correct selection, the best few candidates with their paired intervals,
and a map of the candidates coloured by their difference with today, the selected one
marked with a star.  Commune names come from the territory's files: HTML-escaped.
"""

from __future__ import annotations

import html
import math

import pandas as pd
import plotly.graph_objects as go

from simsoins.config.ou_agir import OuAgirConfig
from simsoins.dashboard.i18n import translator
from simsoins.dashboard.maps import outline_trace
from simsoins.results.kpis import KPI_UNITS
from simsoins.results.selection import Selection
from simsoins.tools.france_report import STYLE

TEXT = {
    "fr": {
        "title": "Où agir : la commune d'un nouveau centre de santé",
        "budget": "Budget {budget} € par an : un centre de santé de {gps} médecins ({cost} € par an : ACI et "
                  "déficit par médecin salarié, modèle de coût). {n} communes candidates, les moins bien "
                  "desservies (score d'accessibilité 2SFCA) d'au moins 2 000 habitants ; {reps} réplications "
                  "appariées (mêmes patients dans chaque option).",
        "pcs": "Avec une probabilité d'au moins {level} %, la meilleure commune est parmi : {subset}. "
               "{best} a la meilleure moyenne ; avec une probabilité d'au moins {level} %, elle est à moins de "
               "{delta} {unit} de la meilleure (comparaisons multiples avec le meilleur, bornes t appariées "
               "de Bonferroni).",
        "two_stage": "Pour choisir à {d0} {unit} près avec la même probabilité, une seconde étape demanderait "
                     "{n} réplications par commune (procédure en deux étapes de Rinott, Bonferroni apparié).",
        "two_stage_done": "Pour choisir à {d0} {unit} près avec la même probabilité, les {n} réplications faites "
                          "suffisent (procédure en deux étapes de Rinott, Bonferroni apparié).",
        "table": "Les {top} meilleures options",
        "rank": "Rang", "commune": "Commune", "population": "Population", "access": "Accessibilité (2SFCA)",
        "mean": "Moyenne", "diff": "Écart avec la situation actuelle [IC 95 %]",
        "worse": "Au plus pire que la meilleure de", "subset": "Peut être la meilleure",
        "gave_up": "Renoncement, écart (points) [IC 95 %]",
        "er_avoidable": "Passages évitables aux urgences pour 1 000 hab., écart [IC 95 %]",
        "yes": "oui", "no": "non",
        "map": "Candidates, colorées par l'écart avec la situation actuelle (étoile : la commune retenue)",
        "colour": "Écart (j)", "selected": "Retenue", "unit_days": "jours",
    },
    "en": {
        "title": "Where to act: the commune of a new centre de santé",
        "budget": "Budget €{budget} a year: a centre de santé of {gps} GPs (€{cost} a year: ACI and deficit per "
                  "salaried GP, cost model). {n} candidate communes, the least served (2SFCA access score) of "
                  "at least 2,000 inhabitants; {reps} paired replications (the same patients in every option).",
        "pcs": "With probability at least {level} %, the best commune is among: {subset}. {best} has the best "
               "mean; with probability at least {level} %, it is within {delta} {unit} of the best (multiple "
               "comparisons with the best, Bonferroni paired-t bounds).",
        "two_stage": "To choose within {d0} {unit} with the same probability, a second stage would need {n} "
                     "replications per commune (Rinott's two-stage procedure, paired Bonferroni).",
        "two_stage_done": "To choose within {d0} {unit} with the same probability, the {n} replications run "
                          "suffice (Rinott's two-stage procedure, paired Bonferroni).",
        "table": "The best {top} options",
        "rank": "Rank", "commune": "Commune", "population": "Population", "access": "Access (2SFCA)",
        "mean": "Mean", "diff": "Difference with today [95 % CI]",
        "worse": "Worse than the best by at most", "subset": "May be the best",
        "gave_up": "Gave up, difference (points) [95 % CI]",
        "er_avoidable": "Avoidable ER visits per 1,000, difference [95 % CI]",
        "yes": "yes", "no": "no",
        "map": "Candidates, coloured by the difference with today (star: the selected commune)",
        "colour": "Difference (d)", "selected": "Selected", "unit_days": "days",
    },
}


def _unit(search: OuAgirConfig, lang: str) -> str:
    unit = KPI_UNITS[search.kpi]
    return TEXT[lang]["unit_days"] if unit == "days" else unit


def sentences(out: pd.DataFrame, sel: Selection, two_stage: int, search: OuAgirConfig, lang: str) -> list[str]:
    """The budget, the probability of correct selection and the two-stage count, as text."""
    t, L = translator(lang), TEXT[lang]
    best = out.iloc[sel.selected]
    subset = ", ".join(f"{n} ({c})" for n, c in zip(out["name"][out["in_subset"]], out["code"][out["in_subset"]],
                                                     strict=True))
    level, unit = t.num(100 * (1 - search.alpha), 0), _unit(search, lang)
    return [L["budget"].format(budget=t.num(search.budget_eur_per_year, 0), gps=int(best["centre_gps"]),
                               cost=t.num(best["cost_eur_per_year"], 0), n=len(out), reps=sel.replications),
            L["pcs"].format(level=level, subset=subset, best=f"{best['name']} ({best['code']})",
                            delta=t.num(sel.delta, 2), unit=unit),
            L["two_stage" if two_stage > sel.replications else "two_stage_done"].format(
                d0=t.num(search.indifference, 2), unit=unit, n=two_stage)]


def best_rows(out: pd.DataFrame, search: OuAgirConfig) -> pd.DataFrame:
    """The ``search.top`` best candidates, best mean first."""
    return out.sort_values("mean", ascending=search.better == "lower", kind="stable").head(search.top)


def _diff_text(t, row, prefix: str = "", scale: float = 1.0) -> str:
    """The paired difference with today ``{prefix}diff`` and its CI, × ``scale``; « — »
    without the reference job."""
    if f"{prefix}diff" not in row:
        return "—"
    m, lo, hi = (scale * row[f"{prefix}diff{end}"] for end in ("", "_ci_low", "_ci_high"))
    return t("ci", m=t.num(m, 2, signed=True), lo=t.num(lo, 2), hi=t.num(hi, 2))


def table_html(out: pd.DataFrame, search: OuAgirConfig, lang: str) -> str:
    """The best few options with their intervals, as an HTML table."""
    t, L = translator(lang), TEXT[lang]
    cols = ["rank", "commune", "population", "access", "mean", "diff", "gave_up", "er_avoidable", "worse", "subset"]
    head = "".join(f"<th>{html.escape(L[c])}</th>" for c in cols)
    body = ""
    for _, r in best_rows(out, search).iterrows():
        cells = [str(int(r["rank"])), html.escape(f"{r['name']} ({r['code']})"), t.num(r["population"], 0),
                 t.num(r["access_score"], 3), t.num(r["mean"], 2), _diff_text(t, r),
                 _diff_text(t, r, "gave_up_", 100.0), _diff_text(t, r, "er_avoidable_"),
                 t.num(r["worse_than_best_at_most"], 2), L["yes"] if r["in_subset"] else L["no"]]
        body += "<tr>" + "".join(f"<td class=\"t\">{c}</td>" if i == 1 else f"<td>{c}</td>"
                                 for i, c in enumerate(cells)) + "</tr>"
    return (f"<h2>{html.escape(L['table'].format(top=min(search.top, len(out))))}</h2>"
            f"<p class=\"note\">{html.escape(t.kpi(search.kpi))}</p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def candidate_map(out: pd.DataFrame, lang: str) -> go.Figure:
    """The candidates on their coordinates, coloured by their paired difference with today
    (green: better), the selected one as a star."""
    L = TEXT[lang]
    colour = out["diff"] if "diff" in out else out["mean"]
    span = float(colour.abs().max()) or 1.0
    names = [html.escape(f"{n} ({c})") for n, c in zip(out["name"], out["code"], strict=True)]
    fig = go.Figure(go.Scatter(x=out["lon"], y=out["lat"], mode="markers+text", text=names,
                               textposition="top center", hovertext=names, name=L["diff"],
                               marker=dict(size=18, color=colour, colorscale="RdYlGn_r", cmin=-span, cmax=span,
                                           colorbar=dict(title=L["colour"]), line=dict(width=1, color="#333"))))
    outline = outline_trace({str(c)[:2] for c in out["code"]}, translator(lang))  # the départements' outlines
    if outline is not None:
        fig.add_trace(outline)
    chosen = out[out["selected"]]
    fig.add_trace(go.Scatter(x=chosen["lon"], y=chosen["lat"], mode="markers", name=L["selected"],
                             marker=dict(symbol="star", size=30, color="rgba(0,0,0,0)",
                                         line=dict(width=2, color="#000"))))
    ratio = 1 / math.cos(math.radians(float(out["lat"].mean())))  # equal distances on both axes
    fig.update_layout(title=L["map"], height=560, showlegend=False, xaxis=dict(visible=False),
                      yaxis=dict(visible=False, scaleanchor="x", scaleratio=ratio), plot_bgcolor="white")
    return fig


def page_html(out: pd.DataFrame, sel: Selection, two_stage: int, search: OuAgirConfig, lang: str) -> str:
    """The self-contained ``ou_agir.html``."""
    from plotly.offline import get_plotlyjs

    L = TEXT[lang]
    text = "".join(f"<p>{html.escape(s)}</p>" for s in sentences(out, sel, two_stage, search, lang))
    fig = candidate_map(out, lang).to_html(full_html=False, include_plotlyjs=False, div_id="ou-agir-map",
                                           config={"displaylogo": False})
    return (f"<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>simsoins — "
            f"{html.escape(L['title'])}</title>{STYLE}<script type=\"text/javascript\">{get_plotlyjs()}</script>"
            f"</head><body><h1>{html.escape(L['title'])}</h1>{text}{table_html(out, search, lang)}{fig}</body></html>")


def summary_lines(out: pd.DataFrame, sel: Selection, two_stage: int, search: OuAgirConfig, lang: str) -> list[str]:
    """The console summary: the title, the sentences, then one line per best option."""
    t = translator(lang)
    lines = [TEXT[lang]["title"], *sentences(out, sel, two_stage, search, lang)]
    for _, r in best_rows(out, search).iterrows():
        lines.append(f"  {int(r['rank'])}. {r['name']} ({r['code']}): {t.num(r['mean'], 2)} ; "
                     f"{TEXT[lang]['diff']} {_diff_text(t, r)}")
    return lines

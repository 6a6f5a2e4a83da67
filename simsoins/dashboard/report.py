"""The planners' dashboard (« tableau de bord »): one self-contained, offline HTML page.

:func:`load_results` reads a stored run directory, :func:`merge_results` concatenates
several, :func:`build_html` renders the page and :func:`write_dashboard` writes it
atomically.  plotly.js is inlined once in ``<head>``; no CDN, no tiles, no internet.
Every text coming from user files (scenario names and labels, communes, territory,
configurations) is HTML-escaped.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.offline

from simsoins.dashboard import figures as F
from simsoins.dashboard.costs import cost_lines
from simsoins.dashboard.doses import dose_table
from simsoins.dashboard.equity import commune_table
from simsoins.dashboard.files import json_object, summary_csv
from simsoins.dashboard.i18n import PLOTLY_LOCALE_FR, Translator, as_shown, digits_for, translator
from simsoins.dashboard.places import er_sites_tables, rules_box, split_communes
from simsoins.dashboard.ranking import ranking_section, shows_ranking
from simsoins.dashboard.sources import sources_body
from simsoins.dashboard.style import CSS, PRINT_JS
from simsoins.dashboard.titles import relabel
from simsoins.dashboard.warnings import warnings_box
from simsoins.results.outputs import check_format, write_text
from simsoins.results.stats import clip_shares, holm, with_p_values
from simsoins.results.yearly import split_years

#: Result key → file name in a run directory (all optional, at least one required).
FILES = {"summary": "summary.csv", "kpis": "kpis.parquet", "groups": "groups.parquet",
         "series": "series.parquet", "quantiles": "quantiles.parquet", "channels": "channels.parquet",
         "utilisation": "utilisation.parquet", "communes": "communes.parquet", "er_sites": "er_sites.parquet"}
#: Tables read out of another file (:func:`~simsoins.dashboard.places.split_communes`) → that file.
DERIVED = {"commune_results": FILES["communes"], "years": FILES["kpis"]}
SCENARIOS_FILE = "scenarios.json"
#: The waits count every request (time to care), with giving up and ER visits beside them.
HEADLINE_KPIS = ("routine_time_to_care_days_median", "routine_time_to_care_days_p90", "routine_seen_within_7d_share",
                 "routine_gave_up_share", "acute_within_48h_share", "er_visits_per_1000_year",
                 "er_avoidable_visits_per_1000_year", "er_wait_hours_mean", "without_mt_share",
                 "gp_consultations_per_inhabitant_year")
#: A headline KPI → the booked-only one shown instead by results written before it existed.
BEFORE_TIME_TO_CARE = {"routine_time_to_care_days_median": "routine_wait_days_median",
                       "routine_time_to_care_days_p90": "routine_wait_days_p90",
                       "routine_seen_within_7d_share": "routine_within_7d_share"}
#: +1: higher is better, −1: lower is better, 0: neither (colours the difference cell).
BETTER = {"routine_time_to_care_days_median": -1, "routine_time_to_care_days_p90": -1,
          "routine_seen_within_7d_share": 1, "routine_gave_up_share": -1, "er_visits_per_1000_year": -1,
          "routine_wait_days_median": -1, "routine_wait_days_mean": -1, "routine_wait_days_p90": -1,
          "routine_within_2d_share": 1, "routine_within_7d_share": 1, "acute_within_48h_share": 1,
          "er_avoidable_visits_per_1000_year": -1, "er_wait_hours_mean": -1, "without_mt_share": -1,
          "gp_consultations_per_inhabitant_year": 0}
SECTIONS = ("headline", "ranking", "routine", "acute", "er", "time", "equity", "capacity", "configs", "sources")



def load_results(run_dir: Path) -> dict[str, pd.DataFrame | dict]:
    """Tables of a run directory: keys of :data:`FILES` plus ``"scenarios"`` (the dict of
    ``scenarios.json``); a missing file gives an absent key.  Raises
    :class:`FileNotFoundError` if ``run_dir`` is not a directory holding any result file,
    :class:`ValueError` if ``scenarios.json`` is not valid JSON."""
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise FileNotFoundError(f"{run_dir}: no such run directory")
    if (run_dir / "manifest.json").is_file():
        json_object(run_dir / "manifest.json")
    check_format(run_dir)  # results of another layout: one clear message, not a KeyError later
    out: dict[str, pd.DataFrame | dict] = {}
    for key, name in FILES.items():
        p = run_dir / name
        if p.is_file():
            out[key] = summary_csv(p) if name.endswith(".csv") else pd.read_parquet(p)
    p = run_dir / SCENARIOS_FILE
    if p.is_file():
        out["scenarios"] = json_object(p)
    if not out:
        raise FileNotFoundError(f"{run_dir}: not a simsoins run directory (no {', '.join(FILES.values())} "
                                f"or {SCENARIOS_FILE})")
    for key, col in (("communes", "code"), ("groups", "group")):
        if key in out:
            out[key][col] = out[key][col].astype(str)
    return split_communes(split_kpi_years(out))


def split_kpi_years(results: dict) -> dict:
    """``results`` with kpis.parquet's rows of each year (a run of several years) moved
    from ``kpis`` (the whole measured window) to ``years``."""
    if "kpis" in results:
        results["kpis"], by_year = split_years(results["kpis"])
        if len(by_year):
            results["years"] = by_year
    return results


def _scenarios_of(res: dict) -> list[str]:
    names = list(res.get("scenarios", {}).get("order", []))
    for key in FILES:
        if key in res and "scenario" in res[key].columns:
            names += [str(s) for s in pd.unique(res[key]["scenario"])]
    return list(dict.fromkeys(names))


def merge_results(results: list[dict]) -> dict:
    """Concatenate the results of several run directories.  A scenario is taken from the
    first run holding it (later duplicates, e.g. a second baseline, are dropped)."""
    if len(results) == 1:
        return results[0]
    merged: dict = {}
    seen: set[str] = set()
    meta: dict[str, Any] = {"order": [], "labels": {}, "configs": {}}
    for res in results:
        new = [s for s in _scenarios_of(res) if s not in seen]
        for key in (*FILES, *DERIVED):
            if key not in res:
                continue
            df = res[key]
            if "scenario" in df.columns:
                df = df[df["scenario"].astype(str).isin(new)]
            merged[key] = df if key not in merged else pd.concat([merged[key], df], ignore_index=True)
        sc = res.get("scenarios", {})
        meta["order"] += new
        for k in ("labels", "configs", "per_100k", "capped"):  # what titles are made of (dashboard/titles.py)
            meta.setdefault(k, {}).update({s: v for s, v in sc.get(k, {}).items() if s in new})
        for k in ("territory", "start_date"):
            if k in sc and k not in meta:
                meta[k] = sc[k]
        if sc.get("territory_rules"):  # every territory's rules, once each
            meta["territory_rules"] = list(dict.fromkeys([*meta.get("territory_rules", []), *sc["territory_rules"]]))
        seen.update(new)
    if "communes" in merged:
        merged["communes"] = merged["communes"].drop_duplicates("code", ignore_index=True)
    merged["scenarios"] = meta
    return merged


def scenario_order(results: dict) -> list[str]:
    """Scenario names in display order: ``scenarios.json`` order, then any other scenario
    found in the tables.  The first one is the baseline (« référence »)."""
    return _scenarios_of(results)


def _summary(results: dict, baseline: str) -> pd.DataFrame:
    """``summary.csv`` if present, else recomputed from ``kpis`` (paired by replication)."""
    if "summary" in results:
        s = results["summary"].copy()
        s["scenario"], s["kpi"] = s["scenario"].astype(str), s["kpi"].astype(str)
        for col in ("ci_low", "ci_high", "diff_mean", "diff_ci_low", "diff_ci_high"):
            if col not in s.columns:
                s[col] = np.nan
        if "diff_p" not in s.columns:  # a summary written before the p-values were
            s = with_p_values(s)
        return clip_shares(s.drop_duplicates(["scenario", "kpi"]))
    if "kpis" not in results:
        return pd.DataFrame(columns=["scenario", "kpi", "unit", "mean", "ci_low", "ci_high", "n"])
    k = results["kpis"].assign(scenario=lambda d: d["scenario"].astype(str))
    st = F.rep_stats(k, ["scenario", "kpi"]).rename(columns={"lo": "ci_low", "hi": "ci_high"})
    units = k.drop_duplicates("kpi").set_index("kpi")["unit"]
    st["unit"] = st["kpi"].map(units)
    base = k[k["scenario"] == baseline][["kpi", "replication", "value"]].rename(columns={"value": "b"})
    d = k[k["scenario"] != baseline].merge(base, on=["kpi", "replication"])
    ds = F.rep_stats(d.assign(value=d["value"] - d["b"]), ["scenario", "kpi"])
    ds = ds.rename(columns={"mean": "diff_mean", "lo": "diff_ci_low", "hi": "diff_ci_high"})
    cols = ["scenario", "kpi", "diff_mean", "diff_ci_low", "diff_ci_high"]
    return clip_shares(with_p_values(st.merge(ds[cols], how="left")))


def _significant(lo: float, hi: float) -> bool:
    return bool(np.isfinite(lo) and np.isfinite(hi) and (lo > 0 or hi < 0))


def sentence(kpi: str, base: pd.Series, scen: pd.Series | None, t: Translator, significant: bool | None = None) -> str:
    """Plain-language sentence for a KPI, e.g. « Le délai moyen pour un rendez-vous
    programmé passe de 4,1 à 2,8 jours (différence −1,3 jour, IC 95 % −1,5 à −1,1). »"""
    base, scen = as_shown(kpi, base), (None if scen is None else as_shown(kpi, scen))
    unit = str(base["unit"])
    subject = t("subject." + kpi)
    subject = t.kpi(kpi) if subject == kpi else subject
    if scen is None:
        key = "sentence.level" if np.isfinite(base["ci_low"]) else "sentence.level_noci"
        return t(key, subject=subject, a=t.with_unit(base["mean"], unit), lo=t.bound(base["ci_low"], unit),
                 hi=t.bound(base["ci_high"], unit))
    a = t.pct(base["mean"]) if unit == "share" else t.num(base["mean"], digits_for(unit))
    lo, hi, d = scen["diff_ci_low"], scen["diff_ci_high"], scen["diff_mean"]
    if not np.isfinite(d):  # no paired difference stored: plain difference of the means
        d = scen["mean"] - base["mean"]
    significant = _significant(lo, hi) if significant is None else significant
    key = ("sentence.change_noci" if not (np.isfinite(lo) and np.isfinite(hi))
           else "sentence.change" if significant else "sentence.change_ns")
    nd = t.diff_digits((d, lo, hi), unit)  # the decimals that keep a non-zero difference off 0
    return t(key, subject=subject, a=a, b=t.with_unit(scen["mean"], unit),
             d=t.with_unit(d, unit, diff=True, digits=nd), lo=t.bound(lo, unit, nd), hi=t.bound(hi, unit, nd))


def _diff_class(kpi: str, row: pd.Series, significant: bool) -> str:
    if not significant:
        return "ns"
    b = BETTER.get(kpi, 0)
    return "" if b == 0 else ("better" if b * row["diff_mean"] > 0 else "worse")


def _headline_alone(summ: pd.DataFrame, base_name: str, kpis: list[str], t: Translator) -> str:
    """The baseline's key KPIs with their CI, and a sentence each (no scenario to compare)."""
    rows = "".join(f"<tr><td>{escape(t.kpi_label(k))}</td><td>{t.ci(*_mci(b), str(b['unit']))}</td></tr>"
                   for k in kpis for b in [as_shown(k, summ.loc[(base_name, k)])])
    sents = "".join(f"<li>{escape(sentence(k, summ.loc[(base_name, k)], None, t))}</li>" for k in kpis)
    intro = t("intro.headline_alone", time_to_care=t("intro.time_to_care"))
    return (f"<p>{intro}</p><table><tr><th>{t('col.kpi')}</th><th>{escape(base_name)}<br>"
            f"{t('col.value')}</th></tr>{rows}</table><ul>{sents}</ul>")


def _headline_versus(summ: pd.DataFrame, base_name: str, s: str, kpis: list[str], label, t: Translator) -> str:
    """Scenario ``s`` against the baseline: a table (values, paired difference coloured
    better/worse when significant) and a sentence per KPI."""
    rows, sents = [], []
    kpis = [k for k in kpis if (s, k) in summ.index]
    # Significance over the table's KPIs as one family: Holm's correction (noted below it)
    significant = holm([summ.loc[(s, k)]["diff_p"] for k in kpis])
    for k, sig in zip(kpis, significant):
        b, r = as_shown(k, summ.loc[(base_name, k)]), as_shown(k, summ.loc[(s, k)])
        unit = str(b["unit"])
        dcell = t.diff(r["diff_mean"], r["diff_ci_low"], r["diff_ci_high"], unit)
        cls = _diff_class(k, r, bool(sig))
        attr = f' class="{cls}"' if cls else ""
        rows.append(f"<tr><td>{escape(t.kpi_label(k))}</td><td>{t.ci(*_mci(b), unit)}</td><td>{t.ci(*_mci(r), unit)}"
                    f"</td><td{attr}>{dcell}</td></tr>")
        sents.append(f"<li>{escape(sentence(k, b, r, t, bool(sig)))}</li>")
    return (f"<h3>{escape(t('vs', scenario=s, baseline=base_name))}</h3>"
            + (f"<p class=\"meta\">{escape(str(label))}</p>" if label else "")
            + f"<table><tr><th>{t('col.kpi')}</th>"
            f"<th>{escape(base_name)}<br>{t('col.value')}</th><th>{escape(s)}<br>{t('col.value')}</th>"
            f"<th>{t('col.diff')}</th></tr>{''.join(rows)}</table>"
            f"<p class=\"meta\">{escape(t('note.holm', n=len(kpis)))}</p>" + cost_lines(summ, s, t)
            + f"<ul>{''.join(sents)}</ul>")


def _headline(results: dict, order: list[str], t: Translator) -> str:
    """The headline section: each scenario against the baseline on :data:`HEADLINE_KPIS`."""
    if not order or ("summary" not in results and "kpis" not in results):
        return _missing(t, FILES["summary"])
    summ = _summary(results, order[0]).set_index(["scenario", "kpi"])
    base_name = order[0]
    kpis = [k if (base_name, k) in summ.index else BEFORE_TIME_TO_CARE.get(k, k) for k in HEADLINE_KPIS]
    kpis = [k for k in kpis if (base_name, k) in summ.index]
    others = [s for s in order[1:] if any((s, k) in summ.index for k in kpis)]
    if not others:
        return _headline_alone(summ, base_name, kpis, t)
    labels = results.get("scenarios", {}).get("labels", {})
    return f"<p>{t('intro.headline', time_to_care=t('intro.time_to_care'))}</p>" + "".join(
        _headline_versus(summ, base_name, s, kpis, labels.get(s), t) for s in others)


def sections(order: list[str]) -> list[str]:
    """The page's sections: :data:`SECTIONS`, the ranking only with two scenarios or more
    besides the reference."""
    return [s for s in SECTIONS if s != "ranking" or shows_ranking(order)]


def _mci(r: pd.Series) -> tuple[float, float, float]:
    return float(r["mean"]), float(r["ci_low"]), float(r["ci_high"])


def _missing(t: Translator, file: str) -> str:
    return f"<p class=\"missing\">{escape(t('missing', file=file))}</p>"


def _fig(fig, div_id: str, lang: str) -> str:
    cfg = {"displaylogo": False, "responsive": True, "locale": lang}
    h = fig.layout.height or F.HEIGHT
    return ("<div class=\"fig\">" + fig.to_html(full_html=False, include_plotlyjs=False, config=cfg, div_id=div_id,
                                               default_height=f"{h}px") + "</div>")


def _section_body(name: str, results: dict, order: list[str], colors: dict, t: Translator) -> str:
    """HTML of one section below its heading (figures, or a « données non disponibles » note)."""
    meta = results.get("scenarios", {})
    if name == "headline":
        return _headline(results, order, t)
    if name == "ranking":  # only with two scenarios or more besides the reference (:func:`sections`)
        summ = _summary(results, order[0]).set_index(["scenario", "kpi"])
        return ranking_section(results, summ, order, t, BETTER, BEFORE_TIME_TO_CARE)
    if name == "sources":
        return sources_body(t)
    if name == "configs":
        configs = meta.get("configs", {})
        labels = meta.get("labels", {})
        items = [f"<details><summary>{escape(s)}{' — ' + escape(str(labels[s])) if s in labels else ''}</summary>"
                 f"<pre>{escape(str(configs[s]))}</pre></details>" for s in order if s in configs]
        return "".join(items) if items else _missing(t, SCENARIOS_FILE)
    out = []
    specs = [spec for spec in F.catalogue(order, colors, t, meta.get("start_date")) if spec[0] == name]
    for i, (_, _, needs, make) in enumerate(specs):
        missing = [k for k in needs if k not in results]
        if set(missing) & set(DERIVED):  # results written before that table existed: nothing to say
            continue
        out.append(_missing(t, FILES[missing[0]]) if missing else _fig(make(results), f"fig-{name}-{i}", t.lang))
    if name == "equity" and "commune_results" in results:  # how the accessibility map counts
        out.append(f"<p class=\"meta\">{escape(t('intro.access'))}</p>")
    if name == "equity" and "groups" in results and "communes" in results:
        out.append(commune_table(results, order, t))
    if name == "capacity":
        out.insert(0, dose_table(results, order, t))
    if name == "er":
        out.insert(0, er_sites_tables(results, order, t))
    return "".join(out)


def _header(results: dict, order: list[str], colors: dict, t: Translator) -> str:
    meta = results.get("scenarios", {})
    lines = []
    if meta.get("territory"):
        lines.append(t("page.territory", territory=escape(str(meta["territory"]))))
    if meta.get("start_date"):
        try:
            date = pd.Timestamp(meta["start_date"]).strftime(t("fmt.date"))
        except (ValueError, TypeError):
            date = str(meta["start_date"])
        lines.append(t("page.start", date=escape(date)))
    reps = _n_reps(results)
    if reps:
        lines.append(t("page.reps", n=reps))
    labels = meta.get("labels", {})
    ids = {x: i for x, i in meta.get("ids", {}).items() if i != x}  # the config's id, once, to find it
    items = "".join(f"<li><span class=\"sw\" style=\"background:{colors[s]}\"></span><b>{escape(s)}</b>"
                    f"{f' <small style=color:#888>{escape(ids[s])}</small>' if s in ids else ''}"
                    f"{' — ' + escape(str(labels[s])) if s in labels and labels[s] != ids.get(s, s) else ''}"
                    f"{' (' + t('page.baseline') + ')' if i == 0 else ''}</li>" for i, s in enumerate(order))
    nav = "".join(f"<li><a href=\"#{s}\">{t('section.' + s)}</a></li>" for s in sections(order))
    return (f"<header><h1>{t('page.title')}</h1>" + warnings_box(results, reps, t)
            + "".join(f"<p class=\"meta\">{x}</p>" for x in lines) + rules_box(meta, t)
            + f"<h3>{t('page.scenarios')}</h3><ul>{items}</ul><nav><b>{t('page.nav')}</b><ol>{nav}</ol></nav></header>")


def _n_reps(results: dict) -> int | None:
    n = float("nan")
    if "kpis" in results:
        n = results["kpis"].groupby("scenario", observed=True)["replication"].nunique().max()
    elif "summary" in results and "n" in results["summary"]:
        n = results["summary"]["n"].max()
    return int(n) if pd.notna(n) else None


def build_html(results: dict, lang: str = "fr") -> str:
    """The whole dashboard page as a string (self-contained: plotly.js inlined once)."""
    results = relabel(results, lang)  # scenario titles from the run's parameters (dashboard/titles.py)
    t = translator(lang)
    results = split_communes({k: v for k, v in results.items() if not (isinstance(v, pd.DataFrame) and v.empty)})
    order = scenario_order(results)
    colors = F.scenario_colors(order)
    body = []
    for i, name in enumerate(sections(order), start=1):
        intro = "" if name == "headline" else f"<p>{t('intro.' + name)}</p>"
        body.append(f"<section id=\"{name}\"><h2>{i}. {t('section.' + name)}</h2>{intro}"
                    f"{_section_body(name, results, order, colors, t)}</section>")
    locale = f"<script>{PLOTLY_LOCALE_FR}</script>" if lang == "fr" else ""
    territory = results.get("scenarios", {}).get("territory")
    title = t("page.title") + (f" — {escape(str(territory))}" if territory else "")
    return (f"<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title>"
            f"<style>{CSS}</style>\n"
            f"<script type=\"text/javascript\">{plotly.offline.get_plotlyjs()}</script>\n"
            f"{locale}<script>{PRINT_JS}</script></head>"
            f"<body>{_header(results, order, colors, t)}<main>{''.join(body)}</main>"
            f"<footer><p>{t('page.footer')}</p></footer></body></html>\n")


def write_dashboard(results: dict, path: Path, lang: str = "fr") -> Path:
    """Write :func:`build_html` to ``path`` atomically (a uniquely named temporary file,
    then renamed: :func:`simsoins.results.outputs.write_text`)."""
    path = Path(path)
    html = build_html(results, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(html, path)
    return path


__all__ = [
    "FILES",
    "HEADLINE_KPIS",
    "SECTIONS",
    "build_html",
    "load_results",
    "merge_results",
    "scenario_order",
    "sentence",
    "write_dashboard",
]

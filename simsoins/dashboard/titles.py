"""Scenario titles made from the run (« titres des scénarios »): what each scenario applied,
not the fixed text of its file.

A scenario's title is written from its levers' parameters as the run applied them —
``scenarios.json["configs"]`` (the config view of each scenario: ``levers`` the baseline's,
``scenario.levers`` the scenario's delta, sizes per 100,000 already resolved), the sizes a
lever cut to the territory (``scenarios.json["capped"]``: the applied value is used) and
the doses per 100,000 (``per_100k``) — one template per lever (``title.<lever>`` in
labels_fr.py / labels_en.py), joined with " + " for a plan of several levers; the baseline
is « Référence (territoire) ».  :func:`relabel` puts the titles in place of the ids in every
table and in ``scenarios.json``'s keys, and keeps each title's id in ``scenarios["ids"]``
for the page's scenario list.  A scenario whose config view is missing or does not read as
one (results written by hand) keeps its id.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from simsoins.dashboard.i18n import Translator, translator
from simsoins.dashboard.warnings import config_of

#: Levers in the order their titles are joined (the order of ``Levers``' fields).
LEVER_ORDER = ("cpts", "assistants_medicaux", "docteurs_juniors", "nouveau_centre", "teleconsultation",
               "medicobus", "sas", "hopital_proximite", "prevention", "departs_retraite", "france_sante",
               "missions_solidarite")
#: Cabines a teleconsultation ``cabines: [auto]`` places when the territory has room:
#: simsoins/levers/teleconsultation.py's AUTO_CABINES (a test keeps them equal; the
#: dashboard does not import the levers).
AUTO_CABINES = 5
#: A médicobus route's default days when its config view omits ``route`` (MedicobusLever).
DEFAULT_ROUTE_DAYS = 5


def _n(t: Translator, x: Any) -> str:
    """A size as the page writes it: whole numbers without decimals, others with one."""
    r = round(float(x), 1)
    return t.num(r, 0 if r == int(r) else 1)


def _pct(t: Translator, share: Any) -> str:
    return _n(t, 100 * float(share))


def _many(t: Translator, x: Any) -> bool:
    """Whether ``x`` takes the plural (French: from 2 on; English: all but 1)."""
    return abs(float(x)) >= 2 if t.lang == "fr" else float(x) != 1


def _plural(t: Translator, key: str, x: Any, **fields: Any) -> str:
    many = _many(t, x)
    return t(key, s="s" if many else "", x="x" if many else "", **fields)


def _cpts(t: Translator, p: dict) -> str | None:
    if not p.get("enabled"):
        return None
    campaign = float(p.get("mt_campaign_share") or 0)
    tail = t("title.cpts_campaign", share=_pct(t, campaign)) if campaign > 0 else ""
    return t("title.cpts", pool=_pct(t, p.get("pool_share", 0))) + tail


def _count(key: str, field: str) -> Callable[[Translator, dict], str | None]:
    """A lever sized by one count: its title when the count is above 0."""
    def title(t: Translator, p: dict) -> str | None:
        n = float(p.get(field) or 0)
        return _plural(t, key, n, **{field: _n(t, n)}) if n > 0 else None
    return title


def _centre(t: Translator, p: dict) -> str | None:
    if not p.get("enabled"):
        return None
    kind = str(p.get("kind", "centre_sante"))
    kind_text = t("title.kind." + kind) if t.has("title.kind." + kind) else kind
    return _plural(t, "title.nouveau_centre", p.get("gps", 0), kind=kind_text, gps=_n(t, p.get("gps", 0)))


def _hospital(t: Translator, p: dict) -> str | None:
    return _plural(t, "title.hopital_proximite", p.get("doctors", 0), doctors=_n(t, p.get("doctors", 0))) \
        if p.get("enabled") else None


def _tele(t: Translator, p: dict) -> str | None:
    extra, cabines = float(p.get("extra_slots_per_hour") or 0), list(p.get("cabines") or [])
    if extra <= 0 and not cabines and not p.get("uptake_gain") and not p.get("eligibility_gain"):
        return None
    n = p.get("applied_cabines", AUTO_CABINES if cabines == ["auto"] else len(cabines))
    tail = _plural(t, "title.tele_cabines", n, n=_n(t, n)) if cabines else ""
    return _plural(t, "title.teleconsultation", extra, extra=_n(t, extra)) + tail


def _medicobus(t: Translator, p: dict) -> str | None:
    if not p.get("enabled"):
        return None
    route = p.get("route")
    stops = DEFAULT_ROUTE_DAYS if route is None else sum(str(c) not in ("", "none") for c in route.values())
    return _plural(t, "title.medicobus", stops, stops=_n(t, stops))


def _sas(t: Translator, p: dict) -> str | None:
    if not p.get("enabled"):
        return None
    peak = max((float(r) for r in p.get("regulators") or [0]), default=0.0)
    return _plural(t, "title.sas", peak, peak=_n(t, peak))


def _departures(t: Translator, p: dict) -> str | None:
    n = float(p.get("count") or 0) + len(p.get("clinicians") or [])
    return _plural(t, "title.departs_retraite", n, count=_n(t, n)) if n > 0 else None


def _france_sante(t: Translator, p: dict) -> str | None:
    n = float(p.get("count") or 0) if not p.get("practices") else len(p["practices"])
    return _plural(t, "title.france_sante", n, count=_n(t, n)) if p.get("enabled") and n > 0 else None


def _missions(t: Translator, p: dict) -> str | None:
    n = float(p.get("volunteers") or 0) if not p.get("clinicians") else len(p["clinicians"])
    days = p.get("days_per_month", 2)
    return _plural(t, "title.missions_solidarite", n, volunteers=_n(t, n), days=_n(t, days),
                   ds="" if float(days) == 1 else "s") \
        if p.get("enabled") and n > 0 else None


def _prevention(t: Translator, p: dict) -> str | None:
    parts = [t(f"title.prevention.{need}", x=_pct(t, p[f"{need}_reduction"]))
             for need in ("routine", "acute", "emergency") if float(p.get(f"{need}_reduction") or 0) > 0]
    return t("title.prevention", parts=", ".join(parts)) if parts else None


#: Lever → its title from its applied parameters (None: the lever is off).
TITLES: dict[str, Callable[[Translator, dict], str | None]] = {
    "cpts": _cpts, "assistants_medicaux": _count("title.assistants_medicaux", "count"),
    "docteurs_juniors": _count("title.docteurs_juniors", "count"), "nouveau_centre": _centre,
    "teleconsultation": _tele, "medicobus": _medicobus, "sas": _sas, "hopital_proximite": _hospital,
    "prevention": _prevention, "departs_retraite": _departures, "france_sante": _france_sante,
    "missions_solidarite": _missions}


def _config(text: Any) -> dict | None:
    """A scenario's config view (YAML text) as a mapping with a ``scenario`` block, or None."""
    cfg = config_of(text)
    return cfg if isinstance(cfg, dict) and isinstance(cfg.get("scenario"), dict) else None


def _applied(cfg: dict, lever: str, capped: list, per_100k: list) -> dict:
    """``lever``'s parameters as run: the baseline's, the scenario's delta over them, and
    each size a lever cut to the territory at its applied value."""
    base = (cfg.get("levers") or {}).get(lever) or {}
    delta = ((cfg["scenario"].get("levers") or {}).get(lever)) or {}
    params = {**base, **delta} if isinstance(base, dict) and isinstance(delta, dict) else {}
    for rec in capped:
        if isinstance(rec, dict) and rec.get("lever") == lever:
            params["applied_cabines" if rec.get("key") == "cabines" else str(rec.get("key"))] = rec.get("applied")
    params["_per_100k"] = next((r.get("per_100k") for r in per_100k if isinstance(r, dict)
                                and r.get("lever") == lever), None)
    return params


def scenario_title(meta: dict, scenario: str, t: Translator) -> str | None:
    """The title of ``scenario`` from ``meta`` (``scenarios.json``), or None if its config
    view is missing or unreadable."""
    cfg = _config((meta.get("configs") or {}).get(scenario))
    if cfg is None:
        return None
    delta = cfg["scenario"].get("levers") or {}
    if cfg["scenario"].get("name") == "baseline" or not delta:
        territory = meta.get("territory")
        return t("title.reference", territory=territory) if territory else t("title.reference_bare")
    capped = (meta.get("capped") or {}).get(scenario) or []
    per_100k = (meta.get("per_100k") or {}).get(scenario) or []
    parts = []
    for lever in [name for name in LEVER_ORDER if name in delta]:
        params = _applied(cfg, lever, capped, per_100k)
        text = TITLES[lever](t, params)
        if text and params["_per_100k"] is not None:
            text += t("title.per_100k", per=_n(t, params["_per_100k"]))
        parts += [text] if text else []
    return " + ".join(parts) or None


def scenario_titles(meta: dict, scenarios: list[str], lang: str = "fr") -> dict[str, str]:
    """Scenario id → its title, unique on the page: two scenarios with the same title
    (a sweep over seeds: two references) each get their id after it, « … [id] »."""
    t = translator(lang)
    titles = {s: scenario_title(meta, s, t) or s for s in scenarios}
    counts = pd.Series(list(titles.values())).value_counts()
    return {s: f"{x} [{s}]" if counts[x] > 1 and x != s else x for s, x in titles.items()}


def _ids(results: dict) -> list[str]:
    names = [str(s) for s in (results.get("scenarios") or {}).get("order", [])]
    for df in results.values():
        if isinstance(df, pd.DataFrame) and "scenario" in df.columns:
            names += [str(s) for s in pd.unique(df["scenario"])]
    return list(dict.fromkeys(names))


def relabel(results: dict, lang: str = "fr") -> dict:
    """``results`` with each scenario id replaced by its title (:func:`scenario_titles`) in
    every table's ``scenario`` column and in ``scenarios.json``'s order and per-scenario
    keys; ``scenarios["ids"]`` maps each title back to its id.  A new dict (the tables
    given are not changed); results already relabelled are returned as they are."""
    meta = results.get("scenarios")
    if not isinstance(meta, dict) or "ids" in meta:
        return results
    titles = scenario_titles(meta, _ids(results), lang)
    rename = {s: x for s, x in titles.items() if x != s}
    if not rename:
        return results
    out: dict = {}
    for key, value in results.items():
        if isinstance(value, pd.DataFrame) and "scenario" in value.columns:
            value = value.assign(scenario=value["scenario"].astype(str).map(lambda s: rename.get(s, s)))
        out[key] = value
    new_meta = {k: ({rename.get(s, s): x for s, x in v.items()} if isinstance(v, dict) and set(v) & set(rename)
                    else v) for k, v in meta.items()}
    new_meta["order"] = [rename.get(s, s) for s in meta.get("order", [])]
    # a label that is only the id (a scenario file without one) says nothing the title does not
    new_meta["labels"] = {rename.get(s, s): x for s, x in (meta.get("labels") or {}).items() if x != s}
    new_meta["ids"] = {titles[s]: s for s in titles}
    out["scenarios"] = new_meta
    return out


__all__ = ["relabel", "scenario_title", "scenario_titles"]

"""The warnings box at the top of the dashboard (« Avertissements »): what makes the page's
figures less reliable than they look, one line each, read from the stored run:

- few replications (fewer than :data:`FEW_REPLICATIONS`): wide, unstable intervals;
- a short run: a measured period (``run.horizon_days``, after the warm-up) under a year
  does not cover the seasons;
- a synthetic territory: its geography is made up (``synthetic: true`` in the territory's
  config, carried into ``scenarios.json["synthetic_territory"]`` and each scenario's
  stored config);
- a capped dose: a lever's size cut to what the territory allows
  (``scenarios.json["capped"]``: scenario → ``[{lever, key, asked, applied, limit}]``);
- no reference: a comparison whose first scenario is not the baseline (a sweep run
  without ``scenario=baseline,…``): every difference is then to that scenario.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

import yaml

from simsoins.dashboard.i18n import Translator

#: Below this many replications the page warns that its intervals are unreliable
#: (5 gives the main KPIs a CI within 5 % of their mean on Loir-et-Cher: RunConfig.replications).
FEW_REPLICATIONS = 5
#: A measured period shorter than this (days) misses part of the year's seasons.
ONE_YEAR_DAYS = 365



def config_of(text: object) -> Mapping:
    """A stored config view (YAML text, ``scenarios.json["configs"]``) as a mapping; {} if it
    is not a YAML mapping."""
    try:
        cfg = yaml.safe_load(str(text))
    except yaml.YAMLError:
        return {}
    return cfg if isinstance(cfg, Mapping) else {}


def stored_configs(results: dict) -> dict[str, Mapping]:
    """Each scenario's stored config (``scenarios.json["configs"]``) as a dict (:func:`config_of`)."""
    return {str(s): config_of(text) for s, text in ((results.get("scenarios") or {}).get("configs") or {}).items()}


def _run_value(cfg: Mapping, key: str) -> int | None:
    v = (cfg.get("run") or {}).get(key) if isinstance(cfg.get("run"), Mapping) else None
    return int(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def short_horizon(configs: Mapping[str, Mapping]) -> int | None:
    """The shortest measured period (``run.horizon_days``) of the stored configs if under
    :data:`ONE_YEAR_DAYS`, else None (also when no config records it)."""
    days = [d for cfg in configs.values() if (d := _run_value(cfg, "horizon_days")) is not None]
    return min(days) if days and min(days) < ONE_YEAR_DAYS else None


def is_synthetic(results: dict, configs: Mapping[str, Mapping]) -> bool:
    """Whether the territory is synthetic: ``scenarios.json["synthetic_territory"]``, or
    ``territory.synthetic`` in a scenario's stored config (what a merged page keeps)."""
    if (results.get("scenarios") or {}).get("synthetic_territory") is True:
        return True
    return any(isinstance(cfg.get("territory"), Mapping) and cfg["territory"].get("synthetic") is True
               for cfg in configs.values())


def capped_lines(results: dict, t: Translator) -> list[str]:
    """One line per capped lever size recorded in ``scenarios.json["capped"]``."""
    capped = (results.get("scenarios") or {}).get("capped") or {}
    if not isinstance(capped, Mapping):
        return []
    lines = []
    for scenario, records in capped.items():
        for r in records if isinstance(records, list) else []:
            if isinstance(r, Mapping):
                lines.append(t("warn.capped", scenario=scenario, size=f"{r.get('lever')}.{r.get('key')}",
                               asked=_number(r.get("asked"), t), applied=_number(r.get("applied"), t),
                               limit=_number(r.get("limit"), t)))
    return lines


def _number(x: object, t: Translator) -> str:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return str(x)
    return t.num(x, 0 if float(x).is_integer() else 2)


def reference_missing(results: dict) -> str | None:
    """The first scenario's name when a page compares several scenarios and that one is
    not the baseline (its id, kept by :func:`~simsoins.dashboard.titles.relabel`)."""
    meta = results.get("scenarios") or {}
    order = [str(s) for s in meta.get("order") or []]
    if len(order) < 2:
        return None
    first_id = str((meta.get("ids") or {}).get(order[0], order[0]))
    return None if first_id == "baseline" else order[0]


def warning_lines(results: dict, reps: int | None, t: Translator) -> list[str]:
    """The warnings' texts, most general first."""
    configs = stored_configs(results)
    lines = []
    first = reference_missing(results)
    if first is not None:
        lines.append(t("warn.no_baseline", scenario=first))
    if reps is not None and reps < FEW_REPLICATIONS:
        lines.append(t("warn.few_reps", n=reps, min=FEW_REPLICATIONS))
    days = short_horizon(configs)
    if days is not None:
        lines.append(t("warn.short_run", days=days))
    if is_synthetic(results, configs):
        lines.append(t("warn.synthetic"))
    return lines + capped_lines(results, t)


def warnings_box(results: dict, reps: int | None, t: Translator) -> str:
    """The box at the top of the page; "" when there is nothing to warn about."""
    lines = warning_lines(results, reps, t)
    if not lines:
        return ""
    items = "".join(f"<li>{escape(x)}</li>" for x in lines)
    return f"<div class=\"warnings\" role=\"note\"><h3>{escape(t('warn.title'))}</h3><ul>{items}</ul></div>"

"""Doses per 100,000 inhabitants (« pour 100 000 habitants »): a lever whose size is an
absolute number can be given ``per_100k`` beside its absolute key
(``scenario.levers.assistants_medicaux.per_100k=10``), so that a sweep over territories
compares equal doses.  :func:`resolved_config` rewrites the composed config (a plain
dict → a plain dict) before the plans are built, as ``dose.target_share`` does: each
``per_100k`` becomes its absolute key, from the population of the territory as loaded.

- Rounding: the size is ⌊x + 0.5⌋ with x = per_100k × population / 100,000 (half up,
  not Python's round half to even: 2.5 → 3).  A new centre and a hôpital de proximité
  have at least one GP / doctor (their ``per_100k`` must be > 0; a smaller result is
  raised to 1, logged and recorded).
- The SAS: ``per_100k`` is the regulators on duty at the busiest hour; each hour of the
  roster keeps its share of the busiest (the default 1 at night, 2 by day) and is rounded
  the same way, with at least one regulator in each hour the roster staffs (the line
  stays open the hours it was open).
- Not scaled: the médicobus (one bus and its GP; its size is stops a week, a route) and
  the levers sized by shares (CPTS, prevention), which scale with the territory already.
- Given with ``per_100k``, the absolute key must keep its default or the value of the
  lever's scenario file (``count: 30`` in ``configs/scenario/assistants_medicaux.yaml``),
  which ``per_100k`` replaces; any other value is refused (the size given twice).
- ``dose.per_100k: {lever: value}`` gives a lever's dose for whichever scenario switches
  it on (a sweep over scenarios, ``configs/experiment/france_leviers.yaml``).
"""

from __future__ import annotations

import dataclasses
import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from simsoins.config.levers import Levers
from simsoins.config.schema import ConfigError, from_mapping, merge
from simsoins.levers.dose import SIZE_KEYS, dose_target
from simsoins.territory import Territory

log = logging.getLogger("simsoins")

#: The levers that take a ``per_100k``: lever → the absolute key it resolves into.
PER_100K_KEYS = {"assistants_medicaux": "count", "docteurs_juniors": "count", "nouveau_centre": "gps",
                 "hopital_proximite": "doctors", "teleconsultation": "extra_slots_per_hour",
                 "departs_retraite": "count", "sas": "regulators"}
#: Levers whose size is at least one once switched on (a centre's GP, a unit's doctor).
AT_LEAST_ONE = ("nouveau_centre", "hopital_proximite")
INHABITANTS = 100_000


def half_up(x: float) -> int:
    """⌊x + 0.5⌋: 2.5 → 3 (Python's ``round`` gives 2)."""
    return math.floor(x + 0.5)


@dataclass(frozen=True)
class Resolved:
    """One lever's ``per_100k`` resolved: the absolute ``value`` of ``key`` (the SAS: its
    roster), ``exact`` = per_100k × population / 100,000 before rounding (the SAS: at the
    busiest hour), and whether a minimum of one raised it (``floored``)."""

    lever: str
    key: str
    per_100k: float
    population: float
    value: int | tuple[float, ...]
    exact: float
    floored: bool = False

    def size(self, lang: str = "en") -> str:
        """The absolute size; the SAS: its regulators at the busiest hour."""
        if isinstance(self.value, tuple):
            busiest = f"{max(self.value, default=0):g}"
            return f"{busiest} à l'heure de pointe" if lang == "fr" else f"{busiest} at the busiest hour"
        return str(self.value)

    def text(self) -> str:
        """« assistants_medicaux.count = 33: 10 per 100,000 inhabitants × 328,543 = 32.85 »."""
        floor = ", raised to 1 (the lever's minimum)" if self.floored else ""
        if self.floored and isinstance(self.value, tuple):
            floor = ", at least 1 in each hour the roster staffs"
        return (f"{self.lever}.{self.key} = {self.size()}: {self.per_100k:g} per 100,000 inhabitants × "
                f"{self.population:,.0f} = {self.exact:.2f}{floor}")

    def as_dict(self) -> dict:
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return {"lever": self.lever, "key": self.key, "per_100k": self.per_100k, "population": self.population,
                "exact": round(self.exact, 4), "value": value, "floored": self.floored, "text": self.text()}


def resolve_lever(name: str, lever: Any, population: float, path: str) -> tuple[Any, Resolved | None]:
    """``lever`` (a typed lever of ``name``) with its ``per_100k`` turned into its absolute
    key, and the record; unchanged and None without ``per_100k``.  ConfigError (naming
    ``path``.``name``.per_100k) if the absolute size falls outside its key's range."""
    per = getattr(lever, "per_100k", None)
    if per is None:
        return lever, None
    key = PER_100K_KEYS[name]
    exact = per * population / INHABITANTS
    if name == "sas":
        roster = sas_roster(per, population, lever.regulators)
        floored = roster != sas_roster(per, population, lever.regulators, keep_open=False)
        rec = Resolved(name, key, per, population, roster, exact, floored)
        value: Any = roster
    else:
        value = half_up(exact)
        floored = name in AT_LEAST_ONE and value < 1
        value = max(value, 1) if floored else value
        rec = Resolved(name, key, per, population, value, exact, floored)
    _check_size(rec, type(lever), f"{path}.{name}")
    return dataclasses.replace(lever, **{key: value, "per_100k": None}), rec


def sas_roster(per_100k: float, population: float, profile: tuple[float, ...], keep_open: bool = True
               ) -> tuple[float, ...]:
    """Regulators by hour: ``per_100k`` × population / 100,000 at the busiest hour of
    ``profile``, each other hour in proportion, rounded half up; with ``keep_open``, at
    least one in each hour ``profile`` staffs (unless ``per_100k`` is 0)."""
    peak = max(profile, default=0.0)
    if peak <= 0:
        return tuple(0.0 for _ in profile)
    scale = per_100k * population / INHABITANTS / peak
    least = 1 if per_100k > 0 and keep_open else 0
    return tuple(float(max(half_up(scale * r), least if r > 0 else 0)) for r in profile)


def _check_size(rec: Resolved, cls: type, path: str) -> None:
    meta = {f.name: f.metadata for f in dataclasses.fields(cls)}[rec.key]
    hi = meta.get("hi")
    values = rec.value if isinstance(rec.value, tuple) else (rec.value,)
    if hi is not None and max(values, default=0) > hi:
        raise ConfigError(f"{path}.per_100k = {rec.per_100k:g} gives {rec.key} = {max(values):,g} on "
                          f"{rec.population:,.0f} inhabitants: {rec.key} must be ≤ {hi:,}; give a smaller dose")


def resolve_levers(levers: Levers, population: float, path: str = "levers") -> tuple[Levers, list[Resolved]]:
    """Every ``per_100k`` of ``levers`` resolved (:func:`resolve_lever`), and the records."""
    changes: dict[str, Any] = {}
    records: list[Resolved] = []
    for name in PER_100K_KEYS:
        lever, rec = resolve_lever(name, getattr(levers, name), population, path)
        if rec is not None:
            changes[name] = lever
            records.append(rec)
    return dataclasses.replace(levers, **changes), records


# ------------------------------------------------------------- the composed config


def resolved_config(cfg: dict, territory: Territory, scenario_dir: Path | None = None
                    ) -> tuple[dict, dict[str, list[Resolved]]]:
    """``cfg`` with every ``per_100k`` of its ``levers`` and ``scenario.levers`` blocks
    (and ``dose.per_100k``) resolved into the absolute keys, the scenario's label naming
    them; and the records by block (``levers``, ``scenario.levers``).  ``scenario_dir``:
    where the levers' scenario files are, whose sizes ``per_100k`` may replace.
    ``cfg`` itself and {} when nothing is given per 100,000."""
    scen = cfg.get("scenario") or {}
    delta = _with_dose_block(cfg, scen.get("levers") or {})
    population = float(territory.population.sum())
    base, base_done = _resolve_block(cfg.get("levers") or {}, {}, population, "levers", scenario_dir)
    delta, scen_done = _resolve_block(delta, base, population, "scenario.levers", scenario_dir)
    if not base_done and not scen_done:
        return cfg, {}
    for rec in [*base_done, *scen_done]:  # a size raised to the lever's minimum is a warning
        (log.warning if rec.floored else log.info)("territory %s: %s", territory.name, rec.text())
    out = {**cfg, "levers": base}
    if scen:
        out["scenario"] = {**scen, "levers": delta, **({"label": _label(scen, scen_done)} if scen_done else {})}
    return out, {"levers": base_done, "scenario.levers": scen_done}


def _with_dose_block(cfg: dict, delta: dict) -> dict:
    """The scenario's levers delta with ``dose.per_100k`` given to the levers it switches
    on; refuses a lever sized twice (``dose.per_100k`` or ``dose.target_share`` with
    ``per_100k``)."""
    target = dose_target(cfg)
    out = dict(delta)
    for name, per in target.per_100k.items():
        _check_dose(name, per)
        if isinstance(out.get(name), Mapping):
            if out[name].get("per_100k") is not None:
                raise ConfigError(f"dose.per_100k.{name} = {per:g} and scenario.levers.{name}.per_100k = "
                                  f"{out[name]['per_100k']}: both give the lever's dose per 100,000; give one")
            out[name] = {**out[name], "per_100k": per}
    sized = [n for n in SIZE_KEYS if isinstance(out.get(n), Mapping) and out[n].get("per_100k") is not None]
    if target.target_share > 0 and sized:
        raise ConfigError(f"dose.target_share = {target.target_share:g} and scenario.levers.{sized[0]}.per_100k = "
                          f"{out[sized[0]]['per_100k']:g}: both size the lever; give one")
    return out


def _check_dose(name: str, per: float) -> None:
    """A ``dose.per_100k`` entry: a lever that takes one, within its ``per_100k`` range."""
    if name not in PER_100K_KEYS:
        raise ConfigError(f"dose.per_100k.{name}: not a lever sized per 100,000 inhabitants; "
                          f"allowed: {', '.join(PER_100K_KEYS)}")
    meta = {f.name: f.metadata for f in dataclasses.fields(type(getattr(Levers(), name)))}["per_100k"]
    if not (per > 0 if meta["lo_open"] else per >= 0) or per > meta["hi"]:
        raise ConfigError(f"dose.per_100k.{name} = {per:g}: must be {'>' if meta['lo_open'] else '≥'} 0 "
                          f"and ≤ {meta['hi']:g}")


def _resolve_block(block: dict, base: dict, population: float, path: str, scenario_dir: Path | None
                   ) -> tuple[dict, list[Resolved]]:
    """A levers block with its ``per_100k`` resolved (each lever over ``base``'s), and the records."""
    out, done = dict(block), list[Resolved]()
    for name, key in PER_100K_KEYS.items():
        given = block.get(name)
        if not isinstance(given, Mapping) or given.get("per_100k") is None:
            continue
        _refuse_both(name, key, given, f"{path}.{name}", scenario_dir)
        typed = from_mapping(type(getattr(Levers(), name)), merge(base.get(name) or {}, given), f"{path}.{name}")
        lever, rec = resolve_lever(name, typed, population, path)
        value = getattr(lever, key)
        out[name] = {**given, key: list(value) if isinstance(value, tuple) else value, "per_100k": None}
        if rec is not None:
            done.append(rec)
    return out, done


def _refuse_both(name: str, key: str, given: Mapping, path: str, scenario_dir: Path | None) -> None:
    """ConfigError if ``given`` sets the absolute ``key`` to another value than its default
    or its scenario file's (which ``per_100k`` replaces)."""
    if key not in given:
        return
    allowed = _reference_sizes(name, key, scenario_dir)
    if _comparable(given[key]) not in allowed:
        raise ConfigError(f"{path}.{key} = {given[key]} and {path}.per_100k = {given['per_100k']}: the size given "
                          f"twice; give one (per_100k replaces {key} = {_shown(allowed[-1])})")


@cache
def _reference_sizes(name: str, key: str, scenario_dir: Path | None) -> tuple:
    """The absolute sizes ``per_100k`` may replace: the lever's default, and the value of
    its scenario file ``scenario_dir/NAME.yaml`` (if there)."""
    sizes = [_comparable(getattr(getattr(Levers(), name), key))]
    path = scenario_dir / f"{name}.yaml" if scenario_dir is not None else None
    if path is not None and path.is_file():
        import yaml

        levers = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("levers") or {}
        if isinstance(levers.get(name), Mapping) and key in levers[name]:
            sizes.append(_comparable(levers[name][key]))
    return tuple(sizes)


def _comparable(value: Any) -> Any:
    """A size as compared: a number, or a roster as a tuple of numbers."""
    if isinstance(value, (list, tuple)):
        return tuple(float(v) for v in value)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


def _shown(value: Any) -> str:
    return "[" + ", ".join(f"{v:g}" for v in value) + "]" if isinstance(value, tuple) else f"{value:g}"


def _label(scen: dict, done: list[Resolved]) -> str:
    """The scenario's label naming its sizes (the file's label states the default territory's)."""
    sizes = "; ".join(f"{r.lever}.{r.key} = {r.size('fr')} ({r.per_100k:g} pour 100 000 habitants)" for r in done)
    return f"{scen.get('name', 'scenario')} — {sizes}"


def scenario_records(found: dict[str, list[Resolved]], scenario_levers: Mapping) -> list[Resolved]:
    """The records that apply to the scenario: its own, and the baseline block's for the
    levers its delta does not size again."""
    own = found.get("scenario.levers", [])
    again = {r.lever for r in own} | {n for n, k in PER_100K_KEYS.items()
                                      if isinstance(scenario_levers.get(n), Mapping) and k in scenario_levers[n]}
    return [r for r in found.get("levers", []) if r.lever not in again] + own


def records_by_scenario(found: dict[str, list[Resolved]], scenarios: list[str], scenario_levers: Mapping
                        ) -> dict[str, list[dict]]:
    """What ``scenarios.json`` records under ``per_100k``: for each scenario (the baseline
    first) the sizes resolved for it, as dicts; {} when nothing was given per 100,000."""
    if not found:
        return {}
    return {sc: [r.as_dict() for r in (found.get("levers", []) if sc == "baseline"
                                       else scenario_records(found, scenario_levers))] for sc in scenarios}

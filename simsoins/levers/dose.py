"""A capacity lever sized to a dose (« dose égale »): the config block ``dose:
{target_share: 0.01}`` asks that the scenario's capacity lever add that share of the
territory's baseline GP-type slots a week over the measured window.

:func:`sized_config` rewrites the lever's size parameter in the composed config (a plain
dict → a plain dict) before the plans are built.  The dose of a size is measured as the
model builds it, not from the lever's settings: the books of replication 0 (its leave
draws) are built for the baseline plan and for the lever's plan, and their slots in the
window counted, exactly as the KPI ``gp_slots_offered_per_week`` counts them
(:mod:`simsoins.results.dose`).  The size is then scaled in proportion to the dose still
missing, a few times, until the dose is within :data:`TOLERANCE` of the target or the
size stops changing (a lever whose size moves its dose in steps, such as the
teleconsultation platform's lines of slots, may stop further off; the log says where).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from simsoins.config.levers import Levers
from simsoins.config.model import ConfigError, ModelConfig, RunConfig, build_model
from simsoins.config.schema import from_mapping, merge, rng
from simsoins.territory import Territory
from simsoins.vocabulary import MIN_PER_DAY, MIN_PER_WEEK, WEEKDAYS

log = logging.getLogger("simsoins")

#: The capacity levers that can be sized: lever → its size parameter.
SIZE_KEYS = {"assistants_medicaux": "count", "docteurs_juniors": "count", "nouveau_centre": "gps",
             "hopital_proximite": "doctors", "teleconsultation": "extra_slots_per_hour", "medicobus": "route"}
#: Largest size tried (the médicobus: one stop a weekday).
MAX_SIZE = {"medicobus": len(WEEKDAYS), "docteurs_juniors": 5_000, "nouveau_centre": 1_000,
            "hopital_proximite": 1_000, "teleconsultation": 1_000, "assistants_medicaux": 100_000}
#: A size is kept once its dose is within this share of the target.
TOLERANCE = 0.05
#: Sizes tried at most, after the scenario's own.
MAX_STEPS = 6
#: Model keys of the composed config (as :mod:`simsoins.cli.values` reads them).
MODEL_KEYS = ("demand", "clinicians", "pathways", "er", "tele", "levers")


@dataclass(frozen=True)
class DoseTarget:
    """``dose:`` block: the dose a capacity lever is sized to, as a share of the
    baseline's GP-type slots a week (0: the scenario as written); and doses per 100,000
    inhabitants by lever."""

    target_share: float = field(default=0.0, metadata=rng(0, 10))
    #: lever → its dose per 100,000 inhabitants, for whichever scenario switches it on
    #: (checked and applied by :mod:`simsoins.levers.per100k`)
    per_100k: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Sizing:
    """What :func:`sized_config` chose: lever, size parameter and value, the dose it gives
    and the target (slots a week), and the baseline's slots a week."""

    lever: str
    key: str
    size: int
    dose: float
    target: float
    base_slots: float


def dose_target(cfg: dict) -> DoseTarget:
    """The ``dose`` block of the composed config, checked."""
    return from_mapping(DoseTarget, cfg.get("dose"), "dose")


def sized_config(cfg: dict, territory: Territory) -> tuple[dict, Sizing | None]:
    """``cfg`` with its scenario's capacity lever sized to ``dose.target_share`` of the
    baseline's slots a week (its label naming the size), and what was chosen;
    ``cfg`` itself and None when no dose is asked or the scenario is the baseline."""
    target = dose_target(cfg)
    scen = cfg.get("scenario") or {}
    levers = scen.get("levers") or {}
    if target.target_share <= 0 or not levers:
        return cfg, None
    sized = [name for name in SIZE_KEYS if name in levers]
    if len(sized) != 1:
        raise ConfigError(f"dose.target_share: sizes a scenario of exactly one of {', '.join(SIZE_KEYS)}; "
                          f"scenario {scen.get('name')!r} has {len(sized)}")
    lever = sized[0]
    measure = _slots_measure(cfg, territory)
    base = measure({})
    largest = _largest(lever, territory)
    choice = _search(lambda s: measure(merge(levers, {lever: _size_delta(lever, s)})) - base,
                     target.target_share * base, min(_size_of(lever, levers[lever]), largest), largest)
    sizing = Sizing(lever=lever, key=SIZE_KEYS[lever], size=choice[0], dose=choice[1],
                    target=target.target_share * base, base_slots=base)
    log.info("dose %.1f %%: %s.%s = %d adds %.0f slots a week (target %.0f, of %.0f)", 100 * target.target_share,
             lever, sizing.key, sizing.size, sizing.dose, sizing.target, base)
    new_levers = merge(levers, {lever: _size_delta(lever, sizing.size)})
    # the scenario file's label states its policy size: the sized lever gets its own
    label = f"{scen.get('name', lever)} — dose {100 * target.target_share:g} % ({sizing.key} = {sizing.size})"
    return {**cfg, "scenario": {**scen, "levers": new_levers, "label": label}}, sizing


def _largest(lever: str, territory: Territory) -> int:
    """The largest size tried: :data:`MAX_SIZE`, and no more assistants than the territory
    has GPs (the lever refuses more)."""
    if lever == "assistants_medicaux":
        return min(MAX_SIZE[lever], max(1, sum(1 for k in territory.clinician_kind if k == "gp")))
    return MAX_SIZE[lever]


def _size_of(lever: str, block: dict) -> int:
    """The size the scenario gives the lever (at least 1)."""
    value = block.get(SIZE_KEYS[lever])
    if lever == "medicobus":
        return max(1, sum(1 for v in (value or {}).values() if v not in ("", "none")))
    return max(1, int(value or 1))


def _size_delta(lever: str, size: int) -> dict:
    """The lever's config delta for ``size``; a médicobus of ``size`` stops stops on the
    first ``size`` weekdays at ``auto`` communes, the other days off."""
    if lever == "medicobus":
        return {"enabled": True, "route": {d: ("auto" if i < size else "none") for i, d in enumerate(WEEKDAYS)}}
    return {SIZE_KEYS[lever]: int(size)}


def _search(dose_of: Callable[[int], float], target: float, start: int, largest: int) -> tuple[int, float]:
    """The size (1 … ``largest``) whose dose is nearest ``target`` (by their ratio; a
    size that adds nothing is never chosen), scaling the size by the ratio of the target
    to the dose reached (doubling it while the dose is 0)."""
    tried: dict[int, float] = {}
    size = start
    for _ in range(MAX_STEPS + 1):
        tried[size] = dose_of(size)
        d = tried[size]
        if d > 0 and abs(d / target - 1) <= TOLERANCE:
            break
        nxt = size * 2 if d <= 0 else round(size * target / d)
        nxt = min(max(int(nxt), 1), largest)
        if nxt in tried:
            break
        size = nxt
    positive = [s for s in tried if tried[s] > 0]
    if not positive:
        raise ConfigError(f"dose.target_share: no size up to {max(tried)} adds a slot")
    best = min(positive, key=lambda s: (abs(math.log(tried[s] / target)), s))
    return best, tried[best]


def _slots_measure(cfg: dict, territory: Territory) -> Callable[[dict], float]:
    """A function: a levers delta over the config's baseline levers → the GP-type slots
    offered a week in the measured window by the books of replication 0."""
    base = {k: cfg.get(k) or {} for k in MODEL_KEYS}
    model = build_model(base)
    run = from_mapping(RunConfig, cfg.get("run"), "run")

    def measure(delta: dict) -> float:
        levers = from_mapping(Levers, merge(base["levers"], delta), "scenario.levers")
        return offered_slots_per_week(territory, replace(model, levers=levers), run)

    return measure


def offered_slots_per_week(territory: Territory, model: ModelConfig, run: RunConfig, replication: int = 0) -> float:
    """GP-type slots a week that replication ``replication``'s books offer in the measured
    window (built as :class:`simsoins.sim.replication.ReplicationRun` builds them, without
    simulating a request)."""
    from simsoins.levers.registry import make_plan
    from simsoins.sim.capacity import build_capacity, expected_er_arrivals
    from simsoins.sim.clock import weeks_until_july
    from simsoins.sim.params import PathwayParams
    from simsoins.sim.result import offered_table
    from simsoins.sim.streams import replication_streams

    plan = make_plan(territory, model, run, "scenario.levers")
    t = plan.territory
    n_days = run.end_day
    cap = build_capacity(plan, model, n_days + PathwayParams.from_model(model).tail_days(),
                         replication_streams(run.seed, replication)["leave"], weeks_until_july(run.start),
                         expected_er_arrivals(t, model, t.km_commune_er.argmin(axis=1)))
    w0, w1 = run.warmup_days * MIN_PER_DAY, n_days * MIN_PER_DAY
    return float(offered_table(cap, w0, w1)["offered"].sum() / ((w1 - w0) / MIN_PER_WEEK))
